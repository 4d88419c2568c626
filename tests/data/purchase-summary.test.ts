/**
 * The purchase summariser against a pandas transcription of lifetimes 0.11.3's
 * summary_data_from_transaction_data (tests/fixtures/clv/make-reference.py) on the Online Retail
 * sample, and on small hand-made cases.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import ref from '../fixtures/clv/reference.json';
import { parseCsv } from '../../src/cli/bench/csv-rows.ts';
import { DAY_MS, parseDateText } from '../../src/data/dates.ts';
import { DataError } from '../../src/data/issues.ts';
import { periodStartDay, summarisePurchases, type PeriodUnit, type PurchaseRows } from '../../src/data/purchase-summary.ts';

const retail = fileURLToPath(new URL('../../../shared/data/online-retail/online_retail_sample.csv', import.meta.url));

function retailRows(): PurchaseRows {
  const rows = parseCsv(readFileSync(retail, 'utf8'));
  const h = rows[0]!;
  const at = (name: string): number => h.indexOf(name);
  const customer: (string | null)[] = [];
  const time: number[] = [];
  const value: number[] = [];
  for (const row of rows.slice(1)) {
    if (row.length < h.length) continue;
    const c = row[at('CustomerID')]!.trim();
    const q = Number(row[at('Quantity')]);
    const p = Number(row[at('UnitPrice')]);
    if (c === '' || !(q > 0) || !(p > 0)) continue;
    customer.push(String(Math.trunc(Number(c))));
    time.push(parseDateText(row[at('InvoiceDate')]!) ?? Number.NaN);
    value.push(q * p);
  }
  return { customer, time: Float64Array.from(time), value: Float64Array.from(value) };
}

describe.skipIf(!existsSync(retail))('summarisePurchases matches lifetimes’ summary on the Online Retail sample', () => {
  const rows = existsSync(retail) ? retailRows() : null;
  const cases: [PeriodUnit, 'D' | 'W' | 'M', string][] = [
    ['day', 'D', '2011-09-30'],
    ['week', 'W', ref.summary.W_end],
    ['month', 'M', ref.summary.M_end],
  ];
  for (const [unit, key, end] of cases) {
    it(`per ${unit} with calibration end ${end}: the same customers, frequency, recency, T and monetary value (1e-9)`, () => {
      const want = ref.summary[key];
      const got = summarisePurchases(rows!, { unit, calibrationEndMs: parseDateText(end), holdoutEndMs: null, valueColumn: 'value' });
      const order = got.ids.map((_, i) => i).sort((i, j) => (got.ids[i]! < got.ids[j]! ? -1 : 1));
      expect(order.map((i) => got.ids[i])).toEqual(want.customer);
      order.forEach((i, k) => {
        expect(got.frequency[i]).toBe(want.frequency[k]);
        expect(Math.abs(got.recency[i]! - want.recency[k]!)).toBeLessThanOrEqual(1e-9);
        expect(Math.abs(got.T[i]! - want.T[k]!)).toBeLessThanOrEqual(1e-9);
        expect(Math.abs(got.monetary[i]! - want.monetary[k]!)).toBeLessThanOrEqual(1e-9 * Math.max(1, want.monetary[k]!));
      });
    });
  }
});

const day = (iso: string): number => parseDateText(iso)!;

describe('summarisePurchases on hand-made transactions', () => {
  const rows: PurchaseRows = {
    customer: ['a', 'a', 'a', 'a', 'b', 'c', 'b', null, 'd'],
    time: Float64Array.from(['2024-01-01 09:00', '2024-01-01 17:00', '2024-01-08', '2024-01-20', '2024-01-05', '2024-01-31', '2024-02-10', '2024-01-02', '2024-02-03'].map(day)),
    value: Float64Array.of(10, 5, 20, Number.NaN, 7, 3, 9, 1, 4),
  };
  const s = summarisePurchases(rows, { unit: 'day', calibrationEndMs: day('2024-01-31'), holdoutEndMs: null, valueColumn: 'value' });

  it('counts one purchase per day, repeat days only, and leaves the first day out of the mean value', () => {
    expect(s.ids).toEqual(['a', 'b', 'c']);
    expect(Array.from(s.frequency)).toEqual([2, 0, 0]);
    expect(Array.from(s.recency)).toEqual([19, 0, 0]);
    expect(Array.from(s.T)).toEqual([30, 26, 0]);
    // a: days 01-01 (10 + 5), 01-08 (20), 01-20 (no value → 0): mean of the repeats (20 + 0) / 2.
    expect(Array.from(s.monetary)).toEqual([10, 0, 0]);
  });

  it('counts holdout days after the calibration end up to the last purchase, and customers who start later', () => {
    expect(Array.from(s.holdoutFrequency)).toEqual([0, 1, 0]);
    expect(Array.from(s.holdoutValue)).toEqual([0, 9, 0]);
    expect(s.holdoutDuration).toBe(10);
    expect(s.holdoutEnd).toBe('2024-02-10');
    expect(s.notes).toEqual([
      { code: 'skippedRows', values: { count: 1, example: 'a blank customer id' } },
      { code: 'missingValues', values: { count: 1, column: 'value' } },
      { code: 'laterCustomers', values: { count: 1, end: '2024-01-31' } },
    ]);
  });

  it('floors weeks to Monday (pandas W-SUN) and months to the 1st', () => {
    expect(periodStartDay(day('2024-01-07') / DAY_MS, 'week') * DAY_MS).toBe(day('2024-01-01'));
    expect(periodStartDay(day('2024-01-08') / DAY_MS, 'week') * DAY_MS).toBe(day('2024-01-08'));
    expect(periodStartDay(day('1969-12-31') / DAY_MS, 'week') * DAY_MS).toBe(day('1969-12-29'));
    expect(periodStartDay(day('2024-02-29') / DAY_MS, 'month') * DAY_MS).toBe(day('2024-02-01'));
  });

  it('refuses a calibration end before the first purchase, naming both dates', () => {
    expect(() => summarisePurchases(rows, { unit: 'day', calibrationEndMs: day('2023-12-01'), holdoutEndMs: null, valueColumn: 'value' })).toThrow(DataError);
    expect(() => summarisePurchases(rows, { unit: 'day', calibrationEndMs: day('2023-12-01'), holdoutEndMs: null, valueColumn: 'value' })).toThrow('The calibration end "2023-12-01" is before the first purchase ("2024-01-01")');
  });
});
