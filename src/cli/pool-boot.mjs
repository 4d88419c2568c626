// Starts a pool worker thread: TypeScript through tsx (as bin/insight.mjs does), then the entry.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.entry);
