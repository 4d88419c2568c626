/**
 * Rule-based top-N: the best applicable rule wins, bought items are excluded, popularity fills
 * the rest; rule models survive a JSON round trip and malformed ones are refused.
 */
import { describe, expect, it } from 'vitest';
import { buildUserItems, splitRandomItem } from '../../src/ml/recommend.ts';
import { evaluateRulesOffline, evaluateRulesUnlessCapped, readRuleModel, recommendByRules, ruleModelJson, ruleReason, rulesInItemSpace, RULE_SOURCE, type RuleModel } from '../../src/ml/rule-recommend.ts';
import { DataError } from '../../src/data/issues.ts';

// Items 0..4; rules: {0} → {2} (conf 0.5, lift 2), {0, 1} → {3} (conf 0.9, lift 1.5), {4} → {2} (conf 0.7, lift 3).
const model: RuleModel = {
  items: ['a', 'b', 'c', 'd', 'e'],
  rules: {
    antecedentOffsets: Int32Array.from([0, 1, 3, 4]),
    antecedentItems: Int32Array.from([0, 0, 1, 4]),
    consequentOffsets: Int32Array.from([0, 1, 2, 3]),
    consequentItems: Int32Array.from([2, 3, 2]),
    support: Float64Array.from([0.1, 0.05, 0.2]),
    confidence: Float64Array.from([0.5, 0.9, 0.7]),
    lift: Float64Array.from([2, 1.5, 3]),
    size: 3,
  },
  mining: { minSupport: 0.01, minConfidence: 0.5, maxLength: 10, maxConsequent: 1, minLength: 2, maxItemsets: 1000 },
  baskets: 100,
};

describe('recommendByRules', () => {
  // Users: 0 bought {a, b}, 1 bought {a, e}, 2 bought {c}.
  const userItems = buildUserItems({ users: Int32Array.from([0, 0, 1, 1, 2]), items: Int32Array.from([0, 1, 0, 4, 2]), nUsers: 3, nItems: 5 });
  const popularity = Float64Array.from([3, 2, 1, 4, 0]);
  const popularOrder = Int32Array.from([3, 0, 1, 2, 4]);

  it('ranks items by the best confidence of the rules whose left side was bought, then fills by popularity', () => {
    const recs = recommendByRules(model.rules, userItems, popularity, popularOrder, { n: 3 });
    expect(Array.from(recs.items)).toEqual([3, 2, -1, 2, 3, 1, 3, 0, 1]);
    expect(Array.from(recs.reasons)).toEqual([1, 0, -1, 2, -1, -1, -1, -1, -1]);
    expect(Array.from(recs.sources)).toEqual([RULE_SOURCE, RULE_SOURCE, 255, RULE_SOURCE, 1, 1, 1, 1, 1]);
    expect(Array.from(recs.scores.subarray(0, 2))).toEqual([0.9, 0.5]);
  });

  it('ranks by lift when asked', () => {
    const recs = recommendByRules(model.rules, userItems, popularity, popularOrder, { n: 1, rank: 'lift' });
    expect(Array.from(recs.items)).toEqual([2, 2, 3]);
    expect(Array.from(recs.scores.subarray(0, 2))).toEqual([2, 3]);
  });
});

describe('rule models', () => {
  it('survive a JSON round trip', () => {
    const back = readRuleModel('association-rules', JSON.parse(JSON.stringify(ruleModelJson(model))));
    expect(back).toEqual(model);
  });

  it('refuse a transform from another node and rules naming unknown items', () => {
    expect(() => readRuleModel('normalise', {})).toThrow(DataError);
    const json = ruleModelJson(model);
    expect(() => readRuleModel('association-rules', { ...json, consequents: [[2], [9], [2]] })).toThrow('("consequent 1 names item 9")');
  });

  it('map to another item numbering, dropping and counting rules with unknown items', () => {
    const ids = new Map([['a', 10], ['c', 12], ['e', 14]]);
    const mapped = rulesInItemSpace(model, (name) => ids.get(name));
    expect(mapped.unmatched).toBe(1);
    expect(Array.from(mapped.kept)).toEqual([0, 2]);
    expect(Array.from(mapped.rules.antecedentItems)).toEqual([10, 14]);
    expect(Array.from(mapped.rules.consequentItems)).toEqual([12, 12]);
  });

  it('read as a reason a person can follow', () => {
    expect(ruleReason(model, 1, 'd')).toBe('customers who bought a and b also buy d (confidence 90%, lift 1.5)');
  });
});

describe('evaluateRulesUnlessCapped', () => {
  // 40 customers: even ones buy items 0, 1, 2; odd ones 3, 4, 5.
  const users: number[] = [];
  const items: number[] = [];
  for (let u = 0; u < 40; u++) {
    for (const i of u % 2 === 0 ? [0, 1, 2] : [3, 4, 5]) {
      users.push(u);
      items.push(i);
    }
  }
  const split = splitRandomItem({ users: Int32Array.from(users), items: Int32Array.from(items), nUsers: 40, nItems: 6 }, 3);
  const mining = { minSupport: 0.1, minConfidence: 0.5, maxLength: 3, maxConsequent: 1, minLength: 2, maxItemsets: 1000 };

  it('is the rule evaluation when mining stays under the itemset cap', () => {
    expect(evaluateRulesUnlessCapped(split, mining, { n: 2 })).toEqual(evaluateRulesOffline(split, mining, { n: 2 }));
  });

  it('is null when re-mining passes the itemset cap', () => {
    expect(evaluateRulesUnlessCapped(split, { ...mining, maxItemsets: 2 }, { n: 2 })).toBeNull();
  });
});
