/** Plain-data types shared by every part of the LSTM kernel. */
import type { LaneBackend } from './lane.ts';

/** Sequences as the rest of the project passes them. */
export interface SequenceSet {
  /** Row-major values [n, steps, features]. */
  x: Float32Array;
  /** Number of sequences (customers). */
  n: number;
  /** Timesteps per sequence. */
  steps: number;
  /** Features per timestep. */
  features: number;
  /** Binary targets, 0 or 1, length n. */
  labels: Float32Array;
}

/** Hyper-parameters of the model and its training. */
export interface LstmOptions {
  /** Units per LSTM layer. */
  units: number;
  /** Number of stacked LSTM layers (all but the last return sequences). */
  layers: number;
  /** Dropout rate applied to the last LSTM output before the dense layer, in [0, 1). */
  dropout: number;
  /** Maximum number of epochs. */
  epochs: number;
  /** Sequences per gradient step. */
  batchSize: number;
  /** Adam learning rate. */
  learningRate: number;
  /** Epochs without improvement before stopping; 0 = no early stopping. */
  patience: number;
  /** 'balanced' weights each class by n / (2 · count) in the training loss. */
  classWeight: 'none' | 'balanced';
  /** Seed for initialisers, shuffling and dropout masks. */
  seed: number;
  /** 'fast' = hand-written forward/backward (default); 'layers' = tf.layers.lstm reference. */
  implementation: 'fast' | 'layers';
  /**
   * Kernel override for 'fast' (benchmarks, tests): 'native-simd' or 'tfjs-ops'. Absent:
   * native-simd on the wasm and cpu backends where WebAssembly SIMD exists, else tfjs-ops.
   */
  engine?: EngineName;
}

/** Metrics of one finished epoch. */
export interface EpochRecord {
  /** 1-based epoch number. */
  epoch: number;
  /** Mean (class-weighted) training loss over the epoch's batches. */
  loss: number;
  /** Unweighted binary cross-entropy on the validation set, or null without one. */
  valLoss: number | null;
  /** Training accuracy at threshold 0.5, from the predictions made while training. */
  accuracy: number;
  /** Validation accuracy at threshold 0.5. */
  valAccuracy: number | null;
  /** Training ROC AUC, from the predictions made while training. */
  auc: number;
  /** Validation ROC AUC. */
  valAuc: number | null;
  /** Fold index when the epoch belongs to a cross-validation fold. */
  fold?: number;
  /** Wall-clock seconds the epoch took (training + validation). */
  seconds: number;
}

/** Weights of one LSTM layer in tf.layers.lstm layout, gate order i, f, c, o. */
export interface LstmLayerWeights {
  /** Input size D of this layer (features for the first, units of the previous otherwise). */
  inputSize: number;
  /** Units H. */
  units: number;
  /** Input kernel, row-major [D, 4H]. */
  kernel: Float32Array;
  /** Recurrent kernel, row-major [H, 4H]. */
  recurrentKernel: Float32Array;
  /** Bias [4H]. */
  bias: Float32Array;
}

/** All weights of the model as plain data. */
export interface LstmWeights {
  /** Features per timestep the model expects. */
  features: number;
  /** LSTM layers, first to last. */
  layers: LstmLayerWeights[];
  /** Dense output layer: kernel [H, 1] and bias [1]. */
  dense: { kernel: Float32Array; bias: Float32Array };
}

/** A trained model with its metadata. */
export interface TrainedLstm {
  /** Weights after training (the best epoch's when early stopping restored them). */
  weights: LstmWeights;
  /** Options it was trained with. */
  options: LstmOptions;
  /** Timesteps per sequence the model was trained on. */
  steps: number;
  /** One record per epoch run (including epochs run on an earlier backend before a fallback). */
  history: EpochRecord[];
  /** 1-based epoch whose weights were kept. */
  bestEpoch: number;
  /** Number of epochs actually run. */
  epochsRun: number;
  /** TensorFlow.js backend the final epochs ran on. */
  backend: string;
  /** Which kernel did the arithmetic: 'native-simd', 'tfjs-ops' or 'tfjs-layers'. */
  engine: EngineName;
}

/** Kernel families that can train the model. */
export type EngineName = 'native-simd' | 'tfjs-ops' | 'tfjs-layers';

/** Where training should pick up, e.g. after a backend fallback. */
export interface TrainResume {
  /** Weights to start from instead of the seeded initialisation. */
  weights: LstmWeights;
  /** Epochs already completed (their records are kept in the history). */
  history: EpochRecord[];
  /** Early-stopping bookkeeping so a resumed run restores the same best epoch. */
  best?: BestSoFar | null;
}

/** The best epoch so far under early stopping. */
export interface BestSoFar {
  /** 1-based epoch. */
  epoch: number;
  /** Monitored value (validation loss, or training loss without validation). */
  monitor: number;
  /** Weights after that epoch. */
  weights: LstmWeights;
  /** Epochs since it without improvement. */
  wait: number;
}

/** Callbacks and controls for a training run. */
export interface TrainHooks {
  /** Aborting it stops training before the next batch with a DOMException named 'AbortError'. */
  signal?: AbortSignal;
  /** Called after every epoch with its record. */
  onEpoch?(record: EpochRecord): void;
  /** Called after every batch with the fraction of the whole run done, in [0, 1]. */
  onProgress?(fraction: number): void;
  /** Called when a backend fails and training continues on the next one in `ladder`. */
  onBackendFallback?(event: BackendFallbackEvent): void;
  /**
   * Backends to fall back to, in order, when the current one fails mid-training (device
   * lost, kernel missing). Training continues from the last completed epoch's weights with a
   * fresh Adam state. Absent or empty: a failure is thrown as LstmBackendFailure.
   */
  ladder?: string[];
  /** Not a callback: continue a run from this state instead of the seeded initialisation. */
  resume?: TrainResume;
  /** Not a callback: the backend to train on (default: the TensorFlow.js lane, ./tf-lane.ts). */
  lane?: LaneBackend;
}

/** What happened when training left a failing backend. */
export interface BackendFallbackEvent {
  /** Backend that failed. */
  from: string;
  /** Backend training continues on. */
  to: string;
  /** The error message from the failing backend. */
  reason: string;
  /** Completed epochs carried over; training continues from the last one's weights. */
  epochsCompleted: number;
}
