/**
 * The backend probe: trains batches of the model's own shape with the fast path on one backend
 * (one warm-up batch, then timed ones until the budget or enough batches) and reports samples
 * per second. The previously active backend is restored afterwards.
 */
import * as tf from '@tensorflow/tfjs';
import type { TaskSpec } from '../../engine/parallel.ts';
import type { ProbeFigure, ProbeShape } from '../backend-choice.ts';
import { createRng } from '../random.ts';
import type { TrainBatch } from './engine.ts';
import { initLstmWeights } from './init.ts';
import { chooseEngine } from './lane.ts';
import { createEngine } from './tf-lane.ts';

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
    let release = (): void => engine.dispose();
    try {
      const rng = createRng(7);
      const batch: TrainBatch = {
        x: Float32Array.from({ length: batchSize * steps * features }, () => rng.next() - 0.5),
        y: Float32Array.from({ length: batchSize }, (_, i) => i % 2),
        sampleWeight: new Float32Array(batchSize).fill(1),
        mask: null,
        size: batchSize,
      };
      // The warm-up (shader compilation on a GPU backend) may outlast the budget: stop waiting
      // for it then, and free the engine whenever that batch does finish.
      const warmup = engine.trainBatch(batch);
      const left = Math.max(0, budgetMs - (now() - started));
      let timer: ReturnType<typeof setTimeout> | undefined;
      const finished = await Promise.race([warmup.then(() => true), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), left)))]);
      clearTimeout(timer);
      const warm = now();
      if (!finished || warm - started > budgetMs) {
        figure.note = `no warm-up batch within the ${budgetMs} ms budget`;
        if (!finished) {
          release = () => undefined;
          void warmup.then(() => engine.dispose(), () => engine.dispose());
        }
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
      release();
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

/** What the probe task needs. */
export interface ProbeTaskInput {
  /** Backend to measure. */
  backend: string;
  /** The model's shape. */
  shape: ProbeShape;
  /** Budget in ms. */
  budgetMs: number;
}

function isProbeFigureValue(v: unknown): v is ProbeFigure {
  if (typeof v !== 'object' || v === null) return false;
  const f: Record<string, unknown> = { ...v };
  return typeof f.backend === 'string' && typeof f.engine === 'string' && (f.samplesPerSecond === null || typeof f.samplesPerSecond === 'number') && typeof f.ms === 'number' && typeof f.note === 'string';
}

/** The probe as a pool task, so the page can run it in a worker it may stop at the budget. */
export const lstmProbeTask: TaskSpec<ProbeTaskInput, ProbeFigure, never> = {
  name: 'lstm.probe',
  run: (input) => probeFastPath(input.backend, input.shape, input.budgetMs),
  isOutput: isProbeFigureValue,
  isReport: (v): v is never => false,
};
