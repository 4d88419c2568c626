/**
 * A pool worker thread in Node: loads the task registry (the LSTM fit on the native kernels, no
 * TensorFlow.js), says it is ready, and serves tasks. tfjs loads, with the wasm → cpu ladder,
 * only when a task needs it. The native kernels' WebAssembly.Module comes compiled from the
 * thread that started this worker (workerData.kernels) where it had one.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { serveTask, wallClock, type TaskRequest, type WorkerReady, type WorkerWarmed } from '../engine/parallel.ts';
import { defaultLadder } from '../ml/backend-ladder.ts';
import { adoptNativeKernelModule } from '../ml/lstm/native-kernels.ts';
import { warmLstmKernels } from '../ml/lstm/warm.ts';
import { createTaskRegistry } from '../ml/tasks.ts';
import { ownThreadTimes } from './thread-cpu.ts';

const port = parentPort;
if (port) {
  // Start marks for the pool's trace: thread start, tsx registered (pool-boot.mjs), modules loaded.
  const marks: Record<string, number> = { loaded: wallClock() };
  for (const [mark, name] of [['thread', '__insightPoolStarted'], ['registered', '__insightPoolRegistered']] as const) {
    const at: unknown = Reflect.get(globalThis, name);
    if (typeof at === 'number') marks[mark] = at;
  }
  const data: unknown = workerData;
  const kernels: unknown = typeof data === 'object' && data !== null && 'kernels' in data ? data.kernels : undefined;
  if (kernels instanceof WebAssembly.Module) adoptNativeKernelModule(kernels);
  const registry = createTaskRegistry(async () => {
    const { selectBackend } = await import('../ml/tf-backend.ts');
    await selectBackend(defaultLadder());
  });
  port.on('message', (request: TaskRequest) => {
    void serveTask(registry, request, (reply) => port.postMessage(reply), ownThreadTimes);
  });
  const cpu = ownThreadTimes()?.cpuMs ?? null;
  if (cpu !== null) marks.cpuAtReady = cpu;
  const hello: WorkerReady = { type: 'ready', marks };
  port.postMessage(hello);
  // Ready first, then compile the LSTM path while the calling thread works up to the first parallel node.
  // A warm-up that fails costs nothing but the warm-up: the task that follows reports its own errors.
  void warmLstmKernels()
    .catch(() => undefined)
    .then(() => {
      const warmed: WorkerWarmed = { type: 'warmed', at: wallClock(), cpuMs: ownThreadTimes()?.cpuMs ?? null };
      port.postMessage(warmed);
    });
}
