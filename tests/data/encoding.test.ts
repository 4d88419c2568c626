import { describe, expect, it } from 'vitest';
import { decodeBytes } from '../../src/data/encoding.ts';

const bytes = (...parts: (number[] | string)[]): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...new TextEncoder().encode(p)] : p)));

describe('decodeBytes', () => {
  it('strips a UTF-8 byte-order mark and reports it', () => {
    expect(decodeBytes(bytes([0xef, 0xbb, 0xbf], 'id,名'))).toEqual({ text: 'id,名', encoding: 'utf-8', bom: true, guessed: false, replaced: 0 });
  });

  it('reads UTF-16 little-endian with a mark', () => {
    const text = 'a,b';
    const le = [0xff, 0xfe, ...[...text].flatMap((c) => [c.charCodeAt(0), 0])];
    expect(decodeBytes(Uint8Array.from(le)).text).toBe('a,b');
    expect(decodeBytes(Uint8Array.from(le)).encoding).toBe('utf-16le');
  });

  it('guesses GB18030 for Chinese bytes that are not UTF-8, and Windows-1252 for Latin bytes', () => {
    expect(decodeBytes(Uint8Array.from([0xd6, 0xd0, 0xce, 0xc4]))).toEqual({ text: '中文', encoding: 'gb18030', bom: false, guessed: true, replaced: 0 });
    expect(decodeBytes(bytes('caf', [0xe9], ','))).toEqual({ text: 'café,', encoding: 'windows-1252', bom: false, guessed: true, replaced: 0 });
  });

  it('counts replacement characters when a chosen encoding does not fit', () => {
    const result = decodeBytes(Uint8Array.from([0x61, 0xd6, 0xd0]), 'utf-8');
    expect(result.replaced).toBe(2);
    expect(result.text.startsWith('a')).toBe(true);
  });
});
