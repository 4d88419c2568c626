import { describe, expect, it } from 'vitest';
import { createNativeKernels, kernelBytes, nativeKernelsSupported } from '../../../src/ml/lstm/native-kernels.ts';
import { createRng } from '../../../src/ml/random.ts';

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** Reference C = init + A·B in double precision, A read through strides (in floats). */
function referenceGemm(
  mem: Float32Array,
  m: number,
  n: number,
  k: number,
  a: number,
  sai: number,
  sak: number,
  b: number,
  init: (i: number, j: number) => number,
): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = init(i, j);
      for (let kk = 0; kk < k; kk++) s += (mem[a + i * sai + kk * sak] as number) * (mem[b + kk * n + j] as number);
      out[i * n + j] = s;
    }
  }
  return out;
}

function maxAbsDiff(mem: Float32Array, at: number, ld: number, expected: Float64Array, m: number, n: number): number {
  let worst = 0;
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) worst = Math.max(worst, Math.abs((mem[at + i * ld + j] as number) - (expected[i * n + j] as number)));
  return worst;
}

describe('native LSTM kernels', () => {
  it('compile in this JavaScript engine (WebAssembly SIMD is available in Node 20)', () => {
    expect(nativeKernelsSupported()).toBe(true);
    expect(WebAssembly.validate(kernelBytes())).toBe(true);
  });

  it.each([
    { m: 7, n: 12, k: 5, transposed: false, mode: 0 },
    { m: 4, n: 8, k: 1, transposed: false, mode: 1 },
    { m: 33, n: 52, k: 20, transposed: true, mode: 0 },
    { m: 9, n: 20, k: 13, transposed: false, mode: 2 },
    { m: 1, n: 4, k: 0, transposed: false, mode: 1 },
  ])('gemm matches a double-precision product for $m×$k·$k×$n (transposed A: $transposed, init mode $mode)', ({ m, n, k, transposed, mode }) => {
    const kernels = createNativeKernels(1 << 20);
    const mem = new Float32Array(kernels.memory.buffer);
    const rng = createRng(m * 100 + n);
    const A = 0;
    const B = 4096;
    const C = 8192;
    const I = 16384;
    for (let i = 0; i < m * k; i++) mem[A + i] = rng.normal();
    for (let i = 0; i < k * n; i++) mem[B + i] = rng.normal();
    for (let i = 0; i < m * n; i++) mem[I + i] = rng.normal();
    const sai = transposed ? 1 : k;
    const sak = transposed ? m : 1;
    // mode 0: from zero; 1: from a bias row broadcast to every row (ldi = 0); 2: from a full matrix.
    const init = (i: number, j: number): number => (mode === 0 ? 0 : mode === 1 ? (mem[I + j] as number) : (mem[I + i * n + j] as number));
    const expected = referenceGemm(mem, m, n, k, A, sai, sak, B, init);
    kernels.exports.gemm(m, n, k, A * 4, sai * 4, sak * 4, B * 4, n * 4, C * 4, n * 4, I * 4, mode === 2 ? n * 4 : 0, mode === 0 ? 0 : 1);
    expect(maxAbsDiff(mem, C, n, expected, m, n)).toBeLessThan(1e-5);
  });

  it('cellForward computes gates, cell and hidden state of a standard LSTM step, saturating cleanly at ±100', () => {
    const kernels = createNativeKernels(1 << 16);
    const mem = new Float32Array(kernels.memory.buffer);
    const rows = 3;
    const hp = 8;
    const [Z, CP, C, TC, H] = [0, 200, 300, 400, 500];
    const extremes = [-100, -88, -20, -1e-4, 0, 1e-4, 20, 100];
    const rng = createRng(5);
    const z: number[] = [];
    for (let i = 0; i < rows * 4 * hp; i++) {
      const v = i < extremes.length * 4 ? (extremes[i % extremes.length] as number) : rng.normal() * 4;
      z.push(v);
      mem[Z + i] = v;
    }
    for (let i = 0; i < rows * hp; i++) mem[CP + i] = rng.normal();
    kernels.exports.cellForward(rows, hp, Z * 4, CP * 4, C * 4, TC * 4, H * 4);
    let worst = 0;
    for (let b = 0; b < rows; b++) {
      for (let u = 0; u < hp; u++) {
        const at = (g: number): number => z[b * 4 * hp + g * hp + u] as number;
        const [i, f, g, o] = [sigmoid(at(0)), sigmoid(at(1)), Math.tanh(at(2)), sigmoid(at(3))];
        const c = f * (mem[CP + b * hp + u] as number) + i * g;
        const h = o * Math.tanh(c);
        const got = [mem[Z + b * 4 * hp + u], mem[Z + b * 4 * hp + hp + u], mem[Z + b * 4 * hp + 2 * hp + u], mem[Z + b * 4 * hp + 3 * hp + u]];
        const diffs = [i, f, g, o].map((v, k) => Math.abs(v - (got[k] as number)));
        worst = Math.max(worst, ...diffs, Math.abs(c - (mem[C + b * hp + u] as number)), Math.abs(h - (mem[H + b * hp + u] as number)));
        worst = Math.max(worst, Math.abs(Math.tanh(c) - (mem[TC + b * hp + u] as number)));
      }
    }
    expect(worst).toBeLessThan(1e-6);
    expect(Array.from(mem.subarray(Z, Z + 4 * hp)).every(Number.isFinite)).toBe(true);
  });

  it('cellBackward gives the analytic gradients of one step', () => {
    const kernels = createNativeKernels(1 << 16);
    const mem = new Float32Array(kernels.memory.buffer);
    const rows = 2;
    const hp = 4;
    const [G, CP, TC, DH, DC, DZ] = [0, 100, 200, 300, 400, 500];
    const rng = createRng(9);
    for (let i = 0; i < rows * 4 * hp; i++) mem[G + i] = 0.1 + 0.8 * rng.next();
    for (let i = 0; i < rows * hp; i++) {
      mem[CP + i] = rng.normal();
      mem[TC + i] = Math.tanh(rng.normal());
      mem[DH + i] = rng.normal();
      mem[DC + i] = rng.normal();
    }
    const before = Float32Array.from(mem.subarray(0, 600));
    kernels.exports.cellBackward(rows, hp, G * 4, CP * 4, TC * 4, DH * 4, DC * 4, DZ * 4);
    let worst = 0;
    for (let b = 0; b < rows; b++) {
      for (let u = 0; u < hp; u++) {
        const gate = (k: number): number => before[G + b * 4 * hp + k * hp + u] as number;
        const [i, f, g, o] = [gate(0), gate(1), gate(2), gate(3)];
        const s = b * hp + u;
        const tc = before[TC + s] as number;
        const dh = before[DH + s] as number;
        const dc = (before[DC + s] as number) + dh * o * (1 - tc * tc);
        const expected = [dc * g * i * (1 - i), dc * (before[CP + s] as number) * f * (1 - f), dc * i * (1 - g * g), dh * tc * o * (1 - o)];
        expected.forEach((v, k) => {
          worst = Math.max(worst, Math.abs(v - (mem[DZ + b * 4 * hp + k * hp + u] as number)));
        });
        worst = Math.max(worst, Math.abs(dc * f - (mem[DC + s] as number)));
      }
    }
    expect(worst).toBeLessThan(1e-6);
  });

  it('adam applies the bias-corrected update tfjs uses', () => {
    const kernels = createNativeKernels(1 << 16);
    const mem = new Float32Array(kernels.memory.buffer);
    const [P, Gr, M, V] = [0, 16, 32, 48];
    const count = 8;
    for (let i = 0; i < count; i++) {
      mem[P + i] = i - 3;
      mem[Gr + i] = (i - 4) * 0.5;
      mem[M + i] = 0.1 * i;
      mem[V + i] = 0.01 * i;
    }
    const [lr, b1, b2, c1, c2, eps] = [0.01, 0.9, 0.999, 1 - 0.9 ** 2, 1 - 0.999 ** 2, 1e-7];
    kernels.exports.adam(count, P * 4, Gr * 4, M * 4, V * 4, lr, b1, b2, c1, c2, eps);
    for (let i = 0; i < count; i++) {
      const g = (i - 4) * 0.5;
      const m = b1 * 0.1 * i + (1 - b1) * g;
      const v = b2 * 0.01 * i + (1 - b2) * g * g;
      expect(mem[M + i]).toBeCloseTo(m, 6);
      expect(mem[V + i]).toBeCloseTo(v, 6);
      expect(mem[P + i]).toBeCloseTo(i - 3 - (lr * (m / c1)) / (Math.sqrt(v / c2) + eps), 5);
    }
  });
  it('copy transposes a block and moves rows between strides, leaving everything else untouched', () => {
    const kernels = createNativeKernels(1 << 16);
    const mem = new Float32Array(kernels.memory.buffer);
    const [S, T, R] = [0, 200, 400];
    const rows = 3;
    const cols = 5;
    for (let i = 0; i < rows * cols; i++) mem[S + i] = i + 1;
    mem.fill(-7, T, T + 40);
    mem.fill(-7, R, R + 40);
    // Transpose of the 3 × 5 source: row r of the result is column r of the source.
    kernels.exports.copy(cols, rows, S * 4, 4, cols * 4, T * 4, rows * 4);
    expect(Array.from(mem.subarray(T, T + 16))).toEqual([1, 6, 11, 2, 7, 12, 3, 8, 13, 4, 9, 14, 5, 10, 15, -7]);
    // Rows 2 floats wide, every other source row, into rows 4 apart (padding keeps its value).
    kernels.exports.copy(2, 2, S * 4, 2 * cols * 4, 4, R * 4, 4 * 4);
    expect(Array.from(mem.subarray(R, R + 9))).toEqual([1, 2, -7, -7, 11, 12, -7, -7, -7]);
    // Nothing to copy.
    kernels.exports.copy(0, 4, S * 4, 4, 4, R * 4, 4);
    kernels.exports.copy(4, 0, S * 4, 4, 4, R * 4, 4);
    expect(mem[R]).toBe(1);
  });
});
