import { describe, expect, it } from 'vitest';
import { boolean, columnChoices, columns, conditions, date, defaultParams, integer, number, oneOf, text, weights } from '../../src/engine/params.ts';

describe('param helpers', () => {
  it('accept valid values and describe what was expected otherwise', () => {
    expect(number(1, { min: 0, max: 2 }).check(1.5)).toEqual({ ok: true, value: 1.5 });
    expect(number(1, { min: 0, max: 2 }).check(3)).toEqual({ ok: false, expected: 'a number between 0 and 2' });
    expect(number(1).check(Number.NaN)).toEqual({ ok: false, expected: 'a number' });
    expect(integer(1, { min: 1 }).check(2.5)).toEqual({ ok: false, expected: 'a whole number of at least 1' });
    expect(boolean(true).check('yes')).toEqual({ ok: false, expected: 'true or false' });
    expect(oneOf(['a', 'b'] as const, 'a').check('c')).toEqual({ ok: false, expected: 'one of "a", "b"' });
    expect(text('', { maxLength: 3 }).check('abcd')).toEqual({ ok: false, expected: 'text of at most 3 characters' });
    expect(date('').check('2024-02-30')).toEqual({ ok: false, expected: 'a real calendar date YYYY-MM-DD' });
    expect(date('').check('')).toEqual({ ok: true, value: '' });
    expect(columns().check(['a', 'a'])).toEqual({ ok: false, expected: 'a list of distinct column names' });
    expect(weights().check({ a: 1, b: -0.5 })).toEqual({ ok: true, value: { a: 1, b: -0.5 } });
    expect(weights().check({ a: 'x' }).ok).toBe(false);
    expect(columnChoices(['mean', 'drop'] as const).check({ a: 'mean' })).toEqual({ ok: true, value: { a: 'mean' } });
    expect(columnChoices(['mean', 'drop'] as const).check({ a: 'max' }).ok).toBe(false);
  });

  it('keep per-column params keyed by Object.prototype names as own entries of a record without a prototype', () => {
    const hostile: unknown = JSON.parse('{"__proto__": 1, "constructor": -0.5, "polluted": 2}');
    const check = weights().check(hostile);
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    expect(Object.getPrototypeOf(check.value)).toBeNull();
    expect(Object.entries(check.value)).toEqual([['__proto__', 1], ['constructor', -0.5], ['polluted', 2]]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const choices = columnChoices(['keep', 'drop'] as const).check(JSON.parse('{"toString": "drop"}'));
    expect(choices.ok && Object.getPrototypeOf(choices.value) === null && choices.value.toString).toBe('drop');
    // A column that is not named reads as absent, not as Object's method.
    expect(check.value.valueOf).toBeUndefined();
  });

  it('check structured conditions and never accept code strings as operators', () => {
    expect(conditions().check([{ column: 'quantity', op: '>', value: 0 }])).toEqual({ ok: true, value: [{ column: 'quantity', op: '>', value: 0 }] });
    expect(conditions().check([{ column: 'q', op: 'd => d.q > 0', value: 0 }]).ok).toBe(false);
    expect(conditions().check([{ column: 'q', op: '>', value: { evil: true } }]).ok).toBe(false);
  });

  it('give fresh default objects each time', () => {
    const specs = { cols: columns(['a']), w: weights({ a: 1 }) };
    const first = defaultParams(specs);
    first.cols.push('b');
    expect(defaultParams(specs)).toEqual({ cols: ['a'], w: { a: 1 } });
  });
});
