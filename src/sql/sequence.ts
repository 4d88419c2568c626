/**
 * The sequence node's relational part as SQL (beside src/data/sequences.ts buildSequences and
 * horizonLabels, same rules): rows are keyed as idKey keys them (a number's JS text, trimmed
 * text with "17850.0" read as "17850"), placed in the period grid before the cutoff, and summed
 * per customer and period (row counts, per value column the count of numbers and their sum in
 * row order); the counts of rows left out, the time range, the customers active before the
 * cutoff and those with a horizon row are one-row or one-column queries. Only those aggregates
 * cross into JS, where the node's own code (finishSequences) builds the [n, T, D] tensor's
 * checks, labels and static features. Not compiled (the node runs in the default engine): a
 * second activity table or a customers table, count-by features, time not dates, values or the
 * purchase column not numbers, an id neither numbers nor text, and params the node reports.
 */
import { periodGrid, type Aggregation, type Period } from '../data/sequences.ts';
import { JS_TRIM_CHARS } from './load.ts';
import { quoteIdent, quoteNumber, quoteString } from './quote.ts';
import { ROW_COLUMN, unsupported, type SqlColumn, type SqlRelation, type SqlUnsupported } from './relation.ts';

/** The params the compiler reads. */
export interface SequenceSqlParams {
  idColumn: string;
  timeColumn: string;
  period: Period;
  steps: number;
  countRows: boolean;
  values: readonly { column: string; aggregation: Aggregation }[];
  cutoffMs: number;
  /** End of the label window (exclusive), epoch ms; NaN without horizon labels. */
  horizonEndMs: number;
  positiveColumn: string;
}

/** A compiled sequence aggregation: statements, then queries whose results JS reads. */
export interface SequenceStep {
  ok: true;
  statements: string[];
  /** One row: missing_id, bad_time, after_cutoff, before_window, used, min_t, max_t, rows_after, rows_in_horizon, bad_value. */
  counts: string;
  /** Column k: every customer with a row before the cutoff. */
  universe: string;
  /** Columns k, s (step), v<j> (value j) of every row in the window, in row order: the node sums them in JS in that order, as the kernel does. */
  cells: string;
  /** Column k: customers with a purchase in the horizon. */
  positives: string;
}

