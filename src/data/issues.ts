/**
 * How data kernels report problems without knowing about nodes: each kernel module exports
 * its message templates (the same shape a node declares), throws `DataError` for input it
 * cannot use and returns `DataNote`s for things a person should know. A node spreads the
 * templates into its `messages` and turns errors and notes into its own declared ones.
 */
import { InsightError, formatMessage, type IssueValues } from '../engine/errors.ts';

/** A message template with its severity (structurally a node's MessageSpec). */
export interface KernelMessage {
  /** Whether it stops the computation. */
  severity: 'error' | 'warning';
  /** Template with `{placeholders}`. */
  template: string;
}

/** Message templates by code. */
export type KernelMessages = Readonly<Record<string, KernelMessage>>;

/** A non-fatal finding of a kernel, to be shown as a warning. */
export interface DataNote {
  /** Code of a template in the kernel's messages. */
  code: string;
  /** Values for the template's placeholders. */
  values: IssueValues;
}

/** Input a kernel cannot use; the message is formatted from the kernel's template. */
export class DataError extends InsightError {
  /** The template code (without a node-kind prefix). */
  readonly dataCode: string;
  /** Values for the template. */
  readonly values: IssueValues;
  /** The parameter the problem concerns, when a node parameter maps to it. */
  readonly param: string | undefined;

  constructor(messages: KernelMessages, code: string, values: IssueValues = {}, param?: string) {
    const template = messages[code]?.template ?? `Data error ${code}.`;
    const message = formatMessage(template, values);
    super({ code: `data.${code}`, severity: 'error', message, values, ...(param === undefined ? {} : { param }) });
    this.name = 'DataError';
    this.dataCode = code;
    this.values = values;
    this.param = param;
  }
}

/** A warning template. */
export function warningTemplate(template: string): KernelMessage {
  return { severity: 'warning', template };
}

/** An error template. */
export function errorTemplate(template: string): KernelMessage {
  return { severity: 'error', template };
}

/** The part of a node context the helpers below need (structural, so kernels stay node-free). */
export interface IssueSink {
  /** Emits a declared warning. */
  warn(code: string, values?: IssueValues): void;
  /** Throws a declared error. */
  fail(code: string, values?: IssueValues, param?: string): never;
}

/** Emits every note as a warning of the same code. */
export function emitNotes(sink: IssueSink, notes: readonly DataNote[]): void {
  for (const note of notes) sink.warn(note.code, note.values);
}

/**
 * Runs `work`; a DataError it throws becomes the node's declared error of the same code (so
 * the issue reads `<kind>.<code>`), anything else propagates unchanged.
 */
export async function declaredErrors<T>(sink: IssueSink, declared: KernelMessages, work: () => Promise<T> | T): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof DataError && Object.hasOwn(declared, err.dataCode)) sink.fail(err.dataCode, err.values, err.param);
    throw err;
  }
}
