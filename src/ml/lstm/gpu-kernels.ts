/**
 * Fused LSTM cell kernels, registered with tfjs as custom kernels: WGSL for webgpu, GLSL
 * for webgl, and a plain JavaScript version for the cpu backend (which also lets Node
 * tests check the fused orchestration against tf.layers.lstm). One dispatch does a whole cell step (all four gates, the
 * cell update and the products backward needs) where tf.layers.lstm issues ~35 kernels, so
 * a training step costs ~6 dispatches per timestep instead of ~100.
 *
 * Packed layouts, per sequence row b and unit j (H units):
 * - forward output [B, 8H]: h | c | K_i K_f K_g K_o | Q | f, with K the factors that turn
 *   dL/dc (or dL/dh for K_o) into dL/dz, Q = o·(1 − tanh²c) and f the forget gate;
 * - backward output [B, 5H]: dz_i dz_f dz_g dz_o | dc_{t−1}.
 */
import * as tf from '@tensorflow/tfjs';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { MathBackendWebGL, type GPGPUProgram } from '@tensorflow/tfjs-backend-webgl';
import { WebGPUBackend, type WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';

/** Kernel names in tfjs' registry. */
export const CELL_FORWARD = 'InsightLstmCellForward';
/** Backward kernel name. */
export const CELL_BACKWARD = 'InsightLstmCellBackward';
/** Plain matmul kernel name (webgpu only). */
export const MATMUL_PLAIN = 'InsightMatMulPlain';

const WORKGROUP = 64;

function intAttr(attrs: tf.NamedAttrMap | undefined, name: string): number {
  const v = attrs?.[name];
  if (typeof v !== 'number') throw new Error(`LSTM cell kernel: attribute ${name} must be a number.`);
  return v;
}

function input(inputs: tf.NamedTensorInfoMap, name: string): tf.TensorInfo {
  const t = inputs[name];
  if (!t) throw new Error(`LSTM cell kernel: missing input ${name}.`);
  return t;
}

const WGSL_HELPERS = `
  fn sigm(x : f32) -> f32 { return 1.0 / (1.0 + exp(-x)); }
  // tanh from exp(−2|x|): never inf/inf, unlike some WGSL tanh implementations.
  fn tanhSafe(x : f32) -> f32 { let e = exp(-2.0 * abs(x)); return sign(x) * (1.0 - e) / (1.0 + e); }
`;

function forwardProgramWebGpu(B: number, H: number, recurrent: boolean): WebGPUProgram {
  const threads = B * H;
  // recurrent: REC is U [H, 4H] and each thread forms its four h·U dot products itself,
  // with no shared memory or barriers (cheap on SwiftShader, fine at these sizes on GPUs).
  const addRecurrent = recurrent
    ? `
          let hp = b * 8 * H;
          var ai = 0.0; var af = 0.0; var ag = 0.0; var ao = 0.0;
          for (var k = 0; k < H; k = k + 1) {
            let hv = PREV[hp + k];
            let u = k * 4 * H + j;
            ai = ai + hv * REC[u];
            af = af + hv * REC[u + H];
            ag = ag + hv * REC[u + 2 * H];
            ao = ao + hv * REC[u + 3 * H];
          }
          zi = zi + ai; zf = zf + af; zg = zg + ag; zo = zo + ao;`
    : `
          let r = b * 4 * H + j;
          zi = zi + REC[r];
          zf = zf + REC[r + H];
          zg = zg + REC[r + 2 * H];
          zo = zo + REC[r + 3 * H];`;
  return {
    variableNames: ['ZX', 'REC', 'PREV'],
    outputShape: [B, 8 * H],
    shaderKey: `insight_lstm_cell_forward_${recurrent ? 'rec' : 'plain'}`,
    dispatchLayout: { x: [0, 1] },
    dispatch: [Math.ceil(threads / WORKGROUP), 1, 1],
    workgroupSize: [WORKGROUP, 1, 1],
    uniforms: 'tStep : i32, batch : i32, units : i32, hasPrev : i32,',
    getUserCode: () => `
      ${WGSL_HELPERS}
      fn main(index : i32) {
        let H = uniforms.units;
        let B = uniforms.batch;
        if (index >= B * H) { return; }
        let b = index / H;
        let j = index - b * H;
        let z = (uniforms.tStep * B + b) * 4 * H + j;
        var zi = ZX[z];
        var zf = ZX[z + H];
        var zg = ZX[z + 2 * H];
        var zo = ZX[z + 3 * H];
        var cp = 0.0;
        if (uniforms.hasPrev == 1) {
          ${addRecurrent}
          cp = PREV[b * 8 * H + H + j];
        }
        let i = sigm(zi);
        let f = sigm(zf);
        let g = tanhSafe(zg);
        let o = sigm(zo);
        let c = f * cp + i * g;
        let tc = tanhSafe(c);
        let out = b * 8 * H + j;
        setOutputAtIndex(out, o * tc);
        setOutputAtIndex(out + H, c);
        setOutputAtIndex(out + 2 * H, g * i * (1.0 - i));
        setOutputAtIndex(out + 3 * H, cp * f * (1.0 - f));
        setOutputAtIndex(out + 4 * H, i * (1.0 - g * g));
        setOutputAtIndex(out + 5 * H, tc * o * (1.0 - o));
        setOutputAtIndex(out + 6 * H, o * (1.0 - tc * tc));
        setOutputAtIndex(out + 7 * H, f);
      }
    `,
  };
}

function backwardProgramWebGpu(B: number, H: number, recurrent: boolean): WebGPUProgram {
  const threads = B * H;
  // recurrent: REC is U [H, 4H]; dL/dh_t through step t+1 is Σ_c dz_{t+1}[b, c] · U[j, c].
  const addRecurrent = recurrent
    ? `
          let nb = b * 5 * H;
          let ub = j * 4 * H;
          var acc = 0.0;
          for (var c = 0; c < 4 * H; c = c + 1) { acc = acc + NEXT[nb + c] * REC[ub + c]; }
          dh = dh + acc;`
    : 'dh = dh + REC[b * H + j];';
  return {
    variableNames: ['P', 'ABOVE', 'REC', 'NEXT'],
    outputShape: [B, 5 * H],
    shaderKey: `insight_lstm_cell_backward_${recurrent ? 'rec' : 'plain'}`,
    dispatchLayout: { x: [0, 1] },
    dispatch: [Math.ceil(threads / WORKGROUP), 1, 1],
    workgroupSize: [WORKGROUP, 1, 1],
    uniforms: 'tStep : i32, batch : i32, units : i32, above : i32, hasRec : i32, hasNext : i32,',
    getUserCode: () => `
      fn main(index : i32) {
        let H = uniforms.units;
        let B = uniforms.batch;
        if (index >= B * H) { return; }
        let b = index / H;
        let j = index - b * H;
        var dh = 0.0;
        if (uniforms.above == 1) { dh = ABOVE[b * H + j]; }
        if (uniforms.above == 2) { dh = ABOVE[(uniforms.tStep * B + b) * H + j]; }
        if (uniforms.hasRec == 1) { ${addRecurrent} }
        let p = b * 8 * H + j;
        var dc = dh * P[p + 6 * H];
        if (uniforms.hasNext == 1) { dc = dc + NEXT[b * 5 * H + 4 * H + j]; }
        let out = b * 5 * H + j;
        setOutputAtIndex(out, dc * P[p + 2 * H]);
        setOutputAtIndex(out + H, dc * P[p + 3 * H]);
        setOutputAtIndex(out + 2 * H, dc * P[p + 4 * H]);
        setOutputAtIndex(out + 3 * H, dh * P[p + 5 * H]);
        setOutputAtIndex(out + 4 * H, dc * P[p + 7 * H]);
      }
    `,
  };
}

/** GLSL computes one output element per invocation; the cell is recomputed for each of the 8 (cheap). */
function forwardProgramWebGl(B: number, H: number): GPGPUProgram {
  return {
    variableNames: ['ZX', 'REC', 'PREV'],
    outputShape: [B, 8 * H],
    customUniforms: [
      { name: 'tStep', type: 'int' },
      { name: 'units', type: 'int' },
      { name: 'hasPrev', type: 'int' },
    ],
    userCode: `
      float sigm(float x) { return 1.0 / (1.0 + exp(-x)); }
      float tanhSafe(float x) { float e = exp(-2.0 * abs(x)); return sign(x) * (1.0 - e) / (1.0 + e); }
      void main() {
        ivec2 coords = getOutputCoords();
        int b = coords.x;
        int blk = coords.y / units;
        int j = coords.y - blk * units;
        float zi = getZX(tStep, b, j);
        float zf = getZX(tStep, b, j + units);
        float zg = getZX(tStep, b, j + 2 * units);
        float zo = getZX(tStep, b, j + 3 * units);
        float cp = 0.0;
        if (hasPrev == 1) {
          zi += getREC(b, j);
          zf += getREC(b, j + units);
          zg += getREC(b, j + 2 * units);
          zo += getREC(b, j + 3 * units);
          cp = getPREV(b, j + units);
        }
        float i = sigm(zi);
        float f = sigm(zf);
        float g = tanhSafe(zg);
        float o = sigm(zo);
        float c = f * cp + i * g;
        float tc = tanhSafe(c);
        float v = 0.0;
        if (blk == 0) v = o * tc;
        else if (blk == 1) v = c;
        else if (blk == 2) v = g * i * (1.0 - i);
        else if (blk == 3) v = cp * f * (1.0 - f);
        else if (blk == 4) v = i * (1.0 - g * g);
        else if (blk == 5) v = tc * o * (1.0 - o);
        else if (blk == 6) v = o * (1.0 - tc * tc);
        else v = f;
        setOutput(v);
      }
    `,
  };
}

function backwardProgramWebGl(B: number, H: number, aboveRank: number): GPGPUProgram {
  return {
    variableNames: ['P', 'ABOVE', 'REC', 'NEXT'],
    outputShape: [B, 5 * H],
    customUniforms: [
      { name: 'tStep', type: 'int' },
      { name: 'units', type: 'int' },
      { name: 'above', type: 'int' },
      { name: 'hasRec', type: 'int' },
      { name: 'hasNext', type: 'int' },
    ],
    userCode: `
      void main() {
        ivec2 coords = getOutputCoords();
        int b = coords.x;
        int blk = coords.y / units;
        int j = coords.y - blk * units;
        float dh = 0.0;
        ${aboveRank === 3 ? 'if (above == 2) dh = getABOVE(tStep, b, j);' : 'if (above == 1) dh = getABOVE(b, j);'}
        if (hasRec == 1) dh += getREC(b, j);
        float dc = dh * getP(b, j + 6 * units);
        if (hasNext == 1) dc += getNEXT(b, j + 4 * units);
        float v = 0.0;
        if (blk == 0) v = dc * getP(b, j + 2 * units);
        else if (blk == 1) v = dc * getP(b, j + 3 * units);
        else if (blk == 2) v = dc * getP(b, j + 4 * units);
        else if (blk == 3) v = dh * getP(b, j + 5 * units);
        else v = dc * getP(b, j + 7 * units);
        setOutput(v);
      }
    `,
  };
}

function cpuValues(backend: MathBackendCPU, info: tf.TensorInfo): Float32Array {
  const values = backend.data.get(info.dataId).values;
  if (!(values instanceof Float32Array)) throw new Error('LSTM cell kernel: expected float32 input.');
  return values;
}

const sigm = (x: number): number => 1 / (1 + Math.exp(-x));

/** The forward cell on the cpu backend: the same formulas as the shaders. */
function cpuForward(backend: MathBackendCPU, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap | undefined): tf.TensorInfo {
  const B = intAttr(attrs, 'batch');
  const H = intAttr(attrs, 'units');
  const step = intAttr(attrs, 'step');
  const hasPrev = intAttr(attrs, 'hasPrev') === 1;
  const recurrent = intAttr(attrs, 'recurrent') === 1;
  const zx = cpuValues(backend, input(inputs, 'zx'));
  const rec = cpuValues(backend, input(inputs, 'rec'));
  const prev = cpuValues(backend, input(inputs, 'prev'));
  const out = new Float32Array(B * 8 * H);
  for (let b = 0; b < B; b++) {
    for (let j = 0; j < H; j++) {
      const z = (step * B + b) * 4 * H + j;
      const r = b * 4 * H + j;
      const dot = (gate: number): number => {
        let acc = 0;
        for (let k = 0; k < H; k++) acc += (prev[b * 8 * H + k] as number) * (rec[k * 4 * H + gate * H + j] as number);
        return acc;
      };
      const pre = (k: number): number => (zx[z + k * H] as number) + (hasPrev ? (recurrent ? dot(k) : (rec[r + k * H] as number)) : 0);
      const cp = hasPrev ? (prev[b * 8 * H + H + j] as number) : 0;
      const [i, f, g, o] = [sigm(pre(0)), sigm(pre(1)), Math.tanh(pre(2)), sigm(pre(3))];
      const c = f * cp + i * g;
      const tc = Math.tanh(c);
      const base = b * 8 * H + j;
      const values = [o * tc, c, g * i * (1 - i), cp * f * (1 - f), i * (1 - g * g), tc * o * (1 - o), o * (1 - tc * tc), f];
      values.forEach((v, k) => {
        out[base + k * H] = v;
      });
    }
  }
  return backend.makeTensorInfo([B, 8 * H], 'float32', out);
}

/** The backward cell on the cpu backend. */
function cpuBackward(backend: MathBackendCPU, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap | undefined): tf.TensorInfo {
  const B = intAttr(attrs, 'batch');
  const H = intAttr(attrs, 'units');
  const step = intAttr(attrs, 'step');
  const above = intAttr(attrs, 'above');
  const hasRec = intAttr(attrs, 'hasRec') === 1;
  const hasNext = intAttr(attrs, 'hasNext') === 1;
  const recurrent = intAttr(attrs, 'recurrent') === 1;
  const P = cpuValues(backend, input(inputs, 'packed'));
  const A = cpuValues(backend, input(inputs, 'above'));
  const R = cpuValues(backend, input(inputs, 'rec'));
  const N = cpuValues(backend, input(inputs, 'next'));
  const out = new Float32Array(B * 5 * H);
  for (let b = 0; b < B; b++) {
    for (let j = 0; j < H; j++) {
      let dh = above === 1 ? (A[b * H + j] as number) : above === 2 ? (A[(step * B + b) * H + j] as number) : 0;
      if (hasRec && recurrent) {
        for (let c = 0; c < 4 * H; c++) dh += (N[b * 5 * H + c] as number) * (R[j * 4 * H + c] as number);
      } else if (hasRec) dh += R[b * H + j] as number;
      const p = b * 8 * H + j;
      let dc = dh * (P[p + 6 * H] as number);
      if (hasNext) dc += N[b * 5 * H + 4 * H + j] as number;
      const o = b * 5 * H + j;
      out[o] = dc * (P[p + 2 * H] as number);
      out[o + H] = dc * (P[p + 3 * H] as number);
      out[o + 2 * H] = dc * (P[p + 4 * H] as number);
      out[o + 3 * H] = dh * (P[p + 5 * H] as number);
      out[o + 4 * H] = dc * (P[p + 7 * H] as number);
    }
  }
  return backend.makeTensorInfo([B, 5 * H], 'float32', out);
}

/**
 * C = op(A)·op(B), one thread per output element and a plain loop over k: no shared-memory
 * tiles or barriers. At the LSTM's small, long-k shapes this was 5–20× faster than tfjs'
 * tiled matmul under SwiftShader, and it needs no explicit transposes.
 */
function plainMatMulProgram(M: number, N: number, transposeA: boolean, transposeB: boolean): WebGPUProgram {
  const a = transposeA ? 'A[k * uniforms.m + row]' : 'A[row * uniforms.k + k]';
  const b = transposeB ? 'B[col * uniforms.k + k]' : 'B[k * uniforms.n + col]';
  return {
    variableNames: ['A', 'B'],
    outputShape: [M, N],
    shaderKey: `insight_matmul_plain_${transposeA ? 'T' : 'N'}${transposeB ? 'T' : 'N'}`,
    dispatchLayout: { x: [0, 1] },
    dispatch: [Math.ceil((M * N) / WORKGROUP), 1, 1],
    workgroupSize: [WORKGROUP, 1, 1],
    uniforms: 'm : i32, n : i32, k : i32,',
    getUserCode: () => `
      fn main(index : i32) {
        if (index >= uniforms.m * uniforms.n) { return; }
        let row = index / uniforms.n;
        let col = index - row * uniforms.n;
        var acc = 0.0;
        for (var k = 0; k < uniforms.k; k = k + 1) { acc = acc + ${a} * ${b}; }
        setOutputAtIndex(index, acc);
      }
    `,
  };
}

/** Registers one cell kernel (forward or backward) for the cpu backend. */
function registerCpuCellKernel(
  kernelName: string,
  run: (backend: MathBackendCPU, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap | undefined) => tf.TensorInfo,
): void {
  tf.registerKernel({
    kernelName,
    backendName: 'cpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      if (!(backend instanceof MathBackendCPU)) throw new Error('LSTM cell kernel: not the cpu backend.');
      return run(backend, inputs, attrs);
    },
  });
}

