/**
 * Cohorts as SQL (beside the kernel src/data/cohorts.ts cohortTable, same rules): rows are keyed
 * as cellKey keys them (a number's value, text trimmed of JS whitespace; '' is missing), a row
 * without key or time is counted as missing, one whose price × quantity is missing or ≤ 0 as
 * non-positive; the rest are purchases, placed in their UTC month ((year − 1970)·12 + month − 1,
 * of the time truncated to whole ms as a JS Date does) or ISO week (floor((t + 3 days) / 7 days)).
 * Per (customer, period) the revenue is summed in row order; per (cohort, period since) the
 * customers are counted and their revenue summed in the order of each pair's first row, as the
 * kernel's Map iterates. Only these aggregates cross into JS, where cohortOutputs builds the
 * node's two tables. Not compiled (the node stays in the default engine): a named column
 * missing, a time column of text (parsed by the default engine), a key column of dates, a price
 * or quantity column that is not numbers, times outside the years 1–9999, or values whose
 * product could overflow a double.
 */
import { cohortOutputs, type CohortPeriod, type CohortResult } from '../data/cohorts.ts';
import type { SqlRun } from './data-nodes.ts';
import { inputRelation } from './data-nodes.ts';
import { JS_TRIM_CHARS } from './load.ts';
import { quoteIdent, quoteNumber, quoteString } from './quote.ts';
import { ROW_COLUMN, type SqlRelation } from './relation.ts';
import type { SqlSession } from './session.ts';

/** The params the compiler reads (those of the cohorts node). */
export interface CohortsSqlParams {
  customerColumn: string;
  timeColumn: string;
  priceColumn: string;
  quantityColumn: string;
  period: CohortPeriod;
}

/** The compiled cohort queries over one relation. */
export interface CohortsQueries {
  /** One row, run first (the others can fail on what it rules out): min_t, max_t, max_abs_price, max_abs_quantity. */
  guard: string;
  /** One row: rows, missing, non_positive, last_period. */
  counts: string;
  /** Columns cohort, since, active, revenue, ordered by cohort then since. */
  cells: string;
  /** Columns cohort, size, ordered by cohort. */
  sizes: string;
}

const DAY = 86_400_000;
/** Epoch ms of 0001-01-01 and of 10000-01-01 (UTC): the years a DuckDB timestamp and a JS Date agree on. */
const FIRST_MS = -62_135_596_800_000;
const END_MS = 253_402_300_800_000;

/** Compiles the cohort aggregation over `input` (columns known), or says why not. */
export function compileCohorts(input: SqlRelation, p: CohortsSqlParams): CohortsQueries | string {
  const known = input.columns;
  if (!known) return 'cohorts compiles from the column types, known only when it runs';
  const named = [p.customerColumn, p.timeColumn, ...(p.priceColumn === '' ? [] : [p.priceColumn]), ...(p.quantityColumn === '' ? [] : [p.quantityColumn])];
  for (const name of named) if (!known.some((c) => c.name === name)) return `column ${JSON.stringify(name)} is not in the input (the default engine reports it)`;
  const typeOf = (name: string) => known.find((c) => c.name === name)?.type;
  const keyType = typeOf(p.customerColumn);
  if (keyType === 'TIMESTAMP_MS') return 'customer keys that are dates are keyed by their JS ISO text in the default engine';
  if (typeOf(p.timeColumn) === 'VARCHAR') return `time column ${JSON.stringify(p.timeColumn)} holds text, which the default engine parses as dates`;
  for (const name of [p.priceColumn, p.quantityColumn]) if (name !== '' && typeOf(name) !== 'DOUBLE') return `column ${JSON.stringify(name)} is not numbers (the default engine reports it)`;
  const from = quoteIdent(input.name);
  const row = quoteIdent(ROW_COLUMN);
  const x = quoteIdent(p.customerColumn);
  // -0 + 0 is +0, so -0 and 0 share a key as their JS text does.
  const key = keyType === 'VARCHAR' ? `nullif(trim(${x}, ${quoteString(JS_TRIM_CHARS)}), '')` : `(${x} + ${quoteNumber(0)})`;
  const t = quoteIdent(p.timeColumn);
  const hasValue = p.priceColumn !== '' || p.quantityColumn !== '';
  const value = hasValue ? [p.priceColumn, p.quantityColumn].filter((c) => c !== '').map(quoteIdent).join(' * ') : quoteNumber(0);
  const period = p.period === 'month'
    ? '(year(epoch_ms(CAST(trunc(t) AS BIGINT))) - 1970) * 12 + month(epoch_ms(CAST(trunc(t) AS BIGINT))) - 1'
    : `CAST(floor((t + ${quoteNumber(3 * DAY)}) / ${quoteNumber(7 * DAY)}) AS BIGINT)`;
  const kind = `CASE WHEN ${key} IS NULL OR ${t} IS NULL THEN 1 ${hasValue ? `WHEN NOT coalesce(${value} > 0, false) THEN 2 ` : ''}ELSE 0 END`;
  const rows = `SELECT ${row} AS r, ${key} AS k, ${t} AS t, ${value} AS v, ${kind} AS kind FROM ${from}`;
  const purchases = `SELECT r, k, v, ${period} AS p FROM (${rows}) WHERE kind = 0`;
  const pairs = `SELECT k, p, min(r) AS first_row, sum(v ORDER BY r) AS rev FROM (${purchases}) GROUP BY k, p`;
  const firsts = `SELECT k, min(p) AS cohort FROM (${pairs}) GROUP BY k`;
  const cells = `SELECT f.cohort AS cohort, pr.p - f.cohort AS since, count(*) AS active, sum(pr.rev ORDER BY pr.first_row) AS revenue FROM (${pairs}) AS pr JOIN (${firsts}) AS f ON pr.k = f.k GROUP BY f.cohort, pr.p - f.cohort ORDER BY cohort, since`;
  const sizes = `SELECT cohort, count(*) AS size FROM (${firsts}) GROUP BY cohort ORDER BY cohort`;
  const abs = (name: string): string => (name === '' ? 'NULL' : `max(abs(${quoteIdent(name)}))`);
  const guard = `SELECT min(${t}) AS min_t, max(${t}) AS max_t, ${abs(p.priceColumn)} AS max_abs_price, ${abs(p.quantityColumn)} AS max_abs_quantity FROM ${from}`;
  const counts = `SELECT count(*) AS rows, count(*) FILTER (WHERE kind = 1) AS missing, count(*) FILTER (WHERE kind = 2) AS non_positive, (SELECT max(p) FROM (${purchases})) AS last_period FROM (${rows})`;
  return { guard, counts, cells, sizes };
}

