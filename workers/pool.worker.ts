/**
 * A pool worker in the page: runs tasks (src/ml/tasks.ts) for the engine worker, which starts
 * hardwareConcurrency − 1 of these. A task activates the backend it names (wasm paths set by
 * ./backend.ts) and says it is ready once loaded. Plain postMessage: no SharedArrayBuffer, no COOP/COEP needed.
 */
import { serveTask, type TaskRequest, type WorkerReady } from '../src/engine/parallel.ts';
import { warmLstmKernels } from '../src/ml/lstm/warm.ts';
import { taskRegistry } from '../src/ml/tasks.ts';
import './backend.ts';

self.addEventListener('message', (event: MessageEvent<TaskRequest>) => {
  void serveTask(taskRegistry, event.data, (reply) => self.postMessage(reply));
});
// Loaded: the pool may hand this worker tasks now (until then the engine worker does them itself).
const hello: WorkerReady = { type: 'ready' };
self.postMessage(hello);
// While the engine worker runs the nodes before the first parallel one, compile the LSTM path.
void warmLstmKernels().catch(() => undefined);
