/**
 * The normalise node's formula for one customer: min-max `x' = (x − min) / (max − min)`,
 * z-score `x' = (x − μ) / σ` or robust `x' = (x − median) / IQR`, with the fitted numbers from
 * the transform output and x, x' from the first row of the input and output tables.
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
    const suffix = typeof fitted.suffix === 'string' ? fitted.suffix : '';
    const id = rowId(before, 0);
    // Show the first fitted column whose input and output cells are numbers for row 0.
    for (const column of transformColumns(fitted)) {
      const x = asNumber(cell(before, 0, column));
      const scaled = asNumber(cell(after, 0, `${column}${suffix}`));
      if (x === undefined || scaled === undefined) continue;
      const name = `\\text{${texText(column)}}`;
      const center = columnStat(fitted, column, 'center');
      const scale = columnStat(fitted, column, 'scale');
      if (methodValue === 'z-score') {
        const mean = columnStat(fitted, column, 'mean') ?? center;
        const sd = columnStat(fitted, column, 'sd') ?? columnStat(fitted, column, 'std') ?? scale;
        if (mean === undefined || sd === undefined) continue;
        const tex = `x'_{${name}} = \\frac{x - \\mu}{\\sigma} = \\frac{${texNumber(x)} - ${texTerm(mean)}}{${texNumber(sd)}} = ${texNumber(scaled)}`;
        return { caption: 'formula.zscore', values: { column, id }, tex };
      }
      if (methodValue === 'robust') {
        const median = columnStat(fitted, column, 'median') ?? center;
        if (median === undefined || scale === undefined) continue;
        const tex = `x'_{${name}} = \\frac{x - \\operatorname{median}}{\\mathrm{IQR}} = \\frac{${texNumber(x)} - ${texTerm(median)}}{${texNumber(scale)}} = ${texNumber(scaled)}`;
        return { caption: 'formula.robust', values: { column, id }, tex };
      }
      const min = columnStat(fitted, column, 'min') ?? center;
      const max = columnStat(fitted, column, 'max') ?? (center !== undefined && scale !== undefined ? center + scale : undefined);
      if (min === undefined || max === undefined) continue;
      const tex = [
        `x'_{${name}} = \\frac{x - \\min}{\\max - \\min}`,
        `= \\frac{${texNumber(x)} - ${texTerm(min)}}{${texNumber(max)} - ${texTerm(min)}}`,
        `= ${texNumber(scaled)}`,
      ].join(' ');
      return { caption: 'formula.minmax', values: { column, id }, tex };
    }
    return null;
  },
};
