/** The TensorFlow.js lane: the active tfjs backend, every engine family, and the backend ladder. */
import * as tf from '@tensorflow/tfjs';
import { selectBackend, watchDeviceLoss } from '../tf-backend.ts';
import type { EngineConfig, LstmEngine } from './engine.ts';
import { LstmInputError } from './errors.ts';
import { createNativeEngine, type LaneBackend } from './lane.ts';
import { LayersEngine } from './layers-engine.ts';
import { TfjsFastEngine } from './tfjs-fast.ts';
import type { EngineName, LstmWeights } from './types.ts';

/** Builds the engine of the given family on the active tfjs backend. */
export async function createEngine(name: EngineName, config: EngineConfig, weights: LstmWeights): Promise<LstmEngine> {
  switch (name) {
    case 'native-simd':
      return createNativeEngine(config, weights);
    case 'tfjs-ops':
      return new TfjsFastEngine(config, weights);
    case 'tfjs-layers':
      return new LayersEngine(config, weights);
    default: {
      const bad: never = name;
      throw new LstmInputError('engine', `unknown engine ${JSON.stringify(bad)}.`);
    }
  }
}

/** The lane of a thread that has TensorFlow.js loaded. */
export const tfLane: LaneBackend = {
  name: () => tf.getBackend(),
  createEngine,
  select: async (ladder) => (await selectBackend(ladder)).backend,
  watchDeviceLoss,
};
