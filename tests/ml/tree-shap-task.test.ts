import { afterAll, describe, expect, it } from 'vitest';
import { createNodePool } from '../../src/cli/node-pool.ts';
import type { WorkerPool } from '../../src/engine/parallel.ts';
import { createRng } from '../../src/ml/random.ts';
import { ensembleShap, type ShapTree } from '../../src/ml/tree-shap.ts';
import { pooledEnsembleShap } from '../../src/ml/tree-shap-task.ts';

/** A best-first random tree with covers that split like data. */
function tree(seed: number, features: number, leaves: number): ShapTree {
  const rng = createRng(seed);
  const t = { feature: [-1], threshold: [0], missingLeft: [0], left: [-1], right: [-1], value: [rng.normal()], cover: [1000] };
  const open = [0];
  while (open.length < leaves) {
    const at = open.splice(rng.int(open.length), 1)[0] ?? 0;
    const share = 0.2 + 0.6 * rng.next();
    for (const c of [(t.cover[at] ?? 0) * share, (t.cover[at] ?? 0) * (1 - share)]) {
      t.feature.push(-1); t.threshold.push(0); t.missingLeft.push(0); t.left.push(-1); t.right.push(-1); t.value.push(rng.normal()); t.cover.push(c);
      open.push(t.feature.length - 1);
    }
    t.feature[at] = rng.int(features);
    t.threshold[at] = [-1, 0, 1][rng.int(3)] ?? 0;
    t.missingLeft[at] = rng.int(2);
    t.left[at] = t.feature.length - 2;
    t.right[at] = t.feature.length - 1;
  }
  return t;
}

const pools: WorkerPool[] = [];
afterAll(() => {
  for (const p of pools) p.close();
});

describe('TreeSHAP on a pool of workers', () => {
  it('gives the same bytes as one pass over every row, with 2 workers and with 2 workers + this thread', async () => {
    const features = 6;
    const trees = Array.from({ length: 40 }, (_, k) => tree(k + 1, features, 12));
    const rng = createRng(99);
    const n = 1500;
    const x = Float64Array.from({ length: n * features }, () => (rng.next() < 0.05 ? NaN : [-1.5, -0.5, 0.5, 1.5][rng.int(4)] ?? 0));
    const one = ensembleShap(trees, x, n, features);
    for (const pool of [createNodePool({ workers: 2, local: false }), createNodePool({ workers: 2, local: true })]) {
      pools.push(pool);
      const pooled = await pooledEnsembleShap(trees, x, n, features, pool);
      expect(Array.from(pooled.values)).toEqual(Array.from(one.values));
      expect(pooled.expected).toBe(one.expected);
    }
  }, 120_000);
});
