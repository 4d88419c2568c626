/**
 * Clean as SQL (beside the kernel src/data/clean.ts, same order and report): trim (JS trim's
 * whitespace; a cell left empty becomes missing), exact duplicates (the first occurrence in row
 * order kept; missing equals missing, 0 equals -0), then the conditions in turn (each counted on
 * the rows still kept), and a report row for every column still holding missing cells. Not
 * compiled (the node stays in the default engine): chosen number columns, a text column that
 * could read as loosely written numbers (the auto parse), a missing-value strategy other than
 * keep, outlier treatment, an id column, and conditions whose SQL would not be exact (text
 * compared with < or >, text operators on numbers or dates, values that do not fit the column).
 */
import type { Condition } from '../engine/params.ts';
import { parseDateText } from '../data/dates.ts';
import { parseLooseNumber } from '../data/numbers.ts';
import { JS_TRIM_CHARS } from './load.ts';
import { quoteIdent, quoteNumber, quoteString } from './quote.ts';
import { ROW_COLUMN, unsupported, type SqlColumn, type SqlRelation } from './relation.ts';

/** The clean params the compiler reads. */
export interface CleanSqlParams {
  dropDuplicates: boolean;
  trim: boolean;
  parseNumbers: readonly string[];
  parseNumbersAuto: boolean;
  conditions: readonly Condition[];
  missing: Readonly<Record<string, string>>;
  outliers: string;
  idColumn: string;
}

/** A compiled clean: the views, and the one-row query of the counts the report needs. */
export interface CleanStep {
  ok: true;
  /** The trimmed view first (the loose query reads it), then the rest. */
  statements: string[];
  output: SqlRelation;
  /** One row: text_<j>_changed/_emptied, dup, cond_<k>, missing_<j>, rows, start. */
  counts: string;
  /** One row: loose<j>, whether text column j may hold loosely written numbers (the auto parse would convert it). */
  loose: string;
}

/** A character no loosely written number holds (numbers.ts parseLooseNumber). */
const NOT_NUMBER = "[^0-9.,eE+\\-()$€£¥₹'\\x{2212}\\t\\n\\x{0B}\\f\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}]";
/** A zero-padded id, which the auto parse never converts. */
const ZERO_PADDED = '^[\\t\\n\\x{0B}\\f\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}]*[+-]?0[0-9]';

/** Whether a code point is JS trim's whitespace. */
function whitespace(c: string): string {
  return `(${c} BETWEEN 9 AND 13 OR ${c} = 32 OR ${c} = 160 OR ${c} = 5760 OR ${c} BETWEEN 8192 AND 8202 OR ${c} = 8232 OR ${c} = 8233 OR ${c} = 8239 OR ${c} = 8287 OR ${c} = 12288 OR ${c} = 65279)`;
}

/** Whether trim changes a text cell: its first or last character is whitespace (cheaper than trimming every cell). */
function needsTrim(x: string): string {
  return `coalesce(${x} <> '' AND (${whitespace(`ord(${x})`)} OR ${whitespace(`ord(right(${x}, 1))`)}), false)`;
}

