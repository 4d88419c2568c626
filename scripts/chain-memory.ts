/**
 * Where the data chain's memory goes, node by node (by hand; not part of `npm test`):
 *
 *   npx tsx scripts/chain-memory.ts FILE.csv [--cli | --built] [--poll-ms N]
 *
 * Runs the data bench's chain (load → clean → features → normalise → weight, the document of
 * src/cli/bench/data.ts) on FILE in a child process and polls the child's resident memory from
 * outside (/proc/PID/status every N ms, default 5), so that a peak inside a node's synchronous
 * work is seen. Without --cli the child runs the Engine itself (releasing outputs as the CLI
 * does, without writing them) and prints
 * `process.memoryUsage()` (RSS, V8 heap, external, array buffers) before reading and at every
 * node's start and end; with --cli the child is `insight run` writing to a temporary folder,
 * exactly as a user would run it (node boundaries then come from its stderr lines); with --built
 * the child is the Engine child precompiled and started with `insight`'s V8 flags, as the data
 * bench's chain child runs.
 * Prints one line per phase: RSS at its start and end, its polled peak, and the heap figures.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const mib = (bytes: number): string => (bytes / 1048576).toFixed(0).padStart(6);

interface Mark {
  t: number;
  label: string;
  usage?: NodeJS.MemoryUsage | undefined;
}

async function child(file: string): Promise<void> {
  const mark = (label: string): void => {
    process.stdout.write(`${JSON.stringify({ t: Date.now(), label, usage: process.memoryUsage() })}\n`);
  };
  mark('start');
  const { chainDocument } = await import('../src/cli/bench/data.ts');
  const { nodeRegistry } = await import('../nodes/index.ts');
  const { Engine } = await import('../src/engine/runner.ts');
  const { createNodeHost } = await import('../src/cli/node-host.ts');
  mark('code loaded');
  const engine = new Engine({ registry: nodeRegistry, host: createNodeHost({ files: { load1: file } }) });
  const doc = chainDocument();
  // As insight run does: each output is released once no later node reads it (not written here).
  const result = await engine.run(doc, {
    release: true,
    onEvent: (event) => {
      if (event.type === 'status') mark(`${event.nodeId} ${event.status.state}`);
    },
  });
  mark(result.ok ? 'done' : 'failed');
}

/** A memoryUsage() record read back from JSON, or undefined when a field is missing. */
function usageOf(value: unknown): NodeJS.MemoryUsage | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const field = (name: string): number => {
    const v: unknown = Reflect.get(value, name);
    return typeof v === 'number' ? v : Number.NaN;
  };
  const usage = { rss: field('rss'), heapTotal: field('heapTotal'), heapUsed: field('heapUsed'), external: field('external'), arrayBuffers: field('arrayBuffers') };
  return Object.values(usage).every(Number.isFinite) ? usage : undefined;
}

