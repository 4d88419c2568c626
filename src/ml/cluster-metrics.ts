/**
 * Cluster quality: silhouette (sklearn's silhouette_score/samples, Euclidean), the adjusted
 * Rand index (sklearn's adjusted_rand_score), and a k scan that gives the elbow (inertia) and
 * silhouette curves and picks k.
 *
 * Silhouette is O(m² · d) in the number of rows m it is computed on, so above `sampleSize`
 * rows (default 5,000) it is computed on a seeded uniform sample of that many rows, drawn once
 * per call; the result always states the sample size used.
 */
import { KernelInputError, checkFinite, type Matrix } from './matrix.ts';
import { kmeans } from './kmeans.ts';
import { createRng, deriveSeed } from './random.ts';

/** Default largest number of rows on which silhouette is computed exactly. */
export const SILHOUETTE_SAMPLE = 5000;

/** Silhouette of a clustering. */
export interface Silhouette {
  /**
   * Mean of s_i = (b_i − a_i) / max(a_i, b_i) over the rows used, where a_i is the mean distance
   * to the other members of i's cluster and b_i the smallest mean distance to another cluster;
   * s_i = 0 for a row alone in its cluster (or when a_i = b_i = 0). NaN when undefined.
   */
  score: number;
  /** False when the rows used hold fewer than 2 clusters or every row is its own cluster (sklearn raises there). */
  defined: boolean;
  /** s_i for each row used (in the order of `rows`), for a silhouette plot. */
  samples: Float64Array;
  /** Indices of the rows the silhouette was computed on (all rows, or the seeded sample, ascending). */
  rows: Int32Array;
  /** Number of rows used (= rows.length). */
  sampleSize: number;
  /** True when a sample was drawn because n exceeded the limit. */
  sampled: boolean;
}

/** Options for silhouette. */
export interface SilhouetteOptions {
  /** Largest number of rows used; above it a seeded sample of this size is drawn. Default 5,000. */
  sampleSize?: number;
  /** Seed of the sample (only used when sampling). Default 0. */
  seed?: number;
}

/** Seeded uniform sample of m distinct indices out of n, sorted ascending (partial Fisher–Yates). */
export function sampleIndices(n: number, m: number, seed: number): Int32Array {
  const rng = createRng(deriveSeed(seed, 'silhouette-sample'));
  const pool = new Int32Array(n);
  for (let i = 0; i < n; i++) pool[i] = i;
  for (let i = 0; i < m; i++) {
    const j = i + rng.int(n - i);
    const t = pool[i]!;
    pool[i] = pool[j]!;
    pool[j] = t;
  }
  return pool.slice(0, m).sort();
}

/** Silhouette coefficient of `labels` on x (Euclidean), exact up to sampleSize rows; see Silhouette. */
export function silhouette(x: Matrix, labels: ArrayLike<number>, options: SilhouetteOptions = {}): Silhouette {
  checkFinite(x, 'Silhouette input');
  const { n, d, values } = x;
  if (labels.length !== n) throw new KernelInputError('shape', `${n} rows but ${labels.length} labels.`);
  const limit = options.sampleSize ?? SILHOUETTE_SAMPLE;
  if (!Number.isInteger(limit) || limit < 2) {
    throw new KernelInputError('option', `sampleSize must be an integer ≥ 2; got ${limit}.`);
  }
  const sampled = n > limit;
  let rows: Int32Array;
  if (sampled) rows = sampleIndices(n, limit, options.seed ?? 0);
  else {
    rows = new Int32Array(n);
    for (let i = 0; i < n; i++) rows[i] = i;
  }
  const m = rows.length;
  // Re-encode the labels present among the rows used to 0..K−1 (clusters absent from a sample are ignored).
  const code = new Map<number, number>();
  const lab = new Int32Array(m);
  for (let r = 0; r < m; r++) {
    const v = labels[rows[r]!]!;
    if (!Number.isInteger(v)) throw new KernelInputError('labels', `Label at row ${rows[r]!} is ${String(v)}; expected an integer.`, rows[r]!);
    let c = code.get(v);
    if (c === undefined) {
      c = code.size;
      code.set(v, c);
    }
    lab[r] = c;
  }
  const kk = code.size;
  const samples = new Float64Array(m);
  if (kk < 2 || kk > m - 1) {
    return { score: Number.NaN, defined: false, samples: samples.fill(Number.NaN), rows, sampleSize: m, sampled };
  }
  const freq = new Int32Array(kk);
  for (let r = 0; r < m; r++) freq[lab[r]!]!++;
  const xs = new Float64Array(m * d);
  for (let r = 0; r < m; r++) xs.set(values.subarray(rows[r]! * d, rows[r]! * d + d), r * d);
  // sums[r·K + c] = Σ distances from row r to the rows of cluster c; each pair is visited once.
  const sums = new Float64Array(m * kk);
  for (let a = 0; a < m; a++) {
    const ao = a * d;
    const la = lab[a]!;
    for (let b = a + 1; b < m; b++) {
      const bo = b * d;
      let s = 0;
      for (let j = 0; j < d; j++) {
        const t = xs[ao + j]! - xs[bo + j]!;
        s += t * t;
      }
      const dist = Math.sqrt(s);
      sums[a * kk + lab[b]!]! += dist;
      sums[b * kk + la]! += dist;
    }
  }
  let total = 0;
  for (let r = 0; r < m; r++) {
    const own = lab[r]!;
    if (freq[own] === 1) {
      samples[r] = 0;
      continue;
    }
    const a = sums[r * kk + own]! / (freq[own]! - 1);
    let b = Number.POSITIVE_INFINITY;
    for (let c = 0; c < kk; c++) if (c !== own) b = Math.min(b, sums[r * kk + c]! / freq[c]!);
    const denominator = Math.max(a, b);
    samples[r] = denominator > 0 ? (b - a) / denominator : 0;
    total += samples[r]!;
  }
  return { score: total / m, defined: true, samples, rows, sampleSize: m, sampled };
}

