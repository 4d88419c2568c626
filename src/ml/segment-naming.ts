/**
 * Segment naming by declared rules (used by the segment node for names and by the decide node
 * for roles): each feature gets a z-score per segment, z = (segment mean − overall mean) /
 * overall standard deviation. Columns are given a role by name (NAME_ROLES). The first
 * adjective rule and the first noun rule whose condition holds (|z| ≥ NAME_THRESHOLD on the
 * side stated) make the name, e.g. "Recent high spenders", "Lapsing one-timers". When no rule
 * fires the name describes the feature with the largest |z| (≥ NAME_THRESHOLD): a high category
 * share (`share_<category>`) reads "<category> shoppers", anything else "Customers with high
 * <column>"; with none, "Average customers". Names that collide get the most distinctive
 * remaining feature in brackets, e.g. "High spenders (Furniture shoppers)". Every name comes
 * with the reason in words.
 */

/** |z| a segment's feature must reach for a naming rule (and a strategy rule) to fire. */
export const NAME_THRESHOLD = 0.5;

/** A customer-value role and the column-name pattern that gives a column that role. */
export const NAME_ROLES = [
  { role: 'recency', pattern: /recen/i },
  { role: 'frequency', pattern: /freq|orders|invoices|purchases/i },
  { role: 'monetary', pattern: /monet|spend|revenue|sales/i },
  { role: 'tenure', pattern: /tenure/i },
] as const;

/** One of the roles a feature column can play in names and strategies. */
export type Role = (typeof NAME_ROLES)[number]['role'];

/** A declared naming rule: when the role's z-score is on `side` of ±NAME_THRESHOLD, use `word`. */
export interface NameRule {
  /** Adjectives come first ("Recent"), nouns second ("high spenders"). */
  part: 'adjective' | 'noun';
  /** Role of the feature tested. */
  role: Role;
  /** `high`: z ≥ threshold; `low`: z ≤ −threshold. */
  side: 'high' | 'low';
  /** The word(s) used. */
  word: string;
}

/** The naming rules, in order; the first adjective and the first noun that fire are used. */
export const NAME_RULES: readonly NameRule[] = [
  { part: 'adjective', role: 'recency', side: 'low', word: 'Recent' },
  { part: 'adjective', role: 'recency', side: 'high', word: 'Lapsing' },
  { part: 'noun', role: 'tenure', side: 'low', word: 'newcomers' },
  { part: 'noun', role: 'monetary', side: 'high', word: 'high spenders' },
  { part: 'noun', role: 'frequency', side: 'high', word: 'regulars' },
  { part: 'noun', role: 'frequency', side: 'low', word: 'one-timers' },
  { part: 'noun', role: 'monetary', side: 'low', word: 'low spenders' },
];

/** Finds, among `names`, the first column for each role (by NAME_ROLES patterns). */
export function detectRoles(names: readonly string[]): Partial<Record<Role, string>> {
  const out: Partial<Record<Role, string>> = {};
  for (const { role, pattern } of NAME_ROLES) {
    const found = names.find((n) => pattern.test(n));
    if (found !== undefined) out[role] = found;
  }
  return out;
}

/** Whether z is on the stated side of the threshold. */
export function sideHolds(z: number, side: 'high' | 'low', threshold = NAME_THRESHOLD): boolean {
  return side === 'high' ? z >= threshold : z <= -threshold;
}

const formatZ = (z: number): string => `${z >= 0 ? '+' : '−'}${Math.abs(z).toFixed(2)}`;

/**
 * Names segments from their feature z-scores by NAME_RULES (see the file header); returns a
 * name and a reason per segment, names unique.
 */
