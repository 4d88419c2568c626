#!/usr/bin/env -S node --max-semi-space-size=2
// The `insight` command. The CLI is TypeScript (shared with the studio); it runs as JavaScript
// that esbuild precompiled into a cache folder (bin/cli-build.mjs: built on first use, rebuilt
// when a source changes), so a run neither transpiles at start nor carries tsx's loader.
// If the build fails, or INSIGHT_CLI_TSX=1, it runs the TypeScript through tsx instead.
// The first line starts Node with `cliNodeFlags` (bin/cli-build.mjs says why; a test keeps the
// two the same): `npx insight` and `./bin/insight.mjs` run with them, `node bin/insight.mjs`
// with Node's defaults.
import { fileURLToPath } from 'node:url';

const { precompiledEntries, cliEntries, firstLine } = await import('./cli-build.mjs');
let main;
const built = await precompiledEntries(fileURLToPath(new URL('..', import.meta.url)), cliEntries);
let failed = 'failed' in built && !built.tsxAsked ? built.failed : undefined;
if ('urls' in built) {
  try {
    // The pool (src/cli/node-pool.ts) starts its workers on the same build.
    globalThis.__insightBuiltPoolWorker = built.urls['pool-worker'];
    ({ main } = await import(built.urls.insight));
  } catch (err) {
    failed = firstLine(err);
    delete globalThis.__insightBuiltPoolWorker;
  }
}
if (failed !== undefined) process.stderr.write(`insight: running the TypeScript through tsx (the precompiled build failed: ${failed})\n`);
if (main === undefined) {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/insight.ts'));
}
process.exitCode = await main(process.argv.slice(2));
