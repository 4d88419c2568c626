/**
 * Cleaning a table, in this order (each step sees the previous step's result):
 *   0. numbers    — NaN cells become missing (null); ±Infinity becomes missing and is reported;
 *   1. trim       — text cells lose surrounding whitespace; cells left empty become missing;
 *   2. parse      — malformed numbers ("1,234.50", "$12", "12,5") in chosen text columns, or in
 *                   every text column whose cells all read as numbers (auto), become numbers;
 *   3. duplicates — rows equal to an earlier row in every column are dropped;
 *   4. conditions — only rows satisfying every structured condition are kept;
 *   5. missing    — per column: keep, drop the row, or impute mean, median, mode or a constant
 *                   (statistics from the rows kept so far);
 *   6. outliers   — values beyond Q1 − k·IQR or Q3 + k·IQR (type-7 quantiles) are clipped to
 *                   the bound or their rows dropped.
 * The report has one row per rule and column: rule, column, rows_affected, detail. Columns
 * with missing cells are reported even when they are kept, so nothing goes unmentioned.
 */
import type { ColumnTable } from 'arquero';
import type { Condition } from '../engine/params.ts';
import { columnValues, gather, isMissing, keptRows, makeTable, numberColumn, readNumbers, valueKind, type ColumnArray, type Values } from './columns.ts';
import { conditionMask, conditionMessages, conditionText } from './conditions.ts';
import { parseDateText } from './dates.ts';
import { assertNever, parseBooleanAt } from './infer.ts';
import { DataError, errorTemplate, warningTemplate, type DataNote, type KernelMessages } from './issues.ts';
import { parseLooseNumber, parseNumberText } from './numbers.ts';
import { quantileSorted, sortedPresent } from './quantile.ts';

/** Missing-value strategies. */
export const missingStrategies = ['keep', 'drop-row', 'mean', 'median', 'mode', 'constant'] as const;

/** One missing-value strategy. */
export type MissingStrategy = (typeof missingStrategies)[number];

/** Outlier treatments. */
export const outlierTreatments = ['keep', 'clip', 'drop'] as const;

/** One outlier treatment. */
export type OutlierTreatment = (typeof outlierTreatments)[number];

/** Options of `cleanTable`. */
export interface CleanOptions {
  /** Drop rows equal to an earlier row. */
  dropDuplicates: boolean;
  /** Trim text cells (empty → missing). */
  trim: boolean;
  /** Text columns to read as malformed numbers. */
  parseNumbers: readonly string[];
  /** Also convert every other text column whose cells all read as numbers. */
  parseNumbersAuto: boolean;
  /** Missing-value strategy per column (others: keep). */
  missing: Readonly<Record<string, MissingStrategy>>;
  /** The value for the 'constant' strategy, read as the column's type. */
  missingConstant: string;
  /** Keep rows satisfying all of these. */
  conditions: readonly Condition[];
  /** What to do with IQR outliers. */
  outliers: OutlierTreatment;
  /** Numeric columns checked for outliers. */
  outlierColumns: readonly string[];
  /** k in Q1 − k·IQR, Q3 + k·IQR. */
  iqrFactor: number;
}

/** One report row. */
export interface CleanReportRow {
  /** trim, parse-numbers, duplicates, condition, missing, outliers. */
  rule: string;
  /** The column concerned ('' for whole-row rules). */
  column: string;
  /** Rows (or cells) the rule changed or removed. */
  rows_affected: number;
  /** What was done, with the numbers used. */
  detail: string;
}

/** What `cleanTable` returns. */
export interface CleanResult {
  /** The clean table. */
  table: ColumnTable;
  /** The report rows. */
  report: CleanReportRow[];
  /** Findings worth a warning. */
  notes: DataNote[];
}

