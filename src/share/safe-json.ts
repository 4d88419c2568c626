/**
 * JSON parsing for untrusted text: nesting depth is checked before `JSON.parse` sees the
 * text (deep nesting can exhaust the stack), and the result carries no prototype-polluting
 * keys (`parseDocument` rejects them; this parser also refuses them for non-document JSON).
 */

/** Result of parsing untrusted JSON. */
export type SafeJsonResult = { ok: true; value: unknown } | { ok: false; message: string };

/** Deepest nesting of arrays/objects outside strings, stopping early once `limit` is passed. */
export function jsonDepth(text: string, limit: number): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 92 /* \ */) i++;
      else if (ch === 34 /* " */) inString = false;
    } else if (ch === 34) inString = true;
    else if (ch === 91 /* [ */ || ch === 123 /* { */) {
      depth++;
      if (depth > max) max = depth;
      if (max > limit) return max;
    } else if (ch === 93 || ch === 125) depth--;
  }
  return max;
}

// Only "__proto__" harms as an own key; "constructor" may be a column name in per-column params (see document.ts).
const forbidden = new Set(['__proto__']);

/** Parses untrusted JSON text with a nesting limit; rejects prototype-polluting keys. */
export function parseUntrustedJson(text: string, maxDepth = 64): SafeJsonResult {
  if (jsonDepth(text, maxDepth) > maxDepth) return { ok: false, message: `It is nested more than ${maxDepth} levels deep.` };
  let bad: string | null = null;
  let value: unknown;
  try {
    // The reviver sees every key; own "__proto__" keys created by JSON.parse are caught here.
    value = JSON.parse(text, (key: string, v: unknown) => {
      if (forbidden.has(key)) bad ??= key;
      return v;
    });
  } catch (err) {
    return { ok: false, message: `It is not valid JSON (${err instanceof Error ? err.message : String(err)}).` };
  }
  if (bad !== null) return { ok: false, message: `The key ${JSON.stringify(bad)} is not allowed.` };
  return { ok: true, value };
}
