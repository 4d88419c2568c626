/**
 * Per-customer features from transactions (one row per line item), the method's feature
 * extraction. With R = the reference instant (default: the history cutoff when one is given,
 * else the latest purchase + 1 day) and a customer's purchases at times t:
 *   recency_days      = (R − max t) / day        frequency = distinct invoices
 *   tenure_days       = (R − min t) / day        monetary  = Σ quantity × price
 *   avg_basket_value  = monetary / frequency     distinct_products = distinct product ids
 *   share_<category>  = Σ spend in the category / monetary (top categories by total spend,
 *                       the rest in share_other)
 * Days are whole (⌊·⌋, as pandas' `.days`) unless fractional days are asked for. Customers are
 * listed in ascending id order. Rows without a customer or a readable time are left out and
 * counted; a row without quantity or price still counts toward frequency. With a history
 * cutoff, rows at or after it are left out before anything is counted, so the features are the
 * customers as they were at the cutoff (a customer with no earlier row has no output row): the
 * history features of a purchase-intent label that starts there, with nothing from its window.
 */
import { isMissing, readNumbers, type Values } from './columns.ts';
import { DAY_MS, isoDay, toEpochMs } from './dates.ts';
import { DataError, errorTemplate, warningTemplate, type DataNote, type KernelMessages } from './issues.ts';

/** Messages of feature extraction (a features node declares them all). */
export const featureMessages = {
  notNumeric: errorTemplate('Column {column} in parameter {param} must hold numbers; it holds values such as {example}.'),
  notTime: errorTemplate('Column {column} in parameter "time" must hold dates or times; none of its cells reads as one (such as {example}).'),
  sameColumn: errorTemplate('Parameters {first} and {second} both name column {column}; choose different columns.'),
  skippedCustomer: warningTemplate('{count} rows have no customer id and were left out.'),
  skippedTime: warningTemplate('{count} rows have no readable time in column {column} (such as {example}) and were left out.'),
  skippedAmount: warningTemplate('{count} rows have a missing quantity or price; they count toward frequency but add nothing to monetary.'),
  skippedInvoice: warningTemplate('{count} rows have no invoice id; they add nothing to frequency.'),
  afterReference: warningTemplate('{count} customers bought after the reference date {reference}; their recency_days is negative.'),
  noTransactions: warningTemplate('There are no transactions to compute features from; the output is empty.'),
  nonPositiveSpend: warningTemplate('{count} customers have a total spend of 0 or less, so their category shares are missing.'),
  categoriesGrouped: warningTemplate('Column {column} has {count} categories; the {kept} with the largest total spend get their own share column and the rest are in share_other.'),
} satisfies KernelMessages;

/** Row-aligned transaction columns. */
export interface TransactionColumns {
  /** Customer id per row. */
  customer: Values;
  /** Invoice id per row. */
  invoice: Values;
  /** Purchase time per row (Date, epoch ms or date text). */
  time: Values;
  /** Quantity per row. */
  quantity: Values;
  /** Unit price per row. */
  price: Values;
  /** Product id per row (for distinct_products). */
  product?: Values;
  /** Category per row (for shares). */
  category?: Values;
  /**
   * The rows that are transactions, when the columns are a table's stored arrays read through
   * its selection (`storedColumns`): indices into the columns, ascending; the other stored rows
   * are not rows at all (neither counted nor reported). Absent or null: every row.
   */
  rows?: Uint32Array | null;
}

/** Options of `customerFeatures`. */
export interface FeatureOptions {
  /** Reference instant in epoch ms; null = the history cutoff when there is one, else the latest purchase + 1 day. */
  referenceMs: number | null;
  /** History cutoff in epoch ms: rows at or after it are left out (the customers as they were then); null = every row. */
  beforeMs?: number | null;
  /** Whole days (floor) rather than fractional days. */
  wholeDays: boolean;
  /** Most categories with their own share column. */
  maxCategories: number;
  /** Column names, for messages. */
  names: { time: string; quantity: string; price: string; category: string };
}

/** Per-customer features. */
export interface FeatureResult {
  /** Customer ids, ascending (the first value seen for each). */
  ids: unknown[];
  /** Feature columns in output order. */
  columns: { name: string; values: Float64Array }[];
  /** The reference instant used (NaN when there were no transactions). */
  referenceMs: number;
  /** Rows left out because they are at or after the history cutoff. */
  afterCutoff: number;
  /** Findings worth a warning. */
  notes: DataNote[];
}

