/**
 * Cross-validation for any model: the stratified fold split (or hold-out), one training per
 * fold plus an optional final model on every row, a per-fold `prepare` hook (fit a scaler on
 * the fold's training rows only, split off early-stopping rows, ...) and out-of-fold scores.
 * The trainings are handed to `fitAll` together, so a caller can run them in parallel; the
 * plan (folds, seeds) depends only on the labels and the seed, never on how they ran.
 */
import { createRng, deriveSeed } from './random.ts';

/** How to validate: stratified k folds, or a stratified hold-out share. */
export type ValidationScheme = { kind: 'kfold'; folds: number } | { kind: 'holdout'; share: number };

/** A bad split request; `param` names the option. */
export class FoldSplitError extends Error {
  /** The option at fault. */
  readonly param: string;
  constructor(param: string, message: string) {
    super(message);
    this.name = 'FoldSplitError';
    this.param = param;
  }
}

function indicesByClass(labels: ArrayLike<number>): [number[], number[]] {
  const neg: number[] = [];
  const pos: number[] = [];
  for (let i = 0; i < labels.length; i++) ((labels[i] ?? 0) >= 0.5 ? pos : neg).push(i);
  return [neg, pos];
}

/**
 * Assigns every row to one of `folds` folds so that each fold holds the same share of each
 * class (counts differ by at most one per class). Seeded: same labels and seed, same folds.
 */
