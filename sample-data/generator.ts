/**
 * The seeded customer-behaviour simulator: an e-commerce shop whose customers belong to
 * planted archetypes, browse in sessions whose rate rises or fades over the last weeks,
 * buy, return, and — in the four weeks after the observed window — buy again with a known
 * probability. Writes customers, products, transactions, events, truth and a manifest as
 * UTF-8 chunks of CSV/JSON to a sink, customer by customer, so memory stays bounded and the
 * same code runs in Node and in the browser. Byte-for-byte deterministic for a given seed
 * and options: every customer draws from its own streams derived from the seed.
 */
import { createRng, deriveSeed, type Rng } from '../src/ml/random.ts';
import { ByteBuffer, utf8 } from './byte-output.ts';
import { DAY_SECONDS, TimestampFormatter, dayFirstDate, epochSecondsOf, isoDate } from './csv-text.ts';
import { WEEK_SECONDS, simulateCustomer, type CustomerRows, type EventName, type SimulationWorld, type TxRow } from './customer.ts';
import { DIRT_SPECS, DirtWriter, emptyDirtCounts, joinFields, type DirtCounts } from './dirt.ts';
import type { Person } from './people.ts';
import { ARCHETYPES, CATEGORIES, buildCatalogue, productChoiceTables } from './world.ts';

/** The first moment after the observed window (UTC midnight); fixed for every option set. */
export const CUTOFF_DATE = '2024-07-01';
/** Weeks after the cutoff over which `purchased` is defined. */
export const HORIZON_WEEKS = 4;
/** Default number of observed weeks. */
export const DEFAULT_WEEKS = 26;
/** Largest accepted --customers. */
export const MAX_CUSTOMERS = 10_000_000;
/** Largest accepted --dirty: at most six kinds of dirt at 10% each leave at least 40% of rows clean. */
export const MAX_DIRTY = 0.1;

/** Options of one generation, as given on the command line. */
export interface GenerateOptions {
  /** Number of customers (1..MAX_CUSTOMERS). */
  customers: number;
  /** Seed (integer 0..2^32−1). */
  seed: number;
  /** Observed weeks ending at the cutoff (8..104); default 26. */
  weeks?: number;
  /** Dirt rate per kind per row (0..MAX_DIRTY); default 0. */
  dirty?: number;
}

/** Options with defaults applied and checked. */
export interface ResolvedOptions {
  /** Number of customers. */
  customers: number;
  /** Seed. */
  seed: number;
  /** Observed weeks. */
  weeks: number;
  /** Dirt rate per kind per row. */
  dirty: number;
  /** Horizon weeks (fixed). */
  horizon_weeks: number;
}

/** Files a generation writes, in the order they are started. */
export const OUTPUT_FILES = ['products.csv', 'customers.csv', 'transactions.csv', 'events.csv', 'truth.csv', 'manifest.json'] as const;

/** One output file name. */
export type OutputFile = (typeof OUTPUT_FILES)[number];

/** Receives the files as UTF-8 chunks; a returned promise is awaited before more is produced (backpressure). */
export interface GenerateSink {
  /** Appends `chunk` (UTF-8 bytes, never reused by the generator) to `file`. */
  write(file: OutputFile, chunk: Uint8Array): void | Promise<void>;
}

/** Rejected option; `option` names the flag without dashes. */
export class GenerateOptionsError extends Error {
  /** The offending option, e.g. "customers". */
  readonly option: string;

  constructor(option: string, message: string) {
    super(message);
    this.name = 'GenerateOptionsError';
    this.option = option;
  }
}

/** Everything manifest.json records. */
export interface Manifest {
  /** Format tag. */
  format: 'insight-sample-data';
  /** Format version. */
  version: 1;
  /** Options used (defaults filled in). */
  options: ResolvedOptions;
  /** The seed (repeated at top level for quick reading). */
  seed: number;
  /** First observed moment, "YYYY-MM-DD HH:MM:SS" UTC. */
  observed_start: string;
  /** First moment after the observed window; transactions and events end before it. */
  cutoff: string;
  /** End of the prediction horizon (exclusive). */
  horizon_end: string;
  /** Data rows per file as written (header excluded, duplicates included). */
  rows: Record<CsvFile, number>;
  /** Summary of the ground truth. */
  truth: {
    /** Customers per archetype. */
    archetypes: Record<string, number>;
    /** Share of customers with purchased = 1. */
    base_rate: number;
    /** Mean purchase_probability. */
    mean_probability: number;
    /** ROC AUC of purchase_probability (as written) against purchased: the Bayes-optimal AUC. */
    bayes_auc: number;
  };
  /** Exactly how much of each kind of dirt was injected. */
  dirt: DirtCounts;
}

