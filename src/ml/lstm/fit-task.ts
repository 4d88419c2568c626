/**
 * One LSTM training as a pool task: train on prepared (already scaled) sequences, watch a
 * monitor set, score held-out rows, all on the backend the caller chose. The same bytes come
 * out on any lane (the calling thread or a worker): the weights depend only on the data, the
 * options (seed included) and the backend's arithmetic. On wasm and cpu the fast path runs on
 * the native kernels without TensorFlow.js (./lane.ts), so a pool worker need not load tfjs.
 */
import type { TaskSpec } from '../../engine/parallel.ts';
import { isBackendName, ladderAfter } from '../backend-ladder.ts';
import { isAbortError, LstmBackendFailure, LstmInputError } from './errors.ts';
import { loadTfLane, nativeLane, trainsNatively, type LaneBackend, type TfLaneLoader } from './lane.ts';
import { predictLstm } from './predict.ts';
import { trainLstm } from './train.ts';
import type { EngineName, EpochRecord, LstmLayerWeights, LstmOptions, LstmWeights, SequenceSet, TrainedLstm } from './types.ts';

/** What one training needs. */
export interface LstmFitInput {
  /** Sequences to train on (scaled). */
  train: SequenceSet;
  /** Sequences the validation columns (and early stopping) watch, or null. */
  monitor: SequenceSet | null;
  /** Sequences to score with the trained model (scaled), or null. */
  score: SequenceSet | null;
  /** Model and training options; options.seed is this training's seed. */
  options: LstmOptions;
  /** Backend to train on; a name outside the ladder keeps the lane's current backend. */
  backend: string;
}

/** What one training gives back: the model and its scores, or the reason it could not train. */
export type LstmFitOutput =
  | { ok: true; model: TrainedLstm; scores: Float32Array | null }
  | { ok: false; reason: 'input' | 'backend'; message: string; param: string };

/** Streamed while training. */
export type LstmFitReport =
  | { type: 'epoch'; record: EpochRecord }
  | { type: 'progress'; fraction: number }
  | { type: 'fallback'; from: string; to: string; reason: string; epochsCompleted: number };

/**
 * The lane a training runs on: native on wasm or cpu when the fast path is the native kernels;
 * otherwise the tfjs lane with the asked backend active (a name outside the ladder keeps the
 * current one).
 */
async function laneFor(input: LstmFitInput, load: TfLaneLoader): Promise<LaneBackend> {
  const { backend } = input;
  if (isBackendName(backend) && trainsNatively(input.options, backend)) return nativeLane(backend, load);
  const lane = await load();
  if (isBackendName(backend) && lane.name() !== backend) await lane.select([backend, ...ladderAfter(backend)]);
  return lane;
}

/**
 * Trains one model; fails with a tagged output (not a throw) on bad input or an exhausted ladder,
 * so every lane reports alike. `load` brings in the tfjs lane where the native kernels alone
 * cannot do the work (a pool worker passes one that prepares its host first).
 */
export async function fitLstm(input: LstmFitInput, report: (r: LstmFitReport) => void, signal: AbortSignal, load: TfLaneLoader = loadTfLane): Promise<LstmFitOutput> {
  try {
    const lane = await laneFor(input, load);
    const model = await trainLstm(input.train, input.monitor, input.options, {
      signal,
      lane,
      ladder: ladderAfter(lane.name()),
      onEpoch: (record) => report({ type: 'epoch', record }),
      onProgress: (fraction) => report({ type: 'progress', fraction }),
      onBackendFallback: (e) => report({ type: 'fallback', from: e.from, to: e.to, reason: e.reason, epochsCompleted: e.epochsCompleted }),
    });
    const score = input.score;
    const scores = score ? await predictLstm(model, score.x, score.n, score.steps, score.features, lane) : null;
    return { ok: true, model, scores };
  } catch (err) {
    if (isAbortError(err)) throw err;
    if (err instanceof LstmInputError) return { ok: false, reason: 'input', message: err.message, param: err.param };
    if (err instanceof LstmBackendFailure) return { ok: false, reason: 'backend', message: `backend ${err.backend} failed: ${err.message}`, param: 'backend' };
    throw err;
  }
}

