/**
 * Customer-table classification: encode (src/ml/tabular.ts), then L2 logistic regression
 * (src/ml/logistic.ts) or histogram gradient-boosted trees (src/ml/gbdt.ts), validated by the
 * studio's one cross-validation (src/ml/cross-validate.ts, the LSTM's stratified k-fold). In each
 * fold the encoding (levels, means) and the model are fitted on that fold's training rows only,
 * then score its held-out rows; a final
 * model on every labelled row scores the unlabelled ones and is what gets applied to new tables.
 */
import { inProcessPool, taskAbortError, type TaskPool, type TaskSpec } from '../engine/parallel.ts';
import { crossValidate } from './cross-validate.ts';
import { GbdtTrainer, predictGbdt, type GbdtModel, type GbdtOptions } from './gbdt.ts';
import { LogisticTrainer, predictLogistic, type LogisticModel } from './logistic.ts';
import { KernelInputError } from './matrix.ts';
import { encodeForLinear, encodeForTrees, fitTabularEncoding, linearFeatureNames, type TabularEncoding, type TabularInput, type TabularIssue, type TabularOptions } from './tabular.ts';

/** Most encoded features logistic regression takes (its Newton step solves a d × d system). */
export const MAX_LINEAR_FEATURES = 2000;

/** The learners. */
export const TABULAR_LEARNERS = ['logistic', 'gbdt'] as const;

/** A learner name. */
export type TabularLearner = (typeof TABULAR_LEARNERS)[number];

/** A fitted customer-table model: the encoding it expects and the learner's parameters. */
export type TabularModel =
  | { format: 'insight-classify'; learner: 'logistic'; encoding: TabularEncoding; features: string[]; logistic: LogisticModel; folds?: TabularFolds }
  | { format: 'insight-classify'; learner: 'gbdt'; encoding: TabularEncoding; features: string[]; gbdt: GbdtModel; folds?: TabularFolds };

/** A cross-validation's fold models, kept for out-of-fold explanations: which fold held out each labelled row (by id), and each fold's model. */
export interface TabularFolds {
  /** The table's id column the ids come from ('' for row numbers). */
  idColumn: string;
  /** Ids of the labelled rows. */
  ids: string[];
  /** The fold (0..k−1) that held out each of those rows. */
  fold: Int32Array;
  /** Fold k's model, fitted without fold k's rows. */
  models: TabularModel[];
}

/** Options of crossValidateTabular. */
export interface TabularFitOptions {
  /** Which learner. */
  learner: TabularLearner;
  /** Stratified folds (≥ 2). */
  folds: number;
  /** Seed of the fold split and of the learners. */
  seed: number;
  /** Customer id per row: the split is then drawn in id order, so the same customers and labels get the LSTM's folds (from the same seed). */
  ids?: readonly string[];
  /** Logistic regression's inverse L2 strength (sklearn C). */
  C: number;
  /** Booster options (its seed is derived per fold). */
  gbdt: GbdtOptions;
  /** Encoder options. */
  encoder: TabularOptions;
  /** Whether to fit the final model on all labelled rows (else fold 0's model is the output). */
  finalModel: boolean;
}

/** Progress hook: called as trainings advance (share of all of them done, detail: each tree or Newton iteration); may throw to cancel. */
export type TabularStep = (fraction: number, detail: string) => void | Promise<void>;

/** Where the fold trainings run: lanes and cancellation (default: this thread, never cancelled). */
export interface TabularLanes {
  /** Lanes the folds and the final model train on; the result is the same on any pool. */
  pool?: TaskPool;
  /** Stops every training. */
  signal?: AbortSignal;
}

/** One row of the importance table. */
export interface TabularImportance {
  /** Model feature (a one-hot level for logistic). */
  feature: string;
  /** The input column it comes from. */
  column: string;
  /** Share of total split gain (trees) or standardised coefficient (logistic). */
  importance: number;
}

