import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const bin = join(import.meta.dirname, '..', '..', 'bin', 'insight.mjs');
const dir = mkdtempSync(join(tmpdir(), 'insight-cli-'));

function insight(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const node = (id: string, kind: string, params: Record<string, unknown> = {}) => ({ id, kind, version: 1, params, position: [0, 0], note: '' });
const edge = (from: string, fromPort: string, to: string, toPort: string) => ({ from: [from, fromPort], to: [to, toPort] });
const pipeline = (nodes: unknown[], edges: unknown[] = []) => ({ format: 'insight-pipeline', version: 1, name: 'cli test', seed: 1, nodes, edges });

const csv = file('tiny.csv', 'customer_id,quantity,note\nc1,2,hello\nc2,3,world\nc2,3,world\n');
const good = pipeline([node('load1', 'load', { source: 'file' }), node('clean1', 'clean', { dropDuplicates: true })], [edge('load1', 'table', 'clean1', 'table')]);

describe('insight validate', () => {
  it('accepts a valid pipeline with exit 0', () => {
    const r = insight('validate', file('good.json', good));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/valid pipeline "cli test" \(2 nodes, 1 edges, seed 1\)/);
  });

  const bad: { name: string; content: unknown; says: RegExp }[] = [
    { name: 'malformed JSON', content: '{"format": "insight-pipeline", ', says: /malformed JSON/ },
    { name: 'an unknown node kind', content: pipeline([node('x', 'teleport')]), says: /Node "x" has unknown kind "teleport"/ },
    { name: 'an unknown param', content: pipeline([node('load1', 'load', { colour: 'red' })]), says: /Node "load1" \(load\) has no parameter "colour"/ },
    { name: 'a mistyped param', content: pipeline([node('load1', 'load', { maxMegabytes: 'lots' })]), says: /Node "load1" parameter "maxMegabytes": expected .*, got "lots"/ },
    { name: 'an edge to a missing node', content: pipeline([node('load1', 'load')], [edge('load1', 'table', 'ghost', 'table')]), says: /there is no node "ghost"/ },
    { name: 'an edge to a missing port', content: pipeline([node('load1', 'load'), node('c', 'clean')], [edge('load1', 'tabel', 'c', 'table')]), says: /node "load1" \(load\) has no output "tabel"/ },
    {
      name: 'a type-mismatched edge',
      content: pipeline([node('load1', 'load'), node('l', 'lstm')], [edge('load1', 'table', 'l', 'sequences')]),
      says: /Edge load1\.table → l\.sequences: a table output cannot feed a sequences input/,
    },
    {
      name: 'a cycle',
      content: pipeline([node('a', 'clean'), node('b', 'clean')], [edge('a', 'table', 'b', 'table'), edge('b', 'table', 'a', 'table')]),
      says: /The pipeline has a cycle: a → b → a/,
    },
  ];
  for (const c of bad) {
    it(`exits 2 with one line naming ${c.name}`, () => {
      const r = insight('validate', file(`${c.name.replace(/\W+/g, '-')}.json`, c.content));
      expect(r.code).toBe(2);
      const first = r.stderr.split('\n')[0] ?? '';
      expect(first).toMatch(c.says);
    });
  }

  it('exits 2 when the file does not exist', () => {
    const r = insight('validate', join(dir, 'nope.json'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('does not exist');
  });
});

describe('insight run', () => {
  it('runs a pipeline on an input file and writes each output', () => {
    const out = join(dir, 'out');
    const r = insight('run', file('run.json', good), '--input', `load1=${csv}`, '--out', out);
    expect(r.stderr).toContain('clean1: done');
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['clean1.report.csv', 'clean1.table.csv', 'load1.stats.csv', 'load1.table.csv']);
    expect(readFileSync(join(out, 'clean1.table.csv'), 'utf8').trim().split('\n').length).toBe(3);
  });

  it('exits 2 with one line when the input file is bad', () => {
    const r = insight('run', file('run2.json', good), '--input', `load1=${file('empty.csv', '')}`);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n').pop()).toMatch(/^insight: node "load1" failed: /);
  });

  it('exits 2 when --input names a node that is not in the pipeline', () => {
    const r = insight('run', file('run3.json', good), '--input', `nobody=${csv}`);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--input names node "nobody", which is not in the pipeline');
  });
});
