/**
 * Bytes to text. UTF-8 (with or without a byte-order mark), UTF-16 with a mark, GB18030 (which
 * covers GBK/GB2312, as Chinese Excel exports write) and Windows-1252, all through the
 * platform's TextDecoder. Under 'auto': a mark decides; otherwise valid UTF-8 is UTF-8; text
 * that is not valid UTF-8 is GB18030 when it decodes as such without errors, else
 * Windows-1252 (which decodes any bytes). The guess is reported so the person can override it.
 */
import { assertNever } from '../engine/errors.ts';

/** Encodings a person can choose. */
export const encodingChoices = ['auto', 'utf-8', 'gb18030', 'windows-1252'] as const;

/** One of the encoding choices. */
export type EncodingChoice = (typeof encodingChoices)[number];

/** Encodings text can end up decoded with. */
export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030' | 'windows-1252';

/** Decoded text and how it was decoded. */
export interface DecodedText {
  /** The text, without any byte-order mark. */
  text: string;
  /** The encoding used. */
  encoding: TextEncodingName;
  /** Whether the bytes began with a byte-order mark. */
  bom: boolean;
  /** Whether the encoding was guessed from invalid UTF-8 (worth telling the person). */
  guessed: boolean;
  /** Replacement characters (U+FFFD) produced by undecodable bytes under a chosen encoding. */
  replaced: number;
}

function decode(bytes: Uint8Array, encoding: TextEncodingName, fatal: boolean): string {
  return new TextDecoder(encoding, { fatal, ignoreBOM: true }).decode(bytes);
}

function countReplacements(text: string): number {
  let count = 0;
  let at = text.indexOf('\uFFFD');
  while (at >= 0) {
    count++;
    at = text.indexOf('\uFFFD', at + 1);
  }
  return count;
}

/** Decodes bytes under a chosen or detected encoding (see the file header). */
export function decodeBytes(bytes: Uint8Array, choice: EncodingChoice = 'auto'): DecodedText {
  const b0 = bytes[0];
  const b1 = bytes[1];
  const b2 = bytes[2];
  const utf8Bom = b0 === 0xef && b1 === 0xbb && b2 === 0xbf;
  if (choice === 'auto' || choice === 'utf-8') {
    if (utf8Bom) return { text: decode(bytes.subarray(3), 'utf-8', false), encoding: 'utf-8', bom: true, guessed: false, replaced: 0 };
    if (choice === 'auto' && b0 === 0xff && b1 === 0xfe) return { text: decode(bytes.subarray(2), 'utf-16le', false), encoding: 'utf-16le', bom: true, guessed: false, replaced: 0 };
    if (choice === 'auto' && b0 === 0xfe && b1 === 0xff) return { text: decode(bytes.subarray(2), 'utf-16be', false), encoding: 'utf-16be', bom: true, guessed: false, replaced: 0 };
  }
  switch (choice) {
    case 'utf-8': {
      const text = decode(bytes, 'utf-8', false);
      return { text, encoding: 'utf-8', bom: false, guessed: false, replaced: countReplacements(text) };
    }
    case 'gb18030': {
      const text = decode(bytes, 'gb18030', false);
      return { text, encoding: 'gb18030', bom: false, guessed: false, replaced: countReplacements(text) };
    }
    case 'windows-1252':
      return { text: decode(bytes, 'windows-1252', false), encoding: 'windows-1252', bom: false, guessed: false, replaced: 0 };
    case 'auto':
      try {
        return { text: decode(bytes, 'utf-8', true), encoding: 'utf-8', bom: false, guessed: false, replaced: 0 };
      } catch {
        // Not UTF-8: GB18030 rejects most single high bytes that Latin text has, so try it first.
        try {
          return { text: decode(bytes, 'gb18030', true), encoding: 'gb18030', bom: false, guessed: true, replaced: 0 };
        } catch {
          return { text: decode(bytes, 'windows-1252', false), encoding: 'windows-1252', bom: false, guessed: true, replaced: 0 };
        }
      }
    default:
      return assertNever(choice);
  }
}

