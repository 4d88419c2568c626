/**
 * The DuckDB engine for a run: the registry with every SQL-capable node kind (load of
 * CSV/Parquet, clean, anonymise, features with category shares, normalise, typed weight,
 * sequence's per-customer-period aggregation, cohorts, rules' baskets) wrapped so that its
 * work runs as SQL in one SqlSession, emitting the same
 * warnings and building the same outputs as the kernel; anything the compiler declines (or a
 * table with no exact SQL form) runs the node's own code, so errors, messages and exit codes
 * stay the default engine's. `covered` says, per node id, which engine ran it and why.
 */
import type { ColumnTable } from 'arquero';
import type { AnyNodeSpec, NodeContext } from '../engine/node.ts';
import { isTable } from '../engine/port-codec.ts';
import { dayStartMs, isoDay } from '../data/dates.ts';
import { cleanSql, inputRelation, loadSql, type SqlRun } from './data-nodes.ts';
import { isDeferred, materialisedAll } from './deferred.ts';
import { compileFeatures, type CategorySource, type ShareColumns } from './features.ts';
import { categoryLabel, shareLayout, shareNotes, shareValues } from '../data/features.ts';
import { emitNotes } from '../data/issues.ts';
import { scalingMethods, type ColumnScalingMethod } from '../data/normalise.ts';
import { compileNormalise, normaliseColumns, statNames } from './normalise.ts';
import { quoteIdent } from './quote.ts';
import { ROW_COLUMN, type SqlStep } from './relation.ts';
import type { SqlSession } from './session.ts';
import { compileWeight, typedWeights } from './weight.ts';
import { sequenceSql } from './sequence-node.ts';
import { anonymiseSql } from './anonymise.ts';
import { cohortsSql } from './cohorts.ts';
import { rulesSql } from './rules.ts';

/** Where a node ran: in DuckDB, or in the default engine with the reason. */
export type Coverage = { engine: 'duckdb' } | { engine: 'default'; reason: string };

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function numberRecord(value: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) if (typeof v === 'number') out[k] = v;
  }
  return out;
}

function method(value: unknown): ColumnScalingMethod {
  return scalingMethods.find((m) => m === value) ?? 'min-max';
}

async function runStep(session: SqlSession, step: SqlStep): Promise<void> {
  for (const statement of step.statements) await session.exec(statement);
}

function toNumber(value: unknown): number {
  return typeof value === 'bigint' ? Number(value) : typeof value === 'number' ? value : Number.NaN;
}


const normaliseSql = (session: SqlSession): SqlRun => async (inputs, params, ctx) => {
  const input = await inputRelation(session, inputs.table);
  if (typeof input === 'string') return input;
  const p = { columns: strings(params.columns), method: method(params.method), suffix: typeof params.suffix === 'string' ? params.suffix : '', clip: params.clip === true };
  const compiled = compileNormalise(ctx.nodeId, input, p, inputs.fitted !== undefined);
  if (!compiled.ok) return compiled.reason;
  await runStep(session, compiled);
  const chosen = normaliseColumns(input, p);
  const { names, columns } = await session.query(`SELECT * FROM ${quoteIdent(compiled.stats.scaling ?? '')}`);
  const cell = (name: string): number => toNumber(columns[names.indexOf(name)]?.[0]);
  if (chosen.some((_, j) => cell(`n${j}`) === 0)) return 'a chosen column has no values (the default engine warns and leaves it)';
  const fits: Record<string, { center: number; scale: number; count: number; stats: Record<string, number> }> = {};
  chosen.forEach((name, j) => {
    const scale = cell(`s${j}`);
    if (scale === 0) ctx.warn('constantColumn', { column: name });
    fits[name] = { center: cell(`c${j}`), scale, count: cell(`n${j}`), stats: Object.fromEntries(statNames[p.method].map((s) => [s, cell(`${s}${j}`)])) };
  });
  const out = await session.deferred(compiled.outputs.table ?? { name: '', columns: null });
  const count = chosen.length;
  return { table: out, transform: { kind: 'normalise', label: `${p.method} on ${count} column${count === 1 ? '' : 's'}`, params: { method: p.method, suffix: p.suffix, columns: fits } } };
};

