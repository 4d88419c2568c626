import { describe, expect, it } from 'vitest';
import { createWorkspace, kmeansKernelBytes, laneSqDist, type KMeansWorkspace } from '../../src/ml/kmeans-kernels.ts';
import { kmeans } from '../../src/ml/kmeans.ts';
import { adjustedRandIndex } from '../../src/ml/cluster-metrics.ts';
import { createRng } from '../../src/ml/random.ts';

/** Rows drawn around a few centres, with some exact duplicates so ties and zero distances occur. */
function data(n: number, d: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const centres = Array.from({ length: 4 }, () => Array.from({ length: d }, () => (rng.next() - 0.5) * 10));
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    if (i > 0 && i % 17 === 0) {
      out.copyWithin(i * d, (i - 1) * d, i * d);
      continue;
    }
    const c = centres[rng.int(4)]!;
    for (let j = 0; j < d; j++) out[i * d + j] = c[j]! + rng.normal() * 2;
  }
  return out;
}

/** The same sequence of kernel calls on a workspace; returns every buffer and result it produced. */
function exercise(ws: KMeansWorkspace, k: number, seed: number): unknown[] {
  const rng = createRng(seed);
  const { n, dp } = ws;
  for (let c = 0; c < k; c++) {
    const row = rng.int(n);
    ws.centres.set(ws.x.subarray(row * dp, row * dp + dp), c * dp);
  }
  const results: unknown[] = [];
  results.push(ws.nearestAll(k), Array.from(ws.labels), Array.from(ws.upper), Array.from(ws.lower));
  ws.seed[0].fill(Number.POSITIVE_INFINITY);
  results.push(ws.potential(3 % n, 0, 0), ws.potential(5 % n, 0, 1), Array.from(ws.seed[0]), Array.from(ws.seed[1]));
  ws.sums.fill(0);
  ws.counts.fill(0);
  ws.accumulate();
  results.push(Array.from(ws.sums), Array.from(ws.counts));
  // Move the centres a little, then a Hamerly step with the bounds it implies.
  let maxMove = 0;
  let secondMove = 0;
  let maxMover = -1;
  for (let c = 0; c < k; c++) {
    let shift = 0;
    for (let j = 0; j < ws.d; j++) {
      const t = (rng.next() - 0.5) * 0.8;
      ws.centres[c * dp + j]! += t;
      shift += t * t;
    }
    const m = Math.sqrt(shift);
    ws.moved[c] = m;
    if (m > maxMove) {
      secondMove = maxMove;
      maxMove = m;
      maxMover = c;
    } else if (m > secondMove) secondMove = m;
  }
  for (let c = 0; c < k; c++) {
    let nearest = Number.POSITIVE_INFINITY;
    for (let c2 = 0; c2 < k; c2++) if (c2 !== c) nearest = Math.min(nearest, laneSqDist(ws.centres, c * dp, ws.centres, c2 * dp, dp));
    ws.halfGap[c] = Math.sqrt(nearest) / 2;
  }
  results.push(ws.hamerly(k, maxMover, maxMove, secondMove), Array.from(ws.labels), Array.from(ws.upper), Array.from(ws.lower));
  results.push(ws.inertia());
  return results;
}

describe('k-means kernels', () => {
  it('compile to WebAssembly here (Node has SIMD), so the fast path is the one tested', () => {
    expect(WebAssembly.validate(kmeansKernelBytes(8))).toBe(true);
    expect(createWorkspace(new Float64Array(16), 2, 8, 2).native).toBe(true);
    expect(() => kmeansKernelBytes(3)).toThrow(/even column count/);
  });

  it.each([
    [500, 8, 8],
    [501, 5, 3], // odd d: a zero pad column
    [300, 1, 4],
    [200, 40, 6], // wider than the rows held in registers
    [7, 3, 1],
    [1, 2, 1],
  ])('WebAssembly and the JavaScript twin agree bit for bit (n=%i, d=%i, k=%i)', (n, d, k) => {
    const xs = data(n, d, n + d);
    const native = createWorkspace(xs, n, d, k);
    const twin = createWorkspace(xs, n, d, k, false);
    expect(native.native).toBe(true);
    expect(twin.native).toBe(false);
    expect(exercise(native, k, 9)).toEqual(exercise(twin, k, 9));
  });

  it('computes the true nearest centre and squared distances (against a plain loop)', () => {
    const n = 400;
    const d = 7;
    const k = 5;
    const xs = data(n, d, 3);
    const ws = createWorkspace(xs, n, d, k);
    for (let c = 0; c < k; c++) ws.centres.set(ws.x.subarray(c * 80 * ws.dp, c * 80 * ws.dp + ws.dp), c * ws.dp);
    const total = ws.nearestAll(k);
    let expected = 0;
    for (let i = 0; i < n; i++) {
      const dist = Array.from({ length: k }, (_, c) => {
        let s = 0;
        for (let j = 0; j < d; j++) s += (xs[i * d + j]! - xs[c * 80 * d + j]!) ** 2;
        return s;
      });
      const sorted = [...dist].sort((a, b) => a - b);
      expect(dist[ws.labels[i]!]).toBeCloseTo(sorted[0]!, 10);
      expect(ws.upper[i]! ** 2).toBeCloseTo(sorted[0]!, 9);
      expect(ws.lower[i]! ** 2).toBeCloseTo(sorted[1]!, 9);
      expected += sorted[0]!;
    }
    expect(total).toBeCloseTo(expected, 8);
  });

  it('fit the same model either way: kmeans with native kernels equals kmeans with the twin', () => {
    const n = 3000;
    const d = 6;
    const x = { values: data(n, d, 11), n, d };
    const a = kmeans(x, { k: 4, seed: 5, restarts: 2 });
    const b = kmeans(x, { k: 4, seed: 5, restarts: 2, native: false });
    expect(Array.from(a.labels)).toEqual(Array.from(b.labels));
    expect(Array.from(a.centroids)).toEqual(Array.from(b.centroids));
    expect(a.inertia).toBe(b.inertia);
    expect(a.iterations).toBe(b.iterations);
    expect(a.restartInertias).toEqual(b.restartInertias);
    expect(adjustedRandIndex(a.labels, b.labels)).toBe(1);
  });
});
