/**
 * The hot loops of k-means — squared distances of every row to k centres, Hamerly's bounded
 * E-step, the k-means++ potential — as WebAssembly SIMD (f64x2) kernels emitted at load time,
 * with a plain JavaScript twin that does the very same arithmetic.
 *
 * Both work on one `KMeansWorkspace`: the rows copied into a padded layout of dp = d rounded up
 * to even columns (the pad column is 0, so it adds exactly 0), the centres, labels, Hamerly's
 * bounds and three seeding buffers, all views of one buffer (a WebAssembly.Memory when the
 * kernels compiled). A squared distance is always summed in the same order — even columns in
 * one running sum, odd columns in another, then the two added — which is what one f64x2
 * accumulator does lane by lane. So the WebAssembly kernels and the JavaScript twin give
 * bit-identical results, on every machine (WebAssembly floating point is IEEE-exact; no fused
 * multiply-add is used), and a shared pipeline reproduces the same segments everywhere.
 *
 * Why not JavaScript alone: V8 runs the distance loop at ~0.5 GFLOP/s (measured, 100,000 × 8
 * rows against 8 centres: 11–13 ms a pass); the f64x2 kernel with the column loop unrolled
 * does the same pass several times faster (see `npm run bench -- segment`).
 */
import { assembleModule, FunctionBuilder } from './wasm-emitter.ts';

/** Shared state of one k-means fit; see the file header. Buffers are views, never reallocated. */
export interface KMeansWorkspace {
  /** Rows, n × dp, padded with zeros when d is odd. */
  readonly x: Float64Array;
  /** Centres, kMax × dp (only the first k rows are in use). */
  readonly centres: Float64Array;
  /** Nearest centre per row. */
  readonly labels: Int32Array;
  /** Hamerly's bounds: upper ≥ distance to own centre, lower ≤ distance to any other (not squared). */
  readonly upper: Float64Array;
  readonly lower: Float64Array;
  /** Half the distance from each centre to its nearest other centre. */
  readonly halfGap: Float64Array;
  /** How far each centre moved in the last M-step (not squared). */
  readonly moved: Float64Array;
  /** Per-centre column sums and row counts of the M-step. */
  readonly sums: Float64Array;
  readonly counts: Int32Array;
  /** Three per-row buffers for seeding (current minima, a trial's, the best trial's). */
  readonly seed: readonly [Float64Array, Float64Array, Float64Array];
  readonly n: number;
  readonly d: number;
  readonly dp: number;
  readonly kMax: number;
  /** True when the WebAssembly kernels run; false for the JavaScript twin. */
  readonly native: boolean;
  /** Full assignment of every row to the first k centres: labels, upper = √d1, lower = √d2; returns Σ d1. */
  nearestAll(k: number): number;
  /**
   * One Hamerly E-step: first each row's bounds follow the centres (upper += moved[own],
   * lower −= the largest move of any other centre: `secondMove` for rows of `maxMover`, else
   * `maxMove`), then rows whose bounds cannot rule out a change are reassigned. halfGap and
   * moved must be filled. Returns how many labels changed.
   */
  hamerly(k: number, maxMover: number, maxMove: number, secondMove: number): number;
  /** M-step sums: counts[c] = rows labelled c, sums[c] = Σ of their rows (both zeroed first by the caller). */
  accumulate(): void;
  /** out[i] = min(closest[i], ‖x_i − x_candidate‖²) over seed buffers; returns Σ out[i]. */
  potential(candidate: number, closest: 0 | 1 | 2, out: 0 | 1 | 2): number;
  /** Σ ‖x_i − c_labels[i]‖². */
  inertia(): number;
}

/**
 * Squared distance of row a (offset ao) of xs to row b (offset bo) of ys over d columns, in the
 * kernels' order: even columns in one sum, odd columns in another, then the two added. For odd
 * d this equals the padded layout's result (the pad column adds exactly 0).
 */
export function laneSqDist(xs: Float64Array, ao: number, ys: Float64Array, bo: number, d: number): number {
  let s0 = 0;
  let s1 = 0;
  let j = 0;
  for (; j + 1 < d; j += 2) {
    const t0 = xs[ao + j]! - ys[bo + j]!;
    const t1 = xs[ao + j + 1]! - ys[bo + j + 1]!;
    s0 += t0 * t0;
    s1 += t1 * t1;
  }
  if (j < d) {
    const t0 = xs[ao + j]! - ys[bo + j]!;
    s0 += t0 * t0;
  }
  return s0 + s1;
}

