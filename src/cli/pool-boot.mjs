// Starts a pool worker thread: TypeScript through tsx (as bin/insight.mjs does), then the entry.
// When this thread began running JavaScript and when tsx was ready, for the pool's trace of a worker's start (pool-worker.ts reads them).
globalThis.__insightPoolStarted = performance.timeOrigin + performance.now();
const { register } = await import('tsx/esm/api');
const { workerData } = await import('node:worker_threads');

register();
globalThis.__insightPoolRegistered = performance.timeOrigin + performance.now();
await import(workerData.entry);
