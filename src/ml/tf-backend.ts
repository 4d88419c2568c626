/**
 * TensorFlow.js backend activation: walks a ladder (./backend-ladder.ts, the one definition
 * of the order) and keeps the first backend that initialises and computes.
 * Importing this module registers the webgpu and wasm backends with tfjs.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { defaultLadder } from './backend-ladder.ts';

export { defaultLadder, isNode } from './backend-ladder.ts';

/** Options for selectBackend. */
export interface SelectBackendOptions {
  /**
   * Where the tfjs wasm binaries are served from, passed to tfjs' setWasmPaths before the
   * wasm backend starts: a URL prefix ending in '/', or a map from file name
   * ('tfjs-backend-wasm.wasm', '-simd.wasm', '-threaded-simd.wasm') to URL. Not needed in
   * Node, where the backend finds its files in node_modules.
   */
  wasmPaths?: string | Record<string, string>;
}

/** Outcome of a backend selection. */
export interface BackendSelection {
  /** The backend now active. */
  backend: string;
  /** Every backend tried, in order, with the reason it was skipped. */
  tried: { name: string; error?: string }[];
}

let wasmPathsSet = false;

/** Sets where the tfjs wasm binaries are served from, for every later selectBackend (the page's workers call it once). */
export function configureWasmPaths(paths: string | Record<string, string>): void {
  if (wasmPathsSet) return;
  if (typeof paths === 'string') setWasmPaths(paths);
  else setWasmPaths(paths);
  wasmPathsSet = true;
}

/**
 * Activates the first backend of the ladder that initialises and runs a small computation.
 * Throws an Error listing every failure when none works.
 */
export async function selectBackend(ladder: string[] = defaultLadder(), options: SelectBackendOptions = {}): Promise<BackendSelection> {
  if (options.wasmPaths !== undefined) configureWasmPaths(options.wasmPaths);
  const tried: { name: string; error?: string }[] = [];
  for (const name of ladder) {
    if (!tf.findBackendFactory(name) && !tf.findBackend(name)) {
      tried.push({ name, error: 'not available in this environment' });
      continue;
    }
    try {
      const ok = await tf.setBackend(name);
      if (!ok) {
        tried.push({ name, error: 'failed to initialise' });
        continue;
      }
      await tf.ready();
      // A backend can initialise and still lack kernels or a working device: compute once.
      const probe = tf.tidy(() => tf.sum(tf.matMul(tf.ones([2, 3]), tf.ones([3, 2]))));
      const value = (await probe.data())[0];
      probe.dispose();
      if (value !== 12) {
        tried.push({ name, error: `computed ${String(value)} instead of 12` });
        continue;
      }
      tried.push({ name });
      return { backend: name, tried };
    } catch (err) {
      tried.push({ name, error: err instanceof Error ? err.message : String(err) });
    }
  }
  throw new Error(`No TensorFlow.js backend could start: ${tried.map((t) => `${t.name} (${t.error ?? 'unknown'})`).join('; ')}.`);
}

/** Status of a GPU device watched for loss. */
export interface DeviceWatch {
  /** Whether the device has been lost since the watch began. */
  lost: boolean;
  /** The browser's reason message when lost. */
  reason: string;
}

/**
 * Watches the active WebGPU device for loss (other backends: a watch that never fires).
 * Work submitted to a lost device silently does nothing, so a training loop checks this
 * flag after each batch instead of waiting for a read to fail.
 */
export function watchDeviceLoss(): DeviceWatch {
  const watch: DeviceWatch = { lost: false, reason: '' };
  const backend: unknown = tf.backend();
  if (typeof backend === 'object' && backend !== null && 'device' in backend) {
    const device: unknown = backend.device;
    if (typeof device === 'object' && device !== null && 'lost' in device && device.lost instanceof Promise) {
      device.lost.then((info: unknown) => {
        watch.lost = true;
        watch.reason = typeof info === 'object' && info !== null && 'message' in info ? String(info.message) : 'device lost';
      });
    }
  }
  return watch;
}
