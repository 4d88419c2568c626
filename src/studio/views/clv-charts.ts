/**
 * Plot-ready data for the lifetime-value charts, from a table preview (columns + rows): the
 * frequency/recency matrix of the clv node's `matrix` output and the calibration/holdout table
 * of its `calibration` output. Which chart a table gets is decided by its columns alone.
 */
import type { JsonValue } from '../../engine/ports.ts';

/** The charts a table may get. */
export type ClvChart = 'matrix' | 'calibration';

const MATRIX = ['frequency', 'recency', 'expected_purchases', 'p_alive'];
const CALIBRATION = ['frequency', 'customers', 'actual_holdout', 'predicted_holdout'];

/** The chart for a table with these columns (exactly the clv node's matrix or calibration columns), or null. */
export function clvChartFor(columns: readonly string[]): ClvChart | null {
  const same = (want: string[]): boolean => columns.length === want.length && want.every((c, i) => columns[i] === c);
  return same(MATRIX) ? 'matrix' : same(CALIBRATION) ? 'calibration' : null;
}

/** One heat-map cell: frequency, recency (rounded for the axis) and expected purchases. */
export interface MatrixCell {
  /** Repeat purchases. */
  frequency: number;
  /** Recency label, rounded to 1 decimal. */
  recency: string;
  /** Expected purchases in the horizon. */
  expected: number;
  /** P(alive). */
  pAlive: number;
}

const num = (v: JsonValue | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Heat-map cells of a matrix table; rows with a missing number are left out. */
export function matrixCells(rows: readonly (readonly JsonValue[])[]): MatrixCell[] {
  const out: MatrixCell[] = [];
  for (const row of rows) {
    const f = num(row[0]);
    const r = num(row[1]);
    const e = num(row[2]);
    const a = num(row[3]);
    if (f === null || r === null || e === null || a === null) continue;
    out.push({ frequency: f, recency: r.toFixed(1), expected: e, pAlive: a });
  }
  return out;
}

/** One point of the calibration/holdout plot. */
export interface CalibrationPoint {
  /** Calibration frequency (the last row is "or more"). */
  frequency: number;
  /** Which series. */
  series: 'actual' | 'predicted';
  /** Mean holdout purchases. */
  purchases: number;
  /** Customers in the row. */
  customers: number;
}

/** Long-form points (actual and predicted per frequency) of a calibration table. */
export function calibrationPoints(rows: readonly (readonly JsonValue[])[]): CalibrationPoint[] {
  const out: CalibrationPoint[] = [];
  for (const row of rows) {
    const f = num(row[0]);
    const n = num(row[1]);
    const actual = num(row[2]);
    const predicted = num(row[3]);
    if (f === null || n === null) continue;
    if (actual !== null) out.push({ frequency: f, series: 'actual', purchases: actual, customers: n });
    if (predicted !== null) out.push({ frequency: f, series: 'predicted', purchases: predicted, customers: n });
  }
  return out;
}
