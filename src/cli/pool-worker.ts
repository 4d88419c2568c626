/** A pool worker thread in Node: activates the wasm backend (cpu if it cannot start), says it is ready, and serves tasks. */
import { parentPort } from 'node:worker_threads';
import { serveTask, wallClock, type TaskRequest, type WorkerReady, type WorkerWarmed } from '../engine/parallel.ts';
import { defaultLadder } from '../ml/backend-ladder.ts';
import { warmLstmKernels } from '../ml/lstm/warm.ts';
import { taskRegistry } from '../ml/tasks.ts';
import { selectBackend } from '../ml/tf-backend.ts';
import { ownThreadTimes } from './thread-cpu.ts';

const port = parentPort;
if (port) {
  // Start marks for the pool's trace: thread start, tsx registered (pool-boot.mjs), modules loaded, backend up.
  const marks: Record<string, number> = { loaded: wallClock() };
  for (const [mark, name] of [['thread', '__insightPoolStarted'], ['registered', '__insightPoolRegistered']] as const) {
    const at: unknown = Reflect.get(globalThis, name);
    if (typeof at === 'number') marks[mark] = at;
  }
  const ready = selectBackend(defaultLadder());
  port.on('message', (request: TaskRequest) => {
    void ready.then(() => serveTask(taskRegistry, request, (reply) => port.postMessage(reply), ownThreadTimes));
  });
  // Ready first, then compile the LSTM path while the calling thread works up to the first parallel node.
  void ready.then(() => {
    marks.backend = wallClock();
    const cpu = ownThreadTimes()?.cpuMs ?? null;
    if (cpu !== null) marks.cpuAtReady = cpu;
    const hello: WorkerReady = { type: 'ready', marks };
    port.postMessage(hello);
    // A warm-up that fails costs nothing but the warm-up: the task that follows reports its own errors.
    void warmLstmKernels()
      .catch(() => undefined)
      .then(() => {
        const warmed: WorkerWarmed = { type: 'warmed', at: wallClock(), cpuMs: ownThreadTimes()?.cpuMs ?? null };
        port.postMessage(warmed);
      });
  });
}
