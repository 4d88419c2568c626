/**
 * `npm run bench -- recommend [--json] [--data DIR] [--skip-scale] [--receipts FILE]`
 *
 * 0. With --receipts FILE (a Dunnhumby-style table, e.g. from groceryReceiptsAtScale in
 *    src/auto/variants.ts): the fit (defaults as the recommend node: K = 100, history cap 500)
 *    and top-10 lists timed in CPU seconds, beside scripts/recommend_peer.py (scipy.sparse
 *    co-occurrence, the same cap and K) in the same run; skipped with a note without scipy.
 *
 * 1. Scale: item-item fit + top-10 for 100,000 synthetic customers × 5,000 products (seeded),
 *    with time per stage and the process's peak resident memory; the goal is < 30 s.
 * 2. Quality: offline evaluation on the real Online Retail sample (hold out each customer's last
 *    invoice) and the Groceries baskets (hold out one seeded random item per basket), item-item
 *    vs popularity in the same run, for several similarity choices; the check is
 *    recall@10(item-item) ≥ 1.5 × recall@10(popularity). On Groceries two probes bound what any
 *    item-item model could reach there: cosine and EASE fitted with the held-out items leaked in
 *    (ceilings, not results), and EASE fitted honestly. Data is read from DIR (default
 *    ../shared/data beside the repository); when it is absent the quality cases say so and skip.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  buildUserItems,
  evaluateOffline,
  fitItemItem,
  KeyIds,
  recommendAll,
  recommendPopular,
  scoreRankings,
  selectTop,
  splitLastBasket,
  splitRandomItem,
  type HoldoutSplit,
  type Interactions,
  type ItemItemOptions,
  type Recommendations,
} from '../../ml/recommend.ts';
import { choleskyFactor, choleskySubstitute } from '../../ml/matrix.ts';
import { createRng, firstAbove } from '../../ml/random.ts';
import { report, type BenchOptions } from './report.ts';
import { repoRoot } from '../node-host.ts';
import { parseCsv } from './csv-rows.ts';
import { ownPeakRss } from './peak-rss.ts';

export { parseCsv };

/** Online Retail events after cleaning, with the split held out by last invoice. */
export interface RetailData {
  /** Split for offline evaluation. */
  split: HoldoutSplit;
  /** Cleaned purchase lines kept. */
  rows: number;
  /** Customers kept. */
  customers: number;
  /** Products kept. */
  products: number;
  /** Invoices kept. */
  invoices: number;
}

/**
 * Loads online_retail_sample.csv: drops lines without CustomerID, cancellations (InvoiceNo "C…"),
 * non-positive quantities and non-product codes (StockCode not starting with a digit: POST, C2,
 * M, D, DOT, BANK CHARGES, …); a basket is an invoice, ordered by InvoiceDate.
 */
export function loadOnlineRetail(path: string): RetailData {
  const rows = parseCsv(readFileSync(path, 'utf8'));
  const header = rows[0] ?? [];
  const col = (name: string): number => {
    const at = header.indexOf(name);
    if (at < 0) throw new Error(`${path}: no column ${name}`);
    return at;
  };
  const cInvoice = col('InvoiceNo');
  const cStock = col('StockCode');
  const cQty = col('Quantity');
  const cDate = col('InvoiceDate');
  const cCustomer = col('CustomerID');
  const customers = new KeyIds<string>();
  const products = new KeyIds<string>();
  const invoices = new KeyIds<string>();
  const users: number[] = [];
  const items: number[] = [];
  const baskets: number[] = [];
  const times: number[] = [];
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r]!;
    if (row.length < header.length) continue;
    const customer = row[cCustomer]!.trim();
    const invoice = row[cInvoice]!.trim();
    const stock = row[cStock]!.trim().toUpperCase();
    const qty = Number(row[cQty]);
    if (customer === '' || invoice.startsWith('C') || !(qty > 0) || !/^[0-9]/.test(stock)) continue;
    const time = Date.parse(`${row[cDate]!.trim().replace(' ', 'T')}Z`);
    if (!Number.isFinite(time)) continue;
    users.push(customers.id(customer, customer));
    items.push(products.id(stock, stock));
    baskets.push(invoices.id(invoice, invoice));
    times.push(time);
  }
  const split = splitLastBasket({
    users: Int32Array.from(users),
    items: Int32Array.from(items),
    baskets: Int32Array.from(baskets),
    basketTimes: Float64Array.from(times),
    nUsers: customers.values.length,
    nItems: products.values.length,
  });
  return { split, rows: users.length, customers: customers.values.length, products: products.values.length, invoices: invoices.values.length };
}

