/**
 * The WebAssembly SIMD kernels behind the native LSTM path: a register-blocked matrix
 * multiply, fused LSTM cell forward/backward steps, Adam and a strided copy. They are emitted with the tiny
 * assembler in wasm-emitter.ts and work on one shared WebAssembly.Memory that the caller
 * lays out; every pointer and stride is in bytes.
 */
import { assembleModule, FunctionBuilder } from '../wasm-emitter.ts';

/** The exported kernel functions (all arguments are i32: counts, byte pointers, byte strides). */
export interface NativeKernelExports {
  /**
   * C[i, :] = init(i) + Σ_k A(i, k) · B[k, :] for i < m, over n columns (n a multiple of 4).
   * A(i, k) is read at a + i·sai + k·sak, so a transposed A is just other strides;
   * B rows are ldb bytes apart; init(i) is zero when mode = 0, else the row at ini + i·ldi
   * (ldi = 0 broadcasts a bias row; ini = c, ldi = ldc accumulates into C).
   */
  gemm(
    m: number,
    n: number,
    k: number,
    a: number,
    sai: number,
    sak: number,
    b: number,
    ldb: number,
    c: number,
    ldc: number,
    ini: number,
    ldi: number,
    mode: number,
  ): void;
  /**
   * One LSTM step forward for `rows` sequences of `hp` units (hp a multiple of 4).
   * z holds pre-activations [rows, 4·hp] in gate order i, f, c, o and is overwritten with the
   * activated gates; cPrev [rows, hp] is the previous cell state; c, tanhC and h [rows, hp]
   * receive the new cell state, its tanh and the hidden state.
   */
  cellForward(rows: number, hp: number, z: number, cPrev: number, c: number, tanhC: number, h: number): void;
  /**
   * One LSTM step backward. gates [rows, 4·hp] (activated), cPrev, tanhC and dh [rows, hp]
   * are read; dc [rows, hp] holds dL/dc_t on entry and dL/dc_{t-1} on exit; dz [rows, 4·hp]
   * receives dL/d(pre-activations).
   */
  cellBackward(rows: number, hp: number, gates: number, cPrev: number, tanhC: number, dh: number, dc: number, dz: number): void;
  /**
   * Adam over `count` floats (a multiple of 4) at byte pointers p (params), g (gradients),
   * m and v (moments): p ← p − lr·(m/c1) / (√(v/c2) + ε) after updating m and v.
   */
  adam(count: number, p: number, g: number, m: number, v: number, lr: number, beta1: number, beta2: number, c1: number, c2: number, epsilon: number): void;
  /**
   * Strided copy of a rows × cols block of floats: dst + r·ldd + c·4 ← src + r·sr + c·sc.
   * With sc ≠ 4 it transposes (Uᵀ from U); with sc = 4 it moves rows between layouts
   * (sample-major inputs into time-major ones).
   */
  copy(rows: number, cols: number, src: number, sr: number, sc: number, dst: number, ldd: number): void;
}

/** A compiled kernel set bound to its memory. */
export interface NativeKernels {
  /** The memory every pointer refers to; grow it with `ensureBytes`. */
  memory: WebAssembly.Memory;
  /** The kernel functions. */
  exports: NativeKernelExports;
  /** Grows the memory to at least `bytes` bytes (views over the old buffer become stale). */
  ensureBytes(bytes: number): void;
}

type I32Params = ('i32')[];

function i32Params(count: number): I32Params {
  return Array.from({ length: count }, () => 'i32' as const);
}

/**
 * Emits the gemm kernel. Rows are processed in tiles of 4 (then singly), columns in tiles
 * of 8 (then 4); each tile keeps its accumulators in registers across the whole k loop,
 * which is what makes small LSTM shapes (32 × 52 × 208) run near the machine's SIMD rate.
 */
