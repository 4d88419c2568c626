/**
 * The worker's TensorFlow.js backend: the ladder of src/ml/backend-ladder.ts walked by
 * src/ml/tf-backend.ts with the wasm binaries served by Vite; the device behind each backend
 * (WebGPU adapter info, WebGL renderer) so a software rasteriser is never taken over wasm on
 * rank alone; the measured choice per model shape, cached in memory and IndexedDB; and a
 * self-test the page can call.
 */
import * as tf from '@tensorflow/tfjs';
import { openDB } from 'idb';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { BackendInfo } from '../src/engine/service.ts';
import { defaultLadder } from '../src/ml/backend-ladder.ts';
import { chooseBackend, isBackendChoice, isSoftwareAdapter, memoryProbeCache, type BackendChoice, type MeasureBackend, type ProbeCache, type ProbeFigure, type ProbeShape } from '../src/ml/backend-choice.ts';
import { lstmProbeTask, probeFastPath } from '../src/ml/lstm/probe.ts';
import { WorkerPool, type TaskReply } from '../src/engine/parallel.ts';
import { configureWasmPaths, selectBackend as selectFromLadder } from '../src/ml/tf-backend.ts';

// Served by Vite from node_modules in dev and copied as hashed assets in the build.
configureWasmPaths({
  'tfjs-backend-wasm.wasm': new URL(wasmPlain, self.location.href).href,
  'tfjs-backend-wasm-simd.wasm': new URL(wasmSimd, self.location.href).href,
  'tfjs-backend-wasm-threaded-simd.wasm': new URL(wasmThreaded, self.location.href).href,
});

const devices = new Map<string, Promise<{ adapter: string; software: boolean }>>();

function field(o: object, key: string): unknown {
  return key in o ? Reflect.get(o, key) : undefined;
}

async function describeWebGpu(): Promise<{ adapter: string; software: boolean }> {
  const gpu = field(navigator, 'gpu');
  if (typeof gpu !== 'object' || gpu === null) return { adapter: 'no navigator.gpu', software: false };
  const request = field(gpu, 'requestAdapter');
  if (typeof request !== 'function') return { adapter: 'no requestAdapter', software: false };
  const adapter: unknown = await Reflect.apply(request, gpu, []);
  if (typeof adapter !== 'object' || adapter === null) return { adapter: 'no adapter', software: false };
  const info = field(adapter, 'info');
  const parts = typeof info === 'object' && info !== null ? ['vendor', 'architecture', 'device', 'description'].map((k) => field(info, k)).filter((v): v is string => typeof v === 'string' && v.length > 0) : [];
  const fallback = field(adapter, 'isFallbackAdapter') === true || (typeof info === 'object' && info !== null && field(info, 'isFallbackAdapter') === true);
  const text = parts.join(' ') || 'unknown adapter';
  return { adapter: text, software: fallback || isSoftwareAdapter(text) };
}

function describeWebGl(): { adapter: string; software: boolean } {
  if (typeof OffscreenCanvas === 'undefined') return { adapter: 'no OffscreenCanvas', software: false };
  const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
  if (!gl) return { adapter: 'no webgl2 context', software: false };
  const ext = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER);
  const text = typeof renderer === 'string' ? renderer : 'unknown renderer';
  return { adapter: text, software: isSoftwareAdapter(text) };
}

/** The device behind a backend: adapter or renderer name, and whether it is a software rasteriser. */
export function describeBackend(backend: string): Promise<{ adapter: string; software: boolean }> {
  let known = devices.get(backend);
  if (!known) {
    const look = async (): Promise<{ adapter: string; software: boolean }> => {
      try {
        if (backend === 'webgpu') return await describeWebGpu();
        if (backend === 'webgl') return describeWebGl();
        if (backend === 'wasm') return { adapter: `wasm simd, ${navigator.hardwareConcurrency} cores`, software: false };
        return { adapter: backend, software: false };
      } catch (err) {
        return { adapter: `unknown (${err instanceof Error ? err.message : String(err)})`, software: false };
      }
    };
    known = look();
    devices.set(backend, known);
  }
  return known;
}

/**
 * Tries each backend in order and keeps the first that works. Unless `forced`, a software
 * GPU (SwiftShader, llvmpipe) is passed over for wasm here: it is only used when the LSTM's
 * probe measures it faster.
 */
