/**
 * The Chinese param text each node kind declares (`zh.params`, `zh.groups`) against its English:
 * every param of every registered kind is translated, nothing stale is left, technical tokens
 * survive, and the lookups fall back to English.
 */
import { describe, expect, it } from 'vitest';
import { describeKinds } from '../../src/engine/service.ts';
import { nodeRegistry } from '../../nodes/index.ts';
import { texts, zhParamGroups, zhParams } from './node-texts.ts';
import { paramGroup, paramHelp, paramLabel, paramUnit } from '../../src/studio/i18n/index.ts';

const kinds = describeKinds(nodeRegistry);
const declared = kinds.flatMap((k) => k.params.map((p) => ({ kind: k.kind, param: p })));

function zhOf(kind: string, param: string) {
  return Object.hasOwn(zhParams, kind) && Object.hasOwn(zhParams[kind] ?? {}, param) ? zhParams[kind]?.[param] : undefined;
}

const cjk = /[\u4e00-\u9fff]/;

/** Tokens a translation must keep verbatim: `code`, {placeholders}, "quoted" values, identifiers, acronyms. */
function technicalTokens(text: string): string[] {
  const patterns = [
    /`[^`]+`/g, // code in backticks
    /\{\w+\}/g, // placeholders
    /"[^"\s]+"/g, // quoted values without spaces ("constant", "_norm", "$12")
    /[A-Za-z]\w*_[\w<>]*/g, // snake_case column names and subscripts (share_<category>, c_ij)
    /[a-z]\w+(?:\.\w+)+/g, // dotted names (tf.layers.lstm), not "e.g."
    /(?<![\w.])\.[a-z]\w*/g, // attribute access (.days)
    /\b[a-z]+[A-Z]\w*/g, // camelCase param names (kMin)
    /\b[A-Z][A-Z0-9]+(?:-[A-Z0-9]+)*\b/g, // acronyms and codes (IQR, Q1, UTF-8, SHA-256, UTC)
  ];
  return [...new Set(patterns.flatMap((re) => [...text.matchAll(re)].map((m) => m[0])))].sort();
}

/** The param's option values named as whole tokens in a text (the drop-down shows them untranslated). */
function optionsNamed(text: string, options: readonly string[] | undefined): string[] {
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return (options ?? []).filter((o) => new RegExp(`(^|[^\\w-])${escape(o)}($|[^\\w-])`).test(text)).sort();
}

describe('the Chinese param catalogue', () => {
  it('is declared by every registered node kind', () => {
    expect(kinds.filter((k) => k.zh === undefined).map((k) => k.kind)).toEqual([]);
    expect(kinds.length).toBeGreaterThanOrEqual(12);
    expect(declared.length).toBeGreaterThan(100);
  });

  it('has a label for every param of every kind, and help and unit exactly where English has them', () => {
    const problems: string[] = [];
    for (const { kind, param } of declared) {
      const zh = zhOf(kind, param.name);
      const where = `${kind}.${param.name}`;
      if (!zh) {
        problems.push(`${where}: no translation`);
        continue;
      }
      if (zh.label.trim() === '') problems.push(`${where}: empty label`);
      if (param.meta.help !== undefined && !zh.help?.trim()) problems.push(`${where}: no help`);
      if (param.meta.help === undefined && zh.help !== undefined) problems.push(`${where}: help the English param lacks`);
      if (param.meta.unit !== undefined && !zh.unit?.trim()) problems.push(`${where}: no unit`);
      if (param.meta.unit === undefined && zh.unit !== undefined) problems.push(`${where}: unit the English param lacks`);
    }
    expect(problems).toEqual([]);
  });

  it('is written in Chinese (no English left untranslated in labels or help)', () => {
    const english = Object.entries(zhParams).flatMap(([kind, params]) =>
      Object.entries(params).flatMap(([name, zh]) => [zh.label, zh.help].filter((t) => t !== undefined && !cjk.test(t)).map((t) => `${kind}.${name}: ${t}`)),
    );
    expect(english).toEqual([]);
  });

  it('has no entry for a kind or param that does not exist', () => {
    const known = new Set(declared.map(({ kind, param }) => `${kind}.${param.name}`));
    const stale = Object.entries(zhParams).flatMap(([kind, params]) => Object.keys(params).map((name) => `${kind}.${name}`)).filter((key) => !known.has(key));
    expect(stale).toEqual([]);
  });

  it('keeps backticked code, placeholders and other technical tokens of the English help', () => {
    const lost: string[] = [];
    for (const { kind, param } of declared) {
      const help = zhOf(kind, param.name)?.help;
      if (param.meta.help === undefined || help === undefined) continue;
      const missing = technicalTokens(param.meta.help).filter((t) => !help.includes(t));
      if (missing.length > 0) lost.push(`${kind}.${param.name}: ${missing.join(' ')}`);
    }
    expect(lost).toEqual([]);
  });

  it('uses the same backticked code and placeholders as the English help, no more', () => {
    const sets = (text: string) => [...new Set([...text.matchAll(/`[^`]+`|\{\w+\}/g)].map((m) => m[0]))].sort();
    const mismatched = declared
      .filter(({ kind, param }) => param.meta.help !== undefined && sets(param.meta.help).join('\n') !== sets(zhOf(kind, param.name)?.help ?? '').join('\n'))
      .map(({ kind, param }) => `${kind}.${param.name}`);
    expect(mismatched).toEqual([]);
  });

  it('names the same option values as the English help (the drop-downs show them untranslated)', () => {
    const lost = declared.flatMap(({ kind, param }) => {
      const help = zhOf(kind, param.name)?.help;
      if (param.meta.help === undefined || help === undefined) return [];
      const missing = optionsNamed(param.meta.help, param.meta.options).filter((o) => !optionsNamed(help, param.meta.options).includes(o));
      return missing.length > 0 ? [`${kind}.${param.name}: ${missing.join(' ')}`] : [];
    });
    expect(lost).toEqual([]);
  });

  it('translates every inspector group heading and none that is not declared', () => {
    const declaredGroups = kinds.flatMap((k) => [...new Set(k.params.map((p) => p.meta.group).filter((g): g is string => g !== undefined))].map((g) => `${k.kind}.${g}`));
    const translated = Object.entries(zhParamGroups).flatMap(([kind, groups]) => Object.keys(groups).map((g) => `${kind}.${g}`));
    expect(translated.sort()).toEqual(declaredGroups.sort());
    expect(Object.values(zhParamGroups).flatMap((g) => Object.values(g)).filter((t) => !cjk.test(t))).toEqual([]);
  });
});

