import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import { describe, expect, it } from 'vitest';
import { isTable } from '../../src/engine/port-codec.ts';
import type { ModelValue } from '../../src/engine/ports.ts';
import { DAY_MS, isoDay } from '../../src/data/dates.ts';
import { fitBgNbd } from '../../src/ml/bgnbd.ts';
import { simulateCustomers } from '../../src/ml/bgnbd-simulate.ts';
import { createRng } from '../../src/ml/random.ts';
import { rowObjects, runNode, tableFeed } from '../data/node-harness.ts';

function tableOf(outputs: Record<string, unknown> | undefined, port: string): ColumnTable {
  const value = outputs?.[port];
  if (!isTable(value)) throw new Error(`no table on ${port}`);
  return value;
}

function modelOf(outputs: Record<string, unknown> | undefined): ModelValue {
  const value = outputs?.model;
  if (!value || typeof value !== 'object' || !('kind' in value) || !('metadata' in value) || !('artifacts' in value)) throw new Error('no model');
  const { kind, metadata, artifacts } = value;
  if (typeof kind !== 'string' || typeof metadata !== 'object' || metadata === null) throw new Error('bad model');
  return { kind, metadata: JSON.parse(JSON.stringify(metadata)), artifacts };
}

// About one purchase in 130 days on average: few customers buy twice on one day, which the daily summary would merge.
const truth = { r: 0.6, alpha: 80, a: 0.8, b: 2.5 };
const spend = { p: 6, q: 4, v: 15 };
const END = Date.UTC(2024, 5, 30);

/** Simulated customers as a transactions table in days, calibration ending 2024-06-30 and a 90-day holdout. */
function transactions(customers: number, seed: number): ColumnTable {
  const sim = simulateCustomers(truth, { customers, minT: 200, maxT: 1000, holdout: 90, spend, events: true }, createRng(seed));
  const ev = sim.events!;
  const birth = Array.from(sim.T, (T) => END - Math.round(T) * DAY_MS);
  return aq.table({
    customer: ev.customer.map((c) => `c${c}`),
    time: ev.customer.map((c, k) => isoDay(birth[c]! + Math.floor(ev.time[k]!) * DAY_MS)),
    price: ev.value.map((v) => Math.round(v * 50) / 100),
    quantity: ev.customer.map(() => 2),
  });
}

const txParams = { customer: 'customer', time: 'time', value: 'price', quantity: 'quantity', unit: 'day', calibrationEnd: '2024-06-30', holdoutEnd: '2024-09-28' };

