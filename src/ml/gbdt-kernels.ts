/**
 * The booster's hot loop, the gradient/hessian histogram of a node, as a WebAssembly kernel
 * emitted at load time (src/ml/wasm-emitter.ts), with a JavaScript twin where WebAssembly is
 * unavailable or the workspace would not fit in 32-bit memory.
 *
 * Layout: bins row-major (row r's F bin bytes at r·F, so a row is one cache line rather than
 * F), the row indices partitioned node by node, float64 gradients and hessians per row (read
 * through the index, so no gather pass), and a fixed pool of histograms of F × 256 × [g, h, count] float64 each. Per row the
 * kernel reads the index, g and h once and adds them to F histogram cells; bins are read as
 * an unaligned 32-bit load masked to its low byte (4 bytes of padding follow the bins).
 * Measured on a loaded 2-core machine, 100,000 rows × 20 features: 15–23 ms per histogram
 * against 80–97 ms for the column-major JavaScript loop it replaces (same sums, bit for bit).
 */
import { assembleModule, FunctionBuilder } from './wasm-emitter.ts';

/** Float64 cells per feature in a histogram: 256 bins × [sum g, sum h, count]. */
export const CELLS_PER_FEATURE = 768;

/** Where the trainer keeps its binned rows, indices, gathered gradients and histograms. */
export interface HistogramWorkspace {
  /** n × F bin codes, row-major. */
  bins: Uint8Array;
  /** Row indices, partitioned node by node. */
  index: Uint32Array;
  /** Gradient per row (float64, read by row index: no gather pass). */
  grad: Float64Array;
  /** Hessian per row. */
  hess: Float64Array;
  /** Whether the WebAssembly kernel runs (else the JavaScript twin). */
  native: boolean;
  /** A zeroed histogram from the pool. */
  take(): Float64Array;
  /** Returns a histogram to the pool. */
  give(hist: Float64Array): void;
  /** Adds rows index[start, start + m) into hist. */
  build(hist: Float64Array, start: number, m: number): void;
}

function emitHistogram(): FunctionBuilder {
  const fb = new FunctionBuilder('histogram', ['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32'], []);
  const [BINS, F, IDX, M, G, H, HIST] = [0, 1, 2, 3, 4, 5, 6];
  const k = fb.local('i32');
  const r = fb.local('i32');
  const rowp = fb.local('i32');
  const rowEnd = fb.local('i32');
  const o = fb.local('i32');
  const a = fb.local('i32');
  const g = fb.local('f64');
  const h = fb.local('f64');
  const featureBytes = CELLS_PER_FEATURE * 8;
  fb.i32(0).set(k);
  fb.block().loop();
  fb.get(k).get(M).op('i32.ge_s').brIf(1);
  fb.get(IDX).get(k).i32(2).op('i32.shl').op('i32.add').i32Load().set(r);
  fb.get(BINS).get(r).get(F).op('i32.mul').op('i32.add').set(rowp);
  fb.get(rowp).get(F).op('i32.add').set(rowEnd);
  fb.get(G).get(r).i32(3).op('i32.shl').op('i32.add').f64Load().set(g);
  fb.get(H).get(r).i32(3).op('i32.shl').op('i32.add').f64Load().set(h);
  fb.get(HIST).set(o);
  fb.block().loop();
  fb.get(rowp).get(rowEnd).op('i32.ge_s').brIf(1);
  fb.get(o).get(rowp).i32Load().i32(255).op('i32.and').i32(24).op('i32.mul').op('i32.add').set(a);
  fb.get(a).get(a).f64Load(0).get(g).op('f64.add').f64Store(0);
  fb.get(a).get(a).f64Load(8).get(h).op('f64.add').f64Store(8);
  fb.get(a).get(a).f64Load(16).f64(1).op('f64.add').f64Store(16);
  fb.get(o).i32(featureBytes).op('i32.add').set(o);
  fb.get(rowp).i32(1).op('i32.add').set(rowp);
  fb.br(0).end().end();
  fb.get(k).i32(1).op('i32.add').set(k);
  fb.br(0).end().end();
  return fb;
}

let compiled: WebAssembly.Module | null | undefined;

function histogramModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  try {
    compiled = typeof WebAssembly === 'object' ? new WebAssembly.Module(assembleModule([emitHistogram()])) : null;
  } catch {
    // A main thread refusing synchronous compilation, or no WebAssembly: the twin runs.
    compiled = null;
  }
  return compiled;
}

const PAGE = 65536;
const MAX_NATIVE_BYTES = 2 ** 31 - PAGE;

function jsBuild(bins: Uint8Array, F: number, index: Uint32Array, grad: Float64Array, hess: Float64Array, hist: Float64Array, start: number, m: number): void {
  for (let k = 0; k < m; k++) {
    const r = index[start + k]!;
    const row = r * F;
    const g = grad[r]!;
    const h = hess[r]!;
    for (let f = 0; f < F; f++) {
      const o = f * CELLS_PER_FEATURE + bins[row + f]! * 3;
      hist[o]! += g;
      hist[o + 1]! += h;
      hist[o + 2]! += 1;
    }
  }
}

/**
 * A workspace for n rows of F features with `slots` histograms (the most a tree holds at once:
 * its leaves + 1). `preferNative: false` forces the JavaScript twin (tests compare the two).
 */
export function createHistogramWorkspace(n: number, F: number, slots: number, preferNative = true): HistogramWorkspace {
  const histBytes = F * CELLS_PER_FEATURE * 8;
  const align = (x: number): number => Math.ceil(x / 8) * 8;
  const binsBytes = align(n * F + 4);
  const indexAt = binsBytes;
  const ogAt = align(indexAt + 4 * n);
  const ohAt = ogAt + 8 * n;
  const histAt = ohAt + 8 * n;
  const total = histAt + slots * histBytes;
  const module = preferNative && total <= MAX_NATIVE_BYTES ? histogramModule() : null;
  if (module) {
    try {
      const memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(total / PAGE)) });
      const instance = new WebAssembly.Instance(module, { env: { memory } });
      const kernel = instance.exports.histogram;
      if (typeof kernel === 'function') {
        const buf = memory.buffer;
        const free: Float64Array[] = [];
        for (let s = slots - 1; s >= 0; s--) free.push(new Float64Array(buf, histAt + s * histBytes, F * CELLS_PER_FEATURE));
        return {
          bins: new Uint8Array(buf, 0, n * F),
          index: new Uint32Array(buf, indexAt, n),
          grad: new Float64Array(buf, ogAt, n),
          hess: new Float64Array(buf, ohAt, n),
          native: true,
          take: () => {
            const h = free.pop();
            if (!h) throw new RangeError(`All ${slots} histogram slots are in use.`);
            h.fill(0);
            return h;
          },
          give: (h) => void free.push(h),
          build: (hist, start, m) => void kernel(0, F, indexAt + 4 * start, m, ogAt, ohAt, hist.byteOffset),
        };
      }
    } catch {
      // The engine would not grant the memory: fall through to the twin.
    }
  }
  const bins = new Uint8Array(n * F);
  const index = new Uint32Array(n);
  const grad = new Float64Array(n);
  const hess = new Float64Array(n);
  const free: Float64Array[] = [];
  return {
    bins,
    index,
    grad,
    hess,
    native: false,
    take: () => {
      const h = free.pop();
      if (!h) return new Float64Array(F * CELLS_PER_FEATURE);
      h.fill(0);
      return h;
    },
    give: (h) => void free.push(h),
    build: (hist, start, m) => jsBuild(bins, F, index, grad, hess, hist, start, m),
  };
}