function keyOf(value: unknown): unknown {
  return value instanceof Date ? value.getTime() : value;
}

function compareIds(a: unknown, b: unknown): number {
  const an = typeof a === 'number';
  const bn = typeof b === 'number';
  if (an && bn) return a - b;
  if (an !== bn) return an ? -1 : 1;
  const as = String(a);
  const bs = String(b);
  return as < bs ? -1 : as > bs ? 1 : 0;
}

/** Column-name fragment for a category: lowercase letters, digits and `_`. */
export function categorySlug(category: string): string {
  const slug = category
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '_')
    .replace(/^_+|_+$/g, '');
  return slug === '' ? 'blank' : slug;
}

/** Row numbers grouped by customer code (each group in row order): group c is order[starts[c] .. starts[c + 1]). */
interface CustomerRows {
  /** Where each customer's rows start in `order`, and (last) where they end. */
  starts: Int32Array;
  /** Row numbers of rows with a customer, grouped. */
  order: Int32Array;
}

/** Groups rows by customer code (−1 = left out) with one counting pass: no sort. */
function rowsByCustomer(customerOf: Int32Array, customerCount: number): CustomerRows {
  const starts = new Int32Array(customerCount + 1);
  for (let i = 0; i < customerOf.length; i++) {
    const c = customerOf[i]!;
    if (c >= 0) starts[c + 1]!++;
  }
  for (let c = 0; c < customerCount; c++) starts[c + 1]! += starts[c]!;
  const order = new Int32Array(starts[customerCount]!);
  const next = starts.slice(0, customerCount);
  for (let i = 0; i < customerOf.length; i++) {
    const c = customerOf[i]!;
    if (c >= 0) order[next[c]!++] = i;
  }
  return { starts, order };
}

/** Counts distinct items per customer (item codes −1 = none, else < `span`): each customer's rows are walked once, marking the items seen. */
function distinctPerCustomer(groups: CustomerRows, items: Int32Array, span: number): Float64Array {
  const { starts, order } = groups;
  const customerCount = starts.length - 1;
  const seenBy = new Int32Array(span).fill(-1);
  const out = new Float64Array(customerCount);
  for (let c = 0; c < customerCount; c++) {
    let count = 0;
    for (let k = starts[c]!, end = starts[c + 1]!; k < end; k++) {
      const item = items[order[k]!]!;
      if (item < 0 || seenBy[item] === c) continue;
      seenBy[item] = c;
      count++;
    }
    out[c] = count;
  }
  return out;
}

/**
 * Codes of a column's values in first-appearance order (−1 = missing or row left out), one per
 * transaction row k (`include[k]` < 0: left out), read at stored row `at[k]` (null: k).
 */
function codes(values: Values, include: Int32Array, at: Uint32Array | null): { codes: Int32Array; count: number } {
  if (values instanceof Float64Array) return numberCodes(values, include, at);
  const rows = include.length;
  const map = new Map<unknown, number>();
  const out = new Int32Array(rows).fill(-1);
  let previous: unknown = null;
  let previousCode = -1;
  for (let i = 0; i < rows; i++) {
    if (include[i]! < 0) continue;
    const v = values[at === null ? i : at[i]!];
    // Lines of one invoice repeat its values: reuse the last code instead of a lookup.
    if (v === previous && previousCode >= 0) {
      out[i] = previousCode;
      continue;
    }
    if (isMissing(v)) continue;
    const key = keyOf(v);
    let code = map.get(key);
    if (code === undefined) {
      code = map.size;
      map.set(key, code);
    }
    out[i] = code;
    previous = v;
    previousCode = code;
  }
  return { codes: out, count: map.size };
}

/**
 * `codes` for a typed column of whole numbers within a span of at most 2²⁰ (product codes such
 * as 21812): the code of x is looked up at x − min, with no hashing. Null when the column does
 * not fit.
 */