/** Result of crossValidateTabular. */
export interface TabularCv {
  /** P(positive) per row: out of fold for labelled rows, by the output model for the rest. */
  score: Float64Array;
  /** Fold per row (0..k−1) or −1 for unlabelled rows. */
  fold: Int32Array;
  /** The output model. */
  model: TabularModel;
  /** Importance of the output model's features, by decreasing magnitude. */
  importance: TabularImportance[];
  /** What the encoder reported on all labelled rows. */
  issues: TabularIssue[];
  /** Trees (gbdt) or Newton iterations (logistic) of each fold's model. */
  foldIterations: number[];
  /** Fold k's model (fitted without fold k's rows), in fold order. */
  foldModels: TabularModel[];
}

async function fitModel(inputs: readonly TabularInput[], y: Float64Array, rows: number[], options: TabularFitOptions, seed: number, step: (done: number, detail: string) => Promise<void>): Promise<{ model: TabularModel; issues: TabularIssue[]; iterations: number }> {
  // A step before and after encoding: on large tables encoding takes seconds, and a cancel waits for the next step.
  await step(0, 'encoding');
  const { encoding, issues } = fitTabularEncoding(inputs, options.encoder, rows);
  const sub: TabularInput[] = inputs.map((c) => ({ name: c.name, values: rows.map((r) => c.values[r]) }));
  const labels = Float64Array.from(rows, (r) => y[r]!);
  await step(0, 'encoded');
  if (options.learner === 'logistic') {
    const x = encodeForLinear(encoding, sub, rows.length);
    // Newton's Hessian is d × d: beyond a few thousand one-hot columns it would not fit in memory.
    if (x.d > MAX_LINEAR_FEATURES) throw new KernelInputError('option', `${x.d} encoded features is more than the ${MAX_LINEAR_FEATURES} logistic regression takes; choose fewer columns or lower the levels kept.`);
    const trainer = new LogisticTrainer(x, labels, { C: options.C });
    // Newton takes about ten iterations; the share done is shown as i / (i + 1) until it converges.
    while (trainer.step()) await step(trainer.iteration / (trainer.iteration + 1), `Newton iteration ${trainer.iteration}, largest gradient ${trainer.gradientNorm.toPrecision(2)}`);
    const logistic = trainer.model();
    await step(1, `converged in ${logistic.iterations} Newton iterations`);
    return { model: { format: 'insight-classify', learner: 'logistic', encoding, features: x.names, logistic }, issues, iterations: logistic.iterations };
  }
  const { columns, names } = encodeForTrees(encoding, sub, rows.length);
  const trainer = new GbdtTrainer(columns, labels, { ...options.gbdt, seed });
  const total = trainer.options.maxIter;
  // A step per tree, and within a tree every 40 ms (on large tables a tree takes seconds).
  let last = performance.now();
  for (let slice = trainer.advance(); slice !== 'done'; slice = trainer.advance()) {
    if (slice === 'split' && performance.now() - last < 40) continue;
    await step(trainer.iteration / total, slice === 'tree' ? `tree ${trainer.iteration}/${total}` : `growing tree ${trainer.iteration + 1}/${total}`);
    last = performance.now();
  }
  await step(1, `${trainer.iteration} trees`);
  return { model: { format: 'insight-classify', learner: 'gbdt', encoding, features: names, gbdt: trainer.model() }, issues, iterations: trainer.iteration };
}

/** One training of the cross-validation: the columns, the labels, the rows it fits on, the options and its seed. */
export interface TabularFitInput {
  /** Every input column (all rows). */
  inputs: TabularInput[];
  /** Label per row. */
  labels: Float64Array;
  /** Rows the encoding and the model are fitted on. */
  rows: number[];
  /** Learner options. */
  options: TabularFitOptions;
  /** This training's seed. */
  seed: number;
}

/** What one training gives back. */
export interface TabularFit {
  /** The fitted model. */
  model: TabularModel;
  /** What the encoder reported on the training rows. */
  issues: TabularIssue[];
  /** Trees (gbdt) or Newton iterations (logistic). */
  iterations: number;
}

/** Progress of one training. */
export interface TabularFitReport {
  /** Share of the training done, in [0, 1]. */
  fraction: number;
  /** What it is doing ('tree 3/100', 'Newton iteration 2, ...'). */
  detail: string;
}

