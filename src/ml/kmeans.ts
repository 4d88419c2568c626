/**
 * k-means for customer segmentation: greedy k-means++ seeding with seeded restarts, then
 * Lloyd iterations accelerated with Hamerly's bounds (same fixed point as plain Lloyd; the
 * bounds only skip distance computations that cannot change an assignment).
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

/** Squared Euclidean distance between row a of xs (offset ao) and row b of ys (offset bo). */
function sqDist(xs: Float64Array, ao: number, ys: Float64Array, bo: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) {
    const t = xs[ao + j]! - ys[bo + j]!;
    s += t * t;
  }
  return s;
}

/**
 * Index of the centre nearest to row `o` (offset) of x, writing the squared distances to the
 * nearest and second-nearest centre into out[0], out[1]. A small separate function keeps the
 * engine's inlining of the distance loop reliable in the bigger callers.
 */
function nearestTwo(x: Float64Array, o: number, centroids: Float64Array, k: number, d: number, out: Float64Array): number {
  let best = 0;
  let d1 = Number.POSITIVE_INFINITY;
  let d2 = Number.POSITIVE_INFINITY;
  for (let c = 0, co = 0; c < k; c++, co += d) {
    let s = 0;
    for (let j = 0; j < d; j++) {
      const t = x[o + j]! - centroids[co + j]!;
      s += t * t;
    }
    if (s < d1) {
      d2 = d1;
      d1 = s;
      best = c;
    } else if (s < d2) d2 = s;
  }
  out[0] = d1;
  out[1] = d2;
  return best;
}

/**
 * Potential Σ_i min(closest_i, ‖x_i − x_candidate‖²) if `candidate` were added; the new minima go
 * to `out`. Kept as its own small function so the engine optimises this hot loop on its own.
 */
function potentialWith(
  x: Float64Array,
  n: number,
  d: number,
  candidate: number,
  closest: Float64Array,
  out: Float64Array,
): number {
  const c = x.slice(candidate * d, candidate * d + d);
  let pot = 0;
  for (let i = 0, o = 0; i < n; i++, o += d) {
    let s = 0;
    for (let j = 0; j < d; j++) {
      const t = x[o + j]! - c[j]!;
      s += t * t;
    }
    const prev = closest[i]!;
    const v = s < prev ? s : prev;
    out[i] = v;
    pot += v;
  }
  return pot;
}

/**
 * Greedy k-means++ (sklearn's variant): the first centre is a uniform random row; each next one
 * is the best, by resulting potential, of 2 + ⌊ln k⌋ candidates drawn with probability ∝ D²(x).
 * Stops early when the potential is 0 (every row already sits on a centre).
 */
export function kmeansPlusPlus(x: Float64Array, n: number, d: number, k: number, rng: Rng): Float64Array {
  const trials = 2 + Math.floor(Math.log(k));
  const centres: number[] = [];
  const first = rng.int(n);
  centres.push(first);
  let closest = new Float64Array(n);
  let potential = 0;
  for (let i = 0; i < n; i++) {
    closest[i] = sqDist(x, i * d, x, first * d, d);
    potential += closest[i]!;
  }
  const cumulative = new Float64Array(n);
  // Three buffers swapped rather than copied: the current minima, a trial's minima, the best trial's.
  let candidateDist = new Float64Array(n);
  let bestDist = new Float64Array(n);
  while (centres.length < k && potential > 0) {
    let acc = 0;
    for (let i = 0; i < n; i++) {
      acc += closest[i]!;
      cumulative[i] = acc;
    }
    let bestPot = Number.POSITIVE_INFINITY;
    let bestId = -1;
    for (let t = 0; t < trials; t++) {
      const target = rng.next() * acc;
      // First index whose cumulative sum exceeds the target: a draw proportional to D².
      let lo = firstAbove(cumulative, n, target);
      // A row with D² = 0 can only be hit through rounding; move to the next row that has mass.
      while (lo < n - 1 && closest[lo] === 0) lo++;
      const id = lo;
      const pot = potentialWith(x, n, d, id, closest, candidateDist);
      if (pot < bestPot) {
        bestPot = pot;
        bestId = id;
        const spare = bestDist;
        bestDist = candidateDist;
        candidateDist = spare;
      }
    }
    if (closest[bestId] === 0) break;
    centres.push(bestId);
    const spare = closest;
    closest = bestDist;
    bestDist = spare;
    potential = bestPot;
  }
  const out = new Float64Array(centres.length * d);
  centres.forEach((row, c) => out.set(x.subarray(row * d, row * d + d), c * d));
  return out;
}

