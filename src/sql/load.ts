/**
 * Load of a CSV/TSV file as SQL: DuckDB reads the file itself (read_csv, every field as text,
 * strict, so a ragged row, an unterminated quote or text after a closing quote stops it), and
 * the studio's type inference (src/data/infer.ts) runs as SQL over those cells: the same number
 * grammar (no leading zeros, at most 15 integer digits), the same missing markers, non-finite
 * numbers, true/false, and the date forms of dates.ts (year first or A/B/YYYY with the order
 * decided by values above 12, times, AM/PM, zones), every cell read. Only the file's first
 * megabytes are read in JS (binary check, encoding, delimiter sniffing, header names).
 * Not compiled (the node stays in the default engine, which reports what it finds): a source
 * other than a bound file, a format other than CSV/TSV, an encoding other than UTF-8, a chosen
 * column type, a column inferred as true/false, a file that is not valid UTF-8 or that DuckDB's
 * strict reader refuses, a CRLF file whose header holds a line break (DuckDB reads no rows).
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { sniffDelimiter, tokenizeDelimited, type Delimiter } from '../data/csv.ts';
import type { DataNote } from '../data/issues.ts';
import type { ColumnType } from '../data/infer.ts';
import { binaryReason, formatFromBytesAndName, formatFromText } from '../data/read.ts';
import { quoteIdent, quoteNumber, quoteString } from './quote.ts';
import { ROW_COLUMN, type SqlColumn } from './relation.ts';

/** The load params the compiler reads. */
export interface LoadSqlParams {
  source: string;
  format: string;
  delimiter: string;
  encoding: string;
  header: boolean;
  types: Readonly<Record<string, string>>;
  dateOrder: 'auto' | 'day-first' | 'month-first';
}

/** How DuckDB is to read a file, from its first bytes. */
export interface CsvPlan {
  path: string;
  delimiter: Delimiter;
  header: boolean;
  names: string[];
  /** Notes the header gave (renamed names). */
  notes: DataNote[];
}

const PREFIX_BYTES = 5 * 1048576;

/** Plans the read of `path` (file `name`) or says why the default engine reads it. */
export function planCsv(path: string, name: string, params: LoadSqlParams): CsvPlan | string {
  if (params.source !== 'file' && params.source !== 'sample') return 'URLs are fetched and read by the default engine';
  if (params.encoding !== 'auto' && params.encoding !== 'utf-8') return `the ${params.encoding} encoding is decoded by the default engine (DuckDB reads UTF-8)`;
  if (Object.values(params.types).some((t) => t !== 'auto')) return 'chosen column types are read by the default engine';
  const fd = openSync(path, 'r');
  let bytes: Uint8Array;
  let whole: boolean;
  try {
    const buffer = new Uint8Array(PREFIX_BYTES + 1);
    const got = readSync(fd, buffer, 0, buffer.length, 0);
    whole = got <= PREFIX_BYTES;
    bytes = buffer.subarray(0, whole ? got : PREFIX_BYTES);
  } finally {
    closeSync(fd);
  }
  if (bytes.length === 0) return 'the file is empty (the default engine reports it)';
  const named = params.format === 'auto' ? formatFromBytesAndName({ name, bytes }) : params.format;
  if (named !== null && named !== 'csv' && named !== 'tsv') return `${named} files are read by the default engine`;
  if (binaryReason(bytes) !== null) return 'the file is not a text table (the default engine reports it)';
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return 'UTF-16 text is decoded by the default engine';
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  let end = bytes.length;
  if (!whole) {
    end = bytes.lastIndexOf(10) + 1;
    if (end <= 0) return 'the first line is longer than the 5 MB the SQL engine sniffs';
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes.subarray(bom ? 3 : 0, end));
  } catch {
    return 'the file is not valid UTF-8 (the default engine guesses its encoding)';
  }
  if (text.trim() === '') return 'the file is empty (the default engine reports it)';
  const format = named ?? formatFromText(text);
  if (format !== 'csv' && format !== 'tsv') return `${format} files are read by the default engine`;
  const delimiter: Delimiter = params.delimiter !== 'auto' && (params.delimiter === ',' || params.delimiter === ';' || params.delimiter === '\t' || params.delimiter === '|') ? params.delimiter : format === 'tsv' ? '\t' : sniffDelimiter(text);
  if (delimiter === 'whitespace' || params.delimiter === 'whitespace') return 'fields separated by runs of spaces are read by the default engine';
  const grid = tokenizeDelimited(text, { delimiter, header: params.header });
  if (grid.width === 0) return 'the file has no columns (the default engine reports it)';
  if (grid.longRows > 0 || grid.shortRows > 0) return 'rows with more or fewer fields than the header are read by the default engine';
  if (whole && grid.unterminatedQuote) return 'the file ends inside a quoted field (the default engine reports it)';
  // DuckDB 1.5's strict reader returns no rows (no error) when a CRLF file's header holds a line break.
  if (params.header && text.includes('\r') && grid.names.some((n) => /[\r\n]/.test(n))) return 'a column name holding a line break, in a file with CRLF line ends, is read by the default engine (DuckDB’s reader loses every row of such a file)';
  if (grid.names.some((n) => n.startsWith('__insight_'))) return 'a column name starts with __insight_, the prefix the SQL engine uses for its own columns';
  const notes: DataNote[] = grid.renamedHeaders > 0 ? [{ code: 'renamedHeaders', values: { name, count: grid.renamedHeaders } }] : [];
  return { path, delimiter, header: params.header, names: grid.names, notes };
}

