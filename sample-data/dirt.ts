/**
 * Injection of declared dirt into generated rows, with exact counts for manifest.json.
 *
 * Model: every data row of customers.csv, transactions.csv and events.csv receives at most
 * one kind of dirt; each kind that applies to the file is chosen with probability `rate`
 * (one uniform draw per row: kind k when u ∈ [k·rate, (k+1)·rate)). Counts are of rows as
 * they stand in the file, so a duplicated row is counted once under duplicate_rows and its
 * copy is otherwise clean, like the original.
 *
 * A duplicate is written right after its original, so "a line equal to the line before"
 * counts duplicates exactly. No other dirt can produce such a pair: consecutive rows of
 * one customer never share a timestamp (events) or share invoice and product
 * (transactions), and customer ids are never blanked where they tell rows apart.
 */
import type { Rng } from '../src/ml/random.ts';
import { csvField } from './csv-text.ts';

/** The data files that receive dirt (products.csv and truth.csv stay clean). */
export type DirtyFile = 'customers.csv' | 'transactions.csv' | 'events.csv';

/** The kinds of dirt, in the order used to map a uniform draw to a kind. */
export const DIRT_KINDS = ['duplicate_rows', 'missing_values', 'malformed_numbers', 'second_date_format', 'whitespace', 'outliers'] as const;

/** One kind of dirt. */
export type DirtKind = (typeof DIRT_KINDS)[number];

/**
 * Forms a malformed number takes: "N/A", or written with a comma — a decimal comma below
 * 1,000 ("24,99"), a thousands separator from 1,000 ("1,249.99"). The comma form is drawn
 * as one; which of the two it becomes depends on the value, and is counted as such.
 */
export type MalformedForm = 'N/A' | 'comma';

/** Names of the malformed forms as counted in the manifest. */
export type MalformedCount = 'N/A' | 'decimal_comma' | 'thousands_separator';

/** Where each kind of dirt may land in one file (column indexes into the file's header). */
export interface FileDirtSpec {
  /** File name as written. */
  file: DirtyFile;
  /** Column names in file order. */
  columns: readonly string[];
  /** Columns that may be blanked. */
  missing: readonly number[];
  /** Numeric columns that may be malformed, with the forms each may take. */
  malformed: readonly { column: number; forms: readonly MalformedForm[] }[];
  /** The date/timestamp column that may be written in the second format, or -1. */
  date: number;
  /** Text columns that may get stray leading/trailing spaces. */
  whitespace: readonly number[];
  /** Numeric columns that may get an outlier, and how the outlier is made from the value. */
  outliers: readonly { column: number; factor: number }[];
}

/** Exact dirt counts of one generation, shaped as manifest.json writes them. */
export interface DirtCounts {
  /** Declared rate per kind per row. */
  rate: number;
  /** Extra copies of a row written right after it, per file. */
  duplicate_rows: Record<DirtyFile, number>;
  /** Blanked fields per file and column. */
  missing_values: Record<DirtyFile, Record<string, number>>;
  /** Malformed numbers per file, column and form. */
  malformed_numbers: Record<DirtyFile, Record<string, Record<string, number>>>;
  /** Dates written "DD/MM/YYYY" (customers) or "DD/MM/YYYY HH:MM" (timestamps), per file and column. */
  second_date_format: Record<DirtyFile, Record<string, number>>;
  /** Fields with stray leading/trailing spaces per file and column. */
  whitespace: Record<DirtyFile, Record<string, number>>;
  /** Numeric outliers per file and column (the value multiplied by the column's factor). */
  outliers: Record<DirtyFile, Record<string, number>>;
  /** Sum of all the counts above. */
  total: number;
}

