import { describe, expect, it } from 'vitest';
import { makeTable } from '../../src/data/columns.ts';
import { dayStartMs, isoDay } from '../../src/data/dates.ts';
import { applyNumberDates, compactDay, numberDateMs, readNumberDates } from '../../src/data/number-dates.ts';

const zero = dayStartMs('1999-12-31') ?? Number.NaN;
const day = (ms: number | null): string | null => (ms === null ? null : isoDay(ms));

describe('dates written as numbers', () => {
  it('reads YYYYMMDD whole numbers and digit text, checking month and day ranges', () => {
    expect(day(numberDateMs(19970101, 'yyyymmdd', zero))).toBe('1997-01-01');
    expect(day(numberDateMs('19980630', 'yyyymmdd', zero))).toBe('1998-06-30');
    expect(day(numberDateMs(20000229, 'yyyymmdd', zero))).toBe('2000-02-29');
    expect(numberDateMs(19970229, 'yyyymmdd', zero)).toBeNull();
    expect(numberDateMs(19971301, 'yyyymmdd', zero)).toBeNull();
    expect(numberDateMs(19970100, 'yyyymmdd', zero)).toBeNull();
    expect(numberDateMs(19970431, 'yyyymmdd', zero)).toBeNull();
    expect(numberDateMs(1997010.5, 'yyyymmdd', zero)).toBeNull();
    expect(compactDay(12345)).toBeNull();
  });

  it('reads YYYYMM as the first of the month', () => {
    expect(day(numberDateMs(199701, 'yyyymm', zero))).toBe('1997-01-01');
    expect(numberDateMs(199713, 'yyyymm', zero)).toBeNull();
  });

  it('counts day numbers from day 0 and starts week 1 on the day after it', () => {
    expect(day(numberDateMs(1, 'day-number', zero))).toBe('2000-01-01');
    expect(day(numberDateMs(711, 'day-number', zero))).toBe('2001-12-11');
    expect(day(numberDateMs(1, 'week-number', zero))).toBe('2000-01-01');
    expect(day(numberDateMs(2, 'week-number', zero))).toBe('2000-01-08');
    expect(numberDateMs(-1, 'day-number', zero)).toBeNull();
    expect(numberDateMs(0, 'week-number', zero)).toBeNull();
  });

  it('counts the filled cells that do not read and leaves missing ones missing', () => {
    const r = readNumberDates([19970101, null, 19971399, 'x'], 'yyyymmdd', zero);
    expect(r.unreadable).toBe(2);
    expect(r.example).toBe('19971399');
    expect(Number.isNaN(r.ms[1] ?? 0)).toBe(true);
  });
});

describe('applyNumberDates', () => {
  const table = makeTable(['id', 'date', 'DAY'], [[1, 2, 3], [19970101, 19970102, 19979999], [1, 2, 711]]);

  it('turns the named columns into Date cells, types them date, and notes unreadable cells with an example', () => {
    const r = applyNumberDates(table, { id: 'integer', date: 'integer', DAY: 'integer' }, { date: 'yyyymmdd', DAY: 'day-number' }, '1999-12-31');
    expect(r.table.array('date')).toEqual([new Date('1997-01-01T00:00:00Z'), new Date('1997-01-02T00:00:00Z'), null]);
    expect(r.table.array('DAY')[2]).toEqual(new Date('2001-12-11T00:00:00Z'));
    expect(r.types).toMatchObject({ id: 'integer', date: 'date', DAY: 'date' });
    expect(r.notes).toEqual([{ code: 'numberDatesUnreadable', values: { column: 'date', count: 1, example: '19979999', form: expect.stringContaining('YYYYMMDD') } }]);
  });

  it('names a column the table lacks, and a day 0 that is not a date', () => {
    expect(() => applyNumberDates(table, {}, { when: 'yyyymmdd' }, '1999-12-31')).toThrow(/numberDates.*when/);
    expect(() => applyNumberDates(table, {}, { DAY: 'day-number' }, '31/12/1999')).toThrow(/dayZero.*31\/12\/1999/);
  });
});
