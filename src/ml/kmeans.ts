/**
 * k-means for customer segmentation: greedy k-means++ seeding with seeded restarts, then
 * Lloyd iterations accelerated with Hamerly's bounds (same fixed point as plain Lloyd; the
 * bounds only skip distance computations that cannot change an assignment). The distance
 * passes, the bounded E-step and the M-step sums run in WebAssembly SIMD kernels (or their
 * bit-identical JavaScript twin where WebAssembly is unavailable): see kmeans-kernels.ts.
 *
 * Objective: minimise the inertia Σ_i ‖x_i − c_{label(i)}‖² (squared Euclidean).
 * Convergence (as sklearn's KMeans): stop when no label changes, or when the total squared
 * centre shift Σ_c ‖c_new − c_old‖² ≤ tol · mean_j Var(x_j), or after maxIter iterations.
 *
 * Degenerate inputs: no rows → KernelInputError('empty'); a NaN/Infinity entry →
 * KernelInputError('not-finite') naming row and column; fewer distinct points than k
 * (including k > n and all-identical rows) → seeding stops when every remaining point
 * coincides with a centre, the model has `k` < `requestedK` and `reducedK: true`, and no
 * centre or distance is ever NaN.
 */
import { KernelInputError, checkFinite, type Matrix } from './matrix.ts';
import { createRng, deriveSeed, firstAbove, type Rng } from './random.ts';
import { createWorkspace, laneSqDist, type KMeansWorkspace } from './kmeans-kernels.ts';

/** Options for kmeans. */
export interface KMeansOptions {
  /** Number of clusters wanted (integer ≥ 1). */
  k: number;
  /** Seed of the restarts; the same seed gives the same clustering. */
  seed: number;
  /** Independent k-means++ starts; the lowest inertia wins. Default 4. */
  restarts?: number;
  /** Iteration cap per restart. Default 300 (sklearn's). */
  maxIter?: number;
  /** Relative centre-shift tolerance (see file header). Default 1e-4 (sklearn's). */
  tol?: number;
  /** false forces the JavaScript twin of the kernels (for tests: the results are bit-identical). Default true. */
  native?: boolean;
}

/** A fitted k-means model; assignClusters applies it to new rows. */
export interface KMeansModel {
  /** k × d centroids, row-major. */
  centroids: Float64Array;
  /** Effective number of clusters (≤ requestedK). */
  k: number;
  /** Number of features. */
  d: number;
  /** The k that was asked for. */
  requestedK: number;
  /** True when the data had fewer than requestedK distinct points, so fewer clusters exist. */
  reducedK: boolean;
  /** Cluster of each training row, 0..k−1. */
  labels: Int32Array;
  /** Rows per cluster. */
  sizes: Int32Array;
  /** Σ squared distance of each row to its centroid (of the winning restart). */
  inertia: number;
  /** Lloyd iterations run by the winning restart. */
  iterations: number;
  /** Whether the winning restart met the convergence rule before maxIter. */
  converged: boolean;
  /** Inertia of every restart, in order (the minimum is `inertia`). */
  restartInertias: number[];
}

/**
 * Greedy k-means++ (sklearn's variant) into the workspace's centres: the first centre is a
 * uniform random row; each next one is the best, by resulting potential, of 2 + ⌊ln k⌋
 * candidates drawn with probability ∝ D²(x). Stops early when the potential is 0 (every row
 * already sits on a centre). Returns how many centres were placed.
 */
function seedPlusPlus(ws: KMeansWorkspace, k: number, rng: Rng): number {
  const { n, dp, seed } = ws;
  const trials = 2 + Math.floor(Math.log(k));
  const chosen: number[] = [];
  const first = rng.int(n);
  chosen.push(first);
  // Seed buffers by index, swapped rather than copied: current minima, a trial's, the best trial's.
  let closest: 0 | 1 | 2 = 0;
  let trial: 0 | 1 | 2 = 1;
  let best: 0 | 1 | 2 = 2;
  seed[closest].fill(Number.POSITIVE_INFINITY);
  let potential = ws.potential(first, closest, closest);
  const cumulative = new Float64Array(n);
  while (chosen.length < k && potential > 0) {
    const current = seed[closest];
    let acc = 0;
    for (let i = 0; i < n; i++) {
      acc += current[i]!;
      cumulative[i] = acc;
    }
    let bestPot = Number.POSITIVE_INFINITY;
    let bestId = -1;
    for (let t = 0; t < trials; t++) {
      const target = rng.next() * acc;
      // First index whose cumulative sum exceeds the target: a draw proportional to D².
      let lo = firstAbove(cumulative, n, target);
      // A row with D² = 0 can only be hit through rounding; move to the next row that has mass.
      while (lo < n - 1 && current[lo] === 0) lo++;
      const pot = ws.potential(lo, closest, trial);
      if (pot < bestPot) {
        bestPot = pot;
        bestId = lo;
        [trial, best] = [best, trial];
      }
    }
    if (current[bestId] === 0) break;
    chosen.push(bestId);
    [closest, best] = [best, closest];
    potential = bestPot;
  }
  chosen.forEach((row, c) => ws.centres.set(ws.x.subarray(row * dp, row * dp + dp), c * dp));
  return chosen.length;
}

