/**
 * The backend probe: trains batches of the model's own shape with the fast path on one backend
 * (one warm-up batch, then timed ones until the budget or enough batches) and reports samples
 * per second. The previously active backend is restored afterwards.
 */
import * as tf from '@tensorflow/tfjs';
import type { ProbeFigure, ProbeShape } from '../backend-choice.ts';
import { createRng } from '../random.ts';
import type { TrainBatch } from './engine.ts';
import { initLstmWeights } from './init.ts';
import { chooseEngine, createEngine } from './train.ts';

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/** Measures the fast path at `shape` on `backend` within about `budgetMs` (a batch already started finishes). */
export async function probeFastPath(backend: string, shape: ProbeShape, budgetMs: number): Promise<ProbeFigure> {
  const started = now();
  const previous = tf.getBackend();
  const figure: ProbeFigure = { backend, engine: '', samplesPerSecond: null, batches: 0, ms: 0, adapter: '', software: false, note: '' };
  try {
    if (!(await tf.setBackend(backend))) {
      figure.note = 'failed to initialise';
      return figure;
    }
    await tf.ready();
    const engineName = chooseEngine({ implementation: 'fast' }, backend);
    figure.engine = engineName;
    const { steps, features, units, layers, batchSize } = shape;
    const engine = await createEngine(engineName, { steps, features, units, layers, learningRate: 0.01, maxBatch: batchSize }, initLstmWeights({ features, units, layers }, 1));
    try {
      const rng = createRng(7);
      const batch: TrainBatch = {
        x: Float32Array.from({ length: batchSize * steps * features }, () => rng.next() - 0.5),
        y: Float32Array.from({ length: batchSize }, (_, i) => i % 2),
        sampleWeight: new Float32Array(batchSize).fill(1),
        mask: null,
        size: batchSize,
      };
      await engine.trainBatch(batch);
      const warm = now();
      if (warm - started > budgetMs) {
        figure.note = `warm-up batch took ${Math.round(warm - started)} ms, over the ${budgetMs} ms budget`;
        return figure;
      }
      // At least 3 timed batches and ~150 ms of them, within the budget.
      let t = warm;
      while (figure.batches < 3 || (t - warm < 150 && figure.batches < 200)) {
        await engine.trainBatch(batch);
        figure.batches++;
        t = now();
        if (t - started > budgetMs) break;
      }
      figure.samplesPerSecond = (figure.batches * batchSize) / ((t - warm) / 1000);
      if (figure.batches < 3) figure.note = `only ${figure.batches} timed batch(es) within the ${budgetMs} ms budget`;
    } finally {
      engine.dispose();
    }
    return figure;
  } catch (err) {
    figure.note = err instanceof Error ? err.message : String(err);
    return figure;
  } finally {
    figure.ms = now() - started;
    if (tf.getBackend() !== previous) await tf.setBackend(previous);
  }
}
