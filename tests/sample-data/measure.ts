/**
 * Measurements of a generated sample set against its own ground truth, used by the quality
 * test and by scripts/measure-sample-data.ts: the Bayes AUC of truth.csv, the cross-validated
 * AUC of a logistic regression on recency/frequency/monetary totals, the same on weekly
 * sequence counts (a linear stand-in for the LSTM), and how well k-means on simple
 * per-customer features recovers the planted archetypes (adjusted Rand index).
 *
 * Reads the files as text with a small RFC 4180 parser and a light, explicit cleaning
 * (drop rows equal to the line before, skip rows whose customer, quantity or price cannot
 * be read, drop quantity outliers) so that it works on dirty sets too.
 */
import { adjustedRandIndex } from '../../src/ml/cluster-metrics.ts';
import { kmeans } from '../../src/ml/kmeans.ts';
import { crossValidateLogistic } from '../../src/ml/logistic.ts';
import type { Matrix } from '../../src/ml/matrix.ts';
import { rocAuc } from '../../src/ml/metrics.ts';
import { createRng } from '../../src/ml/random.ts';
import { generate, type GenerateOptions, type OutputFile } from '../../sample-data/generator.ts';

import { parseCsv } from '../../src/cli/bench/csv-rows.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export { parseCsv };

/** Data lines of a CSV text (header dropped) with lines equal to their predecessor removed. */
export function dedupedLines(text: string): string[] {
  const lines = text.split('\n');
  const out: string[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line === '' || line === lines[i - 1]) continue;
    out.push(line);
  }
  return out;
}

/** Parses "YYYY-MM-DD HH:MM:SS" or "DD/MM/YYYY HH:MM" (UTC) to epoch seconds; NaN otherwise. */
export function parseTimestamp(text: string): number {
  const t = text.trim();
  let m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(t);
  if (m) return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) / 1000;
  m = /^(\d{2})\/(\d{2})\/(\d{4}) (\d{2}):(\d{2})$/.exec(t);
  if (m) return Date.UTC(+m[3]!, +m[2]! - 1, +m[1]!, +m[4]!, +m[5]!, 0) / 1000;
  return Number.NaN;
}

/** Reads a number that may be written with a decimal comma or thousands separators; NaN for "N/A" or blank. */
export function parseLooseNumber(text: string): number {
  const t = text.trim();
  if (t === '' || t === 'N/A') return Number.NaN;
  if (/^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(t)) return Number(t.replace(/,/g, ''));
  if (/^-?\d+,\d{1,2}$/.test(t)) return Number(t.replace(',', '.'));
  return Number(t);
}

/** The committed sample set's folder (sample-data/customer-insight). */
export const COMMITTED_DIR = join(import.meta.dirname, '..', '..', 'sample-data', 'customer-insight');

/** The committed sample set's files, as text. */
export function committedTexts(): SampleTexts {
  const read = (file: string): string => readFileSync(join(COMMITTED_DIR, file), 'utf8');
  return {
    customers: read('customers.csv'),
    products: read('products.csv'),
    transactions: read('transactions.csv'),
    events: read('events.csv'),
    truth: read('truth.csv'),
    manifest: read('manifest.json'),
  };
}

/** The files of one sample set, as text. */
export interface SampleTexts {
  /** customers.csv */
  customers: string;
  /** products.csv */
  products: string;
  /** transactions.csv */
  transactions: string;
  /** events.csv */
  events: string;
  /** truth.csv */
  truth: string;
  /** manifest.json */
  manifest: string;
}

/** Per-customer arrays derived from a sample set, in truth.csv order. */
export interface CustomerTable {
  /** Customer ids. */
  ids: number[];
  /** Archetype index per customer (order of first appearance in truth.csv). */
  archetype: Int32Array;
  /** purchase_probability per customer. */
  probability: Float64Array;
  /** purchased per customer (0/1). */
  purchased: Float64Array;
  /** Days from the last order to the cutoff (the window length when there is none). */
  recencyDays: Float64Array;
  /** Number of distinct order invoices (returns excluded). */
  frequency: Float64Array;
  /** Net spend: Σ quantity × unit_price, returns included. */
  monetary: Float64Array;
  /** Share of ordered units per category, n × categories row-major. */
  categoryShares: Float64Array;
  /** Number of categories. */
  categories: number;
  /** Weekly counts [n × weeks × channels]: view, search, click, cart events, order invoices. */
  weekly: Float64Array;
  /** Observed weeks. */
  weeks: number;
}

/** Number of weekly channels in CustomerTable.weekly. */
export const WEEKLY_CHANNELS = 5;
const EVENT_CHANNEL: Record<string, number> = { view: 0, search: 1, click: 2, cart: 3 };

