import { describe, expect, it } from 'vitest';
import { fingerprintDifferences, fingerprintKey, sha256Hex, sniffColumns } from '../../src/storage/fingerprint.ts';
import { requestPersistence, storageUse } from '../../src/storage/quota.ts';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('storage use', () => {
  it('reports usage, quota, share and persistence in one line', async () => {
    const use = await storageUse({ estimate: async () => ({ usage: 1536 * 1024, quota: 2 * 1024 * 1024 * 1024 }), persisted: async () => true });
    expect(use).toEqual({ usage: 1572864, quota: 2147483648, fraction: 1572864 / 2147483648, persisted: true, text: '1.5 MB of 2.0 GB used (0.1%) · kept by the browser' });
  });

  it('says when the browser reports nothing', async () => {
    expect((await storageUse(undefined)).text).toBe('Storage use unknown');
    expect(await requestPersistence(undefined)).toBe(false);
    expect(await requestPersistence({ persist: async () => true })).toBe(true);
  });
});

describe('fingerprints', () => {
  it('reads CSV, TSV and JSON column names', () => {
    expect(sniffColumns('a.csv', enc('\uFEFFid,"full, name",amount\r\n1,x,2\n'))).toEqual(['id', 'full, name', 'amount']);
    expect(sniffColumns('a.tsv', enc('id\tamount\n1\t2\n'))).toEqual(['id', 'amount']);
    expect(sniffColumns('a.json', enc('[{"id": 1, "amount": 2}, {"id": 2}]'))).toEqual(['id', 'amount']);
    expect(sniffColumns('a.parquet', enc('PAR1'))).toEqual([]);
  });

  it('hashes only the bytes a view shows, not the rest of its buffer (SHA-256 of "abc" from the standard)', async () => {
    const abc = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
    const buffer = new TextEncoder().encode('xxabcyy');
    expect(await sha256Hex(buffer.subarray(2, 5))).toBe(abc);
    expect(await sha256Hex(new TextEncoder().encode('abc'))).toBe(abc);
  });

  it('names what differs between the expected file and the one given', () => {
    const expected = { name: 'a.csv', size: 100, columns: ['id', 'amount'], sha256: 'a'.repeat(64) };
    const actual = { name: 'b.csv', size: 120, columns: ['id', 'total'], sha256: 'b'.repeat(64) };
    expect(fingerprintDifferences(expected, actual)).toEqual([
      { kind: 'missing', columns: ['amount'] },
      { kind: 'extra', columns: ['total'] },
      { kind: 'size', actual: 120, expected: 100 },
      { kind: 'content', actual: 'b'.repeat(64), expected: 'a'.repeat(64) },
    ]);
    expect(fingerprintDifferences(expected, { ...actual, sha256: expected.sha256 })).toEqual([]);
    expect(fingerprintKey(expected)).toBe(`sha256:${'a'.repeat(64)}`);
  });
});