function condition(c: Condition, column: SqlColumn): string | { reason: string } {
  const x = quoteIdent(c.column);
  if (c.op === 'is-missing') return `${x} IS NULL`;
  if (c.op === 'not-missing') return `${x} IS NOT NULL`;
  if (c.value === null) return { reason: 'a condition without a value (the default engine reports it)' };
  if (c.op === 'starts-with' || c.op === 'not-starts-with' || c.op === 'contains' || c.op === 'not-contains') {
    if (column.type !== 'VARCHAR') return { reason: `text operators on ${column.type === 'DOUBLE' ? 'numbers' : 'dates'} read their JS text (default engine)` };
    const needle = quoteString(String(c.value));
    const hit = c.op === 'starts-with' || c.op === 'not-starts-with' ? `starts_with(${x}, ${needle})` : `contains(${x}, ${needle})`;
    return `${x} IS NOT NULL AND ${c.op.startsWith('not-') ? 'NOT ' : ''}${hit}`;
  }
  const op = c.op === '==' ? '=' : c.op === '!=' ? '<>' : c.op;
  if (column.type === 'DOUBLE') {
    const target = typeof c.value === 'number' ? c.value : parseLooseNumber(c.value);
    if (target === null) return { reason: 'a condition value that is not a number (the default engine reports it)' };
    return `${x} IS NOT NULL AND ${x} ${op} ${quoteNumber(target)}`;
  }
  if (column.type === 'TIMESTAMP_MS') {
    const target = typeof c.value === 'string' ? parseDateText(c.value) : null;
    if (target === null) return { reason: 'a condition value that is not a date (the default engine reports it)' };
    return `${x} IS NOT NULL AND ${x} ${op} ${quoteNumber(target)}`;
  }
  if (op !== '=' && op !== '<>') return { reason: 'text ordered with < or > (JS compares UTF-16 code units) stays in the default engine' };
  return `${x} IS NOT NULL AND ${x} ${op} ${quoteString(String(c.value))}`;
}

