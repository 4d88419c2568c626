import { describe, expect, it } from 'vitest';
import type { PortPreview } from '../../src/engine/port-codec.ts';
import { explainerFor } from '../../src/studio/explain/index.ts';
import { texNumber, texText } from '../../src/studio/explain/tex.ts';

const lstmExplainer = () => explainerFor('lstm')!;

const table = (columns: string[], rows: (string | number | null)[][]): PortPreview => ({ kind: 'table', columns, types: columns.map(() => 'number'), rows, totalRows: rows.length, offset: 0 });
const json = (value: PortPreview extends infer P ? (P extends { kind: 'json'; value: infer V } ? V : never) : never): PortPreview => ({ kind: 'json', value });

describe('the normalise explainer', () => {
  const explainer = explainerFor('normalise')!;
  const input = table(['customer_id', 'recency_days', 'monetary'], [['C0001', 40, 120.5]]);

  it('writes min-max with the customer\'s x, the fitted min and max, and the scaled value', () => {
    const transform = json({ kind: 'normalise', label: 'min-max on 2 columns', params: { method: 'min-max', suffix: '', columns: { recency_days: { center: 10, scale: 200, count: 1000, stats: { min: 10, max: 210 } } } } });
    const out = explainer.explain({ params: {}, inputs: { table: input }, outputs: { table: table(['customer_id', 'recency_days'], [['C0001', 0.15]]), transform } });
    expect(out).toEqual({
      caption: 'formula.minmax',
      values: { column: 'recency_days', id: 'C0001' },
      tex: "x'_{\\text{recency\\_days}} = \\frac{x - \\min}{\\max - \\min} = \\frac{40 - 10}{210 - 10} = 0.15",
    });
  });

  it('reads the scaled value from the suffixed column and parenthesises a negative minimum', () => {
    const transform = json({ kind: 'normalise', label: '', params: { method: 'min-max', suffix: '_n', columns: { monetary: { center: -5, scale: 125.5, count: 3, stats: { min: -5, max: 120.5 } } } } });
    const out = explainer.explain({ params: {}, inputs: { table: input }, outputs: { table: table(['monetary', 'monetary_n'], [[120.5, 1]]), transform } });
    expect(out?.tex).toBe("x'_{\\text{monetary}} = \\frac{x - \\min}{\\max - \\min} = \\frac{120.5 - (-5)}{120.5 - (-5)} = 1");
  });

  it('writes z-score with mean and standard deviation', () => {
    const transform = json({ kind: 'normalise', label: '', params: { method: 'z-score', suffix: '', columns: { recency_days: { center: 50, scale: 20, count: 9, stats: { mean: 50, sd: 20 } } } } });
    const out = explainer.explain({ params: {}, inputs: { table: input }, outputs: { table: table(['recency_days'], [[-0.5]]), transform } });
    expect(out?.caption).toBe('formula.zscore');
    expect(out?.tex).toBe("x'_{\\text{recency\\_days}} = \\frac{x - \\mu}{\\sigma} = \\frac{40 - 50}{20} = -0.5");
  });

  it('gives no formula before the node has results', () => {
    expect(explainer.explain({ params: {}, inputs: { table: input }, outputs: {} })).toBeNull();
  });
});

describe('the weight explainer', () => {
  const explainer = explainerFor('weight')!;
  it('sums w_j x\'_ij for the first customer and shows the node\'s own score', () => {
    const input = table(['customer_id', 'r', 'f'], [['C7', 0.5, 0.25]]);
    const transform = json({ kind: 'weight', label: '', params: { weights: { r: -0.4, f: 0.6 } } });
    const out = explainer.explain({ params: {}, inputs: { table: input }, outputs: { table: table(['customer_id', 'score'], [['C7', -0.05]]), transform } });
    expect(out?.values).toEqual({ id: 'C7' });
    expect(out?.tex).toBe("\\begin{gathered}f_i = \\sum_j w_j\\, x'_{ij} = w_{\\text{r}}\\,x'_{i,\\text{r}} + w_{\\text{f}}\\,x'_{i,\\text{f}} \\\\ = -0.4 \\cdot 0.5 + 0.6 \\cdot 0.25 = -0.05\\end{gathered}");
  });
});

