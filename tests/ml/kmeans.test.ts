import { describe, expect, it } from 'vitest';
import fixture from '../fixtures/sklearn/cluster.json';
import { assignClusters, kmeans, kmeansPlusPlus } from '../../src/ml/kmeans.ts';
import { adjustedRandIndex } from '../../src/ml/cluster-metrics.ts';
import { KernelInputError, fromRows, type Matrix } from '../../src/ml/matrix.ts';
import { createRng, deriveSeed } from '../../src/ml/random.ts';

/** k well-separated Gaussian blobs (centres 20 apart, sd 1) with their planted labels. */
function blobs(k: number, perBlob: number, d: number, seed: number): { x: Matrix; truth: Int32Array } {
  const rng = createRng(seed);
  const centres = Array.from({ length: k }, () => Array.from({ length: d }, () => (rng.next() - 0.5) * 200));
  // Push centres apart deterministically so no two are closer than 20 in the first coordinate.
  centres.forEach((c, i) => (c[0] = i * 20));
  const n = k * perBlob;
  const values = new Float64Array(n * d);
  const truth = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % k;
    truth[i] = c;
    for (let j = 0; j < d; j++) values[i * d + j] = centres[c]![j]! + rng.normal();
  }
  return { x: { values, n, d }, truth };
}

