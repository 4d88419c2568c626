/**
 * The counting part of the rules node as SQL (beside src/data/baskets.ts basketsFromCells, same
 * rules): basket and item cells keyed as cellKey keys them (a number's value, text trimmed of
 * JS whitespace; '' is missing), a row without basket or item counted as missing, one whose
 * quantity is missing or ≤ 0 as a return; basket and item ids numbered in order of first
 * appearance, each basket's items in row order. Only the ids (two integers a kept row), the
 * distinct item names and the two counts cross into JS, where the node's own mineRules runs
 * FP-growth and builds its outputs, so text cells never do. Not compiled (the node stays in the
 * default engine): a named column missing, a basket or item column of dates (keyed by their JS
 * ISO text), a quantity column that is not numbers.
 */
import type { BasketsFromRows } from '../data/baskets.ts';
import { basketMessages } from '../data/baskets.ts';
import { declaredErrors } from '../data/issues.ts';
import { basketsFromPairs, fpgrowthMessages } from '../ml/fpgrowth.ts';
import { mineRules, type MiningParams } from '../../nodes/rules.ts';
import type { SqlRun } from './data-nodes.ts';
import { inputRelation } from './data-nodes.ts';
import { JS_TRIM_CHARS } from './load.ts';
import { quoteIdent, quoteNumber, quoteString } from './quote.ts';
import { ROW_COLUMN, type SqlColumn, type SqlRelation } from './relation.ts';
import type { SqlSession } from './session.ts';

/** The counting params (those of the rules node). */
export interface BasketSqlParams {
  basketColumn: string;
  itemColumn: string;
  quantityColumn: string;
}

/** The compiled basket queries: counts (rows, missing, returns), item names by id, and (basket id, item id) per kept row in CSR order. */
export interface BasketQueries {
  counts: string;
  items: string;
  pairs: string;
  /** Whether item names are numbers (written as JS text in JS). */
  numericItems: boolean;
}

/** A cell key as cellKey gives it, NULL for missing; numbers by value (-0 + 0 is +0, one key as in JS). */
function keyOf(column: SqlColumn): string {
  const x = quoteIdent(column.name);
  return column.type === 'VARCHAR' ? `nullif(trim(${x}, ${quoteString(JS_TRIM_CHARS)}), '')` : `(${x} + ${quoteNumber(0)})`;
}

/** Compiles the basket counting over `input` (columns known), or says why not. */
export function compileBaskets(input: SqlRelation, p: BasketSqlParams): BasketQueries | string {
  const known = input.columns;
  if (!known) return 'rules compiles from the column types, known only when it runs';
  const find = (name: string): SqlColumn | undefined => known.find((c) => c.name === name);
  for (const name of [p.basketColumn, p.itemColumn, ...(p.quantityColumn === '' ? [] : [p.quantityColumn])]) if (!find(name)) return `column ${JSON.stringify(name)} is not in the input (the default engine reports it)`;
  const basket = find(p.basketColumn);
  const item = find(p.itemColumn);
  if (!basket || !item) return 'no basket or item column';
  for (const c of [basket, item]) if (c.type === 'TIMESTAMP_MS') return `column ${JSON.stringify(c.name)} holds dates, keyed by their JS ISO text in the default engine`;
  if (p.quantityColumn !== '' && find(p.quantityColumn)?.type !== 'DOUBLE') return `quantity column ${JSON.stringify(p.quantityColumn)} is not numbers (the default engine reports it)`;
  const from = quoteIdent(input.name);
  const b = keyOf(basket);
  const i = keyOf(item);
  const returns = p.quantityColumn === '' ? '' : `WHEN NOT coalesce(${quoteIdent(p.quantityColumn)} > 0, false) THEN 2 `;
  const rows = `SELECT ${quoteIdent(ROW_COLUMN)} AS r, ${b} AS b, ${i} AS i, CASE WHEN ${b} IS NULL OR ${i} IS NULL THEN 1 ${returns}ELSE 0 END AS kind FROM ${from}`;
  const kept = `SELECT r, b, i FROM (${rows}) WHERE kind = 0`;
  const basketIds = `SELECT b, CAST(row_number() OVER (ORDER BY min(r)) - 1 AS INTEGER) AS bid FROM (${kept}) GROUP BY b`;
  const itemIds = `SELECT i, CAST(row_number() OVER (ORDER BY min(r)) - 1 AS INTEGER) AS iid FROM (${kept}) GROUP BY i`;
  return {
    counts: `SELECT count(*) AS rows, count(*) FILTER (WHERE kind = 1) AS missing, count(*) FILTER (WHERE kind = 2) AS returns FROM (${rows})`,
    items: `SELECT i FROM (${itemIds}) ORDER BY iid`,
    pairs: `SELECT bi.bid, ii.iid FROM (${kept}) AS k JOIN (${basketIds}) AS bi ON k.b = bi.b JOIN (${itemIds}) AS ii ON k.i = ii.i ORDER BY bi.bid, k.r`,
    numericItems: item.type === 'DOUBLE',
  };
}

function toNumber(value: unknown): number {
  return typeof value === 'bigint' ? Number(value) : typeof value === 'number' ? value : Number.NaN;
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const num = (value: unknown, fallback: number): number => (typeof value === 'number' ? value : fallback);

/** The SQL run of the rules node: baskets counted in DuckDB, then the node's own mining. */
export const rulesSql = (session: SqlSession): SqlRun => async (inputs, params, ctx) => {
  const input = await inputRelation(session, inputs.table);
  if (typeof input === 'string') return input;
  const queries = compileBaskets(input, { basketColumn: text(params.basketColumn), itemColumn: text(params.itemColumn), quantityColumn: text(params.quantityColumn) });
  if (typeof queries === 'string') return queries;
  ctx.progress(0.02, 'building baskets in DuckDB');
  const counts = await session.query(queries.counts);
  const count = (name: string): number => toNumber(counts.columns[counts.names.indexOf(name)]?.[0]);
  const names = (await session.query(queries.items)).columns[0] ?? [];
  const itemNames = names.map((v) => (queries.numericItems ? String(toNumber(v)) : String(v)));
  const pairs = await session.query(queries.pairs);
  const bids = Int32Array.from(pairs.columns[0] ?? [], toNumber);
  const iids = Int32Array.from(pairs.columns[1] ?? [], toNumber);
  const nBaskets = bids.length === 0 ? 0 : (bids[bids.length - 1] ?? -1) + 1;
  const built: BasketsFromRows = { baskets: basketsFromPairs(bids, iids, nBaskets, itemNames.length), itemNames, missing: count('missing'), returns: count('returns') };
  const p: MiningParams = { minSupport: num(params.minSupport, 0.01), minConfidence: num(params.minConfidence, 0.5), maxLength: num(params.maxLength, 10), minLength: num(params.minLength, 2), maxConsequent: num(params.maxConsequent, 1), maxRules: num(params.maxRules, 10_000), maxItemsets: num(params.maxItemsets, 1_000_000) };
  return declaredErrors(ctx, { ...fpgrowthMessages, ...basketMessages }, () => mineRules(built, count('rows'), p, ctx));
};