function readRss(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /VmRSS:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

async function parent(file: string, cli: boolean, pollMs: number, built: boolean): Promise<void> {
  const self = fileURLToPath(import.meta.url);
  const size = statSync(file).size;
  let out = '';
  let docPath = '';
  let args: string[];
  if (cli) {
    out = mkdtempSync(join(tmpdir(), 'chain-memory-'));
    docPath = join(out, 'chain.json');
    const { chainDocument } = await import('../src/cli/bench/data.ts');
    writeFileSync(docPath, JSON.stringify(chainDocument()));
    // As its first line starts it (`npx insight`): with cliNodeFlags.
    const { cliNodeFlags } = await import('../bin/cli-build.mjs');
    args = [...cliNodeFlags, process.env.CHAIN_MEMORY_BIN ?? join(self, '..', '..', 'bin', 'insight.mjs'), 'run', docPath, '--input', `load1=${file}`, '--out', join(out, 'out'), '--workers', '0'];
  } else if (built) {
    // The child as the bench's chain child runs: precompiled by bin/cli-build.mjs, not through tsx.
    const { precompiledEntries, cliNodeFlags } = await import('../bin/cli-build.mjs');
    const code = await precompiledEntries(fileURLToPath(new URL('..', import.meta.url)), { 'chain-memory': 'scripts/chain-memory.ts' });
    const url = 'urls' in code ? code.urls['chain-memory'] : undefined;
    if (url === undefined) throw new Error(`chain-memory: the precompiled build failed (${'failed' in code ? code.failed : 'no entry'})`);
    args = [...cliNodeFlags, fileURLToPath(url), '--child', file];
  } else {
    args = ['--import', 'tsx', self, '--child', file];
  }
  const started = Date.now();
  const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const samples: { t: number; rss: number }[] = [];
  const marks: Mark[] = [{ t: started, label: 'spawn' }];
  const timer = setInterval(() => {
    const rss = readRss(proc.pid ?? 0);
    if (rss > 0) samples.push({ t: Date.now(), rss });
  }, pollMs);
  const lines = (stream: NodeJS.ReadableStream, onLine: (line: string) => void): void => {
    let rest = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      rest += chunk;
      const parts = rest.split('\n');
      rest = parts.pop() ?? '';
      for (const p of parts) onLine(p);
    });
  };
  let stderr = '';
  const begun = new Set<string>();
  lines(proc.stdout, (line) => {
    try {
      const parsed: unknown = JSON.parse(line);
      if (parsed !== null && typeof parsed === 'object' && 'label' in parsed && 't' in parsed && 'usage' in parsed) {
        marks.push({ t: Number(parsed.t), label: String(parsed.label), usage: usageOf(parsed.usage) });
      }
    } catch {
      // Not a mark.
    }
  });
  lines(proc.stderr, (line) => {
    stderr += `${line}\n`;
    const m = /^(\w+): (done|warning|error|running)/.exec(line);
    if (cli && m) marks.push({ t: Date.now(), label: `${m[1]} ${m[2]}` });
    // A node's first progress line marks its start (the CLI prints no "running" line).
    const p = /^(\w+): \d+%/.exec(line);
    if (cli && p && !begun.has(p[1] ?? '')) {
      begun.add(p[1] ?? '');
      marks.push({ t: Date.now(), label: `${p[1]} running` });
    }
  });
  const code: number = await new Promise((resolve) => proc.on('close', (c) => resolve(c ?? 1)));
  clearInterval(timer);
  marks.push({ t: Date.now(), label: 'exit' });
  if (code !== 0) process.stderr.write(stderr);
  const peak = Math.max(...samples.map((s) => s.rss));
  process.stdout.write(`file ${mib(size)} MiB; ${cli ? 'insight run (CLI)' : 'Engine in a child'}; polled every ${pollMs} ms; exit ${code}\n`);
  process.stdout.write(`${'phase'.padEnd(26)} ${'from s'.padStart(6)} ${'RSS end'.padStart(7)} ${'peak'.padStart(6)} ${'heapUsed'.padStart(8)} ${'heapTot'.padStart(7)} ${'extern'.padStart(6)} ${'arrBuf'.padStart(6)}  (MiB)\n`);
  for (let i = 0; i < marks.length - 1; i++) {
    const a = marks[i]!;
    const b = marks[i + 1]!;
    const inside = samples.filter((s) => s.t >= a.t && s.t <= b.t).map((s) => s.rss);
    const end = inside.at(-1) ?? 0;
    const u = b.usage;
    process.stdout.write(
      `${`${a.label} → ${b.label}`.slice(0, 26).padEnd(26)} ${((a.t - started) / 1000).toFixed(2).padStart(6)} ${mib(u?.rss ?? end).padStart(7)} ${mib(inside.length ? Math.max(...inside) : 0)} ${u ? `${mib(u.heapUsed).padStart(8)} ${mib(u.heapTotal).padStart(7)} ${mib(u.external)} ${mib(u.arrayBuffers)}` : ''}\n`,
    );
  }
  process.stdout.write(`peak RSS ${mib(peak)} MiB = ${(peak / size).toFixed(2)}× the file; ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  if (out !== '') rmSync(out, { recursive: true, force: true });
}

const argv = process.argv.slice(2);
if (argv[0] === '--child') {
  await child(argv[1] ?? '');
} else {
  const file = argv.find((a) => !a.startsWith('--')) ?? '';
  const at = argv.indexOf('--poll-ms');
  const poll = at >= 0 ? Number(argv[at + 1]) : 5;
  await parent(file, argv.includes('--cli'), Number.isFinite(poll) && poll > 0 ? poll : 5, argv.includes('--built'));
}