/** Per-file dirt placement used by the generator. */
export const DIRT_SPECS: Record<DirtyFile, FileDirtSpec> = {
  'customers.csv': {
    file: 'customers.csv',
    columns: ['customer_id', 'signup_date', 'age', 'gender', 'occupation', 'city', 'name', 'email', 'phone'],
    missing: [2, 3, 4, 5, 7, 8],
    malformed: [{ column: 2, forms: ['N/A'] }],
    date: 1,
    whitespace: [3, 4, 5, 6],
    outliers: [{ column: 2, factor: 10 }],
  },
  'transactions.csv': {
    file: 'transactions.csv',
    columns: ['invoice_id', 'customer_id', 'timestamp', 'product_id', 'quantity', 'unit_price'],
    missing: [1, 5],
    malformed: [{ column: 5, forms: ['N/A', 'comma'] }],
    date: 2,
    whitespace: [0, 3],
    outliers: [{ column: 4, factor: 100 }],
  },
  'events.csv': {
    file: 'events.csv',
    columns: ['customer_id', 'timestamp', 'event', 'product_id'],
    missing: [3],
    malformed: [],
    date: 1,
    whitespace: [2, 3],
    outliers: [],
  },
};

/** Builds one value per dirty file. */
function perFile<T>(make: (spec: FileDirtSpec) => T): Record<DirtyFile, T> {
  return {
    'customers.csv': make(DIRT_SPECS['customers.csv']),
    'transactions.csv': make(DIRT_SPECS['transactions.csv']),
    'events.csv': make(DIRT_SPECS['events.csv']),
  };
}

/** Zero counts keyed by the names of the given columns. */
function zeros(spec: FileDirtSpec, columns: readonly number[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of columns) out[spec.columns[c] ?? String(c)] = 0;
  return out;
}

/** Empty counts with every file and column present, so the manifest shows the full schema. */
export function emptyDirtCounts(rate: number): DirtCounts {
  return {
    rate,
    duplicate_rows: perFile(() => 0),
    missing_values: perFile((s) => zeros(s, s.missing)),
    malformed_numbers: perFile((s) => {
      const cols: Record<string, Record<string, number>> = {};
      for (const m of s.malformed) {
        const forms: Record<string, number> = {};
        for (const f of m.forms) {
        if (f === 'N/A') forms['N/A'] = 0;
        else {
          forms.decimal_comma = 0;
          forms.thousands_separator = 0;
        }
      }
        cols[s.columns[m.column] ?? String(m.column)] = forms;
      }
      return cols;
    }),
    second_date_format: perFile((s) => zeros(s, s.date >= 0 ? [s.date] : [])),
    whitespace: perFile((s) => zeros(s, s.whitespace)),
    outliers: perFile((s) => zeros(s, s.outliers.map((o) => o.column))),
    total: 0,
  };
}

