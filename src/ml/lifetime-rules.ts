/**
 * Customer-level decision rules from lifetime value: with each customer's CLV and P(alive)
 * (the clv node's customers table), LIFETIME_RULES are tried in order before the segment's
 * strategy, and the first that holds fires. "High value" means a CLV at or above the cut that
 * leaves the `highValueShare` most valuable customers above it (a quantile of the CLVs seen).
 */

/** A declared customer rule. */
export interface LifetimeRule {
  /** Stable rule id. */
  rule: string;
  /** Whether the customer must be high value (true), not high value (false) or either (null). */
  highValue: boolean | null;
  /** Fires when P(alive) is below the alive threshold times this factor. */
  aliveBelow: number;
  /** Strategy name. */
  strategy: string;
  /** What to do, in words. */
  action: string;
}

/** The lifetime rules, in the order they are tried (before the segment strategy). */
export const LIFETIME_RULES: readonly LifetimeRule[] = [
  { rule: 'win-back-valuable', highValue: true, aliveBelow: 1, strategy: 'Win back', action: 'Personal reactivation offer: high lifetime value, but probably lapsing.' },
  { rule: 'let-go', highValue: false, aliveBelow: 0.4, strategy: 'Let go', action: 'No paid outreach: low value and very probably gone; keep in the newsletter.' },
];

/** Options of the lifetime rules. */
export interface LifetimeRuleOptions {
  /** P(alive) below this counts as probably lapsing. */
  aliveThreshold: number;
  /** Share of customers (by CLV) that counts as high value. */
  highValueShare: number;
}

/** A rule's condition in words, e.g. `CLV ≥ 412.50 (top 20%) and P(alive) < 0.5`. */
export function lifetimeConditionText(rule: LifetimeRule, options: LifetimeRuleOptions, cut: number | null): string {
  const cutText = cut === null ? 'no CLV' : cut.toFixed(2);
  const share = `${Math.round(options.highValueShare * 100)}%`;
  const value = rule.highValue === null ? '' : rule.highValue ? `CLV ≥ ${cutText} (top ${share}) and ` : `CLV < ${cutText} and `;
  return `${value}P(alive) < ${Number((options.aliveThreshold * rule.aliveBelow).toFixed(4))}`;
}

/** The CLV at or above which a customer is high value: the (1 − share) quantile (lower), null when there is none. */
export function highValueCut(clv: Iterable<number>, share: number): number | null {
  const values = [...clv].filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (values.length === 0 || share <= 0) return null;
  const top = Math.max(1, Math.round(values.length * Math.min(1, share)));
  return values[values.length - top]!;
}

/** The first lifetime rule that holds for one customer, or null (CLV or P(alive) unknown, or none holds). */
export function lifetimeRuleFor(clv: number | null, pAlive: number | null, cut: number | null, options: LifetimeRuleOptions): LifetimeRule | null {
  if (pAlive === null || !Number.isFinite(pAlive)) return null;
  for (const rule of LIFETIME_RULES) {
    if (rule.highValue !== null) {
      if (clv === null || cut === null || !Number.isFinite(clv)) continue;
      if (rule.highValue !== clv >= cut) continue;
    }
    if (pAlive < options.aliveThreshold * rule.aliveBelow) return rule;
  }
  return null;
}
