/**
 * Param schema helpers. A node declares its params with these; from them come the defaults,
 * the TypeScript types (`ParamValues`), the engine's validation at the boundary, and the
 * metadata the inspector needs to draw a form (label, help, unit, range, options).
 */

/** What the inspector needs to draw a field. */
export interface ParamMeta {
  /** Field label; defaults to the param name. */
  label?: string;
  /** One-sentence help shown under the field. */
  help?: string;
  /** Unit shown after a number (e.g. "days"). */
  unit?: string;
  /** Inclusive lower bound for numbers. */
  min?: number;
  /** Inclusive upper bound for numbers. */
  max?: number;
  /** Step for number inputs. */
  step?: number;
  /** Allowed values for `oneOf` and per-column choices. */
  options?: readonly string[];
  /** Column pickers offer only numeric columns. */
  numeric?: boolean;
  /** Column pickers read columns from this input port (default: the first table input). */
  from?: string;
  /** A column param may be left empty. */
  optional?: boolean;
  /** Text fields that are several lines long. */
  multiline?: boolean;
  /** A text field holding a web address: empty, a relative path, or an http(s) URL (never javascript:, data:, file:). */
  url?: boolean;
  /** Groups fields under a heading in the inspector. */
  group?: string;
  /** Hidden unless another param has one of these values, e.g. `{ source: ['url'] }`. */
  showIf?: Record<string, readonly (string | number | boolean)[]>;
}

/** The kinds of param field. */
export type ParamKind =
  | 'number'
  | 'integer'
  | 'boolean'
  | 'oneOf'
  | 'text'
  | 'date'
  | 'column'
  | 'columns'
  | 'weights'
  | 'columnChoices'
  | 'conditions';

/** Result of checking one value. */
export type ParamCheck<T> = { ok: true; value: T } | { ok: false; expected: string };

/** A declared param: kind, default, metadata and a checker. */
export interface ParamSpec<T> {
  /** Field kind (drives the inspector widget). */
  kind: ParamKind;
  /** Value used when the document does not set the param. */
  default: T;
  /** Inspector metadata. */
  meta: ParamMeta;
  /** Validates an untrusted value; `expected` describes what would have been valid. */
  check(value: unknown): ParamCheck<T>;
}

/** Any param spec (for registries and forms). */
export type AnyParamSpec = ParamSpec<unknown>;

/** The record of params a node declares. */
export type ParamSpecs = Record<string, AnyParamSpec>;

/** The value type a param spec yields. */
export type ParamValue<S> = S extends ParamSpec<infer T> ? T : never;

/** The typed params object of a node, derived from its declarations. */
export type ParamValues<P extends ParamSpecs> = { [K in keyof P]: ParamValue<P[K]> };

/** Comparison operators for structured row conditions (never a code string). */
export const conditionOperators = [
  '==',
  '!=',
  '>',
  '>=',
  '<',
  '<=',
  'starts-with',
  'not-starts-with',
  'contains',
  'not-contains',
  'is-missing',
  'not-missing',
] as const;

/** One comparison operator. */
export type ConditionOperator = (typeof conditionOperators)[number];

/** A structured row condition: keep rows where `column op value`. */
export interface Condition {
  /** Column to test. */
  column: string;
  /** Operator. */
  op: ConditionOperator;
  /** Right-hand side; ignored by is-missing / not-missing. */
  value: string | number | null;
}

const ok = <T>(value: T): ParamCheck<T> => ({ ok: true, value });
const bad = <T>(expected: string): ParamCheck<T> => ({ ok: false, expected });

