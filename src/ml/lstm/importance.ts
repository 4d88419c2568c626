/**
 * Global importance of an LSTM's inputs by permutation (src/ml/permutation-importance.ts), per
 * feature (every step) and per period (every feature): out of fold when the model carries its
 * cross-validation's fold weights and the labelled sequences are the ones it cross-validated
 * (matched by id) — each customer scored by the fold model that never saw them, with that fold's
 * scaler, a group shuffled within each fold — otherwise in-sample, by the model's own weights.
 */
import { applyScaler } from '../../data/sequences.ts';
import { outOfFoldImportance, type FoldScorer, type PermutationGroup, type PermutationImportance, type PermutationOptions } from '../permutation-importance.ts';
import type { LstmArtifacts } from './artifacts.ts';
import { createPredictor, type LstmPredictor } from './predict.ts';

/** Labelled, unscaled sequences with their ids. */
export interface LabelledSequences {
  /** Row-major [n, steps, features], unscaled. */
  x: Float32Array;
  /** Sequences. */
  n: number;
  /** 0/1 per sequence; anything else is left out. */
  labels: ArrayLike<number>;
  /** Id per sequence. */
  ids: readonly string[];
}

/** Permutation importance of an LSTM, and how it was measured. */
export interface LstmPermutation extends PermutationImportance {
  /** True when each customer was scored by the fold model that held them out. */
  outOfFold: boolean;
  /** Customers the AUC was measured on. */
  rows: number;
}

/** Permutation importance of `groups` of (step, feature) cells for the model in `artifacts` on labelled sequences. */
export async function lstmPermutationImportance(artifacts: LstmArtifacts, data: LabelledSequences, groups: readonly PermutationGroup[], options: PermutationOptions): Promise<LstmPermutation> {
  const { steps: T } = artifacts;
  const D = artifacts.weights.features;
  const cell = T * D;
  const rows: number[] = [];
  for (let i = 0; i < data.n; i++) if (data.labels[i] === 0 || data.labels[i] === 1) rows.push(i);
  const folds = artifacts.folds;
  const heldOutBy = new Map<string, number>();
  folds?.ids.forEach((id, j) => heldOutBy.set(id, folds.fold[j] ?? -1));
  const foldOf = rows.map((r) => {
    const k = heldOutBy.get(data.ids[r] ?? '') ?? -1;
    return folds && folds.weights[k] && folds.scalers[k] ? k : -1;
  });
  const outOfFold = foldOf.some((k) => k >= 0);
  // One predictor per fold model, made on first use and kept for every shuffle.
  const predictors = new Map<number, LstmPredictor>();
  const predictorFor = async (k: number, rowsAtMost: number): Promise<LstmPredictor> => {
    const made = predictors.get(k);
    if (made) return made;
    const p = await createPredictor((outOfFold ? folds?.weights[k] : undefined) ?? artifacts.weights, T, D, rowsAtMost);
    predictors.set(k, p);
    return p;
  };
  const score: FoldScorer = async (k, own, group, from) => {
    const scaler = outOfFold ? folds?.scalers[k] : undefined;
    const columns = group === null ? [] : (groups[group]?.columns ?? []);
    const x = new Float32Array(own.length * cell);
    own.forEach((pos, j) => {
      const r = rows[pos] ?? 0;
      x.set(data.x.subarray(r * cell, (r + 1) * cell), j * cell);
      if (from === null) return;
      const src = (rows[from[j] ?? pos] ?? 0) * cell;
      for (const c of columns) x[j * cell + c] = data.x[src + c] ?? 0;
    });
    const scaled = applyScaler(scaler ?? artifacts.scaler, x, own.length, T, D);
    return (await predictorFor(k, own.length)).predict(scaled, own.length);
  };
  const labels = rows.map((r) => data.labels[r] ?? 0);
  try {
    const result = await outOfFoldImportance(labels, outOfFold ? foldOf : rows.map(() => 0), groups.map((g) => g.name), score, options);
    return { ...result, outOfFold };
  } finally {
    for (const p of predictors.values()) p.dispose();
  }
}
