// The CLI's precompiled JavaScript: esbuild bundles the TypeScript entries (code splitting, so
// the lazy imports — TensorFlow.js for LSTM/Explain, DuckDB, the auto command — stay lazy;
// packages stay external) into a cache folder the first time, and later runs reuse that build
// while every input esbuild read (its metafile) still has the size and mtime it had when built.
// `import.meta.url` (and .dirname/.filename) in a source file is replaced by that file's own
// address, so `new URL('../../sample-data/', import.meta.url)` and the like still name the
// source tree's files, not the cache's.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const builder = fileURLToPath(import.meta.url);
/** Builds other than the current one are removed once this old (a running process may still import their lazy chunks). */
const keepOldMs = 60 * 60 * 1000;

/** The default cache folder of a checkout: under its node_modules/.cache, one per checkout (worktrees may share node_modules). */
export function defaultCacheDir(root) {
  const key = createHash('sha1').update(resolve(root)).digest('hex').slice(0, 12);
  return join(root, 'node_modules', '.cache', 'insight-cli', key);
}

function stamp(path) {
  const s = statSync(path);
  return [s.size, s.mtimeMs];
}

function readManifest(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Whether a manifest's build is still the build of the sources as they are now. */
function fresh(manifest, root, entries) {
  if (manifest?.version !== 1 || typeof manifest.inputs !== 'object' || typeof manifest.outputs !== 'object') return false;
  for (const name of Object.keys(entries)) if (typeof manifest.outputs[name] !== 'string') return false;
  try {
    for (const [input, [size, mtime]] of Object.entries(manifest.inputs)) {
      const [s, m] = stamp(resolve(root, input));
      if (s !== size || m !== mtime) return false;
    }
    for (const name of Object.keys(entries)) statSync(manifest.outputs[name]);
  } catch {
    return false;
  }
  return true;
}

/** esbuild plugin: a source file's import.meta.url/dirname/filename become its own path in the source tree. */
const sourceAddresses = {
  name: 'insight-source-addresses',
  setup(build) {
    build.onLoad({ filter: /\.[cm]?[jt]s$/ }, (args) => {
      if (args.path.includes(`${'/'}node_modules${'/'}`)) return undefined;
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta')) return undefined;
      const contents = text
        .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href))
        .replaceAll('import.meta.dirname', JSON.stringify(dirname(args.path)))
        .replaceAll('import.meta.filename', JSON.stringify(args.path));
      const ext = extname(args.path);
      return { contents, loader: ext === '.ts' || ext === '.mts' || ext === '.cts' ? 'ts' : 'js' };
    });
  },
};

/**
 * The built entries of `root` (name → file URL), building them when no fresh build is cached.
 * `entries` maps output names to source paths relative to root. Returns { urls, built }; throws
 * when the build fails (the caller falls back to tsx).
 */
