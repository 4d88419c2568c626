/**
 * The node contract: `defineNode` declares a node kind (ports, params, messages, run). Node
 * kinds live one per file in nodes/ and are pure: no DOM, no Svelte, no storage.
 */
import type { ColumnTable } from 'arquero';
import type { BackendChoice, ProbeShape } from '../ml/backend-choice.ts';
import type { Rng } from '../ml/random.ts';
import { InsightError, formatMessage, type IssueValues } from './errors.ts';
import type { ParamSpecs, ParamValues } from './params.ts';
import type { ModelWriter } from './port-codec.ts';
import type { TaskPool } from './parallel.ts';
import type { JsonValue, PortType, PortValues } from './ports.ts';

/** An input port: a port type, or one marked optional. */
export type InputSpec = PortType | { type: PortType; optional: true; label?: string };

/** Marks an input port optional (the node runs without it). */
export function optional<T extends PortType>(type: T, label?: string): { type: T; optional: true; label?: string } {
  return label === undefined ? { type, optional: true } : { type, optional: true, label };
}

/** The port type of an input spec. */
export function inputType(spec: InputSpec): PortType {
  return typeof spec === 'string' ? spec : spec.type;
}

/** Whether an input spec is optional. */
export function inputOptional(spec: InputSpec): boolean {
  return typeof spec !== 'string';
}

/** The value a node receives for an input spec. */
export type InputValue<S> = S extends PortType
  ? PortValues[S]
  : S extends { type: infer T extends PortType; optional: true }
    ? PortValues[T] | undefined
    : never;

/** The names of the required (non-optional) inputs of a declaration. */
type RequiredInputs<I extends Record<string, InputSpec>> = { [K in keyof I]: I[K] extends PortType ? K : never }[keyof I];

/** The inputs object a node's run receives: optional inputs are optional keys (a caller may leave them out). */
export type InputValues<I extends Record<string, InputSpec>> = { [K in RequiredInputs<I>]: InputValue<I[K]> } & { [K in Exclude<keyof I, RequiredInputs<I>>]?: InputValue<I[K]> };

/** The outputs object a node's run returns. */
export type OutputValues<O extends Record<string, PortType>> = { [K in keyof O]: PortValues[O[K]] };

/** A declared message: severity and a template with `{placeholders}`. */
export interface MessageSpec {
  /** Whether emitting it fails the node. */
  severity: 'error' | 'warning';
  /** Template, e.g. `Column {column} is constant; scaled to 0.` */
  template: string;
}

/** Declares a warning message. */
export function warning(template: string): MessageSpec {
  return { severity: 'warning', template };
}

/** Declares an error message. */
export function error(template: string): MessageSpec {
  return { severity: 'error', template };
}

/** One param's text in another language: `help` and `unit` exactly when the English param has them. */
export interface ParamText {
  /** Field label. */
  label: string;
  /** Help shown under the field. */
  help?: string;
  /** Unit shown after the label. */
  unit?: string;
}

/**
 * A node kind's text in another language, declared in its node file beside the English:
 * label, description, every param, the inspector's group headings (keyed by the English
 * heading) and every declared message (keyed by code, with the English template's
 * placeholders). Option values, column and param names and formulas stay as they are.
 */
export interface NodeText {
  /** Kind label. */
  label: string;
  /** Palette description. */
  description: string;
  /** Param text by param name. */
  params?: Record<string, ParamText>;
  /** Group headings by English heading. */
  groups?: Record<string, string>;
  /** Message templates by declared message code. */
  messages?: Record<string, string>;
}

/** A file a node reads: a user's upload, a bundled sample, or a fetched URL. */
export interface SourceFile {
  /** File name (for type sniffing and messages). */
  name: string;
  /** Raw bytes. */
  bytes: Uint8Array;
  /**
   * Frees the bytes' memory now, when they are this read's own copy (a file the CLI read from
   * disk); afterwards `bytes` is empty. Absent where the host keeps them (the studio's dropped
   * file, tests' buffers): those stay for the next run.
   */
  release?: () => Promise<void>;
  /**
   * Frees array buffers a reader of this file made and reads no more, now (the CLI); absent,
   * they are left to the collector. See read.ts `FileInput`.
   */
  freeBuffers?: (buffers: ArrayBuffer[]) => Promise<void>;
}

/** What the environment (worker, CLI, tests) offers nodes. */
export interface NodeHost {
  /** The file bound to a node (CLI `--input NODE=FILE`, or the user's upload), if any. */
  boundFile(nodeId: string): Promise<SourceFile | undefined>;
  /** Name and size in bytes of the bound file, known without reading it (so a size cap refuses first); undefined when none. */
  boundFileInfo?(nodeId: string): { name: string; size: number } | undefined;
  /** A fingerprint of the bound file (so a new file re-runs the node), or '' if none. */
  boundFingerprint(nodeId: string): string;
  /** A bundled sample by relative path, e.g. `customer-insight/transactions.csv`. */
  sample(path: string): Promise<SourceFile>;
  /** Fetches a URL (browser: same-origin or CORS; Node: fetch). */
  fetchUrl(url: string, signal: AbortSignal): Promise<SourceFile>;
  /** The TensorFlow.js backend in use, e.g. `webgpu`, `wasm`. */
  backend(): string;
  /** Lanes for parallel tasks (workers and this thread); absent: tasks run one after another here. */
  pool?: TaskPool;
  /**
   * The backend to train a model of this shape on, chosen by measuring each available one
   * (cached per device and shape) unless a setting forces one; it is active when this returns.
   * Absent: the host's backend().
   */
  chooseBackend?(shape: ProbeShape): Promise<BackendChoice>;
  /**
   * Called at each node boundary of a run with `release`, once the settled node's outputs were
   * handed on and what no node still to run reads was dropped: a host that can collect garbage
   * now (Node, src/cli/collect.ts) decides whether it is worth it. Absent: V8's own schedule.
   */
  collect?(): void;
}