const isIssue = (v: unknown): v is TabularIssue => isObject(v) && typeof v.code === 'string' && typeof v.column === 'string' && typeof v.levels === 'number' && typeof v.rows === 'number';

/** A training's outcome: the fit, or the learner's refusal of its input (a KernelInputError, which does not cross a worker boundary as itself). */
export type TabularFitOutput = { ok: true; fit: TabularFit } | { ok: false; code: KernelInputError['code']; message: string };

const INPUT_CODES: readonly KernelInputError['code'][] = ['shape', 'not-finite', 'empty', 'labels', 'range', 'option'];

/** The pool task fitting one fold's (or the final) model. */
export const tabularFitTask: TaskSpec<TabularFitInput, TabularFitOutput, TabularFitReport> = {
  name: 'tabular.fit',
  async run(input, report, signal) {
    try {
      return { ok: true, fit: await fitOne(input, report, signal) };
    } catch (err) {
      if (err instanceof KernelInputError) return { ok: false, code: err.code, message: err.message };
      throw err;
    }
  },
  isOutput: (v): v is TabularFitOutput => {
    if (!isObject(v)) return false;
    if (v.ok === false) return INPUT_CODES.some((c) => c === v.code) && typeof v.message === 'string';
    const fit = v.fit;
    return v.ok === true && isObject(fit) && isTabularModel(fit.model) && Array.isArray(fit.issues) && fit.issues.every(isIssue) && typeof fit.iterations === 'number';
  },
  isReport: (v): v is TabularFitReport => isObject(v) && typeof v.fraction === 'number' && typeof v.detail === 'string',
  cost: (input) => input.rows.length,
};

function fitOne(input: TabularFitInput, report: (r: TabularFitReport) => void, signal: AbortSignal): Promise<TabularFit> {
  let last = Date.now();
  return fitModel(input.inputs, input.labels, input.rows, input.options, input.seed, async (fraction, detail) => {
    report({ fraction, detail });
    if (signal.aborted) throw taskAbortError();
    // On the calling thread, yield now and then so that a worker's answer and a cancel arrive.
    if (Date.now() - last > 20) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      last = Date.now();
      if (signal.aborted) throw taskAbortError();
    }
  });
}

/** P(positive) of each row of `inputs` (n rows) under a fitted model. */
export function predictTabular(model: TabularModel, inputs: readonly TabularInput[], n: number): Float64Array {
  if (model.learner === 'logistic') return predictLogistic(model.logistic, encodeForLinear(model.encoding, inputs, n));
  return predictGbdt(model.gbdt, encodeForTrees(model.encoding, inputs, n).columns, n);
}

/** The importance table of a model (see TabularImportance). */
export function tabularImportance(model: TabularModel): TabularImportance[] {
  let rows: TabularImportance[];
  if (model.learner === 'logistic') {
    const { source } = linearFeatureNames(model.encoding);
    rows = model.features.map((feature, j) => ({ feature, column: source[j] ?? feature, importance: model.logistic.coef[j]! }));
  } else {
    const gain = model.gbdt.featureGain;
    let total = 0;
    for (let j = 0; j < gain.length; j++) total += gain[j]!;
    rows = model.features.map((feature, j) => ({ feature, column: feature, importance: total > 0 ? gain[j]! / total : 0 }));
  }
  return rows.sort((a, b) => Math.abs(b.importance) - Math.abs(a.importance) || (a.feature < b.feature ? -1 : 1));
}

/**
 * Stratified k-fold out-of-fold scores and a final model. `labels[i]` is 1, 0 or NaN (unlabelled:
 * no fold, scored by the output model). Throws KernelInputError when a class has fewer rows than
 * folds (a fold would hold no positives) or a learner rejects its input.
 */