/** Compiles a clean node over `input` (columns known) into `<id>:table`, or says why not. */
export function compileClean(nodeId: string, input: SqlRelation, params: CleanSqlParams): CleanStep | { ok: false; reason: string } {
  const known = input.columns;
  if (!known) return unsupported('clean needs the input schema');
  if (params.parseNumbers.length > 0) return unsupported('chosen number columns are parsed by the default engine');
  if (Object.values(params.missing).some((s) => s !== 'keep')) return unsupported('missing-value strategies other than keep run in the default engine');
  if (params.outliers !== 'keep') return unsupported('outlier treatment runs in the default engine');
  if (params.idColumn !== '') return unsupported('the lost-customers check of an id column runs in the default engine');
  if (known.some((c) => c.name.startsWith('__insight_'))) return unsupported('a column name starts with __insight_, the prefix the SQL engine uses for its own columns');
  const byName = new Map(known.map((c) => [c.name, c]));
  const predicates: string[] = [];
  for (const c of params.conditions) {
    const column = byName.get(c.column);
    if (!column) return unsupported(`column ${JSON.stringify(c.column)} is not in the table (the default engine reports it)`);
    const p = condition(c, column);
    if (typeof p !== 'string') return unsupported(p.reason);
    predicates.push(`coalesce(${p}, false)`);
  }
  const from = quoteIdent(input.name);
  const row = quoteIdent(ROW_COLUMN);
  const name = (part: string): string => quoteIdent(`${nodeId}:${part}`);
  const ws = quoteString(JS_TRIM_CHARS);
  const textColumns = known.map((c, j) => ({ c, j })).filter(({ c }) => c.type === 'VARCHAR');
  // Helper columns: __insight_ names, which no loaded column has (load refuses them) and which are dropped before the output.
  const changed = (j: number): string => quoteIdent(`__insight_changed:${j}`);
  const trimmedCell = (x: string): string => `CASE WHEN NOT ${needsTrim(x)} THEN ${x} WHEN trim(${x}, ${ws}) = '' THEN NULL ELSE trim(${x}, ${ws}) END`;
  const cells = known.map((c) => (params.trim && c.type === 'VARCHAR' ? `${trimmedCell(quoteIdent(c.name))} AS ${quoteIdent(c.name)}` : quoteIdent(c.name)));
  const flags = params.trim ? textColumns.map(({ c, j }) => `${needsTrim(quoteIdent(c.name))} AS ${changed(j)}`) : [];
  const statements = [`CREATE OR REPLACE VIEW ${name('trimmed')} AS SELECT ${[row, ...cells, ...flags].join(', ')} FROM ${from}`];
  const all = known.map((c) => quoteIdent(c.name)).join(', ');
  let dup = 'false';
  if (params.dropDuplicates && known.length > 0) {
    // Exact duplicates, found in two steps so that no pass sorts every row by every column: the hashes that occur more than once
    // (equal rows hash equally: missing hashes as missing, -0 as 0), then the first-occurrence rule over only the rows with such a hash.
    const hash = `hash(${all})`;
    statements.push(
      `CREATE OR REPLACE TABLE ${name('repeated')} AS SELECT "h" FROM (SELECT ${hash} AS "h" FROM ${name('trimmed')}) GROUP BY "h" HAVING count(*) > 1`,
      `CREATE OR REPLACE TABLE ${name('duplicates')} AS SELECT ${row} FROM (SELECT ${row}, row_number() OVER (PARTITION BY ${all} ORDER BY ${row}) AS "n" FROM ${name('trimmed')} WHERE ${hash} IN (SELECT "h" FROM ${name('repeated')})) WHERE "n" > 1`,
    );
    dup = `${row} IN (SELECT ${row} FROM ${name('duplicates')})`;
  }
  const dupName = quoteIdent('__insight_dup');
  const cond = (k: number): string => quoteIdent(`__insight_c:${k}`);
  statements.push(`CREATE OR REPLACE VIEW ${name('flagged')} AS SELECT *, ${[`${dup} AS ${dupName}`, ...predicates.map((p, k) => `${p} AS ${cond(k)}`)].join(', ')} FROM ${name('trimmed')}`);
  const kept = [`NOT ${dupName}`, ...predicates.map((_, k) => cond(k))].join(' AND ');
  statements.push(`CREATE OR REPLACE VIEW ${quoteIdent(`${nodeId}:table`)} AS SELECT ${row}${all === '' ? '' : `, ${all}`} FROM ${name('flagged')} WHERE ${kept}`);
  const countParts: string[] = ['count(*) AS "start"', `count(*) FILTER (WHERE ${dupName}) AS "dup"`];
  for (const { c, j } of textColumns) {
    if (params.trim) countParts.push(`count(*) FILTER (WHERE ${changed(j)}) AS "changed${j}"`, `count(*) FILTER (WHERE ${changed(j)} AND ${quoteIdent(c.name)} IS NULL) AS "emptied${j}"`);
  }
  predicates.forEach((_, k) => {
    const before = [`NOT ${dupName}`, ...predicates.slice(0, k).map((__, i) => cond(i))].join(' AND ');
    countParts.push(`count(*) FILTER (WHERE ${before} AND NOT ${cond(k)}) AS "cond${k}"`);
  });
  // A text column the auto parse could convert: present cells, none holding a character no number has, none zero-padded.
  // Each side is a search that stops at its first row (LIMIT 1): a column of words is decided by its first cell instead of
  // a regex over every cell (two regexes per text cell, about a tenth of clean's time on the scale bench).
  const any = (where: string): string => `EXISTS (SELECT 1 FROM ${name('trimmed')} WHERE ${where} LIMIT 1)`;
  const looseParts = params.parseNumbersAuto
    ? textColumns.map(({ c, j }) => {
        const t = quoteIdent(c.name);
        return `${any(`${t} IS NOT NULL`)} AND NOT ${any(`regexp_matches(${t}, ${quoteString(NOT_NUMBER)}) OR regexp_matches(${t}, ${quoteString(ZERO_PADDED)})`)} AS "loose${j}"`;
      })
    : [];
  known.forEach((c, j) => countParts.push(`count(*) FILTER (WHERE ${kept} AND ${quoteIdent(c.name)} IS NULL) AS "missing${j}"`));
  countParts.push(`count(*) FILTER (WHERE ${kept}) AS "rows"`);
  const counts = `SELECT ${countParts.join(', ')} FROM ${name('flagged')}`;
  return { ok: true, statements, output: { name: `${nodeId}:table`, columns: known }, counts, loose: `SELECT ${looseParts.length === 0 ? 'true AS "none"' : looseParts.join(', ')}` };
}
