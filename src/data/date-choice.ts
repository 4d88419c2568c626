/**
 * Choosing the dates of a purchase-intent label from the data: the horizon is the last whole
 * weeks of the data that hold about a quarter of its span (at least one week, at most 52), the
 * cutoff is where it starts, the period (day, week, month) follows how often customers come
 * back, and the number of steps covers the observed window before the cutoff. Every choice
 * comes with a one-line reason. Knows nothing of nodes.
 */
import { DAY_MS, isoDay } from './dates.ts';
import type { Period } from './sequences.ts';

/** The chosen dates, all `YYYY-MM-DD` (UTC). */
export interface DateChoice {
  /** First day with activity. */
  first: string;
  /** Last day with activity. */
  last: string;
  /** First day of the label window; the observed window ends the day before. */
  cutoff: string;
  /** Last day of the label window (included). */
  horizonEnd: string;
  /** The day after the last activity: the cutoff for scoring customers now. */
  dataEnd: string;
  /** Length of one step of the sequences. */
  period: Period;
  /** Number of steps before the cutoff. */
  steps: number;
  /** Whole weeks in the horizon. */
  horizonWeeks: number;
  /** Why the cutoff and horizon. */
  horizonReason: string;
  /** Why the period and steps. */
  periodReason: string;
}

/** Most steps per period kind (longer sequences cost training time and add little). */
export const MAX_STEPS: Record<Period, number> = { day: 90, week: 52, month: 36 };

const PERIOD_DAYS: Record<Period, number> = { day: 1, week: 7, month: 30.44 };

/**
 * Chooses cutoff, horizon end, period and steps from the activity times (epoch ms) and the
 * customer of each row; null when fewer than two distinct days hold activity.
 */
export function chooseDates(times: ArrayLike<number>, customers: ArrayLike<string | null>): DateChoice | null {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < times.length; i++) {
    const t = times[i] ?? Number.NaN;
    if (!Number.isFinite(t)) continue;
    if (t < min) min = t;
    if (t > max) max = t;
  }
  if (!Number.isFinite(min)) return null;
  const firstDay = Math.floor(min / DAY_MS);
  const lastDay = Math.floor(max / DAY_MS);
  if (lastDay - firstDay < 1) return null;
  const spanDays = lastDay - firstDay + 1;
  const weeks = Math.max(1, Math.min(52, Math.round(spanDays / 4 / 7)));
  const endDay = lastDay + 1;
  let cutoffDay = endDay - weeks * 7;
  let horizonWeeks = weeks;
  // Leave at least a week (and the larger part of the span) to observe before the cutoff.
  while (horizonWeeks > 1 && cutoffDay - firstDay < Math.max(7, spanDays / 2)) {
    horizonWeeks--;
    cutoffDay = endDay - horizonWeeks * 7;
  }
  if (cutoffDay <= firstDay) cutoffDay = firstDay + Math.max(1, Math.floor(spanDays / 2));
  const horizonDays = endDay - cutoffDay;
  const horizonReason =
    cutoffDay === endDay - horizonWeeks * 7
      ? `The data runs ${isoDay(firstDay * DAY_MS)} to ${isoDay(lastDay * DAY_MS)} (${spanDays} days); the last ${horizonWeeks} whole weeks (${horizonDays} days, ${Math.round((100 * horizonDays) / spanDays)}% of the span, aiming at a quarter) are the label window, the ${cutoffDay - firstDay} days before it are observed.`
      : `The data spans only ${spanDays} days; the label window is the last ${horizonDays} days.`;

  // How often customers come back: the median, over customers active on two days or more,
  // of their median gap between consecutive active days (observed window only).
  const days = new Map<string, Set<number>>();
  for (let i = 0; i < times.length; i++) {
    const t = times[i] ?? Number.NaN;
    const c = customers[i];
    if (!Number.isFinite(t) || c === null || c === undefined) continue;
    const d = Math.floor(t / DAY_MS);
    if (d >= cutoffDay) continue;
    let set = days.get(c);
    if (!set) days.set(c, (set = new Set()));
    set.add(d);
  }
  const gaps: number[] = [];
  for (const set of days.values()) {
    if (set.size < 2) continue;
    const sorted = [...set].sort((a, b) => a - b);
    const own = sorted.slice(1).map((d, k) => d - (sorted[k] ?? d));
    gaps.push(median(own));
  }
  const gap = gaps.length > 0 ? median(gaps) : Number.NaN;
  const observedDays = cutoffDay - firstDay;
  let period: Period = !Number.isFinite(gap) ? 'month' : gap <= 3 ? 'day' : gap <= 21 ? 'week' : 'month';
  // At least four steps: a finer period when the coarse one would leave fewer.
  while (period !== 'day' && Math.ceil(observedDays / PERIOD_DAYS[period]) < 4) period = period === 'month' ? 'week' : 'day';
  const steps = Math.max(1, Math.min(MAX_STEPS[period], Math.ceil(observedDays / PERIOD_DAYS[period])));
  const gapText = Number.isFinite(gap) ? `customers who came back did so every ${gap} days (median of ${gaps.length.toLocaleString('en')} customers' median gaps)` : 'no customer was active on two days';
  const capped = steps === MAX_STEPS[period] && Math.ceil(observedDays / PERIOD_DAYS[period]) > steps ? ` (capped at ${steps})` : '';
  const periodReason = `${gapText}, so one step is a ${period}; ${steps} ${period}s${capped} cover the ${observedDays} observed days.`;
  return {
    first: isoDay(firstDay * DAY_MS),
    last: isoDay(lastDay * DAY_MS),
    cutoff: isoDay(cutoffDay * DAY_MS),
    horizonEnd: isoDay(lastDay * DAY_MS),
    dataEnd: isoDay(endDay * DAY_MS),
    period,
    steps,
    horizonWeeks,
    horizonReason,
    periodReason,
  };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
}
