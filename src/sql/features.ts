/**
 * Customer features as SQL (beside the kernel src/data/features.ts, same formulas): rows
 * without a customer or a time are left out; per customer recency_days = ⌊(R − last)/day⌋,
 * tenure_days = ⌊(R − first)/day⌋ (fractional with wholeDays off), frequency = distinct
 * invoices, monetary = Σ quantity × price over rows with both (summed in row order, as the
 * kernel), avg_basket_value = monetary/frequency, distinct_products; R = the reference date or
 * the latest purchase + 1 day; customers in ascending id order. Category shares: each row's
 * category is the transactions' own column or, with a products table, the first category
 * listed for its product id; the categories of the kept rows, in first-appearance order, with
 * their total spend, go to the kernel's shareLayout (ranking, share_other, column names), and
 * share_<category> = Σ spend in the slot / monetary (both in row order), missing when monetary
 * ≤ 0. Not compiled (the node stays in the default engine): time as text (the kernel parses
 * it), quantity or price not numeric, a missing or repeated column param, categories or
 * product ids that are not text (or not of one type on both sides of the join), an unknown
 * schema (export).
 */
import { DAY_MS } from '../data/dates.ts';
import { quoteIdent, quoteNumber, quoteString } from './quote.ts';
import { ROW_COLUMN, unsupported, type SqlColumn, type SqlRelation, type SqlUnsupported } from './relation.ts';

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

/** Where each row's category comes from (null: no category shares). */
export type CategorySource = { from: 'table' } | { from: 'products'; relation: SqlRelation; key: string };

/** The share columns as the script computes them: the kept categories (by slot) and every column's name (share_other last when some are grouped). */
export interface ShareColumns {
  /** Category text of slots 0 … kept − 1. */
  kept: readonly string[];
  /** Column names by slot. */
  names: readonly string[];
}

/** A compiled features node: statements to run first, the queries the engine reads, and the views it makes once JS has summed. */
export interface FeaturesSql {
  ok: true;
  /** CREATE statements: counts, per-customer aggregates, the product → category lookup and the categories. */
  statements: string[];
  /** Relation holding the one-row counts. */
  counts: string;
  /** Query of (reference, customers bought after it, customers). */
  reference: string;
  /** Query of the rows' amounts in row order: "r" (customer position), "code" (category code, NULL = none), "v" = quantity × price. */
  amounts: string;
  /** Query of the categories: "cat" in code order (first appearance); null without shares. */
  categories: string | null;
  /** Query of the join's findings (conflicts, example, unknown); null without a products table. */
  join: string | null;
  /** The view `<id>:monetary` (__insight_row, monetary, the share columns) as SQL over the rows: what an exported script runs instead of the JS sums. */
  sums(shares: ShareColumns | null): string;
  /** The output view and relation, with these share columns. */
  table(shareNames: readonly string[]): { sql: string; relation: SqlRelation };
}

