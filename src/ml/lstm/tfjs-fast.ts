/**
 * The fast LSTM on TensorFlow.js tensors, for every backend: the standard LSTM (sigmoid
 * gates, tanh cell) as a tf.customGrad layer with a hand-written backward pass through time,
 * one matmul for the input projections of all timesteps and one per weight gradient.
 * Three variants (gpu-kernels.ts picks one per backend):
 * - 'fused-step' (webgpu, cpu): one custom kernel per step and direction, h·U inside;
 * - 'fused-cell' (webgl): a matmul plus one fused cell kernel per step and direction;
 * - 'composed' (wasm and others): standard ops only — all four gates from one sigmoid (the
 *   cell-candidate columns are doubled so tanh(z) = 2·σ(2z) − 1), with the two products
 *   backward needs precomputed forward: ~25 kernels per step against ~103 for tf.layers.
 */
import * as tf from '@tensorflow/tfjs';
import { fusedCellBackward, fusedCellForward, fusedVariant, matMulT } from './gpu-kernels.ts';
import { ADAM, type BatchResult, type EngineConfig, type LstmEngine, type TrainBatch } from './engine.ts';
import type { LstmLayerWeights, LstmWeights } from './types.ts';

/** A [4H] vector holding value(gate) over each gate's block (gates i, f, c, o). */
function gateScale(H: number, value: (gate: number) => number): Float32Array {
  const out = new Float32Array(4 * H);
  for (let g = 0; g < 4; g++) out.fill(value(g), g * H, (g + 1) * H);
  return out;
}

function tensorArg(value: tf.Tensor | ((save: tf.Tensor[]) => void) | undefined, name: string): tf.Tensor {
  if (value instanceof tf.Tensor) return value;
  throw new Error(`lstm layer: argument ${name} must be a tensor.`);
}

function saveArg(value: tf.Tensor | ((save: tf.Tensor[]) => void) | undefined): (save: tf.Tensor[]) => void {
  if (typeof value === 'function') return value;
  throw new Error('lstm layer: missing save function.');
}

/**
 * One LSTM layer over a time-major sequence x [T, B, D] with kernel W [D, 4H], recurrent
 * kernel U [H, 4H] and bias b [4H]; returns h for every step [T, B, H] or the last [B, H].
 * Differentiable with respect to all four inputs through a hand-written BPTT; with
 * needInputGrad = false the gradient returned for x is zeros (saves a matmul when x is data).
 */
export function lstmLayer(x: tf.Tensor, W: tf.Tensor, U: tf.Tensor, b: tf.Tensor, returnSequences: boolean, needInputGrad = true): tf.Tensor {
  if (x.rank !== 3 || W.rank !== 2 || U.rank !== 2 || b.rank !== 1) throw new Error('lstm layer: expected x [T, B, D], W [D, 4H], U [H, 4H] and b [4H].');
  return lstmOp(returnSequences, needInputGrad)(x, W, U, b);
}

/** Element i of a list that the code above sized; throws instead of returning undefined. */
function at<T>(list: readonly T[], i: number): T {
  const v = list[i];
  if (v === undefined) throw new Error(`lstm layer: internal index ${i} out of range.`);
  return v;
}

/** The four gate blocks of a [B, 4H] tensor. */
function split4(t: tf.Tensor): [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor] {
  const parts = tf.split(t, 4, 1);
  return [at(parts, 0), at(parts, 1), at(parts, 2), at(parts, 3)];
}

const ops = new Map<string, (...args: tf.Tensor[]) => tf.Tensor>();

function lstmOp(returnSequences: boolean, needInputGrad: boolean): (...args: tf.Tensor[]) => tf.Tensor {
  const variant = fusedVariant();
  const key = `${returnSequences}-${needInputGrad}-${variant}`;
  const existing = ops.get(key);
  if (existing) return existing;
  let op: (...args: tf.Tensor[]) => tf.Tensor;
  switch (variant) {
    case 'fused-step':
      op = fusedStepOp(returnSequences, needInputGrad);
      break;
    case 'fused-cell':
      op = fusedCellOp(returnSequences, needInputGrad);
      break;
    case 'composed':
      op = composedOp(returnSequences, needInputGrad);
      break;
    default: {
      const bad: never = variant;
      throw new Error(`lstm layer: unknown variant ${String(bad)}`);
    }
  }
  ops.set(key, op);
  return op;
}

