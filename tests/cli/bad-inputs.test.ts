/**
 * The CLI against hostile and broken input files and documents: each case gives its exit code
 * and one short line naming the problem (never a stack trace, a crash or a hang). Runs `main`
 * in this process, with stderr captured, so the table stays quick.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/insight.ts';

const dir = mkdtempSync(join(tmpdir(), 'insight-bad-'));

function file(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const node = (id: string, kind: string, params: Record<string, unknown> = {}) => ({ id, kind, version: 1, params, position: [0, 0], note: '' });
const doc = (nodes: unknown[], edges: unknown[] = [], extra: Record<string, unknown> = {}) => JSON.stringify({ format: 'insight-pipeline', version: 1, name: 'bad', seed: 1, nodes, edges, ...extra });
const loadOnly = file('load.json', doc([node('load1', 'load')]));

/** Runs the command; returns the exit code and what it wrote to stderr. */
async function insight(...args: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += typeof chunk === 'string' ? chunk : new TextDecoder().decode(chunk);
    return true;
  });
  try {
    const code = await main(args);
    return { code, stderr };
  } finally {
    spy.mockRestore();
  }
}

/** The line starting "insight:" (the one-line verdict). */
const verdict = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('insight:'));

afterEach(() => vi.restoreAllMocks());

const random = Uint8Array.from({ length: 4096 }, (_, i) => (i * 2654435761) >>> 24);
const fifo = join(dir, 'pipe');
execFileSync('mkfifo', [fifo]);
mkdirSync(join(dir, 'folder'));
const sparse = file('sparse.csv', '');
truncateSync(sparse, 300 * 1048576);

const badFiles: { name: string; path: string; says: string }[] = [
  { name: 'random bytes', path: file('random.bin', random), says: 'is not a text table: "it holds binary data' },
  { name: 'a gzip archive named .csv', path: file('data.csv', Uint8Array.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0])), says: 'is not a text table: "it is a gzip archive' },
  { name: 'an .xlsx workbook', path: file('book.xlsx', Uint8Array.from([0x50, 0x4b, 3, 4, 20, 0, 6, 0])), says: 'is not a text table: "it is a ZIP archive' },
  { name: 'fake Parquet magic', path: file('fake.csv', new TextEncoder().encode('PAR1,a,b\n1,2,3\n')), says: 'is not a text table: "it starts like Parquet' },
  { name: 'fake Arrow magic', path: file('fake.txt', new TextEncoder().encode('ARROW1\n1,2\n')), says: 'is not a text table: "it starts like Arrow IPC' },
  { name: 'a CSV with NUL bytes', path: file('nul.csv', new TextEncoder().encode('a,b\n1,2\n\u0000\u0000\n')), says: 'a NUL byte at offset 8' },
  { name: 'deeply nested JSON', path: file('deep.json', `[{"a": ${'['.repeat(50_000)}${']'.repeat(50_000)}}]`), says: 'nests deeper than 64 levels (line 1)' },
  { name: 'deeply nested NDJSON', path: file('deep.ndjson', `{"a": 1}\n{"a": ${'{"b":'.repeat(5000)}1${'}'.repeat(5000)}}\n`), says: 'nests deeper than 64 levels (line 2)' },
  { name: 'an empty file', path: file('empty.csv', ''), says: 'The file "empty.csv" is empty.' },
  { name: 'a 300 MB sparse file under the 200 MB cap', path: sparse, says: 'is 300 MB, over the 200 MB cap' },
  { name: 'a character device', path: '/dev/zero', says: '"/dev/zero" is a character device, not a regular file.' },
  { name: 'a named pipe', path: fifo, says: 'is a named pipe (FIFO), not a regular file.' },
  { name: 'a folder', path: join(dir, 'folder'), says: 'is a folder, not a regular file.' },
  { name: 'a missing file', path: join(dir, 'nope.csv'), says: 'the file does not exist.' },
];