describe('param lookups', () => {
  it('give Chinese label, help and unit for a declared param in zh', () => {
    expect(paramLabel('zh', texts, 'normalise', 'method', 'Method')).toBe('方法');
    expect(paramHelp('zh', texts, 'segment', 'silhouetteSample', 'Above this many rows…')).toContain('轮廓系数');
    expect(paramUnit('zh', texts, 'anonymise', 'bandWidth', 'years')).toBe('岁');
    expect(paramGroup('zh', texts, 'lstm', 'Training')).toBe('训练');
  });

  it('return English for locale en', () => {
    expect(paramLabel('en', texts, 'normalise', 'method', 'Method')).toBe('Method');
    expect(paramHelp('en', texts, 'normalise', 'method', 'min-max: …')).toBe('min-max: …');
    expect(paramUnit('en', texts, 'anonymise', 'bandWidth', 'years')).toBe('years');
    expect(paramGroup('en', texts, 'lstm', 'Training')).toBe('Training');
  });

  it('fall back to English for an unknown kind or param', () => {
    expect(paramLabel('zh', texts, 'brand-new-kind', 'method', 'Method')).toBe('Method');
    expect(paramLabel('zh', texts, 'normalise', 'brandNewParam', 'Brand new')).toBe('Brand new');
    expect(paramLabel('zh', texts, 'normalise', 'toString', 'To string')).toBe('To string');
    expect(paramHelp('zh', texts, 'normalise', 'brandNewParam', 'Some help.')).toBe('Some help.');
    expect(paramUnit('zh', texts, 'brand-new-kind', 'size', 'MB')).toBe('MB');
    expect(paramGroup('zh', texts, 'lstm', 'Brand new group')).toBe('Brand new group');
    expect(paramGroup('zh', texts, 'constructor', 'Training')).toBe('Training');
  });

  it('show no help or unit where English has none, even when zh has one', () => {
    expect(paramHelp('zh', texts, 'normalise', 'method', undefined)).toBeUndefined();
    expect(paramUnit('zh', texts, 'load', 'maxMegabytes', undefined)).toBeUndefined();
  });
});
