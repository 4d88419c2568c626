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

/** How a CDNOW-style log is written. */
export interface LogOptions {
  /** A header row (`customer_id,date,cds,dollar_value`, padded like the fields when they are). */
  header?: boolean;
  /** Fields padded to fixed widths, as a whitespace-aligned log converted to CSV keeps them (`00001, 19970101,   1,   11.77`). */
  padded?: boolean;
  /** Every field in double quotes, the padding inside them (`"00001"," 19970101","  1","  11.77"`). */
  quoted?: boolean;
  /** The log itself, whitespace-aligned (`00001 19970101  1  11.77`, as CDNOW_master.txt): no commas, a leading blank when `padded`. */
  aligned?: boolean;
}

/**
 * A CDNOW-style purchase log from simulator transactions: one line per customer and day with
 * the customer's number (zero-padded to five digits), the day as a YYYYMMDD whole number, the
 * units and the amount spent; no header row unless asked. `aligned` writes the log as it was
 * printed (fields separated by runs of spaces, right-aligned); otherwise it is CSV, its fields
 * padded when `padded`, quoted when `quoted`.
 */
export function cdnowLog(text: string, options: LogOptions = {}): Uint8Array {
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
  const padded = options.padded === true || options.aligned === true;
  const widths = [options.aligned && options.padded ? 6 : 5, 9, 4, 9];
  const cell = (value: string, c: number): string => {
    const body = padded && c > 0 ? value.padStart(widths[c] ?? 0) : padded && c === 0 && options.aligned ? value.padStart(widths[0] ?? 0) : value;
    return options.quoted && !options.aligned ? `"${body}"` : body;
  };
  const line = (values: readonly string[]): string => values.map(cell).join(options.aligned ? '' : ',');
  const lines = sorted.map((e) => line([String(e.id).padStart(5, '0'), String(e.day), String(e.units), e.amount.toFixed(2)]));
  if (options.header) lines.unshift(options.aligned ? line(['id', 'date', 'cds', 'amount']) : line(['customer_id', 'date', 'cds', 'dollar_value']));
  return new TextEncoder().encode(`${lines.join('\n')}\n`);
}

/** How a generated table is rewritten: column order, names, delimiter, quotes, encoding. */
export interface TableForm {
  /** New name per generated column name (unlisted ones keep theirs). */
  rename?: Record<string, string>;
  /** Column order by generated name (unlisted columns follow in their order). */
  order?: readonly string[];
  /** The delimiter (default: the generator's). */
  delimiter?: ',' | ';' | '\t' | '|';
  /** Quote text cells and names (default: the generator's). */
  quoted?: boolean;
  /** Output encoding (default utf-8). */
  encoding?: 'utf-8' | 'gbk';
}

/** Writes a header and rows of cells as `form` says (cells that are strings are text, quoted when `quoted`). */
function writeTable(names: readonly string[], rows: Iterable<readonly (string | number)[]>, form: TableForm, defaults: { delimiter: ',' | ';' | '\t' | '|'; quoted: boolean }): Uint8Array {
  const delimiter = form.delimiter ?? defaults.delimiter;
  const quoted = form.quoted ?? defaults.quoted;
  const listed = (form.order ?? []).map((name) => names.indexOf(name)).filter((i) => i >= 0);
  const order = [...listed, ...names.map((_, i) => i).filter((i) => !listed.includes(i))];
  const q = (value: string | number): string => (typeof value === 'string' && quoted ? `"${value.replaceAll('"', '""')}"` : String(value));
  const rename = new Map(Object.entries(form.rename ?? {}));
  const lines = [order.map((i) => q(rename.get(names[i] ?? '') ?? names[i] ?? '')).join(delimiter)];
  for (const row of rows) lines.push(order.map((i) => q(row[i] ?? '')).join(delimiter));
  const joined = `${lines.join('\n')}\n`;
  return form.encoding === 'gbk' ? encodeGbk(joined) : new TextEncoder().encode(joined);
}

/** Grocery receipts options: a table form, and dates instead of day numbers. */
export interface ReceiptsForm extends TableForm {
  /** Write the DAY column as a date in this form instead of a day number. */
  date?: 'dd/mm/yyyy' | 'yyyy-mm-dd';
}

/** The grocery receipts columns, in Dunnhumby's order. */
export const receiptsColumns = ['household_key', 'BASKET_ID', 'DAY', 'PRODUCT_ID', 'QUANTITY', 'SALES_VALUE', 'STORE_ID', 'RETAIL_DISC', 'TRANS_TIME', 'WEEK_NO', 'COUPON_DISC', 'COUPON_MATCH_DISC'] as const;

/**
 * A grocery receipts table in the layout of Dunnhumby's "The Complete Journey"
 * (transaction_data.csv) from simulator transactions: household_key, BASKET_ID, DAY (day
 * number, 1 = the first day of the data), PRODUCT_ID, QUANTITY, SALES_VALUE (the line's total),
 * STORE_ID, RETAIL_DISC, TRANS_TIME (HHMM), WEEK_NO, COUPON_DISC, COUPON_MATCH_DISC; `form`
 * reorders, renames, re-delimits or re-encodes it, or writes DAY as dates.
 */
