/**
 * The page's handle on the engine worker (Comlink). The page reaches the engine only here.
 */
import * as Comlink from 'comlink';
import type { EngineWorkerApi } from '../../workers/engine.worker.ts';
import type { EngineEvent } from '../engine/runner.ts';

/** The remote engine API. */
export type EngineClient = Comlink.Remote<EngineWorkerApi>;

/** Starts the engine worker and returns its API. */
export function startEngine(): { engine: EngineClient; worker: Worker } {
  const worker = new Worker(new URL('../../workers/engine.worker.ts', import.meta.url), { type: 'module', name: 'insight-engine' });
  return { engine: Comlink.wrap<EngineWorkerApi>(worker), worker };
}

/** Wraps an event callback so it can be called from the worker. */
export function eventSink(callback: (event: EngineEvent) => void): (event: EngineEvent) => void {
  return Comlink.proxy(callback);
}
