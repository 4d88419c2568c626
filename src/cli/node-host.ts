/**
 * The NodeHost for Node.js (CLI, tests, benchmarks): bound files come from paths on disk,
 * samples from sample-data/, URLs through fetch.
 */
import { closeSync, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NodeHost, SourceFile } from '../engine/node.ts';
import type { TaskPool } from '../engine/parallel.ts';
import { fail } from '../engine/errors.ts';
import { isUtf8 } from 'node:buffer';
import { MessageChannel } from 'node:worker_threads';
import { useUtf8Validator } from '../data/encoding.ts';
import { boundaryCollector } from './collect.ts';

useUtf8Validator(isUtf8);

/** The repository root (two levels above this file). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Options for a Node host. */
export interface NodeHostOptions {
  /** Files bound to node ids (CLI `--input NODE=FILE`). */
  files?: Record<string, string>;
  /** In-memory files bound to node ids (tests). */
  buffers?: Record<string, SourceFile>;
  /** Folder holding bundled samples (default: sample-data/ of this repository). */
  sampleRoot?: string;
  /** Name of the TensorFlow.js backend in use. */
  backend?: () => string;
  /** Lanes for parallel tasks (createNodePool); absent: tasks run one after another on this thread. */
  pool?: TaskPool;
  /** Collects garbage at node boundaries of a run with `release` (src/cli/collect.ts); default `boundaryCollector()`, false for none. */
  collect?: (() => void) | false;
}

/** What a path is, in words, when it is not a regular file (a device, a FIFO, a folder). */
export function notRegularFile(stat: Stats): string | null {
  if (stat.isFile()) return null;
  if (stat.isDirectory()) return 'a folder';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isFIFO()) return 'a named pipe (FIFO)';
  if (stat.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** Stats a bound path, refusing what is not a regular file with one line (a device or FIFO would never end). */
function statRegular(path: string): Stats {
  let stat: Stats;
  try {
    stat = statSync(path);
  } catch (err) {
    const code = err instanceof Error && 'code' in err ? String(err.code) : 'unreadable';
    return fail('input.unreadable', `The input file ${JSON.stringify(path)} cannot be read (${code}).`, { values: { file: path, reason: code } });
  }
  const what = notRegularFile(stat);
  if (what !== null) fail('input.notFile', `The input ${JSON.stringify(path)} is ${what}, not a regular file; give the path of a data file.`, { values: { file: path, what } });
  return stat;
}

/** Bytes read per call: big enough that calls cost nothing, small enough to show progress and never ask for one huge read. */
const readPieceBytes = 16 * 1048576;

/**
 * A file's bytes, read in pieces of 16 MiB into one buffer of the size `fstat` gives (no
 * copy, no string; `readFileSync` refuses files over 2 GiB). A file that shrinks while being
 * read gives what it had; one that grows gives the size it had when opened.
 */
function readBytes(path: string): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const buffer = Buffer.allocUnsafeSlow(size);
    let at = 0;
    while (at < size) {
      const got = readSync(fd, buffer, at, Math.min(readPieceBytes, size - at), at);
      if (got === 0) break;
      at += got;
    }
    return new Uint8Array(buffer.buffer, buffer.byteOffset, at);
  } finally {
    closeSync(fd);
  }
}

/**
 * Frees a file's bytes now instead of at V8's next full collection, which may come only after
 * several more nodes have run (measured: none came during the data bench's chain, so a 72 MB
 * file's bytes stayed resident to its end). See `releaseBuffers`.
 */
export async function releaseBytes(bytes: Uint8Array): Promise<void> {
  if (bytes.buffer instanceof ArrayBuffer) await releaseBuffers([bytes.buffer]);
}

/**
 * Frees array buffers now (a file's bytes, a reader's spent scratch arrays): moving them into a
 * message port's queue detaches them (every view of them reads as empty) and closing that port
 * frees them, once its close has been seen (a turn of the event loop later); Node 20 has no
 * ArrayBuffer.prototype.transfer. Buffers that cannot be moved are left to the collector.
 */
