import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { ColumnTable } from 'arquero';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lstmArtifacts } from '../../src/ml/lstm/artifacts.ts';
import { createNodePool } from '../../src/cli/node-pool.ts';
import { inProcessPool, type TaskPool } from '../../src/engine/parallel.ts';
import type { ModelValue, Sequences } from '../../src/engine/ports.ts';
import type { WorkerPool } from '../../src/engine/parallel.ts';
import { runNode, syntheticShop, table, type NodeRun } from './intent-harness.ts';

let sequences: Sequences;
const pools: WorkerPool[] = [];

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
  const shop = syntheticShop(120, 5);
  const run = await runNode(
    'sequence',
    { idColumn: 'customer_id', timeColumn: 'timestamp', period: 'week', steps: 10, countBy: 'event', cutoff: '2024-04-01', labelSource: 'column', labelColumn: 'label' },
    { table: table(shop.activity.filter((d: { event: string }) => d.event !== 'buy')), customers: table(shop.customers) },
  );
  const s = run.outputs?.sequences;
  if (!s || typeof s !== 'object' || !('x' in s)) throw new Error(`sequences failed: ${JSON.stringify(run.status.issues)}`);
  sequences = s as Sequences;
}, 120_000);

afterAll(() => {
  for (const p of pools) p.close();
});

const params = { units: 6, epochs: 3, batchSize: 16, learningRate: 0.02, folds: 4 };

async function trainWith(pool: TaskPool, extra: Record<string, unknown> = {}): Promise<NodeRun> {
  const run = await runNode('lstm', { ...params, ...extra }, { sequences: { type: 'sequences', value: sequences } }, { backend: 'wasm', pool });
  expect(run.status.issues).toEqual([]);
  expect(run.status.state).toBe('done');
  return run;
}

function tableOf(v: unknown): ColumnTable {
  if (!v || typeof v !== 'object' || !('columnNames' in v)) throw new Error('not a table');
  return v as ColumnTable;
}

/** Everything the node computed, timings aside: scores, folds, weights, scaler, history losses. */
function fingerprint(run: NodeRun): unknown {
  const p = tableOf(run.outputs?.predictions);
  const h = tableOf(run.outputs?.history);
  const m = run.outputs?.model as ModelValue;
  const a = lstmArtifacts(m);
  return {
    score: Array.from(p.array('score') as ArrayLike<number>),
    fold: Array.from(p.array('fold') as ArrayLike<number>),
    loss: Array.from(h.array('loss') as ArrayLike<number>),
    valLoss: Array.from(h.array('val_loss') as ArrayLike<number>),
    historyFold: Array.from(h.array('fold') as ArrayLike<number>),
    weights: a?.weights.layers.map((l) => [Array.from(l.kernel), Array.from(l.recurrentKernel), Array.from(l.bias)]),
    dense: a ? [Array.from(a.weights.dense.kernel), Array.from(a.weights.dense.bias)] : null,
    scaler: a?.scaler,
    auc: m.metadata.auc,
  };
}

describe('the lstm node on a pool of workers', () => {
  it('gives bit-identical scores, weights and history with 1 lane (this thread), 1 worker and 3 workers + this thread', async () => {
    const one = fingerprint(await trainWith(inProcessPool));
    const single = createNodePool({ workers: 1, local: false });
    const four = createNodePool({ workers: 3, local: true });
    pools.push(single, four);
    const runSingle = await trainWith(single);
    const runFour = await trainWith(four);
    expect((runFour.outputs?.model as ModelValue).metadata.lanes).toBe(4);
    expect((runSingle.outputs?.model as ModelValue).metadata.lanes).toBe(1);
    expect(fingerprint(runSingle)).toEqual(one);
    expect(fingerprint(runFour)).toEqual(one);
  }, 240_000);

  it('gives the same with early stopping and a hold-out on 2 workers', async () => {
    const extra = { validation: 'holdout', holdoutShare: 0.25, patience: 1, epochs: 4 };
    const one = fingerprint(await trainWith(inProcessPool, extra));
    const two = createNodePool({ workers: 2, local: false });
    pools.push(two);
    expect(fingerprint(await trainWith(two, extra))).toEqual(one);
  }, 240_000);

  it('stops every worker when the run is cancelled, and the pool works again afterwards', async () => {
    const pool = createNodePool({ workers: 2, local: true });
    pools.push(pool);
    const controller = new AbortController();
    let epochs = 0;
    const run = await runNode('lstm', { ...params, epochs: 200 }, { sequences: { type: 'sequences', value: sequences } }, {
      backend: 'wasm',
      pool,
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'node-event' && ++epochs === 3) controller.abort();
      },
    });
    expect(run.status.state).toBe('cancelled');
    expect(epochs).toBeLessThan(200 * 5);
    const again = await trainWith(pool);
    expect(fingerprint(again)).toEqual(fingerprint(await trainWith(inProcessPool)));
  }, 240_000);
});
