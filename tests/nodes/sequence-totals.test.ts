import '@tensorflow/tfjs-backend-wasm';
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import { describe, expect, it } from 'vitest';
import type { Sequences } from '../../src/engine/ports.ts';
import { rocAuc } from '../../src/ml/metrics.ts';
import { runNode, syntheticShop, table, type NodeRun } from './intent-harness.ts';

const base = { idColumn: 'customer_id', timeColumn: 'timestamp', period: 'week', steps: 3, cutoff: '2024-01-22', horizonEnd: '2024-02-19' };

// Weeks from 2024-01-01: a is active in weeks 0 and 2, b in week 2 and buys in the horizon, c only before and after.
const rows = aq.table({
  customer_id: ['a', 'a', 'b', 'a', 'b', 'c', 'c'],
  timestamp: ['2024-01-02 10:00:00', '2024-01-03 10:00:00', '2024-01-16 10:00:00', '2024-01-21 23:00:00', '2024-01-25 10:00:00', '2023-12-01 09:00:00', '2024-03-01 09:00:00'],
  event: ['view', 'cart', 'view', 'view', 'buy', 'view', 'buy'],
  quantity: [1, 2, 5, 4, 7, 3, 1],
});

function outputsOf(run: NodeRun): { sequences: Sequences; totals: ColumnTable } {
  const s = run.outputs?.sequences;
  const t = run.outputs?.totals;
  if (!s || typeof s !== 'object' || !('x' in s) || !(t instanceof aq.ColumnTable)) throw new Error(`no outputs: ${JSON.stringify(run.status.issues)}`);
  return { sequences: s as Sequences, totals: t };
}

function foldById(run: NodeRun): Map<string, number> {
  const p = run.outputs?.predictions;
  if (!(p instanceof aq.ColumnTable)) throw new Error(`no predictions: ${JSON.stringify(run.status.issues)}`);
  const fold = p.array('fold');
  return new Map(Array.from(p.array('id'), (v, i) => [String(v), Number(fold[i])]));
}

describe('the totals port of the sequence node', () => {
  it('sums each feature over the window and its last quarter, counts periods since activity, and keeps the customers and labels of the sequences', async () => {
    const run = await runNode('sequence', { ...base, countBy: 'event', values: { quantity: 'sum' } }, { table: table(rows) });
    const { sequences, totals } = outputsOf(run);
    expect(totals.columnNames()).toEqual([
      'customer_id',
      'rows_total', 'event_buy_total', 'event_cart_total', 'event_view_total', 'quantity_sum_total',
      'rows_last1', 'event_buy_last1', 'event_cart_last1', 'event_view_last1', 'quantity_sum_last1',
      'periods_since_activity', 'label',
    ]);
    expect(totals.objects()).toEqual([
      { customer_id: 'a', rows_total: 3, event_buy_total: 0, event_cart_total: 1, event_view_total: 2, quantity_sum_total: 7, rows_last1: 1, event_buy_last1: 0, event_cart_last1: 0, event_view_last1: 1, quantity_sum_last1: 4, periods_since_activity: 0, label: 0 },
      { customer_id: 'b', rows_total: 1, event_buy_total: 0, event_cart_total: 0, event_view_total: 1, quantity_sum_total: 5, rows_last1: 1, event_buy_last1: 0, event_cart_last1: 0, event_view_last1: 1, quantity_sum_last1: 5, periods_since_activity: 0, label: 1 },
      { customer_id: 'c', rows_total: 0, event_buy_total: 0, event_cart_total: 0, event_view_total: 0, quantity_sum_total: 0, rows_last1: 0, event_buy_last1: 0, event_cart_last1: 0, event_view_last1: 0, quantity_sum_last1: 0, periods_since_activity: 3, label: 0 },
    ]);
    expect(Array.from(totals.array('customer_id'))).toEqual(sequences.ids);
    expect(Array.from(totals.array('label'))).toEqual(Array.from(sequences.labels));
  });

  it('carries the static features once per customer, and the customers table\'s universe and labels', async () => {
    const customers = aq.table({ customer_id: ['b', 'z', 'a'], purchased: ['yes', null, 1] });
    const statics = aq.table({ customer_id: ['a', 'b'], score: [0.25, 0.75] });
    const run = await runNode('sequence', { ...base, steps: 2, labelSource: 'column', labelColumn: 'purchased', staticColumns: ['score'] }, { table: table(rows), customers: table(customers), static: table(statics) });
    const { totals } = outputsOf(run);
    // Weeks 01-08 and 01-15: a's 01-21 row and b's 01-16 row are in the last one.
    expect(totals.objects()).toEqual([
      { customer_id: 'b', rows_total: 1, rows_last1: 1, periods_since_activity: 0, score: 0.75, label: 1 },
      { customer_id: 'z', rows_total: 0, rows_last1: 0, periods_since_activity: 2, score: 0.5, label: null },
      { customer_id: 'a', rows_total: 1, rows_last1: 1, periods_since_activity: 0, score: 0.25, label: 1 },
    ]);
  });

  it('has an all-unknown label column when the sequences are unlabelled (for scoring)', async () => {
    const { totals } = outputsOf(await runNode('sequence', { ...base, labelSource: 'none' }, { table: table(rows) }));
    expect(Array.from(totals.array('label'))).toEqual([null, null, null]);
  });

  it('gives classify on the totals the same folds as the lstm on the sequences, from the pipeline seed', async () => {
    const shop = syntheticShop(80, 5);
    const run = await runNode('sequence', { idColumn: 'customer_id', timeColumn: 'timestamp', period: 'week', steps: 12, countBy: 'event', cutoff: '2024-04-01', horizonEnd: '2024-04-28' }, { table: table(shop.activity), customers: table(shop.customers) }, { seed: 11 });
    const { sequences, totals } = outputsOf(run);
    const lstm = await runNode('lstm', { units: 2, epochs: 1, folds: 5 }, { sequences: { type: 'sequences', value: sequences } }, { seed: 11, backend: 'wasm' });
    const trees = await runNode('classify', { label: 'label', id: 'customer_id', learner: 'gbdt', iterations: 30, maxLeaves: 8, minLeaf: 5, folds: 5 }, { table: table(totals) }, { seed: 11 });
    const a = foldById(lstm);
    const b = foldById(trees);
    expect(a.size).toBe(80);
    expect(sequences.ids.map((id) => b.get(id))).toEqual(sequences.ids.map((id) => a.get(id)));
    // The labels the trees learn are the sequences' labels.
    const p = trees.outputs?.predictions;
    if (!(p instanceof aq.ColumnTable)) throw new Error('no predictions');
    expect(Array.from(p.array('label'))).toEqual(Array.from(sequences.labels));
    // The shop's label follows the trend of the last 4 weeks, which the recent totals carry.
    expect(rocAuc(Float64Array.from(p.array('label'), Number), Float64Array.from(p.array('score'), Number))).toBeGreaterThan(0.75);
  }, 120_000);
});
