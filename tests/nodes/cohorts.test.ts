/**
 * The cohorts node: monthly and weekly acquisition cohorts on a small table worked by hand, the
 * declared messages, and on the Online Retail sample (../shared/data) retention equal to a plain
 * loop over the file's rows.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { escape, fromCSV, table } from 'arquero';
import { describe, expect, it } from 'vitest';
import { cohorts } from '../../nodes/cohorts.ts';
import { periodIndex, periodLabel } from '../../src/data/cohorts.ts';
import { InsightError } from '../../src/engine/errors.ts';
import { runNode } from './decision-harness.ts';

const shop = () =>
  table({
    customer_id: ['a', 'a', 'b', 'b', 'c', 'a', null, 'c'],
    timestamp: ['2024-01-05', '2024-02-10', '2024-01-20', '2024-01-25', '2024-02-01', '2024-03-31T23:59:00Z', '2024-01-01', '2024-04-02'],
    quantity: [1, 2, 1, 1, 3, 1, 1, -1],
    unit_price: [10, 5, 4, 6, 2, 1, 9, 2],
  });

describe('cohorts node', () => {
  it('counts monthly cohorts, retention and revenue, leaving out returns and rows without a customer', async () => {
    const { outputs, warnings } = await runNode(cohorts, { table: shop() }, {});
    expect(warnings.map((w) => w.message)).toEqual(['2 of 8 rows left out: 1 without a customer or time, 1 with a value that is missing or ≤ 0 (returns).']);
    // a: Jan (10), Feb (10), Mar (1); b: Jan (4 + 6); c: Feb (6). Cohorts Jan {a, b}, Feb {c}.
    expect(outputs.table.objects()).toEqual([
      { cohort: '2024-01', cohort_size: 2, period: 0, period_start: '2024-01', customers_active: 2, retention: 1, revenue: 20, revenue_per_customer: 10, revenue_per_active: 10 },
      { cohort: '2024-01', cohort_size: 2, period: 1, period_start: '2024-02', customers_active: 1, retention: 0.5, revenue: 10, revenue_per_customer: 5, revenue_per_active: 10 },
      { cohort: '2024-01', cohort_size: 2, period: 2, period_start: '2024-03', customers_active: 1, retention: 0.5, revenue: 1, revenue_per_customer: 0.5, revenue_per_active: 1 },
      { cohort: '2024-02', cohort_size: 1, period: 0, period_start: '2024-02', customers_active: 1, retention: 1, revenue: 6, revenue_per_customer: 6, revenue_per_active: 6 },
    ]);
    // The data ends in March: the February cohort's p2 is unknown, not 0.
    expect(outputs.matrix.select('cohort', 'customers', 'p0', 'p1', 'p2', 'p3').objects()).toEqual([
      { cohort: '2024-01', customers: 2, p0: 1, p1: 0.5, p2: 0.5, p3: null },
      { cohort: '2024-02', customers: 1, p0: 1, p1: 0, p2: null, p3: null },
    ]);
    expect(outputs.matrix.columnNames()).toHaveLength(14);
  });

  it('counts weekly cohorts from Monday', async () => {
    expect(periodLabel(periodIndex(Date.parse('2024-01-07T12:00:00Z'), 'week'), 'week')).toBe('2024-01-01');
    expect(periodLabel(periodIndex(Date.parse('2024-01-08T00:00:00Z'), 'week'), 'week')).toBe('2024-01-08');
    const { outputs } = await runNode(cohorts, { table: shop() }, { period: 'week', priceColumn: '', quantityColumn: '' });
    expect(outputs.matrix.array('cohort')).toEqual(['2024-01-01', '2024-01-15', '2024-01-29']);
    expect(Array.from(outputs.table.array('revenue'))).toEqual(new Array<number>(outputs.table.numRows()).fill(0));
  });

  it('refuses a time that is not a date, naming the column, row and value', async () => {
    const bad = table({ customer_id: ['a'], timestamp: ['soon'], quantity: [1], unit_price: [1] });
    const run = runNode(cohorts, { table: bad }, {});
    await expect(run).rejects.toThrow(InsightError);
    await expect(run).rejects.toThrow('Time column "timestamp" has "soon" at row 1, which is not a date or time.');
  });

  it('says so when no purchase is left', async () => {
    const { outputs, warnings } = await runNode(cohorts, { table: shop().slice(0, 0) }, {});
    expect(warnings.map((w) => w.code)).toEqual(['cohorts.noPurchases']);
    expect(outputs.matrix.numRows()).toBe(0);
  });
});

const retail = fileURLToPath(new URL('../../../shared/data/online-retail/online_retail_sample.csv', import.meta.url));
describe.skipIf(!existsSync(retail))(`cohorts on the Online Retail sample (${existsSync(retail) ? retail : 'skipped: ../shared/data/online-retail not found'})`, () => {
  it('gives the same monthly retention and revenue as a plain loop over the rows', async () => {
    const raw = fromCSV(readFileSync(retail, 'utf8'), { autoType: false });
    const t = raw.derive({ Quantity: escape((d: { Quantity: string }) => Number(d.Quantity)), UnitPrice: escape((d: { UnitPrice: string }) => Number(d.UnitPrice)) });
    const { outputs } = await runNode(cohorts, { table: t }, { customerColumn: 'CustomerID', timeColumn: 'InvoiceDate', priceColumn: 'UnitPrice', quantityColumn: 'Quantity' });
    // Plain loop: a purchase is a row with a customer and quantity × price > 0; month = YYYY-MM.
    const lines = readFileSync(retail, 'utf8').split(/\r?\n/).slice(1).filter((l) => l !== '');
    const firstMonth = new Map<string, string>();
    const months = new Map<string, Map<string, number>>();
    for (const line of lines) {
      const f = line.split(',');
      const n = f.length;
      // Descriptions may hold quoted commas: the last four fields are fixed.
      const [date, price, customer] = [f[n - 4]!, Number(f[n - 3]), f[n - 2]!];
      const quantity = Number(f[n - 5]);
      if (customer === '' || !(quantity * price > 0)) continue;
      const month = date.slice(0, 7);
      if (!firstMonth.has(customer) || month < firstMonth.get(customer)!) firstMonth.set(customer, month);
      const m = months.get(customer) ?? new Map<string, number>();
      m.set(month, (m.get(month) ?? 0) + quantity * price);
      months.set(customer, m);
    }
    const cell = new Map<string, { active: number; revenue: number; size: number }>();
    const size = new Map<string, number>();
    for (const f of firstMonth.values()) size.set(f, (size.get(f) ?? 0) + 1);
    const since = (a: string, b: string) => (Number(b.slice(0, 4)) - Number(a.slice(0, 4))) * 12 + Number(b.slice(5, 7)) - Number(a.slice(5, 7));
    for (const [customer, m] of months) {
      const f = firstMonth.get(customer)!;
      for (const [month, revenue] of m) {
        const key = `${f}|${since(f, month)}`;
        const e = cell.get(key) ?? { active: 0, revenue: 0, size: size.get(f)! };
        e.active++;
        e.revenue += revenue;
        cell.set(key, e);
      }
    }
    const expected = [...cell.entries()].map(([k, e]) => ({ key: k, active: e.active, size: e.size, retention: e.active / e.size, revenue: Math.round(e.revenue * 100) })).sort((a, b) => a.key.localeCompare(b.key, 'en', { numeric: true }));
    const o = outputs.table;
    const got = Array.from({ length: o.numRows() }, (_, r) => ({ key: `${String(o.get('cohort', r))}|${String(o.get('period', r))}`, active: o.get('customers_active', r), size: o.get('cohort_size', r), retention: o.get('retention', r), revenue: Math.round(Number(o.get('revenue', r)) * 100) })).sort((a, b) => a.key.localeCompare(b.key, 'en', { numeric: true }));
    expect(firstMonth.size).toBe(441);
    expect(got).toEqual(expected);
    expect(got.length).toBeGreaterThan(60);
  });
});
