import { describe, expect, it } from 'vitest';
import type { TrainBatch } from '../../../src/ml/lstm/engine.ts';
import { initLstmWeights } from '../../../src/ml/lstm/init.ts';
import { NativeEngine, NativeLstm } from '../../../src/ml/lstm/native-engine.ts';
import { acquireNativeKernels, releaseNativeKernels } from '../../../src/ml/lstm/native-kernels.ts';
import { syntheticSequences } from '../../../src/ml/lstm/synthetic.ts';
import type { LstmWeights } from '../../../src/ml/lstm/types.ts';

const steps = 6;
const features = 5;
const data = syntheticSequences({ n: 96, steps, features }, 11);

/** Trains `batches` steps of 32 rows (with a dropout mask) and returns every batch's probabilities and the weights. */
async function trainSteps(engine: NativeEngine, batches: number, units: number): Promise<{ probs: number[][]; losses: number[]; weights: LstmWeights }> {
  const size = 32;
  const per = steps * features;
  const probs: number[][] = [];
  const losses: number[] = [];
  for (let b = 0; b < batches; b++) {
    const from = (b * size) % data.n;
    const batch: TrainBatch = {
      x: data.x.slice(from * per, (from + size) * per),
      y: data.labels.slice(from, from + size),
      sampleWeight: new Float32Array(size).fill(1),
      mask: Float32Array.from({ length: size * units }, (_, i) => (i % 7 === 0 ? 0 : 1.25)),
      size,
    };
    const result = await engine.trainBatch(batch);
    probs.push(Array.from(result.probs));
    losses.push(result.loss);
  }
  return { probs, losses, weights: await engine.getWeights() };
}

const bits = (w: LstmWeights): number[] => [...w.layers.flatMap((l) => [...l.kernel, ...l.recurrentKernel, ...l.bias]), ...w.dense.kernel, ...w.dense.bias];

describe('native kernels reused across engines', () => {
  it('an engine on memory another engine released (dirty, and grown for a larger shape) trains bit-identically to one on fresh memory', async () => {
    // A bigger model first fills more memory with its activations, moments and weights, then releases it.
    const big = await NativeEngine.create({ steps, features, units: 12, layers: 2, learningRate: 0.05, maxBatch: 32 }, initLstmWeights({ features, units: 12, layers: 2 }, 3));
    await trainSteps(big, 3, 12);
    big.dispose();

    const config = { steps, features, units: 8, layers: 1, learningRate: 0.01, maxBatch: 32 };
    const start = initLstmWeights({ features, units: 8, layers: 1 }, 5);
    const reused = await NativeEngine.create(config, start);
    const fresh = new NativeEngine(new NativeLstm(config, start));
    const a = await trainSteps(reused, 6, 8);
    const b = await trainSteps(fresh, 6, 8);
    reused.dispose();
    expect(a.losses.every((loss, i) => Object.is(loss, b.losses[i]))).toBe(true);
    expect(a.probs.flat().every((p, i) => Object.is(p, b.probs.flat()[i]))).toBe(true);
    expect(bits(a.weights).every((v, i) => Object.is(v, bits(b.weights)[i]))).toBe(true);
  });

  it('hands a released set to the next acquirer, cleared up to the bytes asked for, and never to two engines at once (a second dispose gives nothing back)', async () => {
    const first = await acquireNativeKernels(1 << 16);
    new Float32Array(first.memory.buffer).fill(3);
    releaseNativeKernels(first);
    const again = await acquireNativeKernels(1 << 17);
    expect(again).toBe(first);
    expect(again.memory.buffer.byteLength).toBeGreaterThanOrEqual(1 << 17);
    expect(new Float32Array(again.memory.buffer, 0, (1 << 17) / 4).every((v) => v === 0)).toBe(true);
    const other = await acquireNativeKernels(1 << 16);
    expect(other).not.toBe(again);

    // A model released twice, the second time after another took its memory, must not hand that memory out again.
    const lstm = await NativeLstm.create({ steps, features, units: 4, layers: 1, learningRate: 0, maxBatch: 8 }, initLstmWeights({ features, units: 4, layers: 1 }, 1));
    lstm.release();
    const taken = await acquireNativeKernels(0);
    lstm.release();
    const next = await acquireNativeKernels(0);
    expect(next).not.toBe(taken);
  });
});
