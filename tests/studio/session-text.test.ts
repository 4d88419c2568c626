/**
 * The project session's sentences in both languages: a message renders through the catalogue
 * with nested messages and lists, English written by the store is kept verbatim, and every
 * kind of deletable item has a label in Chinese.
 */
import { describe, expect, it } from 'vitest';
import { deletableMsg, msg, renderLine, renderMsg } from '../../src/studio/projects/session-text.ts';
import type { DeletableItem } from '../../src/storage/project-store.ts';

const cjk = /[\u4e00-\u9fff]/;

describe('session messages', () => {
  it('render nested messages and lists in the page\'s language', () => {
    const intact = msg('session.intact', { n: 2, name: 'Churn', time: '2026-12-01 11:20 UTC' });
    const item: DeletableItem = { kind: 'unused-dataset', label: 'the file "a.csv" (no open project uses it)', bytes: 10, name: 'a.csv' };
    const full = msg('session.storageFull', { intact, hint: msg('session.hintDelete', { list: [deletableMsg(item), deletableMsg(item)] }) });
    expect(renderMsg('en', full)).toBe('Storage is full, so this change was not saved. Version 2 of "Churn", saved 2026-12-01 11:20 UTC, is intact. To make room, delete: the file "a.csv" (no open project uses it); the file "a.csv" (no open project uses it).');
    expect(renderMsg('zh', full)).toBe('存储空间已满，此更改未保存。“Churn”的版本 2（保存于 2026-12-01 11:20 UTC）完好无损。要腾出空间，可删除：文件“a.csv”（没有打开的项目使用它）；文件“a.csv”（没有打开的项目使用它）。');
  });

  it('keep the English a lower layer wrote, and use the template in Chinese', () => {
    const m = msg('session.linkCorrupt', {}, 'This link is damaged: the pipeline part is empty.');
    expect(renderMsg('en', m)).toBe('This link is damaged: the pipeline part is empty.');
    expect(renderMsg('zh', m)).toBe('此链接已损坏：无法解压或结构有误。');
  });

  it('label every kind of deletable item in Chinese, keeping the English label in English', () => {
    const kinds: DeletableItem['kind'][] = ['binned-project', 'old-versions', 'unused-dataset', 'model', 'cached-results'];
    for (const kind of kinds) {
      const item: DeletableItem = { kind, label: `English label of ${kind}`, bytes: 1, name: 'P', count: 3, key: 'lstm' };
      expect(renderMsg('en', deletableMsg(item))).toBe(`English label of ${kind}`);
      expect(renderMsg('zh', deletableMsg(item))).toMatch(cjk);
      expect(renderMsg('zh', deletableMsg(item))).toContain('P');
    }
  });

  it('show data lines as they are and engine issues through the issue translator', () => {
    expect(renderLine('zh', 'load1: https://example.org/a.csv', () => 'x')).toBe('load1: https://example.org/a.csv');
    expect(renderLine('zh', { issue: { code: 'graph.cycle', message: 'English' } }, (i) => `translated ${i.code}`)).toBe('translated graph.cycle');
    expect(renderLine('zh', msg('session.gone'), () => 'x')).toBe('该项目已不存在。');
  });
});
