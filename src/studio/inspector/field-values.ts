/**
 * Reading and checking what a person typed into an inspector field, before it reaches the
 * document. Pure, so the rules are unit-tested; the engine validates again at the boundary.
 */
import type { ParamMeta } from '../../engine/params.ts';
import type { MessageKey } from '../i18n/en.ts';

/** A parsed field: a value, or a catalogue message saying what is wrong. */
export type FieldResult<T> = { ok: true; value: T } | { ok: false; key: MessageKey; values: Record<string, string | number> };

/** Parses a number field (`integer` requires a whole number) and checks meta.min / meta.max. */
export function parseNumberField(text: string, meta: ParamMeta, integer: boolean): FieldResult<number> {
  const trimmed = text.trim();
  const value = trimmed === '' ? Number.NaN : Number(trimmed);
  if (!Number.isFinite(value)) return { ok: false, key: integer ? 'validation.integer' : 'validation.number', values: {} };
  if (integer && !Number.isInteger(value)) return { ok: false, key: 'validation.integer', values: {} };
  if (meta.min !== undefined && value < meta.min) return { ok: false, key: 'validation.min', values: { min: meta.min } };
  if (meta.max !== undefined && value > meta.max) return { ok: false, key: 'validation.max', values: { max: meta.max } };
  return { ok: true, value };
}

/** Parses a date field: empty, or a real calendar date YYYY-MM-DD. */
export function parseDateField(text: string): FieldResult<string> {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, value: '' };
  const time = /^\d{4}-\d{2}-\d{2}$/.test(trimmed) ? Date.parse(`${trimmed}T00:00:00Z`) : Number.NaN;
  if (Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== trimmed) return { ok: false, key: 'validation.date', values: {} };
  return { ok: true, value: trimmed };
}

/** Splits a comma-separated list of column names (blank items dropped, duplicates kept once). */
export function parseColumnList(text: string): string[] {
  return [...new Set(text.split(',').map((s) => s.trim()).filter((s) => s !== ''))];
}
