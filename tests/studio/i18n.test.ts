import { describe, expect, it } from 'vitest';
import { en } from '../../src/studio/i18n/en.ts';
import { zh } from '../../src/studio/i18n/zh.ts';
import { nodeKinds } from '../../nodes/index.ts';
import { texts } from './node-texts.ts';
import { kindLabel, placeholders, preferredLocale, translate } from '../../src/studio/i18n/index.ts';

describe('the message catalogues', () => {
  it('have exactly the same keys in English and Chinese', () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
  });

  it('use the same placeholders for every key in both languages', () => {
    const mismatched = Object.entries(en).filter(([key, text]) => {
      const other = Object.entries(zh).find(([k]) => k === key)?.[1] ?? '';
      return placeholders(text).join() !== placeholders(other).join();
    });
    expect(mismatched).toEqual([]);
  });

  it('have no empty strings', () => {
    expect(Object.entries(zh).filter(([, v]) => v.trim() === '').map(([k]) => k)).toEqual([]);
    expect(Object.entries(en).filter(([, v]) => v.trim() === '').map(([k]) => k)).toEqual([]);
  });

  it('translate every node kind of the method into Chinese', () => {
    const untranslated = nodeKinds.filter((k) => !k.zh || !/[\u4e00-\u9fff]/.test(k.zh.label) || !/[\u4e00-\u9fff]/.test(k.zh.description)).map((k) => k.kind);
    expect(untranslated).toEqual([]);
    expect(kindLabel('zh', texts, 'normalise', 'Normalise')).toBe('归一化');
    expect(kindLabel('en', texts, 'normalise', 'Normalise')).toBe('Normalise');
    expect(kindLabel('zh', texts, 'brand-new-kind', 'Brand new')).toBe('Brand new');
  });
});

describe('translate', () => {
  it('fills placeholders and leaves unknown ones visible', () => {
    expect(translate('en', 'run.finished', { ran: 3, cached: 9 })).toBe('Run finished: 3 ran, 9 from cache.');
    expect(translate('zh', 'run.finished', { ran: 3 })).toBe('运行完成：3 个节点已运行，{cached} 个来自缓存。');
  });

  it('keeps the run button text "Run" in English', () => {
    expect(translate('en', 'toolbar.run')).toBe('Run');
    expect(translate('zh', 'toolbar.run')).toBe('运行');
  });
});

describe('preferredLocale', () => {
  it('picks Chinese for zh-CN, English otherwise', () => {
    expect(preferredLocale(['zh-CN', 'en'])).toBe('zh');
    expect(preferredLocale(['fr-FR', 'de'])).toBe('en');
    expect(preferredLocale([])).toBe('en');
  });
});
