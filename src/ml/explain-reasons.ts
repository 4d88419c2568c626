/**
 * A customer's top reasons, in words, from per-(step, feature) attributions of a sequence
 * model. Each feature's attribution is summed over two windows — the last `recent` steps and
 * the steps before them — and the largest |sums| become reasons. A reason compares the
 * customer's own raw values in that window with the average customer's in the same window
 * (or says there was none at all), and states how much it moves the score:
 *   "spend in the last 4 weeks well above the average customer (raises the probability by 3.1 points)".
 */

import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import { cellKey } from '../data/cells.ts';

/** One reason for one customer. */
export interface Reason {
  /** Feature name. */
  feature: string;
  /** Which window of steps it covers. */
  window: 'recent' | 'earlier' | 'all';
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
  /** Each feature in words ("cart events"), en and zh, where known; the name otherwise. */
  featureText?: readonly ({ en: string; zh: string } | null)[];
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
        const words = input.featureText?.[d] ?? { en: feature, zh: feature };
        const when = w.name === 'recent' ? { en: `in the last ${recent} ${unit}${recent === 1 ? '' : 's'}`, zh: `最近 ${recent} ${unitZh}` } : { en: `before the last ${recent} ${unit}${recent === 1 ? '' : 's'}`, zh: `最近 ${recent} ${unitZh}之前` };
        const points = Math.abs(a * 100).toFixed(1);
        const effect = a >= 0 ? { en: `raises the probability by ${points} points`, zh: `使购买概率提高 ${points} 个百分点` } : { en: `lowers the probability by ${points} points`, zh: `使购买概率降低 ${points} 个百分点` };
        const none = own === 0 && (average[wi]?.[d] ?? 0) > 0;
        const cmp = level(own, average[wi]?.[d] ?? 0);
        candidates.push({
          feature,
          window: w.name,
          attribution: a,
          en: none ? `no ${words.en} ${when.en} (${effect.en})` : `${words.en} ${when.en} ${cmp.en} (${effect.en})`,
          zh: none ? `${when.zh}的 ${words.zh}${/[\x21-\x7e]$/.test(words.zh) ? ' ' : ''}为 0（${effect.zh}）` : `${when.zh}的 ${words.zh} ${cmp.zh}（${effect.zh}）`,
        });
      }
    });
    candidates.sort((p, q) => Math.abs(q.attribution) - Math.abs(p.attribution) || p.feature.localeCompare(q.feature));
    out.push(candidates.slice(0, Math.max(0, input.top)));
  }
  return out;
}

/** Per feature its words from a sequences' `meta.featureText` (the sequence node writes them); null where absent or malformed. */
export function featureTextOf(meta: Readonly<Record<string, unknown>>, features: number): ({ en: string; zh: string } | null)[] {
  const list = Object.hasOwn(meta, 'featureText') ? meta.featureText : undefined;
  return Array.from({ length: features }, (_, d) => {
    const t: unknown = Array.isArray(list) ? list[d] : undefined;
    if (typeof t !== 'object' || t === null || !('en' in t) || !('zh' in t)) return null;
    return typeof t.en === 'string' && typeof t.zh === 'string' && t.en !== '' && t.zh !== '' ? { en: t.en, zh: t.zh } : null;
  });
}

/** What tabular reasons are built from: per-row attributions over input columns and the cells. */
export interface TabularReasonInput {
  /** Input column names. */
  columns: readonly string[];
  /** Attribution per row and column [n × columns], in log-odds. */
  values: ArrayLike<number>;
  /** Each column's cells, row order (shown as the value the customer has). */
  cells: readonly ArrayLike<unknown>[];
  n: number;
  /** Reasons per row. */
  top: number;
}

/** A cell as the reason shows it: text as it is, numbers to 4 significant digits, missing as "missing". */
function shown(v: unknown): string {
  if (v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v))) return 'missing';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(4)));
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return String(v);
}

/** Each row's top reasons from a tabular model: "Contract = Month-to-month (raises the score by 0.62 log-odds)". */
export function tabularReasons(input: TabularReasonInput): Reason[][] {
  const D = input.columns.length;
  const out: Reason[][] = [];
  for (let i = 0; i < input.n; i++) {
    const candidates: Reason[] = input.columns.map((column, d) => {
      const a = Number(input.values[i * D + d]) || 0;
      const value = shown(input.cells[d]?.[i]);
      const size = Math.abs(a).toFixed(2);
      return {
        feature: column,
        window: 'all',
        attribution: a,
        en: `${column} = ${value} (${a >= 0 ? 'raises' : 'lowers'} the score by ${size} log-odds)`,
        zh: `${column} = ${value}（使得分的对数几率${a >= 0 ? '提高' : '降低'} ${size}）`,
      };
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

/** The parts of an explanations port value, as plain arrays. */
export interface ExplanationParts {
  ids: readonly string[];
  /** Probability per customer. */
  score: ArrayLike<number>;
  /** The model's output the attributions add up to (probability for the LSTM, log-odds for tabular models). */
  output: ArrayLike<number>;
  /** The output the attributions start from. */
  baselineOutput: number;
  /** |Σ attributions − (output − baseline)| / |output − baseline| per customer. */
  gap: ArrayLike<number>;
  reasons: Reason[][];
  top: number;
  importance: { kind: string; name: string; drop: number; sd: number }[];
}

/** The customers, reasons and importance tables of an explanations port value. */
export function explanationTables(p: ExplanationParts): { customers: ColumnTable; reasons: ColumnTable; importance: ColumnTable } {
  const n = p.ids.length;
  const customers: Record<string, unknown[]> = {
    id: p.ids.slice(),
    score: Array.from(p.score),
    output: Array.from(p.output),
    baseline_output: Array.from({ length: n }, () => p.baselineOutput),
    completeness_gap: Array.from(p.gap),
  };
  for (let r = 0; r < p.top; r++) {
    customers[`reason_${r + 1}`] = p.reasons.map((list) => list[r]?.en ?? null);
    customers[`reason_${r + 1}_zh`] = p.reasons.map((list) => list[r]?.zh ?? null);
  }
  const long = p.reasons.flatMap((list, i) => list.map((reason, rank) => ({ id: p.ids[i] ?? '', rank: rank + 1, reason })));
  return {
    customers: aq.table(customers),
    reasons: aq.table({
      id: long.map((l) => l.id),
      rank: long.map((l) => l.rank),
      feature: long.map((l) => l.reason.feature),
      window: long.map((l) => l.reason.window),
      attribution: long.map((l) => l.reason.attribution),
      reason: long.map((l) => l.reason.en),
      reason_zh: long.map((l) => l.reason.zh),
    }),
    importance: aq.table({ kind: p.importance.map((g) => g.kind), name: p.importance.map((g) => g.name), drop: p.importance.map((g) => g.drop), sd: p.importance.map((g) => g.sd) }),
  };
}
