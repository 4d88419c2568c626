/**
 * What the training loop and inference need of the backend a lane computes on, without
 * importing TensorFlow.js: the active backend's name, engines, a fallback, a device watch.
 * On wasm and cpu the fast path is the native kernels (./native-engine.ts), which need no
 * tfjs at all, so a pool worker trains on a native lane and loads tfjs (./tf-lane.ts) only
 * when a backend fails or a task asks for a tfjs engine.
 */
import type { DeviceWatch } from '../tf-backend.ts';
import type { EngineConfig, LstmEngine } from './engine.ts';
import { LstmInputError } from './errors.ts';
import { NativeEngine } from './native-engine.ts';
import { nativeKernelsSupported } from './native-kernels.ts';
import type { EngineName, LstmOptions, LstmWeights } from './types.ts';

/** The backend a lane trains and predicts on. */
export interface LaneBackend {
  /** The active backend's name (recorded as TrainedLstm.backend). */
  name(): string;
  /** Builds an engine of the family `name` on the active backend. */
  createEngine(name: EngineName, config: EngineConfig, weights: LstmWeights): Promise<LstmEngine>;
  /** Activates the first backend of `ladder` that starts (after a failure); resolves to its name. */
  select(ladder: string[]): Promise<string>;
  /** Watches the active device for loss. */
  watchDeviceLoss(): DeviceWatch;
}

/** Loads the TensorFlow.js lane (and whatever the host must set up before tfjs starts). */
export type TfLaneLoader = () => Promise<LaneBackend>;

/** Backends on which the native WebAssembly kernels stand in for tfjs ops. */
const NATIVE_BACKENDS = new Set(['wasm', 'cpu']);

/** The kernel family `options` selects on `backend`. */
export function chooseEngine(options: Pick<LstmOptions, 'implementation' | 'engine'>, backend: string): EngineName {
  switch (options.implementation) {
    case 'layers':
      return 'tfjs-layers';
    case 'fast':
      if (options.engine === 'tfjs-layers') {
        throw new LstmInputError('engine', `engine "tfjs-layers" needs implementation "layers", got implementation "fast".`);
      }
      if (options.engine) return options.engine;
      return NATIVE_BACKENDS.has(backend) && nativeKernelsSupported() ? 'native-simd' : 'tfjs-ops';
    default: {
      const bad: never = options.implementation;
      throw new LstmInputError('implementation', `implementation must be "fast" or "layers", got ${JSON.stringify(bad)}.`);
    }
  }
}

/** Whether training with `options` on `backend` runs on the native kernels alone (no tfjs needed). */
export function trainsNatively(options: Pick<LstmOptions, 'implementation' | 'engine'>, backend: string): boolean {
  if (!NATIVE_BACKENDS.has(backend)) return false;
  try {
    return chooseEngine(options, backend) === 'native-simd';
  } catch {
    // A bad engine choice is reported by the training's own validation.
    return false;
  }
}

/** The TensorFlow.js lane, loaded when first needed. */
export const loadTfLane: TfLaneLoader = async () => (await import('./tf-lane.ts')).tfLane;

/** A native engine, or the declared error where WebAssembly SIMD is missing. */
export async function createNativeEngine(config: EngineConfig, weights: LstmWeights): Promise<LstmEngine> {
  if (!nativeKernelsSupported()) throw new LstmInputError('engine', 'engine "native-simd" needs WebAssembly with SIMD, which this environment lacks.');
  return NativeEngine.create(config, weights);
}

const neverLost = (): DeviceWatch => ({ lost: false, reason: '' });

/**
 * A lane on `backend` (wasm or cpu) that builds native engines without tfjs. Anything else (a
 * tfjs engine, a fallback after a failure) loads the tfjs lane with `load` and hands over to it.
 */
export function nativeLane(backend: string, load: TfLaneLoader = loadTfLane): LaneBackend {
  let full: LaneBackend | null = null;
  const tf = async (): Promise<LaneBackend> => (full ??= await load());
  return {
    name: () => (full ? full.name() : backend),
    createEngine: async (name, config, weights) => {
      if (!full && name === 'native-simd') return createNativeEngine(config, weights);
      return (await tf()).createEngine(name, config, weights);
    },
    select: async (ladder) => (await tf()).select(ladder),
    watchDeviceLoss: () => (full ? full.watchDeviceLoss() : neverLost()),
  };
}
