import { describe, expect, it } from 'vitest';
import { dropSummary, outOfFoldImportance, type FoldScorer } from '../../src/ml/permutation-importance.ts';
import { rocAuc } from '../../src/ml/metrics.ts';
import { createRng } from '../../src/ml/random.ts';

/** Two inputs per row: `signal` sets the label, `noise` does not. */
function rows(n: number, seed: number): { signal: number[]; noise: number[]; labels: number[]; fold: number[] } {
  const rng = createRng(seed);
  const signal = Array.from({ length: n }, () => rng.normal());
  const noise = Array.from({ length: n }, () => rng.normal());
  const labels = signal.map((s) => (s + 0.5 * rng.normal() > 0 ? 1 : 0));
  const fold = Array.from({ length: n }, (_, i) => i % 3);
  return { signal, noise, labels, fold };
}

describe('out-of-fold permutation importance', () => {
  it('scores each row only with the model of its own fold, shuffling within that fold', async () => {
    const d = rows(90, 1);
    const seen: string[] = [];
    const score: FoldScorer = (k, own, group, from) => {
      for (const i of own) expect(d.fold[i]).toBe(k);
      if (from) for (const j of from) expect(d.fold[j]).toBe(k);
      if (from) expect([...from].sort((a, b) => a - b)).toEqual([...own].sort((a, b) => a - b));
      seen.push(`${k}:${group}`);
      return own.map((i, j) => (group === 0 && from ? (d.signal[from[j] ?? i] ?? 0) : (d.signal[i] ?? 0)) + 0.01 * (d.noise[i] ?? 0));
    };
    const r = await outOfFoldImportance(d.labels, d.fold, ['signal', 'noise'], score, { repeats: 2, random: createRng(4) });
    expect(r.rows).toBe(90);
    // Fold by fold: unshuffled once, then each group × repeat.
    expect(seen.slice(0, 3)).toEqual(['0:null', '1:null', '2:null']);
    expect(seen.length).toBe(3 + 2 * 2 * 3);
    expect(r.groups.map((g) => g.name)).toEqual(['signal', 'noise']);
    expect(r.groups[0]?.drop ?? 0).toBeGreaterThan(0.2);
    expect(Math.abs(r.groups[1]?.drop ?? 1)).toBeLessThan(0.01);
  });

  it('measures the unshuffled AUC on the assembled out-of-fold scores and leaves rows of fold −1 out', async () => {
    const d = rows(60, 2);
    d.fold[5] = -1;
    d.fold[17] = -1;
    const score: FoldScorer = (_k, own) => own.map((i) => d.signal[i] ?? 0);
    const r = await outOfFoldImportance(d.labels, d.fold, ['signal'], score, { repeats: 1, random: createRng(1) });
    expect(r.rows).toBe(58);
    const kept = d.fold.map((k, i) => [k, i] as const).filter(([k]) => k >= 0).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([, i]) => i);
    expect(r.baseAuc).toBeCloseTo(rocAuc(kept.map((i) => d.labels[i] ?? 0), kept.map((i) => d.signal[i] ?? 0)), 12);
  });

  it('gives an overfit model’s memorised noise no out-of-fold importance, where in-sample it would look important', async () => {
    // A "model" that has memorised its training rows' labels through the noise input: it knows the
    // label of any row it was trained on, and on held-out rows it can only use the signal.
    const d = rows(150, 3);
    const memorised = (k: number, i: number): boolean => d.fold[i] !== k;
    const predict = (k: number, own: readonly number[], group: number | null, from: readonly number[] | null): number[] =>
      own.map((i, j) => {
        const noiseFrom = group === 1 && from ? (from[j] ?? i) : i;
        return memorised(k, noiseFrom) ? (d.labels[noiseFrom] ?? 0) * 10 : (d.signal[i] ?? 0);
      });
    const oof = await outOfFoldImportance(d.labels, d.fold, ['signal', 'noise'], predict, { repeats: 3, random: createRng(5) });
    expect(Math.abs(oof.groups[1]?.drop ?? 1)).toBeLessThan(1e-12);
    // In-sample (one "fold" scored by the model trained on everything) the noise looks decisive.
    const inSample = await outOfFoldImportance(d.labels, d.labels.map(() => 0), ['signal', 'noise'], (_k, own, group, from) => predict(-1, own, group, from), { repeats: 3, random: createRng(5) });
    expect(inSample.groups[1]?.drop ?? 0).toBeGreaterThan(0.1);
  });

  it('summarises drops as their mean and sample standard deviation', () => {
    expect(dropSummary([0.1, 0.3])).toEqual({ drop: 0.2, sd: Math.sqrt(0.02) });
    expect(dropSummary([0.4])).toEqual({ drop: 0.4, sd: 0 });
  });
});
