import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PipelineDocument } from '../../src/engine/document.ts';
import { differences, runWith } from './compare.ts';

const TOL = 1e-9;
const dir = mkdtempSync(join(tmpdir(), 'insight-sql-load-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

function node(id: string, kind: string, params: Record<string, unknown>): PipelineDocument['nodes'][number] {
  return { id, kind, version: 1, params, position: [0, 0], note: '' };
}

/** load → clean (→ features when given) over a file. */
function doc(load: Record<string, unknown>, clean: Record<string, unknown> | null, features: Record<string, unknown> | null = null): PipelineDocument {
  const nodes = [node('load1', 'load', load)];
  const edges: PipelineDocument['edges'] = [];
  if (clean) {
    nodes.push(node('clean1', 'clean', clean));
    edges.push({ from: ['load1', 'table'], to: ['clean1', 'table'] });
  }
  if (features && clean) {
    nodes.push(node('features1', 'features', features));
    edges.push({ from: ['clean1', 'table'], to: ['features1', 'table'] });
  }
  return { format: 'insight-pipeline', version: 1, name: 'load and clean', description: '', seed: 1, notes: [], nodes, edges };
}

/** Runs both engines on `content` and checks every node's state, messages and outputs; returns where each node ran. */
async function compare(content: string | Uint8Array, load: Record<string, unknown> = {}, clean: Record<string, unknown> | null = {}, features: Record<string, unknown> | null = null, ext = 'csv'): Promise<Record<string, string>> {
  const path = join(dir, `f${++files}.${ext}`);
  writeFileSync(path, content);
  const d = doc(load, clean, features);
  const host = { files: { load1: path } };
  const a = await runWith('default', d, {}, host);
  const b = await runWith('duckdb', d, {}, host);
  for (const n of d.nodes) {
    expect(b.statuses[n.id]?.state, n.id).toBe(a.statuses[n.id]?.state);
    expect(b.statuses[n.id]?.issues.map((i) => i.message), n.id).toEqual(a.statuses[n.id]?.issues.map((i) => i.message));
    expect(differences(a.outputs[n.id], b.outputs[n.id], TOL, n.id)).toEqual([]);
  }
  return Object.fromEntries([...b.covered].map(([id, c]) => [id, c.engine === 'duckdb' ? 'duckdb' : `default: ${c.reason}`]));
}

const retail = [
  'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country',
  '536365,85123,"WHITE HANGING, HEART",6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom',
  '536365,85123,"WHITE HANGING, HEART",6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom',
  'C536366,22633,  HAND WARMER  ,-2,2010-12-01 08:28:00,1.85,17850.0,United Kingdom',
  '536367,84879,"say ""hi""",32,2010-12-01 08:34:00,1.69,13047.0, France',
  '536368,22960,JAM MAKING SET,0,2010-12-02 09:00:00,4.25,,Germany',
  '536369,21756,BATH BUILDING BLOCK WORD,3,2010-12-03 10:00:00,0,13047.0,NA',
  '536370,21755,"multi',
  'line",12,2011-01-04 11:00:00,0.85,12583.0,France',
];
const cleanParams = { dropDuplicates: true, conditions: [{ column: 'InvoiceNo', op: 'not-starts-with', value: 'C' }, { column: 'Quantity', op: '>', value: 0 }, { column: 'UnitPrice', op: '>', value: '0' }, { column: 'CustomerID', op: 'not-missing', value: null }] };
const featureParams = { customer: 'CustomerID', invoice: 'InvoiceNo', time: 'InvoiceDate', quantity: 'Quantity', price: 'UnitPrice', product: 'StockCode' };

describe('--engine duckdb: load (DuckDB reads the file) and clean equal the default engine', () => {
  it('a retail extract (quoted commas, doubled quotes, a line break in a field, duplicates, conditions), load → clean → features all in DuckDB', async () => {
    const covered = await compare(`${retail.join('\n')}\n`, {}, cleanParams, featureParams);
    expect(covered).toEqual({ load1: 'duckdb', clean1: 'duckdb', features1: 'duckdb' });
  });

  it('CRLF line ends, a byte-order mark, a semicolon delimiter and a TSV file', async () => {
    expect((await compare(`\ufeff${retail.join('\r\n')}\r\n`, {}, cleanParams)).load1).toBe('duckdb');
    expect((await compare(retail.map((l) => l.replaceAll(',', ';')).join('\n'), {}, {})).load1).toBe('duckdb');
    expect((await compare('a\tb\n1\tx\n2\ty\n', {}, {}, null, 'tsv')).load1).toBe('duckdb');
  });

  it('the number grammar: leading zeros and 16-digit ids stay text, -0, exponents, spaces, markers and non-finite cells are counted', async () => {
    const csv = ['zip,big,n,m,f,e', '0123,1234567890123456,-0,1e3, 2.5 ,NA', '0456,1234567890123457,5,2.5e-3,-,1e309', '0789,12,-.5,+7,?,Infinity', ',,,,null,3'].join('\n');
    expect((await compare(csv, {}, null)).load1).toBe('duckdb');
  });

  it('dates: year first with times, fractions, zones and AM/PM; A/B/YYYY decided, ambiguous and conflicting; out of range → text', async () => {
    const csv = [
      'iso,zoned,decided,ambiguous,conflict,invalid,mixed',
      '2011-12-09,2011-12-09T10:30:15.123456Z,13/01/2011,01/02/2011,13/01/2011,2011-02-30,2011-01-01',
      '2011/1/5 7:05,2011-12-09 10:30 +05:30,1/2/2011 10:00 PM,03/04/2011,01/13/2011,2011-01-01,hello',
      'NA,2011-12-09 10:30:00 -0800,2.3.2011,,,2011-13-01,2011-01-01',
      '2011.12.09 23:59:59,2011-12-09 12:00 am,04-05-2011 1:00 am,05/06/2011 08:00,02/02/2011,2011-01-01,2011-01-01',
    ].join('\n');
    expect((await compare(csv, {}, {})).load1).toBe('duckdb');
    expect((await compare(csv, { dateOrder: 'month-first' }, null)).load1).toBe('duckdb');
  });

  it('the inference fast paths (a plain date DuckDB cannot cast, hour 24, letters no number starts with) decide as the kernel does, and helper-like column names do not clash', async () => {
    const csv = ['ok,p,yf,__x0,when,late', '2011-02-30 10:00:00,Infinity,none,x1,2011-01-01 10:00:00,2011-01-01 24:00:00', '2011-01-01,inf,yes,Nope,2011/02/03 04:05,2011-01-02 10:00:00', '2011-03-01 23:59:59,-1e999,N/A,#,2011-01-03,2011-01-03'].join('\n');
    expect((await compare(csv, {}, {})).load1).toBe('duckdb');
    expect((await compare('plain,general\n2011-01-01 10:00,1/2/2011\n2011-12-31,13/2/2011\n', {}, {})).load1).toBe('duckdb');
  });

  it('a header and no rows gives the same empty table', async () => {
    expect(await compare('a,b\n', {}, {})).toEqual({ load1: 'duckdb', clean1: 'duckdb' });
  });

  it('blank, repeated and reserved header names are renamed the same way; no header row reads col1, col2', async () => {
    expect((await compare('a,,a,__proto__\n1,2,3,4\n', {}, {})).load1).toBe('duckdb');
    expect((await compare('1,x\n2,y\n', { header: false }, {})).load1).toBe('duckdb');
  });

  it('trim: cells of whitespace become missing, Unicode spaces are trimmed as JS trims them, and every-row-removed warns', async () => {
    const csv = ['name,v', '\u00a0a\u3000,1', '   ,2', ' b,3', 'c ,4'].join('\n');
    expect((await compare(csv, {}, { dropDuplicates: true })).clean1).toBe('duckdb');
    expect((await compare(csv, {}, { conditions: [{ column: 'v', op: '>', value: 10 }] })).clean1).toBe('duckdb');
    expect((await compare(csv, {}, { trim: false })).clean1).toBe('duckdb');
  });

  it('duplicates: missing equals missing, -0 equals 0, cells equal once trimmed, far apart in the file, the first kept; rows differing in one column stay', async () => {
    const csv = ['a,b,c', '1,x,-0', '1,x,0', ', ,2', ',,2', '3, y,5', '3,y ,5', '3,y,6', '4,z,7', '1,x,0', '1,X,0', '4,z,7'].join('\n');
    expect((await compare(csv, {}, { dropDuplicates: true })).clean1).toBe('duckdb');
    expect((await compare(csv, {}, { dropDuplicates: true, trim: false })).clean1).toBe('duckdb');
  });

  it('conditions on dates, text equality, contains and is-missing run in DuckDB; text ordered with < stays in the default engine', async () => {
    const csv = ['d,t,v', '2011-01-01,abc,1', '2011-06-01,xbcx,', '2012-01-01,abc,3', ',,4'].join('\n');
    const conditions = [{ column: 'd', op: '>=', value: '2011-03-01' }, { column: 't', op: 'contains', value: 'bc' }, { column: 'v', op: 'is-missing', value: null }];
    expect((await compare(csv, {}, { conditions })).clean1).toBe('duckdb');
    expect((await compare(csv, {}, { conditions: [{ column: 't', op: '==', value: 'abc' }, { column: 't', op: '!=', value: 'x' }] })).clean1).toBe('duckdb');
    expect((await compare(csv, {}, { conditions: [{ column: 't', op: '<', value: 'b' }] })).clean1).toMatch(/^default: text ordered/);
  });

  it('a text column of loosely written numbers whose one word is its last cell, or that is empty but for a zero-padded id, is no number column: clean runs in DuckDB, equal', async () => {
    expect((await compare('a,b\n"1,234.50",x\n$12,y\n7,z\nfree,w\n', {}, {})).clean1).toBe('duckdb');
    expect((await compare('a,b\n,x\n,y\n"007",z\n', {}, {})).clean1).toBe('duckdb');
    expect((await compare('a,b\n"1,234.50",x\n,y\n$12,z\n', {}, {})).clean1).toMatch(/^default: .*loosely written numbers/);
  });
});

describe('--engine duckdb: what load and clean leave to the default engine, and say so', () => {
  const cases: { name: string; content: string | Uint8Array; load?: Record<string, unknown>; clean?: Record<string, unknown>; node: string; reason: RegExp }[] = [
    { name: 'an empty file', content: '', node: 'load1', reason: /empty/ },
    { name: 'a ragged row', content: 'a,b\n1,2\n3\n', node: 'load1', reason: /fewer fields|refused/ },
    { name: 'text after a closing quote', content: 'a,b\n"x"y,2\n', node: 'load1', reason: /refused/ },
    { name: 'bytes that are not UTF-8', content: new Uint8Array([0x61, 0x0a, 0xe9, 0x74, 0xe9, 0x0a]), node: 'load1', reason: /UTF-8/ },
    { name: 'a true/false column', content: 'a,b\ntrue,1\nFALSE,2\n', node: 'load1', reason: /true\/false/ },
    { name: 'a column named with the SQL engine’s own prefix', content: '__insight_x:0,b\n1,2\n', node: 'load1', reason: /__insight_/ },
    { name: 'a chosen column type', content: 'a,b\n1,2\n', load: { types: { a: 'text' } }, node: 'load1', reason: /chosen column types/ },
    { name: 'a windows-1252 encoding', content: 'a,b\n1,2\n', load: { encoding: 'windows-1252' }, node: 'load1', reason: /encoding/ },
    { name: 'a text column of loosely written numbers', content: 'a,b\n"1,234.50",x\n$12,y\n', node: 'clean1', reason: /loosely written numbers/ },
    { name: 'a missing-value strategy', content: 'a,b\n1,x\n,y\n', clean: { missing: { a: 'mean' } }, node: 'clean1', reason: /strategies/ },
    { name: 'an outlier treatment', content: 'a,b\n1,x\n2,y\n', clean: { outliers: 'clip', outlierColumns: ['a'] }, node: 'clean1', reason: /outlier/ },
    { name: 'a condition value that is not a number', content: 'a,b\n1,x\n2,y\n', clean: { conditions: [{ column: 'a', op: '>', value: 'lots' }] }, node: 'clean1', reason: /not a number/ },
  ];
  for (const c of cases) {
    it(`${c.name}: same states, messages and outputs, and a reason`, async () => {
      const covered = await compare(c.content, c.load ?? {}, c.clean ?? {});
      expect(covered[c.node] ?? 'default: did not run').toMatch(/^default: /);
      expect(covered[c.node] ?? '').toMatch(c.reason);
    });
  }
});

describe('--engine duckdb: load and clean keep user text as data', () => {
  it('column names and values with quotes, semicolons, -- and Unicode pass through unchanged', async () => {
    const names = ['it\'s "q"', 'a; DROP TABLE x; --', '客户 🙂'];
    const header = names.map((n) => `"${n.replaceAll('"', '""')}"`).join(',');
    const rows = [`"O'Brien; DROP TABLE t; --","'); DELETE FROM y; --",名字 🙂`, `"say ""x""",--,1`, `"O'Brien; DROP TABLE t; --","'); DELETE FROM y; --",名字 🙂`];
    const conditions = [{ column: names[0], op: '!=', value: "'; DROP TABLE z; --" }, { column: names[2], op: 'starts-with', value: '名' }];
    const covered = await compare(`${header}\n${rows.join('\n')}\n`, {}, { dropDuplicates: true, conditions });
    expect(covered).toEqual({ load1: 'duckdb', clean1: 'duckdb' });
  });
});
