import { describe, expect, it } from 'vitest';
import fixture from '../fixtures/sklearn/cluster.json';
import { adjustedRandIndex, elbowPoint, sampleIndices, scanK, silhouette } from '../../src/ml/cluster-metrics.ts';
import { fromRows, type Matrix } from '../../src/ml/matrix.ts';
import { createRng } from '../../src/ml/random.ts';

const data: Matrix = { values: Float64Array.from(fixture.X), n: fixture.n, d: fixture.d };

describe('silhouette matches scikit-learn ' + fixture.sklearn + ' to 1e-6', () => {
  for (const ref of fixture.silhouette) {
    it(`gives silhouette_score and silhouette_samples for the ${ref.name} labelling`, () => {
      const s = silhouette(data, ref.labels);
      expect(s.defined).toBe(true);
      expect(s.sampled).toBe(false);
      expect(s.sampleSize).toBe(120);
      expect(Math.abs(s.score - ref.score)).toBeLessThanOrEqual(1e-6);
      let worst = 0;
      for (let i = 0; i < 120; i++) worst = Math.max(worst, Math.abs(s.samples[i]! - ref.samples[i]!));
      expect(worst).toBeLessThanOrEqual(1e-6);
    });
  }

  it('gives a row alone in its cluster a silhouette of exactly 0', () => {
    const ref = fixture.silhouette.find((c) => c.name === 'singleton');
    expect(ref).toBeDefined();
    expect(silhouette(data, ref?.labels ?? []).samples[5]).toBe(0);
  });
});

describe('silhouette sampling and degenerate labellings', () => {
  it('computes on a seeded sample of the stated size above the limit', () => {
    const labels = fixture.silhouette[0]!.labels;
    const a = silhouette(data, labels, { sampleSize: 50, seed: 3 });
    const b = silhouette(data, labels, { sampleSize: 50, seed: 3 });
    expect(a.sampled).toBe(true);
    expect(a.sampleSize).toBe(50);
    expect(new Set(a.rows).size).toBe(50);
    expect(Array.from(b.rows)).toEqual(Array.from(a.rows));
    expect(b.score).toBe(a.score);
    // The sample's score is the exact silhouette of the sampled rows.
    const sub: Matrix = {
      values: Float64Array.from(Array.from(a.rows).flatMap((r) => Array.from(data.values.subarray(r * 3, r * 3 + 3)))),
      n: 50,
      d: 3,
    };
    expect(silhouette(sub, Array.from(a.rows, (r) => labels[r]!)).score).toBeCloseTo(a.score, 12);
  });

  it('draws distinct, sorted, in-range sample indices', () => {
    const rows = sampleIndices(1000, 100, 9);
    expect(rows.length).toBe(100);
    expect(new Set(rows).size).toBe(100);
    for (let i = 1; i < 100; i++) expect(rows[i]!).toBeGreaterThan(rows[i - 1]!);
    expect(rows[99]!).toBeLessThan(1000);
  });

  it('is undefined (NaN, defined: false) with one cluster or with every row its own cluster', () => {
    const x = fromRows([[0], [1], [2]]);
    const one = silhouette(x, [4, 4, 4]);
    expect(one.defined).toBe(false);
    expect(one.score).toBeNaN();
    expect(silhouette(x, [0, 1, 2]).defined).toBe(false);
  });

  it('gives 0, not NaN, for rows identical to their whole cluster and the next', () => {
    const s = silhouette(fromRows([[1], [1], [1], [1]]), [0, 0, 1, 1]);
    expect(s.defined).toBe(true);
    expect(s.score).toBe(0);
  });
});

describe('adjustedRandIndex matches scikit-learn adjusted_rand_score', () => {
  for (const ref of fixture.ari) {
    it(`gives ${ref.ari.toFixed(6)} on ${ref.name}`, () => {
      expect(Math.abs(adjustedRandIndex(ref.a, ref.b) - ref.ari)).toBeLessThanOrEqual(1e-12);
    });
  }

  it('is 1 for empty labelings, as sklearn', () => {
    expect(adjustedRandIndex([], [])).toBe(1);
  });
});

describe('elbowPoint', () => {
  it('picks the corner of an L-shaped curve', () => {
    expect(elbowPoint([1, 2, 3, 4, 5, 6], [100, 30, 10, 8, 6, 4])).toBe(3);
  });

  it('returns the first x for a flat curve or fewer than three points', () => {
    expect(elbowPoint([2, 3, 4], [5, 5, 5])).toBe(2);
    expect(elbowPoint([2, 3], [9, 1])).toBe(2);
  });
});

describe('scanK', () => {
  it('finds the planted k by silhouette on 4 separated blobs and reports both curves', () => {
    const rng = createRng(12);
    const centres = [
      [0, 0],
      [12, 0],
      [0, 12],
      [12, 12],
    ];
    const rows: number[][] = [];
    for (let i = 0; i < 400; i++) {
      const c = centres[i % 4]!;
      rows.push([c[0]! + rng.normal(), c[1]! + rng.normal()]);
    }
    const scan = scanK(fromRows(rows), { kMin: 2, kMax: 7, seed: 1, sampleSize: 300 });
    expect(scan.ks).toEqual([2, 3, 4, 5, 6, 7]);
    expect(scan.bestK).toBe(4);
    expect(scan.elbowK).toBe(4);
    expect(scan.sampled).toBe(true);
    expect(scan.sampleSize).toBe(300);
    for (let i = 1; i < scan.inertias.length; i++) expect(scan.inertias[i]!).toBeLessThan(scan.inertias[i - 1]!);
    expect(scan.silhouettes[2]!).toBeGreaterThan(0.7);
  });

  it('never returns NaN inertia when the data has fewer distinct points than k', () => {
    const scan = scanK(fromRows([[0], [0], [5], [5]]), { kMin: 2, kMax: 4, seed: 0 });
    expect(scan.effectiveKs).toEqual([2, 2, 2]);
    expect(scan.inertias).toEqual([0, 0, 0]);
    expect(scan.bestK).toBe(2);
  });
});
