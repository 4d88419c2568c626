/**
 * The LSTM node's formula: the gate equations, and — when the model preview carries the
 * weights (artifacts.weights in tf.layers layout, gate order i, f, c, o; sigmoid gates) and
 * the input sequences — one gate step with numbers: unit 1 of the last layer at the last step
 * of the first customer, recomputed here from the weights and that customer's scaled inputs,
 * and the model's output ŷ. Without weights the equations are shown symbolically and the note
 * says so.
 */
import type { JsonValue } from '../../engine/ports.ts';
import type { Explainer, Explanation } from './types.ts';
import { asNumber, asRecord, jsonOf, texNumber, texTerm, texText } from './tex.ts';

/** A list of finite numbers, or undefined. */
function numbers(value: JsonValue | undefined): number[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: number[] = [];
  for (const v of value) {
    if (typeof v !== 'number' || !Number.isFinite(v)) return undefined;
    out.push(v);
  }
  return out;
}

interface Layer {
  inputSize: number;
  units: number;
  kernel: number[];
  recurrent: number[];
  bias: number[];
}

function readLayers(weights: { [key: string]: JsonValue } | undefined): Layer[] | undefined {
  if (!weights || !Array.isArray(weights.layers)) return undefined;
  const layers: Layer[] = [];
  for (const raw of weights.layers) {
    const l = asRecord(raw);
    const inputSize = asNumber(l?.inputSize);
    const units = asNumber(l?.units);
    const kernel = numbers(l?.kernel);
    const recurrent = numbers(l?.recurrentKernel);
    const bias = numbers(l?.bias);
    if (inputSize === undefined || units === undefined || !kernel || !recurrent || !bias) return undefined;
    // The preview caps long arrays; a cut kernel cannot be used.
    if (kernel.length !== inputSize * 4 * units || recurrent.length !== units * 4 * units || bias.length !== 4 * units) return undefined;
    layers.push({ inputSize, units, kernel, recurrent, bias });
  }
  return layers.length > 0 ? layers : undefined;
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** One step's numbers for unit 0 of a layer. */
interface Step {
  zi: number; zf: number; zc: number; zo: number;
  i: number; f: number; g: number; o: number;
  cPrev: number; c: number; h: number;
}

/** Runs the stacked LSTM over one sequence [steps, inputSize]; returns the last layer's last step for unit 0 and h_T. */
function forward(layers: Layer[], xs: number[][]): { step: Step; last: number[] } | undefined {
  let inputs = xs;
  let step: Step | undefined;
  for (const layer of layers) {
    const H = layer.units;
    let h = new Array<number>(H).fill(0);
    let c = new Array<number>(H).fill(0);
    const outputs: number[][] = [];
    for (const x of inputs) {
      const z = layer.bias.slice();
      for (let d = 0; d < layer.inputSize; d++) for (let k = 0; k < 4 * H; k++) z[k] = (z[k] ?? 0) + (x[d] ?? 0) * (layer.kernel[d * 4 * H + k] ?? 0);
      for (let r = 0; r < H; r++) for (let k = 0; k < 4 * H; k++) z[k] = (z[k] ?? 0) + (h[r] ?? 0) * (layer.recurrent[r * 4 * H + k] ?? 0);
      const nextC: number[] = [];
      const nextH: number[] = [];
      for (let j = 0; j < H; j++) {
        const zi = z[j] ?? 0, zf = z[H + j] ?? 0, zc = z[2 * H + j] ?? 0, zo = z[3 * H + j] ?? 0;
        const i = sigmoid(zi), f = sigmoid(zf), g = Math.tanh(zc), o = sigmoid(zo);
        const cj = f * (c[j] ?? 0) + i * g;
        const hj = o * Math.tanh(cj);
        if (j === 0) step = { zi, zf, zc, zo, i, f, g, o, cPrev: c[j] ?? 0, c: cj, h: hj };
        nextC.push(cj);
        nextH.push(hj);
      }
      c = nextC;
      h = nextH;
      outputs.push(h);
    }
    inputs = outputs;
  }
  const last = inputs[inputs.length - 1];
  return step && last ? { step, last } : undefined;
}

/** The first customer's sequence, scaled as the model's scaler says. */
function firstSequence(seq: { [key: string]: JsonValue }, scaler: { [key: string]: JsonValue } | undefined): number[][] | undefined {
  const steps = asNumber(seq.steps);
  const features = asNumber(seq.features);
  const x = numbers(seq.x);
  if (steps === undefined || features === undefined || !x || x.length < steps * features) return undefined;
  const method = scaler?.method;
  const mean = numbers(scaler?.mean) ?? new Array<number>(features).fill(0);
  const std = numbers(scaler?.std) ?? new Array<number>(features).fill(1);
  const g = (v: number): number => (method === 'log-standard' ? Math.sign(v) * Math.log1p(Math.abs(v)) : v);
  const out: number[][] = [];
  for (let t = 0; t < steps; t++) out.push(Array.from({ length: features }, (_, j) => (g(x[t * features + j] ?? 0) - (mean[j] ?? 0)) / (std[j] || 1)));
  return out;
}

const equations = [
  'i_t = \\sigma(W_i x_t + U_i h_{t-1} + b_i)',
  'f_t = \\sigma(W_f x_t + U_f h_{t-1} + b_f)',
  'o_t = \\sigma(W_o x_t + U_o h_{t-1} + b_o)',
  '\\tilde c_t = \\tanh(W_c x_t + U_c h_{t-1} + b_c)',
  'c_t = f_t \\odot c_{t-1} + i_t \\odot \\tilde c_t, \\qquad h_t = o_t \\odot \\tanh(c_t)',
  '\\hat y = \\sigma(w^\\top h_T + b)',
];

/** Explainer of the `lstm` node kind. */
export const lstmExplainer: Explainer = {
  inputs: ['sequences'],
  outputs: ['model'],
  explain({ params, inputs, outputs }): Explanation | null {
    const model = asRecord(jsonOf(outputs.model));
    const meta = asRecord(model?.metadata);
    const artifacts = asRecord(model?.artifacts);
    const units = asNumber(meta?.units) ?? asNumber(params.units);
    const featureCount = asNumber(meta?.features) ?? (Array.isArray(meta?.featureNames) ? meta.featureNames.length : undefined);
    const sizes = units !== undefined && featureCount !== undefined ? `\\quad W_\\ast \\in \\mathbb{R}^{${units}\\times ${featureCount}},\\; U_\\ast \\in \\mathbb{R}^{${units}\\times ${units}}` : '';
    const symbolic = `\\begin{gathered}${[`${equations[0]}${sizes}`, ...equations.slice(1)].join(' \\\\ ')}\\end{gathered}`;
    const fallback: Explanation = { caption: 'formula.lstm', values: {}, tex: symbolic, note: { key: 'formula.lstmSymbolic', values: {} } };

    const weights = asRecord(artifacts?.weights);
    const layers = readLayers(weights);
    const dense = asRecord(weights?.dense);
    const denseKernel = numbers(dense?.kernel);
    const denseBias = numbers(dense?.bias);
    const seq = asRecord(jsonOf(inputs.sequences));
    const xs = seq ? firstSequence(seq, asRecord(artifacts?.scaler)) : undefined;
    const lastLayer = layers?.[layers.length - 1];
    if (!layers || !lastLayer || !xs || xs.length === 0 || (xs[0]?.length ?? 0) !== layers[0]?.inputSize || !denseKernel || denseKernel.length !== lastLayer.units || !denseBias) return fallback;
    const run = forward(layers, xs);
    if (!run) return fallback;
    const { step: s, last } = run;
    const logit = last.reduce((sum, h, j) => sum + h * (denseKernel[j] ?? 0), denseBias[0] ?? 0);
    const id = Array.isArray(seq?.ids) && typeof seq.ids[0] === 'string' ? seq.ids[0] : '#1';
    const T = xs.length;
    const n = texNumber;
    const numeric = [
      `\\text{customer } \\text{${texText(id)}},\\; t = T = ${T},\\; \\text{unit } 1`,
      `i_T = \\sigma(${n(s.zi)}) = ${n(s.i)},\\quad f_T = \\sigma(${n(s.zf)}) = ${n(s.f)}`,
      `\\tilde c_T = \\tanh(${n(s.zc)}) = ${n(s.g)},\\quad o_T = \\sigma(${n(s.zo)}) = ${n(s.o)}`,
      `c_T = ${n(s.f)} \\cdot ${texTerm(s.cPrev)} + ${n(s.i)} \\cdot ${texTerm(s.g)} = ${n(s.c)}, \\qquad h_T = ${n(s.o)} \\cdot \\tanh(${n(s.c)}) = ${n(s.h)}`,
      `\\hat y = \\sigma(w^\\top h_T + b) = \\sigma(${n(logit)}) = ${n(sigmoid(logit))}`,
    ];
    return {
      caption: 'formula.lstm',
      values: {},
      tex: `\\begin{gathered}${[...equations.slice(0, 5), ...numeric].join(' \\\\ ')}\\end{gathered}`,
      note: { key: 'formula.lstmNumbers', values: { id } },
    };
  },
};
