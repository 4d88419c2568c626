/**
 * The normalise node's formula for one customer: min-max `x' = (x − min) / (max − min)` or
 * z-score `x' = (x − μ) / σ`, with the fitted numbers from the transform output and x, x'
 * from the first row of the input and output tables.
 */
import type { Explainer } from './types.ts';
import { asNumber, asRecord, cell, columnStat, jsonOf, rowId, tableOf, texNumber, texTerm, texText, transformColumns } from './tex.ts';

/** Explainer of the `normalise` node kind. */
export const normaliseExplainer: Explainer = {
  inputs: ['table'],
  outputs: ['table', 'transform'],
  explain({ params, inputs, outputs }) {
    const before = tableOf(inputs.table);
    const after = tableOf(outputs.table);
    const transform = asRecord(jsonOf(outputs.transform));
    const fitted = asRecord(transform?.params);
    if (!before || !after || !fitted) return null;
    const methodValue = fitted.method ?? params.method;
    const method = methodValue === 'z-score' ? 'z-score' : 'min-max';
    const columns = transformColumns(fitted);
    // Show the first fitted column whose input and output cells are numbers for row 0.
    for (const column of columns) {
      const x = asNumber(cell(before, 0, column));
      const scaled = asNumber(cell(after, 0, column));
      if (x === undefined || scaled === undefined) continue;
      const name = `\\text{${texText(column)}}`;
      const id = rowId(before, 0);
      if (method === 'min-max') {
        const min = columnStat(fitted, column, 'min');
        const max = columnStat(fitted, column, 'max');
        if (min === undefined || max === undefined) continue;
        const tex = [
          `x'_{${name}} = \\frac{x - \\min}{\\max - \\min}`,
          `= \\frac{${texNumber(x)} - ${texTerm(min)}}{${texNumber(max)} - ${texTerm(min)}}`,
          `= ${texNumber(scaled)}`,
        ].join(' ');
        return { caption: 'formula.minmax', values: { column, id }, tex };
      }
      const mean = columnStat(fitted, column, 'mean');
      const std = columnStat(fitted, column, 'std') ?? columnStat(fitted, column, 'sd');
      if (mean === undefined || std === undefined) continue;
      const tex = `x'_{${name}} = \\frac{x - \\mu}{\\sigma} = \\frac{${texNumber(x)} - ${texTerm(mean)}}{${texNumber(std)}} = ${texNumber(scaled)}`;
      return { caption: 'formula.zscore', values: { column, id }, tex };
    }
    return null;
  },
};