/** The pool task that trains one LSTM, loading the tfjs lane with `load` where it must (see fitLstm). */
export function lstmFitTaskWith(load: TfLaneLoader): TaskSpec<LstmFitInput, LstmFitOutput, LstmFitReport> {
  return { ...lstmFitTask, run: (input, report, signal) => fitLstm(input, report, signal, load) };
}

/** The pool task that trains one LSTM. */
export const lstmFitTask: TaskSpec<LstmFitInput, LstmFitOutput, LstmFitReport> = {
  name: 'lstm.fit',
  run: (input, report, signal) => fitLstm(input, report, signal),
  isOutput: isFitOutput,
  isReport: isFitReport,
  // Training is a forward and a backward pass per row and epoch; watching the monitor set is a forward pass (about a third).
  cost: (input) => input.options.epochs * input.options.layers * (input.train.n + (input.monitor?.n ?? 0) / 3) + (input.score?.n ?? 0) / 3,
};

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

function isFitOutput(v: unknown): v is LstmFitOutput {
  if (!isObject(v)) return false;
  if (v.ok === false) return (v.reason === 'input' || v.reason === 'backend') && typeof v.message === 'string' && typeof v.param === 'string';
  return v.ok === true && isTrainedLstm(v.model) && (v.scores === null || v.scores instanceof Float32Array);
}

function isFitReport(v: unknown): v is LstmFitReport {
  if (!isObject(v)) return false;
  switch (v.type) {
    case 'epoch':
      return isEpochRecord(v.record);
    case 'progress':
      return typeof v.fraction === 'number';
    case 'fallback':
      return typeof v.from === 'string' && typeof v.to === 'string' && typeof v.reason === 'string' && typeof v.epochsCompleted === 'number';
    default:
      return false;
  }
}

const numberOrNull = (v: unknown): boolean => v === null || typeof v === 'number';

/** Whether a value is an epoch record. */
export function isEpochRecord(v: unknown): v is EpochRecord {
  if (!isObject(v)) return false;
  return typeof v.epoch === 'number' && typeof v.loss === 'number' && numberOrNull(v.valLoss) && typeof v.accuracy === 'number' && numberOrNull(v.valAccuracy) && typeof v.auc === 'number' && numberOrNull(v.valAuc) && typeof v.seconds === 'number';
}

function isLayer(v: unknown): v is LstmLayerWeights {
  if (!isObject(v)) return false;
  return typeof v.inputSize === 'number' && typeof v.units === 'number' && v.kernel instanceof Float32Array && v.recurrentKernel instanceof Float32Array && v.bias instanceof Float32Array;
}

/** Whether a value is a set of LSTM weights (every array a Float32Array). */
export function isLstmWeights(v: unknown): v is LstmWeights {
  if (!isObject(v) || typeof v.features !== 'number' || !Array.isArray(v.layers) || !v.layers.every(isLayer)) return false;
  const dense = v.dense;
  return isObject(dense) && dense.kernel instanceof Float32Array && dense.bias instanceof Float32Array;
}

const ENGINES: readonly EngineName[] = ['native-simd', 'tfjs-ops', 'tfjs-layers'];

function isOptions(v: unknown): v is LstmOptions {
  if (!isObject(v)) return false;
  const numeric = ['units', 'layers', 'dropout', 'epochs', 'batchSize', 'learningRate', 'patience', 'seed'].every((k) => typeof v[k] === 'number');
  const engine = v.engine === undefined || ENGINES.some((e) => e === v.engine);
  return numeric && engine && (v.classWeight === 'none' || v.classWeight === 'balanced') && (v.implementation === 'fast' || v.implementation === 'layers');
}

/** Whether a value is a trained model. */
export function isTrainedLstm(v: unknown): v is TrainedLstm {
  if (!isObject(v)) return false;
  return (
    isLstmWeights(v.weights) &&
    isOptions(v.options) &&
    typeof v.steps === 'number' &&
    Array.isArray(v.history) &&
    v.history.every(isEpochRecord) &&
    typeof v.bestEpoch === 'number' &&
    typeof v.epochsRun === 'number' &&
    typeof v.backend === 'string' &&
    ENGINES.some((e) => e === v.engine)
  );
}
