/**
 * Rewrites of a simulator transactions file into formats the guided start must read: renamed
 * columns (Chinese or other English names), other date formats, another delimiter and GBK
 * bytes. Used by the `auto` tests and bench; plain text in, bytes out.
 */

/** How to rewrite a comma-separated file with a header. */
export interface Variant {
  /** New name per old column name (unlisted columns keep theirs; null drops the column). */
  rename: Record<string, string | null>;
  /** Column whose `YYYY-MM-DD HH:MM:SS` cells are rewritten, and the form. */
  date?: { column: string; form: 'dd/mm/yyyy' | 'mm/dd/yyyy hh:mm' | 'yyyy/mm/dd' };
  /** Output delimiter. */
  delimiter: ',' | ';' | '\t' | '|';
  /** Output encoding. */
  encoding: 'utf-8' | 'gbk';
}

let gbkTable: Map<string, number[]> | null = null;

/** Encodes text as GBK (two-byte GB18030 codes; ASCII as is), via the decoder's own table. */
export function encodeGbk(text: string): Uint8Array {
  if (!gbkTable) {
    gbkTable = new Map();
    const decoder = new TextDecoder('gb18030');
    for (let lead = 0x81; lead <= 0xfe; lead++) {
      for (let trail = 0x40; trail <= 0xfe; trail++) {
        if (trail === 0x7f) continue;
        const ch = decoder.decode(Uint8Array.of(lead, trail));
        if (ch.length === 1 && ch !== '\uFFFD' && !gbkTable.has(ch)) gbkTable.set(ch, [lead, trail]);
      }
    }
  }
  const out: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x80) out.push(code);
    else {
      const bytes = gbkTable.get(ch);
      if (!bytes) throw new RangeError(`encodeGbk: ${JSON.stringify(ch)} has no GBK code.`);
      out.push(...bytes);
    }
  }
  return Uint8Array.from(out);
}

function rewriteDate(cell: string, form: NonNullable<Variant['date']>['form']): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}))?/.exec(cell);
  if (!m) return cell;
  const [, y, mo, d, h = '00', mi = '00'] = m;
  switch (form) {
    case 'dd/mm/yyyy':
      return `${d}/${mo}/${y}`;
    case 'mm/dd/yyyy hh:mm':
      return `${mo}/${d}/${y} ${h}:${mi}`;
    case 'yyyy/mm/dd':
      return `${y}/${mo}/${d}`;
    default: {
      const never: never = form;
      return never;
    }
  }
}

/** Rewrites a simple comma-separated text (no quoted commas) as the variant says. */
export function rewriteCsv(text: string, variant: Variant): Uint8Array {
  const lines = text.split(/\r?\n/).filter((l) => l !== '');
  const header = (lines[0] ?? '').split(',');
  const keep = header.map((name) => variant.rename[name] !== null);
  const dateIndex = variant.date ? header.indexOf(variant.date.column) : -1;
  const out = lines.map((line, r) => {
    const cells = r === 0 ? header.map((name) => variant.rename[name] ?? name) : line.split(',');
    if (r > 0 && dateIndex >= 0 && variant.date) cells[dateIndex] = rewriteDate(cells[dateIndex] ?? '', variant.date.form);
    return cells.filter((_, c) => keep[c]).join(variant.delimiter);
  });
  const joined = `${out.join('\n')}\n`;
  return variant.encoding === 'gbk' ? encodeGbk(joined) : new TextEncoder().encode(joined);
}

/** Rows of a simulator transactions text: invoice, customer, time text, product, quantity, unit price. */
interface SimRow {
  invoice: string;
  customer: string;
  time: string;
  product: string;
  quantity: number;
  price: number;
}

function simRows(text: string): SimRow[] {
  const lines = text.split(/\r?\n/).filter((l) => l !== '');
  const header = (lines[0] ?? '').split(',');
  const at = (name: string): number => {
    const i = header.indexOf(name);
    if (i < 0) throw new RangeError(`simulator transactions: no column ${name} (columns: ${header.join(', ')})`);
    return i;
  };
  const [inv, cus, ts, pro, qty, pri] = ['invoice_id', 'customer_id', 'timestamp', 'product_id', 'quantity', 'unit_price'].map(at);
  return lines.slice(1).map((line) => {
    const c = line.split(',');
    return { invoice: c[inv ?? 0] ?? '', customer: c[cus ?? 0] ?? '', time: c[ts ?? 0] ?? '', product: c[pro ?? 0] ?? '', quantity: Number(c[qty ?? 0]), price: Number(c[pri ?? 0]) };
  });
}

/** Customer ids renumbered 1, 2, … in order of first appearance. */
function renumber(rows: readonly SimRow[]): Map<string, number> {
  const ids = new Map<string, number>();
  for (const r of rows) if (!ids.has(r.customer)) ids.set(r.customer, ids.size + 1);
  return ids;
}

/**
 * A CDNOW-style purchase log from simulator transactions: one line per customer and day with
 * the customer's number (zero-padded to five digits), the day as a YYYYMMDD whole number, the
 * units and the amount spent; no header row, fields padded as a whitespace-aligned log
 * converted to CSV keeps them (`00001,19970101,  1,  11.77`) when `padded`.
 */