describe('insight run on a bad input file', () => {
  it.each(badFiles)('exits 2 with one short line for $name', async ({ path, says }) => {
    const r = await insight('run', loadOnly, '--input', `load1=${path}`);
    expect(r.code).toBe(2);
    const lines = verdict(r.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(says);
    expect(lines[0]?.length).toBeLessThan(260);
    expect(r.stderr).not.toMatch(/\n\s+at |Unexpected failure/);
  });

  it('reads columns named after Object.prototype properties (CSV and JSON) and exits 0', async () => {
    const csv = file('proto.csv', 'constructor,__proto__,toString,valueOf,hasOwnProperty,__defineGetter__\n1,2,3,4,5,6\n7,8,9,10,11,12\n');
    const json = file('proto.json', '[{"constructor": 1, "__proto__": 2, "toString": 3, "valueOf": 4, "hasOwnProperty": 5, "__defineGetter__": 6}]');
    for (const path of [csv, json]) {
      const r = await insight('run', loadOnly, '--input', `load1=${path}`);
      expect(r.stderr).toContain('load1: warning');
      expect(r.stderr).toContain('reserved name "__proto__"');
      expect(r.code).toBe(0);
    }
  });

  it('warns about 1e309 in an integer column and reads it as missing, so a later node still works', async () => {
    const path = file('overflow.csv', 'customer_id,quantity\nc1,1\nc2,1e309\nc3,2\n');
    const pipeline = file('clean.json', doc([node('load1', 'load'), node('clean1', 'clean', { missing: { quantity: 'median' } })], [{ from: ['load1', 'table'], to: ['clean1', 'table'] }]));
    const r = await insight('run', pipeline, '--input', `load1=${path}`);
    expect(r.stderr).toContain('Column "quantity": 1 cells such as "1e309" are not finite numbers');
    expect(r.stderr).toContain('clean1: done');
    expect(r.code).toBe(0);
  });
});

const badDocuments: { name: string; content: string; says: string[]; not?: string }[] = [
  { name: 'duplicate node ids', content: doc([node('a', 'load'), node('a', 'load')]), says: ['Two nodes share the id "a".'], not: 'cycle' },
  { name: 'an infinite seed and position', content: doc([{ ...node('a', 'load'), position: ['POSITION', 0] }], [], { seed: 'SEED' }).replace('"SEED"', '1e999').replace('"POSITION"', '1e999'), says: ['Field $.seed: expected a whole number, got Infinity.', 'expected a finite number, got Infinity.'], not: 'Invalid finite' },
  { name: 'a javascript: URL', content: doc([node('a', 'load', { source: 'url', url: 'javascript:alert(1)' })]), says: ['parameter "url": expected an http:// or https:// address'] },
  { name: 'a java\\tscript: URL', content: doc([node('a', 'load', { source: 'url', url: ' java\tscript:alert(1)' })]), says: ['parameter "url": expected an http:// or https:// address'] },
  { name: 'a data: URL', content: doc([node('a', 'load', { source: 'url', url: 'data:text/csv,a%0A1' })]), says: ['parameter "url": expected an http:// or https:// address'] },
  { name: 'binary garbage as the pipeline', content: String.fromCharCode(...random.slice(0, 900)), says: ['malformed JSON'] },
];

describe('insight validate on a bad document', () => {
  it.each(badDocuments)('exits 2 naming the problem for $name', async ({ name, content, says, not }) => {
    const r = await insight('validate', file(`${name.replace(/\W+/g, '-')}.json`, content));
    expect(r.code).toBe(2);
    for (const text of says) expect(r.stderr).toContain(text);
    if (not !== undefined) expect(r.stderr).not.toContain(not);
    for (const line of verdict(r.stderr)) expect(line.length).toBeLessThan(400);
  });

  it('accepts http(s) URLs and paths on the site', async () => {
    for (const url of ['https://example.org/data.csv', 'http://localhost:8080/x.csv', 'sample-data/a.csv', '']) {
      const r = await insight('validate', file('ok-url.json', doc([node('a', 'load', { source: 'url', url })])));
      expect(r.code).toBe(0);
    }
  });

  it('refuses a pipeline file that is a device, before reading it', async () => {
    const r = await insight('validate', '/dev/zero');
    expect(r.code).toBe(2);
    expect(verdict(r.stderr)).toEqual(['insight: Pipeline file "/dev/zero": "/dev/zero" is a character device, not a regular file.']);
  });
});