let registered = false;

/** Registers the fused kernels with tfjs for webgpu and webgl (idempotent). */
export function registerGpuLstmKernels(): void {
  if (registered) return;
  registered = true;
  tf.registerKernel({
    kernelName: CELL_FORWARD,
    backendName: 'webgpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      if (!(backend instanceof WebGPUBackend)) throw new Error('LSTM cell kernel: not a WebGPU backend.');
      const B = intAttr(attrs, 'batch');
      const H = intAttr(attrs, 'units');
      const uniforms = [intAttr(attrs, 'step'), B, H, intAttr(attrs, 'hasPrev')].map((v) => ({ type: 'int32', data: [v] }));
      const program = forwardProgramWebGpu(B, H, intAttr(attrs, 'recurrent') === 1);
      return backend.runWebGPUProgram(program, [input(inputs, 'zx'), input(inputs, 'rec'), input(inputs, 'prev')], 'float32', uniforms);
    },
  });
  tf.registerKernel({
    kernelName: CELL_BACKWARD,
    backendName: 'webgpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      if (!(backend instanceof WebGPUBackend)) throw new Error('LSTM cell kernel: not a WebGPU backend.');
      const B = intAttr(attrs, 'batch');
      const H = intAttr(attrs, 'units');
      const values = [intAttr(attrs, 'step'), B, H, intAttr(attrs, 'above'), intAttr(attrs, 'hasRec'), intAttr(attrs, 'hasNext')];
      const uniforms = values.map((v) => ({ type: 'int32', data: [v] }));
      const ins = [input(inputs, 'packed'), input(inputs, 'above'), input(inputs, 'rec'), input(inputs, 'next')];
      return backend.runWebGPUProgram(backwardProgramWebGpu(B, H, intAttr(attrs, 'recurrent') === 1), ins, 'float32', uniforms);
    },
  });
  tf.registerKernel({
    kernelName: MATMUL_PLAIN,
    backendName: 'webgpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      if (!(backend instanceof WebGPUBackend)) throw new Error('LSTM matmul kernel: not a WebGPU backend.');
      const [M, N, K] = [intAttr(attrs, 'm'), intAttr(attrs, 'n'), intAttr(attrs, 'k')];
      const program = plainMatMulProgram(M, N, intAttr(attrs, 'transposeA') === 1, intAttr(attrs, 'transposeB') === 1);
      const uniforms = [M, N, K].map((v) => ({ type: 'int32', data: [v] }));
      return backend.runWebGPUProgram(program, [input(inputs, 'a'), input(inputs, 'b')], 'float32', uniforms);
    },
  });
  registerCpuCellKernel(CELL_FORWARD, cpuForward);
  registerCpuCellKernel(CELL_BACKWARD, cpuBackward);
  tf.registerKernel({
    kernelName: CELL_FORWARD,
    backendName: 'webgl',
    kernelFunc: ({ inputs, backend, attrs }) => {
      if (!(backend instanceof MathBackendWebGL)) throw new Error('LSTM cell kernel: not a WebGL backend.');
      if (intAttr(attrs, 'recurrent') === 1) throw new Error('LSTM cell kernel: the WebGL kernel takes h·U precomputed.');
      const B = intAttr(attrs, 'batch');
      const H = intAttr(attrs, 'units');
      const program = forwardProgramWebGl(B, H);
      const ins = [input(inputs, 'zx'), input(inputs, 'rec'), input(inputs, 'prev')];
      return backend.compileAndRun(program, ins, 'float32', [[intAttr(attrs, 'step')], [H], [intAttr(attrs, 'hasPrev')]]);
    },
  });
  tf.registerKernel({
    kernelName: CELL_BACKWARD,
    backendName: 'webgl',
    kernelFunc: ({ inputs, backend, attrs }) => {
      if (!(backend instanceof MathBackendWebGL)) throw new Error('LSTM cell kernel: not a WebGL backend.');
      if (intAttr(attrs, 'recurrent') === 1) throw new Error('LSTM cell kernel: the WebGL kernel takes dL/dh through h·U precomputed.');
      const B = intAttr(attrs, 'batch');
      const H = intAttr(attrs, 'units');
      const above = input(inputs, 'above');
      const program = backwardProgramWebGl(B, H, above.shape.length);
      const ins = [input(inputs, 'packed'), above, input(inputs, 'rec'), input(inputs, 'next')];
      const uniforms = [[intAttr(attrs, 'step')], [H], [intAttr(attrs, 'above')], [intAttr(attrs, 'hasRec')], [intAttr(attrs, 'hasNext')]];
      return backend.compileAndRun(program, ins, 'float32', uniforms);
    },
  });
}

