/**
 * The native LSTM: forward pass, hand-written backpropagation through time and Adam on one
 * WebAssembly memory, with the SIMD kernels of native-kernels.ts doing the arithmetic.
 *
 * Layout (all float32, time-major so that each timestep is one contiguous block):
 * units are padded to Hp = ⌈H/4⌉·4 and input features to Dp = ⌈D/4⌉·4 with zero weights,
 * which keeps every SIMD row aligned and provably leaves the padded units at exactly zero
 * (zero pre-activation ⇒ c = 0.5·0 + 0.5·tanh 0 = 0, h = 0; their gradients are zero too).
 * The expensive products are batched over all timesteps: one matmul for the input
 * projections of every step, one each for the weight gradients; only h·U and dz·Uᵀ remain
 * per step.
 */
import { ADAM, bceFromLogit, sigmoid, type BatchResult, type EngineConfig, type LstmEngine, type TrainBatch } from './engine.ts';
import { acquireNativeKernels, createNativeKernels, releaseNativeKernels, type NativeKernels } from './native-kernels.ts';
import type { LstmLayerWeights, LstmWeights } from './types.ts';

const pad4 = (n: number): number => Math.ceil(n / 4) * 4;

interface LayerLayout {
  /** Padded input width. */
  din: number;
  /** Unpadded input width. */
  dinTrue: number;
  /** Float offsets of parameters (W [din, 4Hp], U [Hp, 4Hp], b [4Hp]) within the param block. */
  w: number;
  u: number;
  b: number;
  /** Float offsets (absolute) of transposed copies Wᵀ [4Hp, din], Uᵀ [4Hp, Hp]. */
  wt: number;
  ut: number;
  /** Absolute float offsets of activations and their gradients. */
  z: number;
  c: number;
  tanhC: number;
  h: number;
  dz: number;
  dh: number;
}

/** A forward/backward LSTM with Adam over one WebAssembly memory. */
export class NativeLstm {
  /** Configuration it was built for. */
  readonly config: EngineConfig;
  private readonly kernels: NativeKernels;
  private readonly H: number;
  private readonly Hp: number;
  private readonly D: number;
  private readonly Dp: number;
  private readonly T: number;
  private readonly layout: LayerLayout[] = [];
  /** Float offsets of the parameter, gradient and Adam-moment blocks (same internal layout). */
  private readonly params: number;
  private readonly grads: number;
  private readonly paramCount: number;
  private readonly m: number;
  private readonly v: number;
  private accBeta1: number = ADAM.beta1;
  private accBeta2: number = ADAM.beta2;
  private readonly wd: number;
  private readonly bd: number;
  private readonly x0: number;
  /** Sample-major staging copy of the batch's inputs [rows, T, D], rearranged into x0 in wasm. */
  private readonly xs: number;
  private readonly dx0: number;
  private readonly hd: number;
  private readonly mask: number;
  private readonly zeros: number;
  private readonly dc: number;
  private readonly one: number;
  private f32: Float32Array;
  /** Logits of the last forward pass (maxBatch long; forward returns a view of its first rows). */
  private readonly logits: Float32Array;
  /** Whether the kernels came from acquireNativeKernels and have not gone back yet. */
  private pooled: boolean;
  /** Rows in the last forward pass; backward refers to its activations. */
  private rows = 0;
  private hasMask = false;