/**
 * The statement storing every field of the file as text, in file order (rowid), as a temporary
 * table: it lives in memory and the spill folder (DuckDB's buffer manager), not in the database
 * file, so it is never compressed and checkpointed (about half the CPU of a stored table,
 * measured on 100 MB); it is dropped once the typed table is built.
 */
export function rawTableSql(raw: string, plan: CsvPlan): string {
  const columns = plan.names.map((n) => `${quoteString(n)}: 'VARCHAR'`).join(', ');
  return `CREATE TEMP TABLE ${quoteIdent(raw)} AS SELECT * FROM read_csv(${quoteString(plan.path)}, header = ${plan.header ? 'true' : 'false'}, delim = ${quoteString(plan.delimiter)}, quote = '"', escape = '"', strict_mode = true, null_padding = false, auto_detect = false, all_varchar = true, columns = {${columns}})`;
}

// The grammars of infer.ts and dates.ts as RE2 patterns (fixed text, never user text).
const NUMBER = '[ \\t]*[+-]?(?:(?:0|[1-9][0-9]{0,14})(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?[ \\t]*';
const JS_SPACE = '\\t\\n\\x{0B}\\f\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}';
const NON_FINITE = `(?i)[${JS_SPACE}]*[+-]?(?:inf|infinity|(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)[eE][+-]?[0-9]+|[0-9]{309,}(?:\\.[0-9]*)?)[${JS_SPACE}]*`;
const CONTROL = '[\\x{01}-\\x{20}]*';
const MARKER = `${CONTROL}(?:NA|N/A|n/a|na|NaN|nan|NAN|null|NULL|Null|None|none|#N/A|\\?|-)?${CONTROL}`;
const BOOLEAN = `${CONTROL}(?i:true|false)${CONTROL}`;
const DATE = '^(?:([0-9]{4})([-/.])([0-9]{1,2})([-/.])([0-9]{1,2})|([0-9]{1,2})([-/.])([0-9]{1,2})([-/.])([0-9]{4}))(?:[ T]([0-9]{1,2}):([0-9]{2})(?::([0-9]{2})(?:\\.([0-9]+))?)?(?: *([aApP][mM]))?(?: ?(?:(Z)|([+-])([0-9]{2}):?([0-9]{2})?))?)?$';
const DATE_GROUPS = ['y', 's1', 'm', 's2', 'd', 'a', 't1', 'b', 't2', 'yl', 'hh', 'mi', 'ss', 'frac', 'ampm', 'z', 'sign', 'oh', 'om'];

