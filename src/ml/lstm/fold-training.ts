/**
 * The LSTM under cross-validation: stratified k-fold (out-of-fold scores for every labelled
 * row) or a stratified hold-out share, through src/ml/cross-validate.ts. Inside each fold the
 * sequence scaler is fitted on that fold's training rows only and applied to its scored rows,
 * so no scored row influences the scaling or the weights that score it. With patience > 0,
 * early stopping watches a stratified slice of the fold's training rows (never the scored
 * rows); with patience 0 the validation columns of the history are the scored rows', for
 * display only. Rows no fold scored (unlabelled rows, hold-out training rows) get the output
 * model's score: the final model on every labelled row, or fold 1's when there is none.
 */
import { applyScaler, fitScaler, type SequenceScaler, type SequenceScaling } from '../../data/sequences.ts';
import { assertNever } from '../../engine/errors.ts';
import type { TaskPool } from '../../engine/parallel.ts';
import { crossValidate, stratifiedHoldout, type FoldPlan, type ValidationScheme } from '../cross-validate.ts';
import { rocAuc } from '../metrics.ts';
import { deriveSeed } from '../random.ts';
import { LstmInputError } from './errors.ts';
import { lstmFitTask, type LstmFitInput, type LstmFitReport } from './fit-task.ts';
import { predictLstm } from './predict.ts';
import { subsetSequences } from './subset.ts';
import type { EpochRecord, LstmOptions, SequenceSet, TrainedLstm } from './types.ts';

/** The labelled rows (label 0 or 1) and the rest, with the count of positives. */
export interface LabelledRows {
  /** Rows with label 0 or 1, in row order. */
  labelled: number[];
  /** Rows without a 0/1 label, in row order. */
  unlabelled: number[];
  /** Labelled rows with label 1. */
  positives: number;
}

/** Splits rows by whether their label is 0 or 1. */
export function labelledRows(labels: ArrayLike<number>): LabelledRows {
  const labelled: number[] = [];
  const unlabelled: number[] = [];
  let positives = 0;
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i] ?? Number.NaN;
    if (y === 0 || y === 1) {
      labelled.push(i);
      positives += y;
    } else unlabelled.push(i);
  }
  return { labelled, unlabelled, positives };
}

/** What trainLstmFolds needs. */
export interface LstmFoldSpec {
  /** Unscaled sequences; labels 0/1, anything else (NaN) is unlabelled. */
  data: SequenceSet;
  /** The scaler fitted on each training's rows. */
  scaling: SequenceScaling;
  /** Model and training options; options.seed seeds every training. */
  options: LstmOptions;
  /** Customer id per row of the data: the split is drawn in id order... */
  ids: readonly string[];
  /** ...from this seed (the pipeline's, so classify on the same customers gets the same folds). */
  splitSeed: number;
  /** k-fold or hold-out. */
  scheme: ValidationScheme;
  /** Share of each training's rows early stopping watches (when options.patience > 0). */
  earlyStoppingShare: number;
  /** Whether to train a final model on every labelled row. */
  finalModel: boolean;
  /** Backend every training runs on. */
  backend: string;
  /** Runs the trainings (in parallel when it has lanes). */
  pool: TaskPool;
  /** Cancels every training. */
  signal: AbortSignal;
  /** Hears every epoch of every training (fold −1: the final model). */
  onEpoch?(fold: number, record: EpochRecord): void;
  /** Hears overall progress in 2% steps, with the labels of the trainings running. */
  onProgress?(fraction: number, running: string): void;
  /** Hears a backend that failed and the one training continued on. */
  onFallback?(report: Extract<LstmFitReport, { type: 'fallback' }>): void;
}

/** One training of the validation: its plan, model and the scaler its rows were scaled with. */
export interface LstmFoldTraining {
  /** Fold, seed and rows (indices into the labelled rows). */
  plan: FoldPlan;
  /** The trained model. */
  model: TrainedLstm;
  /** The scaler fitted on the training's rows. */
  scaler: SequenceScaler;
}

/** The outcome of trainLstmFolds. */
export interface LstmFoldResult {
  /** Labelled rows (row indices of the data), the rows the plans index. */
  labelled: number[];
  /** Fold per row of the data: 0..k−1 scored out of fold, −1 not scored by a fold model. */
  fold: Int32Array;
  /** Score per row of the data: out of fold, else the output model's. */
  score: Float32Array;
  /** The fold trainings in fold order. */
  folds: LstmFoldTraining[];
  /** The final model on every labelled row, when asked for. */
  final: LstmFoldTraining | null;
  /** The model a person exports: the final model, else fold 1's. */
  output: LstmFoldTraining;
  /** Labelled rows scored out of fold. */
  scoredRows: number[];
  /** ROC AUC of the out-of-fold scores (NaN when one class). */
  auc: number;
}

/** The rows `rows` of the data, scaled with `scaler`. */
function scaledRows(data: SequenceSet, scaler: SequenceScaler, rows: readonly number[]): SequenceSet {
  const subset = subsetSequences(data, rows);
  return { ...subset, x: applyScaler(scaler, subset.x, subset.n, data.steps, data.features) };
}