/** Groceries baskets (long form basket_id,item) as users, with one seeded random item held out per basket. */
export function loadGroceries(
  path: string,
  seed: number,
): { split: HoldoutSplit; all: Interactions; baskets: number; items: number; rows: number } {
  const rows = parseCsv(readFileSync(path, 'utf8'));
  const baskets = new KeyIds<string>();
  const products = new KeyIds<string>();
  const users: number[] = [];
  const items: number[] = [];
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r]!;
    if (row.length < 2) continue;
    const basket = row[0]!.trim();
    const product = row[1]!.trim();
    users.push(baskets.id(basket, basket));
    items.push(products.id(product, product));
  }
  const x: Interactions = {
    users: Int32Array.from(users),
    items: Int32Array.from(items),
    nUsers: baskets.values.length,
    nItems: products.values.length,
  };
  return { split: splitRandomItem(x, seed), all: x, baskets: baskets.values.length, items: products.values.length, rows: users.length };
}

/** Synthetic implicit data: customers in taste groups, popularity Zipf-like, ~20 products each. */
export function syntheticInteractions(nUsers: number, nItems: number, seed: number): Interactions {
  const rng = createRng(seed);
  const groups = 50;
  const preferred = 100;
  // Global popularity ∝ 1 / (rank + 10): a long tail without one item dominating.
  const cdf = new Float64Array(nItems);
  let acc = 0;
  for (let i = 0; i < nItems; i++) {
    acc += 1 / (i + 10);
    cdf[i] = acc;
  }
  const draw = (): number => {
    const t = rng.next() * acc;
    return firstAbove(cdf, nItems, t);
  };
  const groupItems = Array.from({ length: groups }, () => Int32Array.from({ length: preferred }, () => rng.int(nItems)));
  const users: number[] = [];
  const items: number[] = [];
  for (let u = 0; u < nUsers; u++) {
    const g = groupItems[rng.int(groups)]!;
    // History length: log-normal around 15 (mean ≈ 20), at least 1.
    const len = Math.max(1, Math.round(Math.exp(Math.log(15) + 0.75 * rng.normal())));
    for (let k = 0; k < len; k++) {
      users.push(u);
      items.push(rng.next() < 0.6 ? g[rng.int(preferred)]! : draw());
    }
  }
  return { users: Int32Array.from(users), items: Int32Array.from(items), nUsers, nItems };
}

/** The similarity variants compared on the real data. */
const VARIANTS: { name: string; options: ItemItemOptions }[] = [
  { name: 'cosine K=20 (default)', options: {} },
  { name: 'cosine K=100', options: { neighbours: 100 } },
  { name: 'cosine+shrink10 K=20', options: { shrinkage: 10 } },
  { name: 'asym-cosine-0.7 K=20', options: { alpha: 0.7 } },
  { name: 'asym-cosine-1.0 K=20', options: { alpha: 1 } },
  { name: 'cosine-log-count K=20', options: { weighting: 'log-count' } },
];

function argValue(argv: string[], flag: string): string | null {
  const at = argv.indexOf(flag);
  return at >= 0 && at + 1 < argv.length ? (argv[at + 1] ?? null) : null;
}