/** Checks options and fills in defaults; throws GenerateOptionsError naming the option. */
export function resolveOptions(options: GenerateOptions): ResolvedOptions {
  const { customers, seed } = options;
  const weeks = options.weeks ?? DEFAULT_WEEKS;
  const dirty = options.dirty ?? 0;
  if (!Number.isInteger(customers) || customers < 1 || customers > MAX_CUSTOMERS) {
    throw new GenerateOptionsError('customers', `--customers must be an integer from 1 to ${MAX_CUSTOMERS}; got ${String(customers)}.`);
  }
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new GenerateOptionsError('seed', `--seed must be an integer from 0 to 4294967295; got ${String(seed)}.`);
  }
  if (!Number.isInteger(weeks) || weeks < 8 || weeks > 104) {
    throw new GenerateOptionsError('weeks', `--weeks must be an integer from 8 to 104; got ${String(weeks)}.`);
  }
  if (!Number.isFinite(dirty) || dirty < 0 || dirty > MAX_DIRTY) {
    throw new GenerateOptionsError('dirty', `--dirty must be a number from 0 to ${MAX_DIRTY}; got ${String(dirty)}.`);
  }
  return { customers, seed, weeks, dirty, horizon_weeks: HORIZON_WEEKS };
}

/** The CSV files (every output but the manifest). */
export type CsvFile = Exclude<OutputFile, 'manifest.json'>;
/** The CSV files in output order. */
const CSV_FILES: readonly CsvFile[] = ['products.csv', 'customers.csv', 'transactions.csv', 'events.csv', 'truth.csv'];

/** Header lines of the CSV files. */
export const HEADERS: Record<CsvFile, string> = {
  'products.csv': 'product_id,name,category,price\n',
  'customers.csv': `${DIRT_SPECS['customers.csv'].columns.join(',')}\n`,
  'transactions.csv': `${DIRT_SPECS['transactions.csv'].columns.join(',')}\n`,
  'events.csv': `${DIRT_SPECS['events.csv'].columns.join(',')}\n`,
  'truth.csv': 'customer_id,archetype,purchase_probability,purchased\n',
};

/** Customer id of the i-th customer (0-based): 100001, 100002, ... */
export function customerId(index: number): number {
  return 100_001 + index;
}

/** Invoice id counter start. */
const FIRST_INVOICE = 500_000;
/** Size of the output chunks handed to the sink. */
const CHUNK_BYTES = 1 << 20;
/** ",event," as bytes, the middle of a clean event row. */
const EVENT_BYTES: Record<EventName, Uint8Array> = {
  view: utf8(',view,'),
  search: utf8(',search,'),
  click: utf8(',click,'),
  cart: utf8(',cart,'),
};

/** Byte buffers per file, handed to the sink in large chunks. */
class Output {
  /** Buffer per output file. */
  readonly files: Record<OutputFile, ByteBuffer> = {
    'products.csv': new ByteBuffer(CHUNK_BYTES),
    'customers.csv': new ByteBuffer(CHUNK_BYTES),
    'transactions.csv': new ByteBuffer(CHUNK_BYTES),
    'events.csv': new ByteBuffer(CHUNK_BYTES),
    'truth.csv': new ByteBuffer(CHUNK_BYTES),
    'manifest.json': new ByteBuffer(CHUNK_BYTES),
  };
  /** Data rows written per file. */
  readonly rows: Record<CsvFile, number> = {
    'products.csv': 0,
    'customers.csv': 0,
    'transactions.csv': 0,
    'events.csv': 0,
    'truth.csv': 0,
  };

  constructor(private readonly sink: GenerateSink) {}

  /** Appends text to a file. */
  append(file: OutputFile, text: string): void {
    this.files[file].text(text);
  }

  /** Sends buffers that hold at least a chunk (or everything when `all`). */
  async flush(all: boolean): Promise<void> {
    for (const file of OUTPUT_FILES) {
      const buffer = this.files[file];
      if (buffer.size === 0 || (!all && buffer.size < CHUNK_BYTES)) continue;
      for (const chunk of buffer.take()) {
        const pending = this.sink.write(file, chunk);
        if (pending !== undefined) await pending;
      }
    }
  }
}

/** A product's id and price as text and as the byte pieces of clean rows. */
interface ProductText {
  /** Product id. */
  id: string;
  /** Price with two decimals. */
  price: string;
  /** "P0001\n": the end of an event row. */
  tail: Uint8Array;
  /** ",P0001,": between timestamp and quantity in a transaction row. */
  middle: Uint8Array;
  /** ",24.99\n": the end of a transaction row. */
  priceTail: Uint8Array;
}

