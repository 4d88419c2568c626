/**
 * Tabular encoder: turns a customer table's columns (numbers, booleans, dates, text categories,
 * with missing cells) into what the learners take, fitted on training rows and applied to any
 * table with the same columns.
 * - Trees get one numeric column per input column: numbers as they are, booleans 0/1, dates as
 *   days since 1970-01-01, categories as integer codes (levels by frequency, rare levels beyond
 *   the cap share one "other" code); missing stays NaN so the trees learn where it goes.
 * - Linear models get a row-major matrix: numbers mean-imputed plus a 0/1 "missing" indicator
 *   column when the training rows had missing cells, categories one-hot (kept levels, one
 *   "other" column, one "missing" column where needed); with `logNumbers`, number columns are
 *   read as sign(x)·ln(1 + |x|) first (counts and amounts, whose few large values would
 *   otherwise decide a linear model alone; trees do not need it and never get it).
 * It also reports columns that cannot help: all missing, constant, or id-like (a text column
 * with thousands of levels or a distinct value on every row).
 */
import type { Matrix } from './matrix.ts';

/** How a column is read. */
export type TabularKind = 'number' | 'boolean' | 'date' | 'category';

/** The fitted encoding of one input column. */
export interface TabularColumn {
  /** Column name. */
  name: string;
  /** How its cells are read. */
  kind: TabularKind;
  /** Mean of the non-missing training values (numbers, booleans, dates); the imputed value. */
  mean: number;
  /** Whether the training rows had missing cells (adds an indicator column for linear models). */
  hasMissing: boolean;
  /** Kept category levels, most frequent first; code = index (categories only). */
  levels: string[];
  /** Training rows whose level was folded into "other" (0 when none). */
  otherCount: number;
  /** Linear models read this number column as sign(x)·ln(1 + |x|) (`mean` is of those values); absent: as it is. */
  log?: boolean;
}

/** A fitted tabular encoding: apply it with encodeForTrees / encodeForLinear. */
export interface TabularEncoding {
  /** The usable input columns, in order. */
  columns: TabularColumn[];
}

/** A column the encoder refused or flags, with the reason. */
export interface TabularIssue {
  /** 'allMissing' and 'idLike' columns are left out; 'constant' ones are kept (they carry no signal); 'rareLevels' is informational. */
  code: 'allMissing' | 'idLike' | 'constant' | 'rareLevels';
  /** The column. */
  column: string;
  /** Distinct non-missing values seen. */
  levels: number;
  /** Rows affected (rare-level rows for 'rareLevels'). */
  rows: number;
}

/** Options of fitTabularEncoding. */
export interface TabularOptions {
  /** Most category levels kept per column; the rest share "other". Default 30. */
  maxLevels?: number;
  /** A level needs at least this many training rows to be kept. Default 5. */
  minLevelCount?: number;
  /** Distinct text values at which a column counts as an id. Default 1000. */
  idLevels?: number;
  /** Linear models read number columns (not booleans or dates) as sign(x)·ln(1 + |x|). Default false. */
  logNumbers?: boolean;
}

/** sign(x)·ln(1 + |x|): the signed log a `log` column is read through. */
export function signedLog1p(x: number): number {
  return x < 0 ? -Math.log1p(-x) : Math.log1p(x);
}

/** A named column of cells, as read from a table. */
export interface TabularInput {
  /** Column name. */
  name: string;
  /** The cells. */
  values: ArrayLike<unknown>;
}

const DAY_MS = 86400000;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** The number a cell stands for under a kind, NaN when missing or unreadable. */
function cellNumber(v: unknown, kind: TabularKind): number {
  if (v === null || v === undefined) return Number.NaN;
  switch (kind) {
    case 'number':
      return typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'bigint' ? Number(v) : Number.NaN;
    case 'boolean':
      return v === true ? 1 : v === false ? 0 : Number.NaN;
    case 'date': {
      const t = v instanceof Date ? v.getTime() : typeof v === 'string' && ISO_DATE.test(v.trim()) ? Date.parse(v.trim()) : Number.NaN;
      return Number.isFinite(t) ? t / DAY_MS : Number.NaN;
    }
    case 'category':
      return Number.NaN;
    default: {
      const never: never = kind;
      return never;
    }
  }
}