function denseCodes(values: Float64Array, include: Int32Array, at: Uint32Array | null): { codes: Int32Array; count: number } | null {
  const rows = include.length;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < rows; i++) {
    if (include[i]! < 0) continue;
    const x = values[at === null ? i : at[i]!]!;
    if (x !== x) continue;
    if (!Number.isInteger(x)) return null;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  const out = new Int32Array(rows).fill(-1);
  if (min > max) return { codes: out, count: 0 };
  if (max - min >= 1 << 20) return null;
  const codeAt = new Int32Array(max - min + 1).fill(-1);
  let count = 0;
  for (let i = 0; i < rows; i++) {
    if (include[i]! < 0) continue;
    const x = values[at === null ? i : at[i]!]!;
    if (x !== x) continue;
    const offset = x - min;
    let code = codeAt[offset]!;
    if (code < 0) {
      code = count++;
      codeAt[offset] = code;
    }
    out[i] = code;
  }
  return { codes: out, count };
}

/**
 * `codes` for a typed number column, with an open-addressing table of the values' bits instead
 * of a Map (NaN is missing; 0 and −0 are one value, as in a Map).
 */
function numberCodes(values: Float64Array, include: Int32Array, at: Uint32Array | null): { codes: Int32Array; count: number } {
  const dense = denseCodes(values, include, at);
  if (dense !== null) return dense;
  const rows = include.length;
  const out = new Int32Array(rows).fill(-1);
  let size = 1024;
  let mask = size - 1;
  let keys = new Float64Array(size);
  let slots = new Int32Array(size).fill(-1);
  let count = 0;
  const view = new Float64Array(1);
  const bits = new Int32Array(view.buffer);
  const slotOf = (x: number): number => {
    view[0] = x;
    const h = Math.imul(bits[0]! ^ Math.imul(bits[1]!, 0x9e3779b1), 0x85ebca6b);
    return (h ^ (h >>> 15)) & mask;
  };
  let previous = Number.NaN;
  let previousCode = -1;
  for (let i = 0; i < rows; i++) {
    if (include[i]! < 0) continue;
    let x = values[at === null ? i : at[i]!]!;
    if (x !== x) continue;
    if (x === 0) x = 0;
    if (x === previous) {
      out[i] = previousCode;
      continue;
    }
    let slot = slotOf(x);
    while (slots[slot] !== -1 && keys[slot] !== x) slot = (slot + 1) & mask;
    let code = slots[slot]!;
    if (code === -1) {
      code = count++;
      keys[slot] = x;
      slots[slot] = code;
      if (count * 2 > size) {
        // Grow: reinsert every value (codes stay as they are).
        const oldKeys = keys;
        const oldSlots = slots;
        size *= 2;
        mask = size - 1;
        keys = new Float64Array(size);
        slots = new Int32Array(size).fill(-1);
        for (let s = 0; s < oldSlots.length; s++) {
          if (oldSlots[s] === -1) continue;
          let t = slotOf(oldKeys[s]!);
          while (slots[t] !== -1) t = (t + 1) & mask;
          keys[t] = oldKeys[s]!;
          slots[t] = oldSlots[s]!;
        }
      }
    }
    out[i] = code;
    previous = x;
    previousCode = code;
  }
  return { codes: out, count };
}

/**
 * A column read as numbers (see readNumbers); a typed column of finite numbers and NaN is used
 * as it is, without a copy. With a selection, only selected rows count as non-numeric.
 */
function numbersOf(values: Values, at: Uint32Array | null): { values: Float64Array; nonNumeric: number; nonNumericExample: unknown } {
  const read = numbersRead(values);
  if (at === null || read.nonNumeric === 0) return read;
  let nonNumeric = 0;
  let nonNumericExample: unknown = null;
  for (let k = 0; k < at.length; k++) {
    const v = values[at[k]!];
    if (typeof v === 'number' || typeof v === 'bigint' || v === null || v === undefined) continue;
    if (nonNumeric === 0) nonNumericExample = v;
    nonNumeric++;
  }
  return { values: read.values, nonNumeric, nonNumericExample };
}

function numbersRead(values: Values): { values: Float64Array; nonNumeric: number; nonNumericExample: unknown } {
  if (values instanceof Float64Array) {
    let finite = true;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v - v !== 0 && v === v) {
        finite = false;
        break;
      }
    }
    if (finite) return { values, nonNumeric: 0, nonNumericExample: null };
  }
  return readNumbers(values);
}

