import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodePool } from '../../src/cli/node-pool.ts';
import { inProcessPool, type TaskPool, type WorkerPool } from '../../src/engine/parallel.ts';
import type { ExplanationsValue, ModelValue, Sequences } from '../../src/engine/ports.ts';
import { runNode, syntheticShop, table } from './intent-harness.ts';

let sequences: Sequences;
let model: ModelValue;
const pools: WorkerPool[] = [];

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
  const shop = syntheticShop(260, 5);
  const seq = await runNode(
    'sequence',
    { idColumn: 'customer_id', timeColumn: 'timestamp', period: 'week', steps: 10, countBy: 'event', cutoff: '2024-04-01', labelSource: 'column', labelColumn: 'label' },
    { table: table(shop.activity.filter((d: { event: string }) => d.event !== 'buy')), customers: table(shop.customers) },
  );
  sequences = seq.outputs?.sequences as Sequences;
  const lstm = await runNode('lstm', { units: 6, epochs: 3, batchSize: 32, learningRate: 0.02, folds: 3 }, { sequences: { type: 'sequences', value: sequences } }, { backend: 'wasm' });
  model = lstm.outputs?.model as ModelValue;
}, 240_000);

afterAll(() => {
  for (const p of pools) p.close();
});

async function explainWith(pool: TaskPool): Promise<ExplanationsValue> {
  const run = await runNode('explain', { steps: 8, repeats: 1 }, { sequences: { type: 'sequences', value: sequences }, model: { type: 'model', value: model } }, { backend: 'wasm', pool });
  expect(['done', 'warning']).toContain(run.status.state);
  return run.outputs?.explanations as ExplanationsValue;
}

describe('the explain node on a pool of workers', () => {
  it('gives bit-identical attributions and scores with 1 lane, 2 workers and 2 workers + this thread', async () => {
    const one = await explainWith(inProcessPool);
    const two = createNodePool({ workers: 2, local: false });
    const three = createNodePool({ workers: 2, local: true });
    pools.push(two, three);
    for (const pool of [two, three]) {
      const e = await explainWith(pool);
      expect(Array.from(e.cells.values)).toEqual(Array.from(one.cells.values));
      expect(Array.from(e.customers.array('score') as ArrayLike<number>)).toEqual(Array.from(one.customers.array('score') as ArrayLike<number>));
      expect(e.detail.baselineScore).toBe(one.detail.baselineScore);
    }
  }, 240_000);
});
