/**
 * Raw-deflate decompression with a hard cap on the output size, so a small hostile input
 * (a "decompression bomb") cannot make the page allocate gigabytes.
 */
import { Inflate } from 'fflate';

/** Result of a bounded inflate. */
export type InflateResult = { ok: true; bytes: Uint8Array } | { ok: false; reason: 'tooLarge' | 'corrupt'; message: string };

// Input is fed in small slices so the running output total is checked often: one 1 KiB
// slice of deflate data can expand to at most ~1 MiB before the next check.
const SLICE = 1024;

/** Inflates raw-deflate bytes, giving up as soon as the output would exceed `maxBytes`. */
export function boundedInflate(input: Uint8Array, maxBytes: number): InflateResult {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let over = false;
  let finished = false;
  const inflater = new Inflate((chunk, final) => {
    total += chunk.length;
    if (total > maxBytes) over = true;
    else chunks.push(chunk);
    if (final) finished = true;
  });
  try {
    for (let offset = 0; offset < input.length && !over; offset += SLICE) {
      const end = Math.min(input.length, offset + SLICE);
      inflater.push(input.subarray(offset, end), end === input.length);
    }
    if (input.length === 0) inflater.push(new Uint8Array(0), true);
  } catch (err) {
    if (over) return tooLarge(maxBytes);
    return { ok: false, reason: 'corrupt', message: `The compressed data is damaged (${err instanceof Error ? err.message : String(err)}).` };
  }
  if (over) return tooLarge(maxBytes);
  if (!finished) return { ok: false, reason: 'corrupt', message: 'The compressed data ends too early (it looks truncated).' };
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return { ok: true, bytes: out };
}

function tooLarge(maxBytes: number): InflateResult {
  return { ok: false, reason: 'tooLarge', message: `It decompresses to more than ${formatBytes(maxBytes)}, the most allowed.` };
}

/** "256 KB"-style size text. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  if (bytes < 1024 * 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  return `${(bytes / (1024 * 1024 * 1024)).toFixed(1)} GB`;
}
