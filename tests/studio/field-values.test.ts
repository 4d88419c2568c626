import { describe, expect, it } from 'vitest';
import { parseColumnList, parseDateField, parseNumberField } from '../../src/studio/inspector/field-values.ts';

describe('inspector field parsing', () => {
  it('accepts numbers in range and names the bound that was crossed', () => {
    expect(parseNumberField(' 0.25 ', { min: 0, max: 1 }, false)).toEqual({ ok: true, value: 0.25 });
    expect(parseNumberField('1.5', { min: 0, max: 1 }, false)).toEqual({ ok: false, key: 'validation.max', values: { max: 1 } });
    expect(parseNumberField('-1', { min: 0 }, false)).toEqual({ ok: false, key: 'validation.min', values: { min: 0 } });
  });

  it('refuses blanks, words and fractions where a whole number is wanted', () => {
    expect(parseNumberField('', {}, false)).toEqual({ ok: false, key: 'validation.number', values: {} });
    expect(parseNumberField('ten', {}, true)).toEqual({ ok: false, key: 'validation.integer', values: {} });
    expect(parseNumberField('2.5', {}, true)).toEqual({ ok: false, key: 'validation.integer', values: {} });
    expect(parseNumberField('12', {}, true)).toEqual({ ok: true, value: 12 });
  });

  it('accepts real calendar dates or empty, nothing else', () => {
    expect(parseDateField('2024-02-29')).toEqual({ ok: true, value: '2024-02-29' });
    expect(parseDateField('')).toEqual({ ok: true, value: '' });
    expect(parseDateField('2023-02-29')).toEqual({ ok: false, key: 'validation.date', values: {} });
    expect(parseDateField('29/02/2024')).toEqual({ ok: false, key: 'validation.date', values: {} });
  });

  it('splits column lists, trimming blanks and repeats', () => {
    expect(parseColumnList(' recency, frequency,,monetary , frequency')).toEqual(['recency', 'frequency', 'monetary']);
  });
});