/** The category key of a cell, or null when missing. */
function cellLevel(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' && !Number.isFinite(v)) return null;
  const s = v instanceof Date ? v.toISOString() : String(v);
  return s.trim() === '' ? null : s;
}

/** Decides how to read a column from its non-missing cells. */
export function tabularKind(values: ArrayLike<unknown>): TabularKind {
  let numbers = 0;
  let booleans = 0;
  let dates = 0;
  let other = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) continue;
    if (typeof v === 'number' || typeof v === 'bigint') numbers++;
    else if (typeof v === 'boolean') booleans++;
    else if (v instanceof Date || (typeof v === 'string' && ISO_DATE.test(v.trim()))) dates++;
    else if (typeof v === 'string' && v.trim() === '') continue;
    else other++;
  }
  if (other > 0) return 'category';
  if (dates > 0 && numbers === 0 && booleans === 0) return 'date';
  if (booleans > 0 && numbers === 0 && dates === 0) return 'boolean';
  if (numbers > 0 && booleans === 0 && dates === 0) return 'number';
  return numbers + booleans + dates === 0 ? 'number' : 'category';
}

/**
 * Fits the encoding on the rows listed in `rows` (all rows when omitted). Columns with no
 * value, and id-like text columns, are left out and reported; the rest are kept.
 */
export function fitTabularEncoding(inputs: readonly TabularInput[], options: TabularOptions = {}, rows?: ArrayLike<number>): { encoding: TabularEncoding; issues: TabularIssue[] } {
  const maxLevels = options.maxLevels ?? 30;
  const minLevelCount = options.minLevelCount ?? 5;
  const idLevels = options.idLevels ?? 1000;
  const logNumbers = options.logNumbers === true;
  const columns: TabularColumn[] = [];
  const issues: TabularIssue[] = [];
  for (const input of inputs) {
    const n = rows ? rows.length : input.values.length;
    const at = (i: number): unknown => input.values[rows ? rows[i]! : i];
    const kind = tabularKind(rows ? Array.from({ length: n }, (_, i) => at(i)) : input.values);
    if (kind === 'category') {
      const counts = new Map<string, number>();
      let missing = 0;
      for (let i = 0; i < n; i++) {
        const level = cellLevel(at(i));
        if (level === null) missing++;
        else counts.set(level, (counts.get(level) ?? 0) + 1);
      }
      const present = n - missing;
      if (present === 0) {
        issues.push({ code: 'allMissing', column: input.name, levels: 0, rows: n });
        continue;
      }
      if (counts.size >= idLevels || (counts.size === present && present >= 20)) {
        issues.push({ code: 'idLike', column: input.name, levels: counts.size, rows: present });
        continue;
      }
      if (counts.size === 1 && missing === 0) issues.push({ code: 'constant', column: input.name, levels: 1, rows: n });
      const ranked = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      const kept = ranked.filter(([, c], i) => i < maxLevels && c >= minLevelCount).map(([level]) => level);
      // With every level rare, keep the most frequent ones anyway so the column still says something.
      const levels = kept.length > 0 ? kept : ranked.slice(0, Math.min(maxLevels, ranked.length)).map(([level]) => level);
      const keptSet = new Set(levels);
      let otherCount = 0;
      for (const [level, c] of counts) if (!keptSet.has(level)) otherCount += c;
      if (otherCount > 0) issues.push({ code: 'rareLevels', column: input.name, levels: counts.size - levels.length, rows: otherCount });
      columns.push({ name: input.name, kind, mean: 0, hasMissing: missing > 0, levels, otherCount });
      continue;
    }
    let sum = 0;
    let count = 0;
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    const log = logNumbers && kind === 'number';
    for (let i = 0; i < n; i++) {
      const raw = cellNumber(at(i), kind);
      if (raw !== raw) continue;
      const x = log ? signedLog1p(raw) : raw;
      sum += x;
      count++;
      if (x < min) min = x;
      if (x > max) max = x;
    }
    if (count === 0) {
      issues.push({ code: 'allMissing', column: input.name, levels: 0, rows: n });
      continue;
    }
    if (min === max && count === n) issues.push({ code: 'constant', column: input.name, levels: 1, rows: n });
    columns.push({ name: input.name, kind, mean: sum / count, hasMissing: count < n, levels: [], otherCount: 0, ...(log ? { log: true } : {}) });
  }
  return { encoding: { columns }, issues };
}

