/**
 * The reference implementation: tf.layers.lstm layers (standard sigmoid gates) trained with
 * the same loss, dropout masks and Adam settings as the fast paths. Layers are called
 * directly (never `model.apply(x, {training: true})`, which leaks tensors — tfjs#7983); the
 * dropout mask is applied by hand so both implementations see identical masks.
 */
import * as tf from '@tensorflow/tfjs';
import { ADAM, type BatchResult, type EngineConfig, type LstmEngine, type TrainBatch } from './engine.ts';
import { buildLayersModel, fromLayersModelAsync, setLayersWeights } from './layers-model.ts';
import { predictInChunks, tfjsTrainStep } from './tfjs-fast.ts';
import { LstmInputError } from './errors.ts';
import type { LstmWeights } from './types.ts';

/** Training through tf.layers.lstm. */
export class LayersEngine implements LstmEngine {
  /** Kernel family. */
  readonly name = 'tfjs-layers' as const;
  private readonly model: tf.Sequential;
  private readonly lstms: tf.layers.Layer[];
  private readonly denseKernel: tf.Tensor;
  private readonly denseBias: tf.Tensor;
  private readonly variables: tf.Variable[];
  private readonly optimizer: tf.AdamOptimizer;
  private readonly config: EngineConfig;

  constructor(config: EngineConfig, weights: LstmWeights) {
    if (config.steps < 2) {
      // tfjs' Unpack gradient fails on a one-element unstack, so tf.layers cannot train here.
      throw new LstmInputError('steps', `implementation "layers" needs at least 2 steps per sequence, got ${config.steps}; use implementation "fast".`);
    }
    this.config = config;
    this.model = buildLayersModel(weights, { steps: config.steps, dropout: 0 });
    this.lstms = this.model.layers.filter((l) => l.getClassName() === 'LSTM');
    const dense = this.model.layers.find((l) => l.getClassName() === 'Dense');
    const [kernel, bias] = dense ? dense.trainableWeights.map((w) => w.read()) : [];
    if (!kernel || !bias) throw new Error('LayersEngine: the model has no dense output layer.');
    this.denseKernel = kernel;
    this.denseBias = bias;
    this.variables = this.model.trainableWeights.map((w) => {
      const v = w.read();
      if (!(v instanceof tf.Variable)) throw new Error(`LayersEngine: weight ${w.name} is not a variable.`);
      return v;
    });
    this.optimizer = tf.train.adam(config.learningRate, ADAM.beta1, ADAM.beta2, ADAM.epsilon);
  }

  /** Forward through the LSTM layers, weighted BCE, autodiff backward and one Adam step. */
  async trainBatch(batch: TrainBatch): Promise<BatchResult> {
    return tfjsTrainStep(this.optimizer, this.config, batch, this.variables, (x, mask) => this.logits(x, mask));
  }

  /** Probabilities through the same layers (inference: no dropout). */
  async predict(x: Float32Array, n: number): Promise<Float32Array> {
    return predictInChunks(x, n, this.config, (xt) => tf.sigmoid(this.logits(xt, null)));
  }

  /** A copy of the weights. */
  async getWeights(): Promise<LstmWeights> {
    return fromLayersModelAsync(this.model);
  }

  /** Replaces the weights. */
  setWeights(weights: LstmWeights): void {
    setLayersWeights(this.model, weights);
  }

  /** Disposes the model's variables and the optimiser state. */
  dispose(): void {
    this.model.dispose();
    this.optimizer.dispose();
  }

  /** Logits [B, 1] for sample-major x [B, T, D]. */
  private logits(x: tf.Tensor, mask: tf.Tensor | null): tf.Tensor {
    let h: tf.Tensor = x;
    for (const layer of this.lstms) {
      const out = layer.apply(h);
      if (!(out instanceof tf.Tensor)) throw new Error('LayersEngine: an LSTM layer returned a non-tensor.');
      h = out;
    }
    if (mask) h = tf.mul(h, mask);
    return tf.add(tf.matMul(h, this.denseKernel), this.denseBias);
  }
}