/** Messages of cleaning (a clean node declares them all). */
export const cleanMessages = {
  ...conditionMessages,
  notNumeric: errorTemplate('Column {column} in parameter {param} must hold numbers; it holds values of kind {kind} such as {example}.'),
  badConstant: errorTemplate('Parameter "missingConstant" is {value}, which cannot fill {type} column {column}.'),
  unknownColumn: errorTemplate('Column {column} named in parameter {param} is not in the table.'),
  noValuesToImpute: warningTemplate('Column {column} has no values left, so its {strategy} cannot be computed; its {count} missing cells stay missing.'),
  unparseable: warningTemplate('Column {column}: {count} cells such as {example} are not numbers and became missing.'),
  infinite: warningTemplate('Column {column}: {count} infinite values became missing.'),
  everyRowRemoved: warningTemplate('Cleaning removed all {rows} rows; the output table is empty.'),
  customersLost: warningTemplate('{count} of {total} customers in column {column} lost every row in cleaning (such as {example}); they are in no later result.'),
} satisfies KernelMessages;

/** Ids present before cleaning and absent after it: how many, of how many, and one example. */
export function lostIds(before: Values, after: Values): { lost: number; total: number; example: string } {
  const key = (v: unknown): string | null => (isMissing(v) ? null : String(v).trim().replace(/^(-?\d+)\.0+$/, '$1'));
  const kept = new Set<string>();
  for (let i = 0; i < after.length; i++) {
    const k = key(after[i]);
    if (k !== null) kept.add(k);
  }
  const seen = new Set<string>();
  let example = '';
  for (let i = 0; i < before.length; i++) {
    const k = key(before[i]);
    if (k === null || seen.has(k)) continue;
    seen.add(k);
    if (!kept.has(k) && example === '') example = k;
  }
  let lost = 0;
  for (const k of seen) if (!kept.has(k)) lost++;
  return { lost, total: seen.size, example };
}

/** Defaults: everything off except trimming and automatic number parsing. */
export const defaultCleanOptions: CleanOptions = {
  dropDuplicates: false,
  trim: true,
  parseNumbers: [],
  parseNumbersAuto: true,
  missing: {},
  missingConstant: '',
  conditions: [],
  outliers: 'keep',
  outlierColumns: [],
  iqrFactor: 1.5,
};

