/**
 * Recommendations from association rules ("customers who bought X and Y also buy Z"): a rule
 * X → Y applies to a customer whose history contains all of X; each item z of Y not yet bought
 * scores the best measure (confidence or lift) of the rules that apply and name it, and that rule
 * is the reason. Slots no rule fills go to popularity (distinct buyers), bought items excluded.
 * Ties go to the lower item id, so results are deterministic.
 *
 * The offline evaluation mines the rules again on the training part of a holdout split (each
 * training history one basket, the same thresholds), so held-out items never shape the rules
 * they are scored with, and compares the lists with popularity on the same split.
 */
import { associationRules, frequentItemsets, type Rules } from './fpgrowth.ts';
import { buildUserItems, recommendPopular, fitItemItem, scoreRankings, selectTop, type Csr, type HoldoutSplit, type Recommendations, type RankingScores } from './recommend.ts';
import { KernelInputError } from './matrix.ts';
import { DataError, errorTemplate, type KernelMessages } from '../data/issues.ts';
import type { JsonValue } from '../engine/ports.ts';
import { table, type ColumnTable } from 'arquero';

/** The parts of a rule list that recommending reads. */
export type RuleList = Pick<Rules, 'antecedentOffsets' | 'antecedentItems' | 'consequentOffsets' | 'consequentItems' | 'confidence' | 'lift' | 'size'>;

/** Which rule measure ranks the recommended items. */
export const RULE_RANKINGS = ['confidence', 'lift'] as const;

/** One of RULE_RANKINGS. */
export type RuleRanking = (typeof RULE_RANKINGS)[number];

/** Index of the source 'association-rule' in RECOMMENDATION_SOURCES. */
export const RULE_SOURCE = 3;
/** Index of the source 'popular' in RECOMMENDATION_SOURCES. */
const POPULAR_SOURCE = 1;

/** Options for recommendByRules. */
export interface RuleRecommendOptions {
  /** Slots per user. Default 10. */
  n?: number;
  /** Measure that ranks items. Default 'confidence'. */
  rank?: RuleRanking;
}

/**
 * Top-n per history row of `userItems` from the rules, popularity filling the rest. In the result,
 * `reasons` holds the rule index for rule slots (−1 for popularity) and `sources` RULE_SOURCE or
 * the popular source.
 */
