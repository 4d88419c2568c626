/** The task pool for Node (CLI, tests, benches): worker_threads running src/cli/pool-worker.ts, plus the calling thread. */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { defaultWorkerCount, WorkerPool, type TaskReply, type TaskWorker } from '../engine/parallel.ts';

function spawnThread(): TaskWorker {
  const worker = new Worker(new URL('./pool-boot.mjs', import.meta.url), { workerData: { entry: new URL('./pool-worker.ts', import.meta.url).href } });
  // An idle worker must not keep the process alive after the work is done; a busy one must.
  worker.unref();
  return {
    post: (request) => {
      worker.ref();
      worker.postMessage(request);
    },
    onReply: (handler) => {
      worker.removeAllListeners('message');
      worker.on('message', (reply: TaskReply) => {
        if (reply.type !== 'report') worker.unref();
        handler(reply);
      });
    },
    onCrash: (handler) => {
      worker.removeAllListeners('error');
      worker.on('error', (err) => handler(err.message));
    },
    terminate: () => void worker.terminate(),
  };
}

/** Options of a Node pool. */
export interface NodePoolOptions {
  /** Worker threads (default: os.availableParallelism() − 1, at least 1). */
  workers?: number;
  /** Whether the calling thread runs tasks too (default true). */
  local?: boolean;
}

/** A pool of worker threads beside the calling thread. */
export function createNodePool(options: NodePoolOptions = {}): WorkerPool {
  return new WorkerPool({ spawn: spawnThread, workers: options.workers ?? defaultWorkerCount(availableParallelism()), local: options.local ?? true });
}