/** Customer codes in ascending id order (compareIds); ids that are all numbers sort as a typed array. */
function idOrder(ids: readonly unknown[], index: ReadonlyMap<unknown, number>): number[] {
  const m = ids.length;
  const numbers = new Float64Array(m);
  let allNumbers = true;
  for (let c = 0; c < m; c++) {
    const id = ids[c];
    if (typeof id !== 'number') {
      allNumbers = false;
      break;
    }
    numbers[c] = id;
  }
  if (!allNumbers) return Array.from({ length: m }, (_, c) => c).sort((a, b) => compareIds(ids[a], ids[b]));
  // Distinct numbers (they are Map keys, never NaN) have one ascending order, the one compareIds gives.
  numbers.sort();
  return Array.from(numbers, (id) => index.get(id)!);
}

/** Per-customer sums that grow with the customers found: first and last time, monetary. */
class CustomerSums {
  first: Float64Array<ArrayBuffer> = new Float64Array(1024).fill(Infinity);
  last: Float64Array<ArrayBuffer> = new Float64Array(1024).fill(-Infinity);
  monetary: Float64Array<ArrayBuffer> = new Float64Array(1024);

  /** Makes room for customer code c. */
  reserve(c: number): void {
    if (c < this.first.length) return;
    const size = this.first.length * 2;
    const grow = (from: Float64Array, fill: number): Float64Array<ArrayBuffer> => {
      const to = new Float64Array(size).fill(fill);
      to.set(from);
      return to;
    };
    this.first = grow(this.first, Infinity);
    this.last = grow(this.last, -Infinity);
    this.monetary = grow(this.monetary, 0);
  }
}

/** Distinct invoices per customer (a function of its own, so the per-row codes die with it). */
function frequencyOf(invoice: Values, customerOf: Int32Array, at: Uint32Array | null, groups: CustomerRows, notes: DataNote[]): Float64Array {
  const invoices = codes(invoice, customerOf, at);
  let missingInvoice = 0;
  for (let k = 0; k < customerOf.length; k++) if (customerOf[k]! >= 0 && invoices.codes[k]! < 0) missingInvoice++;
  if (missingInvoice > 0) notes.push({ code: 'skippedInvoice', values: { count: missingInvoice } });
  return distinctPerCustomer(groups, invoices.codes, invoices.count);
}

/** Distinct products per customer (see frequencyOf). */
function distinctProducts(product: Values, customerOf: Int32Array, at: Uint32Array | null, groups: CustomerRows): Float64Array {
  const products = codes(product, customerOf, at);
  return distinctPerCustomer(groups, products.codes, products.count);
}