/** Runs the suite. */
export async function run(options: BenchOptions): Promise<void> {
  const { json, argv } = options;
  const receipts = argValue(argv, '--receipts');
  if (receipts !== null) receiptsCase(resolve(receipts), json);
  if (!argv.includes('--skip-scale')) scale(json);
  const dataDir = resolve(argValue(argv, '--data') ?? join(process.cwd(), '..', 'shared', 'data'));
  const retailPath = join(dataDir, 'online-retail', 'online_retail_sample.csv');
  const groceriesPath = join(dataDir, 'groceries', 'groceries_long.csv');
  if (existsSync(retailPath)) {
    const data = loadOnlineRetail(retailPath);
    for (const v of VARIANTS) quality('online-retail', data.split, v.name, v.options, json, { customers: data.customers, products: data.products });
  } else {
    report({ suite: 'recommend', case: 'online-retail', skipped: `not found: ${retailPath}` }, json);
  }
  if (existsSync(groceriesPath)) {
    const data = loadGroceries(groceriesPath, 42);
    for (const v of VARIANTS) quality('groceries', data.split, v.name, v.options, json, { baskets: data.baskets, products: data.items });
    leakyBound(data.split, data.all, json);
    easeBound(data.split, data.all, json);
  } else {
    report({ suite: 'recommend', case: 'groceries', skipped: `not found: ${groceriesPath}` }, json);
  }
}

function quality(
  dataset: string,
  split: HoldoutSplit,
  variant: string,
  itemOptions: ItemItemOptions,
  json: boolean,
  context: Record<string, number>,
): void {
  const t0 = performance.now();
  const r = evaluateOffline(split, { ...itemOptions, n: 10 });
  const seconds = (performance.now() - t0) / 1000;
  report(
    {
      suite: 'recommend',
      case: `${dataset} ${variant}`,
      ...context,
      evalUsers: r.users,
      heldOutItems: r.heldOutItems,
      recall10: r.itemItem.recall,
      recall10Popularity: r.popularity.recall,
      recallRatio: r.recallRatio,
      hit10: r.itemItem.hitRate,
      hit10Popularity: r.popularity.hitRate,
      map10: r.itemItem.map,
      map10Popularity: r.popularity.map,
      passes1_5x: r.recallRatio >= 1.5,
      seconds,
    },
    json,
  );
}

/**
 * An optimistic ceiling, not a result: similarities fitted on ALL baskets (the held-out items
 * included, which a real evaluation must never do), scored on the training histories. See also
 * easeBound: the same leak with a regression-fitted item-item model.
 */
function leakyBound(split: HoldoutSplit, all: Interactions, json: boolean): void {
  for (const alpha of [0.5, 1]) {
    const train = fitItemItem(split.train, { alpha });
    const leaky = fitItemItem(all, { alpha });
    const s = scoreRankings(recommendAll({ ...train, neighbours: leaky.neighbours }, { n: 10 }), split);
    const p = scoreRankings(recommendPopular(train, { n: 10 }), split);
    report(
      {
        suite: 'recommend',
        case: `groceries LEAKY upper bound alpha=${alpha} (held-out items seen in similarity)`,
        recall10: s.recall,
        recall10Popularity: p.recall,
        recallRatio: s.recall / p.recall,
      },
      json,
    );
  }
}

/**
 * EASE (Steck 2019, "Embarrassingly shallow autoencoders"): the item-item weights B that best
 * reconstruct each basket from its other items by ridge regression, B = −P / diag(P) with
 * P = (XᵀX + λI)⁻¹ and diag(B) = 0, score(u, j) = Σ_{i ∈ history(u)} B_ij. A dense inverse, so
 * only for small catalogues (Groceries: 169 products). Probed to settle whether any
 * better-founded item-item model reaches 1.5× popularity on Groceries: fitted honestly on the
 * training split, and — as a ceiling — on all baskets, held-out items included.
 */
