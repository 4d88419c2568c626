import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DUMP_DIR, emittedModules, wasmDump } from '../../scripts/wasm-dump.ts';

describe('the emitted WebAssembly kernels', () => {
  it('match the checked-in readable dumps and byte hashes (after a kernel change: npx tsx scripts/wasm-dump.ts, then review the diff)', async () => {
    const files = await wasmDump();
    expect([...files.keys()].sort()).toEqual(['kmeans-kernels-dp2.wat', 'kmeans-kernels-dp4.wat', 'kmeans-kernels-dp8.wat', 'lstm-kernels.wat', 'sha256.json']);
    for (const [file, text] of files) expect(text, file).toBe(readFileSync(join(DUMP_DIR, file), 'utf8'));
  });

  it('are valid modules that WebAssembly compiles, one per k-means width and one for the LSTM', () => {
    const modules = emittedModules();
    expect(modules).toHaveLength(1 + 128);
    for (const { name, bytes } of modules) expect(WebAssembly.validate(bytes), name).toBe(true);
  });

  it('dump exports by name, so a diff says which kernel changed', () => {
    const lstm = readFileSync(join(DUMP_DIR, 'lstm-kernels.wat'), 'utf8');
    for (const name of ['gemm', 'cellForward', 'cellBackward', 'adam']) expect(lstm).toContain(`(export "${name}")`);
    const kmeans = readFileSync(join(DUMP_DIR, 'kmeans-kernels-dp8.wat'), 'utf8');
    for (const name of ['nearestAll', 'hamerly', 'potential', 'inertia', 'accumulate']) expect(kmeans).toContain(`(export "${name}")`);
  });
});