describe('kmeans', () => {
  it('recovers 5 well-separated seeded blobs exactly (ARI = 1)', () => {
    const { x, truth } = blobs(5, 200, 4, 1);
    const model = kmeans(x, { k: 5, seed: 42 });
    expect(adjustedRandIndex(truth, model.labels)).toBe(1);
    expect(Array.from(model.sizes)).toEqual([200, 200, 200, 200, 200]);
    expect(model.converged).toBe(true);
    expect(model.reducedK).toBe(false);
  });

  it('gives identical results for the same seed and can differ for another', () => {
    const data: Matrix = { values: Float64Array.from(fixture.X), n: fixture.n, d: fixture.d };
    const a = kmeans(data, { k: 6, seed: 7, restarts: 1 });
    const b = kmeans(data, { k: 6, seed: 7, restarts: 1 });
    expect(Array.from(b.labels)).toEqual(Array.from(a.labels));
    expect(Array.from(b.centroids)).toEqual(Array.from(a.centroids));
    expect(b.inertia).toBe(a.inertia);
    const others = [8, 9, 10, 11, 12].map((seed) => kmeans(data, { k: 6, seed, restarts: 1 }).inertia);
    expect(others.some((v) => v !== a.inertia)).toBe(true);
  });

  it('reaches the inertia sklearn finds on the 3-blob fixture (within 1e-6 relative)', () => {
    const data: Matrix = { values: Float64Array.from(fixture.X), n: fixture.n, d: fixture.d };
    const model = kmeans(data, { k: 3, seed: 0, restarts: 10 });
    expect(Math.abs(model.inertia - fixture.kmeansInertia) / fixture.kmeansInertia).toBeLessThan(1e-6);
  });

  it('reports inertia as the sum of squared distances to the returned centroids', () => {
    const { x } = blobs(3, 50, 2, 3);
    const model = kmeans(x, { k: 3, seed: 1 });
    const { labels, distances } = assignClusters(model, x);
    expect(Array.from(labels)).toEqual(Array.from(model.labels));
    expect(distances.reduce((a, b) => a + b, 0)).toBeCloseTo(model.inertia, 9);
  });

  it('assigns new customers to the nearest centroid', () => {
    const model = kmeans(fromRows([[0, 0], [0, 1], [10, 10], [10, 11]]), { k: 2, seed: 3 });
    const near0 = model.labels[0]!;
    const near10 = model.labels[2]!;
    expect(near0).not.toBe(near10);
    const { labels, distances } = assignClusters(model, fromRows([[1, 0], [9, 12]]));
    expect(Array.from(labels)).toEqual([near0, near10]);
    // Centroids are (0, 0.5) and (10, 10.5): squared distances 1.25 and 3.25.
    expect(distances[0]).toBeCloseTo(1.25, 12);
    expect(distances[1]).toBeCloseTo(3.25, 12);
  });

  it('returns fewer clusters and a flag when k exceeds the number of rows', () => {
    const model = kmeans(fromRows([[1, 2], [3, 4], [5, 6]]), { k: 5, seed: 1 });
    expect(model.k).toBe(3);
    expect(model.requestedK).toBe(5);
    expect(model.reducedK).toBe(true);
    expect(model.inertia).toBe(0);
    expect(Array.from(model.sizes)).toEqual([1, 1, 1]);
  });

  it('returns one cluster, never NaN, when all rows are identical', () => {
    const model = kmeans(fromRows([[2, 2], [2, 2], [2, 2], [2, 2]]), { k: 3, seed: 5 });
    expect(model.k).toBe(1);
    expect(model.reducedK).toBe(true);
    expect(Array.from(model.centroids)).toEqual([2, 2]);
    expect(Array.from(model.labels)).toEqual([0, 0, 0, 0]);
    expect(model.inertia).toBe(0);
  });

  it('counts distinct points, not rows, when duplicates limit k', () => {
    const model = kmeans(fromRows([[0], [0], [0], [5], [5], [9]]), { k: 4, seed: 2 });
    expect(model.k).toBe(3);
    expect(Array.from(model.sizes).sort()).toEqual([1, 2, 3]);
  });

  it('handles a single row', () => {
    const model = kmeans(fromRows([[1, 2, 3]]), { k: 2, seed: 0 });
    expect(model.k).toBe(1);
    expect(Array.from(model.centroids)).toEqual([1, 2, 3]);
  });

  it('rejects NaN input naming the row and column, and empty input', () => {
    expect(() => kmeans(fromRows([[1, 2], [Number.NaN, 1]]), { k: 2, seed: 0 })).toThrowError(
      new KernelInputError('not-finite', 'k-means input has NaN at row 1, column 0; remove or impute it first.', 1, 0),
    );
    expect(() => kmeans({ values: new Float64Array(0), n: 0, d: 2 }, { k: 2, seed: 0 })).toThrowError('k-means got no rows.');
    expect(() => kmeans(fromRows([[1]]), { k: 0, seed: 0 })).toThrowError('k must be an integer ≥ 1; got 0.');
  });

  it('stops at the iteration cap and still returns labels that match its centroids', () => {
    const { x } = blobs(8, 100, 3, 9);
    const model = kmeans(x, { k: 8, seed: 4, maxIter: 1, restarts: 1 });
    expect(model.iterations).toBe(1);
    const { labels } = assignClusters(model, x);
    expect(Array.from(labels)).toEqual(Array.from(model.labels));
  });

  it('takes exactly the steps of plain Lloyd from the same seeding (Hamerly bounds only skip work)', () => {
    // Uniform data without cluster structure: many points change cluster for many iterations.
    const rng = createRng(77);
    const n = 2000;
    const d = 3;
    const values = Float64Array.from({ length: n * d }, () => rng.next());
    const k = 7;
    const init = kmeansPlusPlus(values, n, d, k, createRng(deriveSeed(5, 'kmeans-restart-0')));
    // Plain Lloyd, written out: E-step over all centres, M-step, repeat until no label changes.
    const c = Float64Array.from(init);
    let labels = new Int32Array(n).fill(-1);
    let steps = 0;
    for (;;) {
      const next = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        let best = 0;
        let bestD = Infinity;
        for (let q = 0; q < k; q++) {
          let s = 0;
          for (let j = 0; j < d; j++) s += (values[i * d + j]! - c[q * d + j]!) ** 2;
          if (s < bestD) {
            bestD = s;
            best = q;
          }
        }
        next[i] = best;
      }
      steps++;
      if (next.every((v, i) => v === labels[i])) break;
      labels = next;
      const sums = new Float64Array(k * d);
      const counts = new Int32Array(k);
      for (let i = 0; i < n; i++) {
        counts[labels[i]!]!++;
        for (let j = 0; j < d; j++) sums[labels[i]! * d + j]! += values[i * d + j]!;
      }
      for (let q = 0; q < k; q++) for (let j = 0; j < d; j++) c[q * d + j] = sums[q * d + j]! / counts[q]!;
    }
    const model = kmeans({ values, n, d }, { k, seed: 5, restarts: 1, tol: 0 });
    expect(steps).toBeGreaterThan(10);
    expect(model.iterations).toBe(steps);
    expect(Array.from(model.labels)).toEqual(Array.from(labels));
    for (let q = 0; q < k * d; q++) expect(model.centroids[q]).toBeCloseTo(c[q]!, 12);
  });

  it('seeds exactly as a plain greedy k-means++ written out (same draws, same centres)', () => {
    const rng = createRng(5);
    const n = 3000;
    const d = 4;
    const values = Float64Array.from({ length: n * d }, () => rng.normal() * (1 + rng.int(3)));
    const plain = (k: number, r: ReturnType<typeof createRng>): number[] => {
      const dist = (a: number, b: number): number => {
        let s = 0;
        for (let j = 0; j < d; j++) s += (values[a * d + j]! - values[b * d + j]!) ** 2;
        return s;
      };
      const chosen = [r.int(n)];
      let closest = Array.from({ length: n }, (_, i) => dist(i, chosen[0]!));
      while (chosen.length < k) {
        const cumulative: number[] = [];
        let acc = 0;
        for (const v of closest) cumulative.push((acc += v));
        let best = -1;
        let bestPot = Infinity;
        let bestClosest = closest;
        for (let t = 0; t < 2 + Math.floor(Math.log(k)); t++) {
          const target = r.next() * acc;
          let id = cumulative.findIndex((c) => c > target);
          if (id < 0) id = n - 1;
          while (id < n - 1 && closest[id] === 0) id++;
          const next = closest.map((v, i) => Math.min(v, dist(i, id)));
          const pot = next.reduce((a, b) => a + b, 0);
          if (pot < bestPot) {
            bestPot = pot;
            best = id;
            bestClosest = next;
          }
        }
        chosen.push(best);
        closest = bestClosest;
      }
      return chosen.flatMap((row) => Array.from(values.subarray(row * d, row * d + d)));
    };
    for (const k of [2, 5, 9]) {
      const ours = kmeansPlusPlus(values, n, d, k, createRng(100 + k));
      expect(Array.from(ours)).toEqual(plain(k, createRng(100 + k)));
    }
  });
});
