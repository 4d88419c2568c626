/**
 * Every issue code the engine emits has a Chinese template: the codes are read from the
 * source (every `issue('a.b', …)`, `fail('a.b', …)` and `code: 'a.b'` outside the studio),
 * node kinds' declared codes from the registry, and real issues from bad documents, bad
 * pipelines, runs and hosts come out in Chinese with every placeholder filled.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as aq from 'arquero';
import { nodeRegistry } from '../../nodes/index.ts';
import { parseDocument } from '../../src/engine/document.ts';
import { validatePipeline } from '../../src/engine/validate.ts';
import { Engine } from '../../src/engine/runner.ts';
import { createNodeHost } from '../../src/cli/node-host.ts';
import { InsightError, toIssue, type InsightIssue } from '../../src/engine/errors.ts';
import { requireColumns } from '../../src/data/columns.ts';
import { zhEngineMessages } from '../../src/studio/i18n/messages-zh.ts';
import { issueMessage, placeholders, zhIssueTemplate } from '../../src/studio/i18n/index.ts';
import { texts } from './node-texts.ts';
import { doc, e, n } from '../engine/helpers.ts';
import { testRegistry } from '../engine/test-nodes.ts';

/** TypeScript files under a folder, recursively. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|mts)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Issue codes written as literals where the engine, the kernels, the hosts and the nodes raise them (the studio's own code left out). */
const emitted: ReadonlyMap<string, string> = (() => {
  const found = new Map<string, string>();
  const files = [...sources('src').filter((f) => !f.startsWith(join('src', 'studio'))), ...sources('nodes'), ...sources('workers')];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\b(?:issue|fail)\(\s*'([a-z]+\.[a-zA-Z]+)'|\bcode:\s*'([a-z]+\.[a-zA-Z]+)'/g)) {
      const code = m[1] ?? m[2] ?? '';
      if (!found.has(code)) found.set(code, file);
    }
  }
  return found;
})();

/** The codes node kinds declare, as they are emitted (`kind.code`). */
const declared = Object.values(nodeRegistry).flatMap((spec) => Object.keys(spec.messages).map((code) => `${spec.kind}.${code}`));

const cjk = /[\u4e00-\u9fff]/;

/** The issue in Chinese, or a line saying why it is not. */
function chineseProblem(issue: InsightIssue): string | null {
  const template = zhIssueTemplate(texts, issue.code);
  if (template === undefined) return `${issue.code}: no Chinese template`;
  const missing = placeholders(template).filter((name) => !Object.hasOwn(issue.values ?? {}, name));
  if (missing.length > 0) return `${issue.code}: the issue carries no value for ${missing.join(', ')}`;
  const zh = issueMessage('zh', texts, issue);
  return cjk.test(zh) && !/\{\w+\}/.test(zh) ? null : `${issue.code}: ${zh}`;
}

function caught(run: () => unknown): InsightIssue {
  try {
    run();
  } catch (err) {
    return toIssue(err);
  }
  throw new Error('expected a failure');
}

async function caughtAsync(run: () => Promise<unknown>): Promise<InsightIssue> {
  try {
    await run();
  } catch (err) {
    return toIssue(err);
  }
  throw new Error('expected a failure');
}

