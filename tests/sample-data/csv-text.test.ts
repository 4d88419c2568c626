import { describe, expect, it } from 'vitest';
import { TimestampFormatter, csvField, dayFirstDate, epochSecondsOf, isoDate } from '../../sample-data/csv-text.ts';

describe('csv-text', () => {
  it('quotes only fields with commas, quotes or line breaks', () => {
    expect(csvField('plain text')).toBe('plain text');
    expect(csvField(' padded ')).toBe(' padded ');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
  });

  it('formats dates in both formats', () => {
    const day = epochSecondsOf('2024-02-29') / 86400;
    expect(isoDate(day)).toBe('2024-02-29');
    expect(dayFirstDate(day)).toBe('29/02/2024');
  });

  it('formats window times as ISO strings, bytes and day-first strings', () => {
    const format = new TimestampFormatter(epochSecondsOf('2024-01-01'), 182);
    const t = 59 * 86400 + 13 * 3600 + 7 * 60 + 9;
    expect(format.iso(t)).toBe('2024-02-29 13:07:09');
    expect(format.iso(0)).toBe('2024-01-01 00:00:00');
    expect(format.iso(182 * 86400 - 1)).toBe('2024-06-30 23:59:59');
    expect(format.dayFirst(t)).toBe('29/02/2024 13:07');
    const buf = new Uint8Array(24).fill(35);
    expect(format.writeIso(buf, 2, t)).toBe(21);
    expect(new TextDecoder().decode(buf)).toBe('##2024-02-29 13:07:09###');
  });

  it('refuses a window that does not start at midnight and times outside the window', () => {
    expect(() => new TimestampFormatter(epochSecondsOf('2024-01-01') + 1, 10)).toThrow('Window start must be a UTC midnight.');
    const format = new TimestampFormatter(epochSecondsOf('2024-01-01'), 10);
    expect(() => format.writeIso(new Uint8Array(19), 0, 10 * 86400)).toThrow("Time 864000 s lies outside the formatter's window.");
  });
});
