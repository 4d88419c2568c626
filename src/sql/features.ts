/**
 * Customer features as SQL (beside the kernel src/data/features.ts, same formulas): rows
 * without a customer or a time are left out; per customer recency_days = ⌊(R − last)/day⌋,
 * tenure_days = ⌊(R − first)/day⌋ (fractional with wholeDays off), frequency = distinct
 * invoices, monetary = Σ quantity × price over rows with both (summed in row order, as the
 * kernel), avg_basket_value = monetary/frequency, distinct_products; R = the reference date or
 * the latest purchase + 1 day; customers in ascending id order. Not compiled (the node stays
 * in the default engine): category shares, time as text (the kernel parses it), quantity or
 * price not numeric, a missing or repeated column param, an unknown schema (export).
 */
import { DAY_MS } from '../data/dates.ts';
import { quoteIdent, quoteNumber } from './quote.ts';
import { ROW_COLUMN, unsupported, type SqlColumn, type SqlCompiled, type SqlRelation } from './relation.ts';

/** The params the compiler reads (those of the features node; referenceMs from referenceDate). */
export interface FeaturesSqlParams {
  customer: string;
  invoice: string;
  time: string;
  quantity: string;
  price: string;
  product: string;
  category: string;
  referenceMs: number | null;
  wholeDays: boolean;
}