/** Cleans a table (see the file header); never mutates the input. */
export function cleanTable(input: ColumnTable, options: Partial<CleanOptions> = {}, checkpoint: () => void = () => undefined): CleanResult {
  const opts: CleanOptions = { ...defaultCleanOptions, ...options };
  const names = input.columnNames();
  const present = new Set(names);
  const requireColumn = (column: string, param: string): void => {
    if (!present.has(column)) throw new DataError(cleanMessages, 'unknownColumn', { column, param }, param);
  };
  opts.parseNumbers.forEach((c) => requireColumn(c, 'parseNumbers'));
  Object.keys(opts.missing).forEach((c) => requireColumn(c, 'missing'));
  opts.conditions.forEach((c) => requireColumn(c.column, 'conditions'));
  if (opts.outliers !== 'keep') opts.outlierColumns.forEach((c) => requireColumn(c, 'outlierColumns'));

  const columns = new Map<string, Values>(names.map((name) => [name, columnValues(input, name)]));
  const report: CleanReportRow[] = [];
  const notes: DataNote[] = [];
  const startRows = input.numRows();

  // 0. non-finite numbers: NaN is the missing marker of typed arrays, so it becomes null and is
  // reported with the missing values; ±Infinity is not a measurement either and is reported here.
  for (const name of names) {
    const values = columns.get(name)!;
    let nan = 0;
    let infinite = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (typeof v !== 'number' || Number.isFinite(v)) continue;
      if (Number.isNaN(v)) nan++;
      else infinite++;
    }
    if (nan + infinite === 0) continue;
    const out: unknown[] = Array.from(values, (v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v));
    columns.set(name, out);
    if (infinite > 0) {
      report.push({ rule: 'non-finite', column: name, rows_affected: infinite, detail: `${infinite} infinite values became missing` });
      notes.push({ code: 'infinite', values: { column: name, count: infinite } });
    }
  }

  // The kind of each column array judged so far: a column trim leaves as it was is not read again.
  const kinds = new Map<Values, ReturnType<typeof valueKind>>();
  const kindOf = (values: Values): ReturnType<typeof valueKind> => {
    let kind = kinds.get(values);
    if (kind === undefined) {
      kind = valueKind(values);
      kinds.set(values, kind);
    }
    return kind;
  };

  // 1. trim
  if (opts.trim) {
    let touched = 0;
    for (const name of names) {
      const values = columns.get(name)!;
      if (ArrayBuffer.isView(values) || kindOf(values) !== 'text') continue;
      const { values: out, changed, emptied } = trimColumn(values);
      if (out !== null && changed > 0) {
        columns.set(name, out);
        report.push({ rule: 'trim', column: name, rows_affected: changed, detail: emptied > 0 ? `surrounding whitespace removed; ${emptied} cells left empty became missing` : 'surrounding whitespace removed' });
        touched++;
      }
    }
    if (touched === 0) report.push({ rule: 'trim', column: '', rows_affected: 0, detail: 'no text cell had surrounding whitespace' });
  }
  checkpoint();

  // 2. parse malformed numbers
  const explicit = new Set(opts.parseNumbers);
  for (const name of names) {
    const values = columns.get(name)!;
    if (ArrayBuffer.isView(values)) continue;
    const kind = kindOf(values);
    if (!explicit.has(name) && !(opts.parseNumbersAuto && kind === 'text')) continue;
    if (kind === 'number' || kind === 'empty') continue;
    if (kind === 'date' || kind === 'boolean') {
      report.push({ rule: 'parse-numbers', column: name, rows_affected: 0, detail: `not parsed: the column holds ${kind} values, not text` });
      continue;
    }
    const parsed = parseColumn(values, !explicit.has(name));
    if (parsed === null) continue;
    columns.set(name, numberColumn(parsed.values));
    report.push({
      rule: 'parse-numbers',
      column: name,
      rows_affected: parsed.converted,
      detail: `${explicit.has(name) ? 'chosen' : 'auto'}: ${parsed.converted} text cells read as numbers${parsed.failed > 0 ? `; ${parsed.failed} unreadable became missing` : ''}`,
    });
    if (parsed.failed > 0) notes.push({ code: 'unparseable', values: { column: name, count: parsed.failed, example: parsed.example } });
  }
  checkpoint();

  let rowCount = startRows;
  const applyKeep = (keep: Uint8Array): number => {
    const rows = keptRows(keep);
    const removed = rowCount - rows.length;
    if (removed > 0) {
      for (const name of names) columns.set(name, gather(columns.get(name)!, rows));
      rowCount = rows.length;
    }
    return removed;
  };

  // 3 and 4. duplicates and conditions mark rows in one mask and are applied with one gather;
  // each rule's count is of the rows still kept when it applies, as if applied in turn.
  if (opts.dropDuplicates || opts.conditions.length > 0) {
    const alive = new Uint8Array(rowCount).fill(1);
    if (opts.dropDuplicates) {
      const keep = firstOccurrences(names.map((name) => columns.get(name)!), rowCount);
      const removed = narrow(alive, keep);
      report.push({ rule: 'duplicates', column: '', rows_affected: removed, detail: `${removed} rows equal to an earlier row in all ${names.length} columns were dropped` });
      checkpoint();
    }
    opts.conditions.forEach((condition, k) => {
      const removed = narrow(alive, conditionMask(columns.get(condition.column)!, condition, k + 1));
      report.push({ rule: 'condition', column: condition.column, rows_affected: removed, detail: `kept rows where ${conditionText(condition)}; ${removed} removed` });
    });
    applyKeep(alive);
  }
  checkpoint();

  // 5. missing values
  for (const name of names) {
    const strategy: MissingStrategy = Object.hasOwn(opts.missing, name) ? (opts.missing[name] ?? 'keep') : 'keep';
    const values = columns.get(name)!;
    let missingCount = 0;
    for (let i = 0; i < values.length; i++) if (isMissing(values[i])) missingCount++;
    if (missingCount === 0) continue;
    switch (strategy) {
      case 'keep':
        report.push({ rule: 'missing', column: name, rows_affected: missingCount, detail: 'kept as missing (no strategy chosen)' });
        break;
      case 'drop-row': {
        const keep = new Uint8Array(values.length);
        for (let i = 0; i < values.length; i++) keep[i] = isMissing(values[i]) ? 0 : 1;
        const removed = applyKeep(keep);
        report.push({ rule: 'missing', column: name, rows_affected: removed, detail: `dropped ${removed} rows with a missing ${name}` });
        break;
      }
      case 'mean':
      case 'median':
      case 'mode':
      case 'constant': {
        const fill = fillValue(values, name, strategy, opts.missingConstant);
        if (fill === null) {
          notes.push({ code: 'noValuesToImpute', values: { column: name, strategy, count: missingCount } });
          report.push({ rule: 'missing', column: name, rows_affected: 0, detail: `${strategy} not computable (no values); ${missingCount} cells stay missing` });
          break;
        }
        columns.set(name, filled(values, fill.value));
        report.push({ rule: 'missing', column: name, rows_affected: missingCount, detail: `imputed ${strategy} = ${fill.label}` });
        break;
      }
      default:
        assertNever(strategy);
    }
  }
  checkpoint();

  // 6. outliers
  if (opts.outliers !== 'keep') {
    for (const name of opts.outlierColumns) {
      const read = readNumbers(columns.get(name)!);
      if (read.nonNumeric > 0) throw new DataError(cleanMessages, 'notNumeric', { column: name, param: 'outlierColumns', kind: valueKind(columns.get(name)!), example: String(read.nonNumericExample) }, 'outlierColumns');
      const sorted = sortedPresent(read.values);
      if (sorted.length === 0) {
        report.push({ rule: 'outliers', column: name, rows_affected: 0, detail: 'no values to check' });
        continue;
      }
      const q1 = quantileSorted(sorted, 0.25);
      const q3 = quantileSorted(sorted, 0.75);
      const iqr = q3 - q1;
      const low = q1 - opts.iqrFactor * iqr;
      const high = q3 + opts.iqrFactor * iqr;
      const bounds = `bounds [${fmt(low)}, ${fmt(high)}] from Q1 = ${fmt(q1)}, Q3 = ${fmt(q3)}, k = ${opts.iqrFactor}`;
      const x = read.values;
      if (opts.outliers === 'clip') {
        const out = new Float64Array(x);
        let clipped = 0;
        for (let i = 0; i < out.length; i++) {
          const v = out[i]!;
          if (v < low) {
            out[i] = low;
            clipped++;
          } else if (v > high) {
            out[i] = high;
            clipped++;
          }
        }
        if (clipped > 0) columns.set(name, numberColumn(out));
        report.push({ rule: 'outliers', column: name, rows_affected: clipped, detail: `clipped to ${bounds}` });
      } else {
        const keep = new Uint8Array(x.length);
        for (let i = 0; i < x.length; i++) {
          const v = x[i]!;
          keep[i] = v < low || v > high ? 0 : 1;
        }
        const removed = applyKeep(keep);
        report.push({ rule: 'outliers', column: name, rows_affected: removed, detail: `dropped rows outside ${bounds}` });
      }
    }
  }

  if (rowCount === 0 && startRows > 0) notes.push({ code: 'everyRowRemoved', values: { rows: startRows } });
  const table = makeTable(names, names.map((name) => asColumn(columns.get(name)!)));
  return { table, report, notes };
}

