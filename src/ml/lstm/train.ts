/**
 * The training loop shared by every implementation: seeded shuffling and dropout masks,
 * class weights, per-epoch metrics, early stopping that restores the best weights,
 * cancellation between batches, and falling back down a backend ladder when a backend
 * fails mid-run.
 */
import { ladderAfter } from '../backend-ladder.ts';
import { createRng, deriveSeed } from '../random.ts';
import type { EngineConfig, LstmEngine, TrainBatch } from './engine.ts';
import { abortError, isAbortError, LstmBackendFailure, LstmInputError } from './errors.ts';
import { cloneWeights, initLstmWeights } from './init.ts';
import { chooseEngine, loadTfLane, type LaneBackend } from './lane.ts';
import { accuracy, meanBce, rocAuc } from './metrics.ts';
import type { BestSoFar, EpochRecord, LstmOptions, SequenceSet, TrainedLstm, TrainHooks, TrainResume } from './types.ts';

export { chooseEngine } from './lane.ts';

function checkInteger(param: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) throw new LstmInputError(param, `${param} must be an integer ≥ ${min}, got ${String(value)}.`);
}

/** Throws LstmInputError naming the first invalid option. */
export function validateOptions(options: LstmOptions): void {
  checkInteger('units', options.units, 1);
  checkInteger('layers', options.layers, 1);
  checkInteger('epochs', options.epochs, 1);
  checkInteger('batchSize', options.batchSize, 1);
  checkInteger('patience', options.patience, 0);
  if (!(options.dropout >= 0 && options.dropout < 1)) throw new LstmInputError('dropout', `dropout must be in [0, 1), got ${String(options.dropout)}.`);
  if (!(options.learningRate > 0 && Number.isFinite(options.learningRate))) {
    throw new LstmInputError('learningRate', `learningRate must be a positive number, got ${String(options.learningRate)}.`);
  }
  if (options.classWeight !== 'none' && options.classWeight !== 'balanced') {
    throw new LstmInputError('classWeight', `classWeight must be "none" or "balanced", got ${JSON.stringify(options.classWeight)}.`);
  }
  if (!Number.isInteger(options.seed)) throw new LstmInputError('seed', `seed must be an integer, got ${String(options.seed)}.`);
  if (options.implementation !== 'fast' && options.implementation !== 'layers') {
    throw new LstmInputError('implementation', `implementation must be "fast" or "layers", got ${JSON.stringify(options.implementation)}.`);
  }
}

/** Throws LstmInputError when the set's sizes disagree, a value is not finite or a label is not 0/1. */
export function validateSequences(name: string, data: SequenceSet): void {
  checkInteger(`${name}.n`, data.n, 1);
  checkInteger(`${name}.steps`, data.steps, 1);
  checkInteger(`${name}.features`, data.features, 1);
  const expected = data.n * data.steps * data.features;
  if (data.x.length !== expected) {
    throw new LstmInputError(`${name}.x`, `${name}.x has ${data.x.length} values; n × steps × features = ${data.n} × ${data.steps} × ${data.features} = ${expected}.`);
  }
  if (data.labels.length !== data.n) throw new LstmInputError(`${name}.labels`, `${name}.labels has ${data.labels.length} values; expected n = ${data.n}.`);
  const per = data.steps * data.features;
  for (let i = 0; i < data.x.length; i++) {
    const v = data.x[i] as number;
    if (!Number.isFinite(v)) throw new LstmInputError(`${name}.x`, `${name}.x holds ${String(v)} at row ${Math.floor(i / per)}; sequences must be finite numbers.`);
  }
  for (let i = 0; i < data.n; i++) {
    const y = data.labels[i] as number;
    if (y !== 0 && y !== 1) throw new LstmInputError(`${name}.labels`, `${name}.labels holds ${String(y)} at row ${i}; labels must be 0 or 1.`);
  }
}

/** Per-class loss weights: 'balanced' gives class c the weight n / (2 · count_c). */
export function classWeights(labels: Float32Array, mode: LstmOptions['classWeight']): [number, number] {
  if (mode === 'none') return [1, 1];
  let positives = 0;
  for (let i = 0; i < labels.length; i++) if ((labels[i] as number) >= 0.5) positives++;
  const negatives = labels.length - positives;
  // With one class absent there is nothing to balance: weights of 1 keep the loss unchanged.
  if (positives === 0 || negatives === 0) return [1, 1];
  return [labels.length / (2 * negatives), labels.length / (2 * positives)];
}

