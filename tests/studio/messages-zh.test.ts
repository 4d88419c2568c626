/**
 * The Chinese message templates each node kind declares (`zh.messages`), and the engine's own
 * (src/studio/i18n/messages-zh.ts), against the English declarations: every message a registered node kind declares (its own and the data kernels'
 * tables it spreads in) has a Chinese template with the same placeholders, nothing stale is
 * left, and `issueMessage` fills values, falling back to the English message.
 */
import { describe, expect, it } from 'vitest';
import { nodeRegistry } from '../../nodes/index.ts';
import { declaredMessage } from '../../src/engine/node.ts';
import { Engine } from '../../src/engine/runner.ts';
import { createNodeHost } from '../../src/cli/node-host.ts';
import type { InsightIssue } from '../../src/engine/errors.ts';
import type { KernelMessages } from '../../src/data/issues.ts';
import { readMessages } from '../../src/data/read.ts';
import { cleanMessages } from '../../src/data/clean.ts';
import { conditionMessages } from '../../src/data/conditions.ts';
import { anonymiseMessages } from '../../src/data/anonymise.ts';
import { featureMessages } from '../../src/data/features.ts';
import { normaliseMessages } from '../../src/data/normalise.ts';
import { weightMessages } from '../../src/data/weight.ts';
import { zhEngineMessages } from '../../src/studio/i18n/messages-zh.ts';
import { texts, zhNodeMessages } from './node-texts.ts';
import { issueMessage, placeholders } from '../../src/studio/i18n/index.ts';
import { doc, e, n } from '../engine/helpers.ts';
import { testRegistry } from '../engine/test-nodes.ts';

/** Every declared message of every registered node kind, by the issue code it is emitted as. */
const declared = Object.values(nodeRegistry).flatMap((spec) => Object.entries(spec.messages).map(([code, m]) => ({ kind: spec.kind, code, issueCode: `${spec.kind}.${code}`, template: m.template })));

/** The data kernels' message tables and the node kind that emits each (their DataErrors and notes). */
const kernelTables: readonly { table: string; kind: string; messages: KernelMessages }[] = [
  { table: 'readMessages', kind: 'load', messages: readMessages },
  { table: 'cleanMessages', kind: 'clean', messages: cleanMessages },
  { table: 'conditionMessages', kind: 'clean', messages: conditionMessages },
  { table: 'anonymiseMessages', kind: 'anonymise', messages: anonymiseMessages },
  { table: 'featureMessages', kind: 'features', messages: featureMessages },
  { table: 'normaliseMessages', kind: 'normalise', messages: normaliseMessages },
  { table: 'weightMessages', kind: 'weight', messages: weightMessages },
];

const cjk = /[\u4e00-\u9fff]/;

/** Every Chinese issue template, by issue code. */
const zhIssueMessages: Readonly<Record<string, string>> = { ...zhNodeMessages, ...zhEngineMessages };