/** Even column count that holds d columns. */
export function paddedWidth(d: number): number {
  return d + (d & 1);
}

interface Layout {
  x: number;
  centres: number;
  labels: number;
  upper: number;
  lower: number;
  halfGap: number;
  moved: number;
  sums: number;
  counts: number;
  seed: [number, number, number];
  total: number;
}

function layout(n: number, dp: number, kMax: number): Layout {
  let at = 0;
  const take = (bytes: number): number => {
    const start = at;
    at += Math.ceil(bytes / 16) * 16;
    return start;
  };
  const x = take(n * dp * 8);
  const centres = take(kMax * dp * 8);
  const labels = take(n * 4);
  const upper = take(n * 8);
  const lower = take(n * 8);
  const halfGap = take(kMax * 8);
  const moved = take(kMax * 8);
  const sums = take(kMax * dp * 8);
  const counts = take(kMax * 4);
  const seed: [number, number, number] = [take(n * 8), take(n * 8), take(n * 8)];
  return { x, centres, labels, upper, lower, halfGap, moved, sums, counts, seed, total: at };
}

type Views = Pick<KMeansWorkspace, 'x' | 'centres' | 'labels' | 'upper' | 'lower' | 'halfGap' | 'moved' | 'sums' | 'counts' | 'seed'>;
type Kernels = Pick<KMeansWorkspace, 'nearestAll' | 'hamerly' | 'potential' | 'inertia' | 'accumulate'>;

function views(buffer: ArrayBuffer, l: Layout, n: number, dp: number, kMax: number): Views {
  return {
    x: new Float64Array(buffer, l.x, n * dp),
    centres: new Float64Array(buffer, l.centres, kMax * dp),
    labels: new Int32Array(buffer, l.labels, n),
    upper: new Float64Array(buffer, l.upper, n),
    lower: new Float64Array(buffer, l.lower, n),
    halfGap: new Float64Array(buffer, l.halfGap, kMax),
    moved: new Float64Array(buffer, l.moved, kMax),
    sums: new Float64Array(buffer, l.sums, kMax * dp),
    counts: new Int32Array(buffer, l.counts, kMax),
    seed: [new Float64Array(buffer, l.seed[0], n), new Float64Array(buffer, l.seed[1], n), new Float64Array(buffer, l.seed[2], n)],
  };
}

/** The JavaScript twin of the kernels, over plain views. */
function jsKernels(v: Views, n: number, dp: number): Kernels {
  const { x, centres, labels, upper, lower, halfGap, moved, sums, counts, seed } = v;
  /** Assigns row i (offset o) to its nearest of k centres, sets its bounds, returns d1. */
  const nearestTwo = (o: number, k: number, i: number): number => {
    let best = 0;
    let d1 = Number.POSITIVE_INFINITY;
    let d2 = Number.POSITIVE_INFINITY;
    for (let c = 0; c < k; c++) {
      const s = laneSqDist(x, o, centres, c * dp, dp);
      if (s < d1) {
        d2 = d1;
        d1 = s;
        best = c;
      } else if (s < d2) d2 = s;
    }
    labels[i] = best;
    upper[i] = Math.sqrt(d1);
    lower[i] = Math.sqrt(d2);
    return d1;
  };
  return {
    nearestAll(k) {
      let total = 0;
      for (let i = 0, o = 0; i < n; i++, o += dp) total += nearestTwo(o, k, i);
      return total;
    },
    hamerly(k, maxMover, maxMove, secondMove) {
      let changed = 0;
      for (let i = 0, o = 0; i < n; i++, o += dp) {
        const a = labels[i]!;
        const up = upper[i]! + moved[a]!;
        const lo = lower[i]! - (a === maxMover ? secondMove : maxMove);
        upper[i] = up;
        lower[i] = lo;
        const g = halfGap[a]!;
        const bound = g > lo ? g : lo;
        if (up <= bound) continue;
        const u = Math.sqrt(laneSqDist(x, o, centres, a * dp, dp));
        upper[i] = u;
        if (u <= bound) continue;
        nearestTwo(o, k, i);
        if (labels[i] !== a) changed++;
      }
      return changed;
    },
    potential(candidate, closest, out) {
      const prev = seed[closest];
      const next = seed[out];
      const co = candidate * dp;
      let pot = 0;
      for (let i = 0, o = 0; i < n; i++, o += dp) {
        const s = laneSqDist(x, o, x, co, dp);
        const p = prev[i]!;
        const m = s < p ? s : p;
        next[i] = m;
        pot += m;
      }
      return pot;
    },
    inertia() {
      let total = 0;
      for (let i = 0, o = 0; i < n; i++, o += dp) total += laneSqDist(x, o, centres, labels[i]! * dp, dp);
      return total;
    },
    accumulate() {
      for (let i = 0, o = 0; i < n; i++, o += dp) {
        const c = labels[i]!;
        counts[c]!++;
        const so = c * dp;
        for (let j = 0; j < dp; j++) sums[so + j]! += x[o + j]!;
      }
    },
  };
}

