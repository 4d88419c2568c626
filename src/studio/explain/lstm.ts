/**
 * The LSTM node's formula: one step of the gates. The model preview is capped and its weight
 * layout belongs to the kernel, so the gates are shown symbolically with the model's own
 * sizes (units, features, steps) — and the note says that the numbers are not shown.
 */
import type { Explainer } from './types.ts';
import { asNumber, asRecord, jsonOf } from './tex.ts';

/** Explainer of the `lstm` node kind. */
export const lstmExplainer: Explainer = {
  inputs: [],
  outputs: ['model'],
  explain({ params, outputs }) {
    const model = asRecord(jsonOf(outputs.model));
    const meta = asRecord(model?.metadata);
    const units = asNumber(meta?.units) ?? asNumber(params.units);
    const features = asNumber(meta?.features) ?? (Array.isArray(meta?.featureNames) ? meta.featureNames.length : undefined);
    const sizes = units !== undefined && features !== undefined ? `\\quad W_\\ast \\in \\mathbb{R}^{${units}\\times ${features}},\\; U_\\ast \\in \\mathbb{R}^{${units}\\times ${units}}` : '';
    const tex = [
      `i_t = \\sigma(W_i x_t + U_i h_{t-1} + b_i)${sizes}`,
      `f_t = \\sigma(W_f x_t + U_f h_{t-1} + b_f)`,
      `o_t = \\sigma(W_o x_t + U_o h_{t-1} + b_o)`,
      `\\tilde c_t = \\tanh(W_c x_t + U_c h_{t-1} + b_c)`,
      `c_t = f_t \\odot c_{t-1} + i_t \\odot \\tilde c_t, \\qquad h_t = o_t \\odot \\tanh(c_t)`,
      `\\hat y = \\sigma(w^\\top h_T + b)`,
    ].join(' \\\\ ');
    return { caption: 'formula.lstm', values: {}, tex: `\\begin{gathered}${tex}\\end{gathered}`, note: { key: 'formula.lstmSymbolic', values: {} } };
  },
};