export async function selectBackend(ladder: readonly string[] = defaultLadder(), forced = false): Promise<BackendInfo> {
  try {
    const first = await selectFromLadder([...ladder]);
    if (forced || first.backend === 'wasm' || first.backend === 'cpu' || !ladder.includes('wasm')) return first;
    const device = await describeBackend(first.backend);
    if (!device.software) return first;
    const rest = await selectFromLadder(ladder.slice(ladder.indexOf('wasm')));
    const passed = { name: first.backend, error: `software adapter (${device.adapter}): used only where the LSTM probe measures it faster than wasm` };
    return { backend: rest.backend, tried: [...first.tried.slice(0, -1), passed, ...rest.tried] };
  } catch (err) {
    return { backend: 'none', tried: [{ name: ladder.join(' → '), error: err instanceof Error ? err.message : String(err) }] };
  }
}

/** Memory in front of IndexedDB: probe figures survive a reload on this device. */
function probeCache(): ProbeCache {
  const memory = memoryProbeCache();
  const db = typeof indexedDB === 'undefined' ? null : openDB('insight-backend-probes', 1, { upgrade: (d) => void d.createObjectStore('choices') }).catch(() => null);
  return {
    async get(key) {
      const hit = await memory.get(key);
      if (hit) return hit;
      const store = await db;
      const stored: unknown = store ? await store.get('choices', key).catch(() => undefined) : undefined;
      return isBackendChoice(stored) ? stored : undefined;
    },
    async set(key, choice) {
      await memory.set(key, choice);
      const store = await db;
      await store?.put('choices', choice, key).catch(() => undefined);
    },
  };
}

const cache = probeCache();

/**
 * Measures a backend: wasm here; a GPU backend in a worker of its own that is stopped at the
 * budget, because its first batch (shader compilation) can block a thread far past it
 * (6–17 s measured here on SwiftShader) and cannot be cut off from inside.
 */
const measure: MeasureBackend = async (backend, shape, budgetMs) => {
  if (backend === 'wasm' || backend === 'cpu') return probeFastPath(backend, shape, budgetMs);
  const started = performance.now();
  const worker = new Worker(new URL('./pool.worker.ts', import.meta.url), { type: 'module', name: `insight-probe-${backend}` });
  const stopped = (note: string): ProbeFigure => ({ backend, engine: '', samplesPerSecond: null, batches: 0, ms: performance.now() - started, adapter: '', software: false, note });
  const pool = new WorkerPool({ workers: 1, local: false, spawn: () => ({
    post: (request) => worker.postMessage(request),
    onReply: (handler) => (worker.onmessage = (event: MessageEvent<TaskReply>) => handler(event.data)),
    onCrash: (handler) => (worker.onerror = (event) => handler(event.message || 'the probe worker failed')),
    terminate: () => worker.terminate(),
  }) });
  const controller = new AbortController();
  // Worker start-up and the backend's own start count against the budget, with 1 s of grace for the figure to come back.
  const timer = setTimeout(() => controller.abort(), budgetMs + 1000);
  try {
    const [figure] = await pool.map(lstmProbeTask, [{ backend, shape, budgetMs }], { signal: controller.signal });
    return figure ?? stopped('the probe returned nothing');
  } catch (err) {
    return stopped(controller.signal.aborted ? `no figure within the ${budgetMs} ms budget (probe worker stopped)` : err instanceof Error ? err.message : String(err));
  } finally {
    clearTimeout(timer);
    worker.terminate();
  }
};

/**
 * The backend for a model of `shape`: the forced one, or the fastest of `ladder` measured at
 * that shape (cached per device and shape). Leaves the chosen backend active.
 */
export async function chooseForShape(shape: ProbeShape, ladder: readonly string[], forced: boolean): Promise<BackendChoice> {
  const choice: BackendChoice = forced
    ? { backend: tf.getBackend(), reason: 'forced', probes: [] }
    : await chooseBackend(shape, { candidates: ladder, measure, describe: describeBackend, cache });
  if (tf.getBackend() !== choice.backend) await selectFromLadder([choice.backend, 'cpu']);
  return choice;
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