/** Shapes of one layer call, checked. */
function layerShapes(x: tf.Tensor, U: tf.Tensor): { T: number; B: number; D: number; H: number } {
  const [T, B, D] = x.shape;
  const H = U.shape[0];
  if (T === undefined || B === undefined || D === undefined || H === undefined) throw new Error('lstm layer: x must be [T, B, D] and U [H, 4H].');
  return { T, B, D, H };
}

/** The arguments of a layer op (x, W, U, b, save), checked, with the call's shapes. */
function layerArgs(args: Array<tf.Tensor | ((save: tf.Tensor[]) => void)>): {
  x: tf.Tensor;
  W: tf.Tensor;
  U: tf.Tensor;
  b: tf.Tensor;
  save: (save: tf.Tensor[]) => void;
  shapes: { T: number; B: number; D: number; H: number };
} {
  const x = tensorArg(args[0], 'x');
  const W = tensorArg(args[1], 'W');
  const U = tensorArg(args[2], 'U');
  const b = tensorArg(args[3], 'b');
  const save = saveArg(args[4]);
  return { x, W, U, b, save, shapes: layerShapes(x, U) };
}

/**
 * Weight and input gradients from dL/dz of all steps, dZ [T·B, 4H], with the inputs x
 * [T, B, D] and the previous hidden states hPrev [T·B, H] (zeros first), shared by all
 * variants; `scale` undoes the composed variant's doubled cell-candidate columns.
 */
function weightGradients(
  dZ: tf.Tensor,
  xs: tf.Tensor,
  hPrev: tf.Tensor,
  Wused: tf.Tensor,
  shapes: { T: number; B: number; D: number; H: number },
  scale: tf.Tensor | null,
  needInputGrad: boolean,
): tf.Tensor[] {
  const { T, B, D, H } = shapes;
  const x2 = tf.reshape(xs, [T * B, D]);
  let dW = matMulT(x2, dZ, true);
  let dU = matMulT(hPrev, dZ, true);
  // A column sum as a matmul with ones: WebGPU's reduction kernel took 200 ms here for
  // [384, 200] under SwiftShader, a matmul 11 ms; on the CPU backends sum is cheaper.
  const gpu = tf.getBackend() === 'webgpu' || tf.getBackend() === 'webgl';
  let db = gpu ? tf.reshape(matMulT(tf.ones([1, T * B]), dZ), [4 * H]) : tf.sum(dZ, 0);
  if (scale) {
    dW = tf.mul(dW, scale);
    dU = tf.mul(dU, scale);
    db = tf.mul(db, scale);
  }
  const dX = needInputGrad ? tf.reshape(matMulT(dZ, Wused, false, true), [T, B, D]) : tf.zeros([T, B, D]);
  return [dX, dW, dU, db];
}

/** [0, h_0, …, h_{T−2}] as [T·B, H] from the hidden states of all steps [T, B, H]. */
function previousHidden(hAll: tf.Tensor, T: number, B: number, H: number): tf.Tensor {
  const shifted = T > 1 ? tf.concat([tf.zeros([1, B, H]), tf.slice(hAll, [0, 0, 0], [T - 1, B, H])], 0) : tf.zeros([1, B, H]);
  return tf.reshape(shifted, [T * B, H]);
}

/**
 * The layer on fused step kernels (webgpu, cpu): each step forward and each step backward is
 * one kernel that also forms h·U (or dz·Uᵀ) itself, so a timestep costs two dispatches.
 */
