import * as aq from 'arquero';
import { describe, expect, it } from 'vitest';
import type { ColumnTable } from 'arquero';
import { isTable } from '../../src/engine/port-codec.ts';
import { rocAuc } from '../../src/ml/metrics.ts';
import { averageRanks } from '../../src/ml/rank-ensemble.ts';
import { createRng } from '../../src/ml/random.ts';
import { rowObjects, runNode, type Feed } from '../data/node-harness.ts';

const rng = createRng(8);
const n = 300;
const ids = Array.from({ length: n }, (_, i) => `c${i}`);
const label = ids.map(() => (rng.next() < 0.4 ? 1 : 0));
const good = label.map((y) => 1 / (1 + Math.exp(-(2 * y - 1) * 1.5 - rng.normal())));
const poor = label.map((y) => 1 / (1 + Math.exp(-(2 * y - 1) * 0.2 - rng.normal())));
const fair = label.map((y) => 1 / (1 + Math.exp(-(2 * y - 1) * 0.8 - rng.normal())));
const feed = (score: number[]): Feed => ({ type: 'predictions', value: aq.table({ id: ids, score, label, fold: ids.map((_, i) => i % 5) }) });

function metricsOf(outputs: Record<string, unknown> | undefined): { tables: Record<string, ColumnTable>; summary: Record<string, unknown> } {
  const m = outputs?.metrics;
  if (!m || typeof m !== 'object' || !('tables' in m) || !('summary' in m)) throw new Error('no metrics');
  const { tables, summary } = m;
  if (typeof tables !== 'object' || tables === null || typeof summary !== 'object' || summary === null) throw new Error('bad metrics');
  const out: Record<string, ColumnTable> = {};
  for (const [k, v] of Object.entries(tables)) if (isTable(v)) out[k] = v;
  return { tables: out, summary: { ...summary } };
}

describe('evaluate compares several predictions inputs', () => {
  it('gives one leaderboard, overlaid curves, lift by decile and the paired AUC difference', async () => {
    const run = await runNode('evaluate', { name: 'trees', name2: 'lstm', bootstrap: 200, baseline: 'none' }, { predictions: feed(good), predictions2: feed(poor) });
    expect(run.codes).toEqual([]);
    const { tables } = metricsOf(run.outputs);
    const board = rowObjects(tables.leaderboard!);
    expect(board.map((r) => r.model)).toEqual(['trees', 'lstm']);
    expect(Math.abs(Number(board[1]!.roc_auc) - rocAuc(label, poor))).toBeLessThan(1e-12);
    expect(new Set(rowObjects(tables.compare_roc!).map((r) => r.model))).toEqual(new Set(['trees', 'lstm']));
    expect(tables.lift!.numRows()).toBe(20);
    const paired = rowObjects(tables.paired_auc!);
    expect(paired.length).toBe(1);
    expect(Math.abs(Number(paired[0]!.auc_difference) - (rocAuc(label, poor) - rocAuc(label, good)))).toBeLessThan(1e-12);
    expect(Number(paired[0]!.ci_low)).toBeLessThan(Number(paired[0]!.ci_high));
  });
  it('keeps a single predictions input working, with a one-row leaderboard', async () => {
    const run = await runNode('evaluate', { baseline: 'none' }, { predictions: feed(good) });
    const { tables, summary } = metricsOf(run.outputs);
    expect(rowObjects(tables.leaderboard!).map((r) => r.model)).toEqual(['model']);
    expect(tables.paired_auc!.numRows()).toBe(0);
    expect(Math.abs(Number(summary.roc_auc) - rocAuc(label, good))).toBeLessThan(1e-12);
  });
  it('adds the mean-rank ensemble of the compared models as one more model, with its own curves, lift and paired AUC', async () => {
    const params = { name: 'lstm', name2: 'trees', name3: 'logistic', bootstrap: 200, baseline: 'none' };
    const feeds = { predictions: feed(poor), predictions2: feed(good), predictions3: feed(fair) };
    const run = await runNode('evaluate', { ...params, ensemble: true }, feeds);
    expect(run.codes).toEqual([]);
    const { tables } = metricsOf(run.outputs);
    const board = rowObjects(tables.leaderboard!);
    expect(board.map((r) => r.model)).toEqual(['lstm', 'trees', 'logistic', 'ensemble (mean rank)']);
    const r1 = averageRanks(poor);
    const r2 = averageRanks(good);
    const r3 = averageRanks(fair);
    const meanRank = ids.map((_, i) => r1[i]! + r2[i]! + r3[i]!);
    const expected = rocAuc(label, meanRank);
    expect(Math.abs(Number(board[3]!.roc_auc) - expected)).toBeLessThan(1e-12);
    expect(new Set(rowObjects(tables.compare_roc!).map((r) => r.model))).toEqual(new Set(['lstm', 'trees', 'logistic', 'ensemble (mean rank)']));
    expect(new Set(rowObjects(tables.compare_pr!).map((r) => r.model)).has('ensemble (mean rank)')).toBe(true);
    expect(tables.lift!.numRows()).toBe(40);
    const paired = rowObjects(tables.paired_auc!);
    expect(paired.map((p) => p.model)).toEqual(['trees', 'logistic', 'ensemble (mean rank)']);
    expect(Math.abs(Number(paired[2]!.auc_difference) - (expected - rocAuc(label, poor)))).toBeLessThan(1e-12);
    // Off (the default), the leaderboard holds the inputs only.
    const plain = await runNode('evaluate', params, feeds);
    expect(rowObjects(metricsOf(plain.outputs).tables.leaderboard!).map((r) => r.model)).toEqual(['lstm', 'trees', 'logistic']);
    // One predictions input: nothing to combine, no ensemble row.
    const alone = await runNode('evaluate', { baseline: 'none', ensemble: true }, { predictions: feed(good) });
    expect(rowObjects(metricsOf(alone.outputs).tables.leaderboard!).map((r) => r.model)).toEqual(['model']);
  });
});