/** JS String.prototype.trim's whitespace, for DuckDB's trim(x, characters). */
export const JS_TRIM_CHARS = '\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff';

function int(part: string): string {
  return `TRY_CAST(nullif(${part}, '') AS BIGINT)`;
}

/** The names of the date-scan columns of one cell column (`__insight_d<field><suffix>`). */
function dateFieldNames(suffix: string): Record<'p' | 'ok' | 'yf' | 'yy' | 'fa' | 'fb' | 'hr' | 'mn' | 'sc' | 'ms' | 'off', string> {
  const name = (n: string): string => quoteIdent(`__insight_d${n}${suffix}`);
  return { p: name('p'), ok: name('ok'), yf: name('yf'), yy: name('yy'), fa: name('fa'), fb: name('fb'), hr: name('hr'), mn: name('mn'), sc: name('sc'), ms: name('ms'), off: name('off') };
}

/** `inner` with the date-scan columns of its cell column `x` added (NULL where `candidate` is false), named by dateFieldNames(suffix). */
function withDateFields(inner: string, x: string, candidate: string, suffix = ''): string {
  const f = dateFieldNames(suffix);
  const scan = `SELECT *, CASE WHEN ${candidate} THEN regexp_extract(trim(${x}, ' \t'), ${quoteString(DATE)}, [${DATE_GROUPS.map(quoteString).join(', ')}]) END AS ${f.p} FROM (${inner})`;
  const g = (group: string): string => `${f.p}.${group}`;
  const ampmOk = `(${g('ampm')} = '' OR ${int(g('hh'))} BETWEEN 1 AND 12)`;
  const zoneOk = `(${g('sign')} = '' OR (${int(g('oh'))} <= 23 AND coalesce(${int(g('om'))}, 0) <= 59))`;
  const sepOk = `((${g('y')} <> '' AND ${g('s1')} = ${g('s2')}) OR (${g('yl')} <> '' AND ${g('t1')} = ${g('t2')}))`;
  const h0 = `coalesce(${int(g('hh'))}, 0)`;
  const hour = `CASE WHEN lower(${g('ampm')}) = 'am' THEN (CASE WHEN ${h0} = 12 THEN 0 ELSE ${h0} END) WHEN lower(${g('ampm')}) = 'pm' THEN (CASE WHEN ${h0} = 12 THEN 12 ELSE ${h0} + 12 END) ELSE ${h0} END`;
  const offset = `CASE WHEN ${g('sign')} = '' THEN 0 ELSE (CASE WHEN ${g('sign')} = '-' THEN -1 ELSE 1 END) * (${int(g('oh'))} * 60 + coalesce(${int(g('om'))}, 0)) END`;
  const fields = [
    `(${g('y')} <> '' OR ${g('yl')} <> '') AND ${sepOk} AND ${ampmOk} AND ${zoneOk} AS ${f.ok}`,
    `${g('y')} <> '' AS ${f.yf}`,
    `CASE WHEN ${g('y')} <> '' THEN ${int(g('y'))} ELSE ${int(g('yl'))} END AS ${f.yy}`,
    `CASE WHEN ${g('y')} <> '' THEN ${int(g('m'))} ELSE ${int(g('a'))} END AS ${f.fa}`,
    `CASE WHEN ${g('y')} <> '' THEN ${int(g('d'))} ELSE ${int(g('b'))} END AS ${f.fb}`,
    `${hour} AS ${f.hr}`,
    `coalesce(${int(g('mi'))}, 0) AS ${f.mn}`,
    `coalesce(${int(g('ss'))}, 0) AS ${f.sc}`,
    `coalesce(${int(`rpad(substr(${g('frac')}, 1, 3), 3, '0')`)}, 0) AS ${f.ms}`,
    `${offset} AS ${f.off}`,
  ];
  return `SELECT * EXCLUDE (${f.p}), ${fields.join(', ')} FROM (${scan})`;
}

