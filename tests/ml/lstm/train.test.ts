import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { isAbortError, LstmInputError } from '../../../src/ml/lstm/errors.ts';
import { NativeEngine } from '../../../src/ml/lstm/native-engine.ts';
import { initLstmWeights } from '../../../src/ml/lstm/init.ts';
import { predictLstm } from '../../../src/ml/lstm/predict.ts';
import { syntheticSequences } from '../../../src/ml/lstm/synthetic.ts';
import { classWeights, trainLstm } from '../../../src/ml/lstm/train.ts';
import type { EngineName, EpochRecord, LstmOptions, SequenceSet } from '../../../src/ml/lstm/types.ts';
import { subsetSequences } from '../../../src/ml/lstm/subset.ts';
import { selectBackend } from '../../../src/ml/tf-backend.ts';
import { meanBce } from '../../../src/ml/lstm/metrics.ts';

const data = syntheticSequences({ n: 160, steps: 5, features: 4 }, 3);
const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);
const train = subsetSequences(data, range(0, 128));
const val = subsetSequences(data, range(128, 160));

const base: LstmOptions = {
  units: 8,
  layers: 1,
  dropout: 0.2,
  epochs: 3,
  batchSize: 16,
  learningRate: 0.01,
  patience: 0,
  classWeight: 'none',
  seed: 7,
  implementation: 'fast',
};

/** History without the wall-clock seconds, which legitimately differ between runs. */
const metricsOf = (history: EpochRecord[]): Omit<EpochRecord, 'seconds'>[] => history.map(({ seconds: _s, ...rest }) => rest);

