/**
 * Anonymise as SQL (beside the kernel src/data/anonymise.ts, same results): dropped columns
 * left out, a hashed text column replaced by left(sha256(salt ‖ chr(0) ‖ cell), hashChars) —
 * DuckDB's sha256 hashes the UTF-8 bytes, as the kernel's WebCrypto digest does — and the age
 * column by its band text (`30-39`, `90+`; negative ages become missing and are counted, with
 * the first in row order as the example). Missing cells stay missing.
 * Not compiled (the node stays in the default engine, which reports what it finds): a named
 * column missing, a column both dropped and hashed, a hashed column of numbers or dates (DuckDB
 * writes a double as text differently from JS — `1.0` for 1, other exponent forms — so the
 * hashes would differ), an age column that is not numbers or holds ages of 2^53 or more
 * (whose band text would need more digits than an exact integer has), a salt holding NUL,
 * no column left.
 */
import { reproducibleSalt } from '../data/anonymise.ts';
import type { SqlRun } from './data-nodes.ts';
import { inputRelation } from './data-nodes.ts';
import { quoteIdent, quoteNumber, quoteString, SqlQuoteError } from './quote.ts';
import { ROW_COLUMN, unsupported, type SqlColumn, type SqlCompiled, type SqlRelation } from './relation.ts';
import type { SqlSession } from './session.ts';

/** The params the compiler reads (those of the anonymise node, the salt already chosen). */
export interface AnonymiseSqlParams {
  drop: readonly string[];
  hash: readonly string[];
  salt: string;
  hashChars: number;
  ageColumn: string;
  bandWidth: number;
  topCode: number;
}

/** The band text of a non-negative age x as the kernel's ageBands writes it. */
function bandSql(x: string, width: number, topCode: number): string {
  const low = `floor(floor(${x}) / ${quoteNumber(width)}) * ${quoteNumber(width)}`;
  const digits = (v: string): string => `CAST(CAST(${v} AS BIGINT) AS VARCHAR)`;
  const high = topCode > 0 ? `least(${low} + ${quoteNumber(width - 1)}, ${quoteNumber(topCode - 1)})` : `${low} + ${quoteNumber(width - 1)}`;
  const band = width === 1 ? digits(low) : `${digits(low)} || '-' || ${digits(high)}`;
  const top = topCode > 0 ? `WHEN ${x} >= ${quoteNumber(topCode)} THEN ${quoteString(`${topCode}+`)} ` : '';
  return `CASE WHEN ${x} IS NULL OR ${x} < 0 THEN NULL ${top}ELSE ${band} END`;
}