/** Cross-validates the LSTM and scores every row; rejects with LstmInputError when a training cannot run. */
export async function trainLstmFolds(spec: LstmFoldSpec): Promise<LstmFoldResult> {
  const { data, options } = spec;
  const { n, steps, features } = data;
  const { labelled } = labelledRows(data.labels);
  const labelOf = (row: number): number => data.labels[row] ?? 0;

  const prepare = (plan: FoldPlan): { input: LstmFitInput; scaler: SequenceScaler } => {
    let fitRows = plan.trainRows.map((j) => labelled[j] ?? 0);
    const testRows = plan.testRows.map((j) => labelled[j] ?? 0);
    let monitorRows: number[] | null = plan.fold >= 0 ? testRows : null;
    if (options.patience > 0) {
      const inner = stratifiedHoldout(Float32Array.from(fitRows, labelOf), spec.earlyStoppingShare, deriveSeed(plan.seed, 'early-stopping'));
      monitorRows = fitRows.filter((_, j) => inner[j] === 1);
      fitRows = fitRows.filter((_, j) => inner[j] === 0);
    }
    const scaler = fitScaler(data.x, n, steps, features, spec.scaling, fitRows);
    const monitor = monitorRows && monitorRows.length > 0 ? scaledRows(data, scaler, monitorRows) : null;
    const score = testRows.length > 0 ? scaledRows(data, scaler, testRows) : null;
    return { scaler, input: { train: scaledRows(data, scaler, fitRows), monitor, score, options: { ...options, seed: plan.seed }, backend: spec.backend } };
  };

  type Job = { plan: FoldPlan; prepared: ReturnType<typeof prepare> };
  const fitAll = async (jobs: readonly Job[]): Promise<{ model: TrainedLstm; scores: Float32Array | null; scaler: SequenceScaler }[]> => {
    const fractions = new Float64Array(jobs.length);
    let lastStep = -1;
    const outputs = await spec.pool.map(lstmFitTask, jobs.map((j) => j.prepared.input), {
      signal: spec.signal,
      onReport: (index, report) => {
        switch (report.type) {
          case 'epoch':
            spec.onEpoch?.(jobs[index]?.plan.fold ?? -1, report.record);
            return;
          case 'progress': {
            fractions[index] = report.fraction;
            // One report per 2% of the whole run: the page redraws a bar, the CLI prints a line each.
            const overall = fractions.reduce((a, b) => a + b, 0) / jobs.length;
            const step = Math.floor(overall * 50);
            if (step === lastStep) return;
            lastStep = step;
            const running = jobs.filter((_, j) => (fractions[j] ?? 0) > 0 && (fractions[j] ?? 0) < 1).map((j) => j.plan.label);
            spec.onProgress?.(overall, running.join(', ') || (jobs[index]?.plan.label ?? ''));
            return;
          }
          case 'fallback':
            spec.onFallback?.(report);
            return;
          default:
            assertNever(report);
        }
      },
    });
    return outputs.map((out, j) => {
      if (!out.ok) throw new LstmInputError(out.param, out.message);
      return { model: out.model, scores: out.scores, scaler: jobs[j]?.prepared.scaler ?? fitScaler(data.x, n, steps, features, spec.scaling, labelled) };
    });
  };

  const cv = await crossValidate({
    labels: Float32Array.from(labelled, labelOf),
    scheme: spec.scheme,
    seed: options.seed,
    split: { seed: spec.splitSeed, keys: labelled.map((r) => spec.ids[r] ?? '') },
    finalModel: spec.finalModel,
    prepare,
    fitAll,
    testScores: (fitted) => fitted.scores ?? new Float32Array(0),
  });
  const fold = new Int32Array(n).fill(-1);
  const score = new Float32Array(n).fill(Number.NaN);
  labelled.forEach((row, j) => {
    fold[row] = cv.assignment[j] ?? -1;
    score[row] = cv.scores[j] ?? Number.NaN;
  });
  const training = ({ plan, fitted }: { plan: FoldPlan; fitted: { model: TrainedLstm; scaler: SequenceScaler } }): LstmFoldTraining => ({ plan, model: fitted.model, scaler: fitted.scaler });
  const folds = cv.folds.map(training);
  const final = cv.final ? training(cv.final) : null;
  const first = folds[0];
  if (!first) throw new LstmInputError('labels', 'No fold was trained.');
  const output = final ?? first;

  const rest: number[] = [];
  for (let i = 0; i < n; i++) if (Number.isNaN(score[i] ?? Number.NaN)) rest.push(i);
  if (rest.length > 0) {
    const sub = scaledRows(data, output.scaler, rest);
    const probs = await predictLstm(output.model, sub.x, sub.n, steps, features);
    rest.forEach((row, j) => (score[row] = probs[j] ?? Number.NaN));
  }
  const scoredRows = labelled.filter((r) => (fold[r] ?? -1) >= 0);
  const auc = rocAuc(Float64Array.from(scoredRows, (r) => data.labels[r] ?? 0), Float64Array.from(scoredRows, (r) => score[r] ?? 0));
  return { labelled, fold, score, folds, final, output, scoredRows, auc };
}