/** Compiles a features node over `input` (see the file header). */
export function compileFeatures(nodeId: string, input: SqlRelation, params: FeaturesSqlParams, categories: CategorySource | null): FeaturesSql | SqlUnsupported {
  const known = input.columns;
  if (!known) return unsupported('features needs the input schema (the type of the time column)');
  const required = [params.customer, params.invoice, params.time, params.quantity, params.price];
  if (required.some((c) => c === '') || new Set(required).size !== required.length) return unsupported('a column param is empty or repeated (the default engine reports it)');
  const type = (name: string): SqlColumn['type'] | undefined => known.find((c) => c.name === name)?.type;
  for (const name of [...required, ...(params.product === '' ? [] : [params.product])]) if (type(name) === undefined) return unsupported(`column ${JSON.stringify(name)} is not in the input (the default engine reports it)`);
  if (type(params.time) !== 'TIMESTAMP_MS') return unsupported(`column ${JSON.stringify(params.time)} is not dates (the default engine parses it)`);
  if (type(params.quantity) !== 'DOUBLE' || type(params.price) !== 'DOUBLE') return unsupported('quantity or price is not numeric (the default engine reports it)');
  const idType = type(params.customer);
  if (idType !== 'DOUBLE' && idType !== 'VARCHAR') return unsupported('the customer id is neither numbers nor text');
  if (categories?.from === 'table' && type(params.category) !== 'VARCHAR') return unsupported(`category column ${JSON.stringify(params.category)} is not text (the default engine computes its shares)`);
  if (categories?.from === 'products') {
    const of = (name: string): SqlColumn['type'] | undefined => categories.relation.columns?.find((c) => c.name === name)?.type;
    if (of(params.category) !== 'VARCHAR') return unsupported(`category column ${JSON.stringify(params.category)} of the products table is not text (the default engine computes its shares)`);
    const keyType = of(categories.key);
    const productType = type(params.product);
    if (keyType === undefined || (keyType !== 'VARCHAR' && keyType !== 'DOUBLE') || keyType !== productType) return unsupported('the product ids of the transactions and the products table are not both text or both numbers (the default engine joins them as text)');
  }
  const from = quoteIdent(input.name);
  // Every column of the input is qualified: the joins below bring in helper tables with columns of their own.
  const col = (name: string): string => `${from}.${quoteIdent(name)}`;
  const c = col(params.customer);
  const t = col(params.time);
  const q = col(params.quantity);
  const p = col(params.price);
  const inv = col(params.invoice);
  const row = col(ROW_COLUMN);
  const rowName = quoteIdent(ROW_COLUMN);
  const day = quoteNumber(DAY_MS);
  const counts = quoteIdent(`${nodeId}:counts`);
  const agg = quoteIdent(`${nodeId}:agg`);
  const lookup = quoteIdent(`${nodeId}:lookup`);
  const cats = quoteIdent(`${nodeId}:categories`);
  const kept = `${c} IS NOT NULL AND ${t} IS NOT NULL`;
  const priced = `${q} IS NOT NULL AND ${p} IS NOT NULL`;
  const statements: string[] = [];
  statements.push(`CREATE OR REPLACE TABLE ${counts} AS SELECT count(*) FILTER (WHERE ${c} IS NULL) AS missing_customer, count(*) FILTER (WHERE ${c} IS NOT NULL AND ${t} IS NULL) AS missing_time, count(*) FILTER (WHERE ${kept} AND NOT (${priced})) AS missing_amount, count(*) FILTER (WHERE ${kept} AND ${inv} IS NULL) AS missing_invoice, max(${t}) FILTER (WHERE ${c} IS NOT NULL) AS latest FROM ${from}`);
  // Distinct invoices and products per customer as counts over (customer, value) pairs made distinct by a hash aggregate
  // (which spills): count(DISTINCT) per group holds every group's set in memory. NULLs are not counted, as count(DISTINCT) leaves them.
  const distinctPer = (column: string, as: string): string => `(SELECT "id", count(*) AS ${as} FROM (SELECT DISTINCT ${c} AS "id", ${col(column)} AS "v" FROM ${from} WHERE ${kept} AND ${col(column)} IS NOT NULL) GROUP BY "id")`;
  const base = `(SELECT ${c} AS id, min(${t}) AS first_ms, max(${t}) AS last_ms FROM ${from} WHERE ${kept} GROUP BY ${c})`;
  const products = params.product === '' ? '' : `, coalesce(pr.products, 0) AS products`;
  const productsJoin = params.product === '' ? '' : ` LEFT JOIN ${distinctPer(params.product, 'products')} AS pr ON pr."id" = b.id`;
  // "r": the customer's position in id order (the output's row order).
  statements.push(`CREATE OR REPLACE TABLE ${agg} AS SELECT row_number() OVER (ORDER BY b.id) AS "r", b.id, b.first_ms, b.last_ms, coalesce(iv.frequency, 0) AS frequency${products} FROM ${base} AS b LEFT JOIN ${distinctPer(params.invoice, 'frequency')} AS iv ON iv."id" = b.id${productsJoin}`);
  // The rows with their category: the column itself, or the products table's first category for the product id (one lookup row per id, so no row repeats).
  let rows = from;
  let category = 'NULL';
  let join: string | null = null;
  if (categories?.from === 'table') category = col(params.category);
  if (categories?.from === 'products') {
    const P = quoteIdent(categories.relation.name);
    const key = `${P}.${quoteIdent(categories.key)}`;
    const pc = `${P}.${quoteIdent(params.category)}`;
    statements.push(`CREATE OR REPLACE TABLE ${lookup} AS SELECT "k", "cat" FROM (SELECT ${key} AS "k", ${pc} AS "cat", row_number() OVER (PARTITION BY ${key} ORDER BY ${P}.${rowName}) AS "n" FROM ${P} WHERE ${key} IS NOT NULL) WHERE "n" = 1`);
    rows = `${from} LEFT JOIN ${lookup} AS l ON l."k" = ${col(params.product)}`;
    category = 'l."cat"';
    const conflicting = `FROM ${P} JOIN ${lookup} AS l ON l."k" = ${key} WHERE ${pc} IS DISTINCT FROM l."cat"`;
    join = `SELECT (SELECT count(*) ${conflicting}) AS conflicts, (SELECT ${key} ${conflicting} ORDER BY ${P}.${rowName} LIMIT 1) AS example, (SELECT count(*) FROM ${rows} WHERE ${col(params.product)} IS NOT NULL AND l."k" IS NULL) AS unknown`;
  }
  if (categories !== null) statements.push(`CREATE OR REPLACE TABLE ${cats} AS SELECT "cat", CAST(row_number() OVER (ORDER BY "first") - 1 AS INTEGER) AS "code" FROM (SELECT ${category} AS "cat", min(${row}) AS "first" FROM ${rows} WHERE ${kept} AND ${category} IS NOT NULL GROUP BY ${category})`);
  const code = categories === null ? 'NULL' : 'k."code"';
  const codeJoin = categories === null ? '' : ` LEFT JOIN ${cats} AS k ON k."cat" = ${category}`;
  // Monetary and the category spends are summed in JS over these rows in row order, from 0, as the kernel sums: sum(v ORDER BY row) per customer
  // buffered every customer's rows in memory and ran DuckDB out of its 4 GB at 10 GB (142M rows); a sort spills.
  const amounts = `SELECT a."r", ${code} AS "code", ${q} * ${p} AS "v" FROM ${rows} JOIN ${agg} AS a ON a.id = ${c}${codeJoin} WHERE ${kept} AND ${priced} ORDER BY ${row}`;
  const reference = params.referenceMs === null ? `(SELECT latest + ${day} FROM ${counts})` : quoteNumber(params.referenceMs);
  const days = (x: string): string => (params.wholeDays ? `floor((r.ref - ${x}) / ${day})` : `(r.ref - ${x}) / ${day}`);
  const sumsView = quoteIdent(`${nodeId}:monetary`);
  // The same sums as SQL, for an exported script (insight export --sql): the ordered aggregates hold each customer's rows in memory.
  const sums = (shares: ShareColumns | null): string => {
    const monetary = `(SELECT a2."r", sum(${q} * ${p} ORDER BY ${row}) AS "monetary" FROM ${from} JOIN ${agg} AS a2 ON a2.id = ${c} WHERE ${kept} AND ${priced} GROUP BY a2."r") AS s`;
    const m = `coalesce(s."monetary", ${quoteNumber(0)})`;
    let shareColumns = '';
    let shareJoin = '';
    if (shares !== null && shares.names.length > 0) {
      const slot = `CASE ${category} ${shares.kept.map((k, i) => `WHEN ${quoteString(k)} THEN ${i}`).join(' ')} ELSE ${shares.kept.length} END`;
      const spends = shares.names.map((_, i) => `max("total") FILTER (WHERE "slot" = ${i}) AS "s${i}"`).join(', ');
      shareJoin = ` LEFT JOIN (SELECT "r", ${spends} FROM (SELECT a3."r", ${slot} AS "slot", sum(${q} * ${p} ORDER BY ${row}) AS "total" FROM ${rows} JOIN ${agg} AS a3 ON a3.id = ${c} WHERE ${kept} AND ${priced} AND ${category} IS NOT NULL GROUP BY a3."r", ${slot}) GROUP BY "r") AS sh ON sh."r" = a."r"`;
      shareColumns = shares.names.map((name, i) => `, CASE WHEN ${m} > 0 THEN coalesce(sh."s${i}", ${quoteNumber(0)}) / ${m} END AS ${quoteIdent(name)}`).join('');
    }
    return `CREATE OR REPLACE VIEW ${sumsView} AS SELECT a."r" AS ${rowName}, ${m} AS "monetary"${shareColumns} FROM ${agg} AS a LEFT JOIN ${monetary} ON s."r" = a."r"${shareJoin}`;
  };
  const baseNames = ['recency_days', 'frequency', 'monetary', 'tenure_days', 'avg_basket_value', ...(params.product === '' ? [] : ['distinct_products'])];
  // The table view over the customers and their sums (the relation `<id>:monetary`), made once JS has summed.
  const table = (shareNames: readonly string[]): { sql: string; relation: SqlRelation } => {
    const columns: SqlColumn[] = [{ name: params.customer, type: idType }, ...[...baseNames, ...shareNames].map((name): SqlColumn => ({ name, type: 'DOUBLE' }))];
    const shareSelect = shareNames.map((name) => `, m.${quoteIdent(name)} AS ${quoteIdent(name)}`).join('');
    const sql = `CREATE OR REPLACE VIEW ${quoteIdent(`${nodeId}:table`)} AS SELECT a."r" AS ${rowName}, a.id AS ${quoteIdent(params.customer)}, ${days('a.last_ms')} AS "recency_days", CAST(a.frequency AS DOUBLE) AS "frequency", m."monetary" AS "monetary", ${days('a.first_ms')} AS "tenure_days", CASE WHEN a.frequency > 0 THEN m."monetary" / a.frequency END AS "avg_basket_value"${params.product === '' ? '' : ', CAST(a.products AS DOUBLE) AS "distinct_products"'}${shareSelect} FROM ${agg} AS a JOIN ${sumsView} AS m ON m.${rowName} = a."r", (SELECT ${reference} AS ref) AS r`;
    return { sql, relation: { name: `${nodeId}:table`, columns } };
  };
  return {
    ok: true,
    statements,
    counts: `${nodeId}:counts`,
    reference: `SELECT ${reference} AS ref, (SELECT count(*) FROM ${agg} AS a, (SELECT ${reference} AS ref) AS r WHERE a.last_ms > r.ref) AS after, (SELECT count(*) FROM ${agg}) AS customers`,
    amounts,
    categories: categories === null ? null : `SELECT "cat" FROM ${cats} ORDER BY "code"`,
    join,
    sums,
    table,
  };
}