  /**
   * Builds the model over `kernels` (grown to fit) or, without them, over a freshly compiled
   * synchronous instance (Node, workers; see NativeLstm.create for a browser main thread).
   */
  constructor(config: EngineConfig, weights: LstmWeights, kernels: NativeKernels | null = null, pooled = false) {
    this.config = config;
    this.pooled = pooled && kernels !== null;
    const { steps: T, features: D, units: H, layers: L, maxBatch: B } = config;
    this.T = T;
    this.H = H;
    this.Hp = pad4(H);
    this.D = D;
    this.Dp = pad4(D);
    const Hp = this.Hp;
    let next = 0;
    const alloc = (floats: number): number => {
      const at = next;
      next += pad4(floats);
      return at;
    };
    // Parameter block: per layer W, U, b, then the dense kernel and bias.
    let p = 0;
    const paramOffsets: { w: number; u: number; b: number; din: number; dinTrue: number }[] = [];
    for (let l = 0; l < L; l++) {
      const din = l === 0 ? this.Dp : Hp;
      const w = p;
      p += din * 4 * Hp;
      const u = p;
      p += Hp * 4 * Hp;
      const b = p;
      p += 4 * Hp;
      paramOffsets.push({ w, u, b, din, dinTrue: l === 0 ? D : H });
    }
    this.wd = p;
    p += Hp;
    this.bd = p;
    p += 4;
    this.paramCount = p;
    this.params = alloc(p);
    this.grads = alloc(p);
    this.m = alloc(p);
    this.v = alloc(p);
    for (const po of paramOffsets) {
      this.layout.push({
        din: po.din,
        dinTrue: po.dinTrue,
        w: po.w,
        u: po.u,
        b: po.b,
        wt: alloc(4 * Hp * po.din),
        ut: alloc(4 * Hp * Hp),
        z: alloc(T * B * 4 * Hp),
        c: alloc(T * B * Hp),
        tanhC: alloc(T * B * Hp),
        h: alloc(T * B * Hp),
        dz: alloc(T * B * 4 * Hp),
        dh: alloc(T * B * Hp),
      });
    }
    this.x0 = alloc(T * B * this.Dp);
    this.xs = alloc(T * B * D);
    this.dx0 = alloc(T * B * this.Dp);
    this.hd = alloc(B * Hp);
    this.mask = alloc(B * Hp);
    this.zeros = alloc(B * Hp);
    this.dc = alloc(B * Hp);
    this.one = alloc(4);
    this.kernels = kernels ?? createNativeKernels(next * 4);
    this.kernels.ensureBytes(next * 4);
    this.f32 = new Float32Array(this.kernels.memory.buffer);
    // Memory an earlier model used: every kernel reads and writes inside this layout, so
    // clearing it is all it takes to compute exactly as on fresh memory.
    if (this.pooled) this.f32.fill(0, 0, next);
    this.f32[this.one] = 1;
    this.logits = new Float32Array(B);
    this.setWeights(weights);
  }

  /**
   * Builds the model over asynchronously compiled kernels (safe on a browser's main thread),
   * reusing the zeroed memory of a model released earlier on this thread when there is one.
   */
  static async create(config: EngineConfig, weights: LstmWeights): Promise<NativeLstm> {
    return new NativeLstm(config, weights, await acquireNativeKernels(0), true);
  }

  /** Gives the kernels' memory back for the next model on this thread; the model must not be used again. */
  release(): void {
    if (!this.pooled) return;
    // Once only: a second release would hand out memory the next model is using.
    this.pooled = false;
    releaseNativeKernels(this.kernels);
  }

  /** Replaces the weights (padding stays zero). */
  setWeights(weights: LstmWeights): void {
    const { H, Hp } = this;
    const f = this.f32;
    if (weights.layers.length !== this.layout.length || weights.features !== this.D) {
      throw new Error(`LSTM weights have ${weights.layers.length} layers and ${weights.features} features; the model expects ${this.layout.length} and ${this.D}.`);
    }
    f.fill(0, this.params, this.params + this.paramCount);
    this.layout.forEach((lay, l) => {
      const src = weights.layers[l] as LstmLayerWeights;
      if (src.units !== H || src.inputSize !== lay.dinTrue) {
        throw new Error(`LSTM layer ${l} has ${src.units} units and input ${src.inputSize}; the model expects ${H} and ${lay.dinTrue}.`);
      }
      for (let r = 0; r < lay.dinTrue; r++) {
        for (let g = 0; g < 4; g++) {
          for (let j = 0; j < H; j++) f[this.params + lay.w + r * 4 * Hp + g * Hp + j] = src.kernel[r * 4 * H + g * H + j] as number;
        }
      }
      for (let r = 0; r < H; r++) {
        for (let g = 0; g < 4; g++) {
          for (let j = 0; j < H; j++) f[this.params + lay.u + r * 4 * Hp + g * Hp + j] = src.recurrentKernel[r * 4 * H + g * H + j] as number;
        }
      }
      for (let g = 0; g < 4; g++) for (let j = 0; j < H; j++) f[this.params + lay.b + g * Hp + j] = src.bias[g * H + j] as number;
    });
    for (let j = 0; j < H; j++) f[this.params + this.wd + j] = weights.dense.kernel[j] as number;
    f[this.params + this.bd] = weights.dense.bias[0] as number;
  }

  /** A copy of the weights in tf.layers layout. */
  getWeights(): LstmWeights {
    return this.unpack(this.params);
  }

