/**
 * Does `insight auto`'s output cover every customer of the file? Counts the customers in the
 * source file (read with the load node's own reading params from pipeline.json, ids by the
 * customer role of roles.json, or one customer per row when the table has no id), takes away
 * the customers the clean node declared lost in its warning, and counts the customers in each
 * per-customer output: segments, recommendations (when the pipeline recommends) and the
 * decision table.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tokenizeDelimited, fieldEnd } from '../../src/data/csv.ts';
import { readTable, type ReadOptions } from '../../src/data/read.ts';
import { idKey } from '../../src/data/cells.ts';
import { delimiterChoices } from '../../src/data/csv.ts';
import { encodingChoices } from '../../src/data/encoding.ts';

/** Customers per output, beside the file's. */
export interface Coverage {
  /** Distinct customers in the file (rows for a table without ids). */
  inFile: number;
  /** Customers the clean node's warning says were lost (0 without a warning). */
  lost: number;
  /** Customers in segment.table.csv. */
  segments: number;
  /** Customers in recommend.recommendations.csv, or null when the pipeline does not recommend. */
  recommendations: number | null;
  /** Customers in decide.actions.csv. */
  decisions: number;
  /** Output ids that are not ids of the file (should be 0). */
  strangers: number;
}

/** The distinct values of a named column of an output CSV. */
function column(path: string, name: string): string[] {
  const grid = tokenizeDelimited(readFileSync(path, 'utf8'), { delimiter: ',' });
  const at = grid.names.indexOf(name);
  if (at < 0) throw new Error(`${path} has no column ${name} (columns: ${grid.names.join(', ')})`);
  const out = new Set<string>();
  for (let r = 0; r < grid.rowCount; r++) {
    const s = grid.starts[r * grid.width + at]!;
    out.add(s === -1 ? '' : s <= -2 ? (grid.escaped[-2 - s] ?? '') : grid.text.slice(s, fieldEnd(grid, s)));
  }
  return [...out];
}

function rowCount(path: string): number {
  return tokenizeDelimited(readFileSync(path, 'utf8'), { delimiter: ',' }).rowCount;
}

function first(path: string): string {
  return tokenizeDelimited(readFileSync(path, 'utf8').split('\n', 2).join('\n'), { delimiter: ',' }).names[0] ?? '';
}

type Doc = { nodes: { kind: string; params: Record<string, unknown> }[] };
type Roles = { shape: string; roles: { role: string; column: string }[] };

/** Counts the customers of `file` in the outputs `insight auto` wrote to `out`, given its stderr. */
export async function coverage(file: string, out: string, stderr: string): Promise<Coverage> {
  const doc = JSON.parse(readFileSync(join(out, 'pipeline.json'), 'utf8')) as Doc;
  const roles = JSON.parse(readFileSync(join(out, 'roles.json'), 'utf8')) as Roles;
  const load = doc.nodes.find((n) => n.kind === 'load')?.params ?? {};
  const options: Partial<ReadOptions> = { maxBytes: Number.MAX_SAFE_INTEGER };
  if (typeof load.format === 'string' && load.format === 'baskets') options.format = 'baskets';
  const delimiter = delimiterChoices.find((d) => d === load.delimiter);
  if (delimiter !== undefined) options.delimiter = delimiter;
  const encoding = encodingChoices.find((e) => e === load.encoding);
  if (encoding !== undefined) options.encoding = encoding;
  if (load.header === false) options.header = false;
  if (load.trim === true) options.trim = true;
  const table = (await readTable({ name: file, bytes: new Uint8Array(readFileSync(file)) }, options)).table;
  const customer = roles.roles.find((r) => r.role === 'customer')?.column;
  const ids = new Set<string>();
  if (customer === undefined) for (let i = 1; i <= table.numRows(); i++) ids.add(String(i));
  else for (const v of table.array(customer)) {
    const key = idKey(v);
    if (key !== null) ids.add(key);
  }
  const lostMatch = /(\d[\d,]*) of (\d[\d,]*) customers in column "?[^"]*"? lost every row in cleaning/.exec(stderr);
  const lost = lostMatch ? Number((lostMatch[1] ?? '0').replaceAll(',', '')) : 0;
  if (lostMatch && Number((lostMatch[2] ?? '').replaceAll(',', '')) !== ids.size) throw new Error(`the cleaning warning counts ${lostMatch[2]} customers, the file ${ids.size}`);
  const segmentPath = join(out, 'segment.table.csv');
  // Without an id column the segment table keeps the rows in order: row k is customer k.
  const segments = customer !== undefined ? column(segmentPath, customer) : Array.from({ length: rowCount(segmentPath) }, (_, i) => String(i + 1));
  const decisions = column(join(out, 'decide.actions.csv'), 'id');
  const recPath = join(out, 'recommend.recommendations.csv');
  const recommendations = existsSync(recPath) ? column(recPath, first(recPath)) : null;
  const strangers = [...segments, ...decisions, ...(recommendations ?? [])].filter((id) => !ids.has(id)).length;
  return { inFile: ids.size, lost, segments: segments.length, recommendations: recommendations?.length ?? null, decisions: decisions.length, strangers };
}