function fusedStepOp(returnSequences: boolean, needInputGrad: boolean): (...args: tf.Tensor[]) => tf.Tensor {
  return tf.customGrad((...args) => {
    const { x, W, U, b, save, shapes } = layerArgs(args);
    const { T, B, D, H } = shapes;
    const zx = tf.reshape(tf.add(matMulT(tf.reshape(x, [T * B, D]), W), b), [T, B, 4 * H]);
    const packs: tf.Tensor[] = [];
    const hs: tf.Tensor[] = [];
    let prev: tf.Tensor | null = null;
    for (let t = 0; t < T; t++) {
      prev = fusedCellForward(zx, prev ? U : null, prev, t, B, H, true);
      packs.push(prev);
      // Stacking the narrow h slices moves 8× less data than stacking the packed outputs.
      hs.push(tf.slice(prev, [0, 0], [B, H]));
    }
    const hAll = tf.stack(hs);
    const value = returnSequences ? hAll : at(hs, T - 1);
    save([x, W, U, hAll, ...packs]);
    return {
      value,
      gradFunc: (dy, saved) => {
        const [xs, Ws, Us, hs] = [at(saved, 0), at(saved, 1), at(saved, 2), at(saved, 3)];
        const P = saved.slice(4, 4 + T);
        const gs: tf.Tensor[] = new Array<tf.Tensor>(T);
        let next: tf.Tensor | null = null;
        for (let t = T - 1; t >= 0; t--) {
          const mode = returnSequences ? 2 : t === T - 1 ? 1 : 0;
          next = fusedCellBackward(at(P, t), mode === 0 ? null : dy, mode, next ? Us : null, next, t, B, H, true);
          gs[t] = next;
        }
        const dZ = tf.slice(tf.reshape(tf.stack(gs), [T * B, 5 * H]), [0, 0], [T * B, 4 * H]);
        return weightGradients(dZ, xs, previousHidden(hs, T, B, H), Ws, shapes, null, needInputGrad);
      },
    };
  });
}

/**
 * The layer on fused cell kernels (webgl): per step one matmul, one fused cell dispatch and
 * one slice forward; one fused dispatch, one slice and one matmul backward.
 */
function fusedCellOp(returnSequences: boolean, needInputGrad: boolean): (...args: tf.Tensor[]) => tf.Tensor {
  return tf.customGrad((...args) => {
    const { x, W, U, b, save, shapes } = layerArgs(args);
    const { T, B, D, H } = shapes;
    const zx = tf.reshape(tf.add(matMulT(tf.reshape(x, [T * B, D]), W), b), [T, B, 4 * H]);
    const packs: tf.Tensor[] = [];
    const hs: tf.Tensor[] = [];
    let prev: tf.Tensor | null = null;
    let h: tf.Tensor | null = null;
    for (let t = 0; t < T; t++) {
      const rec = h ? tf.matMul(h, U) : null;
      const packed = fusedCellForward(zx, rec, prev, t, B, H);
      h = tf.slice(packed, [0, 0], [B, H]);
      packs.push(packed);
      hs.push(h);
      prev = packed;
    }
    const hAll = tf.stack(hs);
    const value = returnSequences ? hAll : at(hs, T - 1);
    save([x, W, U, hAll, ...packs]);
    return {
      value,
      gradFunc: (dy, saved) => {
        const [xs, Ws, Us, hsAll] = [at(saved, 0), at(saved, 1), at(saved, 2), at(saved, 3)];
        const P = saved.slice(4, 4 + T);
        const Ut = tf.transpose(Us);
        const dzs: tf.Tensor[] = new Array<tf.Tensor>(T);
        let next: tf.Tensor | null = null;
        let dhRec: tf.Tensor | null = null;
        for (let t = T - 1; t >= 0; t--) {
          const mode = returnSequences ? 2 : t === T - 1 ? 1 : 0;
          const g: tf.Tensor = fusedCellBackward(at(P, t), mode === 0 ? null : dy, mode, dhRec, next, t, B, H);
          const dz = tf.slice(g, [0, 0], [B, 4 * H]);
          dzs[t] = dz;
          if (t > 0) dhRec = tf.matMul(dz, Ut);
          next = g;
        }
        const dZ = tf.reshape(tf.stack(dzs), [T * B, 4 * H]);
        return weightGradients(dZ, xs, previousHidden(hsAll, T, B, H), Ws, shapes, null, needInputGrad);
      },
    };
  });
}