const weightSql = (session: SqlSession): SqlRun => async (inputs, params, ctx) => {
  const table = inputs.table;
  const input = await inputRelation(session, table);
  if (typeof input === 'string') return input;
  if (!isTable(table) && !isDeferred(table)) return 'no input table';
  const p = { method: params.method === 'entropy' ? ('entropy' as const) : ('typed' as const), weights: numberRecord(params.weights) };
  const compiled = compileWeight(ctx.nodeId, input, p);
  if (!compiled.ok) return compiled.reason;
  await runStep(session, compiled);
  const names = Object.keys(p.weights);
  const from = quoteIdent(input.name);
  const checks = names.map((n) => `min(${quoteIdent(n)}), max(${quoteIdent(n)})`);
  const complete = names.map((n) => `${quoteIdent(n)} IS NOT NULL`).join(' AND ');
  const { columns } = await session.query(`SELECT ${checks.join(', ')}, count(*) FILTER (WHERE NOT (${complete})), count(*) FROM ${from}`);
  names.forEach((column, j) => {
    const min = columns[2 * j]?.[0];
    const max = columns[2 * j + 1]?.[0];
    if (typeof min === 'number' && typeof max === 'number' && (min < 0 || max > 1)) ctx.warn('notNormalised', { column, min, max });
  });
  const incomplete = toNumber(columns[2 * names.length]?.[0]);
  const rows = toNumber(columns[2 * names.length + 1]?.[0]);
  if (incomplete > 0 && incomplete < rows) ctx.warn('incompleteRows', { count: incomplete });
  if (rows > 0 && incomplete === rows) ctx.warn('noScoredRows');
  const newNames = ['score', 'rank', ...names.map((n) => `contrib_${n}`)];
  const clashes = newNames.filter((n) => table.columnNames().includes(n));
  if (clashes.length > 0) ctx.warn('replacedColumns', { columns: clashes.join(', ') });
  const out = await session.deferred(compiled.outputs.table ?? { name: '', columns: null });
  return { table: out, transform: { kind: 'weight', label: `typed weights on ${names.length} column${names.length === 1 ? '' : 's'}`, params: { method: 'typed', weights: typedWeights(p.weights) } } };
};

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** The kernel's id order (numbers ascending before text, text by code units). */
function idsInKernelOrder(ids: ArrayLike<unknown>): boolean {
  for (let i = 1; i < ids.length; i++) {
    const a = ids[i - 1];
    const b = ids[i];
    const an = typeof a === 'number';
    const bn = typeof b === 'number';
    if (an && bn ? !(a < b) : an !== bn ? !an : !(String(a) < String(b))) return false;
  }
  return true;
}

/** Where the node takes each row's category from (as nodes/features.ts decides), or why the SQL run cannot. */
async function categorySource(session: SqlSession, inputs: Record<string, unknown>, p: { category: string; product: string; productKey: string }, tableColumns: readonly string[]): Promise<CategorySource | null | string> {
  if (p.category === '') return null;
  const products = inputs.products;
  const productColumns = isDeferred(products) || isTable(products) ? products.columnNames() : [];
  if (productColumns.includes(p.category)) {
    if (p.product === '') return 'no product column to join categories by (the default engine reports it)';
    const key = p.productKey === '' ? p.product : p.productKey;
    if (!productColumns.includes(key)) return `column ${JSON.stringify(key)} is not in the products table (the default engine reports it)`;
    const relation = await inputRelation(session, products, (c) => c.name === key || c.name === p.category);
    return typeof relation === 'string' ? relation : { from: 'products', relation, key };
  }
  return tableColumns.includes(p.category) ? { from: 'table' } : `column ${JSON.stringify(p.category)} is in neither table (the default engine reports it)`;
}

/** Sums over the amounts stream (row order, from 0, as the kernel): monetary per customer and, per category code, the total; `spendSlot` (code → slot) adds the spend per customer × slot. */
async function sumAmounts(session: SqlSession, amounts: string, customers: number, categories: number, spendSlot: Int32Array | null, width: number): Promise<{ monetary: Float64Array; totals: Float64Array; spend: Float64Array }> {
  const monetary = new Float64Array(customers);
  const totals = new Float64Array(categories);
  const spend = new Float64Array(spendSlot === null ? 0 : customers * width);
  const { chunks } = await session.streamRows(amounts);
  for await (const chunk of chunks) {
    const [r = [], k = [], v = []] = chunk.columns;
    for (let i = 0; i < chunk.rows; i++) {
      const x = v[i];
      if (typeof x !== 'number') continue;
      const at = toNumber(r[i]) - 1;
      monetary[at]! += x;
      const code = k[i];
      if (typeof code !== 'number') continue;
      totals[code]! += x;
      if (spendSlot !== null) spend[at * width + spendSlot[code]!]! += x;
    }
  }
  return { monetary, totals, spend };
}