/**
 * Emits `s = ‖row − centre‖²` onto the stack, in the lane order of laneSqDist: one f64x2
 * accumulator over the column pairs (unrolled; offsets are static), then lane 0 + lane 1.
 */
function emitSqDist(f: FunctionBuilder, row: number, centre: number, pairs: number, acc: number, t: number): void {
  for (let p = 0; p < pairs; p++) {
    f.get(row).v128Load(16 * p).get(centre).v128Load(16 * p).simd('f64x2.sub').tee(t).get(t).simd('f64x2.mul');
    if (p > 0) f.get(acc).simd('f64x2.add');
    f.set(acc);
  }
  f.get(acc).f64x2ExtractLane(0).get(acc).f64x2ExtractLane(1).op('f64.add');
}

/**
 * Emits the nearest-two search of row `row` over k centres at `cBase`: leaves best in `best`,
 * the two smallest squared distances in d1, d2 as i64 bit patterns (the JavaScript twin's
 * nearestTwo). Taking centres two at a time or holding the row in v128 locals measured no
 * faster (2.2–2.35 ms a pass either way at 100,000 × 8, k = 8), so neither is done.
 */
function emitNearestTwo(
  f: FunctionBuilder,
  l: { row: number; cBase: number; k: number; best: number; d1: number; d2: number; cc: number; cp: number; sBits: number; lt: number; acc: number; t: number },
  pairs: number,
  rowBytes: number,
): void {
  f.i32(0).set(l.best).f64(Number.POSITIVE_INFINITY).op('i64.reinterpret_f64').tee(l.d1).set(l.d2);
  f.i32(0).set(l.cc).get(l.cBase).set(l.cp);
  // The twin's `if (s < d1) {d2 = d1; d1 = s; best = c} else if (s < d2) d2 = s`, c = cc,
  // without branches (they mispredict on real data: measured 2.2 of 4 ms a pass). Distances are
  // ≥ +0 and never NaN, and for such doubles the order of the bit patterns read as signed i64
  // is the numeric order, so compares and selects run on i64 (integer compare, cmov) and give
  // exactly the twin's results.
  f.loop();
  emitSqDist(f, l.row, l.cp, pairs, l.acc, l.t);
  f.op('i64.reinterpret_f64').set(l.sBits);
  f.get(l.sBits).get(l.d1).op('i64.lt_s').set(l.lt);
  f.get(l.d1).get(l.sBits).get(l.d2).get(l.sBits).get(l.d2).op('i64.lt_s').op('select').get(l.lt).op('select').set(l.d2);
  f.get(l.sBits).get(l.d1).get(l.lt).op('select').set(l.d1);
  f.get(l.cc).get(l.best).get(l.lt).op('select').set(l.best);
  f.get(l.cp).i32(rowBytes).op('i32.add').set(l.cp);
  f.get(l.cc).i32(1).op('i32.add').tee(l.cc).get(l.k).op('i32.lt_s').brIf(0);
  f.end();
}

