import { describe, expect, it } from 'vitest';
import { featureTextOf, topReasons } from '../../src/ml/explain-reasons.ts';

describe('topReasons in words', () => {
  // Two customers, 3 weeks × 2 features; customer 0 carts a lot in the last week, customer 1 never.
  const x = Float32Array.from([0, 1, 0, 1, 6, 1, 0, 1, 0, 1, 0, 1]);
  const attributions = Float32Array.from([0, 0, 0, 0, 0.124, 0.01, 0, 0, 0, 0, -0.05, 0]);
  const base = { x, attributions, n: 2, steps: 3, features: 2, featureNames: ['extra_event_cart', 'table_rows'], period: 'week', recent: 1, top: 1 };

  it('names a feature by its words in both languages and keeps its column name in `feature`', () => {
    const reasons = topReasons({ ...base, featureText: [{ en: 'cart events', zh: 'cart（event）次数' }, null] });
    expect(reasons.map((r) => r[0])).toEqual([
      { feature: 'extra_event_cart', window: 'recent', attribution: expect.closeTo(0.124, 6), en: 'cart events in the last 1 week well above the average customer (raises the probability by 12.4 points)', zh: '最近 1 周的 cart（event）次数 远高于平均客户（使购买概率提高 12.4 个百分点）' },
      { feature: 'extra_event_cart', window: 'recent', attribution: expect.closeTo(-0.05, 6), en: 'no cart events in the last 1 week (lowers the probability by 5.0 points)', zh: '最近 1 周的 cart（event）次数为 0（使购买概率降低 5.0 个百分点）' },
    ]);
  });

  it('falls back to the column name where the words are unknown', () => {
    expect(topReasons(base)[0]?.[0]?.en).toBe('extra_event_cart in the last 1 week well above the average customer (raises the probability by 12.4 points)');
  });

  it('reads the words from a sequences meta, leaving out malformed or missing entries', () => {
    expect(featureTextOf({ featureText: [{ en: 'cart events', zh: '购物车' }, { en: 3, zh: 'x' }, 'views'] }, 4)).toEqual([{ en: 'cart events', zh: '购物车' }, null, null, null]);
    expect(featureTextOf({}, 2)).toEqual([null, null]);
    expect(featureTextOf(JSON.parse('{"__proto__": {"featureText": [{"en": "a", "zh": "b"}]}}'), 1)).toEqual([null]);
  });
});