/**
 * How the tfjs-ops fast path runs on a backend:
 * - 'fused-step': one kernel per step and direction, h·U and dz·Uᵀ inside it (webgpu, cpu);
 * - 'fused-cell': a matmul plus one fused cell kernel per step and direction (webgl, opt-in);
 * - 'composed': standard tfjs ops only (wasm, webgl by default, any other backend).
 * WebGL defaults to 'composed' because it measured faster under SwiftShader (87 vs 106 ms
 * per batch): the GLSL cell recomputes its transcendentals for each of its 8 outputs.
 * Whether 'fused-cell' wins on a real GPU is unmeasured.
 */
export type FusedVariant = 'fused-step' | 'fused-cell' | 'composed';

let variantOverride: FusedVariant | null = null;

/** Forces a variant where the backend supports it (tests and benchmarks); null restores the default. */
export function overrideFusedVariant(variant: FusedVariant | null): void {
  variantOverride = variant;
}

/** The variant the active backend runs. */
export function fusedVariant(): FusedVariant {
  registerGpuLstmKernels();
  const backend = tf.getBackend();
  const hasKernels = tf.getKernel(CELL_FORWARD, backend) !== undefined && tf.getKernel(CELL_BACKWARD, backend) !== undefined;
  if (!hasKernels) return 'composed';
  const stepCapable = backend === 'webgpu' || backend === 'cpu';
  if (variantOverride === 'composed' || variantOverride === 'fused-cell') return variantOverride;
  if (variantOverride === 'fused-step' && stepCapable) return 'fused-step';
  return stepCapable ? 'fused-step' : 'composed';
}

