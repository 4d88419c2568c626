import { describe, expect, it } from 'vitest';
import { parseLooseNumber, parseNumberAt, parseNumberText } from '../../src/data/numbers.ts';
import { createRng } from '../../src/ml/random.ts';

describe('parseNumberText (strict, for type inference)', () => {
  it('reads plain decimals with signs, exponents and surrounding spaces', () => {
    expect(parseNumberText('-12')).toBe(-12);
    expect(parseNumberText('3.75')).toBe(3.75);
    expect(parseNumberText(' 17850.0 ')).toBe(17850);
    expect(parseNumberText('+.5')).toBe(0.5);
    expect(parseNumberText('5.')).toBe(5);
    expect(parseNumberText('1e-3')).toBe(0.001);
    expect(parseNumberText('2.5E+2')).toBe(250);
    expect(parseNumberText('0')).toBe(0);
    expect(parseNumberText('0.001')).toBe(0.001);
  });

  it('refuses ids with leading zeros, too many digits, other notations and non-finite values', () => {
    for (const text of ['0123', '1234567890123456', '1,234', '0x1F', 'Infinity', 'NaN', '1e400', '.', '-', 'e5', '1e', '12a', '', '  ', '1 2']) {
      expect(Number.isNaN(parseNumberText(text)), JSON.stringify(text)).toBe(true);
    }
    expect(parseNumberText('0123', false)).toBe(123);
  });

  it('reads a slice of a longer text without copying it', () => {
    const text = 'a,3.75,b';
    expect(parseNumberAt(text, 2, 6)).toBe(3.75);
  });

  it('agrees with Number() to the last bit on 20,000 random decimals', () => {
    const rng = createRng(7);
    for (let i = 0; i < 20_000; i++) {
      const digits = 1 + rng.int(17);
      let text = String(rng.int(10) === 0 ? 0 : 1 + rng.int(9));
      for (let d = 1; d < digits; d++) text += String(rng.int(10));
      const point = rng.int(digits + 1);
      if (point > 0 && point < digits) text = `${text.slice(0, point)}.${text.slice(point)}`;
      if (rng.int(4) === 0) text += `e${rng.int(2) === 0 ? '-' : ''}${rng.int(30)}`;
      if (rng.int(2) === 0) text = `-${text}`;
      const expected = Number(text);
      const intDigits = text.replace(/^-/, '').split(/[.e]/)[0]!.length;
      if (intDigits > 15 || (/^-?0\d/.test(text))) continue;
      expect(Object.is(parseNumberText(text), expected), text).toBe(true);
    }
  });
});

describe('parseLooseNumber (forgiving, for cleaning)', () => {
  it('reads thousands separators, decimal commas, currency and accounting negatives', () => {
    expect(parseLooseNumber('1,234.50')).toBe(1234.5);
    expect(parseLooseNumber('1.234,50')).toBe(1234.5);
    expect(parseLooseNumber('1,234')).toBe(1234);
    expect(parseLooseNumber('12,5')).toBe(12.5);
    expect(parseLooseNumber('1.234.567')).toBe(1234567);
    expect(parseLooseNumber('$ 1 234')).toBe(1234);
    expect(parseLooseNumber('€12.30')).toBe(12.3);
    expect(parseLooseNumber('(42)')).toBe(-42);
    expect(parseLooseNumber('\u22125')).toBe(-5);
    expect(parseLooseNumber(' 0042 ')).toBe(42);
  });

  it('gives null for text that is not a number in any of those forms', () => {
    for (const text of ['', ' ', 'abc', '1,23,4', '12.34.5', '1,2,3', 'C536379', '--5', '12%']) expect(parseLooseNumber(text), text).toBeNull();
  });
});