function levelIndex(column: TabularColumn): Map<string, number> {
  return new Map(column.levels.map((level, i) => [level, i]));
}

/** The input column a fitted column reads, by name; throws naming a missing one. */
function inputFor(inputs: readonly TabularInput[], name: string): TabularInput {
  const found = inputs.find((c) => c.name === name);
  if (!found) throw new RangeError(`Column ${name} is missing from the table.`);
  return found;
}

/**
 * One Float64Array per fitted column for trees (NaN = missing). A category level not seen in
 * training gets the "other" code when the column had one, else counts as missing.
 */
export function encodeForTrees(encoding: TabularEncoding, inputs: readonly TabularInput[], n: number): { columns: Float64Array[]; names: string[] } {
  const out: Float64Array[] = [];
  for (const column of encoding.columns) {
    const values = inputFor(inputs, column.name).values;
    const x = new Float64Array(n);
    if (column.kind === 'category') {
      const index = levelIndex(column);
      const other = column.otherCount > 0 ? column.levels.length : Number.NaN;
      for (let i = 0; i < n; i++) {
        const level = cellLevel(values[i]);
        x[i] = level === null ? Number.NaN : (index.get(level) ?? other);
      }
    } else {
      for (let i = 0; i < n; i++) x[i] = cellNumber(values[i], column.kind);
    }
    out.push(x);
  }
  return { columns: out, names: encoding.columns.map((c) => c.name) };
}

/** Names of the linear features, in matrix column order, with the input column each comes from. */
export function linearFeatureNames(encoding: TabularEncoding): { names: string[]; source: string[] } {
  const names: string[] = [];
  const source: string[] = [];
  for (const c of encoding.columns) {
    if (c.kind === 'category') {
      for (const level of c.levels) {
        names.push(`${c.name}=${level}`);
        source.push(c.name);
      }
      if (c.otherCount > 0) {
        names.push(`${c.name}=(other)`);
        source.push(c.name);
      }
    } else {
      names.push(c.name);
      source.push(c.name);
    }
    if (c.hasMissing) {
      names.push(`${c.name} (missing)`);
      source.push(c.name);
    }
  }
  return { names, source };
}

/** The row-major matrix a linear model takes (see the file header); unseen levels get all zeros but "other". */
export function encodeForLinear(encoding: TabularEncoding, inputs: readonly TabularInput[], n: number): Matrix & { names: string[] } {
  const { names } = linearFeatureNames(encoding);
  const d = names.length;
  const values = new Float64Array(n * d);
  let j = 0;
  for (const c of encoding.columns) {
    const cells = inputFor(inputs, c.name).values;
    if (c.kind === 'category') {
      const index = levelIndex(c);
      const width = c.levels.length + (c.otherCount > 0 ? 1 : 0);
      for (let i = 0; i < n; i++) {
        const level = cellLevel(cells[i]);
        if (level === null) {
          if (c.hasMissing) values[i * d + j + width] = 1;
          continue;
        }
        const k = index.get(level);
        if (k !== undefined) values[i * d + j + k] = 1;
        else if (c.otherCount > 0) values[i * d + j + c.levels.length] = 1;
      }
      j += width;
    } else {
      for (let i = 0; i < n; i++) {
        const raw = cellNumber(cells[i], c.kind);
        const x = c.log === true ? signedLog1p(raw) : raw;
        if (x !== x) {
          values[i * d + j] = c.mean;
          if (c.hasMissing) values[i * d + j + 1] = 1;
        } else values[i * d + j] = x;
      }
      j += 1;
    }
    if (c.hasMissing) j += 1;
  }
  return { values, n, d, names };
}