describe('trainLstm', () => {
  beforeAll(async () => {
    await selectBackend(['wasm']);
  });

  it.each<{ engine: EngineName; implementation: LstmOptions['implementation'] }>([
    { engine: 'native-simd', implementation: 'fast' },
    { engine: 'tfjs-ops', implementation: 'fast' },
    { engine: 'tfjs-layers', implementation: 'layers' },
  ])('is deterministic on wasm with a seed: $engine gives identical history and predictions in two runs', async ({ engine, implementation }) => {
    const options: LstmOptions = { ...base, implementation, ...(implementation === 'fast' ? { engine } : {}) };
    const a = await trainLstm(train, val, options);
    const b = await trainLstm(train, val, options);
    expect(a.engine).toBe(engine);
    expect(a.backend).toBe('wasm');
    expect(metricsOf(a.history)).toEqual(metricsOf(b.history));
    const pa = await predictLstm(a, val.x, val.n, val.steps, val.features);
    const pb = await predictLstm(b, val.x, val.n, val.steps, val.features);
    expect(Array.from(pa)).toEqual(Array.from(pb));
  });

  it('trains the same model whichever implementation runs it (same seed → same initial weights, masks and order)', async () => {
    const runs = await Promise.all(
      (['native-simd', 'tfjs-ops', 'tfjs-layers'] as const).map((engine) =>
        trainLstm(train, val, { ...base, epochs: 4, ...(engine === 'tfjs-layers' ? { implementation: 'layers' } : { engine }) }),
      ),
    );
    const [native, ops, layers] = runs.map((r) => r.history[r.history.length - 1]);
    for (const other of [ops, layers]) {
      expect(other?.loss).toBeCloseTo(native?.loss ?? Number.NaN, 3);
      expect(Math.abs((other?.valAuc ?? 0) - (native?.valAuc ?? 1))).toBeLessThan(0.01);
    }
  });

  it('learns the synthetic label: validation AUC rises well above chance', async () => {
    const model = await trainLstm(train, val, { ...base, epochs: 12, dropout: 0 });
    const first = model.history[0]?.valAuc ?? 1;
    const last = model.history[model.history.length - 1]?.valAuc ?? 0;
    expect(last).toBeGreaterThan(0.75);
    expect(last).toBeGreaterThan(first);
  });

  it.each(['tfjs-ops', 'tfjs-layers'] as const)('keeps tf.memory().numTensors flat across epochs with %s', async (engine) => {
    const counts: number[] = [];
    await trainLstm(train, val, { ...base, epochs: 4, ...(engine === 'tfjs-layers' ? { implementation: 'layers' } : { engine }) }, {
      onEpoch: () => counts.push(tf.memory().numTensors),
    });
    expect(counts.length).toBe(4);
    expect(new Set(counts).size).toBe(1);
  });

  it('leaves no tensors behind after a run', async () => {
    const before = tf.memory().numTensors;
    await trainLstm(train, val, { ...base, engine: 'tfjs-ops', epochs: 1 });
    await trainLstm(train, val, { ...base, implementation: 'layers', epochs: 1 });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stops early after `patience` epochs without improvement and restores the best epoch\'s weights', async () => {
    // A large learning rate on a small set overfits quickly, so validation loss turns up.
    const model = await trainLstm(train, val, { ...base, units: 16, dropout: 0, learningRate: 0.08, epochs: 40, patience: 2 });
    const losses = model.history.map((h) => h.valLoss ?? Number.NaN);
    const bestLoss = Math.min(...losses);
    expect(model.epochsRun).toBeLessThan(40);
    expect(model.bestEpoch).toBe(losses.indexOf(bestLoss) + 1);
    expect(model.epochsRun).toBe(model.bestEpoch + 2);
    const probs = await predictLstm(model, val.x, val.n, val.steps, val.features);
    expect(meanBce(probs, val.labels)).toBeCloseTo(bestLoss, 5);
  });

  it('without validation, early stopping watches the training loss', async () => {
    const model = await trainLstm(train, null, { ...base, epochs: 5, patience: 1 });
    expect(model.history.every((h) => h.valLoss === null && h.valAuc === null)).toBe(true);
    expect(model.bestEpoch).toBe(model.history.findIndex((h) => h.loss === Math.min(...model.history.map((r) => r.loss))) + 1);
  });

  it('balanced class weights give each class n / (2 · count)', () => {
    const labels = Float32Array.from([1, 0, 0, 0, 0, 0, 0, 1]);
    expect(classWeights(labels, 'balanced')).toEqual([8 / 12, 8 / 4]);
    expect(classWeights(labels, 'none')).toEqual([1, 1]);
    expect(classWeights(Float32Array.from([0, 0]), 'balanced')).toEqual([1, 1]);
  });

  it('class weights scale each sample\'s loss: weighting positives by 3 adds twice their loss to the batch', async () => {
    const weights = initLstmWeights({ features: 4, units: 8, layers: 1 }, 1);
    const size = 16;
    const batch = (w: (y: number) => number) => ({
      x: train.x.slice(0, size * 20),
      y: train.labels.slice(0, size),
      sampleWeight: Float32Array.from(train.labels.slice(0, size), w),
      mask: null,
      size,
    });
    const config = { steps: 5, features: 4, units: 8, layers: 1, learningRate: 0.01, maxBatch: size };
    const plain = await (await NativeEngine.create(config, weights)).trainBatch(batch(() => 1));
    const weighted = await (await NativeEngine.create(config, weights)).trainBatch(batch((y) => (y === 1 ? 3 : 1)));
    let positiveLoss = 0;
    for (let i = 0; i < size; i++) {
      const p = plain.probs[i] as number;
      if (train.labels[i] === 1) positiveLoss -= Math.log(p);
    }
    expect(positiveLoss).toBeGreaterThan(0);
    expect(weighted.loss).toBeCloseTo(plain.loss + (2 * positiveLoss) / size, 5);
  });

  it('balanced class weights raise the scores of a rare class', async () => {
    const labels = Float32Array.from(train.labels, (y, i) => (y === 1 && i % 3 !== 0 ? 0 : y));
    const rare: SequenceSet = { ...train, labels };
    const plain = await trainLstm(rare, null, { ...base, epochs: 4 });
    const balanced = await trainLstm(rare, null, { ...base, epochs: 4, classWeight: 'balanced' });
    const mean = (p: Float32Array): number => p.reduce((s, v) => s + v, 0) / p.length;
    const pPlain = await predictLstm(plain, rare.x, rare.n, rare.steps, rare.features);
    const pBalanced = await predictLstm(balanced, rare.x, rare.n, rare.steps, rare.features);
    expect(mean(pBalanced)).toBeGreaterThan(mean(pPlain) + 0.05);
  });

  it('stops within one batch when cancelled and rejects with an AbortError', async () => {
    const controller = new AbortController();
    let batchesAfterAbort = -1;
    const run = trainLstm(train, val, { ...base, epochs: 50 }, {
      signal: controller.signal,
      onProgress: () => {
        if (controller.signal.aborted) batchesAfterAbort++;
        else if (batchesAfterAbort < 0) {
          batchesAfterAbort = 0;
          // Abort from a separate task, as a worker message would.
          setTimeout(() => controller.abort(), 0);
        }
      },
    });
    const error = await run.then(
      () => null,
      (e: unknown) => e,
    );
    expect(isAbortError(error)).toBe(true);
    expect(error).toBeInstanceOf(DOMException);
    expect(batchesAfterAbort).toBeLessThanOrEqual(1);
  });

  it.each<[string, Partial<LstmOptions>, string]>([
    ['units', { units: 0 }, 'units must be an integer ≥ 1, got 0.'],
    ['dropout', { dropout: 1 }, 'dropout must be in [0, 1), got 1.'],
    ['learningRate', { learningRate: -1 }, 'learningRate must be a positive number, got -1.'],
    ['batchSize', { batchSize: 2.5 }, 'batchSize must be an integer ≥ 1, got 2.5.'],
  ])('rejects an invalid %s with a message naming it', async (param, patch, message) => {
    const error = await trainLstm(train, null, { ...base, ...patch }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LstmInputError);
    expect(error).toMatchObject({ param, message });
  });

  it('rejects non-finite inputs and non-binary labels, naming the row', async () => {
    const x = train.x.slice();
    x[2 * 20 + 3] = Number.NaN;
    await expect(trainLstm({ ...train, x }, null, base)).rejects.toThrow('train.x holds NaN at row 2; sequences must be finite numbers.');
    const labels = train.labels.slice();
    labels[5] = 0.5;
    await expect(trainLstm({ ...train, labels }, null, base)).rejects.toThrow('train.labels holds 0.5 at row 5; labels must be 0 or 1.');
  });
});