export async function releaseBuffers(buffers: readonly ArrayBuffer[]): Promise<void> {
  const movable = buffers.filter((buffer) => buffer.byteLength > 0);
  if (movable.length === 0) return;
  const { port1, port2 } = new MessageChannel();
  const closed = new Promise<void>((resolve) => port2.once('close', () => resolve()));
  try {
    port1.postMessage(null, movable);
  } catch {
    // A buffer that cannot be moved (none that readBytes or the readers make) is left to the collector.
    port1.close();
    return;
  }
  port2.close();
  port1.close();
  await closed;
}

/** A file read from disk for one node, which it may free once it has read it. */
function ownFile(name: string, bytes: Uint8Array): SourceFile {
  return { name, bytes, release: () => releaseBytes(bytes), freeBuffers: releaseBuffers };
}

/** Creates a host that reads bound files and samples from disk. */
export function createNodeHost(options: NodeHostOptions = {}): NodeHost {
  // Maps of the records' own entries: a node id such as "constructor" must not find Object's.
  const files = new Map(Object.entries(options.files ?? {}));
  const buffers = new Map(Object.entries(options.buffers ?? {}));
  const sampleRoot = options.sampleRoot ?? join(repoRoot, 'sample-data');
  const collect = options.collect ?? boundaryCollector();
  return {
    async boundFile(nodeId) {
      const buffer = buffers.get(nodeId);
      if (buffer) return buffer;
      const path = files.get(nodeId);
      if (path === undefined) return undefined;
      statRegular(path);
      try {
        return ownFile(basename(path), readBytes(path));
      } catch (err) {
        const code = err instanceof Error && 'code' in err ? String(err.code) : err instanceof Error ? err.message.slice(0, 80) : 'unreadable';
        return fail('input.unreadable', `The input file ${JSON.stringify(path)} cannot be read (${code}).`, { values: { file: path, reason: code } });
      }
    },
    boundFileInfo(nodeId) {
      const buffer = buffers.get(nodeId);
      if (buffer) return { name: buffer.name, size: buffer.bytes.length };
      const path = files.get(nodeId);
      return path === undefined ? undefined : { name: basename(path), size: statRegular(path).size };
    },
    boundFingerprint(nodeId) {
      const buffer = buffers.get(nodeId);
      if (buffer) return `${buffer.name}:${buffer.bytes.length}:${checksum(buffer.bytes)}`;
      const path = files.get(nodeId);
      if (path === undefined) return '';
      // Never throws: an unreadable path is reported by boundFile when the node runs.
      try {
        const stat = statSync(path);
        return `${resolve(path)}:${stat.size}:${stat.mtimeMs}`;
      } catch {
        return `${resolve(path)}:unreadable`;
      }
    },
    async sample(path) {
      if (path.includes('..') || path.startsWith('/')) fail('sample.badPath', `Sample path ${JSON.stringify(path)} must be relative to sample-data/.`, { values: { sample: path } });
      const full = join(sampleRoot, path);
      try {
        return ownFile(basename(path), readBytes(full));
      } catch {
        return fail('sample.missing', `Bundled sample ${JSON.stringify(path)} was not found under ${sampleRoot}.`, { values: { sample: path } });
      }
    },
    async fetchUrl(url, signal) {
      const response = await fetch(url, { signal });
      if (!response.ok) fail('url.status', `Fetching ${JSON.stringify(url)} answered HTTP ${response.status}.`, { values: { url, status: response.status } });
      const name = basename(new URL(url).pathname) || 'download';
      return { name, bytes: new Uint8Array(await response.arrayBuffer()) };
    },
    backend: options.backend ?? (() => 'none'),
    ...(options.pool ? { pool: options.pool } : {}),
    ...(collect !== false ? { collect } : {}),
  };
}

/** A quick checksum of bytes (Adler-32 style) for in-memory fingerprints. */
function checksum(bytes: Uint8Array): string {
  let a = 1;
  let b = 0;
  for (let i = 0; i < bytes.length; i++) {
    a = (a + (bytes[i] ?? 0)) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a).toString(16);
}
