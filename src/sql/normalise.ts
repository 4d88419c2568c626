/**
 * Normalise as SQL (beside the kernel src/data/normalise.ts, same formulas): one stats row per
 * node — min/max, mean/population sd (0 when sd ≤ |mean|·1e-14, as the kernel), or the type-7
 * quartiles (DuckDB's quantile_cont interpolates as type 7) — and the scaled relation
 * x' = (x − center)/scale, 0 where scale is 0, missing kept missing, optionally clipped to
 * [0, 1]. Not compiled (the node stays in the default engine): a connected `fitted` scaling,
 * an empty column list without a known schema, a suffix without a known schema, a chosen
 * column that is not DOUBLE.
 */
import type { ColumnScalingMethod } from '../data/normalise.ts';
import { quoteIdent, quoteNumber } from './quote.ts';
import { ROW_COLUMN, unsupported, type SqlColumn, type SqlCompiled, type SqlRelation } from './relation.ts';

/** The params the compiler reads (those of the normalise node). */
export interface NormaliseSqlParams {
  columns: readonly string[];
  method: ColumnScalingMethod;
  suffix: string;
  clip: boolean;
}

function statsSelect(method: ColumnScalingMethod, x: string, j: number): string {
  const n = `count(${x}) AS n${j}`;
  switch (method) {
    case 'min-max':
      return `${n}, min(${x}) AS c${j}, max(${x}) - min(${x}) AS s${j}, min(${x}) AS min${j}, max(${x}) AS max${j}`;
    case 'z-score': {
      // The kernel's two passes over the sorted values: mean = Σx/n, sd = √(Σ(x − mean)²/n).
      const sd = `sqrt(sum((${x} - m.mean${j}) * (${x} - m.mean${j}) ORDER BY ${x}) / count(${x}))`;
      return `${n}, any_value(m.mean${j}) AS c${j}, CASE WHEN ${sd} <= abs(any_value(m.mean${j})) * ${quoteNumber(1e-14)} THEN ${quoteNumber(0)} ELSE ${sd} END AS s${j}, any_value(m.mean${j}) AS mean${j}, ${sd} AS sd${j}`;
    }
    case 'robust':
      return `${n}, quantile_cont(${x}, 0.5) AS c${j}, quantile_cont(${x}, 0.75) - quantile_cont(${x}, 0.25) AS s${j}, quantile_cont(${x}, 0.5) AS median${j}, quantile_cont(${x}, 0.25) AS q1${j}, quantile_cont(${x}, 0.75) AS q3${j}`;
  }
}

/** The stats names per method, in the kernel's order (for the transform). */
export const statNames: Readonly<Record<ColumnScalingMethod, readonly string[]>> = { 'min-max': ['min', 'max'], 'z-score': ['mean', 'sd'], robust: ['median', 'q1', 'q3'] };

/** Compiles a normalise node over `input` into relations `<id>:stats` and `<id>:table`. */
export function compileNormalise(nodeId: string, input: SqlRelation, params: NormaliseSqlParams, fittedConnected: boolean): SqlCompiled {
  if (fittedConnected) return unsupported('a connected "fitted" scaling is applied by the default engine');
  const known = input.columns;
  let chosen: string[];
  if (params.columns.length > 0) chosen = [...params.columns];
  else if (known) chosen = known.filter((c) => c.type === 'DOUBLE').map((c) => c.name);
  else return unsupported('an empty column list needs the input schema');
  if (chosen.length === 0) return unsupported('no numeric columns to scale (the default engine warns)');
  if (known) {
    for (const name of chosen) {
      const column = known.find((c) => c.name === name);
      if (!column) return unsupported(`column ${JSON.stringify(name)} is not in the input (the default engine reports it)`);
      if (column.type !== 'DOUBLE') return unsupported(`column ${JSON.stringify(name)} is not numeric (the default engine reports it)`);
    }
  } else if (params.suffix !== '') return unsupported('a suffix needs the input schema');
  const inputName = quoteIdent(input.name);
  const statsName = `${nodeId}:stats`;
  const tableName = `${nodeId}:table`;
  const means = `SELECT ${chosen.map((name, j) => `sum(${quoteIdent(name)} ORDER BY ${quoteIdent(name)}) / count(${quoteIdent(name)}) AS mean${j}`).join(', ')} FROM ${inputName}`;
  const statsFrom = params.method === 'z-score' ? `${inputName}, (${means}) AS m` : inputName;
  const stats = `CREATE OR REPLACE VIEW ${quoteIdent(statsName)} AS SELECT ${chosen.map((name, j) => statsSelect(params.method, `${inputName}.${quoteIdent(name)}`, j)).join(', ')} FROM ${statsFrom}`;
  const scaled = (name: string, j: number): string => {
    const x = `${inputName}.${quoteIdent(name)}`;
    const y = `(${x} - st.c${j}) / st.s${j}`;
    const value = params.clip ? `least(greatest(${y}, ${quoteNumber(0)}), ${quoteNumber(1)})` : y;
    return `CASE WHEN ${x} IS NULL THEN NULL WHEN st.s${j} = 0 THEN ${quoteNumber(0)} ELSE ${value} END`;
  };
  let select: string;
  let columns: SqlColumn[] | null = null;
  if (!known) {
    select = `${inputName}.* REPLACE (${chosen.map((name, j) => `${scaled(name, j)} AS ${quoteIdent(name)}`).join(', ')})`;
  } else {
    const index = new Map(chosen.map((name, j) => [name, j]));
    const added = new Map(params.suffix === '' ? [] : chosen.map((name, j) => [`${name}${params.suffix}`, j]));
    const parts: string[] = [`${inputName}.${quoteIdent(ROW_COLUMN)}`];
    columns = [];
    for (const column of known) {
      const q = quoteIdent(column.name);
      const j = added.get(column.name) ?? (params.suffix === '' ? index.get(column.name) : undefined);
      if (j !== undefined) {
        parts.push(`${scaled(chosen[j] ?? '', j)} AS ${q}`);
        columns.push({ name: column.name, type: 'DOUBLE' });
      } else {
        parts.push(`${inputName}.${q}`);
        columns.push(column);
      }
    }
    for (const [name, j] of added) {
      if (known.some((c) => c.name === name)) continue;
      parts.push(`${scaled(chosen[j] ?? '', j)} AS ${quoteIdent(name)}`);
      columns.push({ name, type: 'DOUBLE' });
    }
    select = parts.join(', ');
  }
  const table = `CREATE OR REPLACE VIEW ${quoteIdent(tableName)} AS SELECT ${select} FROM ${inputName}, ${quoteIdent(statsName)} AS st`;
  return { ok: true, statements: [stats, table], outputs: { table: { name: tableName, columns } }, stats: { scaling: statsName } };
}

/** The chosen columns of a compiled normalise (the same rule as the compiler). */
export function normaliseColumns(input: SqlRelation, params: NormaliseSqlParams): string[] {
  if (params.columns.length > 0) return [...params.columns];
  return (input.columns ?? []).filter((c) => c.type === 'DOUBLE').map((c) => c.name);
}
