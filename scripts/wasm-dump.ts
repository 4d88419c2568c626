/**
 * Readable dumps of every hand-emitted WebAssembly kernel module, so a kernel change shows as
 * a diff of text: docs/wasm/<module>.wat (wabt's wasm2wat form, with generated names) for the
 * LSTM kernels and the k-means kernels at a few row widths, and docs/wasm/sha256.json with the
 * SHA-256 of the bytes of every module the code can emit (LSTM, and k-means for every even
 * width 2..256). `npx tsx scripts/wasm-dump.ts` rewrites them; tests/ml/wasm-dump.test.ts
 * regenerates them in memory and fails when they differ.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import wabtInit from 'wabt';
import { kmeansKernelBytes } from '../src/ml/kmeans-kernels.ts';
import { kernelBytes } from '../src/ml/lstm/native-kernels.ts';

/** k-means row widths dumped as text (each width changes only unrolled counts and offsets). */
export const DUMPED_KMEANS_WIDTHS = [2, 4, 8] as const;

/** Widest k-means rows given native kernels (kmeans-kernels.ts MAX_NATIVE_WIDTH). */
const MAX_KMEANS_WIDTH = 256;

/** Every emitted module by name, with its bytes. */
export function emittedModules(): { name: string; bytes: Uint8Array<ArrayBuffer> }[] {
  const out = [{ name: 'lstm-kernels', bytes: kernelBytes() }];
  for (let dp = 2; dp <= MAX_KMEANS_WIDTH; dp += 2) out.push({ name: `kmeans-kernels-dp${dp}`, bytes: kmeansKernelBytes(dp) });
  return out;
}

/** The files of the dump, by path relative to docs/wasm: .wat texts and sha256.json. */
export async function wasmDump(): Promise<Map<string, string>> {
  const wabt = await wabtInit();
  const modules = emittedModules();
  const files = new Map<string, string>();
  const textual = new Set(['lstm-kernels', ...DUMPED_KMEANS_WIDTHS.map((dp) => `kmeans-kernels-dp${dp}`)]);
  for (const { name, bytes } of modules) {
    if (!textual.has(name)) continue;
    const module = wabt.readWasm(bytes, { readDebugNames: false, simd: true });
    try {
      module.validate();
      module.generateNames();
      module.applyNames();
      files.set(`${name}.wat`, module.toText({ foldExprs: false, inlineExport: true }));
    } finally {
      module.destroy();
    }
  }
  const hashes: Record<string, { bytes: number; sha256: string }> = {};
  for (const { name, bytes } of modules) hashes[name] = { bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
  files.set('sha256.json', `${JSON.stringify(hashes, null, 2)}\n`);
  return files;
}

/** Where the dump lives. */
export const DUMP_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'wasm');

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  mkdirSync(DUMP_DIR, { recursive: true });
  for (const [file, text] of await wasmDump()) writeFileSync(join(DUMP_DIR, file), text);
  process.stdout.write(`wrote ${DUMP_DIR}\n`);
}