/** An empty record without a prototype, so a key such as "constructor" or "__proto__" is only ever its own entry. */
function ownRecord<T>(): Record<string, T> {
  const out: Record<string, T> = Object.create(null);
  return out;
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function rangeText(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return ` between ${min} and ${max}`;
  if (min !== undefined) return ` of at least ${min}`;
  if (max !== undefined) return ` of at most ${max}`;
  return '';
}

/** A finite number, optionally within [min, max]. */
export function number(defaultValue: number, meta: ParamMeta = {}): ParamSpec<number> {
  return {
    kind: 'number',
    default: defaultValue,
    meta,
    check: (value) => {
      const expected = `a number${rangeText(meta.min, meta.max)}`;
      if (typeof value !== 'number' || !Number.isFinite(value)) return bad(expected);
      if (meta.min !== undefined && value < meta.min) return bad(expected);
      if (meta.max !== undefined && value > meta.max) return bad(expected);
      return ok(value);
    },
  };
}

/** A whole number, optionally within [min, max]. */
export function integer(defaultValue: number, meta: ParamMeta = {}): ParamSpec<number> {
  return {
    kind: 'integer',
    default: defaultValue,
    meta: { step: 1, ...meta },
    check: (value) => {
      const expected = `a whole number${rangeText(meta.min, meta.max)}`;
      if (typeof value !== 'number' || !Number.isInteger(value)) return bad(expected);
      if (meta.min !== undefined && value < meta.min) return bad(expected);
      if (meta.max !== undefined && value > meta.max) return bad(expected);
      return ok(value);
    },
  };
}

/** True or false. */
export function boolean(defaultValue: boolean, meta: ParamMeta = {}): ParamSpec<boolean> {
  return {
    kind: 'boolean',
    default: defaultValue,
    meta,
    check: (value) => (typeof value === 'boolean' ? ok(value) : bad('true or false')),
  };
}

/** One of a fixed list of strings. */
export function oneOf<const O extends readonly string[]>(options: O, defaultValue: O[number], meta: ParamMeta = {}): ParamSpec<O[number]> {
  return {
    kind: 'oneOf',
    default: defaultValue,
    meta: { ...meta, options },
    check: (value) => {
      const found = options.find((option) => option === value);
      return found !== undefined ? ok(found) : bad(`one of ${options.map((o) => JSON.stringify(o)).join(', ')}`);
    },
  };
}

/** Free text (data, never code), capped in length. */
export function text(defaultValue = '', meta: ParamMeta & { maxLength?: number } = {}): ParamSpec<string> {
  const maxLength = meta.maxLength ?? 10_000;
  return {
    kind: 'text',
    default: defaultValue,
    meta,
    check: (value) => {
      if (typeof value !== 'string' || value.length > maxLength) return bad(`text of at most ${maxLength} characters`);
      if (meta.url === true && !isWebAddress(value)) return bad('an http:// or https:// address (or a path on this site)');
      return ok(value);
    },
  };
}

/**
 * True for '', a relative path, or an absolute http(s) URL. The scheme is read the way URL
 * parsers read it (tabs and newlines removed, leading spaces and control characters trimmed),
 * so `java\tscript:` is not let through.
 */
export function isWebAddress(value: string): boolean {
  const bare = value.replace(/[\t\n\r]/g, '').replace(/^[\u0000-\u0020]+/, '');
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(bare)?.[1]?.toLowerCase();
  return scheme === undefined || scheme === 'http' || scheme === 'https';
}

/** A calendar date `YYYY-MM-DD`, or empty for "automatic". */
export function date(defaultValue = '', meta: ParamMeta = {}): ParamSpec<string> {
  return {
    kind: 'date',
    default: defaultValue,
    meta,
    check: (value) => {
      if (value === '' && defaultValue === '') return ok('');
      if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return bad('a date written YYYY-MM-DD');
      const time = Date.parse(`${value}T00:00:00Z`);
      if (Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== value) return bad('a real calendar date YYYY-MM-DD');
      return ok(value);
    },
  };
}

/** A column name of an input table ('' when optional and unset). */
export function column(defaultValue = '', meta: ParamMeta = {}): ParamSpec<string> {
  return {
    kind: 'column',
    default: defaultValue,
    meta,
    check: (value) => {
      if (typeof value !== 'string' || value.length > 1000) return bad('a column name');
      return ok(value);
    },
  };
}

/** A list of column names. */
export function columns(defaultValue: readonly string[] = [], meta: ParamMeta = {}): ParamSpec<string[]> {
  return {
    kind: 'columns',
    default: [...defaultValue],
    meta,
    check: (value) => {
      if (!Array.isArray(value) || value.length > 10_000) return bad('a list of column names');
      const names: string[] = [];
      for (const item of value) {
        if (typeof item !== 'string') return bad('a list of column names');
        names.push(item);
      }
      if (new Set(names).size !== names.length) return bad('a list of distinct column names');
      return ok(names);
    },
  };
}

/** A weight per column, e.g. `{ recency_days: -0.3, frequency: 0.4 }`. */
export function weights(defaultValue: Record<string, number> = {}, meta: ParamMeta = {}): ParamSpec<Record<string, number>> {
  return {
    kind: 'weights',
    default: { ...defaultValue },
    meta,
    check: (value) => {
      const expected = 'an object mapping column names to finite numbers';
      if (!isPlainRecord(value)) return bad(expected);
      const out = ownRecord<number>();
      for (const [key, weight] of Object.entries(value)) {
        if (typeof weight !== 'number' || !Number.isFinite(weight)) return bad(expected);
        out[key] = weight;
      }
      return ok(out);
    },
  };
}

/** A choice per column from a fixed list, e.g. missing-value strategy per column. */
export function columnChoices<const O extends readonly string[]>(
  options: O,
  defaultValue: Record<string, O[number]> = {},
  meta: ParamMeta = {},
): ParamSpec<Record<string, O[number]>> {
  return {
    kind: 'columnChoices',
    default: { ...defaultValue },
    meta: { ...meta, options },
    check: (value) => {
      const expected = `an object mapping column names to one of ${options.map((o) => JSON.stringify(o)).join(', ')}`;
      if (!isPlainRecord(value)) return bad(expected);
      const out = ownRecord<O[number]>();
      for (const [key, choice] of Object.entries(value)) {
        const found = options.find((option) => option === choice);
        if (found === undefined) return bad(expected);
        out[key] = found;
      }
      return ok(out);
    },
  };
}

/** A list of structured row conditions (column, operator, value). */
export function conditions(defaultValue: readonly Condition[] = [], meta: ParamMeta = {}): ParamSpec<Condition[]> {
  return {
    kind: 'conditions',
    default: defaultValue.map((c) => ({ ...c })),
    meta: { ...meta, options: conditionOperators },
    check: (value) => {
      const expected = `a list of {column, op, value} with op one of ${conditionOperators.join(', ')}`;
      if (!Array.isArray(value) || value.length > 1000) return bad(expected);
      const out: Condition[] = [];
      for (const item of value) {
        if (!isPlainRecord(item)) return bad(expected);
        const { column: col, op, value: rhs } = item;
        const operator = conditionOperators.find((o) => o === op);
        if (typeof col !== 'string' || operator === undefined) return bad(expected);
        if (rhs !== null && typeof rhs !== 'string' && !(typeof rhs === 'number' && Number.isFinite(rhs))) return bad(expected);
        out.push({ column: col, op: operator, value: rhs ?? null });
      }
      return ok(out);
    },
  };
}

/** The defaults of a param record, as a fresh object. */
export function defaultParams<P extends ParamSpecs>(specs: P): ParamValues<P> {
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(specs)) out[name] = structuredClone(spec.default);
  return out as ParamValues<P>;
}
