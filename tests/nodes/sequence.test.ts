import * as aq from 'arquero';
import { describe, expect, it } from 'vitest';
import type { Sequences } from '../../src/engine/ports.ts';
import { idKey, labelCell } from '../../src/data/cells.ts';
import { runNode, syntheticShop, table } from './intent-harness.ts';

const base = { idColumn: 'customer_id', timeColumn: 'timestamp', period: 'week', steps: 3, cutoff: '2024-01-22', horizonEnd: '2024-02-19' };

const rows = aq.table({
  customer_id: ['a', 'a', 'b', 'a', 'b', 'c', 'c'],
  timestamp: ['2024-01-02 10:00:00', '2024-01-03 10:00:00', '2024-01-16 10:00:00', '2024-01-21 23:00:00', '2024-01-25 10:00:00', '2023-12-01 09:00:00', '2024-03-01 09:00:00'],
  event: ['view', 'cart', 'view', 'view', 'buy', 'view', 'buy'],
  quantity: [1, 2, 5, 4, 7, 3, 1],
});

function sequencesOf(outputs: Record<string, unknown> | undefined): Sequences {
  const s = outputs?.sequences;
  if (!s || typeof s !== 'object' || !('x' in s)) throw new Error('no sequences output');
  return s as Sequences;
}

