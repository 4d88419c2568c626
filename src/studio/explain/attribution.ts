/**
 * The explain node's formula for its first customer: integrated gradients
 *   IG_{t,d}(x) = (x_{t,d} − x′_{t,d}) · ∫₀¹ ∂f(x′ + α(x − x′))/∂x_{t,d} dα
 * (or the tabular attributions, which obey the same sum), with the customer's three largest
 * terms and the completeness check Σ IG = f(x) − f(x′) on this run's numbers.
 */
import type { JsonValue } from '../../engine/ports.ts';
import type { Explainer } from './types.ts';
import { asNumber, asRecord, jsonOf, texNumber, texText } from './tex.ts';

/** The first row of a `{columns, rows}` table as a record. */
function firstRow(value: JsonValue | undefined): Record<string, JsonValue> | undefined {
  const t = asRecord(value);
  const columns = t?.columns;
  const rows = t?.rows;
  if (!Array.isArray(columns) || !Array.isArray(rows) || !Array.isArray(rows[0])) return undefined;
  const row = rows[0];
  return Object.fromEntries(columns.map((c, i) => [String(c), row[i] ?? null]));
}

/** Explainer of the `explain` node kind. */
export const attributionExplainer: Explainer = {
  inputs: [],
  outputs: ['explanations'],
  explain({ outputs }) {
    const ex = asRecord(jsonOf(outputs.explanations));
    const row = firstRow(ex?.customers);
    const cells = asRecord(ex?.cells);
    const unit = String(asRecord(ex?.detail)?.unit ?? 'probability');
    const output = asNumber(row?.output);
    const baseline = asNumber(row?.baseline_output);
    const values = Array.isArray(cells?.values) ? cells.values.map((v) => asNumber(v) ?? 0) : [];
    const steps = asNumber(cells?.steps) ?? 0;
    const features = asNumber(cells?.features) ?? 0;
    if (!row || output === undefined || baseline === undefined || steps * features === 0 || values.length < steps * features) return null;
    const names = Array.isArray(cells?.featureNames) ? cells.featureNames.map(String) : [];
    const periods = Array.isArray(cells?.stepLabels) ? cells.stepLabels.map(String) : [];
    const terms = values.slice(0, steps * features).map((v, j) => ({ v, t: Math.floor(j / features), d: j % features }));
    const total = terms.reduce((s, x) => s + x.v, 0);
    const top = [...terms].sort((a, b) => Math.abs(b.v) - Math.abs(a.v)).slice(0, 3);
    const label = (x: { t: number; d: number }): string => `\\text{${texText(names[x.d] ?? String(x.d + 1))}}${steps > 1 ? `_{\\text{${texText(periods[x.t] ?? String(x.t + 1))}}}` : ''}`;
    const rest = total - top.reduce((s, x) => s + x.v, 0);
    const sum = [...top.map((x) => `\\underbrace{${texNumber(x.v)}}_{${label(x)}}`), `\\underbrace{${texNumber(rest)}}_{\\text{the other ${steps * features - top.length}}}`].join(' + ');
    const tex = [
      unit === 'probability'
        ? "\\mathrm{IG}_{t,d}(x) = (x_{t,d} - x'_{t,d}) \\int_0^1 \\frac{\\partial f(x' + \\alpha (x - x'))}{\\partial x_{t,d}}\\, d\\alpha"
        : "\\phi_d(x) = \\sum_{S \\subseteq F \\setminus \\{d\\}} \\frac{|S|!\\,(|F| - |S| - 1)!}{|F|!} \\big(f_{S \\cup \\{d\\}}(x) - f_S(x)\\big)",
      `\\sum ${unit === 'probability' ? '\\mathrm{IG}' : '\\phi'} = ${sum} = ${texNumber(total)}`,
      `f(x) - f(x') = ${texNumber(output)} - ${texNumber(baseline)} = ${texNumber(output - baseline)}`,
    ].join(' \\\\[6pt] ');
    return { caption: 'formula.attribution', values: { id: String(row.id ?? ''), unit }, tex };
  },
};
