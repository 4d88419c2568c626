/**
 * The weight node's formula for one customer: `f_i = Σ_j w_j x'_ij`, with the weights (from
 * the fitted transform, else the params) and the customer's scaled features from the input.
 */
import type { JsonValue } from '../../engine/ports.ts';
import type { Explainer } from './types.ts';
import { asNumber, asRecord, cell, jsonOf, rowId, tableOf, texNumber, texTerm, texText } from './tex.ts';

/** Weights by column from a record `{col: w}` or parallel arrays `{columns, weights}`. */
function readWeights(source: { [key: string]: JsonValue } | undefined): [string, number][] {
  if (!source) return [];
  const record = asRecord(source.weights);
  if (record) {
    const out: [string, number][] = [];
    for (const [name, value] of Object.entries(record)) {
      const w = asNumber(value);
      if (w !== undefined) out.push([name, w]);
    }
    return out;
  }
  const names = source.columns;
  const values = source.weights;
  if (Array.isArray(names) && Array.isArray(values) && names.length === values.length) {
    const out: [string, number][] = [];
    names.forEach((name, i) => {
      const w = asNumber(values[i]);
      if (typeof name === 'string' && w !== undefined) out.push([name, w]);
    });
    return out;
  }
  return [];
}

/** Score column names to look for in the output, best first. */
const scoreColumns = ['score', 'f', 'weighted_score', 'composite'];

/** Explainer of the `weight` node kind. */
export const weightExplainer: Explainer = {
  inputs: ['table'],
  outputs: ['table', 'transform'],
  explain({ params, inputs, outputs }) {
    const before = tableOf(inputs.table);
    if (!before) return null;
    const transform = asRecord(jsonOf(outputs.transform));
    let weights = readWeights(asRecord(transform?.params));
    if (weights.length === 0) weights = readWeights(params);
    const terms: { name: string; w: number; x: number }[] = [];
    for (const [name, w] of weights) {
      const x = asNumber(cell(before, 0, name));
      if (x !== undefined) terms.push({ name, w, x });
    }
    if (terms.length === 0) return null;
    const total = terms.reduce((sum, t) => sum + t.w * t.x, 0);
    const after = tableOf(outputs.table);
    const outputName = typeof params.output === 'string' ? params.output : undefined;
    let reported: number | undefined;
    for (const name of [...(outputName ? [outputName] : []), ...scoreColumns]) {
      reported = after ? asNumber(cell(after, 0, name)) : undefined;
      if (reported !== undefined) break;
    }
    const shown = terms.slice(0, 6);
    const symbolic = shown.map((t) => `w_{\\text{${texText(t.name)}}}\\,x'_{i,\\text{${texText(t.name)}}}`).join(' + ');
    const numeric = shown.map((t) => `${texNumber(t.w)} \\cdot ${texTerm(t.x)}`).join(' + ');
    const more = terms.length > shown.length ? ' + \\cdots' : '';
    const result = reported ?? total;
    const tex = `f_i = \\sum_j w_j\\, x'_{ij} = ${symbolic}${more} \\\\ = ${numeric}${more} = ${texNumber(result)}`;
    return { caption: 'formula.weight', values: { id: rowId(before, 0) }, tex: `\\begin{gathered}${tex}\\end{gathered}` };
  },
};
