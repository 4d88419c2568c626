/**
 * A fresh adversarial pass over the CLI, most of it generated: every param of every registered
 * node kind gets hostile values from its declaration; malformed documents (unknown kinds,
 * cycles, dangling edges, duplicate ids, huge keys); hostile CSV and JSON files; odd --input
 * paths. Every case ends in a result or a declared message: exit 2 for bad input, one short
 * line naming the field and value, never a stack trace, an "Unexpected failure" or a crash.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/insight.ts';
import { nodeRegistry } from '../../nodes/index.ts';
import { loadPipeline } from '../../src/engine/validate.ts';

const dir = mkdtempSync(join(tmpdir(), 'insight-adversarial-'));
let serial = 0;

function file(name: string, content: string | Uint8Array): string {
  const path = join(dir, `${serial++}-${name}`);
  writeFileSync(path, content);
  return path;
}

const node = (id: unknown, kind: unknown, params: unknown = {}, extra: Record<string, unknown> = {}) => ({ id, kind, version: 1, params, position: [0, 0], note: '', ...extra });
const doc = (nodes: unknown, edges: unknown = [], extra: Record<string, unknown> = {}) => ({ format: 'insight-pipeline', version: 1, name: 'adversarial', seed: 1, nodes, edges, ...extra });

/** Runs the command in this process; returns the exit code and stderr. */
async function insight(...args: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += typeof chunk === 'string' ? chunk : new TextDecoder().decode(chunk);
    return true;
  });
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    return { code: await main(args), stderr };
  } finally {
    err.mockRestore();
    out.mockRestore();
  }
}

/** The lines starting "insight:" (the verdicts). */
const verdicts = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('insight:'));

