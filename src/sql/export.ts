/**
 * `insight export --sql`: a pipeline's SQL-capable data steps as one DuckDB script. A node is
 * covered when its kind has a compiler that accepts its params without knowing the data, and
 * its table input comes from a covered node or from a boundary: the output of a node that stays
 * in the studio/CLI, read with read_csv from the file `--input NODE.PORT=CSV` names, or from the
 * placeholder `NODE.PORT.csv` (the file `insight run --out` writes). Each covered node becomes
 * views "<id>:table" (and helpers); its result is the table "<id>.table" in row order. The header
 * names the covered nodes, the inputs read and the nodes that remain, each with its reason.
 */
import type { PipelineDocument } from '../engine/document.ts';
import type { AnyNodeSpec } from '../engine/node.ts';
import { topologicalOrder } from '../engine/graph.ts';
import { resolvedParams } from '../engine/validate.ts';
import { scalingMethods } from '../data/normalise.ts';
import { compileNormalise } from './normalise.ts';
import { quoteIdent, quoteString } from './quote.ts';
import { ROW_COLUMN, type SqlCompiled, type SqlRelation } from './relation.ts';
import { compileWeight } from './weight.ts';

/** An exported script and what it covers. */
export interface ExportedSql {
  /** The script. */
  text: string;
  /** Node ids run by the script, in order. */
  covered: string[];
  /** Node ids left to the studio/CLI, with the reason. */
  remaining: { id: string; reason: string }[];
  /** Boundary relations read from files: relation name → path. */
  inputs: { relation: string; path: string; placeholder: boolean }[];
}

function compile(kind: string, id: string, input: SqlRelation, params: Record<string, unknown>, fitted: boolean): SqlCompiled {
  if (kind === 'normalise') {
    const columns = Array.isArray(params.columns) ? params.columns.filter((c): c is string => typeof c === 'string') : [];
    const method = scalingMethods.find((m) => m === params.method) ?? 'min-max';
    return compileNormalise(id, input, { columns, method, suffix: typeof params.suffix === 'string' ? params.suffix : '', clip: params.clip === true }, fitted);
  }
  if (kind === 'weight') {
    const weights: Record<string, number> = {};
    const raw = params.weights;
    if (typeof raw === 'object' && raw !== null) for (const [k, v] of Object.entries(raw)) if (typeof v === 'number') weights[k] = v;
    return compileWeight(id, input, { method: params.method === 'entropy' ? 'entropy' : 'typed', weights });
  }
  if (kind === 'load' || kind === 'clean' || kind === 'features' || kind === 'anonymise' || kind === 'cohorts' || kind === 'rules') return { ok: false, reason: `${kind} compiles from the data's column types, known only when it runs: insight run --engine duckdb runs it in DuckDB` };
  return { ok: false, reason: `${kind} has no SQL compiler; it runs in the studio/CLI` };
}

/** A comment line: the text JSON-quoted where it is user text, so no newline ends the comment. */
function comment(text: string): string {
  return `-- ${text.replace(/[\r\n]/g, ' ')}`;
}

/** Compiles the data steps of `doc` into one DuckDB script. */
export function exportSql(doc: PipelineDocument, registry: Readonly<Record<string, AnyNodeSpec>>, files: ReadonlyMap<string, string>): ExportedSql {
  const order = topologicalOrder(doc);
  const ids = order.ok ? order.order : doc.nodes.map((n) => n.id);
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  const relations = new Map<string, SqlRelation>();
  const covered: string[] = [];
  const remaining: { id: string; reason: string }[] = [];
  const inputs: ExportedSql['inputs'] = [];
  const body: string[] = [];
  for (const id of ids) {
    const node = byId.get(id);
    const spec = node && Object.hasOwn(registry, node.kind) ? registry[node.kind] : undefined;
    if (!node || !spec) continue;
    const edge = doc.edges.find((e) => e.to[0] === id && e.to[1] === 'table');
    const fitted = doc.edges.some((e) => e.to[0] === id && e.to[1] === 'fitted');
    if (!edge) {
      const probe = compile(node.kind, id, { name: '', columns: null }, {}, false);
      remaining.push({ id, reason: probe.ok ? `${node.kind} has no table input` : probe.reason });
      continue;
    }
    const key = `${edge.from[0]}.${edge.from[1]}`;
    let input = relations.get(key);
    const probe = compile(node.kind, id, input ?? { name: `${key}:input`, columns: null }, resolvedParams(node, spec), fitted);
    if (!probe.ok) {
      remaining.push({ id, reason: probe.reason });
      continue;
    }
    if (!input) {
      const given = files.get(key);
      const path = given ?? `${key}.csv`;
      input = { name: `${key}:input`, columns: null };
      inputs.push({ relation: input.name, path, placeholder: given === undefined });
      body.push(`CREATE OR REPLACE TABLE ${quoteIdent(input.name)} AS SELECT row_number() OVER () AS ${quoteIdent(ROW_COLUMN)}, * FROM read_csv(${quoteString(path)}, header = true);`);
      relations.set(key, input);
    }
    const step = compile(node.kind, id, input, resolvedParams(node, spec), fitted);
    if (!step.ok) {
      remaining.push({ id, reason: step.reason });
      continue;
    }
    body.push(comment(`node ${JSON.stringify(id)} (${node.kind})`));
    for (const statement of step.statements) body.push(`${statement};`);
    for (const [port, relation] of Object.entries(step.outputs)) {
      relations.set(`${id}.${port}`, relation);
      body.push(`CREATE OR REPLACE TABLE ${quoteIdent(`${id}.${port}`)} AS SELECT * EXCLUDE (${quoteIdent(ROW_COLUMN)}) FROM ${quoteIdent(relation.name)} ORDER BY ${quoteIdent(ROW_COLUMN)};`);
    }
    covered.push(id);
  }
  const header = [
    comment(`Insight Studio: the data steps of pipeline ${JSON.stringify(doc.name)} as DuckDB SQL.`),
    comment('Run: duckdb < this-file, or from any DuckDB client. Results: one table "<node>.<port>" per covered node, in row order.'),
    comment(`Covers ${covered.length} node(s): ${covered.map((id) => JSON.stringify(id)).join(', ') || 'none'}.`),
    comment(`Reads ${inputs.length} input(s):`),
    ...inputs.map((i) => comment(`  ${JSON.stringify(i.relation)} <- read_csv(${JSON.stringify(i.path)})${i.placeholder ? ' (placeholder: the file `insight run --out DIR` writes for that port; run from DIR or export with --input)' : ''}`)),
    ...(inputs.length > 0 ? [comment("  (a text cell that --out wrote with a leading ' before = + - @, its guard against spreadsheet formulas, is read with that ')")] : []),
    comment(`Remain for the studio/CLI: ${remaining.length} node(s):`),
    ...remaining.map((r) => comment(`  ${JSON.stringify(r.id)}: ${r.reason}`)),
    '',
  ];
  return { text: `${[...header, ...body].join('\n')}\n`, covered, remaining, inputs };
}
