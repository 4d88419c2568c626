/**
 * The engine worker: runs the pipeline engine (and TensorFlow.js) off the main thread and
 * exposes it to the page through Comlink. The page reaches the engine only through this API.
 */
import * as Comlink from 'comlink';
import { nodeRegistry } from '../nodes/index.ts';
import { EngineService } from '../src/engine/service.ts';
import type { PipelineDocument } from '../src/engine/document.ts';
import type { EngineEvent } from '../src/engine/runner.ts';
import type { TableQuery } from '../src/data/table-query.ts';
import { chooseForShape, selectBackend, selfTest } from './backend.ts';
import { browserHost, samplePaths, useOffsiteFetch, type OffsiteFetch } from './browser-host.ts';
import { decodeResults, encodeResults, type StoredResult } from '../src/storage/result-codec.ts';
import { defaultWorkerCount, isTaskReply, isWorkerReady, WorkerPool, type PoolInit, type TaskReply, type TaskWorker } from '../src/engine/parallel.ts';
import { nativeKernelModule } from '../src/ml/lstm/native-kernels.ts';
import { defaultLadder } from '../src/ml/backend-ladder.ts';
import { AutoStart, type RolePick } from '../src/auto/session.ts';

/** A pool worker (./pool.worker.ts) as the pool drives it; ready when its WorkerReady arrives. */
function spawnPoolWorker(): TaskWorker {
  const worker = new Worker(new URL('./pool.worker.ts', import.meta.url), { type: 'module', name: 'insight-pool' });
  // The LSTM kernels compiled once here, so that the worker neither assembles nor compiles them (queued until it listens).
  const init: PoolInit = { type: 'init', kernels: nativeKernelModule() };
  worker.postMessage(init);
  let replies: (reply: TaskReply) => void = () => undefined;
  let crashes: (message: string) => void = () => undefined;
  const ready = new Promise<void>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<unknown>) => {
      if (isWorkerReady(event.data)) return resolve();
      if (isTaskReply(event.data)) replies(event.data);
    };
    worker.onerror = (event) => {
      const message = event.message || 'the pool worker failed to start';
      reject(new Error(message));
      crashes(message);
    };
  });
  ready.catch(() => undefined);
  return {
    post: (request) => worker.postMessage(request),
    onReply: (handler) => (replies = handler),
    onCrash: (handler) => (crashes = handler),
    terminate: () => worker.terminate(),
    ready,
  };
}

// hardwareConcurrency − 1 pool workers, and this worker runs tasks too.
const pool = new WorkerPool({ spawn: spawnPoolWorker, workers: defaultWorkerCount(navigator.hardwareConcurrency || 2), local: true });
let ladder: string[] = defaultLadder();
let forced = false;
const service = new EngineService({
  registry: nodeRegistry,
  host: { ...browserHost, pool, chooseBackend: (shape) => chooseForShape(shape, ladder, forced) },
});
let ready: Promise<void> | null = null;
const autoStart = new AutoStart();

/** The API the page calls (every argument and result is structured-clonable). */
const api = {
  /** Starts the compute backend: the default ladder (models then choose by measured speed), or a forced one (`?backend=`, the setting). */
  async init(asked?: string[]) {
    if (!ready) {
      forced = asked !== undefined;
      ladder = asked ?? defaultLadder();
      ready = selectBackend(ladder, forced).then((info) => service.setBackend(info));
    }
    await ready;
    return service.backend();
  },
  backend: () => service.backend(),
  selfTest: () => selfTest(),
  catalog: () => service.catalog(),
  samples: () => samplePaths(),
  validate: (input: unknown) => service.validate(input),
  statuses: (doc: PipelineDocument) => service.statuses(doc),
  afterEdit: (before: PipelineDocument, after: PipelineDocument) => service.afterEdit(before, after),
  async run(doc: PipelineDocument, options: { targets?: string[] }, onEvent?: (event: EngineEvent) => void) {
    await api.init();
    return service.run(doc, options, onEvent);
  },
  cancel: () => service.cancel(),
  /** Lets load nodes fetch from these origins (the page asked the person first); others are refused before any request. */
  allowOrigins: (origins: string[]) => service.allowOrigins(origins),
  /** The page's off-site fetch (a Comlink proxy): this worker's CSP lets it reach only its own origin. */
  useOffsiteFetch: (fetcher: OffsiteFetch) => useOffsiteFetch(fetcher),
  bindFile: (nodeId: string, name: string, bytes: Uint8Array, fingerprint: string) => service.bindFile(nodeId, { name, bytes }, fingerprint),
  unbindFile: (nodeId: string) => service.unbindFile(nodeId),
  boundFiles: () => service.boundFiles(),
  preview: (nodeId: string, port: string, offset?: number, limit?: number) => service.preview(nodeId, port, offset, limit),
  exportPort: (nodeId: string, port: string) => service.exportPort(nodeId, port),
  queryPreview: (nodeId: string, port: string, query: TableQuery, offset?: number, limit?: number) => service.queryPreview(nodeId, port, query, offset, limit),
  columnValues: (nodeId: string, port: string, columns: string[], query?: TableQuery, limit?: number) => service.columnValues(nodeId, port, columns, query, limit),
  /** The files of an output port to download (a trained model as its node kind writes it, e.g. model.json + weights.bin). */
  async exportFiles(nodeId: string, port: string) {
    const files = await service.exportFiles(nodeId, port);
    return Comlink.transfer(files, files.flatMap((f) => (typeof f.data === 'string' ? [] : [f.data.buffer])));
  },
  /** The guided start: reads a file, detects its shape and roles, and builds the pipeline for it. */
  autoAnalyse: (name: string, bytes: Uint8Array) => autoStart.analyse({ name, bytes }),
  /** The guided start again with a person's role picks (the table stays in the worker). */
  autoRebuild: (picks: RolePick[]) => autoStart.rebuild(picks),
  /** Results worth keeping across reloads (models, slow nodes), encoded for IndexedDB. */
  keepableResults: (doc: PipelineDocument): StoredResult[] => encodeResults(service.keepableResults(doc)),
  /** Seeds the cache with results restored from IndexedDB; returns the node ids taken. */
  restoreResults: (doc: PipelineDocument, results: StoredResult[]) => service.restoreResults(doc, decodeResults(results)),
};

/** The worker API type, for the page's Comlink wrapper. */
export type EngineWorkerApi = typeof api;

Comlink.expose(api);