/**
 * Adjusted Rand index between two labelings of the same rows (sklearn's adjusted_rand_score):
 * from the pair confusion counts (tn, fp, fn, tp), ARI = 2(tp·tn − fn·fp) / ((tp+fn)(fn+tn) + (tp+fp)(fp+tn)),
 * and 1 when fn = fp = 0 (identical partitions, including n ≤ 1). Labels are any integers.
 */
export function adjustedRandIndex(truth: ArrayLike<number>, predicted: ArrayLike<number>): number {
  const n = truth.length;
  if (predicted.length !== n) throw new KernelInputError('shape', `${n} true labels but ${predicted.length} predicted.`);
  const encode = (v: ArrayLike<number>, what: string): { codes: Int32Array; count: number } => {
    const map = new Map<number, number>();
    const codes = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const x = v[i]!;
      if (!Number.isFinite(x)) throw new KernelInputError('not-finite', `${what} label at row ${i} is ${String(x)}.`, i);
      let c = map.get(x);
      if (c === undefined) {
        c = map.size;
        map.set(x, c);
      }
      codes[i] = c;
    }
    return { codes, count: map.size };
  };
  const a = encode(truth, 'True');
  const b = encode(predicted, 'Predicted');
  const cell = new Map<number, number>();
  const rowSum = new Float64Array(a.count);
  const colSum = new Float64Array(b.count);
  for (let i = 0; i < n; i++) {
    const key = a.codes[i]! * b.count + b.codes[i]!;
    cell.set(key, (cell.get(key) ?? 0) + 1);
    rowSum[a.codes[i]!]!++;
    colSum[b.codes[i]!]!++;
  }
  let sumSquares = 0;
  for (const v of cell.values()) sumSquares += v * v;
  let rowSq = 0;
  for (const v of rowSum) rowSq += v * v;
  let colSq = 0;
  for (const v of colSum) colSq += v * v;
  // Ordered pair counts as sklearn's pair_confusion_matrix.
  const tp = sumSquares - n;
  const fp = colSq - sumSquares;
  const fn = rowSq - sumSquares;
  const tn = n * n - fp - fn - sumSquares;
  if (fn === 0 && fp === 0) return 1;
  return (2 * (tp * tn - fn * fp)) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn));
}

/**
 * The elbow of a falling curve: the point farthest from the straight line joining the first
 * and last points, after scaling both axes to [0, 1] (the "kneedle" distance). Returns the x of
 * that point, or the first x when there are fewer than 3 points or the curve is flat.
 */