/** Copies bytes into buf at pos; returns the position after them. */
function writeBytes(buf: Uint8Array, pos: number, bytes: Uint8Array): number {
  for (let b = 0; b < bytes.length; b++) buf[pos++] = bytes[b] ?? 0;
  return pos;
}

/** Writes an ASCII string into buf at pos; returns the position after it. */
function writeAscii(buf: Uint8Array, pos: number, text: string): number {
  for (let k = 0; k < text.length; k++) buf[pos++] = text.charCodeAt(k);
  return pos;
}

/**
 * Formats one customer's rows into the output buffers, applying dirt from the customer's
 * own dirt stream. Clean event rows, the bulk of the output, are written byte by byte.
 */
class RowWriter implements CustomerRows {
  private id = '';
  private prefix: Uint8Array = new Uint8Array(0);
  private rng: Rng = createRng(0);

  constructor(
    private readonly out: Output,
    private readonly format: TimestampFormatter,
    private readonly products: readonly ProductText[],
    private readonly writers: Record<'customers' | 'transactions' | 'events', DirtWriter>,
  ) {}

  /** Starts the rows of a customer with their id and dirt stream. */
  begin(customerId: number, dirtRng: Rng): void {
    this.id = String(customerId);
    this.prefix = utf8(`${this.id},`);
    this.rng = dirtRng;
  }

  /** Writes the customer record. */
  customer(person: Person, signupDay: number): void {
    const fields = [this.id, isoDate(signupDay), String(person.age), person.gender, person.occupation, person.city, person.name, person.email, person.phone];
    this.write('customers.csv', this.writers.customers, fields, () => dayFirstDate(signupDay));
  }

  /** Writes a browsing event. */
  event(t: number, event: EventName, product: number): void {
    const writer = this.writers.events;
    const kind = writer.draw(this.rng);
    const p = this.products[product];
    if (p === undefined) throw new Error(`No product ${product}`);
    if (kind !== null) {
      const fields = [this.id, this.format.iso(t), event, p.id];
      this.out.files['events.csv'].text(writer.dirty(kind, fields, this.rng, () => this.format.dayFirst(t)));
      this.out.rows['events.csv'] += kind === 'duplicate_rows' ? 2 : 1;
      return;
    }
    const events = this.out.files['events.csv'];
    const { prefix } = this;
    const name = EVENT_BYTES[event];
    const tail = p.tail;
    events.ensure(prefix.length + 19 + name.length + tail.length);
    const buf = events.buf;
    let pos = writeBytes(buf, events.pos, prefix);
    pos = this.format.writeIso(buf, pos, t);
    pos = writeBytes(buf, pos, name);
    events.pos = writeBytes(buf, pos, tail);
    this.out.rows['events.csv']++;
  }

  /** Writes an order or return line. */
  transaction(row: TxRow): void {
    const p = this.products[row.product];
    if (p === undefined) throw new Error(`No product ${row.product}`);
    const writer = this.writers.transactions;
    const kind = writer.draw(this.rng);
    if (kind !== null) {
      const fields = [row.invoice, this.id, this.format.iso(row.t), p.id, String(row.quantity), p.price];
      this.out.files['transactions.csv'].text(writer.dirty(kind, fields, this.rng, () => this.format.dayFirst(row.t)));
      this.out.rows['transactions.csv'] += kind === 'duplicate_rows' ? 2 : 1;
      return;
    }
    // Clean rows are written as bytes, like events: every field here is plain ASCII without commas.
    const quantity = String(row.quantity);
    const file = this.out.files['transactions.csv'];
    file.ensure(row.invoice.length + this.prefix.length + 21 + p.middle.length + quantity.length + p.priceTail.length);
    const buf = file.buf;
    let pos = writeAscii(buf, file.pos, row.invoice);
    buf[pos++] = 44;
    pos = writeBytes(buf, pos, this.prefix);
    pos = this.format.writeIso(buf, pos, row.t);
    pos = writeBytes(buf, pos, p.middle);
    pos = writeAscii(buf, pos, quantity);
    file.pos = writeBytes(buf, pos, p.priceTail);
    this.out.rows['transactions.csv']++;
  }

  private write(file: 'customers.csv', writer: DirtWriter, fields: string[], secondDate: () => string): void {
    const kind = writer.draw(this.rng);
    this.out.files[file].text(kind === null ? joinFields(fields) : writer.dirty(kind, fields, this.rng, secondDate));
    this.out.rows[file] += kind === 'duplicate_rows' ? 2 : 1;
  }
}