function emitGemm(): FunctionBuilder {
  const f = new FunctionBuilder('gemm', i32Params(13), []);
  const [M, N, K, A, SAI, SAK, B, LDB, C, LDC, INI, LDI, MODE] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] as const;
  const i = f.local('i32');
  const j = f.local('i32');
  const kk = f.local('i32');
  const pb = f.local('i32');
  const pa = [f.local('i32'), f.local('i32'), f.local('i32'), f.local('i32')];
  const acc = Array.from({ length: 4 }, () => [f.local('v128'), f.local('v128')]);
  const bv = [f.local('v128'), f.local('v128')];
  const av = f.local('v128');
  const rowPtr = f.local('i32');

  const tile = (rows: number, vecs: number): void => {
    // Row pointers into A and accumulator initial values.
    for (let r = 0; r < rows; r++) {
      const pr = pa[r] as number;
      f.get(A).get(i).i32(r).op('i32.add').get(SAI).op('i32.mul').op('i32.add').set(pr);
      for (let v = 0; v < vecs; v++) {
        const a = (acc[r] as number[])[v] as number;
        f.get(MODE).op('i32.eqz').if().f32x4(0).set(a).else();
        f.get(INI).get(i).i32(r).op('i32.add').get(LDI).op('i32.mul').op('i32.add').get(j).i32(2).op('i32.shl').op('i32.add');
        f.v128Load(v * 16).set(a).end();
      }
    }
    // The k loop; `adjacent` (A's rows 4 bytes apart, a transposed A) reads every row's value
    // off the first row pointer at constant offsets, saving the other rows' pointer updates.
    const kLoop = (adjacent: boolean): void => {
      f.elementAddress(B, j, 2).set(pb);
      f.get(K).set(kk);
      f.block().get(kk).op('i32.eqz').brIf(0).loop();
      for (let v = 0; v < vecs; v++) f.get(pb).v128Load(v * 16).set(bv[v] as number);
      for (let r = 0; r < rows; r++) {
        if (adjacent) f.get(pa[0] as number).v128Load32Splat(r * 4).set(av);
        else f.get(pa[r] as number).v128Load32Splat().set(av);
        for (let v = 0; v < vecs; v++) {
          const a = (acc[r] as number[])[v] as number;
          f.get(a).get(av).get(bv[v] as number).simd('f32x4.mul').simd('f32x4.add').set(a);
        }
        if (!adjacent) f.get(pa[r] as number).get(SAK).op('i32.add').set(pa[r] as number);
      }
      if (adjacent) f.get(pa[0] as number).get(SAK).op('i32.add').set(pa[0] as number);
      f.get(pb).get(LDB).op('i32.add').set(pb);
      f.get(kk).i32(1).op('i32.sub').tee(kk).brIf(0);
      f.end().end();
    };
    if (rows > 1) {
      f.get(SAI).i32(4).op('i32.eq').if();
      kLoop(true);
      f.else();
      kLoop(false);
      f.end();
    } else kLoop(false);
    for (let r = 0; r < rows; r++) {
      f.get(C).get(i).i32(r).op('i32.add').get(LDC).op('i32.mul').op('i32.add').get(j).i32(2).op('i32.shl').op('i32.add').set(rowPtr);
      for (let v = 0; v < vecs; v++) f.get(rowPtr).get((acc[r] as number[])[v] as number).v128Store(v * 16);
    }
  };

  const columns = (rows: number): void => {
    f.i32(0).set(j);
    for (const vecs of [2, 1]) {
      const width = vecs * 4;
      f.block().loop();
      f.get(j).i32(width).op('i32.add').get(N).op('i32.gt_s').brIf(1);
      tile(rows, vecs);
      f.get(j).i32(width).op('i32.add').set(j).br(0);
      f.end().end();
    }
  };

  f.i32(0).set(i);
  for (const rows of [4, 1]) {
    f.block().loop();
    f.get(i).i32(rows).op('i32.add').get(M).op('i32.gt_s').brIf(1);
    columns(rows);
    f.get(i).i32(rows).op('i32.add').set(i).br(0);
    f.end().end();
  }
  return f;
}

/**
 * Emits code computing exp(x) for the v128 on the stack into `out`: Cody–Waite range
 * reduction by ln 2, the Cephes expf polynomial, and 2^n built from exponent bits. Rounding
 * y·log2(e) to an integer n uses the 1.5·2²³ "magic number": adding it leaves n in the low
 * mantissa bits, so 2^n's exponent field is (bits + 127) << 23 with no float→int conversion.
 * The input is clamped to [-87.33, 88.37] so that 2^n stays a normal float; relative error
 * ≈ 2e-7.
 */