/** Compiles an anonymise node over `input` (columns known) into `<id>:table`, with `<id>:ages` (negative count and example) when there is an age column. */
export function compileAnonymise(nodeId: string, input: SqlRelation, params: AnonymiseSqlParams): SqlCompiled {
  const known = input.columns;
  if (!known) return unsupported('anonymise compiles from the column types, known only when it runs');
  const find = (name: string): SqlColumn | undefined => known.find((c) => c.name === name);
  for (const name of [...params.drop, ...params.hash, ...(params.ageColumn === '' ? [] : [params.ageColumn])]) {
    if (!find(name)) return unsupported(`column ${JSON.stringify(name)} is not in the input (the default engine reports it)`);
  }
  if (params.hash.some((c) => params.drop.includes(c))) return unsupported('a column both dropped and hashed (the default engine reports it)');
  for (const name of params.hash) {
    const type = find(name)?.type;
    if (type === 'DOUBLE') return unsupported(`hashed column ${JSON.stringify(name)} holds numbers: DuckDB writes a number as text differently from JS (1.0 for 1, other exponents), so its hashes would differ; the default engine hashes it`);
    if (type === 'TIMESTAMP_MS') return unsupported(`hashed column ${JSON.stringify(name)} holds dates, hashed as their JS ISO text by the default engine`);
  }
  // As in the kernel, a dropped or hashed age column is not banded (nor checked).
  const age = params.ageColumn !== '' && !params.drop.includes(params.ageColumn) && !params.hash.includes(params.ageColumn) ? params.ageColumn : '';
  if (age !== '' && find(age)?.type !== 'DOUBLE') return unsupported(`age column ${JSON.stringify(params.ageColumn)} is not numbers (the default engine reports it)`);
  let salt: string;
  try {
    salt = quoteString(params.salt);
  } catch (err) {
    if (err instanceof SqlQuoteError) return unsupported('the salt holds a NUL character, which DuckDB text cannot hold');
    throw err;
  }
  const chars = Math.max(0, Math.min(64, Math.floor(params.hashChars)));
  const from = quoteIdent(input.name);
  const dropped = new Set(params.drop);
  const hashed = new Set(params.hash);
  const kept = known.filter((c) => !dropped.has(c.name));
  if (kept.length === 0) return unsupported('no column is left (a table without columns stays in the default engine)');
  const select = kept.map((c) => {
    const x = `${from}.${quoteIdent(c.name)}`;
    if (hashed.has(c.name)) return `CASE WHEN ${x} IS NULL THEN NULL ELSE left(sha256(${salt} || chr(0) || ${x}), ${chars}) END AS ${quoteIdent(c.name)}`;
    if (c.name === age) return `${bandSql(x, params.bandWidth, params.topCode)} AS ${quoteIdent(c.name)}`;
    return x;
  });
  const columns = kept.map((c): SqlColumn => (hashed.has(c.name) || c.name === age ? { name: c.name, type: 'VARCHAR' } : c));
  const row = quoteIdent(ROW_COLUMN);
  const table = `CREATE OR REPLACE VIEW ${quoteIdent(`${nodeId}:table`)} AS SELECT ${[`${from}.${row}`, ...select].join(', ')} FROM ${from}`;
  const stats: Record<string, string> = {};
  if (age !== '') {
    const x = quoteIdent(age);
    stats.ages = `SELECT count(*) FILTER (WHERE ${x} < 0) AS negative, arg_min(${x}, ${row}) FILTER (WHERE ${x} < 0) AS example, max(${x}) AS oldest FROM ${from}`;
  }
  return { ok: true, statements: [table], outputs: { table: { name: `${nodeId}:table`, columns } }, stats };
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

const integer = (value: unknown, fallback: number): number => (typeof value === 'number' && Number.isInteger(value) ? value : fallback);

function toNumber(value: unknown): number {
  return typeof value === 'bigint' ? Number(value) : typeof value === 'number' ? value : Number.NaN;
}

/** The SQL run of the anonymise node: the kernel's warnings (nothing chosen, derived salt, negative ages) in its order. */
export const anonymiseSql = (session: SqlSession): SqlRun => async (inputs, params, ctx) => {
  const input = await inputRelation(session, inputs.table);
  if (typeof input === 'string') return input;
  const p: AnonymiseSqlParams = {
    drop: strings(params.drop),
    hash: strings(params.hash),
    salt: typeof params.salt === 'string' ? params.salt : '',
    hashChars: integer(params.hashChars, 64),
    ageColumn: typeof params.ageColumn === 'string' ? params.ageColumn : '',
    bandWidth: integer(params.bandWidth, 10),
    topCode: integer(params.topCode, 90),
  };
  if (p.bandWidth < 1) return 'a band width below 1 (the default engine reports it)';
  const derived = p.hash.length > 0 && p.salt === '';
  if (derived) p.salt = reproducibleSalt(ctx.seed, ctx.nodeId);
  const compiled = compileAnonymise(ctx.nodeId, input, p);
  if (!compiled.ok) return compiled.reason;
  let negative = 0;
  let example: unknown = null;
  if (compiled.stats.ages !== undefined) {
    const ages = await session.query(compiled.stats.ages);
    const oldest = toNumber(ages.columns[2]?.[0]);
    if (oldest >= 2 ** 53) return `age column ${JSON.stringify(p.ageColumn)} holds ${oldest}, beyond the integers whose band text SQL writes exactly`;
    negative = toNumber(ages.columns[0]?.[0]);
    example = ages.columns[1]?.[0] ?? null;
  }
  if (p.drop.length === 0 && p.hash.length === 0 && p.ageColumn === '') ctx.warn('nothingChosen');
  if (derived) ctx.warn('derivedSalt');
  for (const statement of compiled.statements) await session.exec(statement);
  if (negative > 0) ctx.warn('negativeAges', { column: p.ageColumn, count: negative, example: typeof example === 'number' ? example : null });
  return { table: await session.deferred(compiled.outputs.table ?? { name: '', columns: null }) };
};
