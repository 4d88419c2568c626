/** Inference with a trained model or plain weights, on a lane's backend (default: the active tfjs backend). */
import { LstmInputError } from './errors.ts';
import { chooseEngine, loadTfLane, type LaneBackend } from './lane.ts';
import type { LstmWeights, TrainedLstm } from './types.ts';

function isTrained(model: TrainedLstm | LstmWeights): model is TrainedLstm {
  return 'weights' in model;
}

/** A model ready to score batches again and again (one engine, its kernels and buffers made once). */
export interface LstmPredictor {
  /** Probabilities for n sequences x [n, steps, features] (row-major). */
  predict(x: Float32Array, n: number): Promise<Float32Array>;
  /** Frees the engine's memory. */
  dispose(): void;
}

/**
 * A predictor for `weights` on `lane` (default: the active tfjs backend), for batches of up to
 * `rows` sequences at a time per engine call (larger inputs are scored in chunks). Uses the fast
 * path: the native kernels on wasm/cpu where WebAssembly SIMD exists, tfjs ops elsewhere.
 */
export async function createPredictor(model: TrainedLstm | LstmWeights, steps: number, features: number, rows: number, lane?: LaneBackend): Promise<LstmPredictor> {
  const weights = isTrained(model) ? model.weights : model;
  if (weights.features !== features) {
    throw new LstmInputError('features', `the model expects ${weights.features} features per step, got ${features}.`);
  }
  const first = weights.layers[0];
  if (!first) throw new LstmInputError('model', 'the model has no LSTM layer.');
  const on = lane ?? (await loadTfLane());
  const engineName = chooseEngine({ implementation: 'fast' }, on.name());
  // Activations take ~12·steps·units floats per row and layer: cap a chunk at ~64 MB.
  const perRow = 12 * steps * Math.max(first.units, features) * weights.layers.length;
  const maxBatch = Math.max(1, Math.min(Math.max(1, rows), 512, Math.floor(16_000_000 / perRow)));
  const engine = await on.createEngine(engineName, { steps, features, units: first.units, layers: weights.layers.length, learningRate: 0, maxBatch }, weights);
  return {
    predict: async (x, n) => {
      if (x.length !== n * steps * features) {
        throw new LstmInputError('x', `x has ${x.length} values; n × steps × features = ${n} × ${steps} × ${features} = ${n * steps * features}.`);
      }
      return n === 0 ? new Float32Array(0) : engine.predict(x, n);
    },
    dispose: () => engine.dispose(),
  };
}

/**
 * Probabilities for n sequences x [n, steps, features] (row-major), by a predictor made for
 * this call on `lane` (see createPredictor).
 */
export async function predictLstm(model: TrainedLstm | LstmWeights, x: Float32Array, n: number, steps: number, features: number, lane?: LaneBackend): Promise<Float32Array> {
  const weights = isTrained(model) ? model.weights : model;
  if (weights.features !== features) {
    throw new LstmInputError('features', `the model expects ${weights.features} features per step, got ${features}.`);
  }
  if (x.length !== n * steps * features) {
    throw new LstmInputError('x', `x has ${x.length} values; n × steps × features = ${n} × ${steps} × ${features} = ${n * steps * features}.`);
  }
  if (!weights.layers[0]) throw new LstmInputError('model', 'the model has no LSTM layer.');
  if (n === 0) return new Float32Array(0);
  const predictor = await createPredictor(weights, steps, features, n, lane);
  try {
    return await predictor.predict(x, n);
  } finally {
    predictor.dispose();
  }
}
