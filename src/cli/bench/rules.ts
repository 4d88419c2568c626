/**
 * `npm run bench -- rules`: FP-growth itemsets + rules (src/ml/fpgrowth.ts) on Groceries
 * (../shared/data, min support 0.001, confidence 0.8; goal < 0.5 s in Node) and on generated
 * baskets (default 1,000,000 × 5,000 products at min support 0.0005; goal < 30 s and < 1 GB),
 * with peak RSS and CPU time (wall time is noisy on a shared machine). Flags: --baskets N, --products N. No peer runs: mlxtend is not installed in
 * either python3 here and R is absent (each is checked and reported).
 */
import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { associationRules, frequentItemsets, type Baskets } from '../../ml/fpgrowth.ts';
import { createRng } from '../../ml/random.ts';
import { readBasketLines } from '../../data/baskets.ts';
import { report, type BenchOptions } from './report.ts';
import { ownPeakRss } from './peak-rss.ts';

const groceriesPath = fileURLToPath(new URL('../../../../shared/data/groceries/groceries.csv', import.meta.url));

function flag(argv: string[], name: string, fallback: number): number {
  const at = argv.indexOf(`--${name}`);
  const v = at >= 0 ? Number(argv[at + 1]) : Number.NaN;
  return Number.isFinite(v) && v > 0 ? Math.floor(v) : fallback;
}

/** Groceries as a basket CSR (through the Load reader's ragged-basket parser). */
export function groceriesBaskets(path: string): { baskets: Baskets; names: string[] } {
  const rows = readBasketLines(readFileSync(path, 'utf8'), ',');
  const [basket, item] = rows.columns;
  const ids = new Map<string, number>();
  const names: string[] = [];
  const offsets: number[] = [0];
  const items: number[] = [];
  let current = basket[0] ?? 0;
  for (let r = 0; r < basket.length; r++) {
    if (basket[r] !== current) {
      offsets.push(items.length);
      current = basket[r]!;
    }
    const name = item[r]!;
    let id = ids.get(name);
    if (id === undefined) {
      id = names.length;
      ids.set(name, id);
      names.push(name);
    }
    items.push(id);
  }
  offsets.push(items.length);
  return { baskets: { offsets: Int32Array.from(offsets), items: Int32Array.from(items), nItems: names.length }, names };
}

/**
 * Seeded synthetic baskets: sizes 1–20 (mean ≈ 6), items drawn from a Zipf-like popularity over
 * `products`, and in a third of the baskets one of 300 planted bundles of 2–4 items, so rules exist.
 */
export function syntheticBaskets(n: number, products: number, seed: number): Baskets {
  const rng = createRng(seed);
  const cumulative = new Float64Array(products);
  let total = 0;
  for (let i = 0; i < products; i++) cumulative[i] = total += 1 / (i + 10);
  const draw = (): number => {
    const u = rng.next() * total;
    let lo = 0;
    let hi = products - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const bundles = Array.from({ length: 300 }, () => Array.from({ length: 2 + rng.int(3) }, () => rng.int(products)));
  const offsets = new Int32Array(n + 1);
  const items: number[] = [];
  for (let b = 0; b < n; b++) {
    const size = 1 + Math.min(19, Math.floor(-Math.log(1 - rng.next()) * 5));
    for (let k = 0; k < size; k++) items.push(draw());
    if (rng.next() < 1 / 3) items.push(...bundles[rng.int(bundles.length)]!);
    offsets[b + 1] = items.length;
  }
  return { offsets, items: Int32Array.from(items), nItems: products };
}

function peerStatus(): string {
  const tried: string[] = [];
  for (const python of ['/usr/bin/python3', 'python3']) {
    const r = spawnSync(python, ['-c', 'import mlxtend'], { encoding: 'utf8' });
    tried.push(`${python}: ${r.status === 0 ? 'mlxtend present' : 'no mlxtend'}`);
  }
  const rscript = spawnSync('Rscript', ['--version'], { encoding: 'utf8' });
  tried.push(rscript.error ? 'Rscript absent' : 'Rscript present');
  return tried.join('; ');
}

const mib = (): number => ownPeakRss() / 1048576;

/** Runs the suite. */
export async function run(options: BenchOptions): Promise<void> {
  const { json, argv } = options;
  report({ suite: 'rules', case: 'peers', status: peerStatus() }, json);
  if (existsSync(groceriesPath)) {
    const { baskets } = groceriesBaskets(groceriesPath);
    const times: number[] = [];
    const cpu: number[] = [];
    let itemsets = 0;
    let rules = 0;
    for (let rep = 0; rep < 7; rep++) {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      const sets = frequentItemsets(baskets, { minSupport: 0.001, maxLength: 10 });
      const found = associationRules(sets, { minConfidence: 0.8 });
      times.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1000);
      itemsets = sets.size;
      rules = found.size;
    }
    const sorted = [...times].sort((a, b) => a - b);
    report({ suite: 'rules', case: 'groceries support 0.001 conf 0.8', baskets: baskets.offsets.length - 1, itemsets, rules, firstMs: times[0]!, medianMs: sorted[3]!, bestMs: sorted[0]!, medianCpuMs: [...cpu].sort((a, b) => a - b)[3]!, goalMs: 500 }, json);
  } else {
    report({ suite: 'rules', case: 'groceries', skipped: `${groceriesPath} not found` }, json);
  }
  const n = flag(argv, 'baskets', 1_000_000);
  const products = flag(argv, 'products', 5_000);
  const rssBefore = mib();
  const g0 = performance.now();
  const synthetic = syntheticBaskets(n, products, 7);
  const generateMs = performance.now() - g0;
  const rssData = mib();
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const sets = frequentItemsets(synthetic, { minSupport: 0.0005, maxLength: 10, maxItemsets: 5_000_000 });
  const mineMs = performance.now() - t0;
  const found = associationRules(sets, { minConfidence: 0.5 });
  const totalMs = performance.now() - t0;
  const c = process.cpuUsage(c0);
  report({
    suite: 'rules',
    case: `generated ${n} baskets x ${products} products support 0.0005`,
    occurrences: synthetic.items.length,
    itemsets: sets.size,
    rulesConf05: found.size,
    generateMs,
    itemsetsMs: mineMs,
    itemsetsAndRulesMs: totalMs,
    itemsetsAndRulesCpuMs: (c.user + c.system) / 1000,
    goalMs: 30_000,
    peakRssMiB: mib(),
    rssBeforeDataMiB: rssBefore,
    rssWithDataMiB: rssData,
    goalRssMiB: 1024,
  }, json);
}