export function nameSegments(features: readonly string[], z: readonly (readonly number[])[]): { names: string[]; reasons: string[] } {
  const roles = detectRoles(features);
  const names: string[] = [];
  const reasons: string[] = [];
  const used: Set<string>[] = [];
  for (const zs of z) {
    const zOf = (col: string): number => zs[features.indexOf(col)] ?? 0;
    const fired: string[] = [];
    const usedCols = new Set<string>();
    let adjective = '';
    let noun = '';
    for (const rule of NAME_RULES) {
      const col = roles[rule.role];
      if (col === undefined) continue;
      if ((rule.part === 'adjective' ? adjective : noun) !== '') continue;
      const value = zOf(col);
      if (!sideHolds(value, rule.side)) continue;
      if (rule.part === 'adjective') adjective = rule.word;
      else noun = rule.word;
      usedCols.add(col);
      fired.push(`${col} z = ${formatZ(value)} (${rule.side === 'high' ? '≥' : '≤'} ${rule.side === 'high' ? '' : '−'}${NAME_THRESHOLD} → ${rule.word})`);
    }
    let name: string;
    if (adjective === '' && noun === '') {
      const top = strongest(features, zs, usedCols);
      if (top === null) {
        name = 'Average customers';
        fired.push(`every |z| < ${NAME_THRESHOLD}`);
      } else {
        name = describeFeature(top.column, top.z, true);
        usedCols.add(top.column);
        fired.push(`no role rule fired; strongest feature ${top.column} z = ${formatZ(top.z)}`);
      }
    } else {
      const text = adjective === '' ? noun : `${adjective} ${noun === '' ? 'customers' : noun}`;
      name = text.charAt(0).toUpperCase() + text.slice(1);
    }
    names.push(name);
    reasons.push(fired.join('; '));
    used.push(usedCols);
  }
  // Disambiguate collisions with the most distinctive feature not already in the name.
  const counts = new Map<string, number>();
  for (const n of names) counts.set(n, (counts.get(n) ?? 0) + 1);
  names.forEach((n, s) => {
    if ((counts.get(n) ?? 0) < 2) return;
    const top = strongest(features, z[s] ?? [], used[s] ?? new Set(), 0);
    if (top !== null) {
      names[s] = `${n} (${describeFeature(top.column, top.z, false)})`;
      reasons[s] = `${reasons[s] ?? ''}; shares its name, so ${top.column} z = ${formatZ(top.z)} added`;
    }
  });
  const seen = new Map<string, number>();
  names.forEach((n, s) => {
    const k = (seen.get(n) ?? 0) + 1;
    seen.set(n, k);
    if (k > 1) names[s] = `${n} #${k}`;
  });
  return { names, reasons };
}

/** Pattern of a category-share column, e.g. `share_Books`; the category is group 1. */
export const SHARE_PATTERN = /^(?:share|pct|frac|fraction)_(.+)$/i;

/**
 * A feature in words: a high category share reads "Books shoppers"; anything else "high x" /
 * "low x" (as a whole name: "Customers with high x").
 */
function describeFeature(column: string, z: number, whole: boolean): string {
  const share = SHARE_PATTERN.exec(column);
  if (share !== null && z > 0) {
    const text = `${(share[1] ?? column).replace(/_/g, ' ')} shoppers`;
    return whole ? text.charAt(0).toUpperCase() + text.slice(1) : text;
  }
  const text = `${z > 0 ? 'high' : 'low'} ${column}`;
  return whole ? `Customers with ${text}` : text;
}

/** The feature with the largest |z| (ignoring `skip`), if it reaches `threshold`. */
function strongest(features: readonly string[], zs: readonly number[], skip: ReadonlySet<string>, threshold = NAME_THRESHOLD): { column: string; z: number } | null {
  let best: { column: string; z: number } | null = null;
  features.forEach((col, j) => {
    if (skip.has(col)) return;
    const v = zs[j] ?? 0;
    if (Math.abs(v) >= threshold && v !== 0 && (best === null || Math.abs(v) > Math.abs(best.z))) best = { column: col, z: v };
  });
  return best;
}


/** Whether a string is one of the roles. */
export function isRole(v: string): v is Role {
  return NAME_ROLES.some((r) => r.role === v);
}

/** |z| at or above which a feature is a segment's driver. */
const DRIVER_THRESHOLD = 0.25;

/**
 * What sets each segment apart, in words: its up to three features furthest from the
 * population (standardised difference of the centroid, |z| ≥ 0.25), strongest first, e.g.
 * "monetary well above average (z +1.40); recency_days below average (z −0.62)"; '' when none is.
 */
export function segmentDrivers(features: readonly string[], z: readonly (readonly number[])[]): { en: string[]; zh: string[] } {
  const en: string[] = [];
  const zh: string[] = [];
  for (const zs of z) {
    const top = features
      .map((column, j) => ({ column, z: zs[j] ?? 0 }))
      .filter((f) => Math.abs(f.z) >= DRIVER_THRESHOLD)
      .sort((a, b) => Math.abs(b.z) - Math.abs(a.z) || a.column.localeCompare(b.column))
      .slice(0, 3);
    const strength = (v: number): [string, string] => (Math.abs(v) >= 1 ? (v > 0 ? ['well above', '远高于'] : ['well below', '远低于']) : v > 0 ? ['above', '高于'] : ['below', '低于']);
    en.push(top.map((f) => `${f.column} ${strength(f.z)[0]} average (z ${formatZ(f.z)})`).join('; '));
    zh.push(top.map((f) => `${f.column} ${strength(f.z)[1]}平均水平（z ${formatZ(f.z)}）`).join('；'));
  }
  return { en, zh };
}