/** Compiles the aggregation over `input` (columns known), or says why not. */
export function compileSequence(nodeId: string, input: SqlRelation, p: SequenceSqlParams): SequenceStep | SqlUnsupported {
  const known = input.columns;
  if (!known) return unsupported('sequence needs the input schema');
  const type = (name: string): SqlColumn['type'] | undefined => known.find((c) => c.name === name)?.type;
  const idType = type(p.idColumn);
  if (idType === undefined || type(p.timeColumn) === undefined) return unsupported('the id or time column is not in the table (the default engine reports it)');
  if (type(p.timeColumn) !== 'TIMESTAMP_MS') return unsupported(`column ${JSON.stringify(p.timeColumn)} is not dates (the default engine parses it)`);
  if (idType === 'TIMESTAMP_MS') return unsupported('dates as customer ids are keyed by the default engine');
  for (const v of p.values) {
    const t = type(v.column);
    if (t === undefined) return unsupported(`value column ${JSON.stringify(v.column)} is not in the table (the default engine reports it)`);
    if (t !== 'DOUBLE') return unsupported(`value column ${JSON.stringify(v.column)} is not numbers (the default engine parses it)`);
  }
  if (p.positiveColumn !== '' && type(p.positiveColumn) !== 'DOUBLE') return unsupported('the purchase column is not numbers (the default engine parses it)');
  if (!p.countRows && p.values.length === 0) return unsupported('no features (the default engine reports it)');
  if (!Number.isFinite(p.cutoffMs)) return unsupported('the cutoff is not a date (the default engine reports it)');
  const grid = periodGrid(p.cutoffMs, p.period, p.steps);
  const start = quoteNumber(grid.starts[0] ?? p.cutoffMs);
  const cutoff = quoteNumber(p.cutoffMs);
  const id = quoteIdent(p.idColumn);
  const t = quoteIdent(p.timeColumn);
  const row = quoteIdent(ROW_COLUMN);
  const trimmed = `trim(${id}, ${quoteString(JS_TRIM_CHARS)})`;
  // idKey: a number's JS text is one per value (−0 read as 0); text is trimmed, "17850.0" read as "17850".
  const key = idType === 'DOUBLE' ? `(${id} + 0.0)` : `CASE WHEN ${trimmed} = '' THEN NULL WHEN regexp_full_match(${trimmed}, '-?[0-9]+\\.0+') THEN regexp_replace(${trimmed}, '\\.0+$', '') ELSE ${trimmed} END`;
  let step: string;
  let guessed = '';
  if (p.period === 'month') {
    // Calendar months differ in length: the first period whose end is after t.
    step = `CASE ${Array.from(grid.ends, (end, k) => `WHEN "t" < ${quoteNumber(end)} THEN ${k}`).join(' ')} END`;
  } else {
    // The periods are whole multiples of the length from the first start (exact in doubles); the quotient's guess is corrected at a boundary.
    const length = quoteNumber(p.period === 'day' ? 86_400_000 : 7 * 86_400_000);
    guessed = `, CAST(floor(("t" - ${start}) / ${length}) AS BIGINT) AS "g"`;
    step = `CASE WHEN "t" < ${start} + "g" * ${length} THEN "g" - 1 WHEN "t" >= ${start} + ("g" + 1) * ${length} THEN "g" + 1 ELSE "g" END`;
  }
  const rows = quoteIdent(`${nodeId}:rows`);
  const values = p.values.map((v, j) => `${quoteIdent(v.column)} AS "v${j}"`);
  const positive = p.positiveColumn === '' ? 'true' : `coalesce(${quoteIdent(p.positiveColumn)} > 0, false)`;
  const rowsSql = `CREATE OR REPLACE VIEW ${rows} AS SELECT ${row} AS "r", ${key} AS "k", ${t} AS "t", ${[...values, `${positive} AS "pos"`].join(', ')} FROM ${quoteIdent(input.name)}`;
  const inWindow = `"k" IS NOT NULL AND "t" >= ${start} AND "t" < ${cutoff}`;
  const windowed = quoteIdent(`${nodeId}:window`);
  const windowSql = `CREATE OR REPLACE VIEW ${windowed} AS SELECT *, ${step} AS "s" FROM (SELECT *${guessed} FROM ${rows} WHERE ${inWindow})`;
  // An ordered sum per customer-period (sum(v ORDER BY r)) buffers every group's rows in memory
  // and ran DuckDB out of its 4 GB at 15M rows; a sort spills, and the sums happen in JS.
  const cells = `SELECT ${['"k"', '"s"', ...p.values.map((_, j) => `"v${j}"`)].join(', ')} FROM ${windowed} ORDER BY "r"`;
  const end = Number.isFinite(p.horizonEndMs) ? quoteNumber(p.horizonEndMs) : 'NULL';
  const badValue = p.values.length === 0 ? '0' : p.values.map((_, j) => `count(*) FILTER (WHERE ${inWindow} AND "v${j}" IS NULL)`).join(' + ');
  const counts = `SELECT count(*) FILTER (WHERE "k" IS NULL) AS missing_id, count(*) FILTER (WHERE "k" IS NOT NULL AND "t" IS NULL) AS bad_time, count(*) FILTER (WHERE "k" IS NOT NULL AND "t" >= ${cutoff}) AS after_cutoff, count(*) FILTER (WHERE "k" IS NOT NULL AND "t" < ${start}) AS before_window, count(*) FILTER (WHERE ${inWindow}) AS used, min("t") AS min_t, max("t") AS max_t, count(*) FILTER (WHERE "t" >= ${end}) AS rows_after, count(*) FILTER (WHERE "k" IS NOT NULL AND "t" >= ${cutoff} AND "t" < ${end} AND "pos") AS rows_in_horizon, ${badValue} AS bad_value FROM ${rows}`;
  const universe = `SELECT DISTINCT "k" FROM ${rows} WHERE "k" IS NOT NULL AND "t" < ${cutoff}`;
  const positives = `SELECT DISTINCT "k" FROM ${rows} WHERE "k" IS NOT NULL AND "t" >= ${cutoff} AND "t" < ${end} AND "pos"`;
  return { ok: true, statements: [rowsSql, windowSql], counts, universe, cells, positives };
}

/**
 * The statement storing the per-customer-period aggregation of a compiled sequence (its
 * `<id>:window` view) as table `name`: one row per customer key and step with rows in the window
 * (customer key, step, period label, then the features as the tensor holds them before any
 * static columns: rows, then per value its count, sum or mean, 0 where the period has no number),
 * ordered by key and step. Sums are DuckDB's (any order; the node sums in row order in JS).
 */
export function sequencePeriodsSql(nodeId: string, name: string, p: Pick<SequenceSqlParams, 'idColumn' | 'countRows' | 'values'>, stepLabels: readonly string[]): string {
  const labels = `CASE "s" ${stepLabels.map((label, k) => `WHEN ${k} THEN ${quoteString(label)}`).join(' ')} END`;
  const features = [
    ...(p.countRows ? ['CAST(count(*) AS DOUBLE) AS "rows"'] : []),
    ...p.values.map((v, j) => {
      const n = `count("v${j}")`;
      const value = v.aggregation === 'count' ? `CAST(${n} AS DOUBLE)` : v.aggregation === 'sum' ? `CASE WHEN ${n} > 0 THEN sum("v${j}") ELSE ${quoteNumber(0)} END` : `CASE WHEN ${n} > 0 THEN sum("v${j}") / ${n} ELSE ${quoteNumber(0)} END`;
      return `${value} AS ${quoteIdent(`${v.column}_${v.aggregation}`)}`;
    }),
  ];
  return `CREATE OR REPLACE TABLE ${quoteIdent(name)} AS SELECT "k" AS ${quoteIdent(p.idColumn)}, CAST("s" AS INTEGER) AS "step", ${labels} AS "period", ${features.join(', ')} FROM ${quoteIdent(`${nodeId}:window`)} GROUP BY "k", "s" ORDER BY "k", "s"`;
}
