/** The interface every LSTM implementation offers to the training loop. */
import type { EngineName, LstmWeights } from './types.ts';

/** One gradient step's worth of data, sample-major like SequenceSet. */
export interface TrainBatch {
  /** Values [size, steps, features]. */
  x: Float32Array;
  /** Targets, 0 or 1, length size. */
  y: Float32Array;
  /** Per-sample loss weights (class weights), length size. */
  sampleWeight: Float32Array;
  /** Dropout mask [size, units] already scaled by 1 / (1 − rate), or null without dropout. */
  mask: Float32Array | null;
  /** Number of sequences in this batch. */
  size: number;
}

/** What a training step reports back. */
export interface BatchResult {
  /** Σ w·BCE / size for this batch, before the update. */
  loss: number;
  /** Predicted probabilities for the batch rows, before the update (an engine may overwrite them on its next step: copy to keep). */
  probs: Float32Array;
}

/** Shape and optimiser settings an engine is built with. */
export interface EngineConfig {
  /** Timesteps per sequence. */
  steps: number;
  /** Features per timestep. */
  features: number;
  /** Units per LSTM layer. */
  units: number;
  /** Number of LSTM layers. */
  layers: number;
  /** Adam learning rate. */
  learningRate: number;
  /** Largest batch the engine will be given. */
  maxBatch: number;
}

/** A trainable LSTM: forward, backward and Adam in one step, plus inference. */
export interface LstmEngine {
  /** Which kernel family does the arithmetic. */
  readonly name: EngineName;
  /** Runs one Adam step on the batch (loss = Σ w·BCE / size). */
  trainBatch(batch: TrainBatch): Promise<BatchResult>;
  /** Probabilities for n sequences [n, steps, features] (inference: no dropout). */
  predict(x: Float32Array, n: number): Promise<Float32Array>;
  /** A copy of the current weights (async: GPU backends read them back). */
  getWeights(): Promise<LstmWeights>;
  /** Replaces the current weights (optimiser state is kept). */
  setWeights(weights: LstmWeights): void;
  /** Frees tensors or memory held by the engine. */
  dispose(): void;
}

/** Adam hyper-parameters shared by every engine (epsilon fixed so backends agree). */
export const ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 } as const;

/** Binary cross-entropy of a logit, log(1 + e^z) − y·z, computed without overflow. */
export function bceFromLogit(z: number, y: number): number {
  return Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z)));
}

/** Logistic sigmoid. */
export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}