/** Builds per-customer features from the texts of a sample set. */
export function customerTable(texts: SampleTexts): CustomerTable {
  const manifest: unknown = JSON.parse(texts.manifest);
  const { cutoff, observedStart, weeks } = readWindow(manifest);
  const truthRows = parseCsv(texts.truth).slice(1);
  const n = truthRows.length;
  const index = new Map<number, number>();
  const archetypeIndex = new Map<string, number>();
  const ids: number[] = [];
  const archetype = new Int32Array(n);
  const probability = new Float64Array(n);
  const purchased = new Float64Array(n);
  truthRows.forEach(([id = '', arch = '', p = '', y = ''], i) => {
    ids.push(Number(id));
    index.set(Number(id), i);
    if (!archetypeIndex.has(arch)) archetypeIndex.set(arch, archetypeIndex.size);
    archetype[i] = archetypeIndex.get(arch) ?? 0;
    probability[i] = Number(p);
    purchased[i] = Number(y);
  });

  const productCategory = new Map<string, number>();
  const categoryIndex = new Map<string, number>();
  for (const [pid = '', , category = ''] of parseCsv(texts.products).slice(1)) {
    if (!categoryIndex.has(category)) categoryIndex.set(category, categoryIndex.size);
    productCategory.set(pid, categoryIndex.get(category) ?? 0);
  }
  const categories = categoryIndex.size;

  const lastOrder = new Float64Array(n).fill(Number.NEGATIVE_INFINITY);
  const frequency = new Float64Array(n);
  const monetary = new Float64Array(n);
  const units = new Float64Array(n * categories);
  const weekly = new Float64Array(n * weeks * WEEKLY_CHANNELS);
  const invoices = new Set<string>();
  const weekOf = (t: number): number => Math.min(weeks - 1, Math.max(0, Math.floor((t - observedStart) / (7 * 86400))));

  for (const line of dedupedLines(texts.transactions)) {
    const [invoiceRaw = '', customerRaw = '', time = '', productRaw = '', quantityRaw = '', priceRaw = ''] = parseCsv(`${line}\n`)[0] ?? [];
    const i = index.get(Number(customerRaw.trim()));
    const quantity = parseLooseNumber(quantityRaw);
    const price = parseLooseNumber(priceRaw);
    const t = parseTimestamp(time);
    if (i === undefined || !Number.isFinite(quantity) || Math.abs(quantity) >= 100) continue;
    const invoice = invoiceRaw.trim();
    if (Number.isFinite(price)) monetary[i]! += quantity * price;
    if (quantity > 0) {
      const c = productCategory.get(productRaw.trim());
      if (c !== undefined) units[i * categories + c]! += quantity;
      if (!invoices.has(invoice)) {
        invoices.add(invoice);
        frequency[i]!++;
        if (Number.isFinite(t)) {
          lastOrder[i] = Math.max(lastOrder[i]!, t);
          weekly[(i * weeks + weekOf(t)) * WEEKLY_CHANNELS + 4]!++;
        }
      }
    }
  }
  for (const line of dedupedLines(texts.events)) {
    const [customerRaw = '', time = '', eventRaw = ''] = line.split(',');
    const i = index.get(Number(customerRaw.trim()));
    const channel = EVENT_CHANNEL[eventRaw.trim()];
    const t = parseTimestamp(time);
    if (i === undefined || channel === undefined || !Number.isFinite(t)) continue;
    weekly[(i * weeks + weekOf(t)) * WEEKLY_CHANNELS + channel]!++;
  }

  const recencyDays = new Float64Array(n);
  const categoryShares = new Float64Array(n * categories);
  for (let i = 0; i < n; i++) {
    recencyDays[i] = Number.isFinite(lastOrder[i]!) ? (cutoff - lastOrder[i]!) / 86400 : weeks * 7;
    let total = 0;
    for (let c = 0; c < categories; c++) total += units[i * categories + c]!;
    for (let c = 0; c < categories; c++) categoryShares[i * categories + c] = total > 0 ? units[i * categories + c]! / total : 0;
  }
  return { ids, archetype, probability, purchased, recencyDays, frequency, monetary, categoryShares, categories, weekly, weeks };
}

/** Reads cutoff, observed start and weeks from a parsed manifest. */
function readWindow(manifest: unknown): { cutoff: number; observedStart: number; weeks: number } {
  if (typeof manifest !== 'object' || manifest === null) throw new Error('manifest.json is not an object');
  const cutoffText = 'cutoff' in manifest ? manifest.cutoff : undefined;
  const startText = 'observed_start' in manifest ? manifest.observed_start : undefined;
  if (typeof cutoffText !== 'string' || typeof startText !== 'string') throw new Error('manifest.json lacks cutoff/observed_start');
  const cutoff = parseTimestamp(cutoffText);
  const observedStart = parseTimestamp(startText);
  return { cutoff, observedStart, weeks: Math.round((cutoff - observedStart) / (7 * 86400)) };
}