/** What every refusal must look like: exit 2, short single lines, no trace of a crash. */
function expectDeclaredRefusal(r: { code: number; stderr: string }, says: string | RegExp): void {
  expect(r.code).toBe(2);
  const lines = verdicts(r.stderr);
  expect(lines.length).toBeGreaterThan(0);
  for (const line of lines) expect(line.length).toBeLessThanOrEqual(300);
  expect(lines.join('\n')).toMatch(typeof says === 'string' ? new RegExp(says.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : says);
  expect(r.stderr).not.toMatch(/\n\s+at |Unexpected failure|unexpected failure|Maximum call stack/);
}

afterEach(() => vi.restoreAllMocks());

const long = 'x'.repeat(100_000);
/** Hostile values tried on every param of every kind (JSON-representable, as a document is). */
const hostile: [string, unknown][] = [
  ['null', null],
  ['true', true],
  ['a negative number', -1],
  ['a fraction', 1.5],
  ['1e308', 1e308],
  ['-1e308', -1e308],
  ['2^53 + 1', 2 ** 53 + 1],
  ['the string "NaN"', 'NaN'],
  ['the string "Infinity"', 'Infinity'],
  ['the string "5"', '5'],
  ['an empty string', ''],
  ['a 100k-character string', long],
  ['an empty object', {}],
  ['an empty array', []],
  ['[null]', [null]],
  ['[1, 2]', [1, 2]],
  ['{"constructor": 1}', JSON.parse('{"constructor": 1}')],
  ['{"a": "NaN"}', { a: 'NaN' }],
  ['a nested object', { a: { b: { c: [1] } } }],
  ['20,000 column names', Array.from({ length: 20_000 }, (_, i) => `c${i}`)],
];

const paramCases = Object.entries(nodeRegistry).flatMap(([kind, spec]) => Object.keys(spec.params).flatMap((param) => hostile.map(([label, value]) => ({ kind, param, label, value }))));

describe('every param of every node kind against hostile values (generated from the declarations)', () => {
  it(`gives ${paramCases.length} cases each a valid document or a problem naming the node, the param and at most ~80 characters of the value`, () => {
    const failures: string[] = [];
    let refused = 0;
    for (const { kind, param, label, value } of paramCases) {
      const version = nodeRegistry[kind]?.version ?? 1;
      const result = loadPipeline(doc([{ ...node('n1', kind, { [param]: value }), version }]), nodeRegistry);
      if (result.ok) continue;
      refused++;
      const named = result.problems.filter((p) => p.nodeId === 'n1' && p.param === param && p.message.includes(`"${param}"`));
      if (named.length === 0) failures.push(`${kind}.${param} = ${label}: ${result.problems.map((p) => p.message).join(' | ').slice(0, 200)}`);
      for (const p of result.problems) if (p.message.length > 300) failures.push(`${kind}.${param} = ${label}: a ${p.message.length}-character message`);
    }
    expect(failures).toEqual([]);
    // Most hostile values are wrong for most params; the count guards against a checker that accepts anything.
    expect(refused).toBeGreaterThan(paramCases.length * 0.8);
  });

  it.each(Object.keys(nodeRegistry))('insight validate refuses a %s node whose first param is a 100k-character object key, with exit 2 and one short line', async (kind) => {
    const spec = nodeRegistry[kind];
    const first = Object.keys(spec?.params ?? {})[0] ?? 'x';
    const r = await insight('validate', file(`${kind}.json`, JSON.stringify(doc([{ ...node('n1', kind, { [first]: { [long]: long } }), version: spec?.version ?? 1 }]))));
    expectDeclaredRefusal(r, `Node "n1" parameter "${first}"`);
  });
});

const L = 'y'.repeat(100_000);
const badDocuments: { name: string; content: string; says: string | RegExp }[] = [
  { name: 'an unknown kind', content: JSON.stringify(doc([node('a', 'nope')])), says: 'Node "a" has unknown kind "nope"' },
  { name: 'the kind "constructor"', content: JSON.stringify(doc([node('a', 'constructor')])), says: 'Node "a" has unknown kind "constructor"' },
  { name: 'the kind "__proto__"', content: JSON.stringify(doc([node('a', '__proto__')])), says: 'field "kind"' },
  { name: 'a 100k-character node id', content: JSON.stringify(doc([node(L, 'load')])), says: 'field "id" ($.nodes[0].id)' },
  { name: 'a 100k-character param name', content: JSON.stringify(doc([node('a', 'load', { [L]: 1 })])), says: 'Node "a" (load) has no parameter "yyy' },
  { name: 'a 100k-character top-level key', content: JSON.stringify({ ...doc([]), [L]: 1 }), says: 'there is no such field in a pipeline document' },
  { name: 'params as an array', content: JSON.stringify(doc([node('a', 'load', [1, 2])])), says: 'has no parameter "0"' },
  { name: 'params null', content: JSON.stringify(doc([node('a', 'load', null)])), says: 'Node "a" field "params"' },
  { name: 'a node version newer than the kind', content: JSON.stringify(doc([{ ...node('a', 'load'), version: 999 }])), says: 'Node "a" (load) has version 999; this studio knows up to version 1.' },
  { name: 'a fractional node version', content: JSON.stringify(doc([{ ...node('a', 'load'), version: 1.5 }])), says: 'expected a whole number, got 1.5' },
  { name: 'a document version from the future', content: JSON.stringify({ ...doc([]), version: 999 }), says: 'This document has version 999' },
  { name: 'the document version as a string', content: JSON.stringify({ ...doc([]), version: '1' }), says: 'Field "version" must be a whole number from 1, got "1".' },
  { name: 'nodes as an object', content: JSON.stringify(doc({ a: 1 })), says: 'Field $.nodes: expected Array' },
  { name: 'an edge from a missing node', content: JSON.stringify(doc([node('a', 'load'), node('b', 'clean')], [{ from: ['zz', 'table'], to: ['b', 'table'] }])), says: 'there is no node "zz"' },
  { name: 'an edge from a missing port', content: JSON.stringify(doc([node('a', 'load'), node('b', 'clean')], [{ from: ['a', 'nope'], to: ['b', 'table'] }])), says: 'node "a" (load) has no output "nope"' },
  { name: 'an edge into a missing port', content: JSON.stringify(doc([node('a', 'load'), node('b', 'clean')], [{ from: ['a', 'table'], to: ['b', 'nope'] }])), says: 'node "b" (clean) has no input "nope"' },
  { name: 'an edge of the wrong shape', content: JSON.stringify(doc([node('a', 'load')], [{ from: 'a', to: 'b' }])), says: 'Edge 1 ($.edges[0].from): expected Array' },
  { name: 'a self loop', content: JSON.stringify(doc([node('b', 'clean')], [{ from: ['b', 'table'], to: ['b', 'table'] }])), says: 'The pipeline has a cycle: b → b.' },
  { name: 'a two-node cycle', content: JSON.stringify(doc([node('a', 'clean'), node('b', 'clean')], [{ from: ['a', 'table'], to: ['b', 'table'] }, { from: ['b', 'table'], to: ['a', 'table'] }])), says: 'The pipeline has a cycle: a → b → a.' },
  { name: 'two edges into one input', content: JSON.stringify(doc([node('a', 'load'), node('a2', 'load'), node('b', 'clean')], [{ from: ['a', 'table'], to: ['b', 'table'] }, { from: ['a2', 'table'], to: ['b', 'table'] }])), says: 'an input takes one edge' },
  { name: 'a table feeding a predictions input', content: JSON.stringify(doc([node('a', 'load'), node('b', 'evaluate')], [{ from: ['a', 'table'], to: ['b', 'predictions'] }])), says: 'a table output cannot feed a predictions input' },
  { name: 'duplicate node ids (three of them)', content: JSON.stringify(doc([node('d', 'clean'), node('d', 'clean'), node('d', 'load')])), says: 'Two nodes share the id "d".' },
  { name: '10,000 nodes', content: JSON.stringify(doc(Array.from({ length: 10_000 }, (_, i) => node(`n${i}`, 'clean')))), says: 'Field $.nodes: expected at most 500 items' },
  { name: 'a seed of 1e20', content: JSON.stringify(doc([], [], { seed: 1e20 })), says: 'Field $.seed: expected a number of at most 4294967295' },
  { name: 'the seed "NaN"', content: JSON.stringify(doc([], [], { seed: 'NaN' })), says: 'Field $.seed: expected number, got "NaN".' },
  { name: 'a NaN literal', content: '{"format":"insight-pipeline","version":1,"name":"x","seed":NaN,"nodes":[],"edges":[]}', says: 'malformed JSON' },
  { name: 'the position ["NaN", 0]', content: JSON.stringify(doc([{ ...node('a', 'load'), position: ['NaN', 0] }])), says: 'field "position.0"' },
  { name: 'a 2 MB note', content: JSON.stringify(doc([{ ...node('a', 'load'), note: 'n'.repeat(2_000_000) }])), says: 'expected at most 20000 items or characters' },
  { name: 'a note without its id', content: JSON.stringify(doc([], [], { notes: [{ text: 'x', position: [0, 0] }] })), says: 'Field $.notes[0].id: the field is missing.' },
  { name: 'a url param nested 50,000 levels deep', content: JSON.stringify(doc([node('a', 'load', { url: 'DEEP' })])).replace('"DEEP"', `${'['.repeat(50_000)}${']'.repeat(50_000)}`), says: 'The document nests deeper than 64 levels at $.nodes[0].params.url' },
  { name: 'control characters in an id', content: JSON.stringify(doc([node('a\u0000\u001b[31m\nb', 'load')])), says: 'field "id"' },
  { name: 'a truncated document', content: JSON.stringify(doc([node('a', 'load')])).slice(0, 40), says: 'malformed JSON' },
  { name: 'a JSON array', content: '[1,2,3]', says: 'A pipeline document must be a JSON object, got [1,2,3].' },
];

describe('insight validate and run on malformed documents', () => {
  it.each(badDocuments)('validate and run both exit 2 with short lines for $name', async ({ name, content, says }) => {
    const path = file(`${name.replace(/\W+/g, '-').slice(0, 40)}.json`, content);
    expectDeclaredRefusal(await insight('validate', path), says);
    expectDeclaredRefusal(await insight('run', path, '--out', join(dir, 'out-doc')), says);
  });

  it('reads a pipeline file that starts with a UTF-8 byte-order mark', async () => {
    const r = await insight('validate', file('bom.json', `\uFEFF${JSON.stringify(doc([node('a', 'load')]))}`));
    expect(r.code).toBe(0);
  });
});

const loadOnly = file('load.json', JSON.stringify(doc([node('load1', 'load')])));

/** Runs the load node on a file; returns the exit code, stderr and the written table (or null). */
async function load(name: string, content: string | Uint8Array): Promise<{ code: number; stderr: string; table: string | null }> {
  const out = join(dir, `out-${serial++}`);
  const r = await insight('run', loadOnly, '--input', `load1=${file(name, content)}`, '--out', out);
  let table: string | null = null;
  try {
    table = readFileSync(join(out, 'load1.table.csv'), 'utf8');
  } catch {
    table = null;
  }
  return { ...r, table };
}

const wide = (n: number, prefix = 'c') => Array.from({ length: n }, (_, i) => `${prefix}${i}`).join(',');
const readable: { name: string; file: string; content: string | Uint8Array; table: string; warns?: string }[] = [
  { name: 'duplicate column names', file: 'dup.csv', content: 'a,a,A,a\n1,2,3,4\n', table: 'a,a_2,A,a_3\n1,2,3,4\n', warns: '2 column names in' },
  { name: 'empty column names', file: 'blank.csv', content: ',,b\n1,2,3\n', table: 'column_1,column_2,b\n1,2,3\n', warns: 'were blank, repeated' },
  { name: 'a 100k-character column name', file: 'longname.csv', content: `${'n'.repeat(100_000)},b\n1,2\n`, table: `${'n'.repeat(100_000)},b\n1,2\n` },
  { name: 'a header and no rows', file: 'header.csv', content: 'a,b,c', table: 'a,b,c\n' },
  { name: 'mixed line endings (CRLF, LF, CR)', file: 'mixed.csv', content: 'a,b\r\n1,2\n3,4\r5,6\r\n', table: 'a,b\n1,2\n3,4\n5,6\n' },
  { name: "Excel's sep=; first line", file: 'excel.csv', content: 'sep=;\r\na;b\r\n1;2\r\n3;4\r\n', table: 'a,b\n1,2\n3,4\n' },
  { name: "Excel's sep=| after a byte-order mark", file: 'excel-bom.csv', content: '\uFEFFsep=|\na|b\n1|2\n', table: 'a,b\n1,2\n' },
  { name: 'a 20 MB single value', file: 'huge-value.csv', content: `a\n${'x'.repeat(20_000_000)}\n`, table: `a\n${'x'.repeat(20_000_000)}\n` },
  { name: '20,000 columns', file: 'wide.csv', content: `${wide(20_000)}\n${wide(20_000, '')}\n`, table: `${wide(20_000)}\n${wide(20_000, '')}\n` },
  { name: 'cells 1e309, -1e309 and NaN', file: 'nonfinite.csv', content: 'a,b\n1,NaN\n1e309,2\n-1e309,3\n', table: 'a,b\n1,\n,2\n,3\n', warns: 'are not finite numbers' },
  { name: 'a spreadsheet formula in a cell (written quoted, not as a formula)', file: 'formula.csv', content: 'a,b\n=cmd|calc,1\n', table: "a,b\n'=cmd|calc,1\n" },
  { name: 'JSON with a duplicate key (the last wins, as JSON.parse does)', file: 'dupkey.json', content: '[{"a":1,"a":2}]', table: 'a\n2\n' },
  { name: 'NDJSON rows with different keys', file: 'keys.ndjson', content: '{"a":1}\n{"b":2}\n', table: 'a,b\n1,\n,2\n' },
  { name: 'NDJSON keyed by Object.prototype names, CRLF, no last line break', file: 'proto.ndjson', content: '{"constructor":1,"__proto__":"x"}\r\n{"toString":2}', table: 'constructor,__proto___2,toString\n1,x,\n,,2\n', warns: 'the reserved name "__proto__"' },
  { name: 'NDJSON in Windows-1252 (read as such, and said so)', file: 'latin.ndjson', content: Uint8Array.from([...new TextEncoder().encode('{"name":"Caf'), 0xe9, ...new TextEncoder().encode('"}\n')]), table: 'name\nCafé\n', warns: 'it was read as "windows-1252"' },
];

const refused: { name: string; file: string; content: string | Uint8Array; says: string }[] = [
  { name: 'a NUL byte in the header', file: 'nul.csv', content: 'a\u0000b,c\n1,2\n', says: 'is not a text table: "it holds binary data (a NUL byte at offset 1)"' },
  { name: 'UTF-16 text', file: 'utf16.csv', content: new Uint8Array([0xff, 0xfe, ...Array.from(new TextEncoder().encode('a,b\n1,2\n')).flatMap((b) => [b, 0])]), says: 'it is UTF-16 text; save it as UTF-8' },
  { name: 'only line breaks', file: 'newlines.csv', content: '\n\n\n\n', says: 'The file "' },
  { name: 'JSON that is an array of arrays', file: 'arrays.json', content: '[[1,2],[3,4]]', says: 'must be an array of records (objects); found JSON of type "array of array"' },
  { name: 'a header of 1,000,001 columns (over the stated cap)', file: 'too-wide.csv', content: `${wide(1_000_001)}\n`, says: 'has 1000001 columns; the studio reads at most 1000000' },
  { name: 'an NDJSON line that is not JSON', file: 'bad.ndjson', content: '{"a":1}\n{oops}\n', says: 'Line 2 of "' },
  { name: 'NDJSON of blank lines only', file: 'blank.ndjson', content: '\n  \r\n\n', says: 'blank.ndjson" is empty.' },
];

describe('insight run on hostile but readable files', () => {
  it.each(readable)('reads $name', async ({ file: name, content, table, warns }) => {
    const r = await load(name, content);
    expect(r.code).toBe(0);
    expect(r.table).toBe(table);
    if (warns) expect(r.stderr).toContain(warns);
    expect(r.stderr).not.toMatch(/Unexpected failure|\n\s+at /);
  });

  it.each(refused)('refuses $name with exit 2 and one short line', async ({ file: name, content, says }) => {
    const r = await load(name, content);
    expectDeclaredRefusal(r, says);
    expect(r.table).toBeNull();
  });
});

describe('insight run with odd --input paths', () => {
  mkdirSync(join(dir, 'folder'));
  symlinkSync(join(dir, 'folder'), join(dir, 'link-to-folder'));
  symlinkSync(join(dir, 'loop-b'), join(dir, 'loop-a'));
  symlinkSync(join(dir, 'loop-a'), join(dir, 'loop-b'));
  const cases: { name: string; args: string[]; says: string | RegExp }[] = [
    { name: 'a symbolic link to a folder', args: ['--input', `load1=${join(dir, 'link-to-folder')}`], says: 'is a folder, not a regular file.' },
    { name: 'a symbolic link loop', args: ['--input', `load1=${join(dir, 'loop-a')}`], says: 'its symbolic links form a loop.' },
    { name: 'a path through a file', args: ['--input', `load1=${loadOnly}/x.csv`], says: 'a part of the path is not a folder.' },
    { name: 'an empty path', args: ['--input', 'load1='], says: 'the file does not exist.' },
    { name: 'a 6,000-character path', args: ['--input', `load1=${'/x'.repeat(3000)}`], says: 'the path is too long.' },
    { name: 'a node that is not in the pipeline', args: ['--input', 'ghost=/etc/hostname'], says: '--input names node "ghost", which is not in the pipeline (nodes: load1).' },
    { name: 'no NODE_ID', args: ['--input', '=x'], says: '--input expects NODE_ID=FILE, got "=x".' },
    { name: 'standard input', args: ['--input', 'load1=/dev/stdin'], says: /is a (character device|socket|named pipe \(FIFO\)), not a regular file\./ },
    { name: 'the null device, after a good file for the same node', args: ['--input', 'load1=/etc/hostname', '--input', 'load1=/dev/null'], says: '"/dev/null" is a character device' },
  ];
  it.each(cases)('exits 2 with one short line for $name', async ({ args, says }) => {
    expectDeclaredRefusal(await insight('run', loadOnly, ...args, '--out', join(dir, 'out-args')), says);
  });

  it.skipIf(process.getuid?.() === 0)('exits 2 for a file it may not read (skipped as root, who may read anything)', async () => {
    const path = file('unreadable.csv', 'a\n1\n');
    chmodSync(path, 0o000);
    expectDeclaredRefusal(await insight('run', loadOnly, '--input', `load1=${path}`), 'permission denied');
  });
});
