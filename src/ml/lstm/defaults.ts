/** The lstm node's default training options, apart from the kernels: importing them loads no TensorFlow.js. */
import type { LstmOptions } from './types.ts';

/** The training options a model starts from when none are given (the lstm node's defaults). */
export const DEFAULT_LSTM_OPTIONS: Readonly<LstmOptions> = {
  units: 16,
  layers: 1,
  dropout: 0,
  epochs: 8,
  batchSize: 64,
  learningRate: 0.01,
  patience: 0,
  classWeight: 'none',
  seed: 0,
  implementation: 'fast',
};
