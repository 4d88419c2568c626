/**
 * Weight (typed) as SQL (beside the kernel src/data/weight.ts, same formulas): weights scaled
 * so Σ|w| = 1 (the kernel's scaleWeights, on the params), contrib_j = w_j x_j and
 * score = 0 + contrib_1 + … + contrib_d added left to right as the kernel does, both missing
 * when any weighted value is; rank 1 = highest score, ties share the smallest rank (SQL rank()).
 * Not compiled (the node stays in the default engine): the entropy method, all-zero weights,
 * a weighted column missing or not DOUBLE.
 */
import { scaleWeights } from '../data/weight.ts';
import { quoteIdent, quoteNumber, quoteString } from './quote.ts';
import { ROW_COLUMN, unsupported, type SqlColumn, type SqlCompiled, type SqlRelation } from './relation.ts';

/** The params the compiler reads (those of the weight node). */
export interface WeightSqlParams {
  method: 'typed' | 'entropy';
  weights: Readonly<Record<string, number>>;
}

/** Compiles a typed weight node over `input` into relation `<id>:table`. */
export function compileWeight(nodeId: string, input: SqlRelation, params: WeightSqlParams): SqlCompiled {
  if (params.method !== 'typed') return unsupported('entropy weights are derived by the default engine');
  const names = Object.keys(params.weights);
  const raw = names.map((n) => params.weights[n] ?? 0);
  if (!raw.some((w) => w !== 0)) return unsupported('no non-zero weight (the default engine reports it)');
  const w = scaleWeights(raw);
  const known = input.columns;
  if (known) {
    for (const name of names) {
      const column = known.find((c) => c.name === name);
      if (!column) return unsupported(`column ${JSON.stringify(name)} is not in the input (the default engine reports it)`);
      if (column.type !== 'DOUBLE') return unsupported(`column ${JSON.stringify(name)} is not numeric (the default engine reports it)`);
    }
  }
  const inputName = quoteIdent(input.name);
  const x = names.map((n) => `${inputName}.${quoteIdent(n)}`);
  const complete = x.map((v) => `${v} IS NOT NULL`).join(' AND ');
  const parts = x.map((v, j) => `(${quoteNumber(w[j] ?? 0)} * ${v})`);
  const contribNames = names.map((n) => `contrib_${n}`);
  const newNames = ['score', 'rank', ...contribNames];
  const scoreExpr = `CASE WHEN ${complete} THEN ${[quoteNumber(0), ...parts].join(' + ')} END`;
  let kept: string;
  let columns: SqlColumn[] | null = null;
  if (known) {
    const keptColumns = known.filter((c) => !newNames.includes(c.name));
    kept = keptColumns.map((c) => `${inputName}.${quoteIdent(c.name)}`).join(', ');
    columns = [...keptColumns, ...newNames.map((name): SqlColumn => ({ name, type: 'DOUBLE' }))];
  } else {
    kept = `COLUMNS(c -> c NOT IN (${[ROW_COLUMN, ...newNames].map(quoteString).join(', ')}))`;
  }
  const scoredName = quoteIdent(`${nodeId}:scored`);
  const scored = `CREATE OR REPLACE VIEW ${scoredName} AS SELECT ${inputName}.${quoteIdent(ROW_COLUMN)}, ${kept === '' ? '' : `${kept}, `}${scoreExpr} AS "score", ${parts.map((p, j) => `CASE WHEN ${complete} THEN ${p} END AS ${quoteIdent(contribNames[j] ?? '')}`).join(', ')} FROM ${inputName}`;
  const keptOut = known ? known.filter((c) => !newNames.includes(c.name)).map((c) => `s.${quoteIdent(c.name)}`) : [`s.* EXCLUDE (${[ROW_COLUMN, 'score', ...contribNames].map(quoteIdent).join(', ')})`];
  const rank = `CASE WHEN s."score" IS NULL THEN NULL ELSE CAST(rank() OVER (ORDER BY s."score" DESC NULLS LAST) AS DOUBLE) END`;
  const table = `CREATE OR REPLACE VIEW ${quoteIdent(`${nodeId}:table`)} AS SELECT s.${quoteIdent(ROW_COLUMN)}, ${[...keptOut, 's."score"', `${rank} AS "rank"`, ...contribNames.map((n) => `s.${quoteIdent(n)}`)].join(', ')} FROM ${scoredName} AS s`;
  return { ok: true, statements: [scored, table], outputs: { table: { name: `${nodeId}:table`, columns } }, stats: {} };
}

/** The scaled typed weights by column (the transform's params). */
export function typedWeights(weights: Readonly<Record<string, number>>): Record<string, number> {
  const names = Object.keys(weights);
  const w = scaleWeights(names.map((n) => weights[n] ?? 0));
  return Object.fromEntries(names.map((n, j) => [n, w[j] ?? 0]));
}
