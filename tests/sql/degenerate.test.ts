/**
 * Issue #21's equivalence check over the degenerate suite's tables (tests/nodes/degenerate-suite.ts):
 * every SQL-capable kind is run on each of the eight degenerate inputs, with the suite's params,
 * by the default engine and by --engine duckdb's registry; both must give the same state, the
 * same messages and the same outputs (numbers to 1e-9, text and row order exactly). Load reads
 * the table written as a CSV file, bound by path, so DuckDB reads it itself.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeRegistry } from '../../nodes/index.ts';
import { sequence } from '../../nodes/sequence.ts';
import type { PipelineDocument } from '../../src/engine/document.ts';
import type { AnyNodeSpec } from '../../src/engine/node.ts';
import { sqlKinds } from '../../src/sql/engine.ts';
import { cases, harness } from '../nodes/degenerate-suite.ts';
import { differences, runWith } from './compare.ts';

const TOL = 1e-9;
const dir = mkdtempSync(join(tmpdir(), 'insight-sql-degenerate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let written = 0;

// As in tests/nodes/degenerate.test.ts: sequence with dates inside the table's span, so that the cases reach its aggregation.
const dated: AnyNodeSpec = { ...sequence, params: { ...sequence.params, cutoff: { ...sequence.params.cutoff, default: '2024-02-10' }, horizonEnd: { ...sequence.params.horizonEnd, default: '2024-03-31' } } };
const kinds: AnyNodeSpec[] = [...[...sqlKinds].flatMap((k) => (Object.hasOwn(nodeRegistry, k) ? [nodeRegistry[k]] : [])), dated].filter((s): s is AnyNodeSpec => s !== undefined);

describe.each(kinds.map((spec, i) => [i === kinds.length - 1 ? 'sequence (dated)' : spec.kind, spec] as const))('--engine duckdb on the degenerate tables: %s', (_name, spec) => {
  for (const c of cases) {
    it(`${c.name}: same state, messages and outputs as the default engine`, async () => {
      const table = c.table();
      const { registry, doc } = harness(spec, table, c.missingColumn === true);
      const files: Record<string, string> = {};
      if (spec.readsFile) {
        const path = join(dir, `t${++written}.csv`);
        writeFileSync(path, table.numCols() === 0 ? '' : table.toCSV());
        files.subject = path;
      }
      const a = await runWith('default', doc, registry, { files });
      const b = await runWith('duckdb', doc, registry, { files });
      for (const n of doc.nodes) {
        expect(b.statuses[n.id]?.state, n.id).toBe(a.statuses[n.id]?.state);
        expect(b.statuses[n.id]?.issues.map((i) => i.message), n.id).toEqual(a.statuses[n.id]?.issues.map((i) => i.message));
        expect(differences(a.outputs[n.id], b.outputs[n.id], TOL, n.id)).toEqual([]);
      }
      expect(b.covered.has('subject'), 'the SQL registry ran the node').toBe(true);
    });
  }
});

function node(id: string, kind: string, params: Record<string, unknown>, version = 1): PipelineDocument['nodes'][number] {
  return { id, kind, version, params, position: [0, 0], note: '' };
}

/** The SQL chain over a file: load → clean → features (category shares) → normalise → weight, clean → features (categories joined from clean's table as products, two kept, the rest grouped) and clean → sequence. */
function chain(path: string): { doc: PipelineDocument; files: Record<string, string> } {
  const nodes = [
    node('load1', 'load', {}),
    node('clean1', 'clean', {}),
    node('features1', 'features', { customer: 'customer_id', invoice: 'invoice_id', time: 'timestamp', quantity: 'quantity', price: 'unit_price', product: 'product_id', category: 'category', referenceDate: '2024-04-01' }),
    node('features2', 'features', { customer: 'customer_id', invoice: 'invoice_id', time: 'timestamp', quantity: 'quantity', price: 'unit_price', product: 'product_id', category: 'category', maxCategories: 2 }),
    node('normalise1', 'normalise', { columns: ['recency_days', 'frequency', 'monetary'], method: 'z-score' }),
    node('weight1', 'weight', { method: 'typed', weights: { recency_days: -0.3, frequency: 0.3, monetary: 0.4 } }),
    node('sequence1', 'sequence', { idColumn: 'customer_id', timeColumn: 'timestamp', period: 'week', steps: 4, cutoff: '2024-02-10', horizonEnd: '2024-03-31', values: { quantity: 'sum', unit_price: 'mean' } }, sequence.version),
  ];
  const edges: PipelineDocument['edges'] = [
    { from: ['load1', 'table'], to: ['clean1', 'table'] },
    { from: ['clean1', 'table'], to: ['features1', 'table'] },
    { from: ['features1', 'table'], to: ['normalise1', 'table'] },
    { from: ['normalise1', 'table'], to: ['weight1', 'table'] },
    { from: ['clean1', 'table'], to: ['sequence1', 'table'] },
    { from: ['clean1', 'table'], to: ['features2', 'table'] },
    { from: ['clean1', 'table'], to: ['features2', 'products'] },
  ];
  return { doc: { format: 'insight-pipeline', version: 1, name: 'degenerate chain', description: '', seed: 1, notes: [], nodes, edges }, files: { load1: path } };
}

describe('--engine duckdb on the degenerate tables read from a file through the SQL chain', () => {
  const ran = new Map<string, number>();
  for (const c of cases) {
    it(`${c.name}: every node of load → clean → features → normalise → weight, clean → features (joined) and clean → sequence has the same state, messages and outputs`, async () => {
      const table = c.table();
      const path = join(dir, `chain${++written}.csv`);
      writeFileSync(path, table.numCols() === 0 ? '' : table.toCSV());
      const { doc, files } = chain(path);
      const a = await runWith('default', doc, {}, { files });
      const b = await runWith('duckdb', doc, {}, { files });
      for (const n of doc.nodes) {
        expect(b.statuses[n.id]?.state, n.id).toBe(a.statuses[n.id]?.state);
        expect(b.statuses[n.id]?.issues.map((i) => i.message), n.id).toEqual(a.statuses[n.id]?.issues.map((i) => i.message));
        expect(differences(a.outputs[n.id], b.outputs[n.id], TOL, n.id)).toEqual([]);
      }
      for (const [id, cv] of b.covered) if (cv.engine === 'duckdb') ran.set(id, (ran.get(id) ?? 0) + 1);
    });
  }
  it('ran each node of the chain in DuckDB for at least one of the cases', () => {
    expect([...ran.keys()].sort()).toEqual(['clean1', 'features1', 'features2', 'load1', 'normalise1', 'sequence1', 'weight1']);
  });
});

describe('the degenerate equivalence itself', () => {
  it('covers every SQL-capable kind', () => {
    expect(kinds.map((k) => k.kind).sort()).toEqual([...sqlKinds, 'sequence'].sort());
  });
});
