/**
 * A pool worker in the page: runs tasks (src/ml/tasks.ts) for the engine worker, which starts
 * hardwareConcurrency − 1 of these. It loads without TensorFlow.js: the LSTM fit runs on the
 * native kernels on wasm and cpu, and ./backend.ts (tfjs, its wasm paths) loads only for a task
 * that needs it (a GPU probe, a fallback, attribution). The engine worker's first message may
 * carry the kernels' compiled WebAssembly.Module. Plain postMessage: no SharedArrayBuffer, no
 * COOP/COEP needed.
 */
import { isPoolInit, isTaskRequest, serveTask, type WorkerReady } from '../src/engine/parallel.ts';
import { adoptNativeKernelModule } from '../src/ml/lstm/native-kernels.ts';
import { warmLstmKernels } from '../src/ml/lstm/warm.ts';
import { createTaskRegistry } from '../src/ml/tasks.ts';

const registry = createTaskRegistry(async () => {
  await import('./backend.ts');
});
self.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = event.data;
  if (isPoolInit(message)) {
    if (message.kernels instanceof WebAssembly.Module) adoptNativeKernelModule(message.kernels);
    // While the engine worker runs the nodes before the first parallel one, compile the LSTM path
    // (a probe worker gets no init, and no warm-up beside its measurement).
    void warmLstmKernels().catch(() => undefined);
    return;
  }
  if (isTaskRequest(message)) void serveTask(registry, message, (reply) => self.postMessage(reply));
});
// Loaded: the pool may hand this worker tasks now (until then the engine worker does them itself).
const hello: WorkerReady = { type: 'ready' };
self.postMessage(hello);