interface RunResult {
  centroids: Float64Array;
  labels: Int32Array;
  inertia: number;
  iterations: number;
  converged: boolean;
}

/** Lloyd's algorithm from the given centres, with Hamerly's upper/lower distance bounds. */
function lloydHamerly(
  x: Float64Array,
  n: number,
  d: number,
  initial: Float64Array,
  k: number,
  maxIter: number,
  tolAbs: number,
): RunResult {
  const centroids = Float64Array.from(initial);
  const labels = new Int32Array(n);
  const upper = new Float64Array(n); // ≥ distance to own centre
  const lower = new Float64Array(n); // ≤ distance to every other centre
  const sums = new Float64Array(k * d);
  const counts = new Int32Array(k);
  const halfGap = new Float64Array(k);
  const moved = new Float64Array(k);
  const next = new Float64Array(k * d);

  const two = new Float64Array(2);
  // Full first assignment.
  for (let i = 0; i < n; i++) {
    labels[i] = nearestTwo(x, i * d, centroids, k, d, two);
    upper[i] = Math.sqrt(two[0]!);
    lower[i] = Math.sqrt(two[1]!);
  }

  let iterations = 0;
  let converged = false;
  let strict = false;
  while (iterations < maxIter) {
    iterations++;
    // M-step from the current labels.
    sums.fill(0);
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const c = labels[i]!;
      counts[c]!++;
      const o = c * d;
      const xo = i * d;
      for (let j = 0; j < d; j++) sums[o + j]! += x[xo + j]!;
    }
    let relocated = false;
    for (let c = 0; c < k; c++) {
      if (counts[c] === 0) {
        relocated = relocateEmpty(x, n, d, centroids, labels, counts, sums, c) || relocated;
      }
    }
    let shiftTotal = 0;
    let maxMove = 0;
    let secondMove = 0;
    let maxMover = -1;
    for (let c = 0; c < k; c++) {
      const o = c * d;
      const cnt = counts[c]!;
      let shift = 0;
      for (let j = 0; j < d; j++) {
        const v = cnt > 0 ? sums[o + j]! / cnt : centroids[o + j]!;
        next[o + j] = v;
        const t = v - centroids[o + j]!;
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
    centroids.set(next);
    if (shiftTotal <= tolAbs && !relocated) {
      converged = true;
      break;
    }
    if (iterations === maxIter) break;
    // Bounds follow the centres: own centre moved by moved[a]; the nearest other moved at most maxMove.
    for (let i = 0; i < n; i++) {
      const a = labels[i]!;
      upper[i]! += moved[a]!;
      lower[i]! -= a === maxMover ? secondMove : maxMove;
    }
    for (let c = 0; c < k; c++) {
      let nearest = Number.POSITIVE_INFINITY;
      for (let c2 = 0; c2 < k; c2++) {
        if (c2 !== c) nearest = Math.min(nearest, sqDist(centroids, c * d, centroids, c2 * d, d));
      }
      halfGap[c] = Math.sqrt(nearest) / 2;
    }
    // E-step with bounds.
    let changed = 0;
    for (let i = 0; i < n; i++) {
      const a = labels[i]!;
      const bound = Math.max(halfGap[a]!, lower[i]!);
      if (upper[i]! <= bound && !relocated) continue;
      upper[i] = Math.sqrt(sqDist(x, i * d, centroids, a * d, d));
      if (upper[i]! <= bound && !relocated) continue;
      const best = nearestTwo(x, i * d, centroids, k, d, two);
      if (best !== a) changed++;
      labels[i] = best;
      upper[i] = Math.sqrt(two[0]!);
      lower[i] = Math.sqrt(two[1]!);
    }
    if (changed === 0 && !relocated) {
      // Strict convergence: centres computed from these labels are the ones we already have.
      // This E-step opens the next iteration in sklearn's count, so count it as sklearn's n_iter_ does.
      iterations++;
      strict = true;
      converged = true;
      break;
    }
  }
  let inertia = 0;
  if (strict) {
    for (let i = 0; i < n; i++) inertia += sqDist(x, i * d, centroids, labels[i]! * d, d);
    return { centroids, labels, inertia, iterations, converged };
  }
  // After a shift-based stop or the cap, a final E-step makes the labels match the returned centres.
  for (let i = 0; i < n; i++) {
    let best = 0;
    let d1 = Number.POSITIVE_INFINITY;
    for (let c = 0; c < k; c++) {
      const dist = sqDist(x, i * d, centroids, c * d, d);
      if (dist < d1) {
        d1 = dist;
        best = c;
      }
    }
    labels[i] = best;
    inertia += d1;
  }
  return { centroids, labels, inertia, iterations, converged };
}

/**
 * Gives empty cluster c the row farthest from its own centre (sklearn's remedy), taking that
 * row out of a cluster with more than one member. Returns false when no row is away from its
 * centre (then the centre stays where it is).
 */
function relocateEmpty(
  x: Float64Array,
  n: number,
  d: number,
  centroids: Float64Array,
  labels: Int32Array,
  counts: Int32Array,
  sums: Float64Array,
  c: number,
): boolean {
  let far = -1;
  let farDist = 0;
  for (let i = 0; i < n; i++) {
    const a = labels[i]!;
    if (counts[a]! <= 1) continue;
    const dist = sqDist(x, i * d, centroids, a * d, d);
    if (dist > farDist) {
      farDist = dist;
      far = i;
    }
  }
  if (far < 0) return false;
  const from = labels[far]!;
  for (let j = 0; j < d; j++) {
    const v = x[far * d + j]!;
    sums[from * d + j]! -= v;
    sums[c * d + j] = v;
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

/** Clusters the rows of x into (at most) options.k groups; see the file header for the rules. */
export function kmeans(x: Matrix, options: KMeansOptions): KMeansModel {
  checkFinite(x, 'k-means input');
  const { n, d } = x;
  const { k, seed } = options;
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
  if (d === 0) {
    // Rows without features are all the same point: one cluster, inertia 0.
    return {
      centroids: new Float64Array(0),
      k: 1,
      d,
      requestedK: k,
      reducedK: k > 1,
      labels: new Int32Array(n),
      sizes: Int32Array.of(n),
      inertia: 0,
      iterations: 0,
      converged: true,
      restartInertias: Array.from({ length: restarts }, () => 0),
    };
  }
  const xs = toFloat64(x);
  const tolAbs = tolerance(xs, n, d, tol);

  let best: RunResult | null = null;
  const restartInertias: number[] = [];
  for (let r = 0; r < restarts; r++) {
    const rng = createRng(deriveSeed(seed, `kmeans-restart-${r}`));
    const init = kmeansPlusPlus(xs, n, d, k, rng);
    const run = lloydHamerly(xs, n, d, init, init.length / d, maxIter, tolAbs);
    restartInertias.push(run.inertia);
    if (best === null || run.inertia < best.inertia) best = run;
  }
  if (best === null) throw new KernelInputError('option', 'k-means ran no restart.');
  const kOut = best.centroids.length / d;
  const sizes = new Int32Array(kOut);
  for (let i = 0; i < n; i++) sizes[best.labels[i]!]!++;
  return {
    centroids: best.centroids,
    k: kOut,
    d,
    requestedK: k,
    reducedK: kOut < k,
    labels: best.labels,
    sizes,
    inertia: best.inertia,
    iterations: best.iterations,
    converged: best.converged,
    restartInertias,
  };
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
  return lloydHamerly(xs, n, d, initial, initial.length / d, options.maxIter ?? 300, tolerance(xs, n, d, options.tol ?? 1e-4));
}

/** sklearn's absolute tolerance: tol × the mean over features of the per-feature variance. */
function tolerance(xs: Float64Array, n: number, d: number, tol: number): number {
  let meanVar = 0;
  for (let j = 0; j < d; j++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += xs[i * d + j]!;
    mean /= n;
    let v = 0;
    for (let i = 0; i < n; i++) {
      const t = xs[i * d + j]! - mean;
      v += t * t;
    }
    meanVar += v / n;
  }
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
      const dist = sqDist(xs, i * d, model.centroids, c * d, d);
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