function asTensor(out: tf.Tensor | tf.Tensor[]): tf.Tensor {
  if (out instanceof tf.Tensor) return out;
  throw new Error('LSTM cell kernel: expected one output.');
}

/**
 * One fused forward step: zx [T, B, 4H] holds x·W + b for every step, prev is the previous
 * packed output (null at t = 0) and rec is h_{t−1}·U [B, 4H] — or, with `recurrent`, U
 * itself [H, 4H], the kernel forming the product.
 */
export function fusedCellForward(
  zx: tf.Tensor,
  rec: tf.Tensor | null,
  prev: tf.Tensor | null,
  step: number,
  batch: number,
  units: number,
  recurrent = false,
): tf.Tensor {
  const hasPrev = rec !== null && prev !== null;
  // Unused inputs still need the rank the shader was written for (WebGL getters are typed).
  const dummy = hasPrev ? null : tf.zeros([1, 1]);
  return asTensor(
    tf.engine().runKernel(
      CELL_FORWARD,
      { zx, rec: rec ?? dummy ?? zx, prev: prev ?? dummy ?? zx },
      { step, batch, units, hasPrev: hasPrev ? 1 : 0, recurrent: recurrent ? 1 : 0 },
    ),
  );
}

/**
 * One fused backward step from the packed forward output of that step. `above` is dL/dh_t
 * from the layer's output: [B, H] (aboveMode 1), the whole [T, B, H] sequence (mode 2), or
 * absent (mode 0); next is the packed backward output of step t + 1; rec is dL/dh_t through
 * h_t·U of the next step [B, H] — or, with `recurrent`, U itself, the kernel forming it from
 * next's dz.
 */