export function easeRecommendations(fit: Interactions, history: Interactions, lambda: number, n: number): Recommendations {
  const m = fit.nItems;
  const gram = new Float64Array(m * m);
  const fitRows = buildUserItems(fit);
  for (let u = 0; u < fitRows.rows; u++) {
    for (let a = fitRows.indptr[u]!; a < fitRows.indptr[u + 1]!; a++) {
      const i = fitRows.indices[a]!;
      for (let b = fitRows.indptr[u]!; b < fitRows.indptr[u + 1]!; b++) gram[i * m + fitRows.indices[b]!]! += 1;
    }
  }
  for (let i = 0; i < m; i++) gram[i * m + i]! += lambda;
  const inv = invertSpd(gram, m);
  const weights = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) if (i !== j) weights[i * m + j] = -inv[i * m + j]! / inv[j * m + j]!;
  const rows = buildUserItems(history);
  const items = new Int32Array(rows.rows * n).fill(-1);
  const score = new Float64Array(m);
  const bought = new Uint8Array(m);
  const candidates = new Int32Array(m);
  const top = new Int32Array(n);
  for (let u = 0; u < rows.rows; u++) {
    score.fill(0);
    bought.fill(0);
    for (let a = rows.indptr[u]!; a < rows.indptr[u + 1]!; a++) {
      const i = rows.indices[a]!;
      bought[i] = 1;
      for (let j = 0; j < m; j++) score[j]! += weights[i * m + j]!;
    }
    let c = 0;
    for (let j = 0; j < m; j++) if (!bought[j]) candidates[c++] = j;
    const got = selectTop(candidates, c, score, n, top);
    for (let s = 0; s < got; s++) items[u * n + s] = top[s]!;
  }
  return { n, users: rows.rows, items, scores: new Float64Array(items.length), reasons: new Int32Array(items.length).fill(-1), sources: new Uint8Array(items.length) };
}

/** Inverse of a symmetric positive definite m × m matrix: one Cholesky factor, then m solves. */
function invertSpd(a: Float64Array, m: number): Float64Array {
  const factor = Float64Array.from(a);
  if (!choleskyFactor(factor, m)) throw new Error('EASE: XᵀX + λI is not positive definite.');
  const inv = new Float64Array(m * m);
  const column = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    column.fill(0);
    column[j] = 1;
    choleskySubstitute(factor, column, m);
    for (let i = 0; i < m; i++) inv[i * m + j] = column[i]!;
  }
  return inv;
}

function easeBound(split: HoldoutSplit, all: Interactions, json: boolean): void {
  const popularity = scoreRankings(recommendPopular(fitItemItem(split.train), { n: 10 }), split);
  for (const lambda of [100, 300, 1000]) {
    for (const [name, fit] of [['EASE', split.train], ['LEAKY EASE upper bound', all]] as const) {
      const s = scoreRankings(easeRecommendations(fit, split.train, lambda, 10), split);
      report(
        {
          suite: 'recommend',
          case: `groceries ${name} lambda=${lambda}${fit === all ? ' (held-out items seen in the fit)' : ''}`,
          recall10: s.recall,
          recall10Popularity: popularity.recall,
          recallRatio: s.recall / popularity.recall,
          map10: s.map,
          map10Popularity: popularity.map,
        },
        json,
      );
    }
  }
}

function scale(json: boolean): void {
  const nUsers = 100_000;
  const nItems = 5_000;
  const t0 = performance.now();
  const data = syntheticInteractions(nUsers, nItems, 2024);
  const t1 = performance.now();
  const model = fitItemItem(data);
  const t2 = performance.now();
  const recs = recommendAll(model, { n: 10 });
  const t3 = performance.now();
  let filled = 0;
  for (let k = 0; k < recs.items.length; k++) if (recs.items[k]! >= 0) filled++;
  const mem = process.memoryUsage();
  report(
    {
      suite: 'recommend',
      case: `scale ${nUsers} customers x ${nItems} products, top-10`,
      interactions: data.users.length,
      distinctPairs: model.userItems.indices.length,
      generateSeconds: (t1 - t0) / 1000,
      fitSeconds: (t2 - t1) / 1000,
      recommendSeconds: (t3 - t2) / 1000,
      totalSeconds: (t3 - t1) / 1000,
      goalSeconds: 30,
      ratioToGoal: (t3 - t1) / 1000 / 30,
      slotsFilled: filled,
      peakRssMiB: ownPeakRss() / 1048576,
      heapUsedMiB: mem.heapUsed / 2 ** 20,
      arrayBuffersMiB: mem.arrayBuffers / 2 ** 20,
    },
    json,
  );
}