describe('the Chinese templates of the engine\'s issue codes', () => {
  it('finds the engine\'s codes in the source (document, param, edge, graph, node, port, url, input, run)', () => {
    const families = new Set([...emitted.keys()].map((c) => c.split('.')[0]));
    for (const family of ['document', 'param', 'edge', 'graph', 'node', 'port', 'url', 'input', 'run', 'column', 'sample', 'link']) expect(families.has(family), family).toBe(true);
    expect(emitted.size).toBeGreaterThanOrEqual(35);
  });

  it('has a Chinese template for every code emitted in the source and every code a node kind declares', () => {
    const missing = [...emitted].filter(([code]) => zhIssueTemplate(texts, code) === undefined).map(([code, file]) => `${code} (${file})`);
    expect(missing).toEqual([]);
    expect(declared.filter((code) => zhIssueTemplate(texts, code) === undefined)).toEqual([]);
  });

  it('has no template for a code nothing emits', () => {
    expect(Object.keys(zhEngineMessages).filter((code) => !emitted.has(code))).toEqual([]);
  });

  it('turns a bad document\'s problems into Chinese, each placeholder filled from the issue', () => {
    const base = { format: 'insight-pipeline', version: 1, name: 'x', seed: '1', nodes: [], edges: [] };
    const bad: unknown[] = [
      [1, 2],
      { ...base, format: 'other' },
      { ...base, version: 0 },
      { ...base, version: 999 },
      { ...base, extra: true },
      { ...base, name: 5 },
      JSON.parse('{"__proto__": {"x": 1}}'),
    ];
    let deep: unknown = 1;
    for (let i = 0; i < 70; i++) deep = [deep];
    bad.push({ ...base, nodes: deep });
    const problems = bad.flatMap((input) => {
      const r = parseDocument(input);
      return r.ok ? [] : r.problems;
    });
    expect(new Set(problems.map((p) => p.code))).toEqual(new Set(['document.notObject', 'document.format', 'document.version', 'document.tooNew', 'document.unknownField', 'document.schema', 'document.forbiddenKey', 'document.tooDeep']));
    expect(problems.map(chineseProblem).filter((p) => p !== null)).toEqual([]);
  });

  it('turns a bad pipeline\'s problems into Chinese: unknown kind and param, bad param, duplicate id, edges, a cycle', () => {
    const pipeline = doc(
      [
        n('s', 'source'),
        n('s', 'source'),
        n('x', 'nosuchkind'),
        n('a', 'add', { nosuch: 1 }),
        n('b', 'add', { amount: 'many' }),
        n('c', 'add', {}, 99),
        n('p', 'add'),
        n('q', 'add'),
      ],
      [e('ghost.table', 'a.table'), e('s.nosuch', 'b.table'), e('s.table', 'b.nosuch'), e('s.table', 'p.table'), e('a.table', 'p.table'), ],
    );
    const cycle = doc([n('p', 'add'), n('q', 'add')], [e('p.table', 'q.table'), e('q.table', 'p.table')]);
    const problems = [...validatePipeline(pipeline, testRegistry), ...validatePipeline(cycle, testRegistry)];
    for (const code of ['node.duplicateId', 'node.unknownKind', 'param.unknown', 'param.invalid', 'node.tooNew', 'edge.missingNode', 'edge.missingPort', 'edge.duplicateInput', 'graph.cycle']) expect(problems.map((p) => p.code)).toContain(code);
    expect(problems.map(chineseProblem).filter((p) => p !== null)).toEqual([]);
  });

  it('turns a run\'s issues into Chinese: an input not connected, a failure, a node blocked upstream, an exception, a missing column', async () => {
    const engine = new Engine({ registry: testRegistry, host: createNodeHost() });
    const report = await engine.run(doc([n('a', 'add'), n('s', 'source'), n('f', 'failing'), n('after', 'add')], [e('s.table', 'f.table'), e('f.table', 'after.table')]));
    const issues = Object.values(report.statuses).flatMap((s) => s?.issues ?? []);
    expect(issues.map((i) => i.code)).toContain('input.missing');
    expect(issues.map((i) => i.code)).toContain('node.blocked');
    const more = [
      toIssue(new Error('boom'), 'n1'),
      caught(() => requireColumns(aq.table({ a: [1] }), ['b'], 'columns')),
      new InsightError({ code: 'run.cancelled', severity: 'error', message: 'The run was cancelled.', values: {} }).issue,
    ];
    expect([...issues.filter((i) => !i.code.startsWith('failing.')), ...more].map(chineseProblem).filter((p) => p !== null)).toEqual([]);
  });

  it('turns the command line host\'s refusals into Chinese (sample path, missing sample, unreadable input)', async () => {
    const host = createNodeHost({ files: { l: '/nonexistent/input.csv' } });
    const issues = [await caughtAsync(() => host.sample('../escape.csv')), await caughtAsync(() => host.sample('no-such-sample.csv')), await caughtAsync(async () => host.boundFile('l'))];
    expect(issues.map((i) => i.code)).toEqual(['sample.badPath', 'sample.missing', 'input.unreadable']);
    expect(issues.map(chineseProblem).filter((p) => p !== null)).toEqual([]);
  });
});