/** Writes "1,249.99" for values from 1,000 and "24,99" below (a decimal comma). */
export function commaNumber(text: string): string {
  const value = Number(text);
  if (!(Math.abs(value) >= 1000)) return text.replace('.', ',');
  const [whole = '0', fraction] = text.split('.');
  const sign = whole.startsWith('-') ? '-' : '';
  const digits = sign ? whole.slice(1) : whole;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${grouped}${fraction === undefined ? '' : `.${fraction}`}`;
}

/** Stray spaces around a value: leading, trailing or both. */
function padded(value: string, rng: Rng): string {
  const spaces = 1 + rng.int(2);
  const pad = ' '.repeat(spaces);
  switch (rng.int(3)) {
    case 0:
      return pad + value;
    case 1:
      return value + pad;
    default:
      return pad + value + pad;
  }
}

/** Multiplies a numeric field by the outlier factor, keeping integers integral. */
function scaled(value: string, factor: number): string {
  const n = Number(value);
  return Number.isInteger(n) ? String(n * factor) : (n * factor).toFixed(2);
}

/** Turns clean rows into CSV lines with dirt at the declared rate, counting exactly what was written. */
export class DirtWriter {
  private readonly kinds: DirtKind[];

  constructor(
    private readonly spec: FileDirtSpec,
    private readonly rate: number,
    private readonly counts: DirtCounts,
  ) {
    // Only the kinds with somewhere to land in this file take part in the draw.
    this.kinds = DIRT_KINDS.filter((kind) => {
      switch (kind) {
        case 'duplicate_rows':
          return true;
        case 'missing_values':
          return spec.missing.length > 0;
        case 'malformed_numbers':
          return spec.malformed.length > 0;
        case 'second_date_format':
          return spec.date >= 0;
        case 'whitespace':
          return spec.whitespace.length > 0;
        case 'outliers':
          return spec.outliers.length > 0;
        default:
          return assertNever(kind);
      }
    });
  }

  /** Draws the dirt for the next row (one uniform draw): a kind, or null for a clean row. */
  draw(rng: Rng): DirtKind | null {
    if (this.rate === 0) return null;
    return this.kinds[Math.floor(rng.next() / this.rate)] ?? null;
  }

  /**
   * Returns the CSV text (one line, or two for a duplicate) of a row given as clean,
   * unquoted `fields` with the drawn `kind` of dirt applied. `secondDate` gives the row's
   * date in the second format and is called only for that kind.
   */
  dirty(kind: DirtKind, fields: readonly string[], rng: Rng, secondDate: () => string): string {
    const clean = joinFields(fields);
    const { spec, counts } = this;
    const dirty = fields.slice();
    let column = '';
    let form: MalformedCount | '' = '';
    switch (kind) {
      case 'duplicate_rows':
        counts.duplicate_rows[spec.file]++;
        counts.total++;
        return clean + clean;
      case 'missing_values': {
        const c = spec.missing[rng.int(spec.missing.length)] ?? 0;
        dirty[c] = '';
        column = spec.columns[c] ?? '';
        break;
      }
      case 'malformed_numbers': {
        const m = spec.malformed[rng.int(spec.malformed.length)];
        if (m === undefined) return clean;
        const f = m.forms[rng.int(m.forms.length)] ?? 'N/A';
        const value = fields[m.column] ?? '';
        dirty[m.column] = f === 'N/A' ? 'N/A' : commaNumber(value);
        column = spec.columns[m.column] ?? '';
        form = f === 'N/A' ? 'N/A' : Math.abs(Number(value)) >= 1000 ? 'thousands_separator' : 'decimal_comma';
        break;
      }
      case 'second_date_format':
        dirty[spec.date] = secondDate();
        column = spec.columns[spec.date] ?? '';
        break;
      case 'whitespace': {
        const c = spec.whitespace[rng.int(spec.whitespace.length)] ?? 0;
        dirty[c] = padded(fields[c] ?? '', rng);
        column = spec.columns[c] ?? '';
        break;
      }
      case 'outliers': {
        const o = spec.outliers[rng.int(spec.outliers.length)];
        if (o === undefined) return clean;
        dirty[o.column] = scaled(fields[o.column] ?? '', o.factor);
        column = spec.columns[o.column] ?? '';
        break;
      }
      default:
        return assertNever(kind);
    }
    this.count(kind, column, form);
    return joinFields(dirty);
  }

  private count(kind: Exclude<DirtKind, 'duplicate_rows'>, column: string, form: string): void {
    const file = this.spec.file;
    const c = this.counts;
    switch (kind) {
      case 'missing_values':
        bump(c.missing_values[file], column);
        break;
      case 'malformed_numbers': {
        const forms = c.malformed_numbers[file][column] ?? {};
        c.malformed_numbers[file][column] = forms;
        bump(forms, form);
        break;
      }
      case 'second_date_format':
        bump(c.second_date_format[file], column);
        break;
      case 'whitespace':
        bump(c.whitespace[file], column);
        break;
      case 'outliers':
        bump(c.outliers[file], column);
        break;
      default:
        assertNever(kind);
    }
    c.total++;
  }
}

/** Joins fields into one CSV line ending in "\n". */
export function joinFields(fields: readonly string[]): string {
  let out = '';
  for (let i = 0; i < fields.length; i++) out += (i === 0 ? '' : ',') + csvField(fields[i] ?? '');
  return `${out}\n`;
}

function bump(record: Record<string, number>, key: string): void {
  record[key] = (record[key] ?? 0) + 1;
}

/** Exhaustiveness guard for switches over unions. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value ${String(value)}`);
}
