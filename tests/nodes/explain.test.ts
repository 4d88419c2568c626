import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { ColumnTable } from 'arquero';
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
    // Global importance: one row per feature and per period, with spread.
    expect(e.importance.numRows()).toBe(D + T);
    expect(column(e.importance, 'kind').filter((k) => k === 'period').length).toBe(T);
  }, 240_000);

  it('refuses a model that is not an LSTM, naming its kind', async () => {
    const run = await runNode('explain', {}, { sequences: { type: 'sequences', value: sequences }, model: { type: 'model', value: { kind: 'gbdt', metadata: {}, artifacts: {} } } }, { backend: 'wasm' });
    expect(run.status.state).toBe('error');
    expect(run.status.issues[0]?.code).toBe('explain.notLstm');
    expect(run.status.issues[0]?.message).toContain('"gbdt"');
  });
});