/** Computes per-customer features (see the file header). */
export function customerFeatures(tx: TransactionColumns, options: FeatureOptions): FeatureResult {
  // Transaction row k is stored row at[k] (k itself when every stored row is one); the per-row
  // arrays below are as long as the transactions, not the stored rows.
  const at = tx.rows ?? null;
  const rows = at === null ? tx.customer.length : at.length;
  const notes: DataNote[] = [];
  const quantity = numbersOf(tx.quantity, at);
  if (quantity.nonNumeric > 0) throw new DataError(featureMessages, 'notNumeric', { column: options.names.quantity, param: 'quantity', example: String(quantity.nonNumericExample) }, 'quantity');
  const price = numbersOf(tx.price, at);
  if (price.nonNumeric > 0) throw new DataError(featureMessages, 'notNumeric', { column: options.names.price, param: 'price', example: String(price.nonNumericExample) }, 'price');
  const qs = quantity.values;
  const ps = price.values;

  // Customer code per row (−1 = row left out), with the per-customer sums in the same pass.
  const customerOf = new Int32Array(rows).fill(-1);
  const index = new Map<unknown, number>();
  const ids: unknown[] = [];
  const sums = new CustomerSums();
  let missingCustomer = 0;
  let missingTime = 0;
  let timeExample: unknown = null;
  let readableTimes = 0;
  let presentTimes = 0;
  let previousCustomer: unknown = null;
  let previousCode = -1;
  const before = options.beforeMs ?? null;
  let afterCutoff = 0;
  let previousTime: unknown = undefined;
  let previousMs: number | null = null;
  let previousPresent = false;
  let fresh = true;
  let missingAmount = 0;
  let latest = -Infinity;
  for (let k = 0; k < rows; k++) {
    const i = at === null ? k : at[k]!;
    const t = tx.time[i];
    // An invoice's lines share one time (often one Date object): read it once.
    if (t !== previousTime || fresh) {
      fresh = false;
      previousTime = t;
      previousMs = t instanceof Date ? t.getTime() : toEpochMs(t);
      previousPresent = !isMissing(t);
    }
    const ms = previousMs;
    if (previousPresent) presentTimes++;
    const c = tx.customer[i];
    if (isMissing(c)) {
      missingCustomer++;
      continue;
    }
    if (ms === null || ms !== ms) {
      missingTime++;
      if (!isMissing(t)) timeExample ??= t;
      continue;
    }
    readableTimes++;
    if (before !== null && !(ms < before)) {
      afterCutoff++;
      continue;
    }
    let code: number;
    if (c === previousCustomer && previousCode >= 0) code = previousCode;
    else {
      const key = keyOf(c);
      const known = index.get(key);
      if (known === undefined) {
        code = ids.length;
        index.set(key, code);
        ids.push(c);
        sums.reserve(code);
      } else code = known;
      previousCustomer = c;
      previousCode = code;
    }
    customerOf[k] = code;
    if (ms < sums.first[code]!) sums.first[code] = ms;
    if (ms > sums.last[code]!) sums.last[code] = ms;
    if (ms > latest) latest = ms;
    const q = qs[i]!;
    const p = ps[i]!;
    if (q !== q || p !== p) missingAmount++;
    else sums.monetary[code]! += q * p;
  }
  if (presentTimes > 0 && readableTimes === 0 && timeExample !== null) {
    throw new DataError(featureMessages, 'notTime', { column: options.names.time, example: String(timeExample) }, 'time');
  }
  if (missingCustomer > 0) notes.push({ code: 'skippedCustomer', values: { count: missingCustomer } });
  if (missingTime > 0) notes.push({ code: 'skippedTime', values: { count: missingTime, column: options.names.time, example: timeExample === null ? 'a blank cell' : String(timeExample) } });

  const m = ids.length;
  const first = sums.first.subarray(0, m);
  const last = sums.last.subarray(0, m);
  const monetary = sums.monetary.subarray(0, m);
  if (missingAmount > 0) notes.push({ code: 'skippedAmount', values: { count: missingAmount } });
  if (m === 0) notes.push({ code: 'noTransactions', values: {} });

  const groups = rowsByCustomer(customerOf, m);
  const frequency = frequencyOf(tx.invoice, customerOf, at, groups, notes);

  const reference = options.referenceMs ?? before ?? (m > 0 ? latest + DAY_MS : Number.NaN);
  const days = (ms: number): number => (options.wholeDays ? Math.floor(ms / DAY_MS) : ms / DAY_MS);
  const recency = new Float64Array(m);
  const tenure = new Float64Array(m);
  const basket = new Float64Array(m);
  let after = 0;
  for (let c = 0; c < m; c++) {
    recency[c] = days(reference - last[c]!);
    tenure[c] = days(reference - first[c]!);
    basket[c] = frequency[c]! > 0 ? monetary[c]! / frequency[c]! : Number.NaN;
    if (last[c]! > reference) after++;
  }
  if (after > 0) notes.push({ code: 'afterReference', values: { count: after, reference: isoDay(reference) } });

  const columns: { name: string; values: Float64Array }[] = [
    { name: 'recency_days', values: recency },
    { name: 'frequency', values: frequency },
    { name: 'monetary', values: monetary },
    { name: 'tenure_days', values: tenure },
    { name: 'avg_basket_value', values: basket },
  ];
  if (tx.product) columns.push({ name: 'distinct_products', values: distinctProducts(tx.product, customerOf, at, groups) });
  if (tx.category) columns.push(...categoryShares(tx.category, customerOf, at, qs, ps, monetary, options, notes));

  // Ascending id order.
  const order = idOrder(ids, index);
  return {
    ids: order.map((c) => ids[c]),
    columns: columns.map(({ name, values }) => ({ name, values: Float64Array.from(order, (c) => values[c]!) })),
    referenceMs: reference,
    afterCutoff,
    notes,
  };
}