function toNumber(value: unknown): number {
  return typeof value === 'bigint' ? Number(value) : typeof value === 'number' ? value : Number.NaN;
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** The SQL run of the cohorts node: the kernel's warnings, then its two tables from the aggregates. */
export const cohortsSql = (session: SqlSession): SqlRun => async (inputs, params, ctx) => {
  const input = await inputRelation(session, inputs.table);
  if (typeof input === 'string') return input;
  const period: CohortPeriod = params.period === 'week' ? 'week' : 'month';
  const maxPeriods = typeof params.maxPeriods === 'number' && Number.isInteger(params.maxPeriods) && params.maxPeriods >= 1 ? params.maxPeriods : null;
  if (maxPeriods === null) return 'the default engine reports these params';
  const queries = compileCohorts(input, { customerColumn: text(params.customerColumn), timeColumn: text(params.timeColumn), priceColumn: text(params.priceColumn), quantityColumn: text(params.quantityColumn), period });
  if (typeof queries === 'string') return queries;
  ctx.progress(0.1, 'counting cohorts in DuckDB');
  const guard = await session.query(queries.guard);
  const bound = (name: string): number => toNumber(guard.columns[guard.names.indexOf(name)]?.[0]);
  if (bound('min_t') < FIRST_MS || bound('max_t') >= END_MS) return 'times outside the years 1–9999 are placed by the default engine';
  const price = text(params.priceColumn) === '' ? 1 : bound('max_abs_price');
  const quantity = text(params.quantityColumn) === '' ? 1 : bound('max_abs_quantity');
  if (price * quantity > Number.MAX_VALUE / 2) return 'prices and quantities whose product could overflow are multiplied by the default engine';
  const counts = await session.query(queries.counts);
  const count = (name: string): number => toNumber(counts.columns[counts.names.indexOf(name)]?.[0]);
  const cells = await session.query(queries.cells);
  const sizes = await session.query(queries.sizes);
  const column = (q: { names: string[]; columns: unknown[][] }, name: string): number[] => (q.columns[q.names.indexOf(name)] ?? []).map(toNumber);
  const cohort = column(cells, 'cohort');
  const since = column(cells, 'since');
  const sizeOf = new Map<number, number>();
  const cohorts = column(sizes, 'cohort');
  const cohortSizes = column(sizes, 'size');
  cohorts.forEach((k, i) => sizeOf.set(k, cohortSizes[i] ?? 0));
  const last = count('last_period');
  const c: CohortResult = {
    cohort: Int32Array.from(cohort),
    since: Int32Array.from(since),
    active: Int32Array.from(column(cells, 'active')),
    revenue: Float64Array.from(column(cells, 'revenue')),
    size: Int32Array.from(cohort, (k) => sizeOf.get(k) ?? 0),
    cohorts: Int32Array.from(cohorts),
    cohortSizes: Int32Array.from(cohortSizes),
    lastPeriod: cohorts.length === 0 || !Number.isFinite(last) ? 0 : last,
    missing: count('missing'),
    nonPositive: count('non_positive'),
  };
  const rows = count('rows');
  const skipped = c.missing + c.nonPositive;
  if (skipped > 0) ctx.warn('skippedRows', { skipped, rows, missing: c.missing, nonPositive: c.nonPositive });
  if (c.cohorts.length === 0) ctx.warn('noPurchases');
  return cohortOutputs(c, period, maxPeriods);
};

/** A period index as the kernel's periodLabel writes it (`YYYY-MM` for months, the ISO week's Monday `YYYY-MM-DD`). */
function periodLabelSql(index: string, period: CohortPeriod): string {
  const k = `(${index})`;
  if (period === 'month') {
    const year = `CAST(floor(${k} / 12.0) AS BIGINT)`;
    return `printf('%d-%02d', 1970 + ${year}, ${k} - ${year} * 12 + 1)`;
  }
  return `CAST(DATE '1970-01-01' + CAST(${k} * 7 - 3 AS INTEGER) AS VARCHAR)`;
}

/**
 * The statements building the cohorts node's two tables in SQL, as cohortOutputs builds them
 * from the same aggregates: `<id>:cells`, `<id>:sizes` and `<id>:counts` stored, then views
 * `<id>:table` (one row per cohort and period since, in that order) and `<id>:matrix`
 * (retention per period since, p0 … p<maxPeriods − 1>, 0 where the cohort bought nothing in a
 * period the data covers, missing past the data's last period), each with the row column.
 */
export function cohortTablesSql(nodeId: string, queries: CohortsQueries, period: CohortPeriod, maxPeriods: number): string[] {
  const name = (part: string): string => quoteIdent(`${nodeId}:${part}`);
  const row = quoteIdent(ROW_COLUMN);
  const long = [
    `${periodLabelSql('c.cohort', period)} AS "cohort"`,
    'CAST(z.size AS DOUBLE) AS "cohort_size"',
    'CAST(c.since AS DOUBLE) AS "period"',
    `${periodLabelSql('c.cohort + c.since', period)} AS "period_start"`,
    'CAST(c.active AS DOUBLE) AS "customers_active"',
    'CAST(c.active AS DOUBLE) / CAST(z.size AS DOUBLE) AS "retention"',
    'c.revenue AS "revenue"',
    'c.revenue / CAST(z.size AS DOUBLE) AS "revenue_per_customer"',
    'c.revenue / CAST(c.active AS DOUBLE) AS "revenue_per_active"',
  ];
  const cell = (s: number): string => `CASE WHEN max(c.active) FILTER (WHERE c.since = ${s}) IS NOT NULL THEN CAST(max(c.active) FILTER (WHERE c.since = ${s}) AS DOUBLE) / CAST(z.size AS DOUBLE) WHEN z.cohort + ${s} <= coalesce(n.last_period, 0) THEN ${quoteNumber(0)} END AS ${quoteIdent(`p${s}`)}`;
  const grid = Array.from({ length: maxPeriods }, (_, s) => cell(s));
  return [
    `CREATE OR REPLACE TABLE ${name('cells')} AS ${queries.cells}`,
    `CREATE OR REPLACE TABLE ${name('sizes')} AS ${queries.sizes}`,
    `CREATE OR REPLACE TABLE ${name('counts')} AS ${queries.counts}`,
    `CREATE OR REPLACE VIEW ${name('table')} AS SELECT row_number() OVER (ORDER BY c.cohort, c.since) AS ${row}, ${long.join(', ')} FROM ${name('cells')} AS c JOIN ${name('sizes')} AS z ON z.cohort = c.cohort`,
    `CREATE OR REPLACE VIEW ${name('matrix')} AS SELECT row_number() OVER (ORDER BY z.cohort) AS ${row}, ${periodLabelSql('z.cohort', period)} AS "cohort", CAST(z.size AS DOUBLE) AS "customers"${grid.length > 0 ? `, ${grid.join(', ')}` : ''} FROM ${name('sizes')} AS z LEFT JOIN ${name('cells')} AS c ON c.cohort = z.cohort, ${name('counts')} AS n GROUP BY z.cohort, z.size, n.last_period`,
  ];
}