  /** The gradients of the last backward pass, in tf.layers layout. */
  gradients(): LstmWeights {
    return this.unpack(this.grads);
  }

  /** Hidden state of the last layer at the last step, [rows, H], from the last forward pass. */
  lastHidden(): Float32Array {
    const { H, Hp, T, rows } = this;
    const lay = this.layout[this.layout.length - 1] as LayerLayout;
    const out = new Float32Array(rows * H);
    const base = lay.h + (T - 1) * rows * Hp;
    for (let b = 0; b < rows; b++) for (let j = 0; j < H; j++) out[b * H + j] = this.f32[base + b * Hp + j] as number;
    return out;
  }

  /** dL/dx [rows, steps, features] from the last backward pass run with `inputGradient`. */
  inputGradient(): Float32Array {
    const { T, D, Dp, rows } = this;
    const out = new Float32Array(rows * T * D);
    for (let b = 0; b < rows; b++) {
      for (let t = 0; t < T; t++) {
        for (let d = 0; d < D; d++) out[(b * T + t) * D + d] = this.f32[this.dx0 + (t * rows + b) * Dp + d] as number;
      }
    }
    return out;
  }

  /**
   * Forward pass over `rows` sequences [rows, steps, features]; returns the logits (a view
   * that the next forward pass overwrites). `mask` [rows, H] multiplies the last hidden state
   * (dropout), or null.
   */
  forward(x: Float32Array, rows: number, mask: Float32Array | null): Float32Array {
    const { T, D, Dp, H, Hp } = this;
    if (rows > this.config.maxBatch) throw new Error(`Batch of ${rows} exceeds the engine's maximum of ${this.config.maxBatch}.`);
    const f = this.f32;
    const g = this.kernels.exports;
    this.rows = rows;
    // Time-major, zero-padded copy of the inputs: one bulk copy into wasm memory, then a
    // strided copy per step there (a JavaScript loop over rows × steps cost ~7 ns a float).
    const x0 = this.x0;
    if (Dp !== D) f.fill(0, x0, x0 + T * rows * Dp);
    const n = rows * T * D;
    f.set(x.length === n ? x : x.subarray(0, n), this.xs);
    for (let t = 0; t < T; t++) g.copy(rows, D, (this.xs + t * D) * 4, T * D * 4, 4, (x0 + t * rows * Dp) * 4, Dp * 4);
    const P = this.params;
    let input = x0;
    for (const lay of this.layout) {
      const g4 = 4 * Hp * 4;
      // Input projections of all timesteps at once, starting from the broadcast bias.
      g.gemm(T * rows, 4 * Hp, lay.din, input * 4, lay.din * 4, 4, (P + lay.w) * 4, g4, lay.z * 4, g4, (P + lay.b) * 4, 0, 1);
      for (let t = 0; t < T; t++) {
        const zt = lay.z + t * rows * 4 * Hp;
        if (t > 0) {
          // k = H, not Hp: the padded units of h are +0 and their rows of U zero, so the
          // terms left out add nothing (and the sum is never −0, which +0 would turn to +0).
          const hPrev = lay.h + (t - 1) * rows * Hp;
          g.gemm(rows, 4 * Hp, H, hPrev * 4, Hp * 4, 4, (P + lay.u) * 4, g4, zt * 4, g4, zt * 4, g4, 1);
        }
        const cPrev = t > 0 ? lay.c + (t - 1) * rows * Hp : this.zeros;
        const st = t * rows * Hp;
        g.cellForward(rows, Hp, zt * 4, cPrev * 4, (lay.c + st) * 4, (lay.tanhC + st) * 4, (lay.h + st) * 4);
      }
      input = lay.h;
    }
    // Dense head on the (masked) last hidden state.
    const hT = input + (T - 1) * rows * Hp;
    this.hasMask = mask !== null;
    const logits = this.logits.subarray(0, rows);
    const wd = P + this.wd;
    const bd = f[P + this.bd] as number;
    for (let b = 0; b < rows; b++) {
      let s = bd;
      for (let j = 0; j < H; j++) {
        const m = mask ? (mask[b * H + j] as number) : 1;
        const v = (f[hT + b * Hp + j] as number) * m;
        f[this.mask + b * Hp + j] = m;
        f[this.hd + b * Hp + j] = v;
        s += v * (f[wd + j] as number);
      }
      logits[b] = s;
    }
    return logits;
  }

