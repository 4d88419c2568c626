import { describe, expect, it } from 'vitest';
import { glorotUniform, initLstmWeights, orthogonal } from '../../../src/ml/lstm/init.ts';
import { createRng } from '../../../src/ml/random.ts';

describe('initLstmWeights', () => {
  it('gives the tf.layers shapes, gate order i, f, c, o, and a unit forget bias', () => {
    const w = initLstmWeights({ features: 3, units: 5, layers: 2 }, 1);
    expect(w.layers.map((l) => [l.inputSize, l.units, l.kernel.length, l.recurrentKernel.length, l.bias.length])).toEqual([
      [3, 5, 60, 100, 20],
      [5, 5, 100, 100, 20],
    ]);
    expect(Array.from(w.layers[0]?.bias ?? [])).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(w.dense.kernel.length).toBe(5);
    expect(Array.from(w.dense.bias)).toEqual([0]);
  });

  it('is seeded: the same seed gives identical weights, another seed different ones', () => {
    const a = initLstmWeights({ features: 4, units: 6, layers: 1 }, 42);
    const b = initLstmWeights({ features: 4, units: 6, layers: 1 }, 42);
    const c = initLstmWeights({ features: 4, units: 6, layers: 1 }, 43);
    expect(Array.from(a.layers[0]?.recurrentKernel ?? [])).toEqual(Array.from(b.layers[0]?.recurrentKernel ?? []));
    expect(Array.from(a.layers[0]?.kernel ?? [])).not.toEqual(Array.from(c.layers[0]?.kernel ?? []));
  });
});

describe('orthogonal', () => {
  it('gives a [H, 4H] matrix with orthonormal rows', () => {
    const H = 12;
    const q = orthogonal(createRng(3), H, 4 * H);
    for (let i = 0; i < H; i++) {
      for (let j = 0; j < H; j++) {
        let dot = 0;
        for (let k = 0; k < 4 * H; k++) dot += (q[i * 4 * H + k] as number) * (q[j * 4 * H + k] as number);
        expect(dot).toBeCloseTo(i === j ? 1 : 0, 5);
      }
    }
  });

  it('gives a tall matrix orthonormal columns', () => {
    const q = orthogonal(createRng(4), 6, 3);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        let dot = 0;
        for (let k = 0; k < 6; k++) dot += (q[k * 3 + i] as number) * (q[k * 3 + j] as number);
        expect(dot).toBeCloseTo(i === j ? 1 : 0, 5);
      }
    }
  });
});

describe('glorotUniform', () => {
  it('draws within ±√(6 / (fanIn + fanOut)) and uses most of that range', () => {
    const values = glorotUniform(createRng(5), 10, 40);
    const limit = Math.sqrt(6 / 50);
    expect(Math.max(...Array.from(values, Math.abs))).toBeLessThanOrEqual(limit);
    expect(Math.max(...Array.from(values))).toBeGreaterThan(0.9 * limit);
    expect(Math.min(...Array.from(values))).toBeLessThan(-0.9 * limit);
  });
});