/** Fold id per row: a seeded shuffle dealt round-robin into k folds. */
export function foldIds(n: number, k: number, seed: number): Int32Array {
  const order = createRng(seed).shuffle(Array.from({ length: n }, (_, i) => i));
  const folds = new Int32Array(n);
  order.forEach((row, at) => (folds[row] = at % k));
  return folds;
}

/** Out-of-fold AUC of an L2 logistic regression (standardised features) with 5-fold CV. */
export function cvLogisticAuc(x: Matrix, y: Float64Array, seed: number, C = 1): number {
  const cv = crossValidateLogistic(x, y, foldIds(x.n, 5, seed), { C });
  return rocAuc(y, cv.probabilities);
}

/** Recency, frequency and monetary totals as an n × 3 matrix (log1p on the skewed counts). */
export function rfmMatrix(t: CustomerTable): Matrix {
  const n = t.ids.length;
  const values = new Float64Array(n * 3);
  for (let i = 0; i < n; i++) {
    values[i * 3] = t.recencyDays[i]!;
    values[i * 3 + 1] = Math.log1p(t.frequency[i]!);
    values[i * 3 + 2] = Math.sign(t.monetary[i]!) * Math.log1p(Math.abs(t.monetary[i]!));
  }
  return { values, n, d: 3 };
}

/** Every weekly count of every channel (weeks × channels features), log1p-transformed. */
export function weeklyMatrix(t: CustomerTable): Matrix {
  const n = t.ids.length;
  const d = t.weeks * WEEKLY_CHANNELS;
  const values = new Float64Array(n * d);
  for (let k = 0; k < n * d; k++) values[k] = Math.log1p(t.weekly[k]!);
  return { values, n, d };
}

/** Min-max normalised recency, frequency, monetary followed by the category shares. */
export function segmentMatrix(t: CustomerTable): Matrix {
  const n = t.ids.length;
  const d = 3 + t.categories;
  const values = new Float64Array(n * d);
  const columns = [t.recencyDays, t.frequency, t.monetary];
  columns.forEach((column, j) => {
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (const v of column) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    const span = hi - lo;
    for (let i = 0; i < n; i++) values[i * d + j] = span > 0 ? (column[i]! - lo) / span : 0;
  });
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < t.categories; c++) values[i * d + 3 + c] = t.categoryShares[i * t.categories + c]!;
  }
  return { values, n, d };
}

/** The headline figures of a sample set. */
export interface Quality {
  /** Customers measured. */
  customers: number;
  /** Share with purchased = 1. */
  baseRate: number;
  /** AUC of purchase_probability against purchased. */
  bayesAuc: number;
  /** 5-fold CV AUC of logistic regression on recency/frequency/monetary. */
  rfmAuc: number;
  /** 5-fold CV AUC of logistic regression on all weekly counts (a linear sequence model). */
  weeklyAuc: number;
  /** Adjusted Rand index of k-means (k = number of archetypes) against the archetypes. */
  ari: number;
  /** Number of planted archetypes. */
  archetypes: number;
}

/** Measures a sample set; `seed` drives folds and k-means restarts. */
export function measureQuality(texts: SampleTexts, seed = 7): Quality {
  const t = customerTable(texts);
  const archetypes = new Set(t.archetype).size;
  const clusters = kmeans(segmentMatrix(t), { k: archetypes, seed, restarts: 8 });
  let positives = 0;
  for (const y of t.purchased) positives += y;
  return {
    customers: t.ids.length,
    baseRate: positives / t.ids.length,
    bayesAuc: rocAuc(t.purchased, t.probability),
    rfmAuc: cvLogisticAuc(rfmMatrix(t), t.purchased, seed),
    weeklyAuc: cvLogisticAuc(weeklyMatrix(t), t.purchased, seed, 0.05),
    ari: adjustedRandIndex(t.archetype, clusters.labels),
    archetypes,
  };
}

/** Generates a sample set in memory and returns its files as text. */
export async function generateTexts(options: GenerateOptions): Promise<SampleTexts> {
  const chunks = new Map<OutputFile, Uint8Array[]>();
  await generate(options, {
    write(file, chunk) {
      const list = chunks.get(file) ?? [];
      list.push(chunk);
      chunks.set(file, list);
    },
  });
  const decoder = new TextDecoder();
  const text = (file: OutputFile): string => {
    const list = chunks.get(file) ?? [];
    const all = new Uint8Array(list.reduce((s, c) => s + c.length, 0));
    let at = 0;
    for (const c of list) {
      all.set(c, at);
      at += c.length;
    }
    return decoder.decode(all);
  };
  return {
    customers: text('customers.csv'),
    products: text('products.csv'),
    transactions: text('transactions.csv'),
    events: text('events.csv'),
    truth: text('truth.csv'),
    manifest: text('manifest.json'),
  };
}