  /** Backpropagation through time of dL/dlogits from the last forward pass into the gradients. */
  backward(dLogits: Float32Array, inputGradient = false): void {
    const { T, H, Hp, rows } = this;
    const f = this.f32;
    const g = this.kernels.exports;
    const P = this.params;
    const G = this.grads;
    this.refreshTransposes(inputGradient);
    // Dense head.
    let dbd = 0;
    for (let j = 0; j < Hp; j++) f[G + this.wd + j] = 0;
    const top = this.layout[this.layout.length - 1] as LayerLayout;
    f.fill(0, top.dh, top.dh + T * rows * Hp);
    const dhT = top.dh + (T - 1) * rows * Hp;
    for (let b = 0; b < rows; b++) {
      const dl = dLogits[b] as number;
      dbd += dl;
      for (let j = 0; j < H; j++) {
        f[G + this.wd + j] = (f[G + this.wd + j] as number) + (f[this.hd + b * Hp + j] as number) * dl;
        f[dhT + b * Hp + j] = dl * (f[P + this.wd + j] as number) * (this.hasMask ? (f[this.mask + b * Hp + j] as number) : 1);
      }
    }
    f[G + this.bd] = dbd;
    const g4 = 4 * Hp * 4;
    for (let l = this.layout.length - 1; l >= 0; l--) {
      const lay = this.layout[l] as LayerLayout;
      f.fill(0, this.dc, this.dc + rows * Hp);
      for (let t = T - 1; t >= 0; t--) {
        const st = t * rows * Hp;
        const zt = t * rows * 4 * Hp;
        const cPrev = t > 0 ? lay.c + (t - 1) * rows * Hp : this.zeros;
        g.cellBackward(rows, Hp, (lay.z + zt) * 4, cPrev * 4, (lay.tanhC + st) * 4, (lay.dh + st) * 4, this.dc * 4, (lay.dz + zt) * 4);
        if (t > 0) {
          const dhPrev = (lay.dh + (t - 1) * rows * Hp) * 4;
          g.gemm(rows, Hp, 4 * Hp, (lay.dz + zt) * 4, g4, 4, lay.ut * 4, Hp * 4, dhPrev, Hp * 4, dhPrev, Hp * 4, 1);
        }
      }
      const input = l === 0 ? this.x0 : (this.layout[l - 1] as LayerLayout).h;
      // Weight gradients over all timesteps at once: Xᵀ·dZ, H₍ₜ₋₁₎ᵀ·dZ₍ₜ₎ and Σ dZ.
      g.gemm(lay.din, 4 * Hp, T * rows, input * 4, 4, lay.din * 4, lay.dz * 4, g4, (G + lay.w) * 4, g4, 0, 0, 0);
      g.gemm(Hp, 4 * Hp, (T - 1) * rows, lay.h * 4, 4, Hp * 4, (lay.dz + rows * 4 * Hp) * 4, g4, (G + lay.u) * 4, g4, 0, 0, 0);
      g.gemm(1, 4 * Hp, T * rows, this.one * 4, 0, 0, lay.dz * 4, g4, (G + lay.b) * 4, g4, 0, 0, 0);
      if (l > 0 || inputGradient) {
        const dIn = l > 0 ? (this.layout[l - 1] as LayerLayout).dh : this.dx0;
        g.gemm(T * rows, lay.din, 4 * Hp, lay.dz * 4, g4, 4, lay.wt * 4, lay.din * 4, dIn * 4, lay.din * 4, 0, 0, 0);
      }
    }
  }

  /** One Adam step (tfjs' formulation: bias-corrected moments, ε added to √v̂), in SIMD. */
  adam(learningRate: number): void {
    const { beta1, beta2, epsilon } = ADAM;
    const count = pad4(this.paramCount);
    this.kernels.exports.adam(count, this.params * 4, this.grads * 4, this.m * 4, this.v * 4, learningRate, beta1, beta2, 1 - this.accBeta1, 1 - this.accBeta2, epsilon);
    this.accBeta1 *= beta1;
    this.accBeta2 *= beta2;
  }

  /** Rebuilds Uᵀ (and Wᵀ where an input gradient is needed) from the current weights. */
  private refreshTransposes(inputGradient: boolean): void {
    const Hp = this.Hp;
    const P = this.params;
    const copy = this.kernels.exports.copy;
    // Row r of the transpose is column r of the [din, 4Hp] source: stride 4 along r, 16·Hp along c.
    this.layout.forEach((lay, l) => {
      copy(4 * Hp, Hp, (P + lay.u) * 4, 4, 16 * Hp, lay.ut * 4, Hp * 4);
      if (l > 0 || inputGradient) copy(4 * Hp, lay.din, (P + lay.w) * 4, 4, 16 * Hp, lay.wt * 4, lay.din * 4);
    });
  }

