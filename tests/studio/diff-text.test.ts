/**
 * The version list's and the file check's differences, worded in both languages: English as
 * the lines always read, Chinese with translated kind and param labels and no English word
 * left beyond the data (node ids, port and column names, the hash's name).
 */
import { describe, expect, it } from 'vitest';
import { diffDocuments } from '../../src/storage/version-diff.ts';
import { fingerprintDifferences } from '../../src/storage/fingerprint.ts';
import { diffLines, fileDifferenceMsgs, type DiffWords } from '../../src/studio/projects/diff-text.ts';
import { renderMsg } from '../../src/studio/projects/session-text.ts';
import { kindLabel, paramLabel, translate, type Locale } from '../../src/studio/i18n/index.ts';
import { texts } from './node-texts.ts';
import { newer, older } from '../storage/version-fixtures.ts';

const versions = { older, newer };

function words(locale: Locale): DiffWords {
  return {
    locale,
    t: (key, values) => translate(locale, key, values),
    kindLabel: (kind, english) => kindLabel(locale, texts, kind, english),
    paramLabel: (kind, param, english) => paramLabel(locale, texts, kind, param, english),
  };
}

/** Latin words left in a line once the data it quotes is taken out. */
function latinLeft(line: string, data: readonly string[]): string[] {
  let rest = line;
  for (const d of data) rest = rest.split(d).join('');
  return rest.match(/[A-Za-z]{2,}/g) ?? [];
}

describe('diffLines', () => {
  const diff = diffDocuments(versions.older, versions.newer);

  it('describes each difference in one line, in English', () => {
    expect(diffLines(diff, words('en'))).toEqual([
      'Changed seed.',
      'Added lstm node lstm1.',
      'Removed segment node seg1.',
      'Changed normalise node norm1: params columns, method; note; position.',
      'Connected norm1.table → lstm1.table.',
      'Disconnected norm1.table → seg1.table.',
    ]);
  });

  it('describes them in Chinese by the kinds\' and params\' Chinese labels, keeping ids and ports as written', () => {
    const zh = diffLines(diff, words('zh'));
    expect(zh).toEqual([
      '修改了随机种子。',
      `添加了${kindLabel('zh', texts, 'lstm', 'lstm')}节点 lstm1。`,
      `删除了${kindLabel('zh', texts, 'segment', 'segment')}节点 seg1。`,
      `修改了归一化节点 norm1：参数 ${paramLabel('zh', texts, 'normalise', 'columns', 'columns')}、${paramLabel('zh', texts, 'normalise', 'method', 'method')}；备注；位置。`,
      '连接了 norm1.table → lstm1.table。',
      '断开了 norm1.table → seg1.table。',
    ]);
    const data = ['lstm1', 'seg1', 'norm1', 'table', 'LSTM'];
    expect(zh.flatMap((line) => latinLeft(line, data))).toEqual([]);
  });

  it('has no line for a document compared with itself', () => {
    expect(diffLines(diffDocuments(versions.older, versions.older), words('zh'))).toEqual([]);
  });
});

describe('fileDifferenceMsgs', () => {
  const expected = { name: 'a.csv', size: 100, columns: ['id', 'amount', 'date'], sha256: 'a'.repeat(64) };
  const actual = { name: 'b.csv', size: 120, columns: ['id', 'total'], sha256: 'b'.repeat(64) };

  it('words what differs between the expected file and the one given, in English as before', () => {
    const lines = fileDifferenceMsgs(fingerprintDifferences(expected, actual)).map((m) => renderMsg('en', m));
    expect(lines).toEqual([
      'Missing columns: "amount", "date".',
      'Extra column: "total".',
      'Size is 120 bytes; the pipeline was built on 100 bytes.',
      'Content differs: SHA-256 bbbbbbbbbbbb… instead of aaaaaaaaaaaa…; results may differ from the sender\'s.',
    ]);
  });

  it('words them in Chinese, the column names and the hash quoted as written', () => {
    const lines = fileDifferenceMsgs(fingerprintDifferences(expected, actual)).map((m) => renderMsg('zh', m));
    expect(lines).toEqual([
      '缺少列："amount", "date"。',
      '多出列："total"。',
      '大小为 120 字节；流程是基于 100 字节的文件构建的。',
      '内容不同：SHA-256 为 bbbbbbbbbbbb…，而不是 aaaaaaaaaaaa…；结果可能与发送者的不同。',
    ]);
    expect(lines.flatMap((line) => latinLeft(line, ['amount', 'date', 'total', 'SHA', 'b'.repeat(12), 'a'.repeat(12)]))).toEqual([]);
  });
});