export function cdnowLog(text: string, options: { header?: boolean; padded?: boolean } = {}): Uint8Array {
  const rows = simRows(text);
  const ids = renumber(rows);
  const days = new Map<string, { id: number; day: number; units: number; amount: number }>();
  for (const r of rows) {
    const id = ids.get(r.customer) ?? 0;
    const day = Number(r.time.slice(0, 10).replaceAll('-', ''));
    const key = `${id} ${day}`;
    const entry = days.get(key) ?? { id, day, units: 0, amount: 0 };
    entry.units += r.quantity;
    entry.amount += r.quantity * r.price;
    days.set(key, entry);
  }
  const sorted = [...days.values()].sort((a, b) => a.id - b.id || a.day - b.day);
  const pad = (s: string, width: number): string => (options.padded ? s.padStart(width) : s);
  const lines = sorted.map((e) => [String(e.id).padStart(5, '0'), String(e.day), pad(String(e.units), 3), pad(e.amount.toFixed(2), 8)].join(','));
  if (options.header) lines.unshift('customer_id,date,cds,dollar_value');
  return new TextEncoder().encode(`${lines.join('\n')}\n`);
}

/**
 * A grocery receipts table in the layout of Dunnhumby's "The Complete Journey"
 * (transaction_data.csv) from simulator transactions: household_key, BASKET_ID, DAY (day
 * number, 1 = the first day of the data), PRODUCT_ID, QUANTITY, SALES_VALUE (the line's total),
 * STORE_ID, RETAIL_DISC, TRANS_TIME (HHMM), WEEK_NO, COUPON_DISC, COUPON_MATCH_DISC.
 */
export function groceryReceipts(text: string): Uint8Array {
  const rows = simRows(text);
  const ids = renumber(rows);
  const firstDay = Math.min(...rows.map((r) => Date.parse(`${r.time.slice(0, 10)}T00:00:00Z`)));
  const header = 'household_key,BASKET_ID,DAY,PRODUCT_ID,QUANTITY,SALES_VALUE,STORE_ID,RETAIL_DISC,TRANS_TIME,WEEK_NO,COUPON_DISC,COUPON_MATCH_DISC';
  const lines = rows.map((r) => {
    const day = Math.round((Date.parse(`${r.time.slice(0, 10)}T00:00:00Z`) - firstDay) / 86_400_000) + 1;
    const week = Math.floor((day - 1) / 7) + 1;
    const household = ids.get(r.customer) ?? 0;
    const product = 1_000_000 + Number(r.product.replace(/\D/g, ''));
    const sales = r.quantity * r.price;
    const disc = -(Math.round(sales * 10) % 7) / 10;
    return [household, 26_984_851_472 + Number(r.invoice), day, product, r.quantity, sales.toFixed(2), 300 + (household % 40), disc.toFixed(2), r.time.slice(11, 16).replace(':', ''), week, 0, 0].join(',');
  });
  return new TextEncoder().encode(`${[header, ...lines].join('\n')}\n`);
}

/** A seeded generator of uniform numbers in [0, 1) (mulberry32). */
function uniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * A marketing response table in the layout of UCI Bank Marketing's bank-full.csv: `;`
 * between fields, text quoted, no id column, the day of the month and the month's name as
 * separate columns, yes/no columns (default, housing, loan) beside the label `y`. The
 * response depends on call duration, the previous campaign's outcome, housing loans and the
 * month, so a model has something to find.
 */
export function bankMarketing(rows: number, seed = 7): Uint8Array {
  const next = uniform(seed);
  const pick = <T>(items: readonly [T, ...T[]]): T => items[Math.floor(next() * items.length)] ?? items[0];
  const jobs = ['management', 'technician', 'entrepreneur', 'blue-collar', 'unknown', 'retired', 'admin.', 'services', 'self-employed', 'unemployed', 'housemaid', 'student'] as const;
  const months = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] as const;
  const q = (s: string): string => `"${s}"`;
  const header = ['age', 'job', 'marital', 'education', 'default', 'balance', 'housing', 'loan', 'contact', 'day', 'month', 'duration', 'campaign', 'pdays', 'previous', 'poutcome', 'y'].map(q).join(';');
  const lines = [header];
  for (let i = 0; i < rows; i++) {
    const age = 18 + Math.floor(next() * 70);
    const job = pick(jobs);
    const housing = next() < 0.55;
    const loan = next() < 0.16;
    const month = pick(months);
    const duration = Math.round(-Math.log(1 - next()) * 260);
    const campaign = 1 + Math.floor(-Math.log(1 - next()) * 2);
    const contacted = next() < 0.18;
    const poutcome = contacted ? pick(['success', 'failure', 'other'] as const) : 'unknown';
    const logit = -3.1 + 0.0042 * duration + (poutcome === 'success' ? 2.3 : 0) - (housing ? 0.7 : 0) - (loan ? 0.4 : 0) + (['mar', 'sep', 'oct', 'dec'].includes(month) ? 1.4 : 0) - 0.08 * campaign + (job === 'student' || job === 'retired' ? 0.6 : 0) + (age > 60 ? 0.5 : 0);
    const y = next() < 1 / (1 + Math.exp(-logit));
    lines.push([age, q(job), q(pick(['married', 'single', 'divorced'] as const)), q(pick(['primary', 'secondary', 'tertiary', 'unknown'] as const)), q(next() < 0.02 ? 'yes' : 'no'), Math.round((next() - 0.1) * 3000), q(housing ? 'yes' : 'no'), q(loan ? 'yes' : 'no'), q(pick(['cellular', 'telephone', 'unknown'] as const)), 1 + Math.floor(next() * 31), q(month), duration, campaign, contacted ? 1 + Math.floor(next() * 400) : -1, contacted ? 1 + Math.floor(next() * 5) : 0, q(poutcome), q(y ? 'yes' : 'no')].join(';'));
  }
  return new TextEncoder().encode(`${lines.join('\n')}\n`);
}