  private unpack(block: number): LstmWeights {
    const { H, Hp } = this;
    const f = this.f32;
    const layers = this.layout.map((lay) => {
      const kernel = new Float32Array(lay.dinTrue * 4 * H);
      const recurrentKernel = new Float32Array(H * 4 * H);
      const bias = new Float32Array(4 * H);
      for (let r = 0; r < lay.dinTrue; r++) {
        for (let g = 0; g < 4; g++) for (let j = 0; j < H; j++) kernel[r * 4 * H + g * H + j] = f[block + lay.w + r * 4 * Hp + g * Hp + j] as number;
      }
      for (let r = 0; r < H; r++) {
        for (let g = 0; g < 4; g++) for (let j = 0; j < H; j++) recurrentKernel[r * 4 * H + g * H + j] = f[block + lay.u + r * 4 * Hp + g * Hp + j] as number;
      }
      for (let g = 0; g < 4; g++) for (let j = 0; j < H; j++) bias[g * H + j] = f[block + lay.b + g * Hp + j] as number;
      return { inputSize: lay.dinTrue, units: H, kernel, recurrentKernel, bias };
    });
    const kernel = new Float32Array(H);
    for (let j = 0; j < H; j++) kernel[j] = f[block + this.wd + j] as number;
    return { features: this.D, layers, dense: { kernel, bias: Float32Array.of(f[block + this.bd] as number) } };
  }
}

/** The native engine: NativeLstm plus the loss, for the training loop. */
export class NativeEngine implements LstmEngine {
  /** Kernel family. */
  readonly name = 'native-simd' as const;
  private readonly lstm: NativeLstm;
  private readonly learningRate: number;
  /** Per-batch buffers, maxBatch long, reused by every step. */
  private readonly probs: Float32Array;
  private readonly dLogits: Float32Array;

  constructor(lstm: NativeLstm) {
    this.lstm = lstm;
    this.learningRate = lstm.config.learningRate;
    this.probs = new Float32Array(lstm.config.maxBatch);
    this.dLogits = new Float32Array(lstm.config.maxBatch);
  }

  /** An engine over asynchronously compiled kernels. */
  static async create(config: EngineConfig, weights: LstmWeights): Promise<NativeEngine> {
    return new NativeEngine(await NativeLstm.create(config, weights));
  }

  /** Forward, weighted BCE, backward and one Adam step; the probabilities returned are overwritten by the next step. */
  async trainBatch(batch: TrainBatch): Promise<BatchResult> {
    const { size } = batch;
    const logits = this.lstm.forward(batch.x, size, batch.mask);
    const probs = this.probs.subarray(0, size);
    const dLogits = this.dLogits.subarray(0, size);
    let loss = 0;
    for (let b = 0; b < size; b++) {
      const z = logits[b] as number;
      const y = batch.y[b] as number;
      const w = batch.sampleWeight[b] as number;
      const p = sigmoid(z);
      probs[b] = p;
      loss += w * bceFromLogit(z, y);
      dLogits[b] = (w * (p - y)) / size;
    }
    this.lstm.backward(dLogits);
    this.lstm.adam(this.learningRate);
    return { loss: loss / size, probs };
  }

  /** Probabilities in chunks of the engine's batch size. */
  async predict(x: Float32Array, n: number): Promise<Float32Array> {
    const { steps, features, maxBatch } = this.lstm.config;
    const out = new Float32Array(n);
    const per = steps * features;
    for (let start = 0; start < n; start += maxBatch) {
      const rows = Math.min(maxBatch, n - start);
      const logits = this.lstm.forward(x.subarray(start * per, (start + rows) * per), rows, null);
      for (let b = 0; b < rows; b++) out[start + b] = sigmoid(logits[b] as number);
    }
    return out;
  }

  /** A copy of the weights. */
  async getWeights(): Promise<LstmWeights> {
    return this.lstm.getWeights();
  }

  /** Replaces the weights. */
  setWeights(weights: LstmWeights): void {
    this.lstm.setWeights(weights);
  }

  /** Hands the kernels' memory to the next engine on this thread. */
  dispose(): void {
    this.lstm.release();
  }
}