function asColumn(values: Values): ColumnArray {
  if (Array.isArray(values)) return values;
  if (values instanceof Float64Array) return values;
  return Array.from(values);
}

function fmt(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Math.round(value * 1e6) / 1e6);
}

/** The column with its text cells trimmed (null when none changed: no copy is made then). */
function trimColumn(values: Values): { values: unknown[] | null; changed: number; emptied: number } {
  let out: unknown[] | null = null;
  let changed = 0;
  let emptied = 0;
  let previousIn: unknown = null;
  let previousOut: string | null = null;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'string') {
      if (out) out[i] = v;
      continue;
    }
    let t: string | null;
    if (v === previousIn) t = previousOut;
    else if (v.length > 0 && v.charCodeAt(0) > 32 && v.charCodeAt(0) < 127 && v.charCodeAt(v.length - 1) > 32 && v.charCodeAt(v.length - 1) < 127) {
      // Printable ASCII at both ends: nothing to trim (trim's whitespace is all below 33 or above 126).
      if (out) out[i] = v;
      continue;
    } else {
      const s = v.trim();
      t = s.length === v.length ? v : s === '' ? null : s;
      previousIn = v;
      previousOut = t;
    }
    if (t === v) {
      if (out) out[i] = v;
      continue;
    }
    // The first change copies what came before; columns without one are never copied.
    out ??= Array.from({ length: values.length }, (_, k) => (k < i ? values[k] : null));
    out[i] = t;
    changed++;
    if (t === null) emptied++;
  }
  return { values: out, changed, emptied };
}

