import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import { afterAll, describe, expect, it } from 'vitest';
import { createNodePool } from '../../src/cli/node-pool.ts';
import { inProcessPool, type TaskPool, type WorkerPool } from '../../src/engine/parallel.ts';
import { kmeans, kmeansFromRestarts, kmeansRestart } from '../../src/ml/kmeans.ts';
import { createRng } from '../../src/ml/random.ts';
import { runNode, table, type NodeRun } from './intent-harness.ts';

const pools: WorkerPool[] = [];
afterAll(() => {
  for (const p of pools) p.close();
});

/** n customers from five seeded, overlapping groups over four value columns. */
function customers(n: number): ColumnTable {
  const rng = createRng(11);
  const cols: Record<string, (string | number)[]> = { customer_id: [], recency_days: [], frequency: [], monetary: [], tenure_days: [] };
  for (let i = 0; i < n; i++) {
    const g = i % 5;
    cols.customer_id!.push(`C${i}`);
    cols.recency_days!.push(Math.abs((10 + 40 * g) * (1 + 0.4 * rng.normal())));
    cols.frequency!.push(Math.max(1, Math.round((2 + 3 * g) * (1 + 0.4 * rng.normal()))));
    cols.monetary!.push(Math.abs((100 + 300 * ((g * 3) % 5)) * (1 + 0.5 * rng.normal())));
    cols.tenure_days!.push(Math.abs((50 + 200 * ((g * 2) % 5)) * (1 + 0.3 * rng.normal())));
  }
  return aq.table(cols);
}

function tableOf(v: unknown): ColumnTable {
  if (!v || typeof v !== 'object' || !('columnNames' in v)) throw new Error('not a table');
  return v as ColumnTable;
}

/** Everything the node computed: assignments, the projection, the profile and the fit's facts. */
function fingerprint(run: NodeRun): unknown {
  expect(run.status.issues.filter((i) => i.severity === 'error')).toEqual([]);
  const assignments = tableOf(run.outputs?.table);
  const segments = run.outputs?.segments;
  return { assignments: assignments.objects(), segments: JSON.parse(JSON.stringify(segments, (_, v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v))) };
}

async function segmentWith(pool: TaskPool, params: Record<string, unknown>, n = 600): Promise<NodeRun> {
  return runNode('segment', { idColumn: 'customer_id', ...params }, { table: table(customers(n)) }, { pool });
}

describe('the segment node on a pool of workers', () => {
  it('runs each restart alone bit-identical to kmeans running them together', () => {
    const rng = createRng(5);
    const x = { values: Float64Array.from({ length: 900 }, () => rng.normal()), n: 300, d: 3 };
    const options = { k: 5, seed: 77, restarts: 4, maxIter: 100 };
    const runs = [0, 1, 2, 3].map((r) => kmeansRestart(x, options, r));
    expect(kmeansFromRestarts(x, options, runs)).toEqual(kmeans(x, options));
    expect(runs.map((r) => r.inertia)).toEqual(kmeans(x, options).restartInertias);
    expect(() => kmeansRestart(x, options, 4)).toThrow('restart must be an integer in 0..3; got 4.');
  });

  it('gives bit-identical segments, profile and curve over k with 1 lane, 1 worker and 2 workers + this thread (silhouette scan)', async () => {
    const params = { chooseK: 'silhouette', kMin: 2, kMax: 7, restarts: 3 };
    const one = fingerprint(await segmentWith(inProcessPool, params));
    const single = createNodePool({ workers: 1, local: false });
    const three = createNodePool({ workers: 2, local: true });
    pools.push(single, three);
    expect(fingerprint(await segmentWith(single, params))).toEqual(one);
    // The first run loads the workers (the calling thread may do every task meanwhile); the second finds them ready.
    expect(fingerprint(await segmentWith(three, params))).toEqual(one);
    expect(fingerprint(await segmentWith(three, params))).toEqual(one);
    expect(three.workersStarted).toBe(2);
  }, 240_000);

  it('gives the same with k fixed (restarts split across lanes)', async () => {
    const params = { chooseK: 'fixed', k: 6, restarts: 5 };
    const one = fingerprint(await segmentWith(inProcessPool, params));
    const three = createNodePool({ workers: 2, local: true });
    pools.push(three);
    expect(fingerprint(await segmentWith(three, params))).toEqual(one);
    expect(fingerprint(await segmentWith(three, params))).toEqual(one);
  }, 240_000);

  it('stops every worker when the run is cancelled, and the pool works again afterwards', async () => {
    const pool = createNodePool({ workers: 2, local: true });
    pools.push(pool);
    pool.warm();
    const controller = new AbortController();
    const params = { chooseK: 'silhouette', kMin: 2, kMax: 20, restarts: 6, silhouetteSample: 4000 };
    let fitted = 0;
    const run = await runNode('segment', { idColumn: 'customer_id', ...params }, { table: table(customers(4000)) }, {
      pool,
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'progress' && e.detail.includes('fitted') && ++fitted === 1) controller.abort();
      },
    });
    expect(run.status.state).toBe('cancelled');
    expect(fitted).toBeLessThan(19);
    // Both workers were busy with a k when the cancel came: both were terminated.
    expect(pool.workersStarted).toBe(0);
    const small = { chooseK: 'silhouette', kMin: 2, kMax: 4, restarts: 2 };
    expect(fingerprint(await segmentWith(pool, small))).toEqual(fingerprint(await segmentWith(inProcessPool, small)));
  }, 240_000);
});