/** Streamed, JSON-serialisable events a node may emit while running (e.g. one per epoch). */
export interface NodeEvent {
  /** Event kind, e.g. `epoch`. */
  type: string;
  /** Payload. */
  data: JsonValue;
}

/** What `run` receives besides inputs and params. */
export interface NodeContext {
  /** This node's id in the document. */
  nodeId: string;
  /** The pipeline seed. */
  seed: number;
  /** Seeded from the pipeline seed and the node id: the only source of randomness. */
  random: Rng;
  /** Fires when the run is cancelled; check it between steps. */
  signal: AbortSignal;
  /** Reports progress in [0, 1] with an optional detail line. */
  progress(fraction: number, detail?: string): void;
  /** Emits a declared warning (the node still succeeds). */
  warn(code: string, values?: IssueValues): void;
  /** Throws a declared error; `param` names the parameter it concerns. */
  fail(code: string, values?: IssueValues, param?: string): never;
  /** Streams an event to the page (e.g. a training epoch). */
  emit(event: NodeEvent): void;
  /** Throws if cancelled (call between steps). */
  checkCancelled(): void;
  /** Environment services. */
  host: NodeHost;
}

/** A node kind's full declaration. */
export interface NodeSpec<
  I extends Record<string, InputSpec> = Record<string, InputSpec>,
  O extends Record<string, PortType> = Record<string, PortType>,
  P extends ParamSpecs = ParamSpecs,
> {
  /** Stable id saved in documents (lowercase words). */
  kind: string;
  /** Bump and add a migration when params change. */
  version: number;
  /** Human label. */
  label: string;
  /** One-sentence description for the palette. */
  description: string;
  /** Palette group. */
  category: 'data' | 'features' | 'model' | 'evaluate' | 'decide';
  /** Named, typed input ports. */
  inputs: I;
  /** Named, typed output ports. */
  outputs: O;
  /** Declared params. */
  params: P;
  /** Declared messages, by code (emitted as `<kind>.<code>`). */
  messages: Record<string, MessageSpec>;
  /** Param migrations: `migrate[v]` turns version v params into version v + 1. */
  migrate?: Record<number, (params: Record<string, unknown>) => Record<string, unknown>>;
  /** Whether the node reads a file bound by the host (load). */
  readsFile?: boolean;
  /** Whether the node runs work on host.pool: a run that will execute it starts the pool's workers first. */
  parallel?: boolean;
  /** Whether the node runs TensorFlow.js: a host that starts a backend only when needed (the CLI) starts one before a run that holds this kind. */
  tensors?: boolean;
  /** Simplified Chinese text (the studio falls back to English where it is missing). */
  zh?: NodeText;
  /** How model values this kind makes become files to download, by model kind (ModelValue.kind). */
  modelFiles?: Readonly<Record<string, ModelWriter>>;
  /** The work: async, pure, never mutates inputs. */
  run(inputs: InputValues<I>, params: ParamValues<P>, ctx: NodeContext): Promise<OutputValues<O>>;
  /** A one-line summary for the canvas (rows, AUC, k). */
  summary?(outputs: OutputValues<O>, params: ParamValues<P>): string;
}

/** A node spec with its types erased, as held in the registry. */
export interface AnyNodeSpec {
  kind: string;
  version: number;
  label: string;
  description: string;
  category: NodeSpec['category'];
  inputs: Record<string, InputSpec>;
  outputs: Record<string, PortType>;
  params: ParamSpecs;
  messages: Record<string, MessageSpec>;
  migrate?: Record<number, (params: Record<string, unknown>) => Record<string, unknown>>;
  readsFile?: boolean;
  parallel?: boolean;
  tensors?: boolean;
  zh?: NodeText;
  modelFiles?: Readonly<Record<string, ModelWriter>>;
  run(inputs: Record<string, unknown>, params: Record<string, unknown>, ctx: NodeContext): Promise<Record<string, unknown>>;
  summary?(outputs: Record<string, unknown>, params: Record<string, unknown>): string;
}

/** Declares a node kind; the types of inputs, outputs and params derive from the declaration. */
export function defineNode<I extends Record<string, InputSpec>, O extends Record<string, PortType>, P extends ParamSpecs>(
  spec: NodeSpec<I, O, P>,
): NodeSpec<I, O, P> & AnyNodeSpec {
  // The registry calls run with inputs and params the engine has already checked against
  // this declaration, so the erased signature is safe to expose.
  return spec as NodeSpec<I, O, P> & AnyNodeSpec;
}

/** Formats one of a node's declared messages. */
export function declaredMessage(spec: Pick<AnyNodeSpec, 'kind' | 'messages'>, code: string, values: IssueValues = {}): { code: string; severity: 'error' | 'warning'; message: string } {
  const declared = spec.messages[code];
  if (!declared) {
    throw new InsightError({
      code: 'node.undeclaredMessage',
      severity: 'error',
      values: { kind: spec.kind, code },
      message: `Node kind "${spec.kind}" used message "${code}", which it does not declare.`,
    });
  }
  return { code: `${spec.kind}.${code}`, severity: declared.severity, message: formatMessage(declared.template, values) };
}

/** Column names of a table. */
export function tableColumns(table: ColumnTable): string[] {
  return table.columnNames();
}

/**
 * Checks that every named column exists (the data layer's check, src/data/columns.ts; re-exported
 * here because every node uses it).
 */
export { requireColumns } from '../data/columns.ts';