describe('sequence node', () => {
  it('builds weekly counts, sums and per-event counts before the cutoff and labels purchases in the horizon', async () => {
    const run = await runNode('sequence', { ...base, countBy: 'event', values: { quantity: 'sum' } }, { table: table(rows) });
    expect(run.status.state).toBe('warning');
    const s = sequencesOf(run.outputs);
    expect(s.ids).toEqual(['a', 'b', 'c']);
    expect(s.featureNames).toEqual(['rows', 'event_buy', 'event_cart', 'event_view', 'quantity_sum']);
    expect(s.stepLabels).toEqual(['2024-01-01', '2024-01-08', '2024-01-15']);
    expect(Array.from(s.x.subarray(0, 15))).toEqual([2, 0, 1, 1, 3, 0, 0, 0, 0, 0, 1, 0, 0, 1, 4]);
    // b buys on 01-25 (inside the horizon), c on 03-01 (after it).
    expect(Array.from(s.labels)).toEqual([0, 1, 0]);
    expect(s.meta.rowsInHorizon).toBe(1);
    expect(s.meta.scaling).toBe('log-standard');
    // c has no activity in the three weeks (only before them), and its 03-01 row is after the horizon: both said, not hidden.
    expect(run.status.issues.map((i) => i.code)).toEqual(['sequence.noActivity', 'sequence.rowsAfterHorizon']);
    expect(run.status.issues[0]?.message).toBe('1 of 3 customers have no activity in the 3 periods before the cutoff (all-zero sequences).');
    expect(run.status.issues[1]?.message).toBe('1 rows are after the horizon end "2024-02-19" (up to "2024-03-01"); they are in neither the sequences nor the labels.');
    expect(run.status.summary).toBe('3 × 3 weeks × 5 features · 33% positive');
  });

  it('takes the universe and the labels from a customers table, and appends static features to every step', async () => {
    const customers = aq.table({ customer_id: ['b', 'z', 'a'], purchased: ['yes', '0', 1] });
    const statics = aq.table({ customer_id: ['a', 'b'], score: [0.25, 0.75] });
    const run = await runNode(
      'sequence',
      { ...base, labelSource: 'column', labelColumn: 'purchased', staticColumns: ['score'] },
      { table: table(rows), customers: table(customers), static: table(statics) },
    );
    const s = sequencesOf(run.outputs);
    expect(s.ids).toEqual(['b', 'z', 'a']);
    expect(Array.from(s.labels)).toEqual([1, 0, 1]);
    expect(s.featureNames).toEqual(['rows', 'score']);
    // z has no static row: the column mean (0.5) is used and a warning says so.
    expect(Array.from(s.x)).toEqual([0, 0.75, 0, 0.75, 1, 0.75, 0, 0.5, 0, 0.5, 0, 0.5, 2, 0.25, 0, 0.25, 1, 0.25]);
    expect(s.meta.staticFeatures).toEqual(['score']);
    expect(run.status.issues.map((i) => i.code)).toEqual(['sequence.noActivity', 'sequence.staticMissing']);
  });

  it('uses a second activity table with prefixed feature names', async () => {
    const extra = aq.table({ customer_id: ['a'], timestamp: ['2024-01-10 08:00:00'] });
    const run = await runNode('sequence', base, { table: table(rows), extra: table(extra) });
    const s = sequencesOf(run.outputs);
    expect(s.featureNames).toEqual(['table_rows', 'extra_rows']);
    expect(Array.from(s.x.subarray(0, 6))).toEqual([2, 0, 0, 1, 1, 0]);
  });

  it('fails with a clear message when the cutoff is before all activity', async () => {
    const run = await runNode('sequence', { ...base, cutoff: '2020-01-01', horizonEnd: '2020-02-01' }, { table: table(rows) });
    expect(run.status.state).toBe('error');
    expect(run.status.issues[0]?.message).toBe('The cutoff "2020-01-01" is on or before the first activity ("2023-12-01"): there is nothing to build sequences from.');
  });

  it('fails when the horizon starts after the last activity, since every label would be 0', async () => {
    const run = await runNode('sequence', { ...base, cutoff: '2024-06-01', horizonEnd: '2024-07-01' }, { table: table(rows) });
    expect(run.status.issues[0]?.code).toBe('sequence.horizonAfterData');
    expect(run.status.issues[0]?.message).toContain('starts after the last activity ("2024-03-01")');
  });

  it('asks for a cutoff and a horizon end, and names a missing column', async () => {
    expect((await runNode('sequence', { ...base, cutoff: '' }, { table: table(rows) })).status.issues[0]?.message).toBe('Set a cutoff date: the sequences end there and the label window starts there.');
    expect((await runNode('sequence', { ...base, horizonEnd: '2024-01-01' }, { table: table(rows) })).status.issues[0]?.code).toBe('sequence.horizonBeforeCutoff');
    const missing = await runNode('sequence', { ...base, timeColumn: 'when' }, { table: table(rows) });
    expect(missing.status.issues[0]?.code).toBe('column.missing');
    expect(missing.status.issues[0]?.message).toContain('"when"');
  });

  it('rejects a label that is not binary, naming the customer and the value', async () => {
    const customers = aq.table({ customer_id: ['a', 'b'], purchased: [1, 3] });
    const run = await runNode('sequence', { ...base, labelSource: 'column', labelColumn: 'purchased' }, { table: table(rows), customers: table(customers) });
    expect(run.status.issues[0]?.message).toBe('Label column "purchased" holds "3" for customer "b"; labels must be 0/1, true/false or yes/no.');
  });

  it('warns when every label is the same class', async () => {
    const run = await runNode('sequence', { ...base, horizonEnd: '2024-01-23' }, { table: table(rows) });
    expect(run.status.issues.map((i) => i.code)).toContain('sequence.singleClass');
  });

  it('builds monthly steps back from a mid-month cutoff', async () => {
    const shop = syntheticShop(20, 3);
    const run = await runNode('sequence', { ...base, period: 'month', steps: 2, cutoff: '2024-03-15', horizonEnd: '2024-04-15' }, { table: table(shop.activity) });
    expect(sequencesOf(run.outputs).stepLabels).toEqual(['2024-01-15', '2024-02-15']);
  });
});

describe('sequence helpers', () => {
  it('reads ids the same whether written 17850, "17850.0" or " 17850 "', () => {
    expect([idKey(17850), idKey('17850.0'), idKey(' 17850 '), idKey(''), idKey(null)]).toEqual(['17850', '17850', '17850', null, null]);
  });

  it('reads binary labels and refuses anything else', () => {
    expect([labelCell(true), labelCell('no'), labelCell(1), labelCell(null), labelCell(2), labelCell('maybe')]).toEqual([1, 0, 1, Number.NaN, undefined, undefined]);
  });
});
