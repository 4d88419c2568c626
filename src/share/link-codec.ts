/**
 * Share links: `#p=` + a checksum + `.` + base64url(deflate-raw(document JSON)), seed included, plus
 * `&f=` (the fingerprints of the files the pipeline was built on) and, only when the user
 * opts in and it is small, `&d=` (the files themselves). Decoding never trusts the link:
 * the fragment length, the decompressed sizes and the nesting depth are capped, every field
 * is validated, and a link that fails any check opens nothing and says why. Deflate has no
 * checksum of its own, so a changed character could decompress to a different valid pipeline
 * (seed 42 read as 22, measured); the checksum (SHA-256 of the document and file-list parts,
 * and whether a data part follows; the data carries its own SHA-256) turns that into a refusal.
 * Links made before the checksum (no `.` in the `p` part) still open.
 */
import { deflateSync } from 'fflate';
import * as v from 'valibot';
import { parseDocument, type PipelineDocument } from '../engine/document.ts';
import type { InsightIssue } from '../engine/errors.ts';
import { fingerprintFile, sha256Hex, type DatasetFingerprint } from '../storage/fingerprint.ts';
import { decodeBase64url, encodeBase64url } from './base64url.ts';
import { boundedInflate, formatBytes } from './bounded-inflate.ts';
import { parseUntrustedJson } from './safe-json.ts';

/** The caps applied to every link. */
export const LINK_LIMITS = {
  /** Longest fragment accepted (characters after '#'). */
  maxFragmentChars: 512 * 1024,
  /** Most bytes the document JSON may decompress to. */
  maxDocumentBytes: 1024 * 1024,
  /** Most bytes the fingerprint list may decompress to. */
  maxFingerprintBytes: 64 * 1024,
  /** Most compressed bytes of embedded data (above this the data stays out of the link). */
  maxDataCompressedBytes: 256 * 1024,
  /** Most bytes embedded data may decompress to. */
  maxDataBytes: 8 * 1024 * 1024,
  /** Deepest JSON nesting accepted. */
  maxDepth: 64,
} as const;

/** A file a shared pipeline was built on: which node reads it and its fingerprint. */
export interface SharedDatasetRef extends DatasetFingerprint {
  /** The node the file is bound to. */
  node: string;
  /** Whether the bytes travel in the link. */
  embedded: boolean;
}

/** A shared file as decoded: the reference, plus the bytes when they were embedded. */
export interface SharedDataset {
  /** Node, name, size, columns, SHA-256, embedded. */
  ref: SharedDatasetRef;
  /** The verified bytes (SHA-256 checked), when embedded. */
  bytes?: Uint8Array;
}

/** A file to offer for sharing. */
export interface DatasetToShare {
  /** The node it is bound to. */
  node: string;
  /** File name. */
  name: string;
  /** The bytes. */
  bytes: Uint8Array;
}

/** Options of `encodeShareLink`. */
export interface EncodeOptions {
  /** Files bound to nodes; their fingerprints always travel. */
  datasets?: readonly DatasetToShare[];
  /** Whether to embed the files themselves (only if they fit the cap). */
  includeData?: boolean;
}

/** What `encodeShareLink` produced. */
export interface EncodedLink {
  /** The fragment, starting with `#p=`. */
  fragment: string;
  /** Whether the data travels in the link. */
  dataIncluded: boolean;
  /** Why the data was left out although asked for (null when not asked or included). */
  dataOmittedReason: string | null;
  /** The same reason as figures, for the page to word: the data's size (raw or compressed) and the cap it exceeded. */
  dataOmitted: { cause: 'size' | 'compressed'; bytes: number; limit: number } | null;
  /** Compressed size of the document part in bytes. */
  documentBytes: number;
  /** Compressed size of the data part in bytes (0 when not included). */
  dataBytes: number;
}

const hex64 = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, 'a SHA-256 in hex'));
const RefSchema = v.strictObject({
  node: v.pipe(v.string(), v.regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, 'a node id')),
  name: v.pipe(v.string(), v.maxLength(255)),
  size: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(Number.MAX_SAFE_INTEGER)),
  columns: v.pipe(v.array(v.pipe(v.string(), v.maxLength(500))), v.maxLength(5000)),
  sha256: hex64,
  embedded: v.boolean(),
});
const RefListSchema = v.pipe(v.array(RefSchema), v.maxLength(100));

