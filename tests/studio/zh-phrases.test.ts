import { describe, expect, it } from 'vitest';
import { segmentNameText, storageText, summaryText } from '../../src/studio/i18n/summary-zh.ts';
import { optionLabel } from '../../src/studio/i18n/option-zh.ts';
import { metricName } from '../../src/studio/views/metric-names.ts';
import { uiEn } from '../../src/studio/i18n/ui-en.ts';
import { uiZh } from '../../src/studio/i18n/ui-zh.ts';
import { placeholders } from '../../src/studio/i18n/index.ts';

describe('Chinese for engine-written text', () => {
  it('writes the default project\'s node summaries in Chinese, numbers and names untouched', () => {
    expect(summaryText('zh', '19,134 rows × 6 columns')).toBe('19,134 行 × 6 列');
    expect(summaryText('zh', '17,669 rows · 7 report lines')).toBe('17,669 行 · 7 条报告');
    expect(summaryText('zh', 'AUC 0.684 · wasm (measured: wasm 21,000/s, webgpu software 310/s)')).toBe('AUC 0.684 · wasm (实测： wasm 21,000/s, webgpu 软件 310/s)');
    expect(summaryText('zh', '994 customers · 6 segments')).toBe('994 位客户 · 6 个客户群');
    expect(summaryText('zh', 'k = 6 · silhouette 0.308')).toBe('k = 6 · 轮廓系数 0.308');
    expect(summaryText('zh', '1,000 customers explained')).toBe('已解释 1,000 位客户');
    expect(summaryText('en', '994 customers · 6 segments')).toBe('994 customers · 6 segments');
    expect(summaryText('zh', 'AUC 0.691 · best of 3')).toBe('AUC 0.691 · 3 个模型中最佳');
    expect(summaryText('zh', 'AUC 0.689 · best 0.703: ensemble (mean rank)')).toBe('AUC 0.689 · 最佳 0.703：ensemble (mean rank)');
  });
  it('writes the storage line in Chinese', () => {
    expect(storageText('zh', '16.8 MB of 10.0 GB used (0.2%) · may be cleared by the browser under pressure')).toBe('已用 16.8 MB / 共 10.0 GB (0.2%) · 空间紧张时浏览器可能清除');
  });
  it('names option values in Chinese beside the stored value, and leaves symbols alone', () => {
    expect([optionLabel('zh', 'kfold'), optionLabel('zh', '>='), optionLabel('zh', 'layers'), optionLabel('en', 'kfold')]).toEqual(['k 折交叉验证（kfold）', '>=', 'tf.layers（layers）', 'kfold']);
  });
  it('names metrics in words, unknown keys as written', () => {
    expect([metricName('en', 'roc_auc'), metricName('zh', 'log_loss'), metricName('zh', 'custom_metric')]).toEqual(['ROC AUC', '对数损失', 'custom_metric']);
  });
});

describe('the views catalogue', () => {
  it('has the same keys and placeholders in English and Chinese, and no Chinese string left in English', () => {
    expect(Object.keys(uiZh).sort()).toEqual(Object.keys(uiEn).sort());
    const zhByKey = new Map(Object.entries(uiZh));
    for (const [key, en] of Object.entries(uiEn)) {
      const zh = zhByKey.get(key) ?? '';
      expect(placeholders(zh), key).toEqual(placeholders(en));
      if (/[A-Za-z]{4,}\s+[A-Za-z]{4,}/.test(en.replace(/\{\w+\}/g, ''))) expect(zh, key).toMatch(/[\u4e00-\u9fff]/);
    }
  });
});

describe('generated segment names in Chinese', () => {
  it('translates the naming rules\' words and keeps unknown ones', () => {
    expect(segmentNameText('zh', 'High spenders (furniture shoppers)')).toBe('高消费客户（家具类购物者）');
    expect(segmentNameText('zh', 'Lapsing customers')).toBe('流失中的客户');
    expect(segmentNameText('zh', 'Recent one-timers')).toBe('近期一次性购买客户');
    expect(segmentNameText('zh', 'Customers with high avg_basket_value')).toBe('avg_basket_value 偏高的客户');
    expect(segmentNameText('en', 'Lapsing customers')).toBe('Lapsing customers');
  });
});
