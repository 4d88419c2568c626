/**
 * Structured row conditions (column, operator, value) — never code. Each condition becomes a
 * predicate chosen by the column's kind of values:
 *   numbers  compare numerically (the value must read as a number);
 *   dates    compare as instants (the value must read as a date, see dates.ts);
 *   booleans support == and != against true/false;
 *   text     compares as text (== exact, > and < by code-unit order);
 * starts-with / contains (and their negations) compare the cell's text, case-sensitively.
 * A missing cell satisfies only is-missing.
 */
import type { Condition } from '../engine/params.ts';
import { isMissing, valueKind, type Values } from './columns.ts';
import { parseDateText } from './dates.ts';
import { assertNever, parseBooleanAt } from './infer.ts';
import { errorTemplate, DataError, type KernelMessages } from './issues.ts';
import { parseLooseNumber } from './numbers.ts';

/** Messages of condition checks. */
export const conditionMessages = {
  conditionNeedsValue: errorTemplate('Condition {index} on column {column} uses operator {op}, which needs a value to compare with.'),
  conditionNotNumber: errorTemplate('Condition {index}: column {column} holds numbers, so the value compared with {op} must be a number; got {value}.'),
  conditionNotDate: errorTemplate('Condition {index}: column {column} holds dates, so the value compared with {op} must be a date such as 2011-12-09; got {value}.'),
  conditionNotBoolean: errorTemplate('Condition {index}: column {column} holds true/false, so the value must be true or false; got {value}.'),
  conditionOperator: errorTemplate('Condition {index}: operator {op} does not apply to true/false column {column}; use == or !=.'),
} satisfies KernelMessages;

/** A condition as a person reads it, e.g. `Quantity > 0`, `InvoiceNo not-starts-with "C"`. */
export function conditionText(condition: Condition): string {
  if (condition.op === 'is-missing' || condition.op === 'not-missing') return `${condition.column} ${condition.op}`;
  const value = typeof condition.value === 'string' ? JSON.stringify(condition.value) : String(condition.value);
  return `${condition.column} ${condition.op} ${value}`;
}

function cellText(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  return typeof value === 'string' ? value : String(value);
}

/** For a comparison operator: whether a cell below, equal to and above the value satisfies it. */
function outcomes(op: '==' | '!=' | '>' | '>=' | '<' | '<='): [0 | 1, 0 | 1, 0 | 1] {
  switch (op) {
    case '==':
      return [0, 1, 0];
    case '!=':
      return [1, 0, 1];
    case '>':
      return [0, 0, 1];
    case '>=':
      return [0, 1, 1];
    case '<':
      return [1, 0, 0];
    case '<=':
      return [1, 1, 0];
    default:
      return assertNever(op);
  }
}

/**
 * Marks the rows that satisfy a condition (1) or not (0). `index` is the condition's 1-based
 * position, used in messages. Throws DataError when the value does not fit the column.
 */
export function conditionMask(values: Values, condition: Condition, index: number): Uint8Array {
  const n = values.length;
  const keep = new Uint8Array(n);
  const { op, column } = condition;
  const context = { index, column, value: condition.value, op };
  if (op === 'is-missing' || op === 'not-missing') {
    const want = op === 'is-missing' ? 1 : 0;
    if (values instanceof Float64Array) {
      // A loop of its own: typed and plain arrays in one loop make every read slow.
      for (let i = 0; i < n; i++) keep[i] = (values[i]! !== values[i]! ? 1 : 0) === want ? 1 : 0;
      return keep;
    }
    for (let i = 0; i < n; i++) keep[i] = (isMissing(values[i]) ? 1 : 0) === want ? 1 : 0;
    return keep;
  }
  if (condition.value === null) throw new DataError(conditionMessages, 'conditionNeedsValue', context);
  const rhs = condition.value;
  if (op === 'starts-with' || op === 'not-starts-with' || op === 'contains' || op === 'not-contains') {
    const needle = String(rhs);
    const negate = op === 'not-starts-with' || op === 'not-contains';
    const starts = op === 'starts-with' || op === 'not-starts-with';
    let previous: unknown = undefined;
    let previousKeep: 0 | 1 = 0;
    for (let i = 0; i < n; i++) {
      const v = values[i];
      // Runs of one value (an invoice's lines) are tested once.
      if (v === previous && i > 0) {
        keep[i] = previousKeep;
        continue;
      }
      previous = v;
      previousKeep = 0;
      if (isMissing(v)) continue;
      const text = cellText(v);
      const hit = starts ? text.startsWith(needle) : text.includes(needle);
      previousKeep = hit !== negate ? 1 : 0;
      keep[i] = previousKeep;
    }
    return keep;
  }
  // What a cell below, equal to or above the value gives.
  const [below, equal, above] = outcomes(op);
  const kind = valueKind(values);
  switch (kind) {
    case 'number': {
      const target = typeof rhs === 'number' ? rhs : parseLooseNumber(rhs);
      if (target === null) throw new DataError(conditionMessages, 'conditionNotNumber', context);
      if (values instanceof Float64Array) {
        for (let i = 0; i < n; i++) {
          const x = values[i]!;
          keep[i] = x !== x ? 0 : x < target ? below : x > target ? above : equal;
        }
        return keep;
      }
      for (let i = 0; i < n; i++) {
        const v = values[i];
        const x = typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : Number.NaN;
        if (x !== x) continue;
        keep[i] = x < target ? below : x > target ? above : equal;
      }
      return keep;
    }
    case 'date': {
      const target = typeof rhs === 'string' ? parseDateText(rhs) : null;
      if (target === null) throw new DataError(conditionMessages, 'conditionNotDate', context);
      for (let i = 0; i < n; i++) {
        const v = values[i];
        if (!(v instanceof Date)) continue;
        const x = v.getTime();
        if (x !== x) continue;
        keep[i] = x < target ? below : x > target ? above : equal;
      }
      return keep;
    }
    case 'boolean': {
      if (op !== '==' && op !== '!=') throw new DataError(conditionMessages, 'conditionOperator', context);
      const text = String(rhs);
      const target = parseBooleanAt(text, 0, text.length, true);
      if (target === null) throw new DataError(conditionMessages, 'conditionNotBoolean', context);
      for (let i = 0; i < n; i++) {
        const v = values[i];
        if (typeof v !== 'boolean') continue;
        keep[i] = (v === target) === (op === '==') ? 1 : 0;
      }
      return keep;
    }
    case 'text':
    case 'mixed':
    case 'empty': {
      const target = String(rhs);
      for (let i = 0; i < n; i++) {
        const v = values[i];
        if (isMissing(v)) continue;
        const text = cellText(v);
        keep[i] = text < target ? below : text > target ? above : equal;
      }
      return keep;
    }
    default:
      return assertNever(kind);
  }
}