/** Yields to the event loop so an abort (or a worker message) can arrive between batches. */
function yieldToEventLoop(): Promise<void> {
  if (typeof setImmediate === 'function') return new Promise((resolve) => setImmediate(resolve));
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/**
 * Fills the batch with the rows order[from … from + size) of `train`: values, labels, class
 * weights, and each label into epochLabels at its batch position. A small function of its own
 * so that it is optimised early: the copy then moves floats without boxing them, and with no
 * subarray view per row.
 */
function gatherBatch(batch: TrainBatch, train: SequenceSet, order: readonly number[], from: number, size: number, w0: number, w1: number, epochLabels: Float32Array): void {
  const per = train.steps * train.features;
  const bx = batch.x;
  const tx = train.x;
  for (let r = 0; r < size; r++) {
    const row = order[from + r] as number;
    const src = row * per;
    const dst = r * per;
    for (let k = 0; k < per; k++) bx[dst + k] = tx[src + k] as number;
    const y = train.labels[row] as number;
    batch.y[r] = y;
    batch.sampleWeight[r] = y >= 0.5 ? w1 : w0;
    epochLabels[from + r] = y;
  }
}

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/**
 * Trains the model on `train`, reporting validation metrics on `validation` (also the set
 * early stopping watches; without it, early stopping watches the training loss).
 * Cancellation: when hooks.signal aborts, the run stops before its next batch and rejects
 * with a DOMException named 'AbortError' (test with isAbortError). A backend failure falls
 * back down hooks.ladder, or rejects with LstmBackendFailure when the ladder is exhausted.
 * It runs on hooks.lane (default: the TensorFlow.js lane, loaded on first use).
 */
export async function trainLstm(train: SequenceSet, validation: SequenceSet | null, options: LstmOptions, hooks: TrainHooks = {}): Promise<TrainedLstm> {
  validateOptions(options);
  validateSequences('train', train);
  if (validation) {
    validateSequences('validation', validation);
    if (validation.steps !== train.steps || validation.features !== train.features) {
      throw new LstmInputError('validation', `validation sequences are ${validation.steps} × ${validation.features}; training sequences are ${train.steps} × ${train.features}.`);
    }
  }
  const lane = hooks.lane ?? (await loadTfLane());
  let resume = hooks.resume ?? null;
  let ladder = hooks.ladder ?? [];
  for (;;) {
    try {
      return await trainOnBackend(lane, train, validation, options, hooks, resume);
    } catch (err) {
      if (!(err instanceof LstmBackendFailure)) throw err;
      const rest = ladder.includes(err.backend) ? ladderAfter(err.backend, ladder) : ladder.filter((b) => b !== err.backend);
      if (rest.length === 0) throw err;
      const to = await lane.select(rest);
      hooks.onBackendFallback?.({ from: err.backend, to, reason: err.message, epochsCompleted: err.resume.history.length });
      ladder = rest;
      resume = err.resume;
    }
  }
}

async function trainOnBackend(
  lane: LaneBackend,
  train: SequenceSet,
  validation: SequenceSet | null,
  options: LstmOptions,
  hooks: TrainHooks,
  resume: TrainResume | null,
): Promise<TrainedLstm> {
  const backend = lane.name();
  const engineName = chooseEngine(options, backend);
  const { steps, features, n } = train;
  const H = options.units;
  const batchSize = Math.min(options.batchSize, n);
  const config: EngineConfig = { steps, features, units: H, layers: options.layers, learningRate: options.learningRate, maxBatch: batchSize };
  const start = resume ? cloneWeights(resume.weights) : initLstmWeights({ features, units: H, layers: options.layers }, options.seed);
  const history: EpochRecord[] = resume ? resume.history.slice() : [];
  let best: BestSoFar | null = resume?.best ?? null;
  let lastWeights = start;
  const failure = (err: unknown): unknown => {
    if (isAbortError(err) || err instanceof LstmInputError) return err;
    const reason = err instanceof Error ? err.message : String(err);
    return new LstmBackendFailure(backend, reason, { weights: lastWeights, history: history.slice(), best });
  };
  let engine: LstmEngine;
  try {
    engine = await lane.createEngine(engineName, config, start);
  } catch (err) {
    throw failure(err);
  }
  const device = lane.watchDeviceLoss();
  const [w0, w1] = classWeights(train.labels, options.classWeight);
  const batches = Math.ceil(n / batchSize);
  const per = steps * features;
  const batch: TrainBatch = {
    x: new Float32Array(batchSize * per),
    y: new Float32Array(batchSize),
    sampleWeight: new Float32Array(batchSize),
    mask: options.dropout > 0 ? new Float32Array(batchSize * H) : null,
    size: 0,
  };
  const epochProbs = new Float32Array(n);
  const epochLabels = new Float32Array(n);
  const order: number[] = new Array<number>(n).fill(0);
  const keep = 1 - options.dropout;
  let stopped = false;
  try {
    for (let epoch = history.length + 1; epoch <= options.epochs && !stopped; epoch++) {
      const t0 = now();
      // One stream per epoch: a run resumed at epoch e shuffles and drops out exactly as an
      // uninterrupted run would from e on.
      const rng = createRng(deriveSeed(options.seed, `lstm-epoch-${epoch}`));
      // The same array every epoch, reset to 0..n−1 before its shuffle (the order a fresh array would give).
      for (let i = 0; i < n; i++) order[i] = i;
      rng.shuffle(order);
      let lossSum = 0;
      for (let b = 0; b < batches; b++) {
        if (hooks.signal?.aborted) throw abortError();
        const from = b * batchSize;
        const size = Math.min(batchSize, n - from);
        gatherBatch(batch, train, order, from, size, w0, w1, epochLabels);
        if (batch.mask) {
          for (let i = 0; i < size * H; i++) batch.mask[i] = rng.next() < options.dropout ? 0 : 1 / keep;
        }
        batch.size = size;
        let result;
        try {
          result = await engine.trainBatch(batch);
        } catch (err) {
          throw failure(err);
        }
        if (device.lost) throw failure(new Error(`WebGPU device lost: ${device.reason}`));
        lossSum += result.loss * size;
        epochProbs.set(result.probs.subarray(0, size), from);
        hooks.onProgress?.(((epoch - 1) * batches + b + 1) / (options.epochs * batches));
        await yieldToEventLoop();
      }
      if (hooks.signal?.aborted) throw abortError();
      let valLoss: number | null = null;
      let valAccuracy: number | null = null;
      let valAuc: number | null = null;
      if (validation) {
        let probs: Float32Array;
        try {
          probs = await engine.predict(validation.x, validation.n);
        } catch (err) {
          throw failure(err);
        }
        valLoss = meanBce(probs, validation.labels);
        valAccuracy = accuracy(probs, validation.labels);
        valAuc = rocAuc(probs, validation.labels);
      }
      const record: EpochRecord = {
        epoch,
        loss: lossSum / n,
        valLoss,
        accuracy: accuracy(epochProbs, epochLabels),
        valAccuracy,
        auc: rocAuc(epochProbs, epochLabels),
        valAuc,
        seconds: (now() - t0) / 1000,
      };
      try {
        lastWeights = await engine.getWeights();
      } catch (err) {
        throw failure(err);
      }
      history.push(record);
      if (options.patience > 0) {
        const monitor = valLoss ?? record.loss;
        if (!best || monitor < best.monitor) best = { epoch, monitor, weights: lastWeights, wait: 0 };
        else {
          best = { ...best, wait: best.wait + 1 };
          if (best.wait >= options.patience) stopped = true;
        }
      }
      hooks.onEpoch?.(record);
    }
  } finally {
    try {
      engine.dispose();
    } catch {
      // A lost device can fail to free its buffers; they go with the device.
    }
  }
  const restore = options.patience > 0 && best !== null;
  return {
    weights: restore && best ? best.weights : lastWeights,
    options: { ...options },
    steps,
    history,
    bestEpoch: restore && best ? best.epoch : history.length,
    epochsRun: history.length,
    backend,
    engine: engineName,
  };
}
