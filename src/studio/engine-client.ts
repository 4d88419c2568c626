/**
 * The page's handle on the engine worker (Comlink). The page reaches the engine only here.
 */
import * as Comlink from 'comlink';
import type { EngineWorkerApi } from '../../workers/engine.worker.ts';
import type { EngineEvent } from '../engine/runner.ts';
import { OffsiteFetcher } from './offsite-fetcher.ts';

/** The remote engine API. */
export type EngineClient = Comlink.Remote<EngineWorkerApi>;

/**
 * Starts the engine worker and returns its API. Off-site fetches go through the page's fetch
 * frame (the worker's CSP allows only its own origin); `allowOrigins` tells both the worker
 * (which refuses other origins before asking) and the frame (whose CSP allows only these).
 */
export function startEngine(): { engine: EngineClient; worker: Worker } {
  const worker = new Worker(new URL('../../workers/engine.worker.ts', import.meta.url), { type: 'module', name: 'insight-engine' });
  const remote = Comlink.wrap<EngineWorkerApi>(worker);
  const fetcher = new OffsiteFetcher();
  void remote.useOffsiteFetch(
    Comlink.proxy(async (url: string) => {
      const file = await fetcher.fetch(url);
      return Comlink.transfer(file, [file.bytes.buffer]);
    }),
  );
  const allowOrigins = async (origins: string[]) => {
    fetcher.allow(origins);
    await remote.allowOrigins(origins);
  };
  // A Comlink remote answers every property, symbols included, with another remote; Svelte's
  // dev build probes values kept in state with a symbol and calls it, which would send a
  // call for a method that does not exist to the worker. The API has no symbol members.
  // A bound file's bytes move to the worker instead of being copied: a 1 GB file would
  // otherwise be held twice in the tab (the callers do not read them after binding).
  const bindFile = (nodeId: string, name: string, bytes: Uint8Array, fingerprint: string) =>
    remote.bindFile(nodeId, name, Comlink.transfer(bytes, bytes.buffer instanceof ArrayBuffer ? [bytes.buffer] : []), fingerprint);
  const engine = new Proxy(remote, {
    get: (target, prop, receiver) => (typeof prop === 'symbol' ? undefined : prop === 'allowOrigins' ? allowOrigins : prop === 'bindFile' ? bindFile : Reflect.get(target, prop, receiver)),
  });
  return { engine, worker };
}

/** Wraps an event callback so it can be called from the worker. */
export function eventSink(callback: (event: EngineEvent) => void): (event: EngineEvent) => void {
  return Comlink.proxy(callback);
}
