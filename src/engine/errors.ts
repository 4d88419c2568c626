/**
 * Tagged, serialisable errors and warnings. Everything the engine reports — a bad document,
 * a node's declared message, an unexpected exception — becomes an `InsightIssue` with a
 * stable code, so it can cross the worker boundary and be shown on the node it belongs to.
 */

/** Values interpolated into a message template; echoed so a person sees the bad value. */
export type IssueValues = Record<string, string | number | boolean | null>;

/** A serialisable error or warning with a stable code. */
export interface InsightIssue {
  /** Discriminator so the object is recognisable after structured cloning. */
  tag: 'InsightIssue';
  /** Stable machine-readable code, e.g. `param.invalid`, `graph.cycle`, `normalise.constantColumn`. */
  code: string;
  /** Whether the run of the node failed (`error`) or only deserves attention (`warning`). */
  severity: 'error' | 'warning';
  /** One readable sentence naming the field and echoing the value. */
  message: string;
  /** The node it belongs to, when there is one. */
  nodeId?: string;
  /** The parameter it concerns, when there is one. */
  param?: string;
  /** The port it concerns, when there is one. */
  port?: string;
  /** JSON path into the pipeline document, e.g. `$.nodes[2].params.columns`. */
  path?: string;
  /** Interpolated values. */
  values?: IssueValues;
}

/** An exception carrying an `InsightIssue`; thrown by nodes and the engine. */
export class InsightError extends Error {
  /** The serialisable issue. */
  readonly issue: InsightIssue;
  constructor(issue: Omit<InsightIssue, 'tag'>) {
    super(issue.message);
    this.name = 'InsightError';
    this.issue = { tag: 'InsightIssue', ...issue };
  }
}

/** Creates an error issue. */
export function issue(code: string, message: string, extra: Partial<Omit<InsightIssue, 'tag' | 'code' | 'message'>> = {}): InsightIssue {
  return { tag: 'InsightIssue', code, severity: 'error', message, ...extra };
}

/** Raises an `InsightError` with the given code and message. */
export function fail(code: string, message: string, extra: Partial<Omit<InsightIssue, 'tag' | 'code' | 'message'>> = {}): never {
  throw new InsightError({ code, message, severity: 'error', ...extra });
}

/** Fills `{name}` placeholders from values; unknown placeholders stay visible. */
export function formatMessage(template: string, values: IssueValues = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? formatValue(values[key] ?? null) : whole));
}

/** Renders a value for a message: strings quoted, long ones cut. */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') {
    const cut = value.length > 80 ? `${value.slice(0, 77)}...` : value;
    return JSON.stringify(cut);
  }
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (value === undefined) return 'nothing';
  try {
    const text = JSON.stringify(value);
    if (text === undefined) return String(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  } catch {
    return String(value);
  }
}

/** Turns anything thrown into an `InsightIssue` (unexpected exceptions get code `node.exception`). */
export function toIssue(err: unknown, nodeId?: string): InsightIssue {
  if (err instanceof InsightError) return nodeId && !err.issue.nodeId ? { ...err.issue, nodeId } : err.issue;
  if (isIssue(err)) return err;
  const message = err instanceof Error ? err.message : String(err);
  return issue('node.exception', `Unexpected failure: ${message}`, { ...(nodeId ? { nodeId } : {}), values: { reason: message } });
}

/** True for an object that is an `InsightIssue` (also after structured cloning). */
export function isIssue(value: unknown): value is InsightIssue {
  return typeof value === 'object' && value !== null && 'tag' in value && value.tag === 'InsightIssue';
}

/** True when the error is an abort (AbortSignal fired). */
export function isAbort(err: unknown): boolean {
  return (
    (typeof err === 'object' && err !== null && 'name' in err && err.name === 'AbortError') ||
    (err instanceof InsightError && err.issue.code === 'run.cancelled')
  );
}

/** Exhaustiveness guard for switches over unions: the compiler proves the call unreachable. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value ${String(value)}.`);
}
