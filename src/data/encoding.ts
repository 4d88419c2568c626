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

/** How many U+FFFD replacement characters the text holds. */
export function countReplacements(text: string): number {
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


/**
 * Text read as bytes, never decoded whole (UTF-8 and Windows-1252 only: their ASCII bytes are
 * their characters, see code-units.ts). `byteText` decides it exactly as `decodeBytes` would.
 */
export interface ByteText {
  /** The encoding: what `decodeBytes` would have used. */
  encoding: 'utf-8' | 'windows-1252';
  /** Where the text starts (3 after a UTF-8 byte-order mark). */
  offset: number;
  /** Replacement characters the whole decode yields (as `DecodedText.replaced`). */
  replaced: number;
  /** Decodes some of the bytes (a cell, a header) exactly as the whole decode would read them; a leading U+FEFF is kept. */
  decode: (bytes: Uint8Array) => string;
}

/** Bytes per piece when a whole file is checked or counted piece by piece. */
export const decodeChunkBytes = 1 << 20;

/**
 * How `decodeBytes(bytes, choice)` would read the bytes, when that is UTF-8 or Windows-1252;
 * null when it would decode UTF-16, GB18030 or guess (then only the decoded string will do).
 * Validity and replacement counts are found by decoding `chunkBytes` at a time in streaming
 * mode, so no whole-file string is made and a character split between pieces is read whole.
 */
export function byteText(bytes: Uint8Array, choice: EncodingChoice = 'auto', chunkBytes = decodeChunkBytes): ByteText | null {
  const utf8Bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });
  const utf8Decode = (part: Uint8Array): string => utf8.decode(part);
  if ((choice === 'auto' || choice === 'utf-8') && utf8Bom) return { encoding: 'utf-8', offset: 3, replaced: 0, decode: utf8Decode };
  switch (choice) {
    case 'utf-8':
      return { encoding: 'utf-8', offset: 0, replaced: countReplacementsInPieces(bytes, chunkBytes), decode: utf8Decode };
    case 'windows-1252': {
      const cp1252 = new TextDecoder('windows-1252', { ignoreBOM: true });
      return { encoding: 'windows-1252', offset: 0, replaced: 0, decode: (part) => cp1252.decode(part) };
    }
    case 'gb18030':
      return null;
    case 'auto':
      if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return null;
      return isUtf8InPieces(bytes, chunkBytes) ? { encoding: 'utf-8', offset: 0, replaced: 0, decode: utf8Decode } : null;
    default:
      return assertNever(choice);
  }
}

let nativeIsUtf8: ((bytes: Uint8Array) => boolean) | null = null;

/** Lets the platform check UTF-8 validity natively (Node's `buffer.isUtf8`, ~15× a decode in pieces); the same answer as a fatal TextDecoder. */
export function useUtf8Validator(check: (bytes: Uint8Array) => boolean): void {
  nativeIsUtf8 = check;
}

function isUtf8InPieces(bytes: Uint8Array, chunkBytes: number): boolean {
  if (nativeIsUtf8 !== null && chunkBytes === decodeChunkBytes) return nativeIsUtf8(bytes);
  return decodesFatally(bytes, 'utf-8', chunkBytes);
}

/** Whether the bytes decode under `encoding` with no invalid sequence, read `chunkBytes` at a time (no whole-file string). */
export function decodesFatally(bytes: Uint8Array, encoding: TextEncodingName, chunkBytes: number): boolean {
  const decoder = new TextDecoder(encoding, { fatal: true, ignoreBOM: true });
  try {
    for (let at = 0; at < bytes.length; at += chunkBytes) decoder.decode(bytes.subarray(at, at + chunkBytes), { stream: true });
    decoder.decode();
    return true;
  } catch {
    return false;
  }
}

function countReplacementsInPieces(bytes: Uint8Array, chunkBytes: number): number {
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  let count = 0;
  for (let at = 0; at < bytes.length; at += chunkBytes) count += countReplacements(decoder.decode(bytes.subarray(at, at + chunkBytes), { stream: true }));
  return count + countReplacements(decoder.decode());
}

/**
 * The start of the text of `read` as a string: at least `minChars` characters, or all of
 * them when the text is shorter (a character split at the cut is left out, not replaced).
 */
export function headText(bytes: Uint8Array, read: ByteText, minChars: number): string {
  // A UTF-8 character of one UTF-16 unit takes at most 3 bytes (4-byte ones make 2 units).
  const end = Math.min(bytes.length, read.offset + minChars * 3 + 8);
  if (end === bytes.length) return read.decode(bytes.subarray(read.offset));
  const decoder = new TextDecoder(read.encoding, { ignoreBOM: true });
  return decoder.decode(bytes.subarray(read.offset, end), { stream: true });
}

/** Whether the text of `read` is all white space (what `text.trim() === ''` says of the decoded text), decoding only from the first byte that is not ASCII white space. */
export function isBlankText(bytes: Uint8Array, read: ByteText, chunkBytes = decodeChunkBytes): boolean {
  let i = read.offset;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b !== 32 && (b < 9 || b > 13)) break;
    i++;
  }
  if (i === bytes.length) return true;
  if (bytes[i]! < 0x80) return false;
  const decoder = new TextDecoder(read.encoding, { ignoreBOM: true });
  for (let at = i; at < bytes.length; at += chunkBytes) if (decoder.decode(bytes.subarray(at, at + chunkBytes), { stream: true }).trim() !== '') return false;
  return decoder.decode().trim() === '';
}