const featuresSql = (session: SqlSession): SqlRun => async (inputs, params, ctx) => {
  if (text(params.cutoff) !== '') return 'a history cutoff is computed by the default engine';
  const referenceDate = text(params.referenceDate);
  const referenceMs = referenceDate === '' ? null : dayStartMs(referenceDate);
  if (referenceDate !== '' && (referenceMs === null || !Number.isFinite(referenceMs))) return 'the reference date is not a date (the default engine reports it)';
  const p = { customer: text(params.customer), invoice: text(params.invoice), time: text(params.time), quantity: text(params.quantity), price: text(params.price), product: text(params.product), category: text(params.category), referenceMs, wholeDays: params.wholeDays !== false };
  const maxCategories = typeof params.maxCategories === 'number' ? params.maxCategories : 12;
  const table = inputs.table;
  const source = await categorySource(session, inputs, { ...p, productKey: text(params.productKey) }, isDeferred(table) || isTable(table) ? table.columnNames() : []);
  if (typeof source === 'string') return source;
  // Only the columns the features read cross the boundary (the output passes none through).
  const used = new Set([p.customer, p.invoice, p.time, p.quantity, p.price, p.product, source?.from === 'table' ? p.category : ''].filter((c) => c !== ''));
  const input = await inputRelation(session, table, (c) => used.has(c.name));
  if (typeof input === 'string') return input;
  const compiled = compileFeatures(ctx.nodeId, input, p, source);
  if (!compiled.ok) return compiled.reason;
  for (const statement of compiled.statements) await session.exec(statement);
  const ref = await session.query(compiled.reference);
  const customers = toNumber(ref.columns[2]?.[0]);
  if (customers === 0) return 'no transactions (the default engine warns)';
  const labels = compiled.categories === null ? [] : ((await session.query(compiled.categories)).columns[0] ?? []).map(categoryLabel);
  // Monetary and the category totals, then the shares' layout; with no category grouped into share_other the slots are the codes
  // reordered, so the spends are summed in the same pass, else in a second one over the same rows.
  const grouped = labels.length > maxCategories;
  const first = await sumAmounts(session, compiled.amounts, customers, labels.length, grouped ? null : Int32Array.from(labels, (_, k) => k), labels.length);
  const layout = source === null ? null : shareLayout(labels, first.totals, maxCategories);
  let shares: { name: string; values: Float64Array }[] = [];
  if (layout !== null) {
    const spend = grouped ? (await sumAmounts(session, compiled.amounts, customers, labels.length, layout.slot, layout.width)).spend : first.spend;
    // Spend by code when nothing is grouped: slot s holds code k with layout.slot[k] = s.
    const codeOf = new Int32Array(layout.width);
    layout.slot.forEach((s, k) => (codeOf[s] = grouped ? s : k));
    const width = grouped ? layout.width : labels.length;
    shares = layout.names.map((name, s) => ({ name, values: shareValues(spend, first.monetary, width, codeOf[s]!) }));
  }
  const shareColumns: ShareColumns | null = layout === null ? null : { kept: layout.names.slice(0, layout.kept).map((_, s) => String(labels[layout.slot.indexOf(s)])), names: layout.names };
  // An exported script cannot hold these JS sums: it gets the same sums as one SQL statement instead.
  await session.unrecorded(async () => {
    const sums = await session.numbersRelation([{ name: 'monetary', values: first.monetary }, ...shares]);
    await session.exec(`CREATE OR REPLACE VIEW ${quoteIdent(`${ctx.nodeId}:monetary`)} AS SELECT * FROM ${quoteIdent(sums.name)}`);
  });
  session.record(compiled.sums(shareColumns));
  const view = compiled.table(layout?.names ?? []);
  await session.exec(view.sql);
  const counts = await session.query(`SELECT * FROM ${quoteIdent(compiled.counts)}`);
  const count = (name: string): number => toNumber(counts.columns[counts.names.indexOf(name)]?.[0]);
  const out = await session.deferred(view.relation);
  const ids = await session.query(`SELECT ${quoteIdent(p.customer)} FROM ${quoteIdent(out.relation?.name ?? '')} ORDER BY ${quoteIdent(ROW_COLUMN)}`);
  if (!idsInKernelOrder(ids.columns[0] ?? [])) return 'customer ids whose SQL order differs from the kernel’s (text beyond the basic plane)';
  if (compiled.join !== null) {
    const join = await session.query(compiled.join);
    const conflicts = toNumber(join.columns[0]?.[0]);
    const unknown = toNumber(join.columns[2]?.[0]);
    if (conflicts > 0) ctx.warn('conflictingCategories', { count: conflicts, example: String(join.columns[1]?.[0]) });
    if (unknown > 0) ctx.warn('unknownProducts', { count: unknown });
  }
  if (count('missing_customer') > 0) ctx.warn('skippedCustomer', { count: count('missing_customer') });
  if (count('missing_time') > 0) ctx.warn('skippedTime', { count: count('missing_time'), column: p.time, example: 'a blank cell' });
  if (count('missing_amount') > 0) ctx.warn('skippedAmount', { count: count('missing_amount') });
  if (count('missing_invoice') > 0) ctx.warn('skippedInvoice', { count: count('missing_invoice') });
  const after = toNumber(ref.columns[1]?.[0]);
  if (after > 0) ctx.warn('afterReference', { count: after, reference: isoDay(toNumber(ref.columns[0]?.[0])) });
  if (layout !== null) emitNotes(ctx, shareNotes(layout, first.monetary, p.category));
  return { table: out };
};

