/**
 * Strategy per segment by declared rules (STRATEGY_RULES, tried in order; the first whose
 * condition holds fires). A condition compares the segment's z-score of a role's column (roles
 * as src/ml/segment-naming.ts assigns them by column name) with ±threshold; the last rule
 * always holds. A rule whose role has no column cannot fire, and the evidence says so.
 */
import type { ColumnTable } from 'arquero';
import { cellKey } from '../data/cells.ts';
import { detectRoles, isRole, type Role } from './segment-naming.ts';

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

/**
 * The rule for customers with a prediction who are in no segment (not in the segments input,
 * often because they have no purchase yet and so no features): Decide lists them under it
 * rather than leaving them out of the action table.
 */
export const NO_SEGMENT_RULE = {
  rule: 'no-segment',
  condition: 'a prediction but no segment',
  strategy: 'Reach outside the segments',
  action: 'Not in the segments input (often: no purchase yet): a welcome offer or a first-purchase incentive, aimed by purchase probability.',
} as const;

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

/** The strategy a segment gets, with the profile's name for it. */
export interface SegmentStrategy {
  /** The rule that fired. */
  rule: string;
  /** Its strategy. */
  strategy: string;
  /** Its action. */
  action: string;
  /** The z-score that made it fire, in words. */
  evidence: string;
  /** The profile's name column ('' without one). */
  name: string;
  /** What sets the segment apart, in words (the profile's drivers column, '' without one). */
  drivers: string;
  /** The same in Chinese (drivers_zh). */
  driversZh: string;
}

/**
 * The strategy of every segment of a segments profile (columns segment, name, z_<column>; the
 * roles are detected from the z_ columns' names), keyed by the segment cell as text, and the
 * roles found. Without a segment column no segment gets one.
 */
export function segmentStrategies(profiles: ColumnTable, threshold: number): { bySegment: Map<string, SegmentStrategy>; roles: Partial<Record<Role, string>> } {
  const profileCols = profiles.columnNames();
  const roles = detectRoles(profileCols.filter((c) => c.startsWith('z_')).map((c) => c.slice(2)));
  const bySegment = new Map<string, SegmentStrategy>();
  const getSeg = profileCols.includes('segment') ? profiles.getter('segment') : null;
  const getName = profileCols.includes('name') ? profiles.getter('name') : null;
  const getDrivers = profileCols.includes('drivers') ? profiles.getter('drivers') : null;
  const getDriversZh = profileCols.includes('drivers_zh') ? profiles.getter('drivers_zh') : null;
  const zGetters = new Map(Object.entries(roles).map(([role, col]) => [role, { col, get: profiles.getter(`z_${col}`) }]));
  if (getSeg === null) return { bySegment, roles };
  for (let r = 0; r < profiles.numRows(); r++) {
    const seg = cellKey(getSeg(r));
    if (seg === '') continue;
    const zByRole: Partial<Record<Role, { column: string; z: number }>> = {};
    for (const [role, { col, get }] of zGetters) {
      const z: unknown = get(r);
      if (typeof z === 'number' && Number.isFinite(z) && isRole(role)) zByRole[role] = { column: col, z };
    }
    const { rule, evidence } = chooseStrategy(zByRole, threshold);
    bySegment.set(seg, {
      rule: rule.rule,
      strategy: rule.strategy,
      action: rule.action,
      evidence,
      name: getName === null ? '' : cellKey(getName(r)),
      drivers: getDrivers === null ? '' : cellKey(getDrivers(r)),
      driversZh: getDriversZh === null ? '' : cellKey(getDriversZh(r)),
    });
  }
  return { bySegment, roles };
}
