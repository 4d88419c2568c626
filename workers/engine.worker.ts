/**
 * The engine worker: runs the pipeline engine (and TensorFlow.js) off the main thread and
 * exposes it to the page through Comlink. The page reaches the engine only through this API.
 */
import * as Comlink from 'comlink';
import { nodeRegistry } from '../nodes/index.ts';
import { exportLstmModel } from '../nodes/lstm.ts';
import { isModelValue } from '../src/engine/ports.ts';
import { EngineService } from '../src/engine/service.ts';
import type { PipelineDocument } from '../src/engine/document.ts';
import type { EngineEvent } from '../src/engine/runner.ts';
import type { TableQuery } from '../src/data/table-query.ts';
import { selectBackend, selfTest } from './backend.ts';
import { browserHost, samplePaths } from './browser-host.ts';
import { decodeResults, encodeResults, type StoredResult } from '../src/storage/result-codec.ts';

const service = new EngineService({ registry: nodeRegistry, host: browserHost });
let ready: Promise<void> | null = null;

/** The API the page calls (every argument and result is structured-clonable). */
const api = {
  /** Chooses the compute backend (ladder webgpu → webgl → wasm → cpu, or the given one). */
  async init(ladder?: string[]) {
    ready ??= selectBackend(ladder).then((info) => service.setBackend(info));
    await ready;
    return service.backend();
  },
  backend: () => service.backend(),
  selfTest: () => selfTest(),
  catalog: () => service.catalog(),
  samples: () => samplePaths(),
  validate: (input: unknown) => service.validate(input),
  statuses: (doc: PipelineDocument) => service.statuses(doc),
  async run(doc: PipelineDocument, options: { targets?: string[] }, onEvent?: (event: EngineEvent) => void) {
    await api.init();
    return service.run(doc, options, onEvent);
  },
  cancel: () => service.cancel(),
  bindFile: (nodeId: string, name: string, bytes: Uint8Array, fingerprint: string) => service.bindFile(nodeId, { name, bytes }, fingerprint),
  unbindFile: (nodeId: string) => service.unbindFile(nodeId),
  boundFiles: () => service.boundFiles(),
  preview: (nodeId: string, port: string, offset?: number, limit?: number) => service.preview(nodeId, port, offset, limit),
  exportPort: (nodeId: string, port: string) => service.exportPort(nodeId, port),
  queryPreview: (nodeId: string, port: string, query: TableQuery, offset?: number, limit?: number) => service.queryPreview(nodeId, port, query, offset, limit),
  columnValues: (nodeId: string, port: string, columns: string[], query?: TableQuery, limit?: number) => service.columnValues(nodeId, port, columns, query, limit),
  /** A trained model as TensorFlow.js files (model.json + weights.bin) that tf.loadLayersModel reads. */
  async exportModel(nodeId: string, port: string) {
    const value = service.rawValue(nodeId, port);
    if (!isModelValue(value) || value.kind !== 'lstm') throw new Error(`Node ${JSON.stringify(nodeId)} port ${JSON.stringify(port)} holds no LSTM model to download.`);
    const files = await exportLstmModel(value);
    return Comlink.transfer(files, [files.weightsBin.buffer]);
  },
  /** Results worth keeping across reloads (models, slow nodes), encoded for IndexedDB. */
  keepableResults: (doc: PipelineDocument): StoredResult[] => encodeResults(service.keepableResults(doc)),
  /** Seeds the cache with results restored from IndexedDB; returns the node ids taken. */
  restoreResults: (doc: PipelineDocument, results: StoredResult[]) => service.restoreResults(doc, decodeResults(results)),
};

/** The worker API type, for the page's Comlink wrapper. */
export type EngineWorkerApi = typeof api;

Comlink.expose(api);