/** The node kinds that have a SQL compiler, by kind. */
export const sqlKinds: ReadonlySet<string> = new Set(['load', 'clean', 'anonymise', 'features', 'normalise', 'weight', 'sequence', 'cohorts', 'rules']);

/**
 * The registry with SQL-capable kinds running in `session`; `covered` is filled as nodes run.
 * SQL nodes hand their tables on as deferred tables held in DuckDB; every other kind (and a SQL
 * kind that falls back) receives them materialised. `files` (node id → path) lets load read its
 * bound file with DuckDB.
 */
export function duckdbRegistry(registry: Readonly<Record<string, AnyNodeSpec>>, session: SqlSession, covered: Map<string, Coverage>, files: ReadonlyMap<string, string> = new Map()): Record<string, AnyNodeSpec> {
  const runs: Record<string, SqlRun> = { load: loadSql(session, files), clean: cleanSql(session), anonymise: anonymiseSql(session), features: featuresSql(session), normalise: normaliseSql(session), weight: weightSql(session), sequence: sequenceSql(session), cohorts: cohortsSql(session), rules: rulesSql(session) };
  const out: Record<string, AnyNodeSpec> = {};
  for (const [kind, spec] of Object.entries(registry)) {
    const sql = Object.hasOwn(runs, kind) ? runs[kind] : undefined;
    if (!sql) {
      out[kind] = { ...spec, run: async (inputs, params, ctx) => spec.run(await materialisedAll(inputs), params, ctx) };
      continue;
    }
    out[kind] = {
      ...spec,
      async run(inputs, params, ctx) {
        let result: Awaited<ReturnType<SqlRun>>;
        try {
          result = await sql(inputs, params, ctx);
        } catch (err) {
          // A declared failure raised on the SQL path (ctx.fail on what DuckDB computed) still ran there.
          covered.set(ctx.nodeId, { engine: 'duckdb' });
          throw err;
        }
        if (typeof result !== 'string') {
          covered.set(ctx.nodeId, { engine: 'duckdb' });
          return result;
        }
        covered.set(ctx.nodeId, { engine: 'default', reason: result });
        return spec.run(await materialisedAll(inputs), params, ctx);
      },
    };
  }
  return out;
}

/** Whether a value is a table (re-exported for the CLI). */
export function tableOf(value: unknown): ColumnTable | undefined {
  return isTable(value) ? value : undefined;
}
