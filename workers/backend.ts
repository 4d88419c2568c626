/**
 * The worker's TensorFlow.js backend: the ladder webgpu → webgl → wasm → cpu of
 * src/ml/tf-backend.ts, with the wasm binaries served by Vite, plus a self-test the page
 * can call.
 */
import * as tf from '@tensorflow/tfjs';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { BackendInfo } from '../src/engine/service.ts';
import { defaultLadder, selectBackend as selectFromLadder } from '../src/ml/tf-backend.ts';

// Served by Vite from node_modules in dev and copied as hashed assets in the build.
const wasmPaths = {
  'tfjs-backend-wasm.wasm': new URL(wasmPlain, self.location.href).href,
  'tfjs-backend-wasm-simd.wasm': new URL(wasmSimd, self.location.href).href,
  'tfjs-backend-wasm-threaded-simd.wasm': new URL(wasmThreaded, self.location.href).href,
};

/** Tries each backend in order; returns the first that works, and what was tried. */
export async function selectBackend(ladder: readonly string[] = defaultLadder()): Promise<BackendInfo> {
  try {
    return await selectFromLadder([...ladder], { wasmPaths });
  } catch (err) {
    return { backend: 'none', tried: [{ name: ladder.join(' → '), error: err instanceof Error ? err.message : String(err) }] };
  }
}

/** Multiplies two small matrices on the current backend (used by the page's self-test). */
export async function selfTest(): Promise<{ backend: string; product: number[] }> {
  const a = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
  const b = tf.tensor2d([[7, 8], [9, 10], [11, 12]]);
  const c = tf.matMul(a, b);
  const product = Array.from(await c.data());
  tf.dispose([a, b, c]);
  return { backend: tf.getBackend(), product };
}
