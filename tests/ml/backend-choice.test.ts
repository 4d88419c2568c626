import { describe, expect, it } from 'vitest';
import { choiceJson, chooseBackend, describeChoice, isBackendChoice, isSoftwareAdapter, memoryProbeCache, type MeasureBackend, type ProbeFigure } from '../../src/ml/backend-choice.ts';

const shape = { steps: 22, features: 7, units: 16, layers: 1, batchSize: 64 };
const figure = (backend: string, samplesPerSecond: number | null): ProbeFigure => ({ backend, engine: 'x', samplesPerSecond, batches: 3, ms: 10, adapter: '', software: false, note: '' });

function setup(rates: Record<string, number | null>, software: Record<string, boolean>) {
  const measured: string[] = [];
  const budgets: Record<string, number> = {};
  const measure: MeasureBackend = async (backend, _shape, budgetMs) => {
    measured.push(backend);
    budgets[backend] = budgetMs;
    return figure(backend, rates[backend] ?? null);
  };
  const describe = async (backend: string) => ({ adapter: software[backend] ? 'google swiftshader' : `${backend} hw`, software: software[backend] ?? false });
  return { measured, budgets, measure, describe };
}

describe('chooseBackend', () => {
  it('takes wasm over a software WebGPU adapter that measures slower, probing wasm first and the software one on a short budget', async () => {
    const s = setup({ webgpu: 300, wasm: 21000 }, { webgpu: true });
    const choice = await chooseBackend(shape, { candidates: ['webgpu', 'wasm', 'cpu'], measure: s.measure, describe: s.describe, cache: memoryProbeCache() });
    expect(choice.backend).toBe('wasm');
    expect(choice.reason).toBe('measured');
    expect(s.measured).toEqual(['wasm', 'webgpu']);
    expect(s.budgets).toEqual({ wasm: 4000, webgpu: 1500 });
    expect(choice.probes.map((p) => [p.backend, p.samplesPerSecond, p.software])).toEqual([['wasm', 21000, false], ['webgpu', 300, true]]);
    expect(describeChoice(choice)).toBe('wasm (measured: wasm 21,000/s, webgpu software 300/s)');
  });

  it('takes a software adapter only when it measures faster than wasm, and a hardware GPU whenever it is fastest', async () => {
    const soft = setup({ webgpu: 25000, wasm: 21000 }, { webgpu: true });
    expect((await chooseBackend(shape, { candidates: ['webgpu', 'wasm'], measure: soft.measure, describe: soft.describe, cache: memoryProbeCache() })).backend).toBe('webgpu');
    const tie = setup({ webgpu: 21000, wasm: 21000 }, { webgpu: true });
    expect((await chooseBackend(shape, { candidates: ['webgpu', 'wasm'], measure: tie.measure, describe: tie.describe, cache: memoryProbeCache() })).backend).toBe('wasm');
    const hw = setup({ webgpu: 90000, webgl: 40000, wasm: 21000 }, {});
    expect((await chooseBackend(shape, { candidates: ['webgpu', 'webgl', 'wasm'], measure: hw.measure, describe: hw.describe, cache: memoryProbeCache() })).backend).toBe('webgpu');
    const slowGpu = setup({ webgpu: 5000, wasm: 21000 }, {});
    expect((await chooseBackend(shape, { candidates: ['webgpu', 'wasm'], measure: slowGpu.measure, describe: slowGpu.describe, cache: memoryProbeCache() })).backend).toBe('wasm');
  });

  it('keeps wasm when a GPU probe fails, and never probes cpu beside wasm (same native kernels) or a lone candidate', async () => {
    const failing = setup({ webgpu: null, wasm: 21000 }, {});
    expect((await chooseBackend(shape, { candidates: ['webgpu', 'wasm', 'cpu'], measure: failing.measure, describe: failing.describe, cache: memoryProbeCache() })).backend).toBe('wasm');
    const node = setup({ wasm: 1, cpu: 2 }, {});
    expect(await chooseBackend(shape, { candidates: ['wasm', 'cpu'], measure: node.measure, describe: node.describe, cache: memoryProbeCache() })).toEqual({ backend: 'wasm', reason: 'only', probes: [] });
    expect(node.measured).toEqual([]);
  });

  it('caches per device and shape: the same shape is not probed again, another shape is', async () => {
    const s = setup({ webgpu: 300, wasm: 21000 }, { webgpu: true });
    const cache = memoryProbeCache();
    const options = { candidates: ['webgpu', 'wasm'], measure: s.measure, describe: s.describe, cache };
    await chooseBackend(shape, options);
    const again = await chooseBackend(shape, options);
    expect(again.reason).toBe('cached');
    expect(again.backend).toBe('wasm');
    expect(s.measured).toEqual(['wasm', 'webgpu']);
    await chooseBackend({ ...shape, units: 32 }, options);
    expect(s.measured).toEqual(['wasm', 'webgpu', 'wasm', 'webgpu']);
  });

  it('recognises software rasterisers by name and stored choices by shape', () => {
    expect(['google swiftshader', 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)))', 'llvmpipe (LLVM 15.0.6, 256 bits)', 'NVIDIA GeForce RTX 4090'].map(isSoftwareAdapter)).toEqual([true, true, true, false]);
    expect(isBackendChoice({ backend: 'wasm', reason: 'measured', probes: [figure('wasm', 1)] })).toBe(true);
    expect(isBackendChoice({ backend: 'wasm', reason: 'guessed', probes: [] })).toBe(false);
  });
});

describe('choiceJson', () => {
  it('gives the choice, its one-line account and each probe with its milliseconds rounded', () => {
    const probe: ProbeFigure = { backend: 'wasm', engine: 'native-simd', samplesPerSecond: 21000, batches: 4, ms: 12.6, adapter: '', software: false, note: '' };
    expect(choiceJson({ backend: 'wasm', reason: 'measured', probes: [probe] })).toEqual({
      backend: 'wasm',
      reason: 'measured',
      summary: 'wasm (measured: wasm 21,000/s)',
      probes: [{ ...probe, ms: 13 }],
    });
  });
});