export async function builtEntries(root, entries, cacheDir = defaultCacheDir(root)) {
  const entryKey = createHash('sha1').update(JSON.stringify(entries)).digest('hex').slice(0, 8);
  const manifestPath = join(cacheDir, `current-${entryKey}.json`);
  const known = readManifest(manifestPath);
  if (fresh(known, root, entries)) return { urls: urlsOf(known.outputs), built: false };

  const esbuild = await import('esbuild');
  mkdirSync(cacheDir, { recursive: true });
  const outdir = join(cacheDir, `b-${entryKey}-${Date.now()}-${process.pid}`);
  const started = Date.now();
  const result = await esbuild.build({
    absWorkingDir: resolve(root),
    entryPoints: Object.fromEntries(Object.entries(entries).map(([name, path]) => [name, resolve(root, path)])),
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    metafile: true,
    logLevel: 'silent',
    plugins: [sourceAddresses],
  });
  const inputs = {};
  let settled = true;
  // The inputs esbuild read, tsconfig.json (its settings shape the output) and this builder.
  const paths = [...Object.keys(result.metafile.inputs).map((p) => resolve(root, p)), join(root, 'tsconfig.json'), builder];
  for (const path of new Set(paths)) {
    try {
      inputs[path] = stamp(path);
      // A file written while the build ran may have been read before the write: use this build once, cache nothing.
      if (inputs[path][1] >= started - 2) settled = false;
    } catch {
      if (path !== join(root, 'tsconfig.json')) settled = false;
    }
  }
  const outputs = Object.fromEntries(Object.keys(entries).map((name) => [name, join(outdir, `${name}.mjs`)]));
  if (settled) {
    const tmp = `${manifestPath}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ version: 1, builtAt: new Date().toISOString(), outputs, inputs }));
    renameSync(tmp, manifestPath);
  }
  prune(cacheDir, outdir);
  return { urls: urlsOf(outputs), built: true };
}

function urlsOf(outputs) {
  return Object.fromEntries(Object.entries(outputs).map(([name, path]) => [name, pathToFileURL(path).href]));
}

/** The build folders some manifest in cacheDir names as current (each entry set has its own manifest). */
function currentBuilds(cacheDir) {
  const current = new Set();
  for (const name of readdirSync(cacheDir)) {
    if (!name.startsWith('current-') || !name.endsWith('.json')) continue;
    const outputs = readManifest(join(cacheDir, name))?.outputs;
    if (outputs && typeof outputs === 'object') for (const file of Object.values(outputs)) if (typeof file === 'string') current.add(dirname(file));
  }
  return current;
}

/** Removes older builds (not the one just made, nor any manifest's current one) left for more than keepOldMs. */
function prune(cacheDir, keep) {
  try {
    const current = currentBuilds(cacheDir);
    for (const name of readdirSync(cacheDir)) {
      const path = join(cacheDir, name);
      if (!name.startsWith('b-') || path === keep || current.has(path)) continue;
      if (Date.now() - statSync(path).mtimeMs > keepOldMs) rmSync(path, { recursive: true, force: true });
    }
  } catch {
    // A build left behind costs disk only.
  }
}

/** An error's first line (what a one-line note can say of it). */
export function firstLine(err) {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
}

/**
 * The precompiled entries as the `insight` command takes them (its callers: bin/insight.mjs and
 * the data bench's children): { urls }, or { failed: why } when INSIGHT_CLI_TSX=1 asks for tsx
 * (`tsxAsked`) or the build fails (its first line); INSIGHT_CLI_CACHE moves the cache.
 */
export async function precompiledEntries(root, entries) {
  if (process.env.INSIGHT_CLI_TSX === '1') return { failed: 'INSIGHT_CLI_TSX=1', tsxAsked: true };
  try {
    const { urls } = await builtEntries(root, entries, process.env.INSIGHT_CLI_CACHE || undefined);
    return { urls };
  } catch (err) {
    return { failed: firstLine(err), tsxAsked: false };
  }
}

/**
 * The V8 flags `insight` starts Node with (bin/insight.mjs's first line, `env -S`, which npm's
 * shims on Windows read too); the data bench starts its "as insight run" children with them.
 * A young generation of 2 MiB semi-spaces instead of Node 20's 16: scavenges come often, so
 * short-lived array buffers (a node's scratch) are freed soon instead of staying resident next
 * to the columns. Measured on the data bench's chain (1M rows, 72.4 MiB file, precompiled, 2
 * runs each): peak 229–231 MiB with Node's defaults, 206 with 2 MiB, 211–214 with 4, 221–223
 * with 8, 208 with 1 (each with src/cli/collect.ts's collection after load); the default
 * project's `insight run` took 6.1–6.3 s either way.
 */
export const cliNodeFlags = ['--max-semi-space-size=2'];

/** The entries of the `insight` command: the CLI and the pool worker it starts. */
export const cliEntries = { insight: 'src/cli/insight.ts', 'pool-worker': 'src/cli/pool-worker.ts' };
