/**
 * Clean: drops exact duplicate rows, trims text, reads malformed numbers ("1,234.50"), keeps
 * rows matching structured conditions (column, operator, value — never code), treats missing
 * values per column (keep, drop the row, impute mean, median, mode or a constant) and clips or
 * drops IQR outliers, in that documented order (src/data/clean.ts). Outputs the clean table
 * and a report table with one row per rule and column: rule, column, rows_affected, detail.
 */
import { cleanMessages, cleanTable, lostIds, missingStrategies, outlierTreatments } from '../src/data/clean.ts';
import { columnValues, makeTable } from '../src/data/columns.ts';
import { declaredErrors, emitNotes } from '../src/data/issues.ts';
import { boolean, column, columnChoices, columns, conditions, defineNode, number, oneOf, requireColumns, text } from './define.ts';

/** The clean node. */
export const clean = defineNode({
  kind: 'clean',
  version: 1,
  label: 'Clean',
  category: 'data',
  description: 'Drops duplicates, trims text, fixes malformed numbers, filters rows by conditions, treats missing values and outliers; reports every change.',
  inputs: { table: 'table' },
  outputs: { table: 'table', report: 'table' },
  params: {
    dropDuplicates: boolean(true, { label: 'Drop exact duplicate rows' }),
    trim: boolean(true, { label: 'Trim whitespace', help: 'Text cells lose surrounding spaces; cells left empty become missing.' }),
    parseNumbers: columns([], { label: 'Read as numbers', help: 'Text columns holding malformed numbers such as "1,234.50" or "$12"; unreadable cells become missing.', group: 'Numbers' }),
    parseNumbersAuto: boolean(true, { label: 'Also convert any text column whose cells all read as numbers', group: 'Numbers' }),
    conditions: conditions([], { label: 'Keep rows where', help: 'Every condition must hold, e.g. Quantity > 0, InvoiceNo not-starts-with C.', group: 'Rows' }),
    missing: columnChoices(missingStrategies, {}, { label: 'Missing values', help: 'Per column: keep, drop the row, or impute mean, median, mode or a constant.', group: 'Missing values' }),
    missingConstant: text('', { label: 'Constant', help: 'Used by the "constant" strategy, read as the column’s type.', group: 'Missing values', maxLength: 200 }),
    outliers: oneOf(outlierTreatments, 'keep', { label: 'IQR outliers', help: 'Values beyond Q1 − k·IQR or Q3 + k·IQR.', group: 'Outliers' }),
    outlierColumns: columns([], { numeric: true, label: 'Outlier columns', group: 'Outliers', showIf: { outliers: ['clip', 'drop'] } }),
    iqrFactor: number(1.5, { label: 'k', min: 0, max: 100, step: 0.1, group: 'Outliers', showIf: { outliers: ['clip', 'drop'] } }),
    idColumn: column('', { optional: true, label: 'Customer id', help: 'When set, a warning counts the customers whose every row was dropped.' }),
  },
  messages: cleanMessages,
  async run({ table }, params, ctx) {
    return declaredErrors(ctx, cleanMessages, () => {
      requireColumns(table, params.parseNumbers, 'parseNumbers');
      requireColumns(table, Object.keys(params.missing), 'missing');
      requireColumns(table, params.conditions.map((c) => c.column), 'conditions');
      if (params.outliers !== 'keep') requireColumns(table, params.outlierColumns, 'outlierColumns');
      if (params.idColumn !== '') requireColumns(table, [params.idColumn], 'idColumn');
      ctx.progress(0, 'cleaning');
      const result = cleanTable(table, params, () => ctx.checkCancelled());
      emitNotes(ctx, result.notes);
      if (params.idColumn !== '') {
        const lost = lostIds(columnValues(table, params.idColumn), columnValues(result.table, params.idColumn));
        if (lost.lost > 0) ctx.warn('customersLost', { count: lost.lost, total: lost.total, column: params.idColumn, example: lost.example });
      }
      const report = makeTable(
        ['rule', 'column', 'rows_affected', 'detail'],
        [result.report.map((r) => r.rule), result.report.map((r) => r.column), result.report.map((r) => r.rows_affected), result.report.map((r) => r.detail)],
      );
      return { table: result.table, report };
    });
  },
  summary: (out) => `${out.table.numRows().toLocaleString('en')} rows · ${out.report.numRows()} report lines`,
});
