import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import { afterAll, describe, expect, it } from 'vitest';
import { createNodePool } from '../../src/cli/node-pool.ts';
import { inProcessPool, type TaskPool, type WorkerPool } from '../../src/engine/parallel.ts';
import { createRng } from '../../src/ml/random.ts';
import { tabularFitTask } from '../../src/ml/tabular-model.ts';
import { runNode, table, type NodeRun } from './intent-harness.ts';

const pools: WorkerPool[] = [];
afterAll(() => {
  for (const p of pools) p.close();
});

/** n customers: churn driven by contract and tenure, some tenure missing, a numeric charge. */
function customers(n: number): ColumnTable {
  const rng = createRng(9);
  const contract: string[] = [];
  const tenure: (number | null)[] = [];
  const charge: number[] = [];
  const churn: string[] = [];
  for (let i = 0; i < n; i++) {
    const c = ['Month-to-month', 'One year', 'Two year'][rng.int(3)]!;
    const t = Math.floor(rng.next() * 72);
    const m = 20 + rng.next() * 80;
    contract.push(c);
    tenure.push(rng.next() < 0.1 ? null : t);
    charge.push(m);
    churn.push((c === 'Month-to-month' ? 1.5 : -1) - t / 24 + m / 100 + rng.normal() * 0.8 > 0 ? 'Yes' : 'No');
  }
  return aq.table({ customerID: Array.from({ length: n }, (_, i) => `C${i}`), contract, tenure, charge, Churn: churn });
}

const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v, (_, x: unknown) => (ArrayBuffer.isView(x) ? Array.from(x as Float64Array) : x)));

/** Everything the node computed: predictions, importance and the model (its metadata and parameters). */
function fingerprint(run: NodeRun): unknown {
  expect(run.status.issues.filter((i) => i.severity === 'error')).toEqual([]);
  const outputs = run.outputs ?? {};
  const tableRows = (port: string): unknown => {
    const t = outputs[port];
    if (!t || typeof t !== 'object' || !('objects' in t) || typeof t.objects !== 'function') throw new Error(`no ${port} table`);
    return plain(t.objects());
  };
  return { predictions: tableRows('predictions'), importance: tableRows('importance'), model: plain(outputs.model) };
}

function classifyWith(pool: TaskPool, learner: string, extra: Record<string, unknown> = {}): Promise<NodeRun> {
  return runNode('classify', { label: 'Churn', learner, folds: 4, iterations: 30, ...extra }, { table: table(customers(500)) }, { pool });
}

describe('the classify node on a pool of workers', () => {
  for (const learner of ['gbdt', 'logistic']) {
    it(`gives bit-identical predictions, importance and model with ${learner} on 1 lane, 1 worker and 2 workers + this thread`, async () => {
      const one = fingerprint(await classifyWith(inProcessPool, learner));
      const single = createNodePool({ workers: 1, local: false });
      const three = createNodePool({ workers: 2, local: true });
      pools.push(single, three);
      expect(fingerprint(await classifyWith(single, learner))).toEqual(one);
      // The first run loads the workers (this thread may fit every fold meanwhile); the second finds them ready.
      expect(fingerprint(await classifyWith(three, learner))).toEqual(one);
      expect(fingerprint(await classifyWith(three, learner))).toEqual(one);
    }, 240_000);
  }

  it('brings a learner’s refusal back from a lane as a tagged output with its message', async () => {
    const inputs = [{ name: 'x', values: [1, 2, 3, 4] }];
    const options = { learner: 'logistic' as const, folds: 2, seed: 1, C: 1, finalModel: true, encoder: { maxLevels: 20 }, gbdt: { maxIter: 1 } };
    const out = await tabularFitTask.run({ inputs, labels: Float64Array.from([0, 1, 0, 1]), rows: [], options, seed: 1 }, () => undefined, new AbortController().signal);
    expect(out.ok).toBe(false);
    expect(tabularFitTask.isOutput(out)).toBe(true);
  });

  it('stops every worker when the run is cancelled, and the pool works again afterwards', async () => {
    const pool = createNodePool({ workers: 2, local: true });
    pools.push(pool);
    const controller = new AbortController();
    let steps = 0;
    const run = await runNode('classify', { label: 'Churn', learner: 'gbdt', folds: 4, iterations: 400, earlyStopping: 'off' }, { table: table(customers(3000)) }, {
      pool,
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'progress' && ++steps === 3) controller.abort();
      },
    });
    expect(run.status.state).toBe('cancelled');
    // Both workers were busy (fitting, or loading) when the cancel came: both were terminated.
    expect(pool.workersStarted).toBe(0);
    expect(fingerprint(await classifyWith(pool, 'gbdt'))).toEqual(fingerprint(await classifyWith(inProcessPool, 'gbdt')));
  }, 240_000);
});
