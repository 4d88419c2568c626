/**
 * `insight export --sql`: a pipeline's data steps as one DuckDB script that reads the pipeline's
 * own input files. Export runs the pipeline's SQL-capable nodes (and the nodes they read from)
 * once with --engine duckdb's registry (src/sql/engine.ts), recording every statement each
 * node's SQL run executes; the nodes that ran in DuckDB are the ones covered, and their
 * statements, in order, are the script. What the engine decides in JS from the data (load's
 * column types, clean's check that no text column holds loosely written numbers, features'
 * id-order check, …) is thereby decided at export time and baked in as literals; the header
 * says which. Each covered node's table output becomes table "<node>.<port>" (row order kept,
 * dates as TIMESTAMP); cohorts' two tables are built in SQL from its aggregates; the sequence
 * node's per-customer-period aggregation ("<id>.periods") and the rules node's baskets
 * ("<id>.items", "<id>.baskets") are left as tables while the nodes themselves (tensor, mining)
 * remain. A covered node reading the table of a node that remains reads it from the CSV file
 * `insight run --out DIR` writes for that port. With an out folder, the script COPYs every
 * result table there as <node>.<port>.csv.
 */
import type { PipelineDocument } from '../engine/document.ts';
import type { InsightIssue } from '../engine/errors.ts';
import { topologicalOrder } from '../engine/graph.ts';
import type { AnyNodeSpec, NodeHost } from '../engine/node.ts';
import { isTable } from '../engine/port-codec.ts';
import { Engine } from '../engine/runner.ts';
import { AGGREGATIONS, type Aggregation } from '../data/sequences.ts';
import { cohortTablesSql, compileCohorts } from './cohorts.ts';
import { isDeferred } from './deferred.ts';
import { duckdbRegistry, sqlKinds, type Coverage } from './engine.ts';
import { quoteIdent, quoteString } from './quote.ts';
import { ROW_COLUMN, type SqlRelation } from './relation.ts';
import { compileBaskets } from './rules.ts';
import { sequencePeriodsSql } from './sequence.ts';
import { SqlSession, sqlColumns } from './session.ts';

/** What export needs besides the document. */
export interface ExportOptions {
  /** Files bound to nodes (node id → path), as `insight run --input NODE_ID=FILE` binds them. */
  files: ReadonlyMap<string, string>;
  /** CSV files holding the tables of nodes that remain (node.port → path); default `<out>/<node>.<port>.csv`. */
  boundaries: ReadonlyMap<string, string>;
  /** Folder the script COPYs its result tables into (and reads remaining nodes' tables from); none: no COPY. */
  out?: string;
  /** The host the export-time run reads files through (the CLI's node host). */
  host: NodeHost;
}

/** One result table of the script. */
export interface ExportedTable {
  node: string;
  /** Output port, or the name of a node's SQL part (periods, items, baskets). */
  port: string;
  /** The table's name in the script. */
  table: string;
}

/** An exported script and what it covers. */
export interface ExportedSql {
  /** The script. */
  text: string;
  /** Node ids run by the script, in order. */
  covered: string[];
  /** Node ids left to the studio/CLI, with the reason. */
  remaining: { id: string; reason: string }[];
  /** Files the script reads: a load's own file, or the table of a node that remains. */
  inputs: { node: string; path: string; kind: 'file' | 'boundary'; placeholder: boolean }[];
  /** Result tables, in script order. */
  tables: ExportedTable[];
  /** Nodes that failed in the export-time run (also in remaining). */
  failed: { id: string; message: string; readsFile: boolean }[];
}