/** Month and day of the date fields under an order (year-first dates need none). */
function monthDay(order: 'day-first' | 'month-first', suffix: string): { month: string; day: string } {
  const { yf, fa, fb } = dateFieldNames(suffix);
  return order === 'month-first' ? { month: fa, day: fb } : { month: `CASE WHEN ${yf} THEN ${fa} ELSE ${fb} END`, day: `CASE WHEN ${yf} THEN ${fb} ELSE ${fa} END` };
}

/** Whether the date fields are in range under an order (dates.ts partsToEpochMs). */
function validDate(order: 'day-first' | 'month-first', suffix = ''): string {
  const { month, day } = monthDay(order, suffix);
  const { ok, yy, hr, mn, sc } = dateFieldNames(suffix);
  return `coalesce(${ok} AND CASE WHEN (${month}) BETWEEN 1 AND 12 THEN (${day}) >= 1 AND (${day}) <= dayofmonth(last_day(make_date(${yy}, ${month}, 1))) AND ${hr} <= 23 AND ${mn} <= 59 AND ${sc} <= 59 ELSE false END, false)`;
}

/** Epoch ms of valid date fields under an order. */
function epochMs(order: 'day-first' | 'month-first', suffix: string): string {
  const { month, day } = monthDay(order, suffix);
  const { yy, hr, mn, sc, ms, off } = dateFieldNames(suffix);
  return `CASE WHEN ${validDate(order, suffix)} THEN CAST(datediff('day', DATE '1970-01-01', make_date(${yy}, ${month}, ${day})) AS DOUBLE) * ${quoteNumber(86_400_000)} + CAST(((${hr} * 60 + ${mn}) * 60 + ${sc}) * 1000 + ${ms} - ${off} * 60000 AS DOUBLE) END`;
}

/** A cell that may be a date (the scan's leading digits and separator, at least 8 characters). */
function dateCandidate(x: string): string {
  return `length(trim(${x}, ' \t')) >= 8 AND regexp_matches(${x}, '^[ \t]*[0-9]{1,4}[-/.][0-9]')`;
}

/** Every printable ASCII character a number, non-finite number, missing marker, true/false or date can start with (after no whitespace). */
const START_CHARS = '+-.0123456789iInN#?tTfF';

/** Year-first dates DuckDB's own timestamp cast reads exactly (zero-padded, no zone, no fraction). */
const PLAIN_DATE = '[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[ T][0-9]{2}:[0-9]{2}(?::[0-9]{2})?)?';

/** The per-column names of the inference pass and of the typed table's date columns (never a user column's name: those are renamed first). */
const helper = (name: string, j: number): string => `__insight_${name}:${j}`;

/** The character codes of START_CHARS (a cell whose first character is printable ASCII outside them is text). */
const START_CODES = Array.from(START_CHARS, (c) => c.charCodeAt(0));

/**
 * The query of every column's evidence. A cell's class depends on its text alone, so each
 * column's distinct cells are classed once (a hash aggregate per column: count and first row
 * id, rowid, of each distinct text; memory bounded, spilling, however large the file) instead
 * of every cell (a transactions file has ~50× fewer distinct cells than cells: 6.4 → 0.6 s of
 * CPU on 100 MB). Each distinct cell is classed by its text (a DOUBLE cast where the first
 * character leaves the class open, the pattern tests only where the cast leaves it open), and
 * one row is read off per column: counts per class (the sums of the distinct cells' counts)
 * and the row ids of the first marker and non-finite cell in row order (exampleSql reads their
 * text). Output columns are named `<j>:<key>` for column j (decideType's keys; `marker_row`,
 * `nonfinite_row`). Class codes: 0 empty, 1 integer, 2 other number, 3 non-finite, 4 missing
 * marker, 5 true/false, 6 year-first date, 7 year-first out of range, 8 other text, 9 plain
 * year-first date, 16 + bits for A/B/YYYY dates (1: first field > 12, 2: second > 12, 4:
 * valid day-first, 8: valid month-first).
 */
