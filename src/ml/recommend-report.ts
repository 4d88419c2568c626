/**
 * Reporting recommendations: each filled slot as a row with a reason in words ("because you
 * bought X", "popular: bought by 12% of customers", "popular in your segment (…)"), and the
 * offline evaluation against popularity as summary figures, a comparison table and detail.
 */
import { table as makeTable, type ColumnTable } from 'arquero';
import { cellKey } from '../data/cells.ts';
import { assertNever } from '../engine/errors.ts';
import type { MetricsValue } from '../engine/ports.ts';
import { RECOMMENDATION_SOURCES, type OfflineEvaluation, type Recommendations } from './recommend.ts';

/** Recommendation rows, column by column (appended to by recommendationRows). */
export interface RecommendationRows {
  /** Customer id cell per row. */
  id: unknown[];
  /** 1-based rank within the customer's list. */
  rank: number[];
  /** Product cell per row. */
  item: unknown[];
  /** Dense product id per row. */
  itemKey: number[];
  /** Score per row. */
  score: number[];
  /** Reason per row, in words. */
  reason: string[];
  /** Source per row (one of RECOMMENDATION_SOURCES). */
  source: string[];
}

/** Empty recommendation rows. */
export function emptyRows(): RecommendationRows {
  return { id: [], rank: [], item: [], itemKey: [], score: [], reason: [], source: [] };
}

/** Names that reasons use. */
export interface ReasonNames {
  /** Product cell per dense product id. */
  products: readonly unknown[];
  /** Product name per dense product id. */
  productLabel: readonly string[];
  /** Segment name per segment number. */
  segmentNames: ReadonlyMap<number, string>;
  /** The reason of an association-rule recommendation: rule index (recs.reasons) and product id. */
  ruleReason?: (rule: number, item: number) => string;
}

/** Appends the filled slots of list `row` of `recs` (customer `id`, in `segment`) to `out`, with reasons. */
export function recommendationRows(out: RecommendationRows, recs: Recommendations, row: number, id: unknown, segment: number, names: ReasonNames): void {
  let rank = 0;
  for (let s = 0; s < recs.n; s++) {
    const at = row * recs.n + s;
    const item = recs.items[at]!;
    if (item < 0) continue;
    const source = RECOMMENDATION_SOURCES[recs.sources[at]!];
    if (source === undefined) continue;
    const score = recs.scores[at]!;
    let reason: string;
    switch (source) {
      case 'item-item':
        reason = `because you bought ${names.productLabel[recs.reasons[at]!] ?? '?'}`;
        break;
      case 'popular':
        reason = `popular: bought by ${formatShare(score)} of customers`;
        break;
      case 'segment-popular':
        reason = `popular in your segment (${names.segmentNames.get(segment) ?? `segment ${segment}`}): bought by ${formatShare(score)} of it`;
        break;
      case 'association-rule':
        reason = names.ruleReason?.(recs.reasons[at]!, item) ?? 'association rule';
        break;
      default:
        return assertNever(source);
    }
    out.id.push(id);
    out.rank.push(++rank);
    out.item.push(names.products[item]);
    out.itemKey.push(item);
    out.score.push(score);
    out.reason.push(reason);
    out.source.push(source);
  }
}

/** The customers of one set of lists: list `row` of `recs` is for `ids[row]`, in `segments[row]`. */
export interface RecommendationGroup {
  /** The lists. */
  recs: Recommendations;
  /** Customer id cell per list. */
  ids: readonly unknown[];
  /** Segment per list (−1: none). */
  segments: ArrayLike<number>;
}

/**
 * The recommendations table: every filled slot of every group's lists, groups in order (id,
 * rank, item, score, reason, source), plus item_name (productLabel) when `withItemName`.
 */
