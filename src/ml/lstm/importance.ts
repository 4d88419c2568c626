/**
 * Global importance of an LSTM's inputs by permutation (src/ml/permutation-importance.ts), per
 * feature (every step) and per period (every feature): out of fold when the model carries its
 * cross-validation's fold weights and the labelled sequences are the ones it cross-validated
 * (matched by id) — each customer scored by the fold model that never saw them, with that fold's
 * scaler, a group shuffled within each fold — otherwise in-sample, by the model's own weights.
 * Each fold's shuffles are scored as one pool task, so folds run on as many lanes as there are;
 * the shuffles come from per-fold seeds, so the figures do not depend on the lanes.
 */
import * as tf from '@tensorflow/tfjs';
import { applyScaler, type SequenceScaler } from '../../data/sequences.ts';
import { inProcessPool, type TaskPool, type TaskSpec } from '../../engine/parallel.ts';
import { isBackendName, ladderAfter } from '../backend-ladder.ts';
import { heldOutFolds, outOfFoldImportance, type FoldJob, type PermutationGroup, type PermutationImportance } from '../permutation-importance.ts';
import { selectBackend } from '../tf-backend.ts';
import type { LstmArtifacts } from './artifacts.ts';
import { createPredictor } from './predict.ts';
import type { LstmWeights } from './types.ts';

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

/** What lstmPermutationImportance needs besides the model and data. */
export interface LstmPermutationOptions {
  /** Shuffles per group. */
  repeats: number;
  /** Seed of the shuffles. */
  seed: number;
  /** Backend the model was trained on ('' keeps the lane's). */
  backend: string;
  /** Lanes for the folds (default: one). */
  pool?: TaskPool;
  /** Cancels every fold. */
  signal: AbortSignal;
  /** Share of shuffles scored. */
  onProgress?: (fraction: number) => void;
}

/** One fold's scoring as a pool task: its rows (unscaled), the shuffles, the fold model. */
export interface ShuffleScoresInput {
  weights: LstmWeights;
  scaler: SequenceScaler;
  /** The fold's rows [m × steps × features], unscaled. */
  x: Float32Array;
  m: number;
  steps: number;
  features: number;
  /** Per shuffle: the group's cell indices and, per row, the row (0..m−1) its cells come from. */
  shuffles: { columns: number[]; from: Int32Array }[];
  backend: string;
}

/** Copies, for each row j < m, the cells `columns` of row from[j] of `source` into row j of `target`. */
function moveCells(target: Float32Array, source: Float32Array, columns: readonly number[], from: Int32Array, m: number, cell: number): void {
  for (let j = 0; j < m; j++) {
    const src = (from[j] ?? j) * cell;
    const dst = j * cell;
    for (let k = 0; k < columns.length; k++) {
      const c = columns[k] ?? 0;
      target[dst + c] = source[src + c] ?? 0;
    }
  }
}

async function shuffleScores(input: ShuffleScoresInput, report: (r: { fraction: number }) => void, signal: AbortSignal): Promise<Float32Array> {
  const { weights, scaler, x, m, steps: T, features: D, shuffles } = input;
  if (isBackendName(input.backend) && tf.getBackend() !== input.backend) await selectBackend([input.backend, ...ladderAfter(input.backend)]);
  const cell = T * D;
  const out = new Float32Array((1 + shuffles.length) * m);
  const predictor = await createPredictor(weights, T, D, m);
  try {
    // Scaled once: the scaler works cell by cell with the cell's feature, and a shuffle moves a
    // cell only to the same cell of another row, so shuffling the scaled values gives the very
    // numbers that scaling each shuffled copy would.
    const scaled = applyScaler(scaler, x, m, T, D);
    out.set(await predictor.predict(scaled, m), 0);
    const shuffled = new Float32Array(x.length);
    for (let s = 0; s < shuffles.length; s++) {
      if (signal.aborted) throw new DOMException('Cancelled', 'AbortError');
      const { columns, from } = shuffles[s] ?? { columns: [], from: new Int32Array(0) };
      shuffled.set(scaled);
      moveCells(shuffled, scaled, columns, from, m, cell);
      out.set(await predictor.predict(shuffled, m), (1 + s) * m);
      report({ fraction: (s + 1) / shuffles.length });
    }
  } finally {
    predictor.dispose();
  }
  return out;
}

/** The pool task that scores one fold's shuffles. */
export const lstmShuffleScoresTask: TaskSpec<ShuffleScoresInput, Float32Array, { fraction: number }> = {
  name: 'lstm.shuffle-scores',
  run: shuffleScores,
  isOutput: (v): v is Float32Array => v instanceof Float32Array,
  isReport: (v): v is { fraction: number } => typeof v === 'object' && v !== null && 'fraction' in v && typeof v.fraction === 'number',
};

/** Permutation importance of `groups` of (step, feature) cells for the model in `artifacts` on labelled sequences. */
export async function lstmPermutationImportance(artifacts: LstmArtifacts, data: LabelledSequences, groups: readonly PermutationGroup[], options: LstmPermutationOptions): Promise<LstmPermutation> {
  const { steps: T } = artifacts;
  const D = artifacts.weights.features;
  const cell = T * D;
  const rows: number[] = [];
  for (let i = 0; i < data.n; i++) if (data.labels[i] === 0 || data.labels[i] === 1) rows.push(i);
  const folds = artifacts.folds;
  const foldOf = heldOutFolds(folds, rows, (r) => data.ids[r] ?? '').map((k) => (folds && folds.weights[k] && folds.scalers[k] ? k : -1));
  const outOfFold = foldOf.some((k) => k >= 0);
  const pool = options.pool ?? inProcessPool;
  const score = async (jobs: readonly FoldJob[]): Promise<Float32Array[][]> => {
    const inputs: ShuffleScoresInput[] = jobs.map((job) => {
      const m = job.rows.length;
      const local = new Map(job.rows.map((pos, j) => [pos, j]));
      const x = new Float32Array(m * cell);
      job.rows.forEach((pos, j) => {
        const r = rows[pos] ?? 0;
        x.set(data.x.subarray(r * cell, (r + 1) * cell), j * cell);
      });
      return {
        weights: (outOfFold ? folds?.weights[job.fold] : undefined) ?? artifacts.weights,
        scaler: (outOfFold ? folds?.scalers[job.fold] : undefined) ?? artifacts.scaler,
        x,
        m,
        steps: T,
        features: D,
        shuffles: job.shuffles.map((s) => ({ columns: [...(groups[s.group]?.columns ?? [])], from: Int32Array.from(s.from, (pos) => local.get(pos) ?? 0) })),
        backend: options.backend,
      };
    });
    const done = new Float64Array(inputs.length);
    const outputs = await pool.map(lstmShuffleScoresTask, inputs, {
      signal: options.signal,
      onReport: (j, r) => {
        done[j] = r.fraction;
        options.onProgress?.(done.reduce((a, b) => a + b, 0) / inputs.length);
      },
    });
    return outputs.map((flat, j) => {
      const m = inputs[j]?.m ?? 0;
      return Array.from({ length: flat.length / Math.max(1, m) }, (_, s) => flat.subarray(s * m, (s + 1) * m));
    });
  };
  const labels = rows.map((r) => data.labels[r] ?? 0);
  const result = await outOfFoldImportance(labels, outOfFold ? foldOf : rows.map(() => 0), groups.map((g) => g.name), score, { repeats: options.repeats, seed: options.seed });
  return { ...result, outOfFold };
}