export function stratifiedKFold(labels: ArrayLike<number>, folds: number, seed: number): Int32Array {
  if (!Number.isInteger(folds) || folds < 2) throw new FoldSplitError('folds', `folds must be an integer ≥ 2, got ${String(folds)}.`);
  if (folds > labels.length) throw new FoldSplitError('folds', `folds (${folds}) cannot exceed the number of rows (${labels.length}).`);
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

/** Row indices ordered by key (code-unit order, ties in row order): the order a keyed split is drawn in. */
function keyOrder(keys: readonly string[]): number[] {
  return Array.from(keys, (_, i) => i).sort((a, b) => {
    const ka = keys[a] ?? '';
    const kb = keys[b] ?? '';
    return ka < kb ? -1 : ka > kb ? 1 : a - b;
  });
}

/**
 * stratifiedKFold drawn on the rows ordered by key (customer id) and mapped back: the same
 * keys with the same labels and seed get the same folds whatever the row order, so two
 * models of the same customers (the LSTM on sequences, classify on a table) share folds.
 */
export function stratifiedKFoldByKey(labels: ArrayLike<number>, keys: readonly string[], folds: number, seed: number): Int32Array {
  if (keys.length !== labels.length) throw new FoldSplitError('keys', `${keys.length} keys for ${labels.length} rows.`);
  const order = keyOrder(keys);
  const drawn = stratifiedKFold(Float64Array.from(order, (i) => labels[i] ?? 0), folds, seed);
  const out = new Int32Array(labels.length);
  order.forEach((row, j) => (out[row] = drawn[j] ?? 0));
  return out;
}

/** stratifiedHoldout drawn on the rows ordered by key and mapped back (see stratifiedKFoldByKey). */
export function stratifiedHoldoutByKey(labels: ArrayLike<number>, keys: readonly string[], fraction: number, seed: number): Uint8Array {
  if (keys.length !== labels.length) throw new FoldSplitError('keys', `${keys.length} keys for ${labels.length} rows.`);
  const order = keyOrder(keys);
  const drawn = stratifiedHoldout(Float64Array.from(order, (i) => labels[i] ?? 0), fraction, seed);
  const out = new Uint8Array(labels.length);
  order.forEach((row, j) => (out[row] = drawn[j] ?? 0));
  return out;
}

/** Rows in a stratified random share `fraction` of the data (at least one row per present class when possible). */
export function stratifiedHoldout(labels: ArrayLike<number>, fraction: number, seed: number): Uint8Array {
  if (!(fraction > 0 && fraction < 1)) throw new FoldSplitError('fraction', `fraction must be in (0, 1), got ${String(fraction)}.`);
  const rng = createRng(deriveSeed(seed, 'stratified-holdout'));
  const held = new Uint8Array(labels.length);
  for (const members of indicesByClass(labels)) {
    rng.shuffle(members);
    const take = Math.min(members.length - 1, Math.max(members.length > 1 ? 1 : 0, Math.round(members.length * fraction)));
    for (let i = 0; i < take; i++) held[members[i] ?? 0] = 1;
  }
  return held;
}

/** One training of a cross-validation: a fold's model, or the final model on every row. */
export interface FoldPlan {
  /** 0..k−1 for a fold (0 for the hold-out), −1 for the final model. */
  fold: number;
  /** The training's seed: deriveSeed(seed, `fold-<k>`) or deriveSeed(seed, 'final'). */
  seed: number;
  /** Rows (indices into the labels) it trains on. */
  trainRows: number[];
  /** Rows it scores out of fold (empty for the final model). */
  testRows: number[];
  /** A label for progress lines: 'fold 2/5', 'hold-out', 'final model'. */
  label: string;
}

/** The plan of a cross-validation. */
export interface FoldSplit {
  /** Fold per row: 0..k−1 scored out of fold, −1 not scored by a fold model (hold-out training rows). */
  assignment: Int32Array;
  /** Fold trainings in fold order, then the final model when asked for. */
  trainings: FoldPlan[];
}

/** How the rows are split when not by `seed` in row order: by customer key, from its own seed (the pipeline's). */
export interface KeyedSplit {
  /** Seed of the split alone (trainings keep theirs). */
  seed: number;
  /** Key (customer id) per row. */
  keys: readonly string[];
}

/**
 * Splits rows with these 0/1 labels by `scheme` into fold trainings, plus the final model when
 * `finalModel`. The split is seeded by `seed` in row order, or with `split` by its seed in key
 * order; each training's seed derives from `seed`.
 */
export function planFolds(labels: ArrayLike<number>, scheme: ValidationScheme, seed: number, finalModel: boolean, split: KeyedSplit | null = null): FoldSplit {
  const n = labels.length;
  const assignment = new Int32Array(n).fill(-1);
  let count: number;
  switch (scheme.kind) {
    case 'kfold':
      assignment.set(split ? stratifiedKFoldByKey(labels, split.keys, scheme.folds, split.seed) : stratifiedKFold(labels, scheme.folds, seed));
      count = scheme.folds;
      break;
    case 'holdout': {
      const held = split ? stratifiedHoldoutByKey(labels, split.keys, scheme.share, split.seed) : stratifiedHoldout(labels, scheme.share, seed);
      for (let i = 0; i < n; i++) assignment[i] = held[i] === 1 ? 0 : -1;
      count = 1;
      break;
    }
    default: {
      const bad: never = scheme;
      throw new FoldSplitError('validation', `validation must be kfold or holdout, got ${JSON.stringify(bad)}.`);
    }
  }
  const all = Array.from({ length: n }, (_, i) => i);
  const trainings: FoldPlan[] = [];
  for (let k = 0; k < count; k++) {
    trainings.push({
      fold: k,
      seed: deriveSeed(seed, `fold-${k}`),
      trainRows: all.filter((i) => assignment[i] !== k),
      testRows: all.filter((i) => assignment[i] === k),
      label: scheme.kind === 'kfold' ? `fold ${k + 1}/${count}` : 'hold-out',
    });
  }
  if (finalModel) trainings.push({ fold: -1, seed: deriveSeed(seed, 'final'), trainRows: all, testRows: [], label: 'final model' });
  return { assignment, trainings };
}

/** What crossValidate needs from the model. */
export interface CrossValidateSpec<Prepared, Fitted> {
  /** 0/1 label per row taking part. */
  labels: ArrayLike<number>;
  /** k-fold or hold-out. */
  scheme: ValidationScheme;
  /** Seed of every training, and of the split when `split` is not given. */
  seed: number;
  /** Split by customer key from this seed instead (the same customers and labels, the same folds in every model). */
  split?: KeyedSplit;
  /** Whether to train a final model on every row after the folds. */
  finalModel: boolean;
  /** Per training, before fitting: e.g. fit the scaler on plan.trainRows only and scale both row sets. */
  prepare(plan: FoldPlan): Prepared;
  /** Fits every prepared training (serially or in parallel); results in the order given. */
  fitAll(jobs: readonly { plan: FoldPlan; prepared: Prepared }[]): Promise<Fitted[]>;
  /** The scores of a fitted fold model for its plan.testRows, in that order. */
  testScores(fitted: Fitted, plan: FoldPlan): ArrayLike<number>;
}

/** The outcome of crossValidate. */
export interface CrossValidationResult<Fitted> {
  /** Fold per row, as planFolds assigned it. */
  assignment: Int32Array;
  /** Out-of-fold score per row; NaN for rows no fold scored. */
  scores: Float64Array;
  /** The fold models in fold order. */
  folds: { plan: FoldPlan; fitted: Fitted }[];
  /** The final model, when asked for. */
  final: { plan: FoldPlan; fitted: Fitted } | null;
}

/** Plans the folds, prepares and fits every training, and gathers the out-of-fold scores. */
export async function crossValidate<Prepared, Fitted>(spec: CrossValidateSpec<Prepared, Fitted>): Promise<CrossValidationResult<Fitted>> {
  const { assignment, trainings } = planFolds(spec.labels, spec.scheme, spec.seed, spec.finalModel, spec.split ?? null);
  for (const plan of trainings) {
    if (plan.trainRows.length === 0 || (plan.fold >= 0 && plan.testRows.length === 0)) {
      throw new FoldSplitError('validation', `${plan.label} has ${plan.trainRows.length} training and ${plan.testRows.length} scored rows; both must be non-empty.`);
    }
  }
  const jobs = trainings.map((plan) => ({ plan, prepared: spec.prepare(plan) }));
  const fitted = await spec.fitAll(jobs);
  if (fitted.length !== jobs.length) throw new Error(`fitAll returned ${fitted.length} models for ${jobs.length} trainings.`);
  const scores = new Float64Array(spec.labels.length).fill(Number.NaN);
  const folds: { plan: FoldPlan; fitted: Fitted }[] = [];
  let final: { plan: FoldPlan; fitted: Fitted } | null = null;
  jobs.forEach(({ plan }, j) => {
    const model = fitted[j];
    if (model === undefined) return;
    if (plan.fold < 0) {
      final = { plan, fitted: model };
      return;
    }
    folds.push({ plan, fitted: model });
    const s = spec.testScores(model, plan);
    if (s.length !== plan.testRows.length) throw new Error(`${plan.label}: ${s.length} scores for ${plan.testRows.length} scored rows.`);
    plan.testRows.forEach((row, i) => (scores[row] = s[i] ?? Number.NaN));
  });
  return { assignment, scores, folds, final };
}