/** Which share column each category gets: categories ranked by total spend (ties by label), the first `maxCategories` kept, the rest in share_other. */
export interface ShareLayout {
  /** Slot (share column) per category code; kept = the share_other slot. */
  slot: Int32Array;
  /** Categories with their own column. */
  kept: number;
  /** Categories in all. */
  count: number;
  /** Share columns (kept, plus share_other when some are grouped). */
  width: number;
  /** Column names, by slot. */
  names: string[];
}

/** The share columns of categories with these labels and total spends (by category code, in first-appearance order). */
export function shareLayout(labels: readonly string[], totals: Float64Array, maxCategories: number): ShareLayout {
  const count = labels.length;
  const ranked = Array.from({ length: count }, (_, k) => k).sort((a, b) => totals[b]! - totals[a]! || (labels[a]! < labels[b]! ? -1 : 1));
  const kept = Math.min(maxCategories, count);
  const slot = new Int32Array(count).fill(kept); // index kept = other
  ranked.slice(0, kept).forEach((k, s) => {
    slot[k] = s;
  });
  const hasOther = count > kept;
  const used = new Set<string>();
  const names = ranked.slice(0, kept).map((k) => {
    const base = `share_${categorySlug(labels[k]!)}`;
    let name = base;
    for (let d = 2; used.has(name); d++) name = `${base}_${d}`;
    used.add(name);
    return name;
  });
  if (hasOther) names.push(used.has('share_other') ? 'share_other_categories' : 'share_other');
  return { slot, kept, count, width: names.length, names };
}

/** The findings of category shares: categories grouped into share_other, customers whose shares are missing (monetary ≤ 0). */
export function shareNotes(layout: ShareLayout, monetary: Float64Array, column: string): DataNote[] {
  const notes: DataNote[] = [];
  if (layout.count > layout.kept) notes.push({ code: 'categoriesGrouped', values: { column, count: layout.count, kept: layout.kept } });
  let nonPositive = 0;
  for (let c = 0; c < monetary.length; c++) if (!(monetary[c]! > 0)) nonPositive++;
  if (nonPositive > 0 && layout.width > 0) notes.push({ code: 'nonPositiveSpend', values: { count: nonPositive } });
  return notes;
}

/** A category's label (the text its column name is made from). */
export function categoryLabel(value: unknown): string {
  return value instanceof Date ? value.toISOString() : String(value);
}

/** Share per customer: spend in the slot / monetary, missing when monetary ≤ 0 (`spend` is customers × width). */
export function shareValues(spend: Float64Array, monetary: Float64Array, width: number, s: number): Float64Array {
  const values = new Float64Array(monetary.length);
  for (let c = 0; c < monetary.length; c++) values[c] = monetary[c]! > 0 ? spend[c * width + s]! / monetary[c]! : Number.NaN;
  return values;
}

function categoryShares(
  category: Values,
  customerOf: Int32Array,
  at: Uint32Array | null,
  quantity: Float64Array,
  price: Float64Array,
  monetary: Float64Array,
  options: FeatureOptions,
  notes: DataNote[],
): { name: string; values: Float64Array }[] {
  const rows = customerOf.length;
  const m = monetary.length;
  const cats = codes(category, customerOf, at);
  const labels: string[] = new Array<string>(cats.count).fill('');
  const totals = new Float64Array(cats.count);
  for (let k = 0; k < rows; k++) {
    const code = cats.codes[k]!;
    if (code < 0) continue;
    const i = at === null ? k : at[k]!;
    if (labels[code] === '') labels[code] = categoryLabel(category[i]);
    const q = quantity[i]!;
    const p = price[i]!;
    if (q === q && p === p) totals[code]! += q * p;
  }
  const layout = shareLayout(labels, totals, options.maxCategories);
  const { slot, width } = layout;
  const spend = new Float64Array(m * Math.max(1, width));
  for (let k = 0; k < rows; k++) {
    const c = customerOf[k]!;
    const code = cats.codes[k]!;
    if (c < 0 || code < 0) continue;
    const i = at === null ? k : at[k]!;
    const q = quantity[i]!;
    const p = price[i]!;
    if (q === q && p === p) spend[c * width + slot[code]!]! += q * p;
  }
  notes.push(...shareNotes(layout, monetary, options.names.category));
  const names = layout.names;
  return names.map((name, s) => ({ name, values: shareValues(spend, monetary, width, s) }));
}