export function groceryReceipts(text: string, form: ReceiptsForm = {}): Uint8Array {
  const rows = simRows(text);
  const ids = renumber(rows);
  const firstDay = Math.min(...rows.map((r) => Date.parse(`${r.time.slice(0, 10)}T00:00:00Z`)));
  const lines = rows.map((r) => {
    const day = Math.round((Date.parse(`${r.time.slice(0, 10)}T00:00:00Z`) - firstDay) / 86_400_000) + 1;
    const week = Math.floor((day - 1) / 7) + 1;
    const household = ids.get(r.customer) ?? 0;
    const product = 1_000_000 + Number(r.product.replace(/\D/g, ''));
    const sales = r.quantity * r.price;
    const disc = -(Math.round(sales * 10) % 7) / 10;
    const iso = r.time.slice(0, 10);
    const dayCell = form.date === 'dd/mm/yyyy' ? `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}` : form.date === 'yyyy-mm-dd' ? iso : day;
    return [household, 26_984_851_472 + Number(r.invoice), dayCell, product, r.quantity, sales.toFixed(2), 300 + (household % 40), disc.toFixed(2), r.time.slice(11, 16).replace(':', ''), week, 0, 0];
  });
  return writeTable(receiptsColumns, lines, form, { delimiter: ',', quoted: false });
}

/**
 * Grocery receipts at scale without the simulator: `households` households shopping over
 * `days` days (Dunnhumby: 2,500 households, 711 days, 2.6M lines), each with its own visit
 * rate and basket size, some lapsing, so the later weeks can be predicted from the earlier;
 * lines in basket order as in the original. Seeded; same layout and form as groceryReceipts.
 */
export function groceryReceiptsAtScale(households: number, days: number, form: ReceiptsForm = {}, seed = 5): Uint8Array {
  return writeTable(receiptsColumns, receiptLines(households, days, form, seed), form, { delimiter: ',', quoted: false });
}

function* receiptLines(households: number, days: number, form: ReceiptsForm, seed: number): Generator<(string | number)[]> {
  const next = uniform(seed);
  let basket = 26_984_851_472;
  for (let h = 1; h <= households; h++) {
    const rate = Math.exp(-3.8 + next() * 3.3);
    const size = 1 + Math.floor(next() * 18);
    const lapse = next() < 0.3 ? Math.floor(next() * days) : days + 1;
    const start = Math.floor(next() * days * 0.3);
    for (let day = start + 1; day <= days; day++) {
      const active = day < lapse ? rate : rate * 0.1;
      if (next() >= active) continue;
      basket++;
      const items = 1 + Math.floor(next() * size * 2);
      const time = `${String(8 + Math.floor(next() * 14)).padStart(2, '0')}${String(Math.floor(next() * 60)).padStart(2, '0')}`;
      const week = Math.floor((day - 1) / 7) + 1;
      for (let k = 0; k < items; k++) {
        const product = 800_000 + Math.floor(next() ** 2 * 90_000);
        const quantity = next() < 0.85 ? 1 : 2 + Math.floor(next() * 3);
        const sales = quantity * (0.5 + Math.floor(next() * 900) / 100);
        const dayCell = form.date === undefined ? day : dateCell(day, form.date);
        yield [h, basket, dayCell, product, quantity, sales.toFixed(2), 300 + (h % 400), (-(Math.round(sales * 10) % 7) / 10).toFixed(2), time, week, 0, 0];
      }
    }
  }
}

/** Day n after 1999-12-31 written as a date. */
function dateCell(day: number, form: NonNullable<ReceiptsForm['date']>): string {
  const iso = new Date(Date.UTC(1999, 11, 31 + day)).toISOString().slice(0, 10);
  return form === 'dd/mm/yyyy' ? `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}` : iso;
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
 * month, so a model has something to find. `form` reorders, renames (a Chinese header, another
 * label name), re-delimits or re-encodes it.
 */
export function bankMarketing(rows: number, seed = 7, form: TableForm = {}): Uint8Array {
  const next = uniform(seed);
  const pick = <T>(items: readonly [T, ...T[]]): T => items[Math.floor(next() * items.length)] ?? items[0];
  const jobs = ['management', 'technician', 'entrepreneur', 'blue-collar', 'unknown', 'retired', 'admin.', 'services', 'self-employed', 'unemployed', 'housemaid', 'student'] as const;
  const months = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] as const;
  const q = (s: string): string => s;
  const header = ['age', 'job', 'marital', 'education', 'default', 'balance', 'housing', 'loan', 'contact', 'day', 'month', 'duration', 'campaign', 'pdays', 'previous', 'poutcome', 'y'];
  const lines: (string | number)[][] = [];
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
    lines.push([age, q(job), q(pick(['married', 'single', 'divorced'] as const)), q(pick(['primary', 'secondary', 'tertiary', 'unknown'] as const)), q(next() < 0.02 ? 'yes' : 'no'), Math.round((next() - 0.1) * 3000), q(housing ? 'yes' : 'no'), q(loan ? 'yes' : 'no'), q(pick(['cellular', 'telephone', 'unknown'] as const)), 1 + Math.floor(next() * 31), q(month), duration, campaign, contacted ? 1 + Math.floor(next() * 400) : -1, contacted ? 1 + Math.floor(next() * 5) : 0, q(poutcome), q(y ? 'yes' : 'no')]);
  }
  return writeTable(header, lines, form, { delimiter: ';', quoted: true });
}
