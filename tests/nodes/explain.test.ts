import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import { createRng } from '../../src/ml/random.ts';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ExplanationsValue, ModelValue, Sequences } from '../../src/engine/ports.ts';
import { runNode, syntheticShop, table } from './intent-harness.ts';

let sequences: Sequences;
let model: ModelValue;

function explanationsOf(outputs: Record<string, unknown> | undefined): ExplanationsValue {
  const e = outputs?.explanations;
  if (!e || typeof e !== 'object' || !('cells' in e)) throw new Error('no explanations');
  return e as ExplanationsValue;
}

const column = (t: ColumnTable, name: string): unknown[] => Array.from(t.array(name));

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
  // Rising customers' activity jumps in the last 4 of 12 weeks and they buy with p = 0.85.
  const shop = syntheticShop(200, 5);
  const seq = await runNode(
    'sequence',
    { idColumn: 'customer_id', timeColumn: 'timestamp', period: 'week', steps: 12, countBy: 'event', cutoff: '2024-04-01', labelSource: 'column', labelColumn: 'label' },
    { table: table(shop.activity.filter((d: { event: string }) => d.event !== 'buy')), customers: table(shop.customers) },
  );
  sequences = seq.outputs?.sequences as Sequences;
  const lstm = await runNode('lstm', { units: 8, epochs: 10, batchSize: 32, learningRate: 0.02, folds: 2 }, { sequences: { type: 'sequences', value: sequences } }, { backend: 'wasm' });
  model = lstm.outputs?.model as ModelValue;
}, 240_000);

describe('explain node', () => {
  it('explains every customer, closes the completeness gap, and puts a planted recent jump on the last weeks', async () => {
    const run = await runNode('explain', { steps: 32, repeats: 2 }, { sequences: { type: 'sequences', value: sequences }, model: { type: 'model', value: model } }, { backend: 'wasm' });
    expect(run.status.state).toBe('done');
    const e = explanationsOf(run.outputs);
    expect(e.customers.numRows()).toBe(sequences.n);
    expect(column(e.customers, 'id')).toEqual(sequences.ids);
    expect(e.detail.worstCompletenessGap).toBeLessThan(0.01);
    const { steps: T, features: D, values } = e.cells;
    expect(values.length).toBe(sequences.n * T * D);
    // The highest-scored customers: most of their attribution lies in the last 4 weeks.
    const scores = column(e.customers, 'score').map(Number);
    const top = scores.map((s, i) => [s, i] as const).sort((a, b) => b[0] - a[0]).slice(0, 20).map(([, i]) => i);
    let recent = 0;
    let earlier = 0;
    for (const i of top) for (let t = 0; t < T; t++) for (let d = 0; d < D; d++) (t >= T - 4 ? (recent += Math.abs(values[(i * T + t) * D + d] ?? 0)) : (earlier += Math.abs(values[(i * T + t) * D + d] ?? 0)));
    expect(recent).toBeGreaterThan(earlier);
    // Three reasons each, in both languages, naming a feature and the window.
    const first = String(column(e.customers, 'reason_1')[top[0] ?? 0]);
    expect(first).toMatch(/in the last 4 weeks|before the last 4 weeks/);
    expect(first).toMatch(/raises|lowers/);
    expect(String(column(e.customers, 'reason_1_zh')[top[0] ?? 0])).toMatch(/最近 4 周/);
    expect(e.reasons.numRows()).toBe(3 * sequences.n);
    // Global importance: one row per feature and per period, with spread, measured out of fold.
    expect(e.importance.numRows()).toBe(D + T);
    expect(column(e.importance, 'kind').filter((k) => k === 'period').length).toBe(T);
    expect(String(e.detail.importance)).toMatch(/^permutation on \d+ labelled customers, each scored by the fold model that held it out \(out of fold\)$/);
    expect(Number(e.detail.baseAuc)).toBeCloseTo(Number(model.metadata.auc), 5);
  }, 240_000);

  it('computes again, at doubled points, the customers whose attributions miss completeness at the steps asked for', async () => {
    const run = await runNode('explain', { steps: 2, repeats: 0 }, { sequences: { type: 'sequences', value: sequences }, model: { type: 'model', value: model } }, { backend: 'wasm' });
    expect(run.status.state).toBe('done');
    const e = explanationsOf(run.outputs);
    expect(e.detail.worstCompletenessGap).toBeLessThan(0.01);
    expect(Number(e.detail.customersRefined)).toBeGreaterThan(0);
    expect(Number(e.detail.mostPoints)).toBeGreaterThan(2);
    expect(Number(e.detail.mostPoints)).toBeLessThanOrEqual(256);
  }, 240_000);

  it('explains unlabelled sequences (customers scored now) and takes global importance from the labelled ones, out of fold', async () => {
    const now: Sequences = { ...sequences, labels: new Float32Array(sequences.n).fill(Number.NaN) };
    const alone = await runNode('explain', { steps: 16, repeats: 1 }, { sequences: { type: 'sequences', value: now }, model: { type: 'model', value: model } }, { backend: 'wasm' });
    expect(alone.status.state).toBe('warning');
    expect(alone.status.issues.map((i) => i.code)).toEqual(['explain.noImportance']);
    const run = await runNode('explain', { steps: 16, repeats: 1 }, { sequences: { type: 'sequences', value: now }, model: { type: 'model', value: model }, labelled: { type: 'sequences', value: sequences } }, { backend: 'wasm' });
    expect(run.status.state).toBe('done');
    const e = explanationsOf(run.outputs);
    expect(e.customers.numRows()).toBe(sequences.n);
    expect(e.importance.numRows()).toBe(sequences.features + sequences.steps);
    expect(String(e.detail.importance)).toMatch(/out of fold/);
    expect(Number(e.detail.baseAuc)).toBeCloseTo(Number(model.metadata.auc), 5);
  }, 240_000);

  it('measures importance in-sample, and says so, on labelled customers the LSTM did not cross-validate', async () => {
    const strangers: Sequences = { ...sequences, ids: sequences.ids.map((id) => `new-${id}`) };
    const run = await runNode('explain', { steps: 8, repeats: 1 }, { sequences: { type: 'sequences', value: strangers }, model: { type: 'model', value: model } }, { backend: 'wasm' });
    expect(String(explanationsOf(run.outputs).detail.importance)).toMatch(/in-sample$/);
  }, 240_000);

  it('refuses a model that is not an LSTM, naming its kind', async () => {
    const run = await runNode('explain', {}, { sequences: { type: 'sequences', value: sequences }, model: { type: 'model', value: { kind: 'gbdt', metadata: {}, artifacts: {} } } }, { backend: 'wasm' });
    expect(run.status.state).toBe('error');
    expect(run.status.issues[0]?.code).toBe('explain.unsupportedModel');
    expect(run.status.issues[0]?.message).toContain('"gbdt"');
  });
});

