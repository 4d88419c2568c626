/** A pool worker thread in Node: activates the wasm backend (cpu if it cannot start), says it is ready, and serves tasks. */
import { parentPort } from 'node:worker_threads';
import { serveTask, type TaskRequest, type WorkerReady } from '../engine/parallel.ts';
import { defaultLadder } from '../ml/backend-ladder.ts';
import { warmLstmKernels } from '../ml/lstm/warm.ts';
import { taskRegistry } from '../ml/tasks.ts';
import { selectBackend } from '../ml/tf-backend.ts';

const port = parentPort;
if (port) {
  const ready = selectBackend(defaultLadder());
  port.on('message', (request: TaskRequest) => {
    void ready.then(() => serveTask(taskRegistry, request, (reply) => port.postMessage(reply)));
  });
  const hello: WorkerReady = { type: 'ready' };
  // Ready first, then compile the LSTM path while the calling thread works up to the first parallel node.
  void ready.then(() => {
    port.postMessage(hello);
    // A warm-up that fails costs nothing but the warm-up: the task that follows reports its own errors.
    warmLstmKernels().catch(() => undefined);
  });
}
