// Starts a pool worker thread: registers tsx when the entry is TypeScript (a precompiled entry,
// bin/insight.mjs's build, needs none), then the entry.
// When this thread began running JavaScript and when tsx was ready, for the pool's trace of a worker's start (pool-worker.ts reads them).
globalThis.__insightPoolStarted = performance.timeOrigin + performance.now();
const { workerData } = await import('node:worker_threads');

if (/\.[cm]?ts$/.test(workerData.entry)) {
  const { register } = await import('tsx/esm/api');
  register();
}
globalThis.__insightPoolRegistered = performance.timeOrigin + performance.now();
await import(workerData.entry);