export function inferenceSql(raw: string, columns: readonly string[]): string {
  if (columns.length === 0) return 'SELECT 1';
  const f = quoteIdent(helper('f', 0));
  const n = quoteIdent(helper('n', 0));
  const parts = columns.map((name, j) => {
    const x = quoteIdent(helper('x', j));
    const cells = `SELECT ${quoteIdent(name)} AS ${x}, count(*) AS ${n}, min(rowid) AS ${f} FROM ${quoteIdent(raw)} GROUP BY ${quoteIdent(name)}`;
    const v = `TRY_CAST(${x} AS DOUBLE)`;
    const k0 = quoteIdent(helper('k0', j));
    const k = quoteIdent(helper('k', j));
    const suffix = `:${j}`;
    const d = dateFieldNames(`${suffix}`);
    const jsTrimmed = `trim(${x}, ${quoteString(JS_TRIM_CHARS)})`;
    const nonFinite = `length(${x}) <= 400 AND regexp_full_match(${x}, ${quoteString(NON_FINITE)}) AND (lower(ltrim(${jsTrimmed}, '+-')) IN ('inf', 'infinity') OR coalesce(NOT isfinite(TRY_CAST(${jsTrimmed} AS DOUBLE)), true))`;
    // Fast paths first, each exact: a plain year-first date that DuckDB's cast reads and whose time fields are in range (code 9, counted as 6 and plain);
    // a cell starting with a printable ASCII character that no number, marker, true/false or date starts with (8, no regex run).
    // A cell of the number grammar has only spaces and tabs around it, which DuckDB's DOUBLE cast skips as trim(x, ' \t') would: the cell's cast is the trimmed cell's.
    const plainValid = `regexp_full_match(${x}, ${quoteString(PLAIN_DATE)}) AND TRY_CAST(${x} AS TIMESTAMP) IS NOT NULL AND coalesce(substr(${x}, 12, 2) <= '23' AND substr(${x}, 15, 2) <= '59' AND substr(${x}, 18, 2) <= '59', true)`;
    const cannotStart = `ord(${x}) BETWEEN 33 AND 126 AND ${START_CODES.map((c) => `ord(${x}) <> ${c}`).join(' AND ')}`; // comparisons, not NOT IN (which DuckDB plans as a join)
    const first = `CASE WHEN ${x} IS NULL OR ${x} = '' THEN 0 WHEN ${cannotStart} THEN 8 WHEN isfinite(${v}) AND regexp_full_match(${x}, ${quoteString(NUMBER)}) THEN (CASE WHEN ${v} = floor(${v}) THEN 1 ELSE 2 END) WHEN ${plainValid} THEN 9 WHEN ${nonFinite} THEN 3 WHEN regexp_full_match(${x}, ${quoteString(MARKER)}) THEN 4 WHEN regexp_full_match(${x}, ${quoteString(BOOLEAN)}) THEN 5 WHEN ${dateCandidate(x)} THEN -1 ELSE 8 END`;
    const scanned = withDateFields(`SELECT *, ${first} AS ${k0} FROM (${cells})`, x, `${k0} = -1`, suffix);
    const kind = `CASE WHEN ${k0} <> -1 THEN ${k0} WHEN NOT coalesce(${d.ok}, false) THEN 8 WHEN ${d.yf} THEN (CASE WHEN ${validDate('day-first', suffix)} THEN 6 ELSE 7 END) ELSE 16 + (CASE WHEN ${d.fa} > 12 THEN 1 ELSE 0 END) + (CASE WHEN ${d.fb} > 12 THEN 2 ELSE 0 END) + (CASE WHEN ${validDate('day-first', suffix)} THEN 4 ELSE 0 END) + (CASE WHEN ${validDate('month-first', suffix)} THEN 8 ELSE 0 END) END`;
    const classed = `SELECT ${n}, ${f}, CAST(${kind} AS TINYINT) AS ${k} FROM (${scanned})`;
    const out = (key: string): string => quoteIdent(`${j}:${key}`);
    const count = (where: string): string => `coalesce(sum(${n}) FILTER (WHERE ${where}), 0)`;
    const aggregates: string[] = [];
    for (const code of [1, 2, 3, 4, 5, 7, 8]) aggregates.push(`${count(`${k} = ${code}`)} AS ${out(`c_${code}`)}`);
    aggregates.push(`${count(`${k} = 6 OR ${k} = 9`)} AS ${out('c_6')}`);
    aggregates.push(
      `${count(`${k} >= 16`)} AS ${out('c_yl')}`,
      `bool_or((${k} - 16) & 1 = 1) FILTER (WHERE ${k} >= 16) AS ${out('c_a12')}`,
      `bool_or((${k} - 16) & 2 = 2) FILTER (WHERE ${k} >= 16) AS ${out('c_b12')}`,
      `${count(`${k} >= 16 AND (${k} - 16) & 4 = 0`)} AS ${out('c_baddf')}`,
      `${count(`${k} >= 16 AND (${k} - 16) & 8 = 0`)} AS ${out('c_badmf')}`,
      `min(${f}) FILTER (WHERE ${k} = 4) AS ${out('marker_row')}`,
      `min(${f}) FILTER (WHERE ${k} = 3) AS ${out('nonfinite_row')}`,
      `${count(`${k} = 9`)} > 0 AND ${count(`${k} = 6 OR ${k} >= 16`)} = 0 AS ${out('plain')}`,
    );
    return `(SELECT ${aggregates.join(', ')} FROM (${classed})) AS ${quoteIdent(helper('c', j))}`;
  });
  return `SELECT * FROM ${parts.join(', ')}`;
}