/** The layer from standard tfjs ops, for backends without the fused kernels (wasm and others). */
function composedOp(returnSequences: boolean, needInputGrad: boolean): (...args: tf.Tensor[]) => tf.Tensor {
  return tf.customGrad((...args) => {
    const { x, W, U, b, save, shapes } = layerArgs(args);
    const { T, B, D, H } = shapes;
    const m = tf.tensor1d(gateScale(H, (g) => (g === 2 ? 2 : 1)));
    const m0 = tf.tensor1d(gateScale(H, (g) => (g === 2 ? -1 : 0)));
    const W2 = tf.mul(W, m);
    const U2 = tf.mul(U, m);
    const b2 = tf.mul(b, m);
    const zs = tf.unstack(tf.reshape(tf.add(tf.matMul(tf.reshape(x, [T * B, D]), W2), b2), [T, B, 4 * H]));
    const hs: tf.Tensor[] = [];
    const ks: tf.Tensor[] = [];
    const qs: tf.Tensor[] = [];
    const fs: tf.Tensor[] = [];
    let h: tf.Tensor | null = null;
    let c: tf.Tensor | null = null;
    for (let t = 0; t < T; t++) {
      const zt = at(zs, t);
      const z = h ? tf.add(zt, tf.matMul(h, U2)) : zt;
      const s = tf.sigmoid(z);
      const act = tf.add(tf.mul(s, m), m0);
      const [i, f, g, o] = split4(act);
      const cPrev: tf.Tensor = c ?? tf.zerosLike(i);
      c = tf.add(tf.mul(f, cPrev), tf.mul(i, g));
      const tc = tf.tanh(c);
      h = tf.mul(o, tc);
      // dL/dz' = [dc, dc, dc, dh] ∘ K and dc += dh ∘ Q; K and Q are all backward needs.
      const dAct = tf.mul(tf.mul(s, tf.sub(1, s)), m);
      ks.push(tf.mul(tf.concat([g, cPrev, i, tc], 1), dAct));
      qs.push(tf.mul(o, tf.sub(1, tf.square(tc))));
      fs.push(f);
      hs.push(h);
    }
    const value = returnSequences ? tf.stack(hs) : at(hs, T - 1);
    save([x, W2, U2, ...ks, ...qs, ...fs, ...hs]);
    return {
      value,
      gradFunc: (dy, saved) => {
        const xs = at(saved, 0);
        const Wsc = at(saved, 1);
        const Usc = at(saved, 2);
        const K = saved.slice(3, 3 + T);
        const Q = saved.slice(3 + T, 3 + 2 * T);
        const F = saved.slice(3 + 2 * T, 3 + 3 * T);
        const Hs = saved.slice(3 + 3 * T, 3 + 4 * T);
        // The forward pass's constants were disposed with its scope; rebuild the scale.
        const m = tf.tensor1d(gateScale(H, (g) => (g === 2 ? 2 : 1)));
        const dyHs = returnSequences ? tf.unstack(dy) : null;
        const Ut = tf.transpose(Usc);
        const dzs: tf.Tensor[] = new Array<tf.Tensor>(T);
        let dhRec: tf.Tensor | null = null;
        let dcNext: tf.Tensor | null = null;
        for (let t = T - 1; t >= 0; t--) {
          const above = dyHs ? at(dyHs, t) : t === T - 1 ? dy : null;
          const dh: tf.Tensor | null = above && dhRec ? tf.add(above, dhRec) : (above ?? dhRec);
          if (!dh) throw new Error('lstm layer: no gradient reaches this step.');
          const dcFromH = tf.mul(dh, at(Q, t));
          const dc: tf.Tensor = dcNext ? tf.add(dcNext, dcFromH) : dcFromH;
          const dz: tf.Tensor = tf.mul(tf.concat([dc, dc, dc, dh], 1), at(K, t));
          dzs[t] = dz;
          if (t > 0) {
            dhRec = tf.matMul(dz, Ut);
            dcNext = tf.mul(dc, at(F, t));
          }
        }
        const dZ = tf.reshape(tf.stack(dzs), [T * B, 4 * H]);
        return weightGradients(dZ, xs, previousHidden(tf.stack(Hs), T, B, H), Wsc, shapes, m, needInputGrad);
      },
    };
  });
}

/** Trainable variables of the model. */
interface FastVariables {
  layers: { W: tf.Variable; U: tf.Variable; b: tf.Variable }[];
  wd: tf.Variable;
  bd: tf.Variable;
}