/** ROC AUC by ranks with ties averaged (Mann–Whitney). */
function rankAuc(scores: Float64Array, labels: Uint8Array): number {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => (scores[x] ?? 0) - (scores[y] ?? 0));
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1] ?? 0] === scores[order[i] ?? 0]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (labels[order[k] ?? 0] === 1) {
        positives++;
        rankSum += rank;
      }
    }
    i = j + 1;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * Generates the whole sample set into `sink` and returns the manifest (also written as
 * manifest.json). `onProgress` is told how many customers are done.
 */
export async function generate(options: GenerateOptions, sink: GenerateSink, onProgress?: (done: number, total: number) => void): Promise<Manifest> {
  const resolved = resolveOptions(options);
  const { customers, seed, weeks, dirty } = resolved;
  const cutoffEpoch = epochSecondsOf(CUTOFF_DATE);
  const start = cutoffEpoch - weeks * WEEK_SECONDS;
  const catalogue = buildCatalogue(createRng(deriveSeed(seed, 'catalogue')));
  let acc = 0;
  const archetypeCumulative = ARCHETYPES.map((x) => (acc += x.share));
  // Shares sum to 1 up to rounding; the last bound must be exactly 1.
  archetypeCumulative[archetypeCumulative.length - 1] = 1;
  const world: SimulationWorld = {
    seed,
    weeks,
    horizonWeeks: HORIZON_WEEKS,
    startDay: start / DAY_SECONDS,
    catalogue,
    choice: productChoiceTables(catalogue),
    archetypeCumulative,
    invoices: { next: FIRST_INVOICE },
  };

  const out = new Output(sink);
  for (const file of CSV_FILES) out.append(file, HEADERS[file]);
  for (const p of catalogue.products) {
    out.append('products.csv', joinFields([p.id, p.name, CATEGORIES[p.category]?.name ?? '', p.price.toFixed(2)]));
    out.rows['products.csv']++;
  }

  const counts = emptyDirtCounts(dirty);
  const rows = new RowWriter(
    out,
    new TimestampFormatter(start, weeks * 7),
    catalogue.products.map((p) => ({
      id: p.id,
      price: p.price.toFixed(2),
      tail: utf8(`${p.id}\n`),
      middle: utf8(`,${p.id},`),
      priceTail: utf8(`,${p.price.toFixed(2)}\n`),
    })),
    {
      customers: new DirtWriter(DIRT_SPECS['customers.csv'], dirty, counts),
      transactions: new DirtWriter(DIRT_SPECS['transactions.csv'], dirty, counts),
      events: new DirtWriter(DIRT_SPECS['events.csv'], dirty, counts),
    },
  );
  const probabilities = new Float64Array(customers);
  const labels = new Uint8Array(customers);
  const archetypeCounts: Record<string, number> = {};
  for (const x of ARCHETYPES) archetypeCounts[x.name] = 0;
  let positives = 0;
  let probabilitySum = 0;
  for (let i = 0; i < customers; i++) {
    rows.begin(customerId(i), createRng(deriveSeed(seed, `dirt:${i}`)));
    const truth = simulateCustomer(world, i, rows);
    probabilities[i] = truth.probability;
    labels[i] = truth.purchased;
    positives += truth.purchased;
    probabilitySum += truth.probability;
    archetypeCounts[truth.archetype] = (archetypeCounts[truth.archetype] ?? 0) + 1;
    out.append('truth.csv', `${customerId(i)},${truth.archetype},${truth.probability.toFixed(6)},${truth.purchased}\n`);
    out.rows['truth.csv']++;
    if ((i & 15) === 15) {
      await out.flush(false);
      onProgress?.(i + 1, customers);
    }
  }
  onProgress?.(customers, customers);

  const manifest: Manifest = {
    format: 'insight-sample-data',
    version: 1,
    options: resolved,
    seed,
    observed_start: `${isoDate(start / DAY_SECONDS)} 00:00:00`,
    cutoff: `${CUTOFF_DATE} 00:00:00`,
    horizon_end: `${isoDate(cutoffEpoch / DAY_SECONDS + HORIZON_WEEKS * 7)} 00:00:00`,
    rows: { ...out.rows },
    truth: {
      archetypes: archetypeCounts,
      base_rate: Number((positives / customers).toFixed(6)),
      mean_probability: Number((probabilitySum / customers).toFixed(6)),
      bayes_auc: Number(rankAuc(probabilities, labels).toFixed(6)),
    },
    dirt: counts,
  };
  out.append('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);
  await out.flush(true);
  return manifest;
}