/** Compiles a features node over `input` into relations `<id>:counts` (one row) and `<id>:table`. */
export function compileFeatures(nodeId: string, input: SqlRelation, params: FeaturesSqlParams, productsConnected: boolean): SqlCompiled {
  const known = input.columns;
  if (!known) return unsupported('features needs the input schema (the type of the time column)');
  if (params.category !== '' || productsConnected) return unsupported('category shares are computed by the default engine');
  const required = [params.customer, params.invoice, params.time, params.quantity, params.price];
  if (required.some((c) => c === '') || new Set(required).size !== required.length) return unsupported('a column param is empty or repeated (the default engine reports it)');
  const type = (name: string): SqlColumn['type'] | undefined => known.find((c) => c.name === name)?.type;
  for (const name of [...required, ...(params.product === '' ? [] : [params.product])]) if (type(name) === undefined) return unsupported(`column ${JSON.stringify(name)} is not in the input (the default engine reports it)`);
  if (type(params.time) !== 'TIMESTAMP_MS') return unsupported(`column ${JSON.stringify(params.time)} is not dates (the default engine parses it)`);
  if (type(params.quantity) !== 'DOUBLE' || type(params.price) !== 'DOUBLE') return unsupported('quantity or price is not numeric (the default engine reports it)');
  const idType = type(params.customer);
  if (idType !== 'DOUBLE' && idType !== 'VARCHAR') return unsupported('the customer id is neither numbers nor text');
  const from = quoteIdent(input.name);
  const c = quoteIdent(params.customer);
  const t = quoteIdent(params.time);
  const q = quoteIdent(params.quantity);
  const p = quoteIdent(params.price);
  const inv = quoteIdent(params.invoice);
  const row = quoteIdent(ROW_COLUMN);
  const day = quoteNumber(DAY_MS);
  const counts = quoteIdent(`${nodeId}:counts`);
  const agg = quoteIdent(`${nodeId}:agg`);
  const kept = `${c} IS NOT NULL AND ${t} IS NOT NULL`;
  const countsSql = `CREATE OR REPLACE TABLE ${counts} AS SELECT count(*) FILTER (WHERE ${c} IS NULL) AS missing_customer, count(*) FILTER (WHERE ${c} IS NOT NULL AND ${t} IS NULL) AS missing_time, count(*) FILTER (WHERE ${kept} AND (${q} IS NULL OR ${p} IS NULL)) AS missing_amount, count(*) FILTER (WHERE ${kept} AND ${inv} IS NULL) AS missing_invoice, max(${t}) FILTER (WHERE ${c} IS NOT NULL) AS latest FROM ${from}`;
  // Distinct invoices and products per customer as counts over (customer, value) pairs made distinct by a hash aggregate
  // (which spills): count(DISTINCT) per group holds every group's set in memory. NULLs are not counted, as count(DISTINCT) leaves them.
  const distinctPer = (column: string, as: string): string => `(SELECT "id", count(*) AS ${as} FROM (SELECT DISTINCT ${c} AS "id", ${quoteIdent(column)} AS "v" FROM ${from} WHERE ${kept} AND ${quoteIdent(column)} IS NOT NULL) GROUP BY "id")`;
  const base = `(SELECT ${c} AS id, min(${t}) AS first_ms, max(${t}) AS last_ms FROM ${from} WHERE ${kept} GROUP BY ${c})`;
  const products = params.product === '' ? '' : `, coalesce(pr.products, 0) AS products`;
  const productsJoin = params.product === '' ? '' : ` LEFT JOIN ${distinctPer(params.product, 'products')} AS pr ON pr."id" = b.id`;
  // "r": the customer's position in id order (the output's row order).
  const aggSql = `CREATE OR REPLACE TABLE ${agg} AS SELECT row_number() OVER (ORDER BY b.id) AS "r", b.id, b.first_ms, b.last_ms, coalesce(iv.frequency, 0) AS frequency${products} FROM ${base} AS b LEFT JOIN ${distinctPer(params.invoice, 'frequency')} AS iv ON iv."id" = b.id${productsJoin}`;
  // Monetary is summed in JS over these rows in row order, from 0, as the kernel sums: sum(v ORDER BY row) per customer
  // buffered every customer's rows in memory and ran DuckDB out of its 4 GB at 10 GB (142M rows); a sort spills.
  const amounts = `SELECT a."r", ${q} * ${p} AS "v" FROM ${from} JOIN ${agg} AS a ON a.id = ${from}.${c} WHERE ${kept} AND ${q} IS NOT NULL AND ${p} IS NOT NULL ORDER BY ${from}.${row}`;
  const reference = params.referenceMs === null ? `(SELECT latest + ${day} FROM ${counts})` : quoteNumber(params.referenceMs);
  const days = (x: string): string => (params.wholeDays ? `floor((r.ref - ${x}) / ${day})` : `(r.ref - ${x}) / ${day}`);
  const columns: SqlColumn[] = [{ name: params.customer, type: idType }, ...['recency_days', 'frequency', 'monetary', 'tenure_days', 'avg_basket_value', ...(params.product === '' ? [] : ['distinct_products'])].map((name): SqlColumn => ({ name, type: 'DOUBLE' }))];
  // The table view over the customers and their sums (the relation `<id>:monetary`, columns __insight_row = r and monetary), made once JS has summed.
  const tableSql = `CREATE OR REPLACE VIEW ${quoteIdent(`${nodeId}:table`)} AS SELECT a."r" AS ${row}, a.id AS ${c}, ${days('a.last_ms')} AS "recency_days", CAST(a.frequency AS DOUBLE) AS "frequency", m."monetary" AS "monetary", ${days('a.first_ms')} AS "tenure_days", CASE WHEN a.frequency > 0 THEN m."monetary" / a.frequency END AS "avg_basket_value"${params.product === '' ? '' : ', CAST(a.products AS DOUBLE) AS "distinct_products"'} FROM ${agg} AS a JOIN ${quoteIdent(`${nodeId}:monetary`)} AS m ON m.${row} = a."r", (SELECT ${reference} AS ref) AS r`;
  // The same sums as SQL, for an exported script (insight export --sql): the ordered aggregate holds each customer's rows in memory.
  const monetarySql = `CREATE OR REPLACE VIEW ${quoteIdent(`${nodeId}:monetary`)} AS SELECT a."r" AS ${row}, coalesce(s."monetary", ${quoteNumber(0)}) AS "monetary" FROM ${agg} AS a LEFT JOIN (SELECT a2."r", sum(${q} * ${p} ORDER BY ${from}.${row}) AS "monetary" FROM ${from} JOIN ${agg} AS a2 ON a2.id = ${from}.${c} WHERE ${kept} AND ${q} IS NOT NULL AND ${p} IS NOT NULL GROUP BY a2."r") AS s ON s."r" = a."r"`;
  return { ok: true, statements: [countsSql, aggSql], outputs: { table: { name: `${nodeId}:table`, columns } }, stats: { amounts, monetary: monetarySql, table: tableSql, counts: `${nodeId}:counts`, reference: `SELECT ${reference} AS ref, (SELECT count(*) FROM ${agg} AS a, (SELECT ${reference} AS ref) AS r WHERE a.last_ms > r.ref) AS after, (SELECT count(*) FROM ${agg}) AS customers` } };
}