const encoder = new TextEncoder();

function compress(bytes: Uint8Array): Uint8Array {
  return deflateSync(bytes, { level: 9 });
}

/** The checked text of a link: the document and file-list parts and whether a data part follows. */
function checkedText(doc: string, fileList: string | undefined, hasData: boolean): string {
  return `${doc}${fileList === undefined ? '' : `&f=${fileList}`}${hasData ? '&d' : ''}`;
}

/** The link checksum: the first 9 bytes of a SHA-256, as 12 base64url characters. */
async function linkChecksum(text: string): Promise<string> {
  const hex = await sha256Hex(encoder.encode(text));
  const bytes = Uint8Array.from({ length: 9 }, (_, i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16));
  return encodeBase64url(bytes);
}

/** Builds the share fragment for a document (and the fingerprints or bytes of its files). */
export async function encodeShareLink(document: PipelineDocument, options: EncodeOptions = {}): Promise<EncodedLink> {
  const docPart = compress(encoder.encode(JSON.stringify(document)));
  const docText = encodeBase64url(docPart);
  let fileList: string | undefined;
  let dataText: string | undefined;
  const datasets = options.datasets ?? [];
  let dataIncluded = false;
  let dataOmittedReason: string | null = null;
  let dataOmitted: EncodedLink['dataOmitted'] = null;
  let dataBytes = 0;
  if (datasets.length > 0) {
    const fps = await Promise.all(datasets.map((d) => fingerprintFile(d.name, d.bytes)));
    let dataPart: Uint8Array | null = null;
    if (options.includeData) {
      const total = datasets.reduce((sum, d) => sum + d.bytes.length, 0);
      if (total > LINK_LIMITS.maxDataBytes) {
        dataOmitted = { cause: 'size', bytes: total, limit: LINK_LIMITS.maxDataBytes };
        dataOmittedReason = `The data is ${formatBytes(total)}; a link carries at most ${formatBytes(LINK_LIMITS.maxDataBytes)} of data. The receiver will be asked for the file.`;
      } else {
        const joined = new Uint8Array(total);
        let at = 0;
        for (const d of datasets) {
          joined.set(d.bytes, at);
          at += d.bytes.length;
        }
        const packed = compress(joined);
        if (packed.length > LINK_LIMITS.maxDataCompressedBytes) {
          dataOmitted = { cause: 'compressed', bytes: packed.length, limit: LINK_LIMITS.maxDataCompressedBytes };
          dataOmittedReason = `The data compresses to ${formatBytes(packed.length)}; a link carries at most ${formatBytes(LINK_LIMITS.maxDataCompressedBytes)}. The receiver will be asked for the file.`;
        } else dataPart = packed;
      }
    }
    dataIncluded = dataPart !== null;
    const refs: SharedDatasetRef[] = datasets.map((d, i) => ({ node: d.node, ...(fps[i] ?? { name: d.name, size: 0, columns: [], sha256: '' }), embedded: dataIncluded }));
    fileList = encodeBase64url(compress(encoder.encode(JSON.stringify(refs))));
    if (dataPart) {
      dataText = encodeBase64url(dataPart);
      dataBytes = dataPart.length;
    }
  }
  const sum = await linkChecksum(checkedText(docText, fileList, dataText !== undefined));
  const fragment = `#p=${sum}.${docText}${fileList === undefined ? '' : `&f=${fileList}`}${dataText === undefined ? '' : `&d=${dataText}`}`;
  return { fragment, dataIncluded, dataOmittedReason, dataOmitted, documentBytes: docPart.length, dataBytes };
}

/** Why a link did not open. */
export type LinkErrorCode = 'link.none' | 'link.tooLong' | 'link.base64' | 'link.corrupt' | 'link.tooLarge' | 'link.json' | 'link.invalid' | 'link.data';

/** Result of decoding a link. */
export type DecodedLink =
  | { ok: true; document: PipelineDocument; datasets: SharedDataset[] }
  | { ok: false; code: LinkErrorCode; message: string; problems: InsightIssue[] };