function emitExp(f: FunctionBuilder, out: number, n: number, r: number): void {
  const MAGIC = 12582912;
  // pmax/pmin (x < lo ? lo : x) rather than max/min: V8 lowers these to one maxps/minps each,
  // max/min to ~7 instructions for their NaN and ±0 rules; at these bounds the results are the
  // same (a NaN input stays NaN), and cellForward runs ~1.5× faster.
  f.k(-87.33).simd('f32x4.pmax').k(88.37).simd('f32x4.pmin').set(out);
  // n holds y·log2e + magic here; its bit pattern carries the rounded exponent.
  f.get(out).k(Math.LOG2E).simd('f32x4.mul').k(MAGIC).simd('f32x4.add').set(n);
  f.get(out).get(n).k(MAGIC).simd('f32x4.sub').tee(r).k(0.693359375).simd('f32x4.mul').simd('f32x4.sub');
  f.get(r).k(-2.12194440e-4).simd('f32x4.mul').simd('f32x4.sub').set(r);
  f.k(1.9875691500e-4).get(r).simd('f32x4.mul').k(1.3981999507e-3).simd('f32x4.add');
  for (const c of [8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1]) {
    f.get(r).simd('f32x4.mul').k(c).simd('f32x4.add');
  }
  f.get(r).simd('f32x4.mul').get(r).simd('f32x4.mul').get(r).simd('f32x4.add').k(1).simd('f32x4.add');
  f.get(n).i32x4(127).simd('i32x4.add').i32(23).simd('i32x4.shl');
  f.simd('f32x4.mul').set(out);
}

/** Emits sigmoid(x) = 1 / (1 + exp(-x)) for the v128 on the stack into `out`. */
function emitSigmoid(f: FunctionBuilder, out: number, n: number, r: number): void {
  f.simd('f32x4.neg');
  emitExp(f, out, n, r);
  f.k(1).k(1).get(out).simd('f32x4.add').simd('f32x4.div').set(out);
}

/** Emits tanh(x) = 2·sigmoid(2x) − 1 for the v128 on the stack into `out`. */
function emitTanh(f: FunctionBuilder, out: number, n: number, r: number): void {
  f.k(-2).simd('f32x4.mul');
  emitExp(f, out, n, r);
  f.k(2).k(1).get(out).simd('f32x4.add').simd('f32x4.div').k(1).simd('f32x4.sub').set(out);
}

/**
 * Emits a loop over `rows × hp/4` vectors with three pointer families: gate rows (stride
 * 4·hp floats) and state rows (stride hp floats). `body` sees `g` (the gate-block pointer for
 * the current vector) and `s` (the state pointer) and the gate-block stride in bytes.
 */
function emitCellLoop(f: FunctionBuilder, rowsParam: number, hpParam: number, body: (g: number, s: number, gs: number) => void, gatePtrParam: number, statePtrs: { param: number; local: number }[]): void {
  const g = f.local('i32');
  const s = f.local('i32');
  const gs = f.local('i32');
  const row = f.local('i32');
  const col = f.local('i32');
  f.get(hpParam).i32(2).op('i32.shl').set(gs);
  f.get(gatePtrParam).set(g);
  f.i32(0).set(s);
  for (const sp of statePtrs) f.get(sp.param).set(sp.local);
  f.get(rowsParam).set(row);
  f.block().get(row).op('i32.eqz').brIf(0).loop();
  f.get(hpParam).set(col);
  f.block().loop();
  body(g, s, gs);
  f.get(g).i32(16).op('i32.add').set(g);
  f.get(s).i32(16).op('i32.add').set(s);
  f.get(col).i32(4).op('i32.sub').tee(col).i32(0).op('i32.gt_s').brIf(0);
  f.end().end();
  // Skip the other three gate blocks of this row.
  f.gateAddress(g, gs, 3).set(g);
  f.get(row).i32(1).op('i32.sub').tee(row).brIf(0);
  f.end().end();
}

function emitCellForward(): FunctionBuilder {
  const f = new FunctionBuilder('cellForward', i32Params(7), []);
  const [ROWS, HP, Z, CPREV, C, TANHC, H] = [0, 1, 2, 3, 4, 5, 6] as const;
  const vi = f.local('v128');
  const vf = f.local('v128');
  const vg = f.local('v128');
  const vo = f.local('v128');
  const vc = f.local('v128');
  const vt = f.local('v128');
  const n = f.local('v128');
  const r = f.local('v128');
  emitCellLoop(
    f,
    ROWS,
    HP,
    (g, s, gs) => {
      f.gateAddress(g, gs, 0).v128Load();
      emitSigmoid(f, vi, n, r);
      f.gateAddress(g, gs, 1).v128Load();
      emitSigmoid(f, vf, n, r);
      f.gateAddress(g, gs, 2).v128Load();
      emitTanh(f, vg, n, r);
      f.gateAddress(g, gs, 3).v128Load();
      emitSigmoid(f, vo, n, r);
      f.gateAddress(g, gs, 0).get(vi).v128Store();
      f.gateAddress(g, gs, 1).get(vf).v128Store();
      f.gateAddress(g, gs, 2).get(vg).v128Store();
      f.gateAddress(g, gs, 3).get(vo).v128Store();
      f.get(CPREV).get(s).op('i32.add').v128Load().get(vf).simd('f32x4.mul').get(vi).get(vg).simd('f32x4.mul').simd('f32x4.add').set(vc);
      f.get(C).get(s).op('i32.add').get(vc).v128Store();
      f.get(vc);
      emitTanh(f, vt, n, r);
      f.get(TANHC).get(s).op('i32.add').get(vt).v128Store();
      f.get(H).get(s).op('i32.add').get(vo).get(vt).simd('f32x4.mul').v128Store();
    },
    Z,
    [],
  );
  return f;
}

