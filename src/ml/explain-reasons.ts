/**
 * A customer's top reasons, in words, from per-(step, feature) attributions of a sequence
 * model. Each feature's attribution is summed over two windows — the last `recent` steps and
 * the steps before them — and the largest |sums| become reasons. A reason compares the
 * customer's own raw values in that window with the average customer's in the same window
 * (or says there was none at all), and states how much it moves the score:
 *   "spend in the last 4 weeks well above the average customer (raises the probability by 3.1 points)".
 */

import type { ColumnTable } from 'arquero';
import { cellKey } from '../data/cells.ts';

/** One reason for one customer. */
export interface Reason {
  /** Feature name. */
  feature: string;
  /** Which window of steps it covers. */
  window: 'recent' | 'earlier';
  /** Summed attribution over the window (probability units; > 0 raises the score). */
  attribution: number;
  /** The reason in English. */
  en: string;
  /** The reason in Chinese. */
  zh: string;
}

/** What the reasons are built from. */
export interface ReasonInput {
  /** Raw (unscaled) sequences [n × T × D]. */
  x: ArrayLike<number>;
  /** Attributions [n × T × D]. */
  attributions: ArrayLike<number>;
  n: number;
  steps: number;
  features: number;
  featureNames: readonly string[];
  /** Period unit of a step, e.g. "week". */
  period: string;
  /** Steps in the recent window (clamped to 1 … steps). */
  recent: number;
  /** Reasons per customer. */
  top: number;
}

const zhPeriod: Readonly<Record<string, string>> = { day: '天', week: '周', month: '个月' };

/** How a customer's window mean compares with the average customer's, in both languages. */
function level(own: number, average: number): { en: string; zh: string } {
  if (!(Math.abs(average) > 1e-12)) return own > 0 ? { en: 'above the average customer (who has none)', zh: '高于平均客户（平均为零）' } : { en: 'like the average customer', zh: '与平均客户相同' };
  const ratio = own / average;
  if (ratio >= 1.5) return { en: 'well above the average customer', zh: '远高于平均客户' };
  if (ratio > 1.1) return { en: 'above the average customer', zh: '高于平均客户' };
  if (ratio <= 0.5) return { en: 'well below the average customer', zh: '远低于平均客户' };
  if (ratio < 0.9) return { en: 'below the average customer', zh: '低于平均客户' };
  return { en: 'about the same as the average customer', zh: '与平均客户相近' };
}

/** Each customer's top reasons, customers in input order. */
export function topReasons(input: ReasonInput): Reason[][] {
  const { n, steps: T, features: D, x, attributions } = input;
  const recent = Math.max(1, Math.min(T, Math.floor(input.recent)));
  const windows: { name: 'recent' | 'earlier'; from: number; to: number }[] = [{ name: 'recent', from: T - recent, to: T }];
  if (recent < T) windows.push({ name: 'earlier', from: 0, to: T - recent });
  // The average customer's mean raw value per window and feature.
  const average = windows.map((w) => {
    const sums = new Float64Array(D);
    for (let i = 0; i < n; i++) for (let t = w.from; t < w.to; t++) for (let d = 0; d < D; d++) sums[d] = (sums[d] ?? 0) + (Number(x[(i * T + t) * D + d]) || 0);
    return Array.from(sums, (s) => s / Math.max(1, n * (w.to - w.from)));
  });
  const unit = input.period;
  const unitZh = Object.hasOwn(zhPeriod, unit) ? zhPeriod[unit] : unit;
  const out: Reason[][] = [];
  for (let i = 0; i < n; i++) {
    const candidates: Reason[] = [];
    windows.forEach((w, wi) => {
      const span = w.to - w.from;
      for (let d = 0; d < D; d++) {
        let a = 0;
        let own = 0;
        for (let t = w.from; t < w.to; t++) {
          a += Number(attributions[(i * T + t) * D + d]) || 0;
          own += Number(x[(i * T + t) * D + d]) || 0;
        }
        own /= span;
        const feature = input.featureNames[d] ?? `feature ${d + 1}`;
        const when = w.name === 'recent' ? { en: `in the last ${recent} ${unit}${recent === 1 ? '' : 's'}`, zh: `最近 ${recent} ${unitZh}` } : { en: `before the last ${recent} ${unit}${recent === 1 ? '' : 's'}`, zh: `最近 ${recent} ${unitZh}之前` };
        const points = Math.abs(a * 100).toFixed(1);
        const effect = a >= 0 ? { en: `raises the probability by ${points} points`, zh: `使购买概率提高 ${points} 个百分点` } : { en: `lowers the probability by ${points} points`, zh: `使购买概率降低 ${points} 个百分点` };
        const none = own === 0 && (average[wi]?.[d] ?? 0) > 0;
        const cmp = level(own, average[wi]?.[d] ?? 0);
        candidates.push({
          feature,
          window: w.name,
          attribution: a,
          en: none ? `no ${feature} ${when.en} (${effect.en})` : `${feature} ${when.en} ${cmp.en} (${effect.en})`,
          zh: none ? `${when.zh}没有 ${feature}（${effect.zh}）` : `${when.zh}的 ${feature} ${cmp.zh}（${effect.zh}）`,
        });
      }
    });
    candidates.sort((p, q) => Math.abs(q.attribution) - Math.abs(p.attribution) || p.feature.localeCompare(q.feature));
    out.push(candidates.slice(0, Math.max(0, input.top)));
  }
  return out;
}

/**
 * The `reasons` and `reasons_zh` columns of an action table: each customer's reasons from an
 * explanations customers table (`id`, `reason_1`, `reason_1_zh`, …), joined by "; ", in the
 * order of `ids`; empty for a customer the explanations do not cover.
 */
export function reasonColumns(customers: ColumnTable, ids: readonly string[]): { reasons: string[]; reasons_zh: string[] } {
  const names = customers.columnNames();
  const en = names.filter((c) => /^reason_\d+$/.test(c));
  const byId = new Map<string, { en: string; zh: string }>();
  if (names.includes('id')) {
    const getId = customers.getter('id');
    const getters = en.map((c) => [customers.getter(c), names.includes(`${c}_zh`) ? customers.getter(`${c}_zh`) : null] as const);
    for (let i = 0; i < customers.numRows(); i++) {
      const texts = getters.map(([e, z]) => [cellKey(e(i)), z === null ? '' : cellKey(z(i))] as const).filter(([e]) => e !== '');
      byId.set(cellKey(getId(i)), { en: texts.map(([e]) => e).join('; '), zh: texts.map(([e, z]) => z || e).join('；') });
    }
  }
  return { reasons: ids.map((id) => byId.get(id)?.en ?? ''), reasons_zh: ids.map((id) => byId.get(id)?.zh ?? '') };
}
