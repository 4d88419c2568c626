import { table } from 'arquero';
import { describe, expect, it } from 'vitest';
import { assignSegments, nearestSegments, readSegmentTransform, segmentTransformParams, type SegmentModel } from '../../src/ml/segment-assign.ts';
import { chooseSegmentCount, columnShape, meanPerSegment, orderBySize, segmentMeansAndZ, segmentSpace, SKEW_LIMIT } from '../../src/ml/segment-fit.ts';
import { detectRoles, isRole, nameSegments, sideHolds } from '../../src/ml/segment-naming.ts';
import { chooseStrategy, conditionText, segmentStrategies, STRATEGY_RULES } from '../../src/ml/segment-strategy.ts';
import { createRng } from '../../src/ml/random.ts';

/** Three tight groups of 20 rows in 2-D around (0, 0), (10, 0) and (0, 10), seeded. */
function threeGroups(): Float64Array {
  const rng = createRng(7);
  const centres = [
    [0, 0],
    [10, 0],
    [0, 10],
  ];
  const x = new Float64Array(60 * 2);
  for (let i = 0; i < 60; i++) {
    const c = centres[i % 3]!;
    x[i * 2] = c[0]! + 0.3 * rng.normal();
    x[i * 2 + 1] = c[1]! + 0.3 * rng.normal();
  }
  return x;
}

describe('segment naming', () => {
  it('gives roles by column name, first match per role', () => {
    expect(detectRoles(['recency_days', 'orders', 'spend', 'frequency', 'tenure_days', 'age'])).toEqual({ recency: 'recency_days', frequency: 'orders', monetary: 'spend', tenure: 'tenure_days' });
    expect([isRole('recency'), isRole('age')]).toEqual([true, false]);
    expect([sideHolds(0.5, 'high'), sideHolds(0.49, 'high'), sideHolds(-0.5, 'low'), sideHolds(-0.2, 'low', 0.1)]).toEqual([true, false, true, true]);
  });

  it('names segments by the first adjective and noun rules that fire, with the reason', () => {
    const { names, reasons } = nameSegments(['recency_days', 'spend'], [
      [-1, 1.2],
      [0.8, -0.9],
    ]);
    expect(names).toEqual(['Recent high spenders', 'Lapsing low spenders']);
    expect(reasons[0]).toBe('recency_days z = −1.00 (≤ −0.5 → Recent); spend z = +1.20 (≥ 0.5 → high spenders)');
  });

  it('falls back to the strongest feature, reads category shares as shoppers, and calls the rest average', () => {
    const { names } = nameSegments(['share_Home_Garden', 'age'], [
      [2, 0.1],
      [0.1, -0.7],
      [0.2, 0.3],
    ]);
    expect(names).toEqual(['Home Garden shoppers', 'Customers with low age', 'Average customers']);
  });

  it('disambiguates colliding names with the most distinctive other feature, then by number', () => {
    const { names, reasons } = nameSegments(['spend', 'share_Books'], [
      [1, 0.9],
      [1, -0.2],
      [1, -0.2],
    ]);
    expect(names).toEqual(['High spenders (Books shoppers)', 'High spenders (low share_Books)', 'High spenders (low share_Books) #2']);
    expect(reasons[0]).toMatch(/shares its name, so share_Books z = \+0\.90 added$/);
  });
});

describe('segment strategy rules', () => {
  it('fires the first rule that holds and says why', () => {
    expect(chooseStrategy({ recency: { column: 'recency_days', z: 0.7 }, monetary: { column: 'spend', z: 2 } }, 0.5)).toEqual({ rule: STRATEGY_RULES[1], evidence: 'recency_days z = +0.70 ≥ 0.5' });
    expect(chooseStrategy({ tenure: { column: 't', z: 0 } }, 0.5)).toEqual({ rule: STRATEGY_RULES[3], evidence: 'none held: t z = +0.00; recency: no column; monetary: no column' });
    expect(STRATEGY_RULES.map((r) => conditionText(r, 0.5))).toEqual(['z(tenure) ≤ −0.5', 'z(recency) ≥ 0.5', 'z(monetary) ≥ 0.5', 'always (no earlier rule held)']);
  });
});

