/**
 * Normalise: scales numeric columns by min-max x' = (x − min)/(max − min), z-score
 * (x − mean)/sd or robust (x − median)/IQR (src/data/normalise.ts), and outputs the fitted
 * scaling as a transform. Connect a transform to the optional `fitted` input to apply that
 * scaling to this table instead of fitting a new one (e.g. scoring new customers with the
 * training ranges). A constant column becomes 0 with a declared warning; missing and infinite
 * cells stay missing (infinite ones with a warning); NaN is never produced.
 */
import type { ColumnTable } from 'arquero';
import { columnValues, makeTable, numberColumn, valueKind, type ColumnArray } from '../src/data/columns.ts';
import { declaredErrors } from '../src/data/issues.ts';
import { applyScaling, fitScaling, normaliseMessages, numericForScaling, readScalingParams, scalingMethods, type ScalingParams } from '../src/data/normalise.ts';
import { boolean, columns, defineNode, oneOf, optional, requireColumns, text, type JsonObject, type Transform } from './define.ts';

/** Numeric columns of a table (typed arrays or number cells), in order. */
function numericColumns(table: ColumnTable): string[] {
  return table.columnNames().filter((name) => valueKind(columnValues(table, name)) === 'number');
}

function scalingTransform(params: ScalingParams): Transform {
  const columnsJson: JsonObject = {};
  for (const [name, fit] of Object.entries(params.columns)) columnsJson[name] = { center: fit.center, scale: fit.scale, count: fit.count, stats: { ...fit.stats } };
  const count = Object.keys(params.columns).length;
  return { kind: 'normalise', label: `${params.method} on ${count} column${count === 1 ? '' : 's'}`, params: { method: params.method, suffix: params.suffix, columns: columnsJson } };
}

/** The normalise node. */
export const normalise = defineNode({
  kind: 'normalise',
  version: 1,
  label: 'Normalise',
  category: 'features',
  description: 'Scales numeric columns (min-max, z-score or robust) and outputs the fitted scaling to apply to other data.',
  inputs: { table: 'table', fitted: optional('transform', 'Fitted scaling to apply') },
  outputs: { table: 'table', transform: 'transform' },
  params: {
    columns: columns([], { numeric: true, label: 'Columns', help: 'Empty: every numeric column.' }),
    method: oneOf(scalingMethods, 'min-max', { label: 'Method', help: 'min-max: (x − min)/(max − min); z-score: (x − mean)/sd; robust: (x − median)/IQR.' }),
    suffix: text('', { label: 'Output suffix', help: 'Empty: replace the columns; e.g. "_norm": add scaled copies.', maxLength: 40 }),
    clip: boolean(false, { label: 'Clip to [0, 1]', help: 'When applying a fitted min-max scaling to new data, keep values inside [0, 1].' }),
  },
  messages: normaliseMessages,
  zh: {
    label: '归一化',
    description: '将数值列缩放到可比较的范围（最小-最大或 Z 分数）。',
    params: {
      columns: { label: '列', help: '留空：所有数值列。' },
      method: { label: '方法', help: 'min-max（最小-最大归一化）：(x − min)/(max − min)；z-score（Z 分数标准化）：(x − mean)/sd；robust（稳健缩放）：(x − median)/IQR。' },
      suffix: { label: '输出列后缀', help: '留空：替换原列；填写如 "_norm"：另外添加缩放后的副本。' },
      clip: { label: '截断到 [0, 1]', help: '将已拟合的 min-max 缩放应用于新数据时，把值限制在 [0, 1] 以内。' },
    },
    messages: {
      notNumeric: '参数 {param} 中的列 {column} 必须是数值；它含有 {example} 这样的值。',
      constantColumn: '列 {column} 为常量；已缩放为 0。',
      noValues: '列 {column} 没有可用于拟合的值；保持缺失。',
      nonFinite: '列 {column}：{count} 个无穷值按缺失值处理。',
      noColumns: '没有可缩放的数值列；表格原样通过。',
      badTransform: '连接到输入 "fitted" 的变换不是已拟合的缩放（{reason}）。',
      transformColumnMissing: '已拟合的缩放指定了列 {column}，但此表没有该列。',
    },
  },
  async run({ table, fitted }, params, ctx) {
    return declaredErrors(ctx, normaliseMessages, () => {
      let scaling: ScalingParams;
      if (fitted) {
        scaling = readScalingParams(fitted.kind, fitted.params);
        for (const name of Object.keys(scaling.columns)) if (!table.columnNames().includes(name)) ctx.fail('transformColumnMissing', { column: name }, 'fitted');
      } else {
        requireColumns(table, params.columns, 'columns');
        const chosen = params.columns.length > 0 ? params.columns : numericColumns(table);
        if (chosen.length === 0) ctx.warn('noColumns');
        scaling = { method: params.method, suffix: params.suffix, columns: {} };
        for (const name of chosen) {
          const { values } = numericForScaling(columnValues(table, name), name, 'columns');
          const fit = fitScaling(values, params.method);
          if (fit === null) {
            ctx.warn('noValues', { column: name });
            continue;
          }
          if (fit.scale === 0) ctx.warn('constantColumn', { column: name });
          scaling.columns[name] = fit;
        }
      }
      const replaced = new Map<string, ColumnArray>();
      const added: [string, ColumnArray][] = [];
      for (const [name, fit] of Object.entries(scaling.columns)) {
        ctx.checkCancelled();
        const { values, nonFinite } = numericForScaling(columnValues(table, name), name, fitted ? 'fitted' : 'columns');
        if (nonFinite > 0) ctx.warn('nonFinite', { column: name, count: nonFinite });
        const out = numberColumn(applyScaling(values, fit, params.clip));
        if (scaling.suffix === '') replaced.set(name, out);
        else added.push([`${name}${scaling.suffix}`, out]);
      }
      // Columns chosen but without any value stay as they are (all missing), as warned.
      const names = table.columnNames();
      const addedNames = added.map(([n]) => n).filter((n) => !names.includes(n));
      const outNames = [...names, ...addedNames];
      const addedMap = new Map(added);
      const out = makeTable(
        outNames,
        outNames.map((n) => addedMap.get(n) ?? replaced.get(n) ?? columnValues(table, n)),
      );
      return { table: out, transform: fitted ?? scalingTransform(scaling) };
    });
  },
  summary: (out) => out.transform.label,
});
