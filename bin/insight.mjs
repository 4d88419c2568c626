#!/usr/bin/env node
// The `insight` command. The CLI is TypeScript (shared with the studio); it runs as JavaScript
// that esbuild precompiled into a cache folder (bin/cli-build.mjs: built on first use, rebuilt
// when a source changes), so a run neither transpiles at start nor carries tsx's loader.
// If the build fails, or INSIGHT_CLI_TSX=1, it runs the TypeScript through tsx instead.
import { fileURLToPath } from 'node:url';

let main;
if (process.env.INSIGHT_CLI_TSX !== '1') {
  try {
    const { builtEntries, cliEntries } = await import('./cli-build.mjs');
    const root = fileURLToPath(new URL('..', import.meta.url));
    const { urls } = await builtEntries(root, cliEntries, process.env.INSIGHT_CLI_CACHE || undefined);
    // The pool (src/cli/node-pool.ts) starts its workers on the same build.
    globalThis.__insightBuiltPoolWorker = urls['pool-worker'];
    ({ main } = await import(urls.insight));
  } catch (err) {
    const reason = (err instanceof Error ? err.message : String(err)).split('\n')[0];
    process.stderr.write(`insight: running the TypeScript through tsx (the precompiled build failed: ${reason})\n`);
    delete globalThis.__insightBuiltPoolWorker;
  }
}
if (main === undefined) {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/insight.ts'));
}
process.exitCode = await main(process.argv.slice(2));
