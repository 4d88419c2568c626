import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import { afterAll, describe, expect, it } from 'vitest';
import { saltedSha256 } from '../../src/data/anonymise.ts';
import type { PipelineDocument } from '../../src/engine/document.ts';
import type { AnyNodeSpec } from '../../src/engine/node.ts';
import { isTable } from '../../src/engine/port-codec.ts';
import { differences, runWith } from './compare.ts';

const TOL = 1e-9;
const dir = mkdtempSync(join(tmpdir(), 'insight-sql-anonymise-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function feedKind(table: ColumnTable): AnyNodeSpec {
  return { kind: 'feed', version: 1, label: 'Feed', description: '', category: 'data', inputs: {}, outputs: { out: 'table' }, params: {}, messages: {}, run: async () => ({ out: table }) };
}

function node(id: string, kind: string, params: Record<string, unknown>): PipelineDocument['nodes'][number] {
  return { id, kind, version: 1, params, position: [0, 0], note: '' };
}

/** feed → anonymise on both engines (the table enters DuckDB at the boundary); returns where anonymise ran, the default engine's issue codes and the DuckDB output. */
async function compare(table: ColumnTable, params: Record<string, unknown>): Promise<{ where: string; codes: string[]; out: ColumnTable }> {
  const doc: PipelineDocument = {
    format: 'insight-pipeline', version: 1, name: 'anonymise', description: '', seed: 7, notes: [],
    nodes: [node('feed', 'feed', {}), node('anon', 'anonymise', params)],
    edges: [{ from: ['feed', 'out'], to: ['anon', 'table'] }],
  };
  const a = await runWith('default', doc, { feed: feedKind(table) });
  const b = await runWith('duckdb', doc, { feed: feedKind(table) });
  expect(b.statuses.anon?.state).toBe(a.statuses.anon?.state);
  expect(b.statuses.anon?.issues.map((i) => i.message)).toEqual(a.statuses.anon?.issues.map((i) => i.message));
  expect(differences(a.outputs.anon, b.outputs.anon, TOL, 'anon')).toEqual([]);
  const c = b.covered.get('anon');
  const out = b.outputs.anon?.table;
  return { where: c?.engine === 'duckdb' ? 'duckdb' : `default: ${c?.reason ?? ''}`, codes: (a.statuses.anon?.issues ?? []).map((i) => i.code), out: isTable(out) ? out : aq.table({}) };
}

const people = () =>
  aq.table({
    email: ['ann@example.com', "o'brien@x.ie", null, '王小明@例子.中国', 'a; DROP TABLE t; --', '🙂\n"x"', '', 'ann@example.com'],
    name: ['Ann', 'Seán', 'שלום', null, '\\N', 'Bob', 'Cy', 'Ann'],
    age: [34, 90, -2, 17.9, null, 0, 101, -5],
    spend: [10, 20, 30, 40, 50, 60, 70, 80],
  });

describe('--engine duckdb: anonymise as SQL equals the kernel', () => {
  it('hashes text columns (Unicode, quotes, an empty string, missing) with a chosen salt, cut to 12 characters, and bands ages with the warning for negative ones', async () => {
    const r = await compare(people(), { hash: ['email', 'name'], salt: "s'alt 盐 🙂", hashChars: 12, ageColumn: 'age', bandWidth: 10, topCode: 90 });
    expect(r.where).toBe('duckdb');
    expect(r.codes).toEqual(['anonymise.negativeAges']);
    // Against the kernel's own function, not only against the other engine.
    expect(r.out.array('email')[0]).toBe(await saltedSha256("s'alt 盐 🙂", 'ann@example.com', 12));
    expect(Array.from(r.out.array('age'))).toEqual(['30-39', '90+', null, '10-19', null, '0-9', '90+', null]);
  });

  it('an empty salt is derived from the seed and node id (with the warning); drop; width 1; no top code', async () => {
    const r = await compare(people(), { hash: ['email'], drop: ['name'], ageColumn: 'age', bandWidth: 1, topCode: 0 });
    expect(r.where).toBe('duckdb');
    expect(r.codes).toEqual(['anonymise.derivedSalt', 'anonymise.negativeAges']);
    expect(r.out.columnNames()).toEqual(['email', 'age', 'spend']);
  });

  it('nothing chosen passes the table through with the warning; a dropped age column is neither banded nor checked', async () => {
    expect((await compare(people(), {})).codes).toEqual(['anonymise.nothingChosen']);
    const r = await compare(people(), { drop: ['age'], ageColumn: 'age', hash: ['name'], salt: 'x' });
    expect(r.where).toBe('duckdb');
    expect(r.codes).toEqual([]);
  });

  it('declines, saying why, a hashed column of numbers or dates, a missing column and a column both dropped and hashed; the default engine then gives the same result', async () => {
    expect((await compare(people(), { hash: ['spend'], salt: 'x' })).where).toMatch(/^default: hashed column "spend" holds numbers: DuckDB writes a number as text differently/);
    const dated = people().assign(aq.table({ when: Array.from({ length: people().numRows() }, (_, i) => new Date(Date.UTC(2024, 0, 1 + i))) }));
    expect((await compare(dated, { hash: ['when'], salt: 'x' })).where).toMatch(/holds dates/);
    expect((await compare(people(), { hash: ['nope'], salt: 'x' })).where).toMatch(/"nope" is not in the input/);
    expect((await compare(people(), { hash: ['name'], drop: ['name'], salt: 'x' })).where).toMatch(/both dropped and hashed/);
    expect((await compare(people().assign(aq.table({ age: Array.from(people().array('name')) })), { ageColumn: 'age' })).where).toMatch(/age column "age" is not numbers/);
  });

  it('reads a loaded file in DuckDB: load → anonymise both in DuckDB, equal', async () => {
    const path = join(dir, 'people.csv');
    writeFileSync(path, 'id,email,age\n1,ann@example.com,34\n2,"o\'brien@x.ie",-1\n3,,55.5\n4,"名字 ""q""",\n');
    const doc: PipelineDocument = {
      format: 'insight-pipeline', version: 1, name: 'anonymise file', description: '', seed: 3, notes: [],
      nodes: [node('load1', 'load', {}), node('anon', 'anonymise', { hash: ['email'], salt: 'pepper', ageColumn: 'age' })],
      edges: [{ from: ['load1', 'table'], to: ['anon', 'table'] }],
    };
    const a = await runWith('default', doc, {}, { files: { load1: path } });
    const b = await runWith('duckdb', doc, {}, { files: { load1: path } });
    expect(b.statuses.anon?.issues.map((i) => i.message)).toEqual(a.statuses.anon?.issues.map((i) => i.message));
    expect(differences(a.outputs.anon, b.outputs.anon, TOL, 'anon')).toEqual([]);
    expect(Object.fromEntries([...b.covered].map(([id, c]) => [id, c.engine]))).toEqual({ load1: 'duckdb', anon: 'duckdb' });
  });
});