describe('clv node', () => {
  const table = transactions(3000, 5);

  it('fits BG/NBD on transactions summarised per day and recovers the simulated r, α, a, b within 3 standard errors', async () => {
    const run = await runNode('clv', txParams, { table: tableFeed(table) });
    expect(run.status.state === 'done' || run.status.state === 'warning').toBe(true);
    const model = modelOf(run.outputs);
    expect(model.kind).toBe('clv');
    const bg = model.metadata.bgnbd;
    if (typeof bg !== 'object' || bg === null || Array.isArray(bg)) throw new Error('no bgnbd');
    const se = bg.se;
    if (typeof se !== 'object' || se === null || Array.isArray(se)) throw new Error('no se');
    for (const k of ['r', 'alpha', 'a', 'b'] as const) expect(Math.abs(Number(bg[k]) - truth[k])).toBeLessThanOrEqual(3 * Number(se[k]));
    expect(bg.converged).toBe(true);
    expect(model.metadata.holdout).toBe(90);
    expect(run.codes).toContain('clv.singlePurchase');
  });

  it('writes predictions as the LSTM does (id, score, label, fold), labelled by a purchase in the holdout, and Evaluate reads them', async () => {
    const run = await runNode('clv', txParams, { table: tableFeed(table) });
    const predictions = tableOf(run.outputs, 'predictions');
    expect(predictions.columnNames()).toEqual(['id', 'score', 'label', 'fold']);
    const customers = rowObjects(tableOf(run.outputs, 'customers'));
    const rows = rowObjects(predictions);
    rows.forEach((row, i) => {
      expect(row.id).toBe(customers[i]!.id);
      expect(row.score).toBe(customers[i]!.p_any_purchase);
      expect(row.label).toBe(Number(customers[i]!.holdout_frequency) > 0 ? 1 : 0);
      expect([0, 1, 2, 3, 4]).toContain(row.fold);
    });
    expect(new Set(rows.map((r) => r.fold)).size).toBe(5);
    const evaluated = await runNode('evaluate', { baseline: 'none' }, { predictions: { type: 'predictions', value: predictions } });
    expect(evaluated.codes).toEqual([]);
    const metrics = evaluated.outputs?.metrics;
    if (!metrics || typeof metrics !== 'object' || !('summary' in metrics) || typeof metrics.summary !== 'object' || metrics.summary === null) throw new Error('no metrics');
    const auc = Reflect.get(metrics.summary, 'roc_auc');
    // On BG/NBD customers the model's own P(≥ 1 purchase) ranks holdout buyers well.
    expect(auc).toBeGreaterThan(0.7);
  });

  it('predicts the holdout: in every calibration-frequency row the mean predicted purchases are within 4 standard errors of the actual mean', async () => {
    const run = await runNode('clv', txParams, { table: tableFeed(table) });
    const cal = rowObjects(tableOf(run.outputs, 'calibration'));
    expect(cal.map((r) => r.frequency)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(cal.reduce((s, r) => s + Number(r.customers), 0)).toBe(3000);
    // Holdout counts are overdispersed Poisson mixtures: variance ≈ 2 × mean is a generous bound here.
    for (const row of cal) expect(Math.abs(Number(row.predicted_holdout) - Number(row.actual_holdout))).toBeLessThanOrEqual(4 * Math.sqrt((2 * Math.max(Number(row.predicted_holdout), 0.05)) / Number(row.customers)));
  });

  it('gives the same fit from the summary table as from the transactions, and the kernel’s fit on that summary', async () => {
    const viaTx = await runNode('clv', txParams, { table: tableFeed(table) });
    const c = tableOf(viaTx.outputs, 'customers');
    const summary = c.select('id', 'frequency', 'recency', 'T', 'monetary_value');
    const viaSummary = await runNode('clv', { source: 'summary', customer: 'id', unit: 'day' }, { table: tableFeed(summary) });
    const a = modelOf(viaTx.outputs).metadata;
    const b = modelOf(viaSummary.outputs).metadata;
    expect(b.bgnbd).toEqual(a.bgnbd);
    expect(b.gammaGamma).toEqual(a.gammaGamma);
    const direct = fitBgNbd({ frequency: Float64Array.from(c.array('frequency'), Number), recency: Float64Array.from(c.array('recency'), Number), T: Float64Array.from(c.array('T'), Number) });
    const bg = b.bgnbd;
    if (typeof bg !== 'object' || bg === null || Array.isArray(bg)) throw new Error('no bgnbd');
    expect(Number(bg.r)).toBeCloseTo(direct.params.r, 8);
    expect(Number(bg.logLikelihood)).toBeCloseTo(direct.logLikelihood, 4);
  });

  it('applies a fitted model to new customers without refitting, and refuses one fitted in another period unit', async () => {
    const fitted = await runNode('clv', txParams, { table: tableFeed(table) });
    const model = modelOf(fitted.outputs);
    const fresh = transactions(400, 9);
    const applied = await runNode('clv', txParams, { table: tableFeed(fresh), model: { type: 'model', value: model } });
    expect(modelOf(applied.outputs).metadata.applied).toBe(true);
    const scores = rowObjects(tableOf(applied.outputs, 'customers'));
    expect(scores.length).toBeGreaterThan(300);
    const refit = rowObjects(tableOf((await runNode('clv', txParams, { table: tableFeed(fresh) })).outputs, 'customers'));
    // Different parameters give different scores: the applied run did not refit on the 400.
    expect(scores.some((row, i) => Math.abs(Number(row.p_alive) - Number(refit[i]!.p_alive)) > 1e-6)).toBe(true);
    const weekly = await runNode('clv', { ...txParams, unit: 'week' }, { table: tableFeed(fresh), model: { type: 'model', value: model } });
    expect(weekly.codes).toEqual(['clv.unitMismatch']);
  });

  it('computes CLV as the discounted sum of monthly expected purchases times expected spend', async () => {
    const run = await runNode('clv', { ...txParams, months: 1, discountRate: 0.1, horizon: 30 }, { table: tableFeed(table) });
    for (const row of rowObjects(tableOf(run.outputs, 'customers')).slice(0, 50)) {
      // One month of days = 30 periods (lifetimes' factor), so CLV = spend · E(30) / 1.1.
      expect(Number(row.clv)).toBeCloseTo((Number(row.expected_spend) * Number(row.expected_purchases)) / 1.1, 9);
    }
  });
});

describe('clv node messages', () => {
  const summaryRun = (rows: Record<string, unknown[]>, extra: Record<string, unknown> = {}) => runNode('clv', { source: 'summary', customer: 'id', ...extra }, { table: tableFeed(aq.table(rows)) });
  const ids = (n: number) => Array.from({ length: n }, (_, i) => `k${i}`);

  it('refuses customers who all bought once', async () => {
    const run = await summaryRun({ id: ids(30), frequency: Array(30).fill(0), recency: Array(30).fill(0), T: Array(30).fill(10), monetary_value: Array(30).fill(0) });
    expect(run.codes).toEqual(['clv.allSinglePurchase']);
    expect(run.status.issues[0]!.message).toBe('All 30 customers bought in one period only (frequency 0): without repeat purchases neither the purchase rate nor the dropout can be estimated.');
  });

  it('refuses too few customers, naming the count', async () => {
    const run = await summaryRun({ id: ids(4), frequency: [1, 0, 2, 3], recency: [2, 0, 5, 6], T: [8, 8, 8, 8], monetary_value: [1, 0, 2, 3] });
    expect(run.codes).toEqual(['clv.tooFewCustomers']);
    expect(run.status.issues[0]!.message).toBe('BG/NBD needs at least 10 customers to fit its 4 parameters; there are 4.');
  });

  it('names the customer whose summary is impossible', async () => {
    const run = await summaryRun({ id: ids(12), frequency: [2, ...Array(11).fill(1)], recency: [9, ...Array(11).fill(1)], T: Array(12).fill(8), monetary_value: Array(12).fill(5) });
    expect(run.codes).toEqual(['clv.badSummary']);
    expect(run.status.issues[0]!.message).toContain('Customer "k0" has frequency 2, recency 9 and T 8');
  });

  it('leaves zero and negative spend out of Gamma-Gamma, counts it and still scores every customer', async () => {
    const sim = simulateCustomers(truth, { customers: 600, minT: 60, maxT: 365, spend }, createRng(2));
    const monetary = Array.from(sim.monetary);
    let zeroed = 0;
    for (let i = 0; i < monetary.length && zeroed < 7; i++) if (sim.frequency[i]! > 0) {
      monetary[i] = zeroed % 2 === 0 ? 0 : -3;
      zeroed++;
    }
    const run = await summaryRun({ id: ids(600), frequency: Array.from(sim.frequency), recency: Array.from(sim.recency), T: Array.from(sim.T), monetary_value: monetary }, { unit: 'day' });
    const issue = run.status.issues.find((i) => i.code === 'clv.nonPositiveSpend');
    expect(issue?.message).toMatch(/^7 returning customers have a mean spend of 0 or less/);
    const rows = rowObjects(tableOf(run.outputs, 'customers'));
    expect(rows).toHaveLength(600);
    expect(rows.every((r) => typeof r.clv === 'number' && Number.isFinite(r.clv))).toBe(true);
  });

  it('has no labels without a holdout, and says so when the horizon differs from the holdout', async () => {
    const noHoldout = await runNode('clv', { ...txParams, calibrationEnd: '', holdoutEnd: '' }, { table: tableFeed(transactions(300, 3)) });
    const p = rowObjects(tableOf(noHoldout.outputs, 'predictions'));
    expect(p.every((r) => r.label === null && r.fold === -1)).toBe(true);
    expect(tableOf(noHoldout.outputs, 'calibration').numRows()).toBe(0);
    const other = await runNode('clv', { ...txParams, horizon: 30 }, { table: tableFeed(transactions(300, 3)) });
    expect(other.codes).toContain('clv.horizonNotHoldout');
  });
});
