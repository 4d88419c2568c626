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
  zh: {
    label: '清洗',
    description: '处理缺失值、重复行与异常值，并按条件筛选行。',
    params: {
      dropDuplicates: { label: '删除完全重复的行' },
      trim: { label: '去除首尾空白', help: '删除文本单元格首尾的空格；去除后为空的单元格变为缺失值。' },
      parseNumbers: { label: '按数值读取', help: '含有格式不规范数字（如 "1,234.50" 或 "$12"）的文本列；无法读取的单元格变为缺失值。' },
      parseNumbersAuto: { label: '同时转换所有单元格都能读作数值的文本列' },
      conditions: { label: '保留满足条件的行', help: '须同时满足所有条件，例如 Quantity > 0、InvoiceNo not-starts-with C。' },
      missing: { label: '缺失值', help: '逐列选择：keep（保留）、drop-row（删除该行），或用 mean（均值）、median（中位数）、mode（众数）、constant（常数）填补。' },
      missingConstant: { label: '填补常数', help: '供 "constant" 策略使用，按该列的类型读取。' },
      outliers: { label: 'IQR 异常值', help: '小于 Q1 − k·IQR 或大于 Q3 + k·IQR 的值。' },
      outlierColumns: { label: '检测异常值的列' },
      iqrFactor: { label: 'k（IQR 倍数）' },
      idColumn: { label: '客户编号', help: '设置后，警告会统计所有行都被删除的客户数。' },
    },
    groups: { Numbers: '数值', Rows: '行筛选', 'Missing values': '缺失值', Outliers: '异常值' },
    messages: {
      conditionNeedsValue: '条件 {index}（列 {column}）使用运算符 {op}，需要填写一个用于比较的值。',
      conditionNotNumber: '条件 {index}：列 {column} 为数值，因此用 {op} 比较的值必须是数字；实际为 {value}。',
      conditionNotDate: '条件 {index}：列 {column} 为日期，因此用 {op} 比较的值必须是日期，例如 2011-12-09；实际为 {value}。',
      conditionNotBoolean: '条件 {index}：列 {column} 为 true/false，因此比较值必须是 true 或 false；实际为 {value}。',
      conditionOperator: '条件 {index}：运算符 {op} 不适用于 true/false 列 {column}；请使用 == 或 !=。',
      notNumeric: '参数 {param} 中的列 {column} 必须是数值；它含有 {kind} 类型的值，例如 {example}。',
      badConstant: '参数 "missingConstant" 为 {value}，无法填补 {type} 类型的列 {column}。',
      unknownColumn: '参数 {param} 中指定的列 {column} 不在表中。',
      noValuesToImpute: '列 {column} 已没有任何值，无法计算其 {strategy}；其中 {count} 个缺失单元格保持缺失。',
      unparseable: '列 {column}：{count} 个单元格（如 {example}）不是数字，已变为缺失值。',
      infinite: '列 {column}：{count} 个无穷值已变为缺失值。',
      everyRowRemoved: '清洗删除了全部 {rows} 行；输出表为空。',
      customersLost: '列 {column} 的 {total} 位客户中有 {count} 位在清洗中失去了全部行（例如 {example}）；后续结果中没有他们。',
    },
  },
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