describe('segment strategies from a profile', () => {
  it('gives every profiled segment the first rule its z-scores satisfy, with the profile’s name, and the roles it found', () => {
    const profiles = table({ segment: [1, 2, null], name: ['Lapsed', 'Big spenders', 'x'], z_recency_days: [0.9, -0.2, 3], z_monetary: [0.1, 1.2, 0], drivers: ['recency_days above average (z +0.90)', 'monetary well above average (z +1.20)', ''], drivers_zh: ['recency_days 高于平均水平（z +0.90）', 'monetary 远高于平均水平（z +1.20）', ''] });
    const { bySegment, roles } = segmentStrategies(profiles, 0.5);
    expect(roles).toEqual({ recency: 'recency_days', monetary: 'monetary' });
    expect([...bySegment.keys()]).toEqual(['1', '2']);
    expect(bySegment.get('1')).toEqual({ rule: 'win-back', strategy: STRATEGY_RULES[1]?.strategy, action: STRATEGY_RULES[1]?.action, evidence: 'recency_days z = +0.90 ≥ 0.5', name: 'Lapsed', drivers: 'recency_days above average (z +0.90)', driversZh: 'recency_days 高于平均水平（z +0.90）' });
    expect(bySegment.get('2')?.rule).toBe('retain-valuable');
  });

  it('gives no segment a strategy without a segment column, and an empty name without a name column', () => {
    expect(segmentStrategies(table({ z_monetary: [2] }), 0.5).bySegment.size).toBe(0);
    expect(segmentStrategies(table({ segment: [1], z_monetary: [2] }), 0.5).bySegment.get('1')?.name).toBe('');
    expect(segmentStrategies(table({ segment: [1], z_monetary: [2] }), 0.5).bySegment.get('1')?.drivers).toBe('');
  });
});

describe('segment fit', () => {
  it('columnShape gives mean, population sd, skewness and minimum of one column', () => {
    const values = Float64Array.from([1, 10, 2, 20, 3, 30, 10, 40]); // column 0: 1, 2, 3, 10
    const s = columnShape(values, 4, 2, 0);
    expect(s.mean).toBe(4);
    expect(s.sd).toBeCloseTo(Math.sqrt(12.5), 12);
    // Deviations −3, −2, −1, 6: m2 = 50 / 4, m3 = 180 / 4.
    expect(s.skewness).toBeCloseTo(45 / 12.5 ** 1.5, 12);
    expect(s.min).toBe(1);
  });

  it('log-scales a right-skewed non-negative column by ln(1 + x / mean) and z-scores every column', () => {
    // Column 0 skewed (one large value), column 1 symmetric.
    const raw = Float64Array.from([1, 1, 1, 2, 1, 3, 1, 4, 100, 5]);
    const space = segmentSpace(raw, 5, 2, { logSkewed: true, zScore: true });
    expect(columnShape(raw, 5, 2, 0).skewness).toBeGreaterThan(SKEW_LIMIT);
    expect(Array.from(space.logMean)).toEqual([20.8, 0]);
    expect(space.work[8]).toBeCloseTo(Math.log1p(100 / 20.8), 12);
    for (let j = 0; j < 2; j++) {
      const s = columnShape(Float64Array.from(space.matrix.values), 5, 2, j);
      expect(s.mean).toBeCloseTo(0, 12);
      expect(s.sd).toBeCloseTo(1, 12);
    }
    const kept = segmentSpace(raw, 5, 2, { logSkewed: false, zScore: false });
    expect(Array.from(kept.matrix.values)).toEqual(Array.from(raw));
    expect(Array.from(kept.scale)).toEqual([1, 1]);
  });

  it('chooses k = 3 by silhouette for three separated groups, numbers segments by size and reports the curve', async () => {
    const raw = threeGroups();
    const space = segmentSpace(raw, 60, 2, { logSkewed: false, zScore: true });
    const seen: string[] = [];
    const choice = await chooseSegmentCount(space.matrix, { chooseK: 'silhouette', k: 4, kMin: 2, kMax: 5, restarts: 2, maxIterations: 100, silhouetteSample: 5000, seed: 1 }, { progress: (_, detail) => seen.push(detail) });
    expect(choice.model.k).toBe(3);
    expect(choice.curve.k).toEqual([2, 3, 4, 5]);
    expect(seen).toEqual(['k = 2..5', 'k = 2 fitted (1 of 4)', 'k = 3 fitted (2 of 4)', 'k = 4 fitted (3 of 4)', 'k = 5 fitted (4 of 4)']);
    expect(choice.chosenBy).toBe('highest silhouette over k = 2..5');
    expect([choice.clamped, choice.tooFewFor]).toEqual([null, null]);
    const { labels, sizes } = orderBySize(choice.model);
    expect(sizes).toEqual([20, 20, 20]);
    const { means, z } = segmentMeansAndZ(raw, space, labels, sizes);
    // Each segment's mean sits within 0.3 of a different planted centre.
    const planted = ['0,0', '10,0', '0,10'];
    const matched = means.map((m) => planted.findIndex((c) => Math.hypot(m[0]! - Number(c.split(',')[0]), m[1]! - Number(c.split(',')[1])) < 0.3));
    expect([...matched].sort()).toEqual([0, 1, 2]);
    expect(z).toHaveLength(3);
  });

  it('clamps the k range to rows − 1 and falls back to a fixed k when no range is left', async () => {
    const raw = Float64Array.from([0, 1, 5, 6]);
    const m = { values: raw, n: 4, d: 1 };
    const base = { chooseK: 'silhouette' as const, k: 4, kMin: 2, kMax: 8, restarts: 1, maxIterations: 50, silhouetteSample: 5000, seed: 3 };
    expect((await chooseSegmentCount(m, base)).clamped).toEqual({ from: 2, to: 3 });
    const few = await chooseSegmentCount({ values: Float64Array.from([0, 1]), n: 2, d: 1 }, base);
    expect(few.tooFewFor).toBe(2);
    expect(few.chosenBy).toBe('fixed at 2: too few rows to compare k by silhouette');
    expect(few.curve.k).toEqual([2]);
  });

  it('meanPerSegment averages a per-id value per segment and counts the ids without one', () => {
    const byId = new Map([['a', 1], ['b', 3], ['c', 10]]);
    expect(meanPerSegment(byId, ['a', 'b', 'c', 'd'], Int32Array.from([0, 0, 1, 1]), 3)).toEqual({ means: [2, 10, null], missing: 1 });
  });
});