describe('the Chinese issue catalogue', () => {
  it('is declared by every registered node kind that declares messages', () => {
    const kinds = [...new Set(declared.map((d) => d.kind))];
    expect(kinds.filter((kind) => nodeRegistry[kind]?.zh?.messages === undefined)).toEqual([]);
    expect(kinds.length).toBeGreaterThanOrEqual(12);
    expect(declared.length).toBeGreaterThan(100);
  });

  it('has a Chinese template for every message a registered node kind declares', () => {
    const missing = declared.filter((d) => !Object.hasOwn(zhNodeMessages, d.issueCode)).map((d) => `${d.issueCode}: ${d.template}`);
    expect(missing).toEqual([]);
  });

  it('covers every data kernel message under the node kind that emits it (the node declares it verbatim)', () => {
    const problems: string[] = [];
    for (const { table, kind, messages } of kernelTables) {
      const spec = nodeRegistry[kind];
      for (const [code, message] of Object.entries(messages)) {
        const where = `${table}.${code} → ${kind}.${code}`;
        if (!spec || spec.messages[code]?.template !== message.template) problems.push(`${where}: not declared by the node kind`);
        if (!Object.hasOwn(zhNodeMessages, `${kind}.${code}`)) problems.push(`${where}: no Chinese template`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('has no entry for a code that no node kind declares', () => {
    const known = new Set(declared.map((d) => d.issueCode));
    expect(Object.keys(zhNodeMessages).filter((code) => !known.has(code))).toEqual([]);
  });

  it('keeps the engine\'s own codes apart from the node kinds\' (tests/studio/engine-messages-zh.test.ts checks the engine\'s)', () => {
    expect(Object.keys(zhEngineMessages)).toContain('node.blocked');
    expect(Object.keys(zhIssueMessages).length).toBe(Object.keys(zhNodeMessages).length + Object.keys(zhEngineMessages).length);
  });

  it('uses exactly the placeholders of the English template for each code', () => {
    const mismatched = declared
      .filter((d) => Object.hasOwn(zhNodeMessages, d.issueCode) && placeholders(d.template).join() !== placeholders(zhNodeMessages[d.issueCode] ?? '').join())
      .map((d) => `${d.issueCode}: ${placeholders(d.template).join()} vs ${placeholders(zhNodeMessages[d.issueCode] ?? '').join()}`);
    expect(mismatched).toEqual([]);
  });

  it('is written in Chinese, with no stray braces', () => {
    const bad = Object.entries(zhIssueMessages).filter(([, t]) => !cjk.test(t) || t.replace(/\{\w+\}/g, '').includes('{') || t.replace(/\{\w+\}/g, '').includes('}'));
    expect(bad).toEqual([]);
  });

  it('keeps quoted parameter names and values (without spaces), numbers and snake_case names of the English template', () => {
    const tokens = (text: string) => [...new Set([...text.replace(/\{\w+\}/g, '').matchAll(/"[^"\s]+"|\b\d+(?:\.\d+)?\b|[a-z]+_[a-z_]+/g)].map((m) => m[0]))].sort();
    const lost = declared.flatMap((d) => {
      const zh = zhNodeMessages[d.issueCode] ?? '';
      const missing = tokens(d.template).filter((t) => !zh.includes(t));
      return missing.length > 0 ? [`${d.issueCode}: ${missing.join(' ')}`] : [];
    });
    expect(lost).toEqual([]);
  });
});

describe('issueMessage', () => {
  const spec = nodeRegistry.normalise;
  if (!spec) throw new Error('no normalise node kind');
  const values = { column: 'age' };
  const english = declaredMessage(spec, 'constantColumn', values);
  const constant: InsightIssue = { tag: 'InsightIssue', code: english.code, severity: english.severity, message: english.message, values };

  it('fills the Chinese template from the values the way the engine fills the English one', () => {
    expect(english.message).toBe('Column "age" is constant; scaled to 0.');
    expect(issueMessage('zh', texts, constant)).toBe('列 "age" 为常量；已缩放为 0。');
  });

  it('renders numbers as numbers and every placeholder of a many-valued template', () => {
    const recommend = nodeRegistry.recommend;
    if (!recommend) throw new Error('no recommend node kind');
    const v = { skipped: 5, rows: 100, missing: 1, invalid: 2, returns: 2 };
    const m = declaredMessage(recommend, 'skipped', v);
    expect(issueMessage('zh', texts, { code: m.code, message: m.message, values: v })).toBe('100 行中有 5 行被排除：1 行缺少客户或商品，2 行缺少数量或时间，2 行数量 ≤ 0（退货）。');
  });

  it('gives the English message in English', () => {
    expect(issueMessage('en', texts, constant)).toBe(english.message);
  });

  it('falls back to the English message when a placeholder has no value', () => {
    expect(issueMessage('zh', texts, { ...constant, values: {} })).toBe(english.message);
    const { values: _dropped, ...noValues } = constant;
    expect(issueMessage('zh', texts, noValues)).toBe(english.message);
  });

  it('falls back to the English message for a code without a Chinese template', () => {
    const adHoc: InsightIssue = { tag: 'InsightIssue', code: 'plugin.somethingNew', severity: 'error', message: 'Node "n1" parameter "k": expected a whole number, got "x".', values: { param: 'k', value: '"x"' } };
    expect(issueMessage('zh', texts, adHoc)).toBe(adHoc.message);
    expect(issueMessage('zh', texts, { code: 'toString', message: 'English' })).toBe('English');
  });

  it('translates a template without placeholders even when the issue carries no values', () => {
    const load = nodeRegistry.load;
    if (!load) throw new Error('no load node kind');
    const m = declaredMessage(load, 'emptyUrl');
    expect(issueMessage('zh', texts, { code: m.code, message: m.message })).toBe(zhNodeMessages['load.emptyUrl']);
  });

  it('translates the engine\'s blocked issue from a real run, with the values it carries', async () => {
    const engine = new Engine({ registry: testRegistry, host: createNodeHost() });
    const report = await engine.run(doc([n('s', 'source'), n('f', 'failing'), n('after', 'add')], [e('s.table', 'f.table'), e('f.table', 'after.table')]));
    const blocked = report.statuses.after?.issues[0];
    if (!blocked) throw new Error('no blocked issue');
    expect(blocked.code).toBe('node.blocked');
    expect(Object.keys(blocked.values ?? {}).sort()).toEqual(placeholders(zhEngineMessages['node.blocked'] ?? ''));
    expect(issueMessage('zh', texts, blocked)).toBe('未运行：上游节点 "f" 没有完成。');
    expect(issueMessage('en', texts, blocked)).toBe('Not run: upstream node "f" did not finish.');
  });

  it('translates a real node\'s declared error from a run of the registered kinds', async () => {
    const engine = new Engine({ registry: nodeRegistry, host: createNodeHost() });
    const report = await engine.run(doc([n('l', 'load', { source: 'url', url: '' }), n('c', 'clean')], [e('l.table', 'c.table')]));
    const failed = report.statuses.l?.issues[0];
    if (!failed) throw new Error('no load issue');
    expect(failed.code).toBe('load.emptyUrl');
    expect(issueMessage('zh', texts, failed)).toBe('参数 "url" 为空；请输入 CSV、JSON、Parquet 或 Arrow 文件的地址。');
    const blocked = report.statuses.c?.issues[0];
    expect(blocked && issueMessage('zh', texts, blocked)).toBe('未运行：上游节点 "l" 没有完成。');
  });
});