/** Validates a decoded document further (e.g. the worker's `validate`, which knows node kinds). */
export type DocumentValidator = (document: PipelineDocument) => Promise<InsightIssue[]> | InsightIssue[];

function failure(code: LinkErrorCode, message: string, problems: InsightIssue[] = []): DecodedLink {
  return { ok: false, code, message, problems };
}

/** True when a location hash carries a shared pipeline. */
export function hasShareLink(hash: string): boolean {
  return /^#?p=/.test(hash);
}

/** Splits `#p=..&f=..&d=..` into its parts; unknown keys are ignored, duplicates rejected. */
function fragmentParts(hash: string): Map<string, string> | null {
  const parts = new Map<string, string>();
  for (const piece of hash.replace(/^#/, '').split('&')) {
    const eq = piece.indexOf('=');
    if (eq <= 0) continue;
    const key = piece.slice(0, eq);
    if (parts.has(key)) return null;
    parts.set(key, piece.slice(eq + 1));
  }
  return parts;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

function unpack(text: string, what: string, maxBytes: number): { ok: true; bytes: Uint8Array } | { ok: false; result: DecodedLink } {
  const raw = decodeBase64url(text);
  if (!raw.ok) return { ok: false, result: failure('link.base64', `This link is damaged: the ${what} is not valid base64url. ${raw.message}`) };
  const inflated = boundedInflate(raw.bytes, maxBytes);
  if (!inflated.ok) {
    return inflated.reason === 'tooLarge'
      ? { ok: false, result: failure('link.tooLarge', `This link's ${what} is too large: ${inflated.message}`) }
      : { ok: false, result: failure('link.corrupt', `This link is damaged: the ${what} cannot be decompressed. ${inflated.message}`) };
  }
  return { ok: true, bytes: inflated.bytes };
}

function unpackJson(text: string, what: string, maxBytes: number): { ok: true; value: unknown } | { ok: false; result: DecodedLink } {
  const bytes = unpack(text, what, maxBytes);
  if (!bytes.ok) return bytes;
  let json: string;
  try {
    json = decoder.decode(bytes.bytes);
  } catch {
    return { ok: false, result: failure('link.json', `This link's ${what} is not UTF-8 text.`) };
  }
  const parsed = parseUntrustedJson(json, LINK_LIMITS.maxDepth);
  if (!parsed.ok) return { ok: false, result: failure('link.json', `This link's ${what} is not a valid pipeline: ${parsed.message}`) };
  return { ok: true, value: parsed.value };
}

/** URL schemes a param may never carry (the worker fetches only http(s); this refuses the rest early). */
const unsafeScheme = /^\s*(javascript|vbscript|data|file|blob):/i;

function unsafeParams(document: PipelineDocument): InsightIssue[] {
  const out: InsightIssue[] = [];
  document.nodes.forEach((node, index) => {
    for (const [name, value] of Object.entries(node.params)) {
      if (typeof value === 'string' && unsafeScheme.test(value)) {
        out.push({
          tag: 'InsightIssue',
          code: 'link.unsafeUrl',
          severity: 'error',
          message: `Node ${JSON.stringify(node.id)} parameter ${JSON.stringify(name)} holds ${JSON.stringify(value.slice(0, 40))}; only http(s) addresses are allowed.`,
          nodeId: node.id,
          param: name,
          path: `$.nodes[${index}].params.${name}`,
          values: { node: node.id, param: name, value: value.slice(0, 40) },
        });
      }
    }
  });
  return out;
}

/**
 * Decodes and validates a share fragment (`#p=...`). Nothing in the result is trusted
 * input any more: the document passed the schema (and `validate`, when given), embedded
 * files match their SHA-256.
 */
export async function decodeShareLink(hash: string, validate?: DocumentValidator): Promise<DecodedLink> {
  if (!hasShareLink(hash)) return failure('link.none', 'This address carries no shared pipeline.');
  if (hash.length > LINK_LIMITS.maxFragmentChars) {
    return failure('link.tooLong', `This link is ${formatBytes(hash.length)} long; the most a link may carry is ${formatBytes(LINK_LIMITS.maxFragmentChars)}. Ask the sender for the project file instead.`);
  }
  const parts = fragmentParts(hash);
  if (!parts) return failure('link.corrupt', 'This link is damaged: a part appears twice.');
  let docText = parts.get('p') ?? '';
  const dot = docText.indexOf('.');
  if (dot >= 0) {
    const sum = docText.slice(0, dot);
    docText = docText.slice(dot + 1);
    const fileList = parts.get('f');
    const hasData = parts.has('d');
    // A character outside base64url is named as such (a more useful message than a checksum).
    const syntax = decodeBase64url(docText);
    if (!syntax.ok) return failure('link.base64', `This link is damaged: the pipeline is not valid base64url. ${syntax.message}`);
    if (sum !== (await linkChecksum(checkedText(docText, fileList, hasData)))) {
      if (!hasData && fileList !== undefined && sum === (await linkChecksum(checkedText(docText, fileList, true)))) {
        return failure('link.data', 'This link says it carries data, but the data part is missing (the link was probably cut short).');
      }
      return failure('link.corrupt', 'This link is damaged: its checksum does not match, so it was cut short or altered. Ask the sender to copy it again.');
    }
  }
  if (docText === '') return failure('link.corrupt', 'This link is damaged: the pipeline part is empty.');

  const docJson = unpackJson(docText, 'pipeline', LINK_LIMITS.maxDocumentBytes);
  if (!docJson.ok) return docJson.result;
  const parsed = parseDocument(docJson.value);
  if (!parsed.ok) {
    const first = parsed.problems[0]?.message ?? '';
    return failure('link.invalid', `This link's pipeline is not valid: ${first}${parsed.problems.length > 1 ? ` (and ${parsed.problems.length - 1} more problems)` : ''}`, parsed.problems);
  }
  const document = parsed.document;
  const unsafe = unsafeParams(document);
  const extra = validate ? await validate(document) : [];
  const problems = [...unsafe, ...extra.filter((p) => p.severity === 'error')];
  if (problems.length > 0) {
    return failure('link.invalid', `This link's pipeline is not valid: ${problems[0]?.message ?? ''}${problems.length > 1 ? ` (and ${problems.length - 1} more problems)` : ''}`, problems);
  }

  const datasets: SharedDataset[] = [];
  const refText = parts.get('f');
  if (refText !== undefined) {
    const refJson = unpackJson(refText, 'file list', LINK_LIMITS.maxFingerprintBytes);
    if (!refJson.ok) return refJson.result;
    const refs = v.safeParse(RefListSchema, refJson.value);
    if (!refs.success) return failure('link.invalid', `This link's file list is not valid: ${refs.issues[0]?.message ?? 'unexpected shape'}.`);
    const nodeIds = new Set(document.nodes.map((n) => n.id));
    const stray = refs.output.find((r) => !nodeIds.has(r.node));
    if (stray) return failure('link.invalid', `This link's file list names node ${JSON.stringify(stray.node)}, which is not in the pipeline.`);
    const embedded = refs.output.filter((r) => r.embedded);
    const dataText = parts.get('d');
    if (embedded.length > 0) {
      if (dataText === undefined) return failure('link.data', 'This link says it carries data, but the data part is missing (the link was probably cut short).');
      const declared = embedded.reduce((sum, r) => sum + r.size, 0);
      if (declared > LINK_LIMITS.maxDataBytes) return failure('link.tooLarge', `This link's data would be ${formatBytes(declared)}; at most ${formatBytes(LINK_LIMITS.maxDataBytes)} is allowed.`);
      const data = unpack(dataText, 'data', declared);
      if (!data.ok) return data.result;
      if (data.bytes.length !== declared) return failure('link.data', `This link's data is ${data.bytes.length} bytes; its file list says ${declared}.`);
      let at = 0;
      for (const ref of refs.output) {
        if (!ref.embedded) {
          datasets.push({ ref });
          continue;
        }
        const bytes = data.bytes.slice(at, at + ref.size);
        at += ref.size;
        const fp = await fingerprintFile(ref.name, bytes);
        if (fp.sha256 !== ref.sha256) return failure('link.data', `The data for ${JSON.stringify(ref.name)} does not match its fingerprint; the link was altered.`);
        datasets.push({ ref, bytes });
      }
    } else {
      for (const ref of refs.output) datasets.push({ ref });
    }
  }
  return { ok: true, document, datasets };
}