/** Logits [B, 1] of the model for sample-major x [B, T, D], optionally masking the last hidden state. */
function forward(vars: FastVariables, x: tf.Tensor, mask: tf.Tensor | null): tf.Tensor {
  let seq: tf.Tensor = tf.transpose(x, [1, 0, 2]);
  const L = vars.layers.length;
  vars.layers.forEach((layer, l) => {
    // The first layer's input is data: its gradient is never used.
    seq = lstmLayer(seq, layer.W, layer.U, layer.b, l < L - 1, l > 0);
  });
  const last = mask ? tf.mul(seq, mask) : seq;
  return denseHead(last, vars.wd, vars.bd);
}

/**
 * The dense output h·w + b with a hand-written gradient, so that on webgpu all three of its
 * products run on the plain matmul kernel (tfjs' tiled matmul is slow for one output column).
 */
const denseHead = (h: tf.Tensor, w: tf.Tensor, b: tf.Tensor): tf.Tensor => denseOp(h, w, b);

const denseOp = tf.customGrad((...args) => {
  const h = tensorArg(args[0], 'h');
  const w = tensorArg(args[1], 'w');
  const b = tensorArg(args[2], 'b');
  const save = saveArg(args[3]);
  save([h, w]);
  return {
    value: tf.add(matMulT(h, w), b),
    gradFunc: (dy, saved) => {
      const [hs, ws] = [at(saved, 0), at(saved, 1)];
      return [matMulT(dy, ws, false, true), matMulT(hs, dy, true), tf.sum(dy, 0)];
    },
  };
});

/** Weighted binary cross-entropy Σ w·BCE(z, y) / B from logits, overflow-free. */
export function weightedBce(logits: tf.Tensor, y: tf.Tensor, w: tf.Tensor, size: number): tf.Scalar {
  const perSample = tf.add(tf.sub(tf.relu(logits), tf.mul(logits, y)), tf.log1p(tf.exp(tf.neg(tf.abs(logits)))));
  return tf.div(tf.sum(tf.mul(perSample, w)), size);
}

/** A variable holding the tensor's values; the tensor itself is freed. */
function toVariable(t: tf.Tensor): tf.Variable {
  const v = tf.variable(t);
  t.dispose();
  return v;
}

function variablesFrom(weights: LstmWeights): FastVariables {
  return {
    layers: weights.layers.map((l: LstmLayerWeights) => ({
      W: toVariable(tf.tensor2d(l.kernel, [l.inputSize, 4 * l.units])),
      U: toVariable(tf.tensor2d(l.recurrentKernel, [l.units, 4 * l.units])),
      b: toVariable(tf.tensor1d(l.bias)),
    })),
    wd: toVariable(tf.tensor2d(weights.dense.kernel, [weights.dense.kernel.length, 1])),
    bd: toVariable(tf.tensor1d(weights.dense.bias)),
  };
}

/** The tfjs-ops fast engine (used on WebGPU/WebGL, and where WebAssembly SIMD is missing). */
export class TfjsFastEngine implements LstmEngine {
  /** Kernel family. */
  readonly name = 'tfjs-ops' as const;
  private readonly vars: FastVariables;
  private readonly optimizer: tf.AdamOptimizer;
  private readonly config: EngineConfig;

  constructor(config: EngineConfig, weights: LstmWeights) {
    this.config = config;
    this.vars = variablesFrom(weights);
    this.optimizer = tf.train.adam(config.learningRate, ADAM.beta1, ADAM.beta2, ADAM.epsilon);
  }

  /** Forward, weighted BCE, hand-written backward and one Adam step. */
  async trainBatch(batch: TrainBatch): Promise<BatchResult> {
    return tfjsTrainStep(this.optimizer, this.config, batch, this.varList(), (x, mask) => forward(this.vars, x, mask));
  }

  /** Probabilities in chunks of the engine's batch size. */
  async predict(x: Float32Array, n: number): Promise<Float32Array> {
    return predictInChunks(x, n, this.config, (xt) => tf.sigmoid(forward(this.vars, xt, null)));
  }

