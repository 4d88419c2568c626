import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ageBands, hashColumn, reproducibleSalt, saltedSha256 } from '../../src/data/anonymise.ts';

const reference = (salt: string, text: string) => createHash('sha256').update(Buffer.concat([Buffer.from(salt, 'utf8'), Buffer.from([0]), Buffer.from(text, 'utf8')])).digest('hex');

describe('salted SHA-256', () => {
  it('equals SHA-256(salt ‖ 0x00 ‖ value) computed by node:crypto', async () => {
    expect(await saltedSha256('s3cret', '17850')).toBe(reference('s3cret', '17850'));
    expect(await saltedSha256('盐', 'Zoë', 16)).toBe(reference('盐', 'Zoë').slice(0, 16));
  });

  it('hashes a column value by value: equal values equal hashes, missing stays missing, numbers and dates as text', async () => {
    const out = await hashColumn([17850, 'a', 17850, null, new Date('2011-01-01T00:00:00Z')], 'salt');
    expect(out).toEqual([reference('salt', '17850'), reference('salt', 'a'), reference('salt', '17850'), null, reference('salt', '2011-01-01T00:00:00.000Z')]);
    expect(await hashColumn(['a'], 'other salt')).not.toEqual([reference('salt', 'a')]);
  });

  it('derives a reproducible 64-character salt from the seed and a label', () => {
    expect(reproducibleSalt(42, 'anon1')).toBe(reproducibleSalt(42, 'anon1'));
    expect(reproducibleSalt(42, 'anon1')).not.toBe(reproducibleSalt(43, 'anon1'));
    expect(reproducibleSalt(42, 'anon1')).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('ageBands', () => {
  it('puts ages in bands of the chosen width, top-codes old ages and sets negative ones missing', () => {
    const result = ageBands([23, 35.9, 40, 89, 90, 104, null, -2, 0], 'age', 10, 90);
    expect(result.values).toEqual(['20-29', '30-39', '40-49', '80-89', '90+', '90+', null, null, '0-9']);
    expect([result.negative, result.negativeExample]).toEqual([1, -2]);
    expect(ageBands([23, 47], 'age', 5, 0).values).toEqual(['20-24', '45-49']);
    expect(ageBands([88], 'age', 10, 85).values).toEqual(['85+']);
    expect(ageBands([84], 'age', 10, 85).values).toEqual(['80-84']);
  });

  it('refuses a text age column', () => {
    expect(() => ageBands(['thirty'], 'age', 10, 90)).toThrow('Column "age" in parameter "ageColumn" must hold numbers (ages); it holds values such as "thirty".');
  });
});
