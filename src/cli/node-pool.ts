/** The task pool for Node (CLI, tests, benches): worker_threads running src/cli/pool-worker.ts, plus the calling thread. */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { defaultWorkerCount, isTaskReply, isWorkerReady, isWorkerWarmed, WorkerPool, type PoolEvent, type TaskReply, type TaskWorker, type WorkerWarmed } from '../engine/parallel.ts';
import { nativeKernelModule } from '../ml/lstm/native-kernels.ts';
import { ownThreadTimes } from './thread-cpu.ts';

function spawnThread(): TaskWorker {
  // The LSTM kernels compiled once here go to every worker, which then neither assembles nor compiles them.
  // Under bin/insight.mjs's precompiled build the workers run that build's pool-worker; otherwise the TypeScript, through tsx.
  const built: unknown = Reflect.get(globalThis, '__insightBuiltPoolWorker');
  const entry = typeof built === 'string' ? built : new URL('./pool-worker.ts', import.meta.url).href;
  const workerData = { entry, kernels: nativeKernelModule() };
  const worker = new Worker(new URL('./pool-boot.mjs', import.meta.url), { workerData });
  // An idle (or loading) worker must not keep the process alive after the work is done; a busy one must.
  worker.unref();
  let replies: (reply: TaskReply) => void = () => undefined;
  let crashes: (message: string) => void = () => undefined;
  let boot: (event: { spawnedAt: number; marks: Record<string, number> } | WorkerWarmed) => void = () => undefined;
  const spawnedAt = performance.timeOrigin + performance.now();
  const ready = new Promise<void>((resolve, reject) => {
    worker.on('message', (message: unknown) => {
      if (isWorkerWarmed(message)) return boot(message);
      if (isWorkerReady(message)) {
        boot({ spawnedAt, marks: message.marks ?? {} });
        return resolve();
      }
      if (!isTaskReply(message)) return;
      if (message.type !== 'report') worker.unref();
      replies(message);
    });
    worker.on('error', (err) => {
      reject(err);
      crashes(err.message);
    });
    worker.on('exit', (code) => reject(new Error(`the worker exited with code ${code} before it was ready`)));
  });
  // A worker that never gets a task may fail to load unheard; the pool hears it on its next use.
  ready.catch(() => undefined);
  return {
    post: (request) => {
      worker.ref();
      worker.postMessage(request);
    },
    onReply: (handler) => (replies = handler),
    onCrash: (handler) => (crashes = handler),
    onBoot: (handler) => (boot = handler),
    terminate: () => void worker.terminate(),
    ready,
  };
}

/** Options of a Node pool. */
export interface NodePoolOptions {
  /** Worker threads (default: os.availableParallelism() − 1, at least 1). */
  workers?: number;
  /** Whether the calling thread runs tasks too (default true). */
  local?: boolean;
  /** Hears every task, map and worker start with their times (benches). */
  trace?: (event: PoolEvent) => void;
}

/** A pool of worker threads beside the calling thread. */
export function createNodePool(options: NodePoolOptions = {}): WorkerPool {
  const workers = options.workers ?? defaultWorkerCount(availableParallelism());
  return new WorkerPool({ spawn: spawnThread, workers, local: options.local ?? true, ...(options.trace ? { trace: options.trace, threadTimes: ownThreadTimes } : {}) });
}
