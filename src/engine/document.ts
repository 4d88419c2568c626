/**
 * The pipeline document: runtime schema (valibot), the TypeScript types derived from it, the
 * migration table, and `validate`, which returns every problem with its JSON path and a
 * message that echoes the bad value. The same document is the file export, the IndexedDB
 * record and the share-link payload.
 */
import * as v from 'valibot';
import { formatValue, issue, type InsightIssue } from './errors.ts';

/** The current document version. */
export const DOCUMENT_VERSION = 1;

/** The format tag every document carries. */
export const DOCUMENT_FORMAT = 'insight-pipeline';

const idPattern = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
const portPattern = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

const nodeId = v.pipe(v.string(), v.regex(idPattern, 'a node id: a letter, then letters, digits, "_" or "-" (at most 64)'));
const portName = v.pipe(v.string(), v.regex(portPattern, 'a port name'));
const finite = v.pipe(v.number(), v.finite());

/** Schema of one node in a document. */
export const NodeSchema = v.strictObject({
  id: nodeId,
  kind: v.pipe(v.string(), v.regex(/^[a-z][a-z0-9-]{0,63}$/, 'a node kind (lowercase words)')),
  version: v.pipe(v.number(), v.integer(), v.minValue(1)),
  params: v.record(v.string(), v.unknown()),
  position: v.tuple([finite, finite]),
  note: v.optional(v.pipe(v.string(), v.maxLength(20_000)), ''),
  label: v.optional(v.pipe(v.string(), v.maxLength(200))),
});

/** Schema of one edge: from [node, output port] to [node, input port]. */
export const EdgeSchema = v.strictObject({
  from: v.tuple([nodeId, portName]),
  to: v.tuple([nodeId, portName]),
});

/** Schema of a free-standing note on the canvas. */
export const NoteSchema = v.strictObject({
  id: nodeId,
  text: v.pipe(v.string(), v.maxLength(20_000)),
  position: v.tuple([finite, finite]),
});

/** Schema of the whole document (current version). */
export const DocumentSchema = v.strictObject({
  format: v.literal(DOCUMENT_FORMAT),
  version: v.literal(DOCUMENT_VERSION),
  name: v.pipe(v.string(), v.maxLength(200)),
  description: v.optional(v.pipe(v.string(), v.maxLength(20_000)), ''),
  seed: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(4294967295)),
  nodes: v.pipe(v.array(NodeSchema), v.maxLength(500)),
  edges: v.pipe(v.array(EdgeSchema), v.maxLength(2000)),
  notes: v.optional(v.pipe(v.array(NoteSchema), v.maxLength(500)), []),
});

/** A pipeline document. */
export type PipelineDocument = v.InferOutput<typeof DocumentSchema>;
/** One node of a document. */
export type DocNode = v.InferOutput<typeof NodeSchema>;
/** One edge of a document. */
export type DocEdge = v.InferOutput<typeof EdgeSchema>;

/** A document with no nodes, edges or notes, seed 42 (the one blank document the studio and the projects area start from). */
export function blankDocument(name = 'Untitled'): PipelineDocument {
  return { format: DOCUMENT_FORMAT, version: DOCUMENT_VERSION, name, description: '', seed: 42, nodes: [], edges: [], notes: [] };
}

/**
 * Document migrations: `documentMigrations[n]` turns a version-n document into version n + 1.
 * Empty while only version 1 exists; frozen fixtures of every old version live in
 * tests/fixtures/documents/v<N>/ and must keep loading.
 */
export const documentMigrations: Record<number, (doc: Record<string, unknown>) => Record<string, unknown>> = {};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON path text for a list of keys, e.g. `$.nodes[2].params`. */
export function jsonPath(keys: readonly (string | number)[]): string {
  let out = '$';
  // A key from an untrusted document is shown clipped (a 100k-character key must not become the message).
  for (const key of keys) {
    const shown = typeof key === 'string' && key.length > 40 ? `${key.slice(0, 37)}...` : key;
    out += typeof shown === 'number' ? `[${shown}]` : /^[A-Za-z_$][\w$]*$/.test(shown) ? `.${shown}` : `[${JSON.stringify(shown)}]`;
  }
  return out;
}

/**
 * Keys that would pollute prototypes if copied into objects. Only "__proto__" does harm as an
 * own key (an assignment replaces the prototype); "constructor" and "prototype" may be column
 * names, and per-column records are read by own entries only (params.ts, validate.ts).
 */
const forbiddenKeys = new Set(['__proto__']);

/** Finds keys like `__proto__` anywhere in an untrusted value (they are never valid). */
function findForbiddenKeys(value: unknown, path: (string | number)[], out: InsightIssue[], depth = 0): void {
  if (depth > 64) {
    const full = jsonPath(path);
    const where = full.length > 80 ? `${full.slice(0, 77)}...` : full;
    out.push(issue('document.tooDeep', `The document nests deeper than 64 levels at ${where}.`, { path: full, values: { path: where } }));
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => findForbiddenKeys(item, [...path, i], out, depth + 1));
  } else if (isRecord(value)) {
    for (const key of Object.keys(value)) {
      if (forbiddenKeys.has(key)) {
        out.push(issue('document.forbiddenKey', `The key ${JSON.stringify(key)} at ${jsonPath(path)} is not allowed.`, { path: jsonPath([...path, key]), values: { key, path: jsonPath(path) } }));
      } else {
        findForbiddenKeys(value[key], [...path, key], out, depth + 1);
      }
    }
  }
}