describe('segment assignment', () => {
  const model: SegmentModel = { columns: ['spend', 'age'], logMean: [10, 0], centre: [0, 40], scale: [1, 10], centroids: [[0, 0], [2, 0]], names: ['Low', 'High'] };

  it('maps rows through the log step and the scaling to the nearest centroid', () => {
    // spend 0 → ln(1) = 0 (segment 0); spend 63 → ln(7.3) ≈ 1.99 (segment 1).
    expect(Array.from(nearestSegments(model, [Float64Array.from([0, 63]), Float64Array.from([40, 40])], 2))).toEqual([0, 1]);
    expect(() => nearestSegments(model, [Float64Array.from([Number.NaN]), Float64Array.from([40])], 1)).toThrow('Row 1 has a missing or non-numeric feature; it cannot be assigned.');
  });

  it('reads a segment transform back and refuses a malformed one', () => {
    const params = { idColumn: 'id', columns: model.columns, logMean: model.logMean, centre: model.centre, scale: model.scale, centroids: model.centroids, names: model.names };
    expect(readSegmentTransform({ kind: 'segment', params })).toEqual(model);
    expect(() => readSegmentTransform({ kind: 'normalise', params })).toThrow('Expected a segment transform; got "normalise".');
    expect(() => readSegmentTransform({ kind: 'segment', params: { ...params, scale: [1] } })).toThrow('The segment transform is malformed (its arrays disagree in length).');
    expect(assignSegments({ kind: 'segment', params }, table({ spend: [63, 0], age: [40, 40] }))).toEqual({ segment: Int32Array.from([2, 1]), name: ['High', 'Low'] });
  });
});

describe('segmentDrivers', () => {
  it('names up to three features furthest from the population, strongest first, in en and zh', async () => {
    const { segmentDrivers } = await import('../../src/ml/segment-naming.ts');
    const d = segmentDrivers(['recency_days', 'frequency', 'monetary', 'tenure_days'], [[-0.62, 0.3, 1.4, 0.1], [0.1, -0.2, 0.05, 0]]);
    expect(d.en).toEqual(['monetary well above average (z +1.40); recency_days below average (z −0.62); frequency above average (z +0.30)', '']);
    expect(d.zh[0]).toBe('monetary 远高于平均水平（z +1.40）；recency_days 低于平均水平（z −0.62）；frequency 高于平均水平（z +0.30）');
  });
});

describe('segment transform params', () => {
  it('write the centroids in segment order and read back as the same model', () => {
    const params = segmentTransformParams('id', ['a', 'b'], { logMean: Float64Array.from([0, 2]), centre: Float64Array.from([1, 0]), scale: Float64Array.from([2, 1]) }, Float64Array.from([0, 0, 5, 5]), [1, 0], ['Big', 'Small']);
    expect(params).toEqual({ idColumn: 'id', columns: ['a', 'b'], logMean: [0, 2], centre: [1, 0], scale: [2, 1], centroids: [[5, 5], [0, 0]], names: ['Big', 'Small'] });
    expect(readSegmentTransform({ kind: 'segment', params })).toEqual({ columns: ['a', 'b'], logMean: [0, 2], centre: [1, 0], scale: [2, 1], centroids: [[5, 5], [0, 0]], names: ['Big', 'Small'] });
  });
});
