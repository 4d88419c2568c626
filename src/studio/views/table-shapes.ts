/**
 * Charts a table earns by its columns (never by the node that made it): a rules table
 * (antecedent, consequent, support, confidence, lift) gets a sortable top-rules list and a graph
 * of the strongest rules; a cohort table (cohort, period, customers_active, retention) gets a
 * retention heat map and a curve per cohort. Pure helpers, tested; the Svelte view draws them.
 */
import type { JsonValue } from '../../engine/ports.ts';

/** The chart family a table's columns call for, or null. */
export type TableShape = 'rules' | 'cohorts' | null;

/** Which charts fit a table with these columns. */
export function tableShape(columns: readonly string[]): TableShape {
  const has = (names: string[]) => names.every((n) => columns.includes(n));
  if (has(['antecedent', 'consequent', 'support', 'confidence', 'lift'])) return 'rules';
  if (has(['cohort', 'period', 'customers_active', 'retention'])) return 'cohorts';
  return null;
}

/** Measures a rules list can be sorted by. */
export const ruleSortKeys = ['lift', 'confidence', 'support', 'leverage', 'count'] as const;

/** One of ruleSortKeys. */
export type RuleSortKey = (typeof ruleSortKeys)[number];

const numberOf = (v: JsonValue | undefined): number => (typeof v === 'number' && !Number.isNaN(v) ? v : Number.NEGATIVE_INFINITY);

/** The `top` rules by a measure (highest first; ties keep table order). */
export function topRules(records: readonly Record<string, JsonValue>[], by: RuleSortKey, top: number): Record<string, JsonValue>[] {
  return records
    .map((r, i) => ({ r, i }))
    .sort((a, b) => numberOf(b.r[by]) - numberOf(a.r[by]) || a.i - b.i)
    .slice(0, top)
    .map(({ r }) => r);
}

/** The items of an itemset label "{a, b}" (the rules node's format). */
export function itemsOf(label: JsonValue | undefined): string[] {
  const text = typeof label === 'string' ? label.trim() : '';
  const inner = text.startsWith('{') && text.endsWith('}') ? text.slice(1, -1) : text;
  return inner === '' ? [] : inner.split(', ');
}

/** A node of the rule graph, placed on a circle. */
export interface GraphNode {
  /** Item name. */
  item: string;
  /** Position in [−1, 1]. */
  x: number;
  /** Position in [−1, 1]. */
  y: number;
  /** Rules the item takes part in. */
  rules: number;
}

/** An edge of the rule graph: from an antecedent item to a consequent item. */
export interface GraphLink {
  /** Start x. */
  x1: number;
  /** Start y. */
  y1: number;
  /** End x. */
  x2: number;
  /** End y. */
  y2: number;
  /** Lift of the rule. */
  lift: number;
  /** The rule's text. */
  rule: string;
}

/** A circular layout of the strongest rules: items on a circle (most connected first), an arrow per antecedent item → consequent item. */
export function ruleGraph(rules: readonly Record<string, JsonValue>[]): { nodes: GraphNode[]; links: GraphLink[] } {
  const degree = new Map<string, number>();
  const pairs: { from: string; to: string; lift: number; rule: string }[] = [];
  for (const r of rules) {
    const x = itemsOf(r.antecedent);
    const y = itemsOf(r.consequent);
    const rule = `${typeof r.antecedent === 'string' ? r.antecedent : ''} → ${typeof r.consequent === 'string' ? r.consequent : ''}`;
    for (const item of [...x, ...y]) degree.set(item, (degree.get(item) ?? 0) + 1);
    for (const from of x) for (const to of y) pairs.push({ from, to, lift: numberOf(r.lift), rule });
  }
  const items = [...degree.keys()].sort((a, b) => degree.get(b)! - degree.get(a)! || a.localeCompare(b));
  const at = new Map<string, GraphNode>();
  const nodes = items.map((item, i) => {
    const angle = (2 * Math.PI * i) / Math.max(items.length, 1) - Math.PI / 2;
    const node = { item, x: Math.cos(angle), y: Math.sin(angle), rules: degree.get(item)! };
    at.set(item, node);
    return node;
  });
  const links = pairs.map((p) => {
    const a = at.get(p.from)!;
    const b = at.get(p.to)!;
    return { x1: a.x, y1: a.y, x2: b.x, y2: b.y, lift: p.lift, rule: p.rule };
  });
  return { nodes, links };
}