  /** A copy of the weights, read back asynchronously. */
  async getWeights(): Promise<LstmWeights> {
    const { features, units } = this.config;
    const read = async (v: tf.Variable): Promise<Float32Array> => Float32Array.from(await v.data());
    const layers = await Promise.all(
      this.vars.layers.map(async (l, i) => ({
        inputSize: i === 0 ? features : units,
        units,
        kernel: await read(l.W),
        recurrentKernel: await read(l.U),
        bias: await read(l.b),
      })),
    );
    return { features, layers, dense: { kernel: await read(this.vars.wd), bias: await read(this.vars.bd) } };
  }

  /** Replaces the weights. */
  setWeights(weights: LstmWeights): void {
    weights.layers.forEach((l, i) => {
      const v = this.vars.layers[i];
      if (!v) throw new Error(`LSTM weights have ${weights.layers.length} layers; the model has ${this.vars.layers.length}.`);
      tf.tidy(() => {
        v.W.assign(tf.tensor2d(l.kernel, [l.inputSize, 4 * l.units]));
        v.U.assign(tf.tensor2d(l.recurrentKernel, [l.units, 4 * l.units]));
        v.b.assign(tf.tensor1d(l.bias));
      });
    });
    tf.tidy(() => {
      this.vars.wd.assign(tf.tensor2d(weights.dense.kernel, [weights.dense.kernel.length, 1]));
      this.vars.bd.assign(tf.tensor1d(weights.dense.bias));
    });
  }

  /** Disposes the variables and the optimiser state. */
  dispose(): void {
    for (const v of this.varList()) v.dispose();
    this.optimizer.dispose();
  }

  private varList(): tf.Variable[] {
    return [...this.vars.layers.flatMap((l) => [l.W, l.U, l.b]), this.vars.wd, this.vars.bd];
  }
}

/** Runs `probsOf` over x in chunks of maxBatch rows and gathers the probabilities. */
export async function predictInChunks(
  x: Float32Array,
  n: number,
  config: EngineConfig,
  probsOf: (x: tf.Tensor) => tf.Tensor,
): Promise<Float32Array> {
  const { steps, features } = config;
  const chunk = Math.max(config.maxBatch, 256);
  const out = new Float32Array(n);
  const per = steps * features;
  for (let start = 0; start < n; start += chunk) {
    const rows = Math.min(chunk, n - start);
    const p = tf.tidy(() => probsOf(tf.tensor3d(x.subarray(start * per, (start + rows) * per), [rows, steps, features])));
    const values = await p.data();
    p.dispose();
    out.set(values, start);
  }
  return out;
}

/**
 * One Adam step of a tfjs model given its logits function: uploads the batch, minimises
 * Σ w·BCE / size over `variables`, and reads back the loss and the pre-update probabilities.
 */
export async function tfjsTrainStep(
  optimizer: tf.Optimizer,
  config: EngineConfig,
  batch: TrainBatch,
  variables: tf.Variable[],
  logitsOf: (x: tf.Tensor, mask: tf.Tensor | null) => tf.Tensor,
): Promise<BatchResult> {
  const { steps, features, units } = config;
  const size = batch.size;
  const out: { probs: tf.Tensor | null } = { probs: null };
  const cost: tf.Scalar = tf.tidy(() => {
    const x = tf.tensor3d(batch.x.subarray(0, size * steps * features), [size, steps, features]);
    const y = tf.tensor2d(batch.y.subarray(0, size), [size, 1]);
    const w = tf.tensor2d(batch.sampleWeight.subarray(0, size), [size, 1]);
    const mask = batch.mask ? tf.tensor2d(batch.mask.subarray(0, size * units), [size, units]) : null;
    const c = optimizer.minimize(
      () => {
        const logits = logitsOf(x, mask);
        out.probs = tf.keep(tf.sigmoid(logits));
        return weightedBce(logits, y, w, size);
      },
      true,
      variables,
    );
    return c ?? tf.scalar(Number.NaN);
  });
  const kept: tf.Tensor = out.probs ?? tf.zeros([size, 1]);
  const [lossValue, probValues] = await Promise.all([cost.data(), kept.data()]);
  cost.dispose();
  kept.dispose();
  return { loss: lossValue[0] ?? Number.NaN, probs: Float32Array.from(probValues) };
}