function emitCellBackward(): FunctionBuilder {
  const f = new FunctionBuilder('cellBackward', i32Params(8), []);
  const [ROWS, HP, GATES, CPREV, TANHC, DH, DC, DZ] = [0, 1, 2, 3, 4, 5, 6, 7] as const;
  const vi = f.local('v128');
  const vf = f.local('v128');
  const vg = f.local('v128');
  const vo = f.local('v128');
  const vt = f.local('v128');
  const dh = f.local('v128');
  const dc = f.local('v128');
  const dzBase = f.local('i32');
  const one = (): void => {
    f.k(1);
  };
  emitCellLoop(
    f,
    ROWS,
    HP,
    (g, s, gs) => {
      // dz rows share the gate layout, so the same offset from the gate base addresses them.
      f.get(DZ).get(g).op('i32.add').get(GATES).op('i32.sub').set(dzBase);
      f.gateAddress(g, gs, 0).v128Load().set(vi);
      f.gateAddress(g, gs, 1).v128Load().set(vf);
      f.gateAddress(g, gs, 2).v128Load().set(vg);
      f.gateAddress(g, gs, 3).v128Load().set(vo);
      f.get(TANHC).get(s).op('i32.add').v128Load().set(vt);
      f.get(DH).get(s).op('i32.add').v128Load().set(dh);
      // dc = dc_in + dh · o · (1 − tanh²c)
      f.get(DC).get(s).op('i32.add').v128Load();
      f.get(dh).get(vo).simd('f32x4.mul');
      one();
      f.get(vt).get(vt).simd('f32x4.mul').simd('f32x4.sub').simd('f32x4.mul').simd('f32x4.add').set(dc);
      // dz_i = dc · g · i(1 − i)
      f.get(dzBase).get(dc).get(vg).simd('f32x4.mul').get(vi).simd('f32x4.mul');
      one();
      f.get(vi).simd('f32x4.sub').simd('f32x4.mul').v128Store();
      // dz_f = dc · c_{t-1} · f(1 − f)
      f.gateAddress(dzBase, gs, 1);
      f.get(dc).get(CPREV).get(s).op('i32.add').v128Load().simd('f32x4.mul').get(vf).simd('f32x4.mul');
      one();
      f.get(vf).simd('f32x4.sub').simd('f32x4.mul').v128Store();
      // dz_g = dc · i · (1 − g²)
      f.gateAddress(dzBase, gs, 2);
      f.get(dc).get(vi).simd('f32x4.mul');
      one();
      f.get(vg).get(vg).simd('f32x4.mul').simd('f32x4.sub').simd('f32x4.mul').v128Store();
      // dz_o = dh · tanh(c) · o(1 − o)
      f.gateAddress(dzBase, gs, 3);
      f.get(dh).get(vt).simd('f32x4.mul').get(vo).simd('f32x4.mul');
      one();
      f.get(vo).simd('f32x4.sub').simd('f32x4.mul').v128Store();
      // dc_{t-1} = dc · f
      f.get(DC).get(s).op('i32.add').get(dc).get(vf).simd('f32x4.mul').v128Store();
    },
    GATES,
    [],
  );
  return f;
}

/**
 * Emits Adam over `count` floats (a multiple of 4) in tfjs' formulation:
 * m ← β1·m + (1−β1)·g, v ← β2·v + (1−β2)·g², p ← p − lr·(m/c1) / (√(v/c2) + ε),
 * where c1 = 1 − β1^t and c2 = 1 − β2^t.
 */
