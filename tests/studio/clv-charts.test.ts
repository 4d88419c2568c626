import * as aq from 'arquero';
import { describe, expect, it } from 'vitest';
import { portPreview } from '../../src/engine/port-codec.ts';
import { runNode, tableFeed } from '../data/node-harness.ts';
import { calibrationPoints, clvChartFor, matrixCells } from '../../src/studio/views/clv-charts.ts';

describe('lifetime-value charts', () => {
  it('are chosen by the exact columns of the clv matrix and calibration tables, and for no other table', () => {
    expect(clvChartFor(['frequency', 'recency', 'expected_purchases', 'p_alive'])).toBe('matrix');
    expect(clvChartFor(['frequency', 'customers', 'actual_holdout', 'predicted_holdout'])).toBe('calibration');
    expect(clvChartFor(['frequency', 'recency', 'expected_purchases'])).toBeNull();
    expect(clvChartFor(['id', 'score', 'label', 'fold'])).toBeNull();
  });

  it('turn rows into heat-map cells and long-form calibration points, leaving out missing numbers', () => {
    expect(matrixCells([[0, 0, 0.25, 1], [2, 3.14159, 0.5, 0.8], [3, 1, null, 0.5]])).toEqual([
      { frequency: 0, recency: '0.0', expected: 0.25, pAlive: 1 },
      { frequency: 2, recency: '3.1', expected: 0.5, pAlive: 0.8 },
    ]);
    expect(calibrationPoints([[0, 10, 0.5, 0.4], [1, 5, 0.9, null]])).toEqual([
      { frequency: 0, series: 'actual', purchases: 0.5, customers: 10 },
      { frequency: 0, series: 'predicted', purchases: 0.4, customers: 10 },
      { frequency: 1, series: 'actual', purchases: 0.9, customers: 5 },
    ]);
  });

  it('read the clv node’s own outputs through the preview the page receives', async () => {
    const rows = 40;
    const table = aq.table({
      id: Array.from({ length: rows }, (_, i) => `k${i}`),
      frequency: Array.from({ length: rows }, (_, i) => i % 4),
      recency: Array.from({ length: rows }, (_, i) => (i % 4) * 2),
      T: Array.from({ length: rows }, () => 10),
      monetary_value: Array.from({ length: rows }, (_, i) => (i % 4 === 0 ? 0 : 20 + i)),
    });
    const run = await runNode('clv', { source: 'summary', customer: 'id' }, { table: tableFeed(table) });
    const preview = portPreview(run.outputs?.matrix, 0, 5000);
    if (preview.kind !== 'table') throw new Error('no table preview');
    expect(clvChartFor(preview.columns)).toBe('matrix');
    // Frequencies 0..3; frequency 0 has recency 0 only, the others 25 recency steps.
    expect(matrixCells(preview.rows)).toHaveLength(1 + 3 * 25);
  });
});