/** Rows of the padded layout (dp columns) back to d columns. */
function unpad(values: Float64Array, rows: number, d: number, dp: number): Float64Array {
  if (d === dp) return values.slice(0, rows * d);
  const out = new Float64Array(rows * d);
  for (let r = 0; r < rows; r++) for (let j = 0; j < d; j++) out[r * d + j] = values[r * dp + j]!;
  return out;
}

/**
 * Greedy k-means++ on row-major x (n × d): the chosen rows as k' × d centres (k' ≤ k when the
 * data has fewer distinct points). Same draws and centres as the seeding inside kmeans.
 */
export function kmeansPlusPlus(x: Float64Array, n: number, d: number, k: number, rng: Rng): Float64Array {
  const ws = createWorkspace(x, n, d, k);
  const placed = seedPlusPlus(ws, k, rng);
  return unpad(ws.centres, placed, d, ws.dp);
}

interface RunResult {
  centroids: Float64Array;
  labels: Int32Array;
  inertia: number;
  iterations: number;
  converged: boolean;
}

/**
 * Lloyd's algorithm from the first k centres in the workspace, with Hamerly's upper/lower
 * distance bounds; the distance passes run in the workspace's kernels.
 */
function lloydHamerly(ws: KMeansWorkspace, k: number, maxIter: number, tolAbs: number): RunResult {
  const { d, dp, centres, halfGap, moved, sums, counts } = ws;
  const next = new Float64Array(k * dp);

  ws.nearestAll(k);
  let iterations = 0;
  let converged = false;
  let strict = false;
  while (iterations < maxIter) {
    iterations++;
    // M-step from the current labels.
    sums.fill(0);
    counts.fill(0);
    ws.accumulate();
    let relocated = false;
    for (let c = 0; c < k; c++) {
      if (counts[c] === 0) {
        relocated = relocateEmpty(ws, c) || relocated;
      }
    }
    let shiftTotal = 0;
    let maxMove = 0;
    let secondMove = 0;
    let maxMover = -1;
    for (let c = 0; c < k; c++) {
      const o = c * dp;
      const cnt = counts[c]!;
      let shift = 0;
      for (let j = 0; j < dp; j++) {
        const v = cnt > 0 ? sums[o + j]! / cnt : centres[o + j]!;
        next[o + j] = v;
        const t = v - centres[o + j]!;
        shift += t * t;
      }
      shiftTotal += shift;
      const m = Math.sqrt(shift);
      moved[c] = m;
      if (m > maxMove) {
        secondMove = maxMove;
        maxMove = m;
        maxMover = c;
      } else if (m > secondMove) secondMove = m;
    }
    centres.set(next);
    if (shiftTotal <= tolAbs && !relocated) {
      converged = true;
      break;
    }
    if (iterations === maxIter) break;
    let changed: number;
    if (relocated) {
      // A relocated centre invalidates the bounds: assign every row afresh.
      ws.nearestAll(k);
      changed = -1;
    } else {
      for (let c = 0; c < k; c++) {
        let nearest = Number.POSITIVE_INFINITY;
        for (let c2 = 0; c2 < k; c2++) {
          if (c2 !== c) nearest = Math.min(nearest, laneSqDist(centres, c * dp, centres, c2 * dp, dp));
        }
        halfGap[c] = Math.sqrt(nearest) / 2;
      }
      // The kernel first moves the bounds with the centres (own centre moved by moved[a]; the
      // nearest other moved at most maxMove, or secondMove for rows of the centre that moved most).
      changed = ws.hamerly(k, maxMover, maxMove, secondMove);
    }
    if (changed === 0) {
      // Strict convergence: centres computed from these labels are the ones we already have.
      // This E-step opens the next iteration in sklearn's count, so count it as sklearn's n_iter_ does.
      iterations++;
      strict = true;
      converged = true;
      break;
    }
  }
  // After a shift-based stop or the cap, a final E-step makes the labels match the returned centres.
  const inertia = strict ? ws.inertia() : ws.nearestAll(k);
  return { centroids: unpad(centres, k, d, dp), labels: ws.labels.slice(), inertia, iterations, converged };
}

/**
 * Gives empty cluster c the row farthest from its own centre (sklearn's remedy), taking that
 * row out of a cluster with more than one member. Returns false when no row is away from its
 * centre (then the centre stays where it is).
 */