/** A comment line; user text in it is JSON-quoted and line breaks become spaces, so no text ends the comment. */
function comment(text: string): string {
  return `-- ${text.replace(/[\r\n\u2028\u2029]/g, ' ')}`;
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** The document cut to its SQL-capable nodes and the nodes they read from. */
export function sqlPart(doc: PipelineDocument): PipelineDocument {
  const keep = new Set<string>();
  const visit = (id: string): void => {
    if (keep.has(id)) return;
    keep.add(id);
    for (const e of doc.edges) if (e.to[0] === id) visit(e.from[0]);
  };
  for (const n of doc.nodes) if (sqlKinds.has(n.kind)) visit(n.id);
  return { ...doc, nodes: doc.nodes.filter((n) => keep.has(n.id)), edges: doc.edges.filter((e) => keep.has(e.from[0]) && keep.has(e.to[0])) };
}

/** The statement storing a relation as result table `name` in row order, dates (epoch ms) as TIMESTAMP. */
function resultSql(name: string, relation: SqlRelation): string {
  const columns = (relation.columns ?? []).map((c) => (c.type === 'TIMESTAMP_MS' ? `epoch_ms(CAST(${quoteIdent(c.name)} AS BIGINT)) AS ${quoteIdent(c.name)}` : quoteIdent(c.name)));
  return `CREATE OR REPLACE TABLE ${quoteIdent(name)} AS SELECT ${columns.join(', ')} FROM ${quoteIdent(relation.name)} ORDER BY ${quoteIdent(ROW_COLUMN)}`;
}

/** A remaining node's table read back from the CSV `insight run --out` writes (ISO dates, guarded text undone), as relation `relation`. */
function boundarySql(relation: SqlRelation, path: string): string[] {
  const columns = relation.columns ?? [];
  const raw = quoteIdent(`${relation.name}:raw`);
  const fields = columns.map((c) => `${quoteString(c.name)}: 'VARCHAR'`).join(', ');
  const cells = columns.map((c) => {
    const x = quoteIdent(c.name);
    if (c.type === 'DOUBLE') return `CASE WHEN isfinite(TRY_CAST(${x} AS DOUBLE)) THEN TRY_CAST(${x} AS DOUBLE) END AS ${x}`;
    if (c.type === 'TIMESTAMP_MS') return `CAST(epoch_ms(TRY_CAST(replace(${x}, 'Z', '') AS TIMESTAMP)) AS DOUBLE) AS ${x}`;
    // --out writes ' before a cell starting with = + - @ tab or CR (not a negative number): undone here.
    return `CASE WHEN regexp_matches(${x}, '^''[=+\\-@\\t\\r]') AND NOT regexp_matches(${x}, '^''-?[0-9]') THEN substr(${x}, 2) ELSE ${x} END AS ${x}`;
  });
  return [
    `CREATE OR REPLACE TEMP TABLE ${raw} AS SELECT * FROM read_csv(${quoteString(path)}, header = true, delim = ',', quote = '"', escape = '"', auto_detect = false, columns = {${fields}})`,
    `CREATE OR REPLACE TABLE ${quoteIdent(relation.name)} AS SELECT rowid + 1 AS ${quoteIdent(ROW_COLUMN)}${cells.map((c) => `, ${c}`).join('')} FROM ${raw} ORDER BY rowid`,
    `DROP TABLE ${raw}`,
  ];
}

/** What the SQL run of each kind decides from the data, which the script then takes as given. */
const decisions: Readonly<Record<string, string>> = {
  clean: 'no text column holds loosely written numbers (so the auto number parse changes nothing)',
  features: 'the customer ids sort in SQL as in the kernel; there are transactions',
  normalise: 'every chosen column has values',
  sequence: 'the time column has readable times',
  cohorts: 'the times lie within the years 1–9999 and price × quantity cannot overflow',
  anonymise: 'no age reaches 2^53',
};

const typeWords: Readonly<Record<string, string>> = { DOUBLE: 'number', VARCHAR: 'text', TIMESTAMP_MS: 'date' };

/** Compiles the data steps of `doc` into one DuckDB script (see the file header), or the document's problems. */
export async function exportSql(doc: PipelineDocument, registry: Readonly<Record<string, AnyNodeSpec>>, options: ExportOptions): Promise<ExportedSql | { problems: InsightIssue[] }> {
  const part = sqlPart(doc);
  const session = await SqlSession.open();
  const log: { node: string; sql: string }[] = [];
  let current: string | null = null;
  let paused = false;
  session.onExec = (sql) => {
    if (!paused && current !== null) log.push({ node: current, sql });
  };
  const boundaries: { node: string; source: string; relation: SqlRelation; path: string; placeholder: boolean }[] = [];
  const seen = new Map<string, { params: Record<string, unknown>; input: SqlRelation | null }>();
  const folder = options.out === undefined ? '' : `${options.out.replace(/\/+$/, '')}/`;
  // A table a remaining node made enters DuckDB here, outside the record: the script reads it from its --out file instead.
  const boundaryOf = async (nodeId: string, port: string, table: unknown): Promise<SqlRelation | null> => {
    const value = isDeferred(table) && !table.relation ? await table.materialise() : table;
    if (isDeferred(value)) return value.relation;
    if (!isTable(value)) return null;
    const schema = sqlColumns(value);
    if (!schema.ok) return null;
    paused = true;
    let relation: SqlRelation;
    try {
      relation = await session.relationOf(value, schema.columns);
    } finally {
      paused = false;
    }
    if (!boundaries.some((b) => b.relation.name === relation.name)) {
      const edge = part.edges.find((e) => e.to[0] === nodeId && e.to[1] === port);
      const source = edge ? `${edge.from[0]}.${edge.from[1]}` : `${nodeId}.${port === 'table' ? 'input' : port}`;
      const given = options.boundaries.get(source);
      boundaries.push({ node: nodeId, source, relation, path: given ?? `${folder}${source}.csv`, placeholder: given === undefined });
    }
    return relation;
  };
  const covered = new Map<string, Coverage>();
  const wrapped: Record<string, AnyNodeSpec> = {};
  for (const [kind, spec] of Object.entries(duckdbRegistry(registry, session, covered, options.files))) {
    wrapped[kind] = {
      ...spec,
      async run(inputs, params, ctx) {
        current = ctx.nodeId;
        try {
          let input: SqlRelation | null = null;
          // Every table a SQL kind reads (features' products too) that a remaining node made is read from its --out file.
          if (sqlKinds.has(kind)) for (const [port, value] of Object.entries(inputs)) if (isTable(value) || isDeferred(value)) {
            const relation = await boundaryOf(ctx.nodeId, port, value);
            if (port === 'table') input = relation;
          }
          seen.set(ctx.nodeId, { params, input });
          return await spec.run(inputs, params, ctx);
        } finally {
          current = null;
        }
      },
    };
  }
  try {
    const engine = new Engine({ registry: wrapped, host: options.host });
    const report = await engine.run(part);
    if (report.documentIssues.length > 0) return { problems: report.documentIssues };
    const order = topologicalOrder(doc);
    const ids = order.ok ? order.order : doc.nodes.map((n) => n.id);
    const byId = new Map(doc.nodes.map((n) => [n.id, n]));
    const inPart = new Set(part.nodes.map((n) => n.id));
    const result: ExportedSql = { text: '', covered: [], remaining: [], inputs: [], tables: [], failed: [] };
    const body: string[] = [];
    const decided: string[] = [];
    const notInScript: string[] = [];
    for (const id of ids) {
      const node = byId.get(id);
      if (!node) continue;
      const kind = node.kind;
      const status = report.statuses[id];
      const how = covered.get(id);
      if (status?.state === 'error') {
        const message = status.issues[0]?.message ?? 'unknown error';
        result.failed.push({ id, message, readsFile: Object.hasOwn(registry, kind) && registry[kind]?.readsFile === true });
        result.remaining.push({ id, reason: `failed when export ran it: ${message}` });
        continue;
      }
      if (!inPart.has(id) || !sqlKinds.has(kind)) {
        result.remaining.push({ id, reason: `${kind} has no SQL form; it runs in the studio/CLI` });
        continue;
      }
      if (!how) {
        result.remaining.push({ id, reason: `did not run (${status?.state ?? 'not reached'})` });
        continue;
      }
      if (how.engine === 'default') {
        result.remaining.push({ id, reason: how.reason });
        continue;
      }
      const lines: string[] = [comment(`node ${JSON.stringify(id)} (${kind})`)];
      for (const b of boundaries.filter((x) => x.node === id)) {
        lines.push(...boundarySql(b.relation, b.path).map((s) => `${s};`));
        result.inputs.push({ node: b.source, path: b.path, kind: 'boundary', placeholder: b.placeholder });
      }
      for (const entry of log) if (entry.node === id) lines.push(`${entry.sql};`);
      const info = seen.get(id);
      const params = info?.params ?? {};
      const input = info?.input ?? null;
      const tables: ExportedTable[] = [];
      const outputs = engine.outputs(part, id) ?? {};
      let partial: string | null = null;
      if (kind === 'sequence' && input) {
        const values: { column: string; aggregation: Aggregation }[] = [];
        const raw = typeof params.values === 'object' && params.values !== null && !Array.isArray(params.values) ? Object.entries(params.values) : [];
        for (const [column, a] of raw) {
          const aggregation = AGGREGATIONS.find((x) => x === a);
          if (aggregation) values.push({ column, aggregation });
        }
        const sequences = outputs.sequences;
        const stepLabels = typeof sequences === 'object' && sequences !== null && 'stepLabels' in sequences && Array.isArray(sequences.stepLabels) ? sequences.stepLabels.map(String) : [];
        const p = { idColumn: text(params.idColumn), countRows: params.countRows !== false, values };
        const names = [p.idColumn, 'step', 'period', ...(p.countRows ? ['rows'] : []), ...values.map((v) => `${v.column}_${v.aggregation}`)];
        const table = `${id}.periods`;
        if (new Set(names).size === names.length) {
          lines.push(`${sequencePeriodsSql(id, table, p, stepLabels)};`);
          tables.push({ node: id, port: 'periods', table });
          partial = `its tensor, labels, static features and totals are built by the studio/CLI; the script leaves its per-customer-period aggregation as table ${JSON.stringify(table)}`;
        } else partial = 'its tensor is built by the studio/CLI (its aggregation\'s column names would repeat, so the script leaves only the views)';
      } else if (kind === 'rules' && input) {
        const queries = compileBaskets(input, { basketColumn: text(params.basketColumn), itemColumn: text(params.itemColumn), quantityColumn: text(params.quantityColumn) });
        if (typeof queries !== 'string') {
          const ordered = quoteIdent(`${id}:items`);
          lines.push(
            `CREATE OR REPLACE TEMP TABLE ${ordered} AS ${queries.items};`,
            `CREATE OR REPLACE TABLE ${quoteIdent(`${id}.items`)} AS SELECT CAST(rowid AS INTEGER) AS "item_id", "i" AS "item" FROM ${ordered} ORDER BY rowid;`,
            `CREATE OR REPLACE TABLE ${quoteIdent(`${id}.baskets`)} AS ${queries.pairs};`,
          );
          tables.push({ node: id, port: 'items', table: `${id}.items` }, { node: id, port: 'baskets', table: `${id}.baskets` });
        }
        partial = `its rules are mined (FP-growth) by the studio/CLI; the script leaves its baskets as tables ${JSON.stringify(`${id}.items`)} (item_id, item) and ${JSON.stringify(`${id}.baskets`)} (bid, iid per kept row)`;
      } else if (kind === 'cohorts' && input) {
        const period = params.period === 'week' ? 'week' : 'month';
        const maxPeriods = typeof params.maxPeriods === 'number' ? params.maxPeriods : 0;
        const queries = compileCohorts(input, { customerColumn: text(params.customerColumn), timeColumn: text(params.timeColumn), priceColumn: text(params.priceColumn), quantityColumn: text(params.quantityColumn), period });
        if (typeof queries === 'string') partial = queries;
        else {
          for (const s of cohortTablesSql(id, queries, period, maxPeriods)) lines.push(`${s};`);
          for (const port of ['table', 'matrix']) {
            lines.push(`CREATE OR REPLACE TABLE ${quoteIdent(`${id}.${port}`)} AS SELECT * EXCLUDE (${quoteIdent(ROW_COLUMN)}) FROM ${quoteIdent(`${id}:${port}`)} ORDER BY ${quoteIdent(ROW_COLUMN)};`);
            tables.push({ node: id, port, table: `${id}.${port}` });
          }
        }
      } else {
        for (const [port, value] of Object.entries(outputs)) {
          if (isDeferred(value) && value.relation && (value.relation.columns ?? []).length > 0) {
            lines.push(`${resultSql(`${id}.${port}`, value.relation)};`);
            tables.push({ node: id, port, table: `${id}.${port}` });
          } else notInScript.push(`${JSON.stringify(`${id}.${port}`)} (${isTable(value) || isDeferred(value) ? 'a table' : 'JSON'} computed in JS)`);
        }
      }
      if (kind === 'load') {
        const relation = isDeferred(outputs.table) ? outputs.table.relation : null;
        const file = options.files.get(id) ?? `sample-data/${text(params.sample)}`;
        result.inputs.push({ node: id, path: file, kind: 'file', placeholder: false });
        decided.push(`${JSON.stringify(id)}: column types inferred from ${JSON.stringify(file)}: ${(relation?.columns ?? []).map((c) => `${JSON.stringify(c.name)} ${typeWords[c.type] ?? c.type}`).join(', ')}`);
      } else if (kind === 'features' && text(params.category) !== '') {
        const shares = (isDeferred(outputs.table) ? (outputs.table.relation?.columns ?? []) : []).slice(1).map((c) => c.name).filter((n) => n.startsWith('share_'));
        decided.push(`${JSON.stringify(id)}: ${decisions.features ?? ''}; which categories get a share column of their own (ranked by total spend) and the columns' names: ${shares.map((n) => JSON.stringify(n)).join(', ') || 'none'}`);
      } else if (Object.hasOwn(decisions, kind)) decided.push(`${JSON.stringify(id)}: ${decisions[kind] ?? ''}`);
      if (kind === 'anonymise' && log.some((e) => e.node === id && e.sql.includes('sha256('))) decided.push(`${JSON.stringify(id)}: the hash salt is written in this script as a literal (keep the script as private as the salt)`);
      body.push(...lines);
      result.tables.push(...tables);
      if (partial !== null) result.remaining.push({ id, reason: `ran its SQL part here; ${partial}` });
      else result.covered.push(id);
    }
    const copies = options.out === undefined ? [] : result.tables.map((t) => `COPY ${quoteIdent(t.table)} TO ${quoteString(`${folder}${t.table}.csv`)} (HEADER, DELIMITER ',');`);
    const header = [
      comment(`Insight Studio: the data steps of pipeline ${JSON.stringify(doc.name)} as DuckDB SQL.`),
      comment('Run: duckdb < this-file (duckdb my.db < this-file keeps the tables), or from any DuckDB client.'),
      comment(`Results: one table per output below, rows in the pipeline's order, dates as TIMESTAMP (UTC)${options.out === undefined ? '' : `; each is COPYed to ${JSON.stringify(folder)}<table>.csv (DuckDB's number and date text, not byte for byte what insight run --out writes)`}.`),
      comment(`Covers ${result.covered.length} node(s): ${result.covered.map((id) => JSON.stringify(id)).join(', ') || 'none'}.`),
      ...result.tables.map((t) => comment(`  ${JSON.stringify(t.node)}: table ${JSON.stringify(t.table)}`)),
      comment(`Reads ${result.inputs.length} input(s):`),
      ...result.inputs.map((i) => comment(i.kind === 'file' ? `  ${JSON.stringify(i.node)} <- ${JSON.stringify(i.path)} (the pipeline's own input)` : `  ${JSON.stringify(i.node)} <- read_csv(${JSON.stringify(i.path)}) (that node remains: the file insight run --out DIR writes for it${i.placeholder ? '; run from DIR, export with --out DIR or bind it with --input NODE.PORT=CSV' : ''}; a text cell starting with ' then = + - @ is read without its ')`)),
      comment(`Decided from the data when this was exported (export again when the data changes): ${decided.length} node(s):`),
      ...decided.map((d) => comment(`  ${d}`)),
      ...(notInScript.length > 0 ? [comment(`Outputs of covered nodes left to the studio/CLI: ${notInScript.join(', ')}.`)] : []),
      comment(`Remain for the studio/CLI: ${result.remaining.length} node(s):`),
      ...result.remaining.map((r) => comment(`  ${JSON.stringify(r.id)}: ${r.reason}`)),
      '',
    ];
    result.text = `${[...header, ...body, ...copies].join('\n')}\n`;
    return result;
  } finally {
    session.close();
  }
}