/** Purchases of a receipts table (household_key, PRODUCT_ID, QUANTITY columns, by name), quantity ≤ 0 left out. */
export function loadReceipts(path: string): Interactions {
  const text = readFileSync(path, 'utf8');
  const firstLine = text.indexOf('\n');
  const header = text.slice(0, firstLine).trim().split(',');
  const at = (name: string): number => {
    const k = header.indexOf(name);
    if (k < 0) throw new Error(`${path}: no column ${name}`);
    return k;
  };
  const [cu, cp, cq] = [at('household_key'), at('PRODUCT_ID'), at('QUANTITY')];
  const customers = new KeyIds<string>();
  const products = new KeyIds<string>();
  const users: number[] = [];
  const items: number[] = [];
  const counts: number[] = [];
  for (let pos = firstLine + 1; pos < text.length; ) {
    const end = text.indexOf('\n', pos) < 0 ? text.length : text.indexOf('\n', pos);
    const f = text.slice(pos, end).split(',');
    pos = end + 1;
    const q = Number(f[cq]);
    if (f.length < header.length || !(q > 0)) continue;
    users.push(customers.id(f[cu]!, f[cu]!));
    items.push(products.id(f[cp]!, f[cp]!));
    counts.push(q);
  }
  return { users: Int32Array.from(users), items: Int32Array.from(items), counts: Float64Array.from(counts), nUsers: customers.values.length, nItems: products.values.length };
}

function cpuSeconds<T>(f: () => T): [T, number] {
  const start = process.cpuUsage();
  const value = f();
  const used = process.cpuUsage(start);
  return [value, (used.user + used.system) / 1e6];
}

function receiptsCase(path: string, json: boolean): void {
  const x = loadReceipts(path);
  const [model, fitCpuSeconds] = cpuSeconds(() => fitItemItem(x, { neighbours: 100, maxHistory: 500 }));
  const [, recommendCpuSeconds] = cpuSeconds(() => recommendAll(model, { n: 10 }));
  const python = ['/usr/bin/python3', 'python3'].find((py) => spawnSync(py, ['-c', 'import scipy, pandas'], { encoding: 'utf8' }).status === 0);
  const peer = python === undefined ? null : spawnSync(python, [join(repoRoot, 'scripts', 'recommend_peer.py'), path, '500', '100'], { encoding: 'utf8', maxBuffer: 1 << 24 });
  const peerLine = peer?.status === 0 ? (peer.stdout.trim().split('\n').pop() ?? '') : '';
  const parsed: unknown = peerLine === '' ? null : JSON.parse(peerLine);
  const peerFit = typeof parsed === 'object' && parsed !== null && 'fitCpuSeconds' in parsed && typeof parsed.fitCpuSeconds === 'number' ? parsed.fitCpuSeconds : null;
  report(
    {
      suite: 'recommend',
      case: `receipts ${x.users.length} rows, K=100, cap 500`,
      customers: x.nUsers,
      products: x.nItems,
      cappedCustomers: model.cappedUsers,
      fitCpuSeconds,
      recommendCpuSeconds,
      peerFitCpuSeconds: peerFit,
      fitRatioToPeer: peerFit === null ? null : fitCpuSeconds / peerFit,
      ...(peerFit === null ? { peerSkipped: python === undefined ? 'no python with scipy and pandas' : `recommend_peer.py failed: ${peer?.stderr.slice(-200) ?? ''}` } : {}),
    },
    json,
  );
}
