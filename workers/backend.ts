/**
 * TensorFlow.js backend ladder for the browser worker: webgpu → webgl → wasm → cpu. The first
 * backend that initialises and passes a small computation check is used; every attempt and
 * its failure reason is reported to the page.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { BackendInfo } from '../src/engine/service.ts';

/** The default order in which backends are tried. */
export const defaultLadder = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;

// Served by Vite from node_modules in dev and copied as hashed assets in the build.
setWasmPaths({
  'tfjs-backend-wasm.wasm': new URL(wasmPlain, self.location.href).href,
  'tfjs-backend-wasm-simd.wasm': new URL(wasmSimd, self.location.href).href,
  'tfjs-backend-wasm-threaded-simd.wasm': new URL(wasmThreaded, self.location.href).href,
});

/** Checks that a backend computes a known matrix product correctly. */
async function sanityCheck(): Promise<void> {
  const result = tf.tidy(() => tf.matMul(tf.tensor2d([[1, 2], [3, 4]]), tf.tensor2d([[5, 6], [7, 8]])));
  const values = await result.data();
  result.dispose();
  const expected = [19, 22, 43, 50];
  if (!expected.every((v, i) => Math.abs((values[i] ?? NaN) - v) < 1e-4)) throw new Error(`wrong result ${Array.from(values).join(',')}`);
}

/** Tries each backend in order; returns the first that works, and what was tried. */
export async function selectBackend(ladder: readonly string[] = defaultLadder): Promise<BackendInfo> {
  const tried: BackendInfo['tried'] = [];
  for (const name of ladder) {
    try {
      if (name === 'webgpu' && !('gpu' in navigator)) throw new Error('navigator.gpu is not available');
      if (name === 'webgl' && typeof OffscreenCanvas === 'undefined') throw new Error('OffscreenCanvas is not available in this worker');
      const ok = await tf.setBackend(name);
      if (!ok) throw new Error('initialisation failed');
      await tf.ready();
      await sanityCheck();
      tried.push({ name });
      return { backend: tf.getBackend(), tried };
    } catch (err) {
      tried.push({ name, error: err instanceof Error ? err.message : String(err) });
    }
  }
  return { backend: 'none', tried };
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