/** Emits `for (i = 0, row = X; i < N; i++, row += rowBytes) body()`; nothing runs when N < 1. */
function emitRowLoop(f: FunctionBuilder, l: { i: number; row: number }, X: number, N: number, rowBytes: number, body: () => void): void {
  f.i32(0).set(l.i).get(X).set(l.row);
  f.block().get(N).i32(1).op('i32.lt_s').brIf(0);
  f.loop();
  body();
  f.get(l.row).i32(rowBytes).op('i32.add').set(l.row);
  f.get(l.i).i32(1).op('i32.add').tee(l.i).get(N).op('i32.lt_s').brIf(0);
  f.end().end();
}

function commonLocals(f: FunctionBuilder) {
  return {
    i: f.local('i32'),
    row: f.local('i32'),
    best: f.local('i32'),
    cc: f.local('i32'),
    cp: f.local('i32'),
    lt: f.local('i32'),
    d1: f.local('i64'),
    d2: f.local('i64'),
    sBits: f.local('i64'),
    s: f.local('f64'),
    s2: f.local('f64'),
    total: f.local('f64'),
    acc: f.local('v128'),
    t: f.local('v128'),
  };
}

/** nearestAll(x, n, c, k, labels, upper, lower) → Σ d1. */
function emitNearestAll(dp: number): FunctionBuilder {
  const pairs = dp / 2;
  const rowBytes = dp * 8;
  const f = new FunctionBuilder('nearestAll', ['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32'], ['f64']);
  const [X, N, C, K, LABELS, UPPER, LOWER] = [0, 1, 2, 3, 4, 5, 6];
  const l = commonLocals(f);
  const nt = { ...l, cBase: C, k: K };
  f.f64(0).set(l.total);
  emitRowLoop(f, l, X, N, rowBytes, () => {
    emitNearestTwo(f, nt, pairs, rowBytes);
    f.elementAddress(LABELS, l.i, 2).get(l.best).i32Store();
    f.elementAddress(UPPER, l.i, 3).get(l.d1).op('f64.reinterpret_i64').op('f64.sqrt').f64Store();
    f.elementAddress(LOWER, l.i, 3).get(l.d2).op('f64.reinterpret_i64').op('f64.sqrt').f64Store();
    f.get(l.total).get(l.d1).op('f64.reinterpret_i64').op('f64.add').set(l.total);
  });
  f.get(l.total);
  return f;
}

