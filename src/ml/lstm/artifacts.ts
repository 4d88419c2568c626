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
  /** The cross-validation's fold models, for out-of-fold explanations (absent on imported models). */
  folds?: LstmFolds;
}

/** Which fold held out each labelled customer (by id), and each fold's weights and scaler. */
export interface LstmFolds {
  /** Ids of the customers scored out of fold. */
  ids: string[];
  /** The fold (0..k−1) that held out each of them. */
  fold: Int32Array;
  /** Fold k's weights, trained without fold k's customers. */
  weights: LstmWeights[];
  /** The scaler fold k's weights expect. */
  scalers: SequenceScaler[];
}

function isFolds(v: unknown): v is LstmFolds {
  if (typeof v !== 'object' || v === null || !('ids' in v) || !('fold' in v) || !('weights' in v) || !('scalers' in v)) return false;
  const { ids, fold, weights, scalers } = v;
  return isStringArray(ids) && fold instanceof Int32Array && fold.length === ids.length && Array.isArray(weights) && weights.every(isLstmWeights) && Array.isArray(scalers) && scalers.every(isScaler) && scalers.length === weights.length;
}

/** Reads a model port value as an LSTM model's artifacts, or null when it is another kind of model. */
export function lstmArtifacts(model: ModelValue): LstmArtifacts | null {
  const a = model.artifacts;
  if (model.kind !== 'lstm' || typeof a !== 'object' || a === null) return null;
  if (!('format' in a) || a.format !== 'insight-lstm') return null;
  if (!('weights' in a) || !('scaler' in a) || !('steps' in a) || !('dropout' in a) || !('featureNames' in a)) return null;
  const { weights, scaler, steps, dropout, featureNames } = a;
  if (!isLstmWeights(weights) || !isScaler(scaler) || typeof steps !== 'number' || typeof dropout !== 'number' || !isStringArray(featureNames)) return null;
  const folds = 'folds' in a && isFolds(a.folds) ? a.folds : undefined;
  return { format: 'insight-lstm', weights, scaler, steps, dropout, featureNames, ...(folds ? { folds } : {}) };
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