/** The query of one raw cell's text by its row id (an example the inference pass pointed at). */
export function exampleSql(raw: string, column: string, rowId: number): string {
  if (!Number.isSafeInteger(rowId) || rowId < 0) throw new RangeError(`row id ${rowId} is not a row id`);
  return `SELECT ${quoteIdent(column)} FROM ${quoteIdent(raw)} WHERE rowid = ${String(rowId)}`;
}

/** The inferred type of one column and the notes it gives. */
export interface InferredColumn {
  type: ColumnType;
  notes: DataNote[];
  /** Date order used (dates with A/B/YYYY values). */
  order: 'day-first' | 'month-first';
  /** Dates that DuckDB's timestamp cast reads exactly (every one zero-padded YYYY-MM-DD[ HH:MM[:SS]], read by the cast, time fields in range). */
  plain?: boolean;
}

/** Decides a column's type from its evidence row, as infer.ts buildColumn does. */
export function decideType(column: string, get: (key: string) => unknown, dateOrder: LoadSqlParams['dateOrder']): InferredColumn {
  const n = (key: string): number => {
    const v = get(`c_${key}`);
    return typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : 0;
  };
  const integers = n('1');
  const numbers = integers + n('2');
  const nonFinite = n('3');
  const markers = n('4');
  const booleans = n('5');
  const yearFirst = n('6');
  const yearFirstBad = n('7');
  const otherText = n('8');
  const yearLast = n('yl');
  const present = numbers + booleans + yearFirst + yearFirstBad + otherText + yearLast;
  const markerNote = (): DataNote[] => (markers > 0 ? [{ code: 'markersAsMissing', values: { column, count: markers, example: String(get('marker') ?? '') } }] : []);
  const text: InferredColumn = { type: 'text', notes: [], order: 'day-first' };
  if (present === 0 && nonFinite === 0) return text;
  if (present === numbers) {
    const notes = markerNote();
    if (nonFinite > 0) notes.push({ code: 'nonFinite', values: { column, count: nonFinite, example: String(get('nonfinite') ?? '').trim() } });
    return { type: integers === numbers ? 'integer' : 'number', notes, order: 'day-first' };
  }
  if (nonFinite > 0 || numbers > 0) return text;
  if (booleans === present) return { type: 'boolean', notes: markerNote(), order: 'day-first' };
  if (yearFirst + yearFirstBad + yearLast !== present || yearFirstBad > 0) return text;
  const a12 = get('c_a12') === true;
  const b12 = get('c_b12') === true;
  let status: 'decided' | 'ambiguous' | 'conflict' | 'not-needed' = 'not-needed';
  let resolved: 'day-first' | 'month-first' = 'day-first';
  if (yearLast > 0) {
    if (a12 && b12) status = 'conflict';
    else if (a12) status = 'decided';
    else if (b12) [status, resolved] = ['decided', 'month-first'];
    else status = 'ambiguous';
  }
  if (status === 'conflict' && dateOrder === 'auto') return { ...text, notes: [{ code: 'conflictingDates', values: { column } }] };
  const order = dateOrder === 'auto' ? resolved : dateOrder;
  if (n(order === 'day-first' ? 'baddf' : 'badmf') > 0) return text;
  const notes = markerNote();
  if (status === 'ambiguous' && dateOrder === 'auto') notes.push({ code: 'ambiguousDates', values: { column } });
  return { type: 'date', notes, order, plain: get('plain') === true };
}

