import { describe, expect, it } from 'vitest';
import { table, type ColumnTable } from 'arquero';
import { segment } from '../../nodes/segment.ts';
import { assignSegments } from '../../src/ml/segment-assign.ts';
import { nameSegments } from '../../src/ml/segment-naming.ts';
import { runNode, runError, numbers, strings } from './decision-harness.ts';
import { createRng } from '../../src/ml/random.ts';
import { adjustedRandIndex, scanK } from '../../src/ml/cluster-metrics.ts';

/** Three planted groups of customers with clearly different value profiles (seeded noise). */
function plantedCustomers(): { data: ColumnTable; truth: number[] } {
  const rng = createRng(7);
  const groups = [
    { count: 30, recency: 5, frequency: 20, monetary: 2000, tenure: 1000 },
    { count: 20, recency: 200, frequency: 1, monetary: 50, tenure: 800 },
    { count: 10, recency: 10, frequency: 2, monetary: 100, tenure: 30 },
  ];
  const cols: Record<string, (string | number)[]> = { customer_id: [], recency_days: [], frequency: [], monetary: [], tenure_days: [] };
  const truth: number[] = [];
  let id = 1;
  groups.forEach((g, gi) => {
    for (let i = 0; i < g.count; i++) {
      cols.customer_id!.push(`C${String(id++).padStart(3, '0')}`);
      cols.recency_days!.push(g.recency * (1 + 0.1 * rng.normal()));
      cols.frequency!.push(Math.max(1, Math.round(g.frequency * (1 + 0.1 * rng.normal()))));
      cols.monetary!.push(g.monetary * (1 + 0.1 * rng.normal()));
      cols.tenure_days!.push(g.tenure * (1 + 0.1 * rng.normal()));
      truth.push(gi);
    }
  });
  return { data: table(cols), truth };
}

const none = { predictions: undefined, scores: undefined, original: undefined };

