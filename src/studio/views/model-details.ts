/**
 * A trained model's metadata in words: each known field with a label and a unit (seconds, not
 * milliseconds; "8 of 8 epochs"), unknown scalar fields with their key spelled out as words.
 * Pure; the page passes the catalogue lookup so the labels follow the language.
 */
import type { JsonValue } from '../../engine/ports.ts';
import { formatNumber, formatSeconds } from './format.ts';

/** The metadata fields the details list names, in the order shown. */
export const modelFields = [
  'backend', 'engine', 'implementation', 'units', 'layers', 'dropout', 'epochs', 'bestEpoch', 'learningRate', 'batchSize', 'classWeight',
  'validation', 'auc', 'scoredRows', 'trainedOn', 'steps', 'features', 'scaling', 'seed', 'foldEpochs', 'lanes', 'hostBackend', 'applied', 'imported',
] as const;

/** A field the details list names. */
export type ModelField = (typeof modelFields)[number];

/** Fields kept out of the list (drawn elsewhere or too long). */
const hidden = new Set(['history', 'featureNames', 'kind']);

/** Whether a key is one of the named fields. */
function isModelField(key: string): key is ModelField {
  return (modelFields as readonly string[]).includes(key);
}

/** "hostBackend" → "host backend", "train_ms" → "train ms". */
export function keyWords(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').toLowerCase();
}

/** One value in words: durations in seconds, lists joined, booleans as yes/no. */
function valueText(key: string, value: JsonValue, yes: string, no: string): string | null {
  if (typeof value === 'number') {
    if (/ms$/i.test(key)) return formatSeconds(value / 1000);
    if (/seconds$/i.test(key)) return formatSeconds(value);
    // Seeds are identifiers, not quantities: no digit grouping.
    if (/seed$/i.test(key)) return String(value);
    return formatNumber(value);
  }
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? yes : no;
  if (Array.isArray(value) && value.every((v) => typeof v === 'number' || typeof v === 'string')) return value.map((v) => (typeof v === 'number' ? formatNumber(v) : v)).join(', ');
  return null;
}

/** The details list: [label, value, key] for each field shown. */
export function modelDetails(
  meta: Readonly<Record<string, JsonValue>> | undefined,
  label: (field: ModelField) => string,
  words: { yes: string; no: string; seconds: (key: string) => string },
): [string, string, string][] {
  if (!meta) return [];
  const out: [string, string, string][] = [];
  const seen = new Set<string>();
  for (const field of modelFields) {
    if (!Object.hasOwn(meta, field)) continue;
    const text = valueText(field, meta[field] ?? null, words.yes, words.no);
    seen.add(field);
    if (text !== null) out.push([label(field), text, field]);
  }
  for (const [key, value] of Object.entries(meta)) {
    if (seen.has(key) || hidden.has(key) || isModelField(key)) continue;
    const text = valueText(key, value, words.yes, words.no);
    if (text !== null) out.push([/ms$/i.test(key) ? words.seconds(keyWords(key.replace(/ms$/i, ''))) : keyWords(key), text, key]);
  }
  return out;
}
