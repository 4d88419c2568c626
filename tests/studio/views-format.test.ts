import { describe, expect, it } from 'vitest';
import { columnUnit, formatCell, formatNumber, formatSeconds, formatWithUnit, labelWidth } from '../../src/studio/views/format.ts';
import { bestEpoch, seriesKind } from '../../src/studio/views/training.ts';
import { keyWords, modelDetails } from '../../src/studio/views/model-details.ts';
import { pickDefaults } from '../../src/studio/views/chart-columns.ts';
import { evidenceText, strategyText } from '../../src/studio/views/report-text.ts';
import { NO_SEGMENT_RULE, STRATEGY_RULES } from '../../src/ml/segment-strategy.ts';
import { segmentNameText } from '../../src/studio/i18n/summary-zh.ts';

describe('number formats with units', () => {
  it('reads the unit from the column name', () => {
    expect(['purchase_probability', 'mean_purchase_probability', 'observed_rate', 'share_furniture', 'durationMs', 'train_ms', 'recency_days', 'monetary', 'k'].map(columnUnit)).toEqual(['percent', 'percent', 'percent', 'percent', 'seconds', 'seconds', 'days', 'none', 'none']);
  });
  it('groups digits, keeps four significant figures and never prints trailing zeros', () => {
    expect([6, 6.0, 1234567, 0.30812, 35476.4, 2.5e-6, -0.4].map(formatNumber)).toEqual(['6', '6', '1,234,567', '0.3081', '35,476', '2.50e-6', '-0.4']);
  });
  it('writes shares as percentages, milliseconds as seconds and days with a d', () => {
    expect(formatWithUnit(0.8321, 'percent')).toBe('83.2 %');
    expect(formatWithUnit(3, 'percent')).toBe('3');
    expect(formatWithUnit(137454, 'seconds')).toBe('2 min 17 s');
    expect(formatWithUnit(4200, 'seconds')).toBe('4.2 s');
    expect(formatWithUnit(12, 'days')).toBe('12 d');
    expect(formatSeconds(4000)).toBe('1 h 7 min');
  });
  it('shows missing cells as empty text and objects as JSON', () => {
    expect([formatCell(null), formatCell(undefined), formatCell({ a: 1 }), formatCell('x'), formatCell(true)]).toEqual(['', '', '{"a":1}', 'x', 'true']);
  });
});

describe('chart label widths', () => {
  it('count a Chinese character about 1.6 times a Latin one, so Chinese segment names get room', () => {
    expect(labelWidth('5 High spenders')).toBeCloseTo(15 * 6.6, 6);
    expect(labelWidth('5 高消费客户（家具类购物者）')).toBeCloseTo(2 * 6.6 + 13 * 10.5, 6);
    expect(labelWidth('')).toBe(0);
  });
});

describe('training curves', () => {
  it('names live and stored history fields alike and skips the rest', () => {
    expect(['loss', 'valLoss', 'val_loss', 'auc', 'val_auc', 'accuracy', 'seconds'].map(seriesKind)).toEqual(['loss', 'valLoss', 'valLoss', 'auc', 'valAuc', null, null]);
  });
  it('marks the epoch of lowest validation loss, else of lowest training loss', () => {
    const rows = [
      { epoch: 1, kind: 'loss' as const, value: 0.7 }, { epoch: 2, kind: 'loss' as const, value: 0.5 }, { epoch: 3, kind: 'loss' as const, value: 0.4 },
      { epoch: 1, kind: 'valLoss' as const, value: 0.69 }, { epoch: 2, kind: 'valLoss' as const, value: 0.6 }, { epoch: 3, kind: 'valLoss' as const, value: 0.65 },
    ];
    expect(bestEpoch(rows)).toEqual({ epoch: 2, value: 0.6, by: 'valLoss' });
    expect(bestEpoch(rows.filter((r) => r.kind === 'loss'))).toEqual({ epoch: 3, value: 0.4, by: 'loss' });
    expect(bestEpoch([])).toBeNull();
  });
});

describe('model details in words', () => {
  const words = { yes: 'yes', no: 'no', seconds: (what: string) => `${what} (seconds)` };
  it('labels known fields, spells out unknown keys, shows milliseconds as seconds and hides the history', () => {
    const meta = { bestEpoch: 6, hostBackend: 'webgpu', trainMs: 137454, history: [1, 2], featureNames: ['a'], foldEpochs: [8, 8], applied: false, customThing: 0.30812 };
    expect(modelDetails(meta, (f) => `<${f}>`, words)).toEqual([
      ['<bestEpoch>', '6', 'bestEpoch'],
      ['<foldEpochs>', '8, 8', 'foldEpochs'],
      ['<hostBackend>', 'webgpu', 'hostBackend'],
      ['<applied>', 'no', 'applied'],
      ['train (seconds)', '2 min 17 s', 'trainMs'],
      ['custom thing', '0.3081', 'customThing'],
    ]);
    expect(keyWords('hostBackend')).toBe('host backend');
  });
});

describe('chart defaults and strategy texts', () => {
  it('starts a scatter on the first two measures (not ids or ranks) coloured by segment name', () => {
    expect(pickDefaults(['rank', 'id', 'segment', 'segment_name', 'purchase_probability', 'value'], ['number', 'string', 'number', 'string', 'number', 'number'])).toEqual({ x: 'purchase_probability', y: 'value', group: 'segment_name' });
    expect(pickDefaults(['a'], ['string'])).toEqual({});
  });
  it('writes declared strategies in Chinese by rule id and leaves unknown rules as the node wrote them', () => {
    expect(strategyText('zh', 'win-back', 'strategy', 'Win back')).toBe('赢回流失客户');
    expect(strategyText('zh', 'win-back', 'condition', 'z(recency) ≥ 0.5')).toBe('z(最近购买间隔) ≥ 0.5');
    expect(strategyText('zh', 'custom', 'strategy', 'Custom')).toBe('Custom');
    expect(strategyText('en', 'win-back', 'strategy', 'Win back')).toBe('Win back');
  });

  it('has Chinese for every rule the decide node declares, the no-segment rule included', () => {
    for (const r of [...STRATEGY_RULES, NO_SEGMENT_RULE]) {
      expect(strategyText('zh', r.rule, 'strategy', r.strategy)).not.toBe(r.strategy);
      expect(strategyText('zh', r.rule, 'action', r.action)).not.toBe(r.action);
    }
    expect(strategyText('zh', 'no-segment', 'condition', NO_SEGMENT_RULE.condition)).toBe('有预测但没有分群');
    expect(evidenceText('zh', 'not in the segments input')).toBe('不在 segments 输入中');
    expect(segmentNameText('zh', 'No segment')).toBe('无分群');
  });

  it('writes the decide node\'s evidence words in Chinese and keeps its figures', () => {
    expect(evidenceText('zh', 'none held: tenure_days z = +0.13; recency_days z = −0.10')).toBe('前面的规则均不成立：tenure_days z = +0.13; recency_days z = −0.10');
    expect(evidenceText('zh', 'always')).toBe('总是');
    expect(evidenceText('en', 'none held: x')).toBe('none held: x');
  });
});