function relocateEmpty(ws: KMeansWorkspace, c: number): boolean {
  const { n, dp, x, centres, labels, counts, sums } = ws;
  let far = -1;
  let farDist = 0;
  for (let i = 0; i < n; i++) {
    const a = labels[i]!;
    if (counts[a]! <= 1) continue;
    const dist = laneSqDist(x, i * dp, centres, a * dp, dp);
    if (dist > farDist) {
      farDist = dist;
      far = i;
    }
  }
  if (far < 0) return false;
  const from = labels[far]!;
  for (let j = 0; j < dp; j++) {
    const v = x[far * dp + j]!;
    sums[from * dp + j]! -= v;
    sums[c * dp + j] = v;
  }
  counts[from]!--;
  counts[c] = 1;
  labels[far] = c;
  return true;
}

/** Copies any matrix to Float64 (k-means works in double precision whatever the input). */
function toFloat64(x: Matrix): Float64Array {
  return x.values instanceof Float64Array ? x.values : Float64Array.from(x.values);
}

/** One restart of k-means (its k-means++ seeding, then Lloyd), as kmeans runs it. */
export interface KMeansRestart {
  /** k' × d centroids (k' ≤ k), row-major. */
  centroids: Float64Array;
  /** Cluster of each row. */
  labels: Int32Array;
  /** Σ squared distance of each row to its centroid. */
  inertia: number;
  /** Lloyd iterations run. */
  iterations: number;
  /** Whether the convergence rule was met before maxIter. */
  converged: boolean;
}

interface Checked {
  xs: Float64Array;
  n: number;
  d: number;
  k: number;
  restarts: number;
  maxIter: number;
  tolAbs: number;
}

/** Validates kmeans's input and options (the messages of kmeans); null when d = 0 (no features). */
function checked(x: Matrix, options: KMeansOptions): Checked | null {
  checkFinite(x, 'k-means input');
  const { n, d } = x;
  const { k } = options;
  const restarts = options.restarts ?? 4;
  const maxIter = options.maxIter ?? 300;
  const tol = options.tol ?? 1e-4;
  if (n === 0) throw new KernelInputError('empty', 'k-means got no rows.');
  if (!Number.isInteger(k) || k < 1) throw new KernelInputError('option', `k must be an integer ≥ 1; got ${k}.`);
  if (!Number.isInteger(restarts) || restarts < 1) {
    throw new KernelInputError('option', `restarts must be an integer ≥ 1; got ${restarts}.`);
  }
  if (!Number.isInteger(maxIter) || maxIter < 1) {
    throw new KernelInputError('option', `maxIter must be an integer ≥ 1; got ${maxIter}.`);
  }
  if (d === 0) return null;
  const xs = toFloat64(x);
  return { xs, n, d, k, restarts, maxIter, tolAbs: tolerance(xs, n, d, tol) };
}

/** Rows without features are all the same point: one cluster, inertia 0. */
function featureless(x: Matrix, options: KMeansOptions): KMeansModel {
  const restarts = options.restarts ?? 4;
  return {
    centroids: new Float64Array(0),
    k: 1,
    d: 0,
    requestedK: options.k,
    reducedK: options.k > 1,
    labels: new Int32Array(x.n),
    sizes: Int32Array.of(x.n),
    inertia: 0,
    iterations: 0,
    converged: true,
    restartInertias: Array.from({ length: restarts }, () => 0),
  };
}

function runRestart(ws: KMeansWorkspace, c: Checked, seed: number, r: number): KMeansRestart {
  const rng = createRng(deriveSeed(seed, `kmeans-restart-${r}`));
  const placed = seedPlusPlus(ws, c.k, rng);
  return lloydHamerly(ws, placed, c.maxIter, c.tolAbs);
}

/** The model of the lowest-inertia restart (the first on ties), restarts in order. */
function bestOf(c: Checked, k: number, runs: readonly KMeansRestart[]): KMeansModel {
  let best: KMeansRestart | null = null;
  for (const run of runs) if (best === null || run.inertia < best.inertia) best = run;
  if (best === null) throw new KernelInputError('option', 'k-means ran no restart.');
  const kOut = best.centroids.length / c.d;
  const sizes = new Int32Array(kOut);
  for (let i = 0; i < c.n; i++) sizes[best.labels[i]!]!++;
  return {
    centroids: best.centroids,
    k: kOut,
    d: c.d,
    requestedK: k,
    reducedK: kOut < k,
    labels: best.labels,
    sizes,
    inertia: best.inertia,
    iterations: best.iterations,
    converged: best.converged,
    restartInertias: runs.map((r) => r.inertia),
  };
}

