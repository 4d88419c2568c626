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
 * Rows are removed without copying the columns: the output is a filtered table over the
 * input's columns wherever a step did not change them (see README.md, value conventions).
 */
import type { ColumnTable } from 'arquero';
import type { Condition } from '../engine/params.ts';
import { columnValues, gather, isMissing, keptRows, makeTable, numberColumn, readNumbers, selectRows, valueKind, type ColumnArray, type Values } from './columns.ts';
import { conditionMask, conditionMessages, conditionText } from './conditions.ts';
import { parseDateText } from './dates.ts';
import { firstOccurrences } from './duplicates.ts';
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
    const { nan, infinite } = nonFinite(values);
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
  // Whether a column's kind is text, read only as far as the first cell that rules it out.
  const texts = new Map<Values, boolean>();
  const isText = (values: Values): boolean => {
    const known = kinds.get(values);
    if (known !== undefined) return known === 'text';
    let text = texts.get(values);
    if (text === undefined) {
      text = textKind(values);
      texts.set(values, text);
    }
    return text;
  };

  // 1. trim
  if (opts.trim) {
    let touched = 0;
    for (const name of names) {
      const values = columns.get(name)!;
      if (ArrayBuffer.isView(values) || !isText(values)) continue;
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
    const chosen = explicit.has(name);
    if (!chosen && !(opts.parseNumbersAuto && isText(values))) continue;
    const kind = chosen ? kindOf(values) : 'text';
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

  // Rows are removed by narrowing a selection over the full-length columns, never by copying
  // them: the output shares every column clean did not change with its input (a filtered
  // table). Steps after a removal compute on the kept rows (`kept`, one column at a time) and
  // spread a changed column back to full length (`spread`).
  let rowCount = startRows;
  let selection: Uint8Array | null = null;
  let rows: Uint32Array | null = null;
  const kept = (values: Values): Values => (rows === null ? values : gather(values, rows));
  const spread = (values: ColumnArray): ColumnArray => (rows === null ? values : spreadRows(values, rows, startRows));
  /** Removes the kept rows where keep[k] is 0 (keep is over the kept rows, in order); returns how many. */
  const applyKeep = (keep: Uint8Array): number => {
    let removed = 0;
    for (let k = 0; k < keep.length; k++) removed += 1 - keep[k]!;
    if (removed > 0) {
      if (selection === null || rows === null) selection = keep.slice();
      else for (let k = 0; k < keep.length; k++) if (keep[k] === 0) selection[rows[k]!] = 0;
      rows = keptRows(selection);
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
    const stored = columns.get(name)!;
    const missingCount = countMissing(stored, rows);
    if (missingCount === 0) continue;
    switch (strategy) {
      case 'keep':
        report.push({ rule: 'missing', column: name, rows_affected: missingCount, detail: 'kept as missing (no strategy chosen)' });
        break;
      case 'drop-row': {
        const keep = new Uint8Array(rowCount);
        for (let k = 0; k < rowCount; k++) keep[k] = isMissing(stored[rows === null ? k : rows[k]!]) ? 0 : 1;
        const removed = applyKeep(keep);
        report.push({ rule: 'missing', column: name, rows_affected: removed, detail: `dropped ${removed} rows with a missing ${name}` });
        break;
      }
      case 'mean':
      case 'median':
      case 'mode':
      case 'constant': {
        const values = kept(stored);
        const fill = fillValue(values, name, strategy, opts.missingConstant);
        if (fill === null) {
          notes.push({ code: 'noValuesToImpute', values: { column: name, strategy, count: missingCount } });
          report.push({ rule: 'missing', column: name, rows_affected: 0, detail: `${strategy} not computable (no values); ${missingCount} cells stay missing` });
          break;
        }
        columns.set(name, spread(filled(values, fill.value)));
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
      const values = kept(columns.get(name)!);
      const read = readNumbers(values);
      if (read.nonNumeric > 0) throw new DataError(cleanMessages, 'notNumeric', { column: name, param: 'outlierColumns', kind: valueKind(values), example: String(read.nonNumericExample) }, 'outlierColumns');
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
        if (clipped > 0) columns.set(name, spread(numberColumn(out)));
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
  let table: ColumnTable;
  if (rows === null || selection === null) table = makeTable(names, names.map((name) => asColumn(columns.get(name)!)));
  // Fewer than half the rows kept: a copy of them holds less than a view that keeps all of its
  // input's rows alive (the input is released once no later node reads it).
  else if (rowCount * 2 < startRows) table = makeTable(names, names.map((name) => asColumn(gather(columns.get(name)!, rows!))));
  else table = selectRows(makeTable(names, names.map((name) => asColumn(columns.get(name)!))), selection);
  return { table, report, notes };
}

/** A column of the kept rows spread back over `length` stored rows (the others hold 0 or null, never read). */
function spreadRows(values: ColumnArray, rows: Uint32Array, length: number): ColumnArray {
  if (values instanceof Float64Array) {
    const out = new Float64Array(length);
    for (let k = 0; k < rows.length; k++) out[rows[k]!] = values[k]!;
    return out;
  }
  const out: unknown[] = new Array<unknown>(length).fill(null);
  for (let k = 0; k < rows.length; k++) out[rows[k]!] = values[k];
  return out;
}

function asColumn(values: Values): ColumnArray {
  if (Array.isArray(values)) return values;
  if (values instanceof Float64Array) return values;
  return Array.from(values);
}

/** NaN and ±Infinity numbers in a column. */
function nonFinite(values: Values): { nan: number; infinite: number } {
  let nan = 0;
  let infinite = 0;
  if (values instanceof Float64Array) {
    // A loop of its own: typed and plain arrays in one loop make every read slow.
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v - v === 0) continue;
      if (v !== v) nan++;
      else infinite++;
    }
    return { nan, infinite };
  }
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || v - v === 0) continue;
    if (v !== v) nan++;
    else infinite++;
  }
  return { nan, infinite };
}

/** Missing cells in a column (see isMissing), at the given rows (null: every row). */
function countMissing(values: Values, rows: Uint32Array | null): number {
  let missing = 0;
  if (rows !== null) {
    if (values instanceof Float64Array) {
      for (let k = 0; k < rows.length; k++) {
        const v = values[rows[k]!]!;
        if (v !== v) missing++;
      }
      return missing;
    }
    for (let k = 0; k < rows.length; k++) if (isMissing(values[rows[k]!])) missing++;
    return missing;
  }
  if (values instanceof Float64Array) {
    for (let i = 0; i < values.length; i++) if (values[i] !== values[i]) missing++;
    return missing;
  }
  for (let i = 0; i < values.length; i++) if (isMissing(values[i])) missing++;
  return missing;
}

/** True when valueKind(values) is 'text', stopping at the first cell that rules it out. */
function textKind(values: Values): boolean {
  let text = false;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === 'string') text = true;
    else if (v === null || v === undefined) continue;
    else if (typeof v === 'number') {
      if (v === v) return false;
    } else if (typeof v === 'bigint' || typeof v === 'boolean') return false;
    else if (v instanceof Date) {
      if (!Number.isNaN(v.getTime())) return false;
    } else text = true;
  }
  return text;
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

/** Clears alive rows that `keep` rejects (both masks hold 0 or 1); returns how many it cleared. */
function narrow(alive: Uint8Array, keep: Uint8Array): number {
  let removed = 0;
  // Branch-free: which rows a condition rejects follows no pattern a branch predictor could learn.
  for (let i = 0; i < alive.length; i++) {
    const a = alive[i]!;
    const k = a & keep[i]!;
    removed += a - k;
    alive[i] = k;
  }
  return removed;
}