export function fusedCellBackward(
  packed: tf.Tensor,
  above: tf.Tensor | null,
  aboveMode: 0 | 1 | 2,
  rec: tf.Tensor | null,
  next: tf.Tensor | null,
  step: number,
  batch: number,
  units: number,
  recurrent = false,
): tf.Tensor {
  return asTensor(
    tf.engine().runKernel(
      CELL_BACKWARD,
      { packed, above: above ?? packed, rec: rec ?? packed, next: next ?? packed },
      { step, batch, units, above: aboveMode, hasRec: rec ? 1 : 0, hasNext: next ? 1 : 0, recurrent: recurrent ? 1 : 0 },
    ),
  );
}

/**
 * op(a)·op(b) for 2-D tensors: the plain kernel on webgpu; elsewhere tf.matMul, with
 * explicit transposes (the wasm backend's fast matmul path takes only untransposed operands).
 */
export function matMulT(a: tf.Tensor, b: tf.Tensor, transposeA = false, transposeB = false): tf.Tensor {
  registerGpuLstmKernels();
  const [ar, ac] = a.shape;
  const [br, bc] = b.shape;
  if (a.rank !== 2 || b.rank !== 2 || ar === undefined || ac === undefined || br === undefined || bc === undefined) {
    throw new Error('matMulT: expected two matrices.');
  }
  const [M, K] = transposeA ? [ac, ar] : [ar, ac];
  const [K2, N] = transposeB ? [bc, br] : [br, bc];
  if (K !== K2) throw new Error(`matMulT: inner sizes ${K} and ${K2} differ.`);
  if (tf.getBackend() === 'webgpu') {
    return asTensor(tf.engine().runKernel(MATMUL_PLAIN, { a, b }, { m: M, n: N, k: K, transposeA: transposeA ? 1 : 0, transposeB: transposeB ? 1 : 0 }));
  }
  return tf.matMul(transposeA ? tf.transpose(a) : a, transposeB ? tf.transpose(b) : b);
}
