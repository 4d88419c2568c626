import { describe, expect, it } from 'vitest';
import { typedFromJson, typedToJson } from '../../src/engine/typed-json.ts';

describe('typed arrays as base64 JSON', () => {
  it('reads back every value bit for bit, NaN, −0 and ±∞ included, into the same type', () => {
    const cases = [
      Float64Array.from([0.1, -0, Number.NaN, Infinity, -Infinity, Number.MIN_VALUE, Number.MAX_VALUE, 1 / 3]),
      Float64Array.from([0, 7043, -12, 2 ** 31 - 1]),
      Float64Array.from([2 ** 31, 1]),
      Float64Array.from([-0, 1]),
      Float32Array.from([0.1, -0, Number.NaN, Infinity, 3.4e38]),
      Int32Array.from([-1, 0, 2 ** 31 - 1, -(2 ** 31)]),
      Uint32Array.from([0, 2 ** 32 - 1]),
      Int16Array.from([-32768, 32767]),
      Uint16Array.from([65535]),
      Int8Array.from([-128, 127]),
      Uint8Array.from([0, 1, 255]),
      new Float64Array(0),
    ];
    for (const a of cases) {
      const back = typedFromJson(JSON.parse(JSON.stringify(typedToJson(a))));
      expect(back?.constructor).toBe(a.constructor);
      expect(Array.from(back ?? [], (v) => Object.is(v, -0) ? '-0' : String(v))).toEqual(Array.from(a, (v) => Object.is(v, -0) ? '-0' : String(v)));
    }
  });

  it('writes integers, and floats that are all whole numbers, in the narrowest width that holds them, other floats in their own', () => {
    expect([Int32Array.from([-1, 5, 100]), Int32Array.from([300]), Int32Array.from([70000]), Uint8Array.from([9]), Float64Array.from([1.5]), Float32Array.from([0.25]), Float64Array.from([7043, 20]), Float64Array.from([-0]), Float64Array.from([2 ** 40])].map((a) => typedToJson(a)?.width)).toEqual([1, 2, 4, 1, 8, 4, 2, 8, 8]);
    expect(typedToJson(Int32Array.from([1, -1, 2]))).toEqual({ $typed: 'Int32Array', width: 1, base64: 'Af8C' });
  });

  it('refuses malformed input: bad base64, a length that is not whole values, a width too wide for its type, an unknown type', () => {
    expect(typedFromJson({ $typed: 'Float64Array', width: 8, base64: '!!!' })).toBeNull();
    expect(typedFromJson({ $typed: 'Float64Array', width: 8, base64: 'AAAA' })).toBeNull();
    expect(typedFromJson({ $typed: 'Uint8Array', width: 2, base64: 'AAAA' })).toBeNull();
    expect(typedFromJson({ $typed: 'BigInt64Array', width: 8, base64: 'AAAAAAAAAAA=' })).toBeNull();
    expect(typedFromJson({ $typed: 'constructor', width: 1, base64: '' })).toBeNull();
  });
});