export function recommendByRules(rules: RuleList, userItems: Csr, popularity: Float64Array, popularOrder: Int32Array, options: RuleRecommendOptions = {}): Recommendations {
  const n = options.n ?? 10;
  if (!Number.isInteger(n) || n < 1) throw new KernelInputError('option', `n must be an integer ≥ 1; got ${n}.`);
  const measure = options.rank === 'lift' ? rules.lift : rules.confidence;
  const nItems = userItems.cols;
  // Each rule is indexed under the item of its antecedent that the fewest antecedents hold, so a
  // customer's items visit few rules that cannot apply. Empty antecedents apply to everyone.
  const holders = new Int32Array(nItems);
  for (let k = 0; k < rules.antecedentItems.length; k++) {
    const i = rules.antecedentItems[k]!;
    if (i < 0 || i >= nItems) throw new KernelInputError('range', `A rule names item ${i}, outside 0..${nItems - 1}.`);
    holders[i]!++;
  }
  const keyItem = new Int32Array(rules.size).fill(-1);
  const firstCount = new Int32Array(nItems + 1);
  const always: number[] = [];
  for (let r = 0; r < rules.size; r++) {
    let key = -1;
    for (let k = rules.antecedentOffsets[r]!; k < rules.antecedentOffsets[r + 1]!; k++) {
      const i = rules.antecedentItems[k]!;
      if (key < 0 || holders[i]! < holders[key]!) key = i;
    }
    keyItem[r] = key;
    if (key < 0) always.push(r);
    else firstCount[key + 1]!++;
  }
  for (let i = 0; i < nItems; i++) firstCount[i + 1]! += firstCount[i]!;
  const byFirst = new Int32Array(firstCount[nItems]!);
  const fill = firstCount.slice(0, nItems);
  for (let r = 0; r < rules.size; r++) if (keyItem[r]! >= 0) byFirst[fill[keyItem[r]!]!++] = r;
  const users = userItems.rows;
  const out: Recommendations = { n, users, items: new Int32Array(users * n).fill(-1), scores: new Float64Array(users * n), reasons: new Int32Array(users * n).fill(-1), sources: new Uint8Array(users * n).fill(255) };
  const bought = new Int32Array(nItems).fill(-1);
  const best = new Float64Array(nItems);
  const bestRule = new Int32Array(nItems).fill(-1);
  const touchedStamp = new Int32Array(nItems).fill(-1);
  const touched = new Int32Array(nItems);
  const top = new Int32Array(n);
  const shareOf = Math.max(users, 1);
  const consider = (r: number, u: number, count: { value: number }): void => {
    for (let k = rules.antecedentOffsets[r]!; k < rules.antecedentOffsets[r + 1]!; k++) if (bought[rules.antecedentItems[k]!] !== u) return;
    const score = measure[r]!;
    for (let k = rules.consequentOffsets[r]!; k < rules.consequentOffsets[r + 1]!; k++) {
      const z = rules.consequentItems[k]!;
      if (z < 0 || z >= nItems || bought[z] === u) continue;
      if (touchedStamp[z] !== u) {
        touchedStamp[z] = u;
        touched[count.value++] = z;
        best[z] = score;
        bestRule[z] = r;
      } else if (score > best[z]!) {
        best[z] = score;
        bestRule[z] = r;
      }
    }
  };
  for (let u = 0; u < users; u++) {
    const hs = userItems.indptr[u]!;
    const he = userItems.indptr[u + 1]!;
    for (let k = hs; k < he; k++) bought[userItems.indices[k]!] = u;
    const count = { value: 0 };
    for (const r of always) consider(r, u, count);
    for (let k = hs; k < he; k++) {
      const i = userItems.indices[k]!;
      for (let q = firstCount[i]!; q < firstCount[i + 1]!; q++) consider(byFirst[q]!, u, count);
    }
    const kept = selectTop(touched, count.value, best, n, top);
    let slot = 0;
    for (; slot < kept; slot++) {
      const z = top[slot]!;
      out.items[u * n + slot] = z;
      out.scores[u * n + slot] = best[z]!;
      out.reasons[u * n + slot] = bestRule[z]!;
      out.sources[u * n + slot] = RULE_SOURCE;
    }
    for (let p = 0; p < popularOrder.length && slot < n; p++) {
      const j = popularOrder[p]!;
      if (bought[j] === u || touchedStamp[j] === u || popularity[j] === 0) continue;
      out.items[u * n + slot] = j;
      out.scores[u * n + slot] = popularity[j]! / shareOf;
      out.sources[u * n + slot] = POPULAR_SOURCE;
      slot++;
    }
  }
  return out;
}

/** Thresholds for mining rules, as the rules node takes them. */
export interface RuleMining {
  /** Smallest itemset support. */
  minSupport: number;
  /** Smallest rule confidence. */
  minConfidence: number;
  /** Longest itemset. */
  maxLength: number;
  /** Most items on the right. */
  maxConsequent: number;
  /** Fewest items in a rule. */
  minLength: number;
  /** Itemset cap. */
  maxItemsets: number;
}

/** Offline comparison of rule-based lists with popularity on one split. */
export interface RuleEvaluation {
  /** Users evaluated. */
  users: number;
  /** Rules mined on the training part. */
  rules: number;
  /** Rule-based lists (popularity filling). */
  byRules: RankingScores;
  /** Overall popularity, bought items excluded. */
  popularity: RankingScores;
  /** Share of evaluated users' slots filled by a rule. */
  ruleSlotShare: number;
}

/** Mines rules on the split's training histories (one basket each) and scores their top-n against popularity. */
export function evaluateRulesOffline(split: HoldoutSplit, mining: RuleMining, options: RuleRecommendOptions & { checkpoint?: () => void } = {}): RuleEvaluation {
  const n = options.n ?? 10;
  if (split.evalUsers.length === 0) throw new KernelInputError('empty', 'No user qualifies for offline evaluation (each needs a history and a held-out item).');
  const userItems = buildUserItems(split.train);
  const baskets = { offsets: userItems.indptr, items: userItems.indices, nItems: userItems.cols };
  const sets = frequentItemsets(baskets, { minSupport: mining.minSupport, maxLength: mining.maxLength, maxItemsets: mining.maxItemsets, ...(options.checkpoint ? { checkpoint: options.checkpoint } : {}) });
  const rules = associationRules(sets, { minConfidence: mining.minConfidence, maxConsequent: mining.maxConsequent, minLength: mining.minLength });
  // Popularity from the same training data, through the item-item model's counts (no neighbours needed).
  const model = fitItemItem(split.train, { neighbours: 1, maxHistory: 1 });
  const recs = recommendByRules(rules, userItems, model.popularity, model.popularOrder, { n, ...(options.rank ? { rank: options.rank } : {}) });
  let ruleSlots = 0;
  for (const u of split.evalUsers) for (let s = 0; s < n; s++) if (recs.sources[u * n + s] === RULE_SOURCE) ruleSlots++;
  return {
    users: split.evalUsers.length,
    rules: rules.size,
    byRules: scoreRankings(recs, split),
    popularity: scoreRankings(recommendPopular(model, { n }), split),
    ruleSlotShare: ruleSlots / (split.evalUsers.length * n),
  };
}