/** hamerly(x, n, c, k, labels, upper, lower, halfGap, moved, maxMover, maxMove, secondMove) → labels changed. */
function emitHamerly(dp: number): FunctionBuilder {
  const pairs = dp / 2;
  const rowBytes = dp * 8;
  const f = new FunctionBuilder('hamerly', ['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'f64', 'f64'], ['i32']);
  const [X, N, C, K, LABELS, UPPER, LOWER, GAP, MOVED, MAX_MOVER, MAX_MOVE, SECOND_MOVE] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const l = commonLocals(f);
  const a = f.local('i32');
  const changed = f.local('i32');
  const bound = f.local('f64');
  const u = f.local('f64');
  const lo = f.local('f64');
  const at4 = f.local('i32');
  const at8 = f.local('i32');
  const nt = { ...l, cBase: C, k: K };
  f.i32(0).set(changed);
  emitRowLoop(f, l, X, N, rowBytes, () => {
    f.block();
    f.elementAddress(LABELS, l.i, 2).tee(at4).i32Load().set(a);
    f.get(l.i).i32(3).op('i32.shl').set(at8);
    // The bounds follow the centres: upper += moved[a]; lower −= (a === maxMover ? secondMove : maxMove).
    f.get(UPPER).get(at8).op('i32.add');
    f.get(UPPER).get(at8).op('i32.add').f64Load().elementAddress(MOVED, a, 3).f64Load().op('f64.add');
    f.tee(u).f64Store();
    f.get(LOWER).get(at8).op('i32.add');
    f.get(LOWER).get(at8).op('i32.add').f64Load().get(SECOND_MOVE).get(MAX_MOVE).get(a).get(MAX_MOVER).op('i32.eq').op('select').op('f64.sub');
    f.tee(lo).f64Store();
    // bound = max(halfGap[a], lower[i]) written as the twin's `g > lo ? g : lo`.
    f.elementAddress(GAP, a, 3).f64Load().set(bound);
    f.get(bound).get(lo).get(bound).get(lo).op('f64.gt').op('select').set(bound);
    f.get(u).get(bound).op('f64.le').brIf(0);
    // Tighten the upper bound with the distance to the own centre.
    f.rowAddress(C, a, rowBytes).set(l.cp);
    emitSqDist(f, l.row, l.cp, pairs, l.acc, l.t);
    f.op('f64.sqrt').set(u);
    f.get(UPPER).get(at8).op('i32.add').get(u).f64Store();
    f.get(u).get(bound).op('f64.le').brIf(0);
    emitNearestTwo(f, nt, pairs, rowBytes);
    f.get(at4).get(l.best).i32Store();
    f.get(UPPER).get(at8).op('i32.add').get(l.d1).op('f64.reinterpret_i64').op('f64.sqrt').f64Store();
    f.get(LOWER).get(at8).op('i32.add').get(l.d2).op('f64.reinterpret_i64').op('f64.sqrt').f64Store();
    f.get(changed).get(l.best).get(a).op('i32.ne').op('i32.add').set(changed);
    f.end();
  });
  f.get(changed);
  return f;
}

/** accumulate(x, n, labels, sums, counts): M-step sums, row by row in order. */
function emitAccumulate(dp: number): FunctionBuilder {
  const pairs = dp / 2;
  const rowBytes = dp * 8;
  const f = new FunctionBuilder('accumulate', ['i32', 'i32', 'i32', 'i32', 'i32'], []);
  const [X, N, LABELS, SUMS, COUNTS] = [0, 1, 2, 3, 4];
  const i = f.local('i32');
  const row = f.local('i32');
  const c = f.local('i32');
  const sp = f.local('i32');
  emitRowLoop(f, { i, row }, X, N, rowBytes, () => {
    f.elementAddress(LABELS, i, 2).i32Load().set(c);
    f.elementAddress(COUNTS, c, 2).tee(sp);
    f.get(sp).i32Load().i32(1).op('i32.add').i32Store();
    f.rowAddress(SUMS, c, rowBytes).set(sp);
    for (let p = 0; p < pairs; p++) {
      f.get(sp).get(sp).v128Load(16 * p).get(row).v128Load(16 * p).simd('f64x2.add').v128Store(16 * p);
    }
  });
  return f;
}

/** potential(x, n, candidate address, closest, out) → Σ out. */
function emitPotential(dp: number): FunctionBuilder {
  const pairs = dp / 2;
  const rowBytes = dp * 8;
  const f = new FunctionBuilder('potential', ['i32', 'i32', 'i32', 'i32', 'i32'], ['f64']);
  const [X, N, CAND, PREV, OUT] = [0, 1, 2, 3, 4];
  const l = commonLocals(f);
  const p = f.local('f64');
  f.f64(0).set(l.total);
  emitRowLoop(f, l, X, N, rowBytes, () => {
    emitSqDist(f, l.row, CAND, pairs, l.acc, l.t);
    f.set(l.s);
    f.elementAddress(PREV, l.i, 3).f64Load().set(p);
    // m = s < p ? s : p, on the i64 bit patterns (both ≥ +0, never NaN: same order, no branch).
    f.get(l.s).op('i64.reinterpret_f64').get(p).op('i64.reinterpret_f64');
    f.get(l.s).op('i64.reinterpret_f64').get(p).op('i64.reinterpret_f64').op('i64.lt_s').op('select');
    f.op('f64.reinterpret_i64').set(l.s2);
    f.elementAddress(OUT, l.i, 3).get(l.s2).f64Store();
    f.get(l.total).get(l.s2).op('f64.add').set(l.total);
  });
  f.get(l.total);
  return f;
}

/** inertia(x, n, c, labels) → Σ ‖x_i − c_labels[i]‖². */
function emitInertia(dp: number): FunctionBuilder {
  const pairs = dp / 2;
  const rowBytes = dp * 8;
  const f = new FunctionBuilder('inertia', ['i32', 'i32', 'i32', 'i32'], ['f64']);
  const [X, N, C, LABELS] = [0, 1, 2, 3];
  const l = commonLocals(f);
  f.f64(0).set(l.total);
  emitRowLoop(f, l, X, N, rowBytes, () => {
    f.get(C).elementAddress(LABELS, l.i, 2).i32Load().i32(rowBytes).op('i32.mul').op('i32.add').set(l.cp);
    emitSqDist(f, l.row, l.cp, pairs, l.acc, l.t);
    f.get(l.total).op('f64.add').set(l.total);
  });
  f.get(l.total);
  return f;
}

/** The assembled kernels for rows of dp (even) columns. */
export function kmeansKernelBytes(dp: number): Uint8Array<ArrayBuffer> {
  if (dp < 2 || dp % 2 !== 0) throw new RangeError(`k-means kernels need an even column count ≥ 2; got ${dp}.`);
  return assembleModule([emitNearestAll(dp), emitHamerly(dp), emitPotential(dp), emitInertia(dp), emitAccumulate(dp)]);
}

const modules = new Map<number, WebAssembly.Module | null>();
const PAGE = 65536;
/** Widest rows given kernels; wider ones (rare in segmentation) use the JavaScript twin. */
const MAX_NATIVE_WIDTH = 256;
/** Largest workspace given to the kernels (32-bit addresses; kept below 2 GiB). */
const MAX_NATIVE_BYTES = 2 ** 31 - PAGE;

/** The compiled kernels for dp columns, or null where WebAssembly SIMD or synchronous compilation is unavailable. */
function moduleFor(dp: number): WebAssembly.Module | null {
  if (modules.has(dp)) return modules.get(dp)!;
  let module: WebAssembly.Module | null = null;
  try {
    if (typeof WebAssembly === 'object' && dp <= MAX_NATIVE_WIDTH) module = new WebAssembly.Module(kmeansKernelBytes(dp));
  } catch {
    // No SIMD, or a browser main thread refusing synchronous compilation: the twin runs instead.
    module = null;
  }
  modules.set(dp, module);
  return module;
}

/**
 * A workspace for n rows of d columns (row-major `xs`) and up to kMax centres, with the rows
 * copied in. `preferNative: false` forces the JavaScript twin (tests compare the two).
 */
export function createWorkspace(xs: ArrayLike<number>, n: number, d: number, kMax: number, preferNative = true): KMeansWorkspace {
  const dp = paddedWidth(Math.max(d, 1));
  const l = layout(n, dp, Math.max(kMax, 1));
  const module = preferNative ? moduleFor(dp) : null;
  let buffer: ArrayBuffer | null = null;
  let instance: WebAssembly.Instance | null = null;
  // The kernels address memory with 32-bit offsets: a workspace over 2 GiB (or a memory the
  // engine will not grant) runs in the twin, over a plain buffer.
  if (module && l.total <= MAX_NATIVE_BYTES) {
    try {
      const memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(l.total / PAGE)) });
      instance = new WebAssembly.Instance(module, { env: { memory } });
      buffer = memory.buffer;
    } catch {
      instance = null;
    }
  }
  buffer ??= new ArrayBuffer(l.total);
  const v = views(buffer, l, n, dp, Math.max(kMax, 1));
  if (d === dp && (xs instanceof Float64Array || xs instanceof Float32Array)) v.x.set(xs.subarray(0, n * d));
  else if (xs instanceof Float64Array) for (let i = 0; i < n; i++) v.x.set(xs.subarray(i * d, i * d + d), i * dp);
  else for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) v.x[i * dp + j] = xs[i * d + j]!;
  const base = { ...v, n, d, dp, kMax: Math.max(kMax, 1) };
  if (!instance) return { ...base, native: false, ...jsKernels(v, n, dp) };
  const ex = instance.exports as Record<string, (...args: number[]) => number>;
  const { nearestAll, hamerly, potential, inertia, accumulate } = ex;
  if (!nearestAll || !hamerly || !potential || !inertia || !accumulate) return { ...base, native: false, ...jsKernels(v, n, dp) };
  return {
    ...base,
    native: true,
    nearestAll: (k) => nearestAll(l.x, n, l.centres, k, l.labels, l.upper, l.lower),
    hamerly: (k, maxMover, maxMove, secondMove) =>
      hamerly(l.x, n, l.centres, k, l.labels, l.upper, l.lower, l.halfGap, l.moved, maxMover, maxMove, secondMove),
    accumulate: () => void accumulate(l.x, n, l.labels, l.sums, l.counts),
    potential: (candidate, closest, out) => potential(l.x, n, l.x + candidate * dp * 8, l.seed[closest], l.seed[out]),
    inertia: () => inertia(l.x, n, l.centres, l.labels),
  };
}