/** The SQL column type of an inferred type (true/false has none here). */
export function sqlTypeOf(type: ColumnType): SqlColumn['type'] | null {
  return type === 'integer' || type === 'number' ? 'DOUBLE' : type === 'date' ? 'TIMESTAMP_MS' : type === 'text' ? 'VARCHAR' : null;
}

/** The statement building the typed table from the raw one, in file order with the row column. */
export function typedTableSql(typed: string, raw: string, names: readonly string[], columns: readonly InferredColumn[]): string {
  const rawRow = quoteIdent(helper('row', 0));
  let inner = `SELECT rowid AS ${rawRow}${names.map((name, j) => `, ${quoteIdent(name)} AS ${quoteIdent(helper('x', j))}`).join('')} FROM ${quoteIdent(raw)}`;
  const parts = names.map((name, j) => {
    const x = quoteIdent(helper('x', j));
    const as = quoteIdent(name);
    const c = columns[j];
    if (!c || c.type === 'text' || c.type === 'boolean') return `nullif(${x}, '') AS ${as}`;
    if (c.type === 'date' && c.plain === true) return `CAST(epoch_ms(TRY_CAST(${x} AS TIMESTAMP)) AS DOUBLE) AS ${as}`;
    if (c.type === 'date') {
      // The general date forms: the scan's fields, one level per column.
      const suffix = `:${j}`;
      const d = dateFieldNames(suffix);
      const ms = quoteIdent(helper('ms', j));
      inner = `SELECT * EXCLUDE (${d.ok}, ${d.yf}, ${d.yy}, ${d.fa}, ${d.fb}, ${d.hr}, ${d.mn}, ${d.sc}, ${d.ms}, ${d.off}), ${epochMs(c.order, suffix)} AS ${ms} FROM (${withDateFields(inner, x, dateCandidate(x), suffix)})`;
      return `${ms} AS ${as}`;
    }
    // Every cell of a numeric column is a number, a non-finite number, a marker or empty: the cast reads the numbers exactly
    // (skipping the spaces and tabs around them, as the inference pass does) and the rest is not finite or NULL.
    const v = `TRY_CAST(${x} AS DOUBLE)`;
    return `CASE WHEN isfinite(${v}) THEN ${v} END AS ${as}`;
  });
  // One streaming pass; insertion order is preserved (DuckDB's default), and the row column carries it in any case.
  return `CREATE TABLE ${quoteIdent(typed)} AS SELECT ${rawRow} + 1 AS ${quoteIdent(ROW_COLUMN)}, ${parts.join(', ')} FROM (${inner})`;
}
