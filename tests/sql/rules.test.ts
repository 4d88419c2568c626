import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import { afterAll, describe, expect, it } from 'vitest';
import type { PipelineDocument } from '../../src/engine/document.ts';
import type { AnyNodeSpec } from '../../src/engine/node.ts';
import { differences, runWith } from './compare.ts';

const TOL = 1e-9;
const dir = mkdtempSync(join(tmpdir(), 'insight-sql-rules-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

function node(id: string, kind: string, params: Record<string, unknown>): PipelineDocument['nodes'][number] {
  return { id, kind, version: 1, params, position: [0, 0], note: '' };
}

function feedKind(table: ColumnTable): AnyNodeSpec {
  return { kind: 'feed', version: 1, label: 'Feed', description: '', category: 'data', inputs: {}, outputs: { out: 'table' }, params: {}, messages: {}, run: async () => ({ out: table }) };
}

/** source → rules on both engines; every node's state, messages and outputs (rules, itemsets, the rule model) equal; returns where rules ran. */
async function compare(source: { csv: string } | { table: ColumnTable }, params: Record<string, unknown>): Promise<string> {
  const csv = 'csv' in source;
  const doc: PipelineDocument = {
    format: 'insight-pipeline', version: 1, name: 'rules', description: '', seed: 1, notes: [],
    nodes: [node('src', csv ? 'load' : 'feed', {}), node('rules1', 'rules', params)],
    edges: [{ from: ['src', csv ? 'table' : 'out'], to: ['rules1', 'table'] }],
  };
  let host = {};
  let extra: Record<string, AnyNodeSpec> = {};
  if (csv) {
    const path = join(dir, `r${++files}.csv`);
    writeFileSync(path, source.csv);
    host = { files: { src: path } };
  } else extra = { feed: feedKind(source.table) };
  const a = await runWith('default', doc, extra, host);
  const b = await runWith('duckdb', doc, extra, host);
  for (const n of doc.nodes) {
    expect(b.statuses[n.id]?.state, n.id).toBe(a.statuses[n.id]?.state);
    expect(b.statuses[n.id]?.issues.map((i) => i.message), n.id).toEqual(a.statuses[n.id]?.issues.map((i) => i.message));
    expect(differences(a.outputs[n.id], b.outputs[n.id], TOL, n.id)).toEqual([]);
  }
  const c = b.covered.get('rules1');
  return c?.engine === 'duckdb' ? 'duckdb' : `default: ${c?.reason ?? 'not run'}`;
}

/** 300 invoice lines: 80 invoices over 12 products with awkward names, repeats inside a basket, returns, blanks and padding. */
function invoices(): string {
  const products = ['MILK', ' BREAD ', 'eggs', '"jam, strawberry"', '茶', '🙂 cup', "it's", 'BREAD', 'butter', 'tea', 'coffee', '-- x'];
  const lines = ['InvoiceNo,StockCode,Quantity'];
  let seed = 5;
  const next = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  for (let r = 0; r < 300; r++) {
    const invoice = next() < 0.03 ? '' : String(536000 + Math.floor(next() * 80));
    const product = next() < 0.03 ? '' : (products[Math.floor(next() * next() * products.length)] ?? '');
    const qty = next() < 0.06 ? -1 : next() < 0.02 ? '' : Math.ceil(next() * 4);
    lines.push(`${invoice},${product},${qty}`);
  }
  return `${lines.join('\n')}\n`;
}

const params = { basketColumn: 'InvoiceNo', itemColumn: 'StockCode', quantityColumn: 'Quantity', minSupport: 0.05, minConfidence: 0.2, minLength: 1 };

describe('--engine duckdb: the counting part of rules as SQL equals the kernel', () => {
  it('a loaded invoice file (numeric invoices, padded and Unicode items, repeats, returns, blanks): same rules, itemsets, model and warning', async () => {
    expect(await compare({ csv: invoices() }, params)).toBe('duckdb');
    expect(await compare({ csv: invoices() }, { ...params, quantityColumn: '', maxConsequent: 2, maxRules: 5 })).toBe('duckdb');
  });

  it('numeric items (named by their JS text, -0 as 0), degenerate baskets (single items, identical, none)', async () => {
    const numeric = aq.table({ b: ['x', 'x', 'y', 'y', 'z'], i: [1.5, -0, 0, 1.5, 1e21] });
    expect(await compare({ table: numeric }, { basketColumn: 'b', itemColumn: 'i', minSupport: 0.3, minConfidence: 0.1 })).toBe('duckdb');
    const single = aq.table({ b: ['x', 'y', 'z'], i: ['a', 'b', 'a'] });
    expect(await compare({ table: single }, { basketColumn: 'b', itemColumn: 'i', minSupport: 0.3 })).toBe('duckdb');
    const identical = aq.table({ b: ['x', 'x', 'y', 'y'], i: ['a', 'b', 'b', 'a'] });
    expect(await compare({ table: identical }, { basketColumn: 'b', itemColumn: 'i', minSupport: 0.3 })).toBe('duckdb');
    const none = aq.table({ b: ['', null], i: ['a', 'b'] });
    expect(await compare({ table: none }, { basketColumn: 'b', itemColumn: 'i' })).toBe('duckdb');
  });

  it('declines, saying why, a text quantity column and a missing column; the default engine then gives the same result', async () => {
    const t = aq.table({ b: ['x', 'y'], i: ['a', 'b'], q: ['1', 'two'] });
    expect(await compare({ table: t }, { basketColumn: 'b', itemColumn: 'i', quantityColumn: 'q' })).toMatch(/quantity column "q" is not numbers/);
    expect(await compare({ table: t }, { basketColumn: 'nope', itemColumn: 'i' })).toMatch(/"nope" is not in the input/);
  });
});