/**
 * Reads a text column as malformed numbers. In auto mode the column converts only when every
 * present cell reads and none looks like a zero-padded id (`0123`); otherwise null.
 */
function parseColumn(values: Values, auto: boolean): { values: Float64Array; converted: number; failed: number; example: string | null } | null {
  const out = new Float64Array(values.length);
  let converted = 0;
  let failed = 0;
  let example: string | null = null;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] = Number.NaN;
    if (isMissing(v)) continue;
    if (typeof v === 'number') {
      out[i] = Number.isFinite(v) ? v : Number.NaN;
      continue;
    }
    const text = typeof v === 'string' ? v : String(v);
    const parsed = parseLooseNumber(text);
    if (parsed === null || (auto && /^\s*[+-]?0\d/.test(text))) {
      if (auto) return null;
      failed++;
      example ??= text;
      continue;
    }
    out[i] = parsed;
    converted++;
  }
  if (auto && converted === 0) return null;
  return { values: out, converted, failed, example };
}

/** The fill value for an imputation strategy, or null when there are no values to compute it. */
function fillValue(values: Values, column: string, strategy: 'mean' | 'median' | 'mode' | 'constant', constant: string): { value: unknown; label: string } | null {
  const kind = valueKind(values);
  if (strategy === 'constant') {
    switch (kind) {
      case 'number': {
        const v = parseNumberText(constant, false);
        const value = Number.isNaN(v) ? parseLooseNumber(constant) : v;
        if (value === null) throw new DataError(cleanMessages, 'badConstant', { value: constant, type: 'number', column }, 'missingConstant');
        return { value, label: fmt(value) };
      }
      case 'date': {
        const ms = parseDateText(constant);
        if (ms === null) throw new DataError(cleanMessages, 'badConstant', { value: constant, type: 'date', column }, 'missingConstant');
        return { value: new Date(ms), label: new Date(ms).toISOString() };
      }
      case 'boolean': {
        const b = parseBooleanAt(constant, 0, constant.length, true);
        if (b === null) throw new DataError(cleanMessages, 'badConstant', { value: constant, type: 'true/false', column }, 'missingConstant');
        return { value: b, label: String(b) };
      }
      case 'text':
      case 'mixed':
      case 'empty':
        return { value: constant, label: JSON.stringify(constant) };
      default:
        return assertNever(kind);
    }
  }
  if (strategy === 'mode') {
    const counts = new Map<unknown, { value: unknown; count: number }>();
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (isMissing(v)) continue;
      const key = v instanceof Date ? v.getTime() : v;
      const entry = counts.get(key);
      if (entry) entry.count++;
      else counts.set(key, { value: v, count: 1 });
    }
    let best: { value: unknown; count: number } | null = null;
    // First seen wins ties, so the result does not depend on Map internals.
    for (const entry of counts.values()) if (best === null || entry.count > best.count) best = entry;
    if (best === null) return null;
    const label = best.value instanceof Date ? best.value.toISOString() : typeof best.value === 'string' ? JSON.stringify(best.value) : String(best.value);
    return { value: best.value, label: `${label} (${best.count} times)` };
  }
  const read = readNumbers(values);
  if (read.nonNumeric > 0) {
    throw new DataError(cleanMessages, 'notNumeric', { column, param: 'missing', kind, example: String(read.nonNumericExample) }, 'missing');
  }
  const sorted = sortedPresent(read.values);
  if (sorted.length === 0) return null;
  if (strategy === 'median') {
    const m = quantileSorted(sorted, 0.5);
    return { value: m, label: fmt(m) };
  }
  let sum = 0;
  for (let i = 0; i < sorted.length; i++) sum += sorted[i]!;
  const mean = sum / sorted.length;
  return { value: mean, label: fmt(mean) };
}

function filled(values: Values, fill: unknown): ColumnArray {
  if (typeof fill === 'number') {
    const read = readNumbers(values);
    const out = read.values;
    for (let i = 0; i < out.length; i++) if (isMissing(values[i])) out[i] = fill;
    return numberColumn(out);
  }
  const out: unknown[] = new Array<unknown>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] = isMissing(v) ? fill : v;
  }
  return out;
}