/** evaluateRulesOffline, or null when re-mining the training histories passes the itemset cap (the lists can still use the rules). */
export function evaluateRulesUnlessCapped(split: HoldoutSplit, mining: RuleMining, options: RuleRecommendOptions & { checkpoint?: () => void } = {}): RuleEvaluation | null {
  try {
    return evaluateRulesOffline(split, mining, options);
  } catch (err) {
    if (err instanceof DataError && err.dataCode === 'itemsetCap') return null;
    throw err;
  }
}

/** Messages about a rule model handed to another node. */
export const ruleModelMessages: KernelMessages = {
  badRules: errorTemplate('The transform connected to input "rules" is not a rule model from a rules node ({reason}).'),
};

/** A rule model as it travels between nodes: item names, the rules and how they were mined. */
export interface RuleModel {
  /** Item name per item id. */
  items: string[];
  /** The rules (ids index `items`). */
  rules: RuleList & Pick<Rules, 'support'>;
  /** The thresholds that mined them. */
  mining: RuleMining;
  /** Baskets they were mined from. */
  baskets: number;
}

/** The JSON parameters of a rule model (a transform of kind 'association-rules'). */
export function ruleModelJson(model: RuleModel): { [key: string]: JsonValue } {
  const r = model.rules;
  const side = (offsets: Int32Array, items: Int32Array): number[][] => Array.from({ length: r.size }, (_, q) => Array.from(items.subarray(offsets[q], offsets[q + 1])));
  return {
    items: model.items,
    antecedents: side(r.antecedentOffsets, r.antecedentItems),
    consequents: side(r.consequentOffsets, r.consequentItems),
    support: Array.from(r.support),
    confidence: Array.from(r.confidence),
    lift: Array.from(r.lift),
    mining: { ...model.mining },
    baskets: model.baskets,
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads a rule model back from a transform's kind and params, refusing anything malformed. */
export function readRuleModel(kind: string, params: unknown): RuleModel {
  const bad = (reason: string): never => {
    throw new DataError(ruleModelMessages, 'badRules', { reason }, 'rules');
  };
  if (kind !== 'association-rules') return bad(`it came from ${JSON.stringify(kind)}`);
  if (!isRecord(params)) return bad('no parameters');
  const { items, antecedents, consequents, support, confidence, lift, mining, baskets } = params;
  if (!Array.isArray(items) || !items.every((i): i is string => typeof i === 'string')) return bad('no item names');
  if (!Array.isArray(antecedents) || !Array.isArray(consequents) || !Array.isArray(support) || !Array.isArray(confidence) || !Array.isArray(lift)) return bad('no rules');
  const size = antecedents.length;
  if ([consequents, support, confidence, lift].some((a) => a.length !== size)) return bad('rule columns differ in length');
  const numbers = (a: unknown[], name: string): Float64Array => Float64Array.from(a, (v) => (typeof v === 'number' && Number.isFinite(v) ? v : bad(`${name} holds ${JSON.stringify(v)}`)));
  const side = (lists: unknown[], name: string): { offsets: Int32Array; flat: Int32Array } => {
    const offsets = new Int32Array(size + 1);
    const flat: number[] = [];
    lists.forEach((list, q) => {
      if (!Array.isArray(list)) return bad(`${name} ${q} is not a list`);
      for (const v of list) {
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= items.length) return bad(`${name} ${q} names item ${JSON.stringify(v)}`);
        flat.push(v);
      }
      offsets[q + 1] = flat.length;
    });
    return { offsets, flat: Int32Array.from(flat) };
  };
  const x = side(antecedents, 'antecedent');
  const y = side(consequents, 'consequent');
  if (!isRecord(mining)) return bad('no mining thresholds');
  const m = (name: keyof RuleMining): number => {
    const v = mining[name];
    return typeof v === 'number' && Number.isFinite(v) ? v : bad(`mining threshold ${name} is ${JSON.stringify(v)}`);
  };
  return {
    items,
    rules: { antecedentOffsets: x.offsets, antecedentItems: x.flat, consequentOffsets: y.offsets, consequentItems: y.flat, support: numbers(support, 'support'), confidence: numbers(confidence, 'confidence'), lift: numbers(lift, 'lift'), size },
    mining: { minSupport: m('minSupport'), minConfidence: m('minConfidence'), maxLength: m('maxLength'), maxConsequent: m('maxConsequent'), minLength: m('minLength'), maxItemsets: m('maxItemsets') },
    baskets: typeof baskets === 'number' ? baskets : 0,
  };
}

/**
 * The model's rules in another item numbering (e.g. a recommender's product ids): `idOf` maps an
 * item name to its id there, undefined when absent. Rules naming an absent item are dropped and
 * counted — their antecedent can never hold, or their consequent cannot be recommended.
 */
export function rulesInItemSpace(model: RuleModel, idOf: (name: string) => number | undefined): { rules: RuleList; kept: Int32Array; unmatched: number } {
  const r = model.rules;
  const ids = model.items.map((name) => idOf(name) ?? -1);
  const xo = [0];
  const xi: number[] = [];
  const yo = [0];
  const yi: number[] = [];
  const kept: number[] = [];
  for (let q = 0; q < r.size; q++) {
    const x = Array.from(r.antecedentItems.subarray(r.antecedentOffsets[q], r.antecedentOffsets[q + 1]), (i) => ids[i]!);
    const y = Array.from(r.consequentItems.subarray(r.consequentOffsets[q], r.consequentOffsets[q + 1]), (i) => ids[i]!);
    if (x.some((i) => i < 0) || y.some((i) => i < 0)) continue;
    xi.push(...x);
    yi.push(...y);
    xo.push(xi.length);
    yo.push(yi.length);
    kept.push(q);
  }
  const pick = (a: Float64Array) => Float64Array.from(kept, (q) => a[q]!);
  return {
    rules: { antecedentOffsets: Int32Array.from(xo), antecedentItems: Int32Array.from(xi), consequentOffsets: Int32Array.from(yo), consequentItems: Int32Array.from(yi), confidence: pick(r.confidence), lift: pick(r.lift), size: kept.length },
    kept: Int32Array.from(kept),
    unmatched: r.size - kept.length,
  };
}

/** "customers who bought X and Y also buy Z (confidence 62%, lift 3.1)" for rule q of the model. */
export function ruleReason(model: RuleModel, q: number, item: string): string {
  const r = model.rules;
  const x = Array.from(r.antecedentItems.subarray(r.antecedentOffsets[q], r.antecedentOffsets[q + 1]), (i) => model.items[i] ?? '?');
  const conf = `confidence ${Math.round(r.confidence[q]! * 100)}%, lift ${r.lift[q]!.toFixed(1)}`;
  if (x.length === 0) return `bought by ${Math.round(r.confidence[q]! * 100)}% of all baskets (${conf})`;
  const bought = x.length === 1 ? x[0]! : `${x.slice(0, -1).join(', ')} and ${x[x.length - 1]!}`;
  return `customers who bought ${bought} also buy ${item} (${conf})`;
}

/** Adds the rule-based evaluation to a recommend metrics value: rules_* summary figures and a comparison row. */
export function addRuleMetrics(metrics: { summary: Record<string, number | null>; tables: Record<string, ColumnTable>; detail: { [key: string]: JsonValue } }, e: RuleEvaluation): void {
  const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);
  Object.assign(metrics.summary, {
    rules_hit_rate: e.byRules.hitRate,
    rules_recall: e.byRules.recall,
    rules_map: e.byRules.map,
    rules_recall_ratio: ratio(e.byRules.recall, e.popularity.recall),
    rules_map_ratio: ratio(e.byRules.map, e.popularity.map),
  });
  metrics.detail.rulesMinedOnTraining = e.rules;
  metrics.detail.ruleSlotShare = e.ruleSlotShare;
  const comparison = metrics.tables.comparison;
  if (comparison !== undefined && comparison.numRows() > 0) {
    metrics.tables.comparison = comparison.concat(table({ method: ['association rules'], hit_rate: [e.byRules.hitRate], recall: [e.byRules.recall], map: [e.byRules.map] }));
  }
}