function emitAdam(): FunctionBuilder {
  const f = new FunctionBuilder('adam', ['i32', 'i32', 'i32', 'i32', 'i32', 'f32', 'f32', 'f32', 'f32', 'f32', 'f32'], []);
  const [COUNT, P, G, M, V, LR, B1, B2, C1, C2, EPS] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const;
  const off = f.local('i32');
  const end = f.local('i32');
  const g = f.local('v128');
  const m = f.local('v128');
  const v = f.local('v128');
  const splat = [B1, B2, LR, C1, C2, EPS].map((param) => {
    const l = f.local('v128');
    f.get(param).simd('f32x4.splat').set(l);
    return l;
  });
  const [b1, b2, lr, c1, c2, eps] = splat as [number, number, number, number, number, number];
  const omb1 = f.local('v128');
  const omb2 = f.local('v128');
  f.f32x4(1).get(b1).simd('f32x4.sub').set(omb1);
  f.f32x4(1).get(b2).simd('f32x4.sub').set(omb2);
  f.get(COUNT).i32(2).op('i32.shl').set(end);
  f.i32(0).set(off);
  f.block().get(COUNT).op('i32.eqz').brIf(0).loop();
  f.get(G).get(off).op('i32.add').v128Load().set(g);
  f.get(M).get(off).op('i32.add').v128Load().get(b1).simd('f32x4.mul').get(g).get(omb1).simd('f32x4.mul').simd('f32x4.add').set(m);
  f.get(V).get(off).op('i32.add').v128Load().get(b2).simd('f32x4.mul').get(g).get(g).simd('f32x4.mul').get(omb2).simd('f32x4.mul').simd('f32x4.add').set(v);
  f.get(M).get(off).op('i32.add').get(m).v128Store();
  f.get(V).get(off).op('i32.add').get(v).v128Store();
  f.get(P).get(off).op('i32.add');
  f.get(P).get(off).op('i32.add').v128Load();
  f.get(lr).get(m).get(c1).simd('f32x4.div').simd('f32x4.mul');
  f.get(v).get(c2).simd('f32x4.div').simd('f32x4.sqrt').get(eps).simd('f32x4.add');
  f.simd('f32x4.div').simd('f32x4.sub').v128Store();
  f.get(off).i32(16).op('i32.add').tee(off).get(end).op('i32.lt_s').brIf(0);
  f.end().end();
  return f;
}

/** Emits the strided copy (scalar: it moves a few thousand floats per training step). */
function emitCopy(): FunctionBuilder {
  const f = new FunctionBuilder('copy', i32Params(7), []);
  const [ROWS, COLS, SRC, SR, SC, DST, LDD] = [0, 1, 2, 3, 4, 5, 6] as const;
  const r = f.local('i32');
  const c = f.local('i32');
  const p = f.local('i32');
  const q = f.local('i32');
  f.get(ROWS).set(r);
  f.block().get(r).op('i32.eqz').brIf(0).get(COLS).op('i32.eqz').brIf(0).loop();
  f.get(SRC).set(p);
  f.get(DST).set(q);
  f.get(COLS).set(c);
  f.loop();
  f.get(q).get(p).f32Load().f32Store();
  f.get(p).get(SC).op('i32.add').set(p);
  f.get(q).i32(4).op('i32.add').set(q);
  f.get(c).i32(1).op('i32.sub').tee(c).brIf(0);
  f.end();
  f.get(SRC).get(SR).op('i32.add').set(SRC);
  f.get(DST).get(LDD).op('i32.add').set(DST);
  f.get(r).i32(1).op('i32.sub').tee(r).brIf(0);
  f.end().end();
  return f;
}

let cachedModule: WebAssembly.Module | null = null;
let supported: boolean | null = null;

/** Whether this JavaScript engine can compile the SIMD kernels (WebAssembly with SIMD128); validated once per thread. */
export function nativeKernelsSupported(): boolean {
  if (supported === null) {
    try {
      supported = typeof WebAssembly === 'object' && WebAssembly.validate(kernelBytes());
    } catch {
      supported = false;
    }
  }
  return supported;
}

let cachedBytes: Uint8Array<ArrayBuffer> | null = null;

/**
 * The compiled kernel module of this thread (compiled now if it was not yet), to hand to
 * workers: a WebAssembly.Module crosses postMessage and workerData, so a worker skips
 * assembling and compiling it (adoptNativeKernelModule). Null without WebAssembly SIMD.
 */
