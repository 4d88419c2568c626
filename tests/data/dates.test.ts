import { describe, expect, it } from 'vitest';
import { DAY_MS, dayBefore, dayStartMs, isoDayOrNone, daysFromCivil, epochToDates, isoDay, newDateOrderEvidence, newDateParts, addDateOrderEvidence, parseDateText, resolveDateOrder, scanDate, toEpochMs } from '../../src/data/dates.ts';

const utc = (iso: string): number => Date.parse(iso);

describe('parseDateText', () => {
  it('reads ISO dates and times as UTC, with and without T, Z and offsets', () => {
    expect(parseDateText('2010-12-01')).toBe(utc('2010-12-01T00:00:00Z'));
    expect(parseDateText('2010-12-01 08:45:00')).toBe(utc('2010-12-01T08:45:00Z'));
    expect(parseDateText('2010-12-01T08:45:00Z')).toBe(utc('2010-12-01T08:45:00Z'));
    expect(parseDateText('2010-12-01T08:45:00.25Z')).toBe(utc('2010-12-01T08:45:00.250Z'));
    expect(parseDateText('2010-12-01T08:45:00+02:00')).toBe(utc('2010-12-01T06:45:00Z'));
    expect(parseDateText('2010-12-01T08:45-0130')).toBe(utc('2010-12-01T10:15:00Z'));
    expect(parseDateText('2011/1/9 7:05')).toBe(utc('2011-01-09T07:05:00Z'));
  });

  it('reads day/month/year when the first field is above 12 and month/day/year when the second is', () => {
    expect(parseDateText('25/12/2010 08:26')).toBe(utc('2010-12-25T08:26:00Z'));
    expect(parseDateText('12/25/2010 8:26')).toBe(utc('2010-12-25T08:26:00Z'));
    expect(parseDateText('03.04.2011')).toBe(utc('2011-04-03T00:00:00Z'));
    expect(parseDateText('03/04/2011', 'month-first')).toBe(utc('2011-03-04T00:00:00Z'));
  });

  it('applies AM and PM', () => {
    expect(parseDateText('12/25/2010 12:05 AM')).toBe(utc('2010-12-25T00:05:00Z'));
    expect(parseDateText('12/25/2010 1:05 pm')).toBe(utc('2010-12-25T13:05:00Z'));
    expect(parseDateText('12/25/2010 13:05 PM')).toBeNull();
  });

  it('refuses numbers, partial dates and impossible calendar dates', () => {
    for (const text of ['20101201', '2010-12', '12/2010', '2010-02-30', '2011-02-29', '2010-13-01', '31/31/2010', '2010-12-01 24:00', '2010-12-01 10:60', 'soon', '']) {
      expect(parseDateText(text), text).toBeNull();
    }
    expect(parseDateText('2012-02-29')).toBe(utc('2012-02-29T00:00:00Z'));
  });
});

describe('toEpochMs', () => {
  it('takes Dates, epoch numbers and date text, and gives null for anything else', () => {
    expect(toEpochMs(new Date(utc('2011-12-09T12:50:00Z')))).toBe(utc('2011-12-09T12:50:00Z'));
    expect(toEpochMs(1_300_000_000_000)).toBe(1_300_000_000_000);
    expect(toEpochMs('2011-12-09 12:50:00')).toBe(utc('2011-12-09T12:50:00Z'));
    expect(toEpochMs(new Date(Number.NaN))).toBeNull();
    expect(toEpochMs(Number.NaN)).toBeNull();
    expect(toEpochMs(Infinity)).toBeNull();
    expect(toEpochMs(null)).toBeNull();
    expect(toEpochMs('not a date')).toBeNull();
    expect(toEpochMs(true)).toBeNull();
  });
});

describe('date order evidence for a column', () => {
  const decide = (texts: string[]) => {
    const evidence = newDateOrderEvidence();
    const parts = newDateParts();
    for (const t of texts) if (scanDate(t, 0, t.length, parts)) addDateOrderEvidence(evidence, parts);
    return resolveDateOrder(evidence);
  };

  it('is decided by any value above 12, ambiguous without one, and conflicting with both', () => {
    expect(decide(['01/02/2011', '13/02/2011'])).toEqual({ order: 'day-first', status: 'decided' });
    expect(decide(['01/02/2011', '02/13/2011'])).toEqual({ order: 'month-first', status: 'decided' });
    expect(decide(['01/02/2011', '02/03/2011'])).toEqual({ order: 'day-first', status: 'ambiguous' });
    expect(decide(['13/02/2011', '02/13/2011'])).toEqual({ order: 'day-first', status: 'conflict' });
    expect(decide(['2011-02-13'])).toEqual({ order: 'day-first', status: 'not-needed' });
  });
});

describe('calendar helpers', () => {
  it('count days from the epoch like Date.UTC across leap years and before 1970', () => {
    for (const [y, m, d] of [[1970, 1, 1], [2000, 2, 29], [1900, 3, 1], [1969, 12, 31], [2011, 12, 9], [2400, 12, 31]] as const) {
      expect(daysFromCivil(y, m, d) * DAY_MS, `${y}-${m}-${d}`).toBe(Date.UTC(y, m - 1, d));
    }
    expect(isoDay(utc('2011-12-10T12:50:00Z'))).toBe('2011-12-10');
    expect(dayStartMs('2011-12-10')).toBe(utc('2011-12-10T00:00:00Z'));
    expect(dayStartMs('2011-12-10 10:00')).toBeNull();
  });

  it('shares one Date per instant and maps NaN to null', () => {
    const dates = epochToDates(Float64Array.from([5, 5, Number.NaN, 7, 5]));
    expect(dates.map((d) => d?.getTime() ?? null)).toEqual([5, 5, null, 7, 5]);
    expect(dates[0]).toBe(dates[1]);
    expect(dates[0]).toBe(dates[4]);
  });

  it('shares one Date per instant when instants rise for a while and then come back, and across a repeat of an earlier one later', () => {
    const dates = epochToDates(Float64Array.from([1, 2, 2, Number.NaN, 3, 2, 4, 1, 4, 0, -0]));
    expect(dates.map((d) => d?.getTime() ?? null)).toEqual([1, 2, 2, null, 3, 2, 4, 1, 4, 0, 0]);
    expect(dates[1]).toBe(dates[2]);
    expect(dates[5]).toBe(dates[1]);
    expect(dates[7]).toBe(dates[0]);
    expect(dates[8]).toBe(dates[6]);
    expect(dates[10]).toBe(dates[9]);
    expect(new Set(dates.filter((d) => d !== null)).size).toBe(5);
  });
});

describe('day helpers', () => {
  it('gives the day before a YYYY-MM-DD day across month and year ends, and leaves other text as it is', () => {
    expect(dayBefore('2024-03-01')).toBe('2024-02-29');
    expect(dayBefore('2024-01-01')).toBe('2023-12-31');
    expect(dayBefore('soon')).toBe('soon');
  });
  it('writes an instant as its UTC day, or none when it is not finite', () => {
    expect(isoDayOrNone(Date.UTC(2024, 5, 3, 23))).toBe('2024-06-03');
    expect(isoDayOrNone(Number.POSITIVE_INFINITY)).toBe('none');
  });
});
