import { table as aqTable, type ColumnTable } from 'arquero';
import { describe, expect, it } from 'vitest';
import { isTable } from '../../src/engine/port-codec.ts';
import { runNode, tableFeed } from '../data/node-harness.ts';

function tableOut(outputs: Record<string, unknown> | undefined): ColumnTable {
  const value = outputs?.table;
  if (!isTable(value)) throw new Error('no table');
  return value;
}

const scaled = () => aqTable({ id: ['a', 'b', 'c', 'd'], recency: [0, 0.5, 1, 0.25], frequency: [1, 0.5, 0, null], monetary: [0.8, 0.8, 0.1, 0.4] });

describe('weight node', () => {
  it('scores f = Σ w x with typed weights scaled to Σ|w| = 1, ranks and adds contributions', async () => {
    const run = await runNode('weight', { weights: { recency: -1, frequency: 2, monetary: 1 } }, { table: tableFeed(scaled()) });
    expect(run.codes).toEqual(['weight.incompleteRows']);
    expect(run.status.issues[0]?.message).toBe('1 rows have a missing or non-finite value in a weighted column; their score and rank are missing.');
    const out = tableOut(run.outputs);
    expect(out.columnNames()).toEqual(['id', 'recency', 'frequency', 'monetary', 'score', 'rank', 'contrib_recency', 'contrib_frequency', 'contrib_monetary']);
    const score = Array.from(out.array('score'));
    expect(score[0]).toBeCloseTo(-0.25 * 0 + 0.5 * 1 + 0.25 * 0.8, 15);
    expect(score[1]).toBeCloseTo(-0.25 * 0.5 + 0.5 * 0.5 + 0.25 * 0.8, 15);
    expect(score[2]).toBeCloseTo(-0.25 * 1 + 0.5 * 0 + 0.25 * 0.1, 15);
    expect(score[3]).toBeNull();
    expect(Array.from(out.array('rank'))).toEqual([1, 2, 3, null]);
    expect(Array.from(out.array('contrib_recency'))).toEqual([-0, -0.125, -0.25, null]);
    expect(run.outputs?.transform).toEqual({ kind: 'weight', label: 'typed weights on 3 columns', params: { method: 'typed', weights: { recency: -0.25, frequency: 0.5, monetary: 0.25 } } });
  });

  it('derives entropy weights, negating lower-is-better columns, and warns about unscaled columns', async () => {
    const t = aqTable({ r: [0, 0.2, 0.4, 1], m: [10, 10, 10, 20] });
    const run = await runNode('weight', { method: 'entropy', columns: ['r', 'm'], lowerIsBetter: ['r'] }, { table: tableFeed(t) });
    expect(run.status.issues.map((i) => i.message)).toEqual(['Column "m" ranges over [10, 20], not [0, 1]; weight columns after a min-max Normalise so that they are comparable.']);
    const { r, m } = JSON.parse(JSON.stringify(run.outputs?.transform)).params.weights;
    expect(typeof r === 'number' && typeof m === 'number').toBe(true);
    expect(r).toBeLessThan(0);
    expect(Math.abs(r) + m).toBeCloseTo(1, 12);
    expect(Math.abs(r)).toBeGreaterThan(m);
  });

  it('fails with a declared message for no weights, a text column or a missing column', async () => {
    expect((await runNode('weight', {}, { table: tableFeed(scaled()) })).codes).toEqual(['weight.noWeights']);
    const text = await runNode('weight', { weights: { id: 1 } }, { table: tableFeed(scaled()) });
    expect(text.status.issues[0]?.message).toBe('Column "id" in parameter "weights" must hold numbers; it holds values such as "a".');
    const missing = await runNode('weight', { weights: { loyalty: 1 } }, { table: tableFeed(scaled()) });
    expect(missing.codes).toEqual(['column.missing']);
  });
});