describe('the lstm explainer', () => {
  const model = (artifacts: unknown) => json({ kind: 'lstm', metadata: { units: 1, features: 1 }, artifacts: JSON.parse(JSON.stringify(artifacts)) });
  const weights = { features: 1, layers: [{ inputSize: 1, units: 1, kernel: [1, 1, 1, 1], recurrentKernel: [0.5, 0.5, 0.5, 0.5], bias: [0, 0, 0, 0] }], dense: { kernel: [2], bias: [-1] } };
  const sequences = json({ x: [1, 2], n: 1, steps: 2, features: 1, ids: ['C9'], labels: [1], featureNames: ['f'], stepLabels: ['a', 'b'], meta: {} });

  it('recomputes the last gate step of the first customer from the weights (hand-checked numbers)', () => {
    const out = lstmExplainer().explain({ params: {}, inputs: { sequences }, outputs: { model: model({ weights, scaler: { method: 'none', mean: [0], std: [1], rows: 1 } }) } });
    expect(out?.note).toEqual({ key: 'formula.lstmNumbers', values: { id: 'C9' } });
    // t=1: z=1, i=f=o=0.7311, g=0.7616, c=0.5568, h=0.3696; t=2: z=2+0.5·0.3696=2.185.
    expect(out?.tex).toContain('i_T = \\sigma(2.185) = 0.8989');
    expect(out?.tex).toContain('\\tilde c_T = \\tanh(2.185) = 0.975');
    expect(out?.tex).toContain('c_T = 0.8989 \\cdot 0.5568 + 0.8989 \\cdot 0.975 = 1.377');
    expect(out?.tex).toContain('h_T = 0.8989 \\cdot \\tanh(1.377) = 0.7912');
    expect(out?.tex).toContain('\\hat y = \\sigma(w^\\top h_T + b) = \\sigma(0.5825) = 0.6416');
  });

  it('applies the log-standard scaler before the step', () => {
    // log1p(e − 1) = 1, so x = e − 1 scaled with mean 0, sd 1 gives the same first step as x = 1.
    const seq = json({ x: [Math.E - 1], n: 1, steps: 1, features: 1, ids: ['C1'], labels: [0], featureNames: ['f'], stepLabels: ['a'], meta: {} });
    const out = lstmExplainer().explain({ params: {}, inputs: { sequences: seq }, outputs: { model: model({ weights, scaler: { method: 'log-standard', mean: [0], std: [1], rows: 1 } }) } });
    expect(out?.tex).toContain('i_T = \\sigma(1) = 0.7311');
  });

  it('falls back to the symbolic equations, with the model\'s sizes, when the weights are missing', () => {
    const out = lstmExplainer().explain({ params: {}, inputs: { sequences }, outputs: { model: json({ kind: 'lstm', metadata: { units: 16, features: 5 }, artifacts: null }) } });
    expect(out?.note).toEqual({ key: 'formula.lstmSymbolic', values: {} });
    expect(out?.tex).toContain('W_\\ast \\in \\mathbb{R}^{16\\times 5}');
    expect(out?.tex).toContain('c_t = f_t \\odot c_{t-1} + i_t \\odot \\tilde c_t');
  });

  it('falls back when a preview cut the kernel short', () => {
    const cut = { ...weights, layers: [{ ...weights.layers[0], kernel: [1, 1] }] };
    expect(lstmExplainer().explain({ params: {}, inputs: { sequences }, outputs: { model: model({ weights: cut }) } })?.note?.key).toBe('formula.lstmSymbolic');
  });

  it('has no explainer for kinds without a formula', () => {
    expect(explainerFor('load')).toBeUndefined();
    expect(explainerFor('__proto__')).toBeUndefined();
  });
});

describe('tex helpers', () => {
  it('escapes every TeX special character in user text', () => {
    expect(texText('a_b {c} $d% #e&f ~g ^h \\i')).toBe('a\\_b \\{c\\} \\$d\\% \\#e\\&f \\textasciitilde{}g \\textasciicircum{}h \\textbackslash{}i');
  });

  it('prints four significant digits and scientific notation for extremes', () => {
    expect([texNumber(0.123456), texNumber(1234.56), texNumber(12345678), texNumber(0.00001234), texNumber(Number.NaN)]).toEqual(['0.1235', '1235', '1.235\\times 10^{7}', '1.234\\times 10^{-5}', '\\text{NaN}']);
  });
});

describe('the explain node\'s formula', () => {
  const explainer = explainerFor('explain')!;

  it('writes integrated gradients with the first customer\'s three largest terms and the completeness check', () => {
    const explanations = json({
      customers: { columns: ['id', 'score', 'output', 'baseline_output', 'completeness_gap'], rows: [['C7', 0.62, 0.62, 0.4, 0.001]], totalRows: 1 },
      cells: { steps: 2, features: 2, featureNames: ['visits', 'spend'], stepLabels: ['w1', 'w2'], values: [0.01, -0.02, 0.15, 0.08] },
      detail: { unit: 'probability' },
    });
    const out = explainer.explain({ params: {}, inputs: {}, outputs: { explanations } });
    expect(out?.caption).toBe('formula.attribution');
    expect(out?.values).toEqual({ id: 'C7', unit: 'probability' });
    expect(out?.tex).toContain('\\underbrace{0.15}_{\\text{visits}_{\\text{w2}}} + \\underbrace{0.08}_{\\text{spend}_{\\text{w2}}} + \\underbrace{-0.02}_{\\text{spend}_{\\text{w1}}} + \\underbrace{0.01}_{\\text{the other 1}} = 0.22');
    expect(out?.tex).toContain("f(x) - f(x') = 0.62 - 0.4 = 0.22");
  });

  it('gives no formula before the node has results', () => {
    expect(explainer.explain({ params: {}, inputs: {}, outputs: {} })).toBeNull();
  });
});
