/**
 * Validation schemes: stratified k-fold with out-of-fold predictions for every row, or a
 * stratified hold-out. Test rows never influence fitting: when early stopping is on, it
 * watches an inner stratified split of the training rows, never the rows being scored.
 */
import { createRng, deriveSeed } from '../random.ts';
import { LstmInputError } from './errors.ts';
import { predictLstm } from './predict.ts';
import { trainLstm, validateOptions, validateSequences } from './train.ts';
import type { EpochRecord, LstmOptions, SequenceSet, TrainedLstm, TrainHooks } from './types.ts';

/** How to validate: a stratified hold-out fraction or stratified k folds. */
export type ValidationScheme = { kind: 'holdout'; fraction: number } | { kind: 'kfold'; folds: number };

/** Options of crossValidateLstm: the model's options plus the scheme. */
export interface CrossValidateOptions extends LstmOptions {
  /** The validation scheme. */
  validation: ValidationScheme;
  /** Share of each fold's training rows held out for early stopping when patience > 0 (default 0.1). */
  earlyStoppingFraction?: number;
}

/** Result of crossValidateLstm. */
export interface CrossValidation {
  /** Out-of-fold (k-fold) or hold-out probabilities per row; NaN where a row was not scored. */
  scores: Float32Array;
  /** Fold per row: 0..k−1 for k-fold; 0 for hold-out rows and −1 for training-only rows. */
  folds: Int32Array;
  /** One model per fold (one for hold-out). */
  models: TrainedLstm[];
  /** Every epoch record of every fold, tagged with its fold. */
  history: EpochRecord[];
}

function indicesByClass(labels: Float32Array): [number[], number[]] {
  const neg: number[] = [];
  const pos: number[] = [];
  for (let i = 0; i < labels.length; i++) ((labels[i] as number) >= 0.5 ? pos : neg).push(i);
  return [neg, pos];
}

/**
 * Assigns every row to one of `folds` folds so that each fold holds the same share of each
 * class (counts differ by at most one per class). Seeded: same labels and seed, same folds.
 */
export function stratifiedKFold(labels: Float32Array, folds: number, seed: number): Int32Array {
  if (!Number.isInteger(folds) || folds < 2) throw new LstmInputError('folds', `folds must be an integer ≥ 2, got ${String(folds)}.`);
  if (folds > labels.length) throw new LstmInputError('folds', `folds (${folds}) cannot exceed the number of rows (${labels.length}).`);
  const rng = createRng(deriveSeed(seed, 'stratified-kfold'));
  const out = new Int32Array(labels.length);
  let next = 0;
  for (const members of indicesByClass(labels)) {
    rng.shuffle(members);
    // Continue the round-robin across classes so fold sizes also differ by at most one.
    for (const row of members) {
      out[row] = next;
      next = (next + 1) % folds;
    }
  }
  return out;
}

/** Rows in a stratified random share `fraction` of the data (at least one row per present class when possible). */
export function stratifiedHoldout(labels: Float32Array, fraction: number, seed: number): Uint8Array {
  if (!(fraction > 0 && fraction < 1)) throw new LstmInputError('fraction', `fraction must be in (0, 1), got ${String(fraction)}.`);
  const rng = createRng(deriveSeed(seed, 'stratified-holdout'));
  const held = new Uint8Array(labels.length);
  for (const members of indicesByClass(labels)) {
    rng.shuffle(members);
    const take = Math.min(members.length - 1, Math.max(members.length > 1 ? 1 : 0, Math.round(members.length * fraction)));
    for (let i = 0; i < take; i++) held[members[i] as number] = 1;
  }
  return held;
}

/** The rows of `data` listed in `rows`, copied. */
export function subsetSequences(data: SequenceSet, rows: ArrayLike<number>): SequenceSet {
  const per = data.steps * data.features;
  const x = new Float32Array(rows.length * per);
  const labels = new Float32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as number;
    x.set(data.x.subarray(r * per, (r + 1) * per), i * per);
    labels[i] = data.labels[r] as number;
  }
  return { x, n: rows.length, steps: data.steps, features: data.features, labels };
}