/** Result of reading an untrusted value as a document. */
export type ParseResult = { ok: true; document: PipelineDocument; migratedFrom: number | null } | { ok: false; problems: InsightIssue[] };

/**
 * Reads an untrusted value (parsed JSON) as a pipeline document: migrates it from any
 * earlier version, then checks the schema. Node kinds and params are checked separately by
 * `validatePipeline` (which needs the node registry).
 */
export function parseDocument(input: unknown): ParseResult {
  const problems: InsightIssue[] = [];
  findForbiddenKeys(input, [], problems);
  if (problems.length > 0) return { ok: false, problems };
  if (!isRecord(input)) {
    return { ok: false, problems: [issue('document.notObject', `A pipeline document must be a JSON object, got ${formatValue(input)}.`, { path: '$', values: {} })] };
  }
  if (input.format !== DOCUMENT_FORMAT) {
    return {
      ok: false,
      problems: [issue('document.format', `Field "format" must be "${DOCUMENT_FORMAT}", got ${formatValue(input.format)}.`, { path: '$.format', values: { expected: DOCUMENT_FORMAT } })],
    };
  }
  let doc: Record<string, unknown> = input;
  const startVersion = doc.version;
  if (typeof startVersion !== 'number' || !Number.isInteger(startVersion) || startVersion < 1) {
    return { ok: false, problems: [issue('document.version', `Field "version" must be a whole number from 1, got ${formatValue(startVersion)}.`, { path: '$.version', values: {} })] };
  }
  if (startVersion > DOCUMENT_VERSION) {
    return {
      ok: false,
      problems: [issue('document.tooNew', `This document has version ${startVersion}; this studio reads up to version ${DOCUMENT_VERSION}. Update the studio.`, { path: '$.version', values: { version: startVersion, supported: DOCUMENT_VERSION } })],
    };
  }
  for (let version = startVersion; version < DOCUMENT_VERSION; version++) {
    const step = documentMigrations[version];
    if (!step) return { ok: false, problems: [issue('document.noMigration', `No migration from document version ${version}.`, { path: '$.version', values: { version } })] };
    doc = { ...step(doc), version: version + 1 };
  }
  const result = v.safeParse(DocumentSchema, doc, { abortEarly: false });
  if (!result.success) {
    return { ok: false, problems: result.issues.map((i) => schemaIssue(i, doc)) };
  }
  return { ok: true, document: result.output, migratedFrom: startVersion === DOCUMENT_VERSION ? null : startVersion };
}

function schemaIssue(i: v.BaseIssue<unknown>, root: unknown): InsightIssue {
  const keys: (string | number)[] = [];
  for (const item of i.path ?? []) {
    const key = item.key;
    if (typeof key === 'string' || typeof key === 'number') keys.push(key);
  }
  const path = jsonPath(keys);
  const where = describeWhere(keys, root);
  if (i.type === 'strict_object' && i.input !== undefined && i.expected === 'never') {
    return issue('document.unknownField', `${where}: there is no such field in a pipeline document.`, { path, values: { path } });
  }
  if (i.type === 'strict_object' && i.input === undefined) return issue('document.missingField', `${where}: the field is missing.`, { path, values: { path } });
  const got = i.input === undefined ? 'nothing (the field is missing)' : formatValue(i.input);
  const message = `${where}: expected ${expectedText(i)}, got ${got}.`;
  return issue('document.schema', message, { path, values: { path, expected: expectedText(i) } });
}

function expectedText(i: v.BaseIssue<unknown>): string {
  // Checks of a number's value read as words ("Invalid finite: Received Infinity" says nothing to a person).
  const requirement = typeof i.requirement === 'number' || typeof i.requirement === 'string' ? String(i.requirement) : '';
  switch (i.type) {
    case 'finite':
      return 'a finite number';
    case 'integer':
    case 'safe_integer':
      return 'a whole number';
    case 'min_value':
      return `a number of at least ${requirement}`;
    case 'max_value':
      return `a number of at most ${requirement}`;
    case 'min_length':
      return `at least ${requirement} items or characters`;
    case 'max_length':
      return `at most ${requirement} items or characters`;
    default:
      break;
  }
  // valibot messages read "Invalid type: Expected string but received 3"; keep the part after "Expected".
  const m = /Expected (.+?) but received/i.exec(i.message);
  if (m?.[1]) return m[1];
  if (i.expected) return i.expected;
  return i.message;
}

/** "node \"norm1\" field params.columns" style location for a schema path. */
function describeWhere(keys: readonly (string | number)[], root: unknown): string {
  if (keys[0] === 'nodes' && typeof keys[1] === 'number' && isRecord(root) && Array.isArray(root.nodes)) {
    const node: unknown = root.nodes[keys[1]];
    const id = isRecord(node) && typeof node.id === 'string' ? node.id : `#${keys[1]}`;
    const rest = keys.slice(2).join('.');
    return `Node ${formatValue(id)}${rest ? ` field ${formatValue(rest)}` : ''} (${jsonPath(keys)})`;
  }
  if (keys[0] === 'edges' && typeof keys[1] === 'number') return `Edge ${keys[1] + 1} (${jsonPath(keys)})`;
  return `Field ${jsonPath(keys)}`;
}
