/**
 * Strategy per segment by declared rules (STRATEGY_RULES, tried in order; the first whose
 * condition holds fires). A condition compares the segment's z-score of a role's column (roles
 * as src/ml/segment-naming.ts assigns them by column name) with ±threshold; the last rule
 * always holds. A rule whose role has no column cannot fire, and the evidence says so.
 */
import type { Role } from './segment-naming.ts';

/** A declared strategy rule: when `role`'s z-score is on `side` of ±threshold (or always), choose `strategy`. */
export interface StrategyRule {
  /** Stable rule id. */
  rule: string;
  /** Role tested, or null for the rule that always holds. */
  role: Role | null;
  /** `high`: z ≥ threshold; `low`: z ≤ −threshold. */
  side: 'high' | 'low';
  /** Strategy name. */
  strategy: string;
  /** What to do, in words. */
  action: string;
}

/** The strategy rules, in the order they are tried. */
export const STRATEGY_RULES: readonly StrategyRule[] = [
  { rule: 'nurture-new', role: 'tenure', side: 'low', strategy: 'Nurture new customers', action: 'Onboarding journey and a second-purchase incentive.' },
  { rule: 'win-back', role: 'recency', side: 'high', strategy: 'Win back', action: 'Reactivation offer with a reminder of past favourites.' },
  { rule: 'retain-valuable', role: 'monetary', side: 'high', strategy: 'Retain the most valuable', action: 'Loyalty perks, priority service and early access rather than discounts.' },
  { rule: 'upsell', role: null, side: 'high', strategy: 'Upsell', action: 'Cross-sell the recommended products.' },
];

/** The condition of a rule in words, e.g. `z(recency) ≥ 0.5`. */
export function conditionText(rule: StrategyRule, threshold: number): string {
  if (rule.role === null) return 'always (no earlier rule held)';
  return `z(${rule.role}) ${rule.side === 'high' ? '≥' : '≤'} ${rule.side === 'high' ? '' : '−'}${threshold}`;
}

/** Which rule fires for one segment's z-scores by role, with the evidence in words. */
export function chooseStrategy(zByRole: Partial<Record<Role, { column: string; z: number }>>, threshold: number): { rule: StrategyRule; evidence: string } {
  const notes: string[] = [];
  for (const rule of STRATEGY_RULES) {
    if (rule.role === null) return { rule, evidence: notes.length > 0 ? `none held: ${notes.join('; ')}` : 'always' };
    const found = zByRole[rule.role];
    if (found === undefined) {
      notes.push(`${rule.role}: no column`);
      continue;
    }
    const holds = rule.side === 'high' ? found.z >= threshold : found.z <= -threshold;
    const text = `${found.column} z = ${found.z >= 0 ? '+' : '−'}${Math.abs(found.z).toFixed(2)}`;
    if (holds) return { rule, evidence: `${text} ${rule.side === 'high' ? '≥' : '≤'} ${rule.side === 'high' ? '' : '−'}${threshold}` };
    notes.push(text);
  }
  throw new Error('unreachable: the last strategy rule always holds');
}