function rowsWhere(count: number, test: (i: number) => boolean): number[] {
  const rows: number[] = [];
  for (let i = 0; i < count; i++) if (test(i)) rows.push(i);
  return rows;
}

/**
 * Trains one model per fold (k-fold) or one on the non-held-out rows (hold-out) and scores
 * the rows each model never saw. hooks.resume is ignored (it cannot apply to every fold);
 * hooks.ladder applies to each fold. Validation metrics in the history are on the inner
 * early-stopping split when patience > 0, else on the scored rows (reported, never used to fit).
 */
export async function crossValidateLstm(data: SequenceSet, options: CrossValidateOptions, hooks: TrainHooks = {}): Promise<CrossValidation> {
  validateOptions(options);
  validateSequences('data', data);
  const { validation, earlyStoppingFraction = 0.1, ...modelOptions } = options;
  const n = data.n;
  const folds = new Int32Array(n);
  let foldCount: number;
  switch (validation.kind) {
    case 'kfold':
      folds.set(stratifiedKFold(data.labels, validation.folds, options.seed));
      foldCount = validation.folds;
      break;
    case 'holdout': {
      const held = stratifiedHoldout(data.labels, validation.fraction, options.seed);
      for (let i = 0; i < n; i++) folds[i] = held[i] === 1 ? 0 : -1;
      foldCount = 1;
      break;
    }
    default: {
      const bad: never = validation;
      throw new LstmInputError('validation', `validation must be holdout or kfold, got ${JSON.stringify(bad)}.`);
    }
  }
  const scores = new Float32Array(n).fill(Number.NaN);
  const models: TrainedLstm[] = [];
  const history: EpochRecord[] = [];
  for (let fold = 0; fold < foldCount; fold++) {
    const testRows = rowsWhere(n, (i) => folds[i] === fold);
    const trainRows = rowsWhere(n, (i) => folds[i] !== fold);
    if (testRows.length === 0 || trainRows.length === 0) {
      throw new LstmInputError('validation', `fold ${fold} has ${trainRows.length} training and ${testRows.length} scored rows; both must be non-empty.`);
    }
    const test = subsetSequences(data, testRows);
    let fitSet = subsetSequences(data, trainRows);
    let monitorSet: SequenceSet = test;
    const foldSeed = deriveSeed(options.seed, `fold-${fold}`);
    if (options.patience > 0) {
      const inner = stratifiedHoldout(fitSet.labels, earlyStoppingFraction, foldSeed);
      const innerFit = rowsWhere(fitSet.n, (i) => inner[i] === 0);
      const innerVal = rowsWhere(fitSet.n, (i) => inner[i] === 1);
      if (innerVal.length === 0 || innerFit.length === 0) {
        throw new LstmInputError('earlyStoppingFraction', `earlyStoppingFraction ${earlyStoppingFraction} leaves ${innerFit.length} rows to fit and ${innerVal.length} to monitor in fold ${fold}.`);
      }
      monitorSet = subsetSequences(fitSet, innerVal);
      fitSet = subsetSequences(fitSet, innerFit);
    }
    const { resume: _resume, ...foldHooks } = hooks;
    const model = await trainLstm(fitSet, monitorSet, { ...modelOptions, seed: foldSeed }, {
      ...foldHooks,
      onEpoch: (record) => hooks.onEpoch?.({ ...record, fold }),
      onProgress: (fraction) => hooks.onProgress?.((fold + fraction) / foldCount),
    });
    for (const record of model.history) history.push({ ...record, fold });
    models.push(model);
    const probs = await predictLstm(model, test.x, test.n, test.steps, test.features);
    testRows.forEach((row, i) => {
      scores[row] = probs[i] as number;
    });
  }
  return { scores, folds, models, history };
}