export async function crossValidateTabular(inputs: readonly TabularInput[], n: number, labels: Float64Array, options: TabularFitOptions, onStep: TabularStep = () => {}, lanes: TabularLanes = {}): Promise<TabularCv> {
  const labelled: number[] = [];
  let positives = 0;
  for (let i = 0; i < n; i++) {
    const v = labels[i]!;
    if (v === 0 || v === 1) {
      labelled.push(i);
      positives += v;
    }
  }
  const negatives = labelled.length - positives;
  const k = options.folds;
  if (Math.min(positives, negatives) < k) {
    throw new KernelInputError('labels', `${k}-fold validation needs at least ${k} rows of each class; there are ${positives} positive and ${negatives} negative.`);
  }
  type Fit = TabularFit;
  const pool = lanes.pool ?? inProcessPool;
  const signal = lanes.signal ?? new AbortController().signal;
  const take = (rows: readonly number[]): TabularInput[] => inputs.map((c) => ({ name: c.name, values: rows.map((r) => c.values[r]) }));
  // Plan rows index the labelled rows; `prepare` maps them back to table rows.
  const cv = await crossValidate<number[], Fit>({
    labels: Float64Array.from(labelled, (r) => labels[r]!),
    scheme: { kind: 'kfold', folds: k },
    seed: options.seed,
    ...(options.ids ? { split: { seed: options.seed, keys: labelled.map((r) => options.ids?.[r] ?? '') } } : {}),
    finalModel: options.finalModel,
    prepare: (plan) => plan.trainRows.map((j) => labelled[j]!),
    fitAll: async (jobs) => {
      const columns = inputs.map((c) => ({ name: c.name, values: c.values }));
      const fractions = new Float64Array(jobs.length);
      let hook: Promise<void> = Promise.resolve();
      const fits = pool.map(tabularFitTask, jobs.map(({ plan, prepared }) => ({ inputs: columns, labels, rows: prepared, options, seed: plan.seed })), {
        signal,
        onReport: (t, { fraction: done, detail }) => {
          fractions[t] = done;
          const label = jobs[t]?.plan.label ?? '';
          const fraction = fractions.reduce((a, b) => a + b, 0) / jobs.length;
          // The hook may throw (a cancel) or be async: its failure fails the cross-validation.
          hook = hook.then(() => onStep(fraction, `${label}: ${detail}`));
          hook.catch(() => undefined);
        },
      });
      const out = await fits;
      await hook;
      return out.map((o) => {
        if (!o.ok) throw new KernelInputError(o.code, o.message);
        return o.fit;
      });
    },
    testScores: (fitted, plan) => {
      const rows = plan.testRows.map((j) => labelled[j]!);
      return predictTabular(fitted.model, take(rows), rows.length);
    },
  });
  const fold = new Int32Array(n).fill(-1);
  const score = new Float64Array(n);
  labelled.forEach((r, j) => {
    fold[r] = cv.assignment[j]!;
    score[r] = cv.scores[j]!;
  });
  const output = cv.final?.fitted ?? cv.folds[0]!.fitted;
  const model = output.model;
  const finalIssues = output.issues;
  const foldIterations = cv.folds.map((f) => f.fitted.iterations);
  const rest: number[] = [];
  for (let i = 0; i < n; i++) if (fold[i] === -1) rest.push(i);
  if (rest.length > 0) {
    const p = predictTabular(model, take(rest), rest.length);
    rest.forEach((r, j) => (score[r] = p[j]!));
  }
  const foldModels: TabularModel[] = [];
  for (const f of cv.folds) foldModels[f.plan.fold] = f.fitted.model;
  return { score, fold, model, importance: tabularImportance(model), issues: finalIssues, foldIterations, foldModels };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/** Whether a model port's artifacts are a TabularModel made by crossValidateTabular. */
export function isTabularModel(v: unknown): v is TabularModel {
  if (!isObject(v) || v.format !== 'insight-classify' || !isObject(v.encoding) || !Array.isArray(v.encoding.columns) || !Array.isArray(v.features)) return false;
  if (v.learner === 'logistic') return isObject(v.logistic) && v.logistic.coef instanceof Float64Array && v.logistic.mean instanceof Float64Array && v.logistic.scale instanceof Float64Array;
  if (v.learner === 'gbdt') return isObject(v.gbdt) && Array.isArray(v.gbdt.trees) && Array.isArray(v.gbdt.binEdges) && typeof v.gbdt.baseline === 'number';
  return false;
}