/** Clusters the rows of x into (at most) options.k groups; see the file header for the rules. */
export function kmeans(x: Matrix, options: KMeansOptions): KMeansModel {
  const c = checked(x, options);
  if (c === null) return featureless(x, options);
  // One workspace for every restart: each restart seeds and iterates from scratch in it.
  const ws = createWorkspace(c.xs, c.n, c.d, c.k, options.native ?? true);
  const runs: KMeansRestart[] = [];
  for (let r = 0; r < c.restarts; r++) runs.push(runRestart(ws, c, options.seed, r));
  return bestOf(c, c.k, runs);
}

/**
 * Restart `restart` (0-based, < options.restarts) of kmeans(x, options) alone, bit-identical to
 * the one kmeans runs: for running restarts on separate lanes; kmeansFromRestarts joins them.
 */
export function kmeansRestart(x: Matrix, options: KMeansOptions, restart: number): KMeansRestart {
  const c = checked(x, options);
  if (!Number.isInteger(restart) || restart < 0 || restart >= (options.restarts ?? 4)) {
    throw new KernelInputError('option', `restart must be an integer in 0..${(options.restarts ?? 4) - 1}; got ${restart}.`);
  }
  if (c === null) return { centroids: new Float64Array(0), labels: new Int32Array(x.n), inertia: 0, iterations: 0, converged: true };
  return runRestart(createWorkspace(c.xs, c.n, c.d, c.k, options.native ?? true), c, options.seed, restart);
}

/** The model kmeans(x, options) returns, from its restarts run separately (kmeansRestart 0..restarts−1, in order). */
export function kmeansFromRestarts(x: Matrix, options: KMeansOptions, runs: readonly KMeansRestart[]): KMeansModel {
  const c = checked(x, options);
  if (c === null) return featureless(x, options);
  if (runs.length !== c.restarts) throw new KernelInputError('option', `${runs.length} restarts given for restarts = ${c.restarts}.`);
  return bestOf(c, c.k, runs);
}

/**
 * Lloyd iterations (Hamerly-accelerated) from given initial centres, without seeding or restarts:
 * for warm starts and for benchmarking against another implementation from the same start.
 * `initial` holds k × d centres; the rules for tol and maxIter are those of kmeans.
 */
export function lloydFrom(
  x: Matrix,
  initial: Float64Array,
  options: { maxIter?: number; tol?: number } = {},
): { centroids: Float64Array; labels: Int32Array; inertia: number; iterations: number; converged: boolean } {
  checkFinite(x, 'k-means input');
  const { n, d } = x;
  if (n === 0) throw new KernelInputError('empty', 'k-means got no rows.');
  if (d === 0 || initial.length === 0 || initial.length % d !== 0) {
    throw new KernelInputError('shape', `Initial centres must hold k × d values with k ≥ 1, d = ${d}; got ${initial.length}.`);
  }
  const xs = toFloat64(x);
  const k = initial.length / d;
  const ws = createWorkspace(xs, n, d, k);
  for (let c = 0; c < k; c++) ws.centres.set(initial.subarray(c * d, c * d + d), c * ws.dp);
  return lloydHamerly(ws, k, options.maxIter ?? 300, tolerance(xs, n, d, options.tol ?? 1e-4));
}

/** sklearn's absolute tolerance: tol × the mean over features of the per-feature variance. */
function tolerance(xs: Float64Array, n: number, d: number, tol: number): number {
  // Row-major passes (the data's layout); each column is still summed in row order.
  const mean = new Float64Array(d);
  for (let i = 0, o = 0; i < n; i++, o += d) for (let j = 0; j < d; j++) mean[j]! += xs[o + j]!;
  for (let j = 0; j < d; j++) mean[j]! /= n;
  const v = new Float64Array(d);
  for (let i = 0, o = 0; i < n; i++, o += d) {
    for (let j = 0; j < d; j++) {
      const t = xs[o + j]! - mean[j]!;
      v[j]! += t * t;
    }
  }
  let meanVar = 0;
  for (let j = 0; j < d; j++) meanVar += v[j]! / n;
  return (meanVar / d) * tol;
}

/** Assigns rows of x (new customers) to the nearest centroid; also returns the squared distances. */
export function assignClusters(model: KMeansModel, x: Matrix): { labels: Int32Array; distances: Float64Array } {
  checkFinite(x, 'Rows to assign');
  const { n, d } = x;
  if (d !== model.d) throw new KernelInputError('shape', `Model was fitted on ${model.d} features; got ${d}.`);
  const xs = toFloat64(x);
  const labels = new Int32Array(n);
  const distances = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    let d1 = Number.POSITIVE_INFINITY;
    for (let c = 0; c < model.k; c++) {
      const dist = laneSqDist(xs, i * d, model.centroids, c * d, d);
      if (dist < d1) {
        d1 = dist;
        best = c;
      }
    }
    labels[i] = best;
    distances[i] = d1;
  }
  return { labels, distances };
}