export function nativeKernelModule(): WebAssembly.Module | null {
  if (!nativeKernelsSupported()) return null;
  cachedModule ??= new WebAssembly.Module(kernelBytes());
  return cachedModule;
}

/** Uses a kernel module compiled on another thread (nativeKernelModule there) instead of assembling one. */
export function adoptNativeKernelModule(module: WebAssembly.Module): void {
  cachedModule = module;
  supported = true;
}

/** The assembled module bytes (built once). */
export function kernelBytes(): Uint8Array<ArrayBuffer> {
  if (!cachedBytes) cachedBytes = assembleModule([emitGemm(), emitCellForward(), emitCellBackward(), emitAdam(), emitCopy()]);
  return cachedBytes;
}

const PAGE = 65536;

/** A wasm export taking `arity` numbers: exported functions report their parameter count as `length`. */
function isKernel(v: unknown, arity: number): v is (...args: number[]) => void {
  return typeof v === 'function' && v.length === arity;
}

function bind(memory: WebAssembly.Memory, instance: WebAssembly.Instance): NativeKernels {
  const ex = instance.exports;
  const gemm = ex['gemm'];
  const cellForward = ex['cellForward'];
  const cellBackward = ex['cellBackward'];
  const adam = ex['adam'];
  const copy = ex['copy'];
  if (!isKernel(gemm, 13) || !isKernel(cellForward, 7) || !isKernel(cellBackward, 8) || !isKernel(adam, 11) || !isKernel(copy, 7)) {
    throw new Error('LSTM kernels: the WebAssembly module did not export gemm, cellForward, cellBackward, adam and copy with their parameters.');
  }
  // The exports themselves, not wrappers: a call allocates nothing and the optimiser calls wasm directly.
  const exports: NativeKernelExports = { gemm, cellForward, cellBackward, adam, copy };
  return {
    memory,
    exports,
    ensureBytes(total: number) {
      const have = memory.buffer.byteLength;
      if (total > have) memory.grow(Math.ceil((total - have) / PAGE));
    },
  };
}

function freshMemory(bytes: number): WebAssembly.Memory {
  return new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(bytes / PAGE)) });
}

/**
 * Compiles (once) and instantiates the kernels synchronously over a fresh memory of at
 * least `bytes`. Fine in Node and in workers; a browser's main thread refuses synchronous
 * compilation of modules over 4 KB, so use instantiateNativeKernels there.
 */
export function createNativeKernels(bytes: number): NativeKernels {
  if (!cachedModule) cachedModule = new WebAssembly.Module(kernelBytes());
  const memory = freshMemory(bytes);
  return bind(memory, new WebAssembly.Instance(cachedModule, { env: { memory } }));
}

/** Compiles (once) and instantiates the kernels asynchronously; works on any thread. */
export async function instantiateNativeKernels(bytes: number): Promise<NativeKernels> {
  if (!cachedModule) cachedModule = await WebAssembly.compile(kernelBytes());
  const memory = freshMemory(bytes);
  return bind(memory, await WebAssembly.instantiate(cachedModule, { env: { memory } }));
}

/** Kernel sets released by engines that are done, ready for the next one on this thread. */
const released: NativeKernels[] = [];
/** At most this many released sets are kept, and none whose memory grew past KEEP_BYTES. */
const KEEP_SETS = 2;
const KEEP_BYTES = 256 * 1024 * 1024;

/**
 * Kernels over at least `bytes` of memory whose first `bytes` are zero: a set an earlier
 * engine released (grown, and cleared up to `bytes`) or a new one. A caller that reads and
 * writes only below `bytes` sees exactly what fresh memory would show it. Reusing the memory
 * spares a new WebAssembly.Memory per training and prediction, and the garbage collector the
 * work of freeing them. Give the set back with releaseNativeKernels when done with it.
 */
export async function acquireNativeKernels(bytes: number): Promise<NativeKernels> {
  const kernels = released.pop();
  if (!kernels) return instantiateNativeKernels(bytes);
  kernels.ensureBytes(bytes);
  new Uint8Array(kernels.memory.buffer, 0, bytes).fill(0);
  return kernels;
}

/** Hands a kernel set back for reuse by the next acquireNativeKernels; the caller must not touch it again. */
export function releaseNativeKernels(kernels: NativeKernels): void {
  if (released.length < KEEP_SETS && kernels.memory.buffer.byteLength <= KEEP_BYTES && !released.includes(kernels)) released.push(kernels);
}