/** Clears alive rows that `keep` rejects; returns how many it cleared. */
function narrow(alive: Uint8Array, keep: Uint8Array): number {
  let removed = 0;
  for (let i = 0; i < alive.length; i++) {
    if (alive[i] && !keep[i]) {
      alive[i] = 0;
      removed++;
    }
  }
  return removed;
}

const hashView = new Float64Array(1);
const hashBits = new Uint32Array(hashView.buffer);

/**
 * Marks the first occurrence of every distinct row (1) and later copies (0). Each row gets a
 * 64-bit hash from its cells (numbers and dates by their bits, other values by a per-column
 * code); rows are found in an open-addressing table of row numbers, and equal hashes are
 * confirmed cell by cell, so a hash collision never drops a row.
 */
export function firstOccurrences(columns: readonly Values[], rowCount: number): Uint8Array {
  const laneA = new Uint32Array(rowCount).fill(0x9e3779b9);
  const laneB = new Uint32Array(rowCount).fill(0x85ebca6b);
  for (const values of columns) {
    if (values instanceof Float64Array) {
      // Typed numbers: hash the stored bits directly.
      const bits = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
      for (let i = 0; i < rowCount; i++) {
        const x = values[i]!;
        let lo = bits[2 * i]!;
        let hi = bits[2 * i + 1]!;
        if (x !== x || x === 0) {
          lo = 0;
          hi = 0;
        }
        laneA[i] = Math.imul((laneA[i]! ^ lo) >>> 0, 0xcc9e2d51) ^ Math.imul(hi, 0x1b873593);
        laneB[i] = Math.imul((laneB[i]! ^ hi) >>> 0, 0x85ebca6b) ^ Math.imul(lo, 0xe6546b64);
      }
      continue;
    }
    const codes = new Map<unknown, number>();
    let previous: unknown = Symbol('none');
    let previousLo = 0;
    let previousHi = 0;
    for (let i = 0; i < rowCount; i++) {
      const v = values[i];
      let lo: number;
      let hi: number;
      if (v === previous) {
        // Runs of one value (an invoice's lines) skip the lookup.
        lo = previousLo;
        hi = previousHi;
      } else if (typeof v === 'number' || v instanceof Date) {
        const x = typeof v === 'number' ? v : v.getTime();
        // NaN and null both mean missing; 0 and −0 are equal.
        if (x !== x) {
          lo = 0;
          hi = 0;
        } else {
          hashView[0] = x === 0 ? 0 : x;
          lo = hashBits[0]!;
          hi = hashBits[1]!;
        }
      } else if (v === null || v === undefined) {
        lo = 0;
        hi = 0;
      } else {
        let code = codes.get(v);
        if (code === undefined) {
          code = codes.size + 1;
          codes.set(v, code);
        }
        lo = code;
        hi = 0x5bd1e995;
      }
      previous = v;
      previousLo = lo;
      previousHi = hi;
      laneA[i] = Math.imul((laneA[i]! ^ lo) >>> 0, 0xcc9e2d51) ^ Math.imul(hi, 0x1b873593);
      laneB[i] = Math.imul((laneB[i]! ^ hi) >>> 0, 0x85ebca6b) ^ Math.imul(lo, 0xe6546b64);
    }
  }
  const keep = new Uint8Array(rowCount);
  let size = 1024;
  while (size < rowCount * 2) size *= 2;
  const mask = size - 1;
  const slots = new Int32Array(size).fill(-1);
  for (let i = 0; i < rowCount; i++) {
    const a = laneA[i]!;
    const b = laneB[i]!;
    let slot = (Math.imul(a ^ (b >>> 7), 0x9e3779b1) >>> 0) & mask;
    let duplicate = false;
    for (;;) {
      const j = slots[slot]!;
      if (j < 0) break;
      if (laneA[j] === a && laneB[j] === b && sameRow(columns, i, j)) {
        duplicate = true;
        break;
      }
      slot = (slot + 1) & mask;
    }
    if (duplicate) continue;
    slots[slot] = i;
    keep[i] = 1;
  }
  return keep;
}

function sameCell(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (isMissing(a) && isMissing(b)) return true;
  return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
}

function sameRow(columns: readonly Values[], i: number, j: number): boolean {
  for (const values of columns) if (!sameCell(values[i], values[j])) return false;
  return true;
}