export function recommendationsTable(groups: readonly RecommendationGroup[], names: ReasonNames, withItemName: boolean): ColumnTable {
  const out = emptyRows();
  for (const { recs, ids, segments } of groups) ids.forEach((id, row) => recommendationRows(out, recs, row, id, segments[row] ?? -1, names));
  const columns: Record<string, unknown[]> = { id: out.id, rank: out.rank, item: out.item, score: out.score, reason: out.reason, source: out.source };
  if (withItemName) columns.item_name = out.itemKey.map((item) => names.productLabel[item] ?? '');
  return makeTable(columns);
}

/**
 * The `top` first recommendations of each customer of a recommendations table (id, rank, item
 * and optionally item_name, which names the item when not empty), in rank order, joined by '; '.
 * Rows without an id, an item or a numeric rank are skipped.
 */
export function topItemsById(recommendations: ColumnTable, top: number): Map<string, string> {
  const getId = recommendations.getter('id');
  const getRank = recommendations.getter('rank');
  const getItem = recommendations.getter('item');
  const getName = recommendations.columnNames().includes('item_name') ? recommendations.getter('item_name') : null;
  const lists = new Map<string, { rank: number; item: string }[]>();
  for (let i = 0; i < recommendations.numRows(); i++) {
    const id = cellKey(getId(i));
    const rank: unknown = getRank(i);
    const item = getName !== null && cellKey(getName(i)) !== '' ? cellKey(getName(i)) : cellKey(getItem(i));
    if (id === '' || item === '' || typeof rank !== 'number') continue;
    const list = lists.get(id) ?? [];
    list.push({ rank, item });
    lists.set(id, list);
  }
  return new Map([...lists].map(([id, list]) => [id, list.sort((a, b) => a.rank - b.rank).slice(0, top).map((x) => x.item).join('; ')]));
}

/** A share as a percentage: whole numbers from 10% (and 0%), one decimal below. */
export function formatShare(share: number): string {
  const pct = share * 100;
  return `${pct >= 10 || pct === 0 ? pct.toFixed(0) : pct.toFixed(1)}%`;
}

/** Ratio a / b, or null when b is 0 (undefined rather than Infinity). */
function ratioOf(a: number, b: number): number | null {
  return b > 0 ? a / b : null;
}

/** The offline evaluation as metrics (all null with an empty comparison when there is none). */
export function metricsOf(
  e: OfflineEvaluation | null,
  n: number,
  holdout: string,
  counts: { customers: number; products: number; coldStarts: number; skippedRows: number; cappedCustomers: number },
): MetricsValue {
  const detail = { n, holdout, ...counts };
  if (e === null) {
    return {
      summary: {
        hit_rate: null,
        recall: null,
        map: null,
        popularity_hit_rate: null,
        popularity_recall: null,
        popularity_map: null,
        hit_rate_ratio: null,
        recall_ratio: null,
        map_ratio: null,
        evaluated_customers: 0,
      },
      tables: { comparison: makeTable({ method: [], hit_rate: [], recall: [], map: [] }) },
      detail: { ...detail, split: holdout === 'none' ? 'no evaluation asked' : 'no customer qualified' },
    };
  }
  return {
    summary: {
      hit_rate: e.itemItem.hitRate,
      recall: e.itemItem.recall,
      map: e.itemItem.map,
      popularity_hit_rate: e.popularity.hitRate,
      popularity_recall: e.popularity.recall,
      popularity_map: e.popularity.map,
      hit_rate_ratio: ratioOf(e.itemItem.hitRate, e.popularity.hitRate),
      recall_ratio: ratioOf(e.itemItem.recall, e.popularity.recall),
      map_ratio: ratioOf(e.itemItem.map, e.popularity.map),
      evaluated_customers: e.users,
    },
    tables: {
      comparison: makeTable({
        method: ['item-item', 'popularity'],
        hit_rate: [e.itemItem.hitRate, e.popularity.hitRate],
        recall: [e.itemItem.recall, e.popularity.recall],
        map: [e.itemItem.map, e.popularity.map],
      }),
    },
    detail: { ...detail, split: e.split, heldOutItems: e.heldOutItems },
  };
}