describe('explain node on a classify model', () => {
  /** Churn planted on contract and tenure; noise is pure noise. */
  function churnTable(n = 400): ColumnTable {
    const rng = createRng(8);
    const contract: string[] = [];
    const tenure: number[] = [];
    const noise: number[] = [];
    const churn: string[] = [];
    for (let i = 0; i < n; i++) {
      const c = ['Month-to-month', 'One year', 'Two year'][rng.int(3)] ?? 'One year';
      const t = Math.floor(rng.next() * 72);
      contract.push(c);
      tenure.push(t);
      noise.push(rng.normal());
      churn.push((c === 'Month-to-month' ? 1.5 : -1) - t / 24 + rng.normal() * 0.8 > 0 ? 'Yes' : 'No');
    }
    return aq.table({ customerID: Array.from({ length: n }, (_, i) => `C${1000 + i}`), contract, tenure, noise, Churn: churn });
  }

  it.each(['gbdt', 'logistic'])('explains %s per column in log-odds, rows adding up exactly, planted drivers first', async (learner) => {
    const customers = churnTable();
    const fit = await runNode('classify', { label: 'Churn', learner, folds: 4 }, { table: { type: 'table', value: customers } });
    const run = await runNode('explain', { repeats: 3 }, { table: { type: 'table', value: customers }, model: { type: 'model', value: fit.outputs?.model } });
    expect(run.status.state).toBe('done');
    const e = explanationsOf(run.outputs);
    expect(e.detail.unit).toBe('log-odds');
    expect(e.detail.worstCompletenessGap).toBeLessThan(1e-9);
    expect(column(e.customers, 'id').slice(0, 2)).toEqual(['C1000', 'C1001']);
    expect(e.cells.featureNames).toEqual(['contract', 'tenure', 'noise']);
    const ranked = column(e.importance, 'name').map(String);
    const drops = column(e.importance, 'drop').map(Number);
    const order = ranked.map((name, i) => [name, drops[i] ?? 0] as const).sort((a, b) => b[1] - a[1]).map(([name]) => name);
    expect(order.slice(0, 2).sort()).toEqual(['contract', 'tenure']);
    // Measured out of fold: every labelled customer scored by the fold model that held it out.
    expect(String(e.detail.importance)).toBe('permutation on 400 labelled customers, each scored by the fold model that held it out (out of fold)');
    expect(e.detail.baseAuc).toBeCloseTo(Number(fit.outputs?.model && (fit.outputs.model as ModelValue).metadata.auc), 12);
    // A month-to-month customer's first reason names the contract or the tenure, with the value they have.
    const i = column(customers, 'contract').findIndex((c) => c === 'Month-to-month');
    expect(String(column(e.customers, 'reason_1')[i])).toMatch(/^(contract = Month-to-month|tenure = \d+) \((raises|lowers) the score by \d+\.\d\d log-odds\)$/);
    expect(String(column(e.customers, 'reason_1_zh')[i])).toMatch(/对数几率/);
  });

  it('falls back to in-sample importance, and says so, when the table’s customers are not the ones cross-validated', async () => {
    const customers = churnTable(200);
    const fit = await runNode('classify', { label: 'Churn', learner: 'logistic', folds: 3 }, { table: { type: 'table', value: customers } });
    const renamed = customers.derive({ customerID: aq.escape((d: { customerID: string }) => `X${d.customerID}`) });
    const run = await runNode('explain', { repeats: 1 }, { table: { type: 'table', value: renamed }, model: { type: 'model', value: fit.outputs?.model } });
    expect(run.status.state).toBe('done');
    expect(String(explanationsOf(run.outputs).detail.importance)).toMatch(/in-sample$/);
  });

  it('asks for the table a classify model scores when it is not connected', async () => {
    const customers = churnTable(60);
    const fit = await runNode('classify', { label: 'Churn', learner: 'logistic', folds: 3 }, { table: { type: 'table', value: customers } });
    const run = await runNode('explain', {}, { model: { type: 'model', value: fit.outputs?.model } });
    expect(run.status.issues[0]?.code).toBe('explain.needTable');
  });
});