export function elbowPoint(xs: readonly number[], ys: readonly number[]): number {
  if (xs.length !== ys.length) throw new KernelInputError('shape', `${xs.length} x values but ${ys.length} y values.`);
  if (xs.length === 0) throw new KernelInputError('empty', 'No points to find an elbow in.');
  if (xs.length < 3) return xs[0]!;
  const x0 = xs[0]!;
  const x1 = xs[xs.length - 1]!;
  const yMin = Math.min(...ys);
  const yMax = Math.max(...ys);
  if (x1 === x0 || yMax === yMin) return x0;
  let best = 0;
  let bestDist = 0;
  const y0 = (ys[0]! - yMin) / (yMax - yMin);
  const yl = (ys[ys.length - 1]! - yMin) / (yMax - yMin);
  for (let p = 1; p < xs.length - 1; p++) {
    const u = (xs[p]! - x0) / (x1 - x0);
    const v = (ys[p]! - yMin) / (yMax - yMin);
    // Distance from (u, v) to the chord through (0, y0) and (1, yl), up to a constant factor.
    const dist = Math.abs((yl - y0) * u - v + y0);
    if (dist > bestDist) {
      bestDist = dist;
      best = p;
    }
  }
  return xs[best]!;
}

/** Options for scanK. */
export interface ScanKOptions {
  /** Smallest k tried (≥ 2). Default 2. */
  kMin?: number;
  /** Largest k tried. Default 10. */
  kMax?: number;
  /** Seed for k-means restarts and the silhouette sample. */
  seed: number;
  /** k-means restarts per k. Default 4. */
  restarts?: number;
  /** Iteration cap per k-means run. Default 300. */
  maxIter?: number;
  /** Silhouette sample limit. Default 5,000. */
  sampleSize?: number;
}

/** The elbow and silhouette curves over a range of k, and the k each suggests. */
export interface KScan {
  /** The k values tried, ascending. */
  ks: number[];
  /** Inertia of the best restart at each k (the elbow curve). */
  inertias: number[];
  /** Silhouette at each k on the same rows (NaN where undefined, e.g. data with one distinct point). */
  silhouettes: number[];
  /** Effective cluster count at each k (less than k when the data has fewer distinct points). */
  effectiveKs: number[];
  /** The k with the highest silhouette (the smallest on ties); kMin when none is defined. */
  bestK: number;
  /** The elbow of the inertia curve (elbowPoint). */
  elbowK: number;
  /** Rows the silhouettes were computed on. */
  sampleSize: number;
  /** True when the silhouettes used a seeded sample. */
  sampled: boolean;
}

/** Fits k-means for each k in [kMin, kMax] and reports the elbow and silhouette curves (one shared silhouette sample). */
export function scanK(x: Matrix, options: ScanKOptions): KScan {
  const kMin = options.kMin ?? 2;
  const kMax = options.kMax ?? 10;
  if (!Number.isInteger(kMin) || !Number.isInteger(kMax) || kMin < 2 || kMax < kMin) {
    throw new KernelInputError('option', `k range must satisfy 2 ≤ kMin ≤ kMax (integers); got kMin=${kMin}, kMax=${kMax}.`);
  }
  const ks: number[] = [];
  const inertias: number[] = [];
  const silhouettes: number[] = [];
  const effectiveKs: number[] = [];
  let sampleSize = 0;
  let sampled = false;
  for (let k = kMin; k <= kMax; k++) {
    const model = kmeans(x, {
      k,
      seed: deriveSeed(options.seed, `scan-k-${k}`),
      restarts: options.restarts ?? 4,
      maxIter: options.maxIter ?? 300,
    });
    // The same seed gives the same sample for every k, so the curve compares like with like.
    const sil = silhouette(x, model.labels, { sampleSize: options.sampleSize ?? SILHOUETTE_SAMPLE, seed: options.seed });
    ks.push(k);
    inertias.push(model.inertia);
    silhouettes.push(sil.score);
    effectiveKs.push(model.k);
    sampleSize = sil.sampleSize;
    sampled = sil.sampled;
  }
  let bestK = kMin;
  let bestScore = Number.NEGATIVE_INFINITY;
  ks.forEach((k, at) => {
    const s = silhouettes[at]!;
    if (!Number.isNaN(s) && s > bestScore) {
      bestScore = s;
      bestK = k;
    }
  });
  return { ks, inertias, silhouettes, effectiveKs, bestK, elbowK: elbowPoint(ks, inertias), sampleSize, sampled };
}
