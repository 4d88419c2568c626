/**
 * Project files: a project travels as its pipeline document in a `.json` file (the same
 * file `insight run` reads). Importing treats the file as untrusted: size and depth capped,
 * schema and (optionally) node kinds validated.
 */
import { parseDocument, type PipelineDocument } from '../engine/document.ts';
import type { InsightIssue } from '../engine/errors.ts';
import { formatBytes } from './bounded-inflate.ts';
import type { DocumentValidator } from './link-codec.ts';
import { parseUntrustedJson } from './safe-json.ts';

/** Largest project file accepted. */
export const MAX_PROJECT_FILE_BYTES = 4 * 1024 * 1024;

/** A file ready to download. */
export interface ProjectFile {
  /** Suggested file name, e.g. `customer-insight.json`. */
  name: string;
  /** MIME type. */
  type: string;
  /** Pretty-printed JSON. */
  text: string;
}

/** A safe file name from a project name. */
export function fileSlug(name: string): string {
  const slug = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return slug === '' ? 'pipeline' : slug;
}

/** Serialises a document as a downloadable `.json` file. */
export function exportProjectFile(document: PipelineDocument): ProjectFile {
  return { name: `${fileSlug(document.name)}.json`, type: 'application/json', text: `${JSON.stringify(document, null, 2)}\n` };
}

/** Result of reading a project file. */
export type ImportResult = { ok: true; document: PipelineDocument; migratedFrom: number | null } | { ok: false; message: string; problems: InsightIssue[] };

/** Reads an untrusted project file's text. */
export async function importProjectFile(text: string, validate?: DocumentValidator): Promise<ImportResult> {
  if (text.length > MAX_PROJECT_FILE_BYTES) return { ok: false, message: `The file is ${formatBytes(text.length)}; a project file may be at most ${formatBytes(MAX_PROJECT_FILE_BYTES)}.`, problems: [] };
  const json = parseUntrustedJson(text);
  if (!json.ok) return { ok: false, message: `The file is not a pipeline: ${json.message}`, problems: [] };
  const parsed = parseDocument(json.value);
  if (!parsed.ok) return { ok: false, message: `The file is not a valid pipeline: ${parsed.problems[0]?.message ?? ''}`, problems: parsed.problems };
  const extra = validate ? (await validate(parsed.document)).filter((p) => p.severity === 'error') : [];
  if (extra.length > 0) return { ok: false, message: `The file is not a valid pipeline: ${extra[0]?.message ?? ''}`, problems: extra };
  return { ok: true, document: parsed.document, migratedFrom: parsed.migratedFrom };
}
