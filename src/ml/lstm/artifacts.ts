/**
 * What an LSTM model port value carries (weights and the scaler they expect) and the reader
 * that recognises it; shared by the lstm node (which writes it) and the explain node.
 */
import type { ModelValue } from '../../engine/ports.ts';
import { SCALING_METHODS, type SequenceScaler } from '../../data/sequences.ts';
import { isLstmWeights } from './fit-task.ts';
import type { LstmWeights } from './types.ts';

/** What the lstm node keeps in a model port's artifacts: weights and the scaler they expect. */
export interface LstmArtifacts {
  /** Format tag so a model from elsewhere is recognised as foreign. */
  format: 'insight-lstm';
  /** Trained weights, tf.layers.lstm layout. */
  weights: LstmWeights;
  /** Scaler fitted on the rows the weights were trained on; applied to new sequences first. */
  scaler: SequenceScaler;
  /** Timesteps the model was trained on. */
  steps: number;
  /** Dropout rate (for rebuilding the tf.layers model on export). */
  dropout: number;
  /** Feature names, in order. */
  featureNames: string[];
}

/** Reads a model port value as an LSTM model's artifacts, or null when it is another kind of model. */
export function lstmArtifacts(model: ModelValue): LstmArtifacts | null {
  const a = model.artifacts;
  if (model.kind !== 'lstm' || typeof a !== 'object' || a === null) return null;
  if (!('format' in a) || a.format !== 'insight-lstm') return null;
  if (!('weights' in a) || !('scaler' in a) || !('steps' in a) || !('dropout' in a) || !('featureNames' in a)) return null;
  const { weights, scaler, steps, dropout, featureNames } = a;
  if (!isLstmWeights(weights) || !isScaler(scaler) || typeof steps !== 'number' || typeof dropout !== 'number' || !isStringArray(featureNames)) return null;
  return { format: 'insight-lstm', weights, scaler, steps, dropout, featureNames };
}

export function isScaler(v: unknown): v is SequenceScaler {
  if (typeof v !== 'object' || v === null || !('method' in v) || !('mean' in v) || !('std' in v) || !('rows' in v)) return false;
  const { method, mean, std, rows } = v;
  return SCALING_METHODS.some((m) => m === method) && isNumberArray(mean) && isNumberArray(std) && typeof rows === 'number';
}

function isNumberArray(v: unknown): v is number[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'number');
}

export function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}