describe('segment node', () => {
  it('recovers three planted groups with k fixed at 3, numbers them by size and names them by the declared rules', async () => {
    const { data, truth } = plantedCustomers();
    const { outputs, warnings } = await runNode(segment, { table: data, ...none }, { chooseK: 'fixed', k: 3 });
    expect(warnings).toEqual([]);
    expect(adjustedRandIndex(truth, numbers(outputs.segments.assignments, 'segment'))).toBe(1);
    const profiles = outputs.segments.profiles;
    expect(profiles.array('segment')).toEqual([1, 2, 3]);
    expect(profiles.array('size')).toEqual([30, 20, 10]);
    expect(profiles.array('name')).toEqual(['Recent high spenders', 'Lapsing one-timers', 'Recent newcomers']);
    // Centroid in original units = the mean of the members' raw values.
    const monetary = numbers(data, 'monetary').slice(0, 30);
    expect(Number(profiles.get('monetary', 0))).toBeCloseTo(monetary.reduce((a, b) => a + b, 0) / 30, 9);
    expect(String(profiles.get('name_reason', 1))).toContain('recency_days z = +');
    expect(outputs.segments.detail.silhouetteSampleSize).toBe(60);
    expect(outputs.segments.detail.silhouetteSampled).toBe(false);
    expect(outputs.table.columnNames()).toEqual(['customer_id', 'recency_days', 'frequency', 'monetary', 'tenure_days', 'segment', 'segment_name']);
    expect(outputs.table.get('segment_name', 59)).toBe('Recent newcomers');
  });

  it('chooses k by silhouette and reports the same curves as the kernel scan with the node seed', async () => {
    const { data } = plantedCustomers();
    const { outputs } = await runNode(segment, { table: data, ...none }, { chooseK: 'silhouette', kMin: 2, kMax: 6, scaling: 'none' });
    const curves = outputs.segments.curves;
    expect(curves.array('k')).toEqual([2, 3, 4, 5, 6]);
    const sil = numbers(curves, 'silhouette');
    expect(outputs.segments.detail.k).toBe(numbers(curves, 'k')[sil.indexOf(Math.max(...sil))]);
    // The node draws its kernel seed as the first uint32 of its seeded stream.
    const { createRng: rngOf, deriveSeed } = await import('../../src/ml/random.ts');
    const seed = rngOf(deriveSeed(42, 'node1')).uint32();
    const n = data.numRows();
    const names = ['recency_days', 'frequency', 'monetary', 'tenure_days'];
    const values = new Float64Array(n * 4);
    names.forEach((c, j) => numbers(data, c).forEach((v, i) => (values[i * 4 + j] = v)));
    const scan = scanK({ values, n, d: 4 }, { kMin: 2, kMax: 6, seed, restarts: 4 });
    expect(numbers(curves, 'inertia')).toEqual(scan.inertias);
    expect(numbers(curves, 'silhouette')).toEqual(scan.silhouettes);
    expect(outputs.segments.detail.k).toBe(scan.bestK);
    expect(outputs.segments.detail.elbowK).toBe(scan.elbowK);
  });

  it('is deterministic for a seed', async () => {
    const { data } = plantedCustomers();
    const a = await runNode(segment, { table: data, ...none }, { chooseK: 'silhouette' });
    const b = await runNode(segment, { table: data, ...none }, { chooseK: 'silhouette' });
    expect(a.outputs.segments.assignments.objects()).toEqual(b.outputs.segments.assignments.objects());
    expect(a.outputs.segments.curves.objects()).toEqual(b.outputs.segments.curves.objects());
  });

  it('gives a transform that assigns customers to the segment they were given', async () => {
    const { data } = plantedCustomers();
    const { outputs } = await runNode(segment, { table: data, ...none }, { chooseK: 'fixed', k: 3 });
    const assigned = assignSegments(outputs.transform, data);
    expect(Array.from(assigned.segment)).toEqual(numbers(outputs.segments.assignments, 'segment'));
    const newcomer = table({ recency_days: [3], frequency: [1], monetary: [90], tenure_days: [20] });
    expect(assignSegments(outputs.transform, newcomer).name).toEqual(['Recent newcomers']);
    expect(() => assignSegments(outputs.transform, table({ recency_days: [3] }))).toThrow('Column "frequency" named in parameter "columns" is not in the input table');
  });

  it('profiles mean purchase probability, mean score and original units when those inputs are connected', async () => {
    const { data } = plantedCustomers();
    const ids = strings(data, 'customer_id');
    const predictions = table({ id: ids, score: ids.map((_, i) => (i < 30 ? 0.8 : i < 50 ? 0.1 : 0.4)), label: ids.map(() => 0), fold: ids.map(() => 1) });
    const scores = table({ customer_id: ids.slice(0, 55), score: ids.slice(0, 55).map((_, i) => i) });
    const original = table({ customer_id: ids, spend_in_euros: ids.map((_, i) => (i < 30 ? 10 : 20)) });
    const normalised = data.derive({ monetary: (d: { monetary: number }) => d.monetary / 1000 });
    const { outputs, warnings } = await runNode(segment, { table: normalised, predictions, scores, original }, { chooseK: 'fixed', k: 3 });
    const profiles = outputs.segments.profiles;
    expect(Number(profiles.get('mean_purchase_probability', 0))).toBeCloseTo(0.8, 12);
    expect(Number(profiles.get('mean_purchase_probability', 1))).toBeCloseTo(0.1, 12);
    expect(Number(profiles.get('mean_purchase_probability', 2))).toBeCloseTo(0.4, 12);
    // Scores exist for the first 55 customers only: segment 3 (rows 50..59) averages 50..54.
    expect(Number(profiles.get('mean_score', 0))).toBeCloseTo(14.5, 12);
    expect(Number(profiles.get('mean_score', 2))).toBeCloseTo(52, 12);
    expect(profiles.get('spend_in_euros', 0)).toBe(10);
    expect(profiles.columnNames()).not.toContain('monetary');
    expect(warnings.map((w) => w.message)).toEqual(['5 of 60 customers have no row in the "scores" input; their segment means skip them.']);
  });

  it('log-scales right-skewed non-negative columns, the same whether the input was min-max normalised or not', async () => {
    const rng = createRng(11);
    // Spend is log-normal (skewness far above 1); visits are symmetric and stay as they are.
    const n = 200;
    const spend = Array.from({ length: n }, (_, i) => Math.exp((i < 100 ? 3 : 6) + 0.5 * rng.normal()));
    const visits = Array.from({ length: n }, () => 10 + rng.normal());
    const raw = table({ customer_id: spend.map((_, i) => `c${i}`), spend, visits });
    const lo = Math.min(...spend);
    const hi = Math.max(...spend);
    const vlo = Math.min(...visits);
    const vhi = Math.max(...visits);
    const minmax = table({ customer_id: spend.map((_, i) => `c${i}`), spend: spend.map((v) => (v - lo) / (hi - lo)), visits: visits.map((v) => (v - vlo) / (vhi - vlo)) });
    const a = await runNode(segment, { table: raw, ...none }, { chooseK: 'fixed', k: 2 });
    const b = await runNode(segment, { table: minmax, ...none }, { chooseK: 'fixed', k: 2 });
    expect(a.outputs.segments.detail.logScaled).toEqual(['spend']);
    expect(b.outputs.segments.detail.logScaled).toEqual(['spend']);
    const segA = numbers(a.outputs.segments.assignments, 'segment');
    expect(adjustedRandIndex(segA, numbers(b.outputs.segments.assignments, 'segment'))).toBe(1);
    // The two planted spend levels are found (measured ARI 0.864); k-means on raw spend splits
    // off the top of the tail instead (measured 0.420).
    expect(adjustedRandIndex(spend.map((_, i) => (i < 100 ? 0 : 1)), segA)).toBeGreaterThan(0.8);
    const kept = await runNode(segment, { table: raw, ...none }, { chooseK: 'fixed', k: 2, skewed: 'keep' });
    expect(kept.outputs.segments.detail.logScaled).toEqual([]);
    expect(adjustedRandIndex(spend.map((_, i) => (i < 100 ? 0 : 1)), numbers(kept.outputs.segments.assignments, 'segment'))).toBeLessThan(0.5);
    // The transform applies the same log step to new customers.
    expect(Array.from(assignSegments(a.outputs.transform, raw).segment)).toEqual(segA);
  });

  it('clamps k larger than the number of customers with a warning', async () => {
    const small = table({ customer_id: ['a', 'b', 'c'], frequency: [1, 5, 9] });
    const { outputs, warnings } = await runNode(segment, { table: small, ...none }, { chooseK: 'fixed', k: 5 });
    expect(outputs.segments.detail.k).toBe(3);
    expect(warnings.map((w) => w.code)).toContain('segment.kReduced');
    expect(warnings.find((w) => w.code === 'segment.kReduced')?.message).toBe('Asked for k = 5 but the data has only 3 distinct customer profiles; made 3 segments.');
  });

  it('segments one customer into one segment without NaN', async () => {
    const one = table({ customer_id: ['a'], frequency: [4], monetary: [10] });
    const { outputs, warnings } = await runNode(segment, { table: one, ...none });
    expect(outputs.segments.profiles.objects()).toEqual([
      { segment: 1, name: 'Average customers', size: 1, customer_share: 1, frequency: 4, monetary: 10, z_frequency: 0, z_monetary: 0, name_reason: 'every |z| < 0.5', drivers: '', drivers_zh: '' },
    ]);
    expect(warnings.map((w) => w.code)).toEqual(['segment.tooFewForRange', 'segment.silhouetteUndefined']);
    expect(outputs.segments.assignments.objects()).toEqual([{ id: 'a', segment: 1, segment_name: 'Average customers', pc1: 0, pc2: 0 }]);
  });

  it('puts identical customers in one segment, warns, and never produces NaN', async () => {
    const same = table({ customer_id: ['a', 'b', 'c', 'd'], frequency: [2, 2, 2, 2], monetary: [7, 7, 7, 7] });
    const { outputs, warnings } = await runNode(segment, { table: same, ...none }, { chooseK: 'fixed', k: 3 });
    expect(outputs.segments.detail.k).toBe(1);
    expect(outputs.segments.profiles.get('size', 0)).toBe(4);
    expect(warnings.map((w) => w.code)).toEqual(['segment.constantColumn', 'segment.constantColumn', 'segment.kReduced', 'segment.silhouetteUndefined']);
    expect(numbers(outputs.segments.assignments, 'pc1')).toEqual([0, 0, 0, 0]);
    expect(outputs.segments.detail.inertia).toBe(0);
  });

  it('fails with declared messages on an empty table, no numeric columns, text and missing values', async () => {
    const empty = table({ customer_id: [], frequency: [] });
    expect(await runError(runNode(segment, { table: empty, ...none }))).toEqual({ code: 'segment.noRows', message: 'The input table has no rows; there is nobody to segment.', param: undefined });
    const textOnly = table({ customer_id: ['a', 'b'], city: ['x', 'y'] });
    expect((await runError(runNode(segment, { table: textOnly, ...none }))).message).toBe('No numeric feature column to cluster on (columns: "customer_id, city").');
    const text = table({ customer_id: ['a', 'b'], city: ['x', 'y'] });
    expect(await runError(runNode(segment, { table: text, ...none }, { columns: ['city'] }))).toEqual({
      code: 'segment.notNumeric',
      message: 'Column "city" is not numeric (row 1 holds "x"); pick numeric feature columns.',
      param: 'columns',
    });
    const gap = table({ customer_id: ['a', 'b'], frequency: [1, null] });
    expect((await runError(runNode(segment, { table: gap, ...none }, { columns: ['frequency'] }))).message).toBe(
      'Column "frequency" has a missing or non-finite value at row 2; impute or filter it before segmenting.',
    );
    const nan = table({ customer_id: ['a', 'b'], frequency: [1, Number.NaN] });
    expect((await runError(runNode(segment, { table: nan, ...none }, { columns: ['frequency'] }))).code).toBe('segment.missingValue');
  });

  it('names a missing column with the engine message', async () => {
    const { data } = plantedCustomers();
    const err = await runError(runNode(segment, { table: data, ...none }, { columns: ['spend'] }));
    expect(err.code).toBe('column.missing');
    expect(err.param).toBe('columns');
    expect(err.message).toContain('Column "spend" named in parameter "columns" is not in the input table');
    expect((await runError(runNode(segment, { table: data, ...none }, { idColumn: 'cid' }))).param).toBe('idColumn');
  });
});

describe('segment names', () => {
  it('follow the declared rules, fall back to the strongest feature and stay unique', () => {
    const features = ['recency_days', 'frequency', 'monetary', 'share_books'];
    const { names, reasons } = nameSegments(features, [
      [-1, 0, 1.2, 0],
      [1.5, -0.9, -0.3, 0],
      [0.1, 0.2, 0.1, 2],
      [0.1, 0.2, 0.1, -0.6],
      [-0.7, 0, 0.9, 1.1],
      [0, 0, 0, 0],
    ]);
    expect(names).toEqual([
      'Recent high spenders',
      'Lapsing one-timers',
      'Books shoppers',
      'Customers with low share_books',
      'Recent high spenders (books shoppers)',
      'Average customers',
    ]);
    expect(reasons[1]).toBe('recency_days z = +1.50 (≥ 0.5 → Lapsing); frequency z = −0.90 (≤ −0.5 → one-timers)');
  });
});
