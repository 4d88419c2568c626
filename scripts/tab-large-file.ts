/**
 * By hand, never a test: a large transactions CSV through the chain in the tab.
 *
 *   INSIGHT_TEST_PAGES=1 npx vite build && npx tsx scripts/tab-large-file.ts [--rows N] [--keep]
 *
 * Writes the data bench's seeded transactions CSV (src/cli/bench/data.ts; default 14,200,000
 * rows, about 1 GiB) to the temporary folder, serves dist/ as the browser suite does, opens
 * the studio in Debian's Chromium (headless, a persistent profile as a person's browser has,
 * so the stored copy of the file goes to disk) with the data bench's chain as the default
 * project (load → clean → features → normalise → weight), gives the file to the load node
 * through its file input, presses Run and waits. It prints the node statuses, the wall times,
 * and the peak resident memory (VmHWM from /proc) of every Chromium process — the renderer
 * holds the page and its engine worker — sampled every second until the run ends. The file
 * and the profile are deleted at the end (unless --keep).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { chainDocument, writeTransactions } from '../src/cli/bench/data.ts';
import { serveStatic } from '../tests/e2e/static-server.ts';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const flags = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-dev-shm-usage'];

function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  const value = at >= 0 ? Number(process.argv[at + 1]) : Number.NaN;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/** Every process below `root` with its kind (--type=…, or 'browser') and VmRSS / VmHWM in bytes. */
function chromiumProcesses(root: number): { pid: number; kind: string; rss: number; hwm: number }[] {
  const parent = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parent.set(Number(entry), ppid);
    } catch {
      // The process ended while being read.
    }
  }
  const below = (pid: number): boolean => {
    for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p)) if (p === root) return true;
    return false;
  };
  const out: { pid: number; kind: string; rss: number; hwm: number }[] = [];
  for (const pid of parent.keys()) {
    if (!below(pid)) continue;
    try {
      // Chromium rewrites its children's command lines as one string with spaces.
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/);
      if (!/chrom/.test(cmdline[0] ?? '')) continue;
      const type = cmdline.find((a) => a.startsWith('--type='))?.slice(7) ?? 'browser';
      const extra = cmdline.find((a) => a.startsWith('--utility-sub-type='))?.slice(19);
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const kb = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0) * 1024;
      out.push({ pid, kind: extra ? `${type}:${extra}` : type, rss: kb('VmRSS'), hwm: kb('VmHWM') });
    } catch {
      // The process ended while being read.
    }
  }
  return out;
}

const mb = (bytes: number): number => Math.round(bytes / 1048576);

async function main(): Promise<void> {
  if (!existsSync('dist/index.html')) throw new Error('dist/ is missing: run `INSIGHT_TEST_PAGES=1 npx vite build` first.');
  const rows = Math.floor(flag('--rows', 14_200_000));
  const keep = process.argv.includes('--keep');
  const path = join(tmpdir(), `insight-tab-${rows}.csv`);
  if (!existsSync(path)) {
    const t = performance.now();
    writeTransactions(path, rows, 7);
    console.log(`wrote ${path}: ${mb(statSync(path).size)} MiB in ${Math.round((performance.now() - t) / 1000)} s`);
  }
  const fileBytes = statSync(path).size;
  const profile = mkdtempSync(join(tmpdir(), 'insight-tab-profile-'));
  const server = await serveStatic('dist', '/some/sub/path/');
  const context = await chromium.launchPersistentContext(profile, { executablePath: chromiumPath, headless: true, args: flags, viewport: { width: 1440, height: 900 } });
  const peaks = new Map<number, { kind: string; hwm: number; rss: number }>();
  const sample = (): void => {
    for (const p of chromiumProcesses(process.pid)) {
      const known = peaks.get(p.pid);
      peaks.set(p.pid, { kind: p.kind, hwm: Math.max(p.hwm, known?.hwm ?? 0), rss: Math.max(p.rss, known?.rss ?? 0) });
    }
  };
  const timer = setInterval(sample, 1000);
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
    });
    // The bench's chain, its nodes spread out so that each can be clicked.
    const chain = chainDocument();
    const doc = { ...chain, name: 'tab large file', nodes: chain.nodes.map((n, i) => ({ ...n, position: [i * 260, (i % 2) * 140] satisfies [number, number] })) };
    await page.route('**/examples/customer-insight.json', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(doc) }));
    await page.goto(server.url);
    await page.locator('[data-node-id="load1"]').waitFor({ timeout: 120_000 });
    const state = async (): Promise<{ completedRuns: number; statuses: Record<string, { state: string; summary?: string; durationMs?: number; issues?: { message: string }[] }> }> =>
      page.evaluate(() => {
        const hook: unknown = Reflect.get(globalThis, 'insightStudio');
        const read: unknown = hook !== null && typeof hook === 'object' ? Reflect.get(hook, 'state') : undefined;
        return JSON.parse(JSON.stringify(typeof read === 'function' ? read() : {}));
      });
    await page.locator('[data-node-id="load1"]').click({ position: { x: 12, y: 10 } });
    const given = performance.now();
    await page.getByLabel('Your file').setInputFiles(path);
    await page.locator('aside.inspector').getByText(/Using insight-tab/).waitFor({ timeout: 1_800_000 });
    const boundMs = performance.now() - given;
    sample();
    console.log(`file bound after ${Math.round(boundMs / 1000)} s; errors so far: ${errors.length}`);
    const before = (await state()).completedRuns;
    const started = performance.now();
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    let last = 0;
    for (;;) {
      await page.waitForTimeout(2000);
      let s: Awaited<ReturnType<typeof state>>;
      try {
        s = await state();
      } catch (err) {
        console.log(`the page stopped answering: ${err instanceof Error ? err.message : String(err)}`);
        break;
      }
      if (s.completedRuns > before) {
        console.log(`run finished after ${Math.round((performance.now() - started) / 1000)} s`);
        for (const [id, st] of Object.entries(s.statuses)) console.log(`  ${id}: ${st.state} ${st.summary ?? ''} ${st.durationMs !== undefined ? `${Math.round(st.durationMs)} ms` : ''} ${(st.issues ?? []).map((i) => i.message).join(' | ')}`);
        break;
      }
      if (performance.now() - last > 30_000) {
        last = performance.now();
        const renderer = [...peaks.values()].filter((p) => p.kind === 'renderer').reduce((a, p) => Math.max(a, p.hwm), 0);
        console.log(`  … ${Math.round((performance.now() - started) / 1000)} s, renderer peak so far ${mb(renderer)} MiB`);
      }
    }
    sample();
    console.log(`errors: ${errors.length === 0 ? 'none' : errors.join('\n  ')}`);
  } finally {
    clearInterval(timer);
    console.log(`file: ${mb(fileBytes)} MiB (${fileBytes} bytes)`);
    for (const [pid, p] of [...peaks.entries()].sort((a, b) => b[1].hwm - a[1].hwm)) {
      console.log(`  pid ${pid} ${p.kind.padEnd(28)} peak RSS (VmHWM) ${String(mb(p.hwm)).padStart(6)} MiB = ${(p.hwm / fileBytes).toFixed(2)}× the file`);
    }
    const total = [...peaks.values()].reduce((a, p) => a + p.hwm, 0);
    console.log(`  sum of the peaks (an upper bound of the browser's peak): ${mb(total)} MiB = ${(total / fileBytes).toFixed(2)}× the file`);
    await context.close();
    await server.close();
    rmSync(profile, { recursive: true, force: true });
    if (!keep) rmSync(path, { force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  },
);
