/**
 * Load: reads a file into a typed table — CSV/TSV (delimiter sniffed), JSON (array of records),
 * NDJSON, Parquet or Arrow; UTF-8 (with or without BOM), GB18030/GBK or Windows-1252 — from the
 * file bound to the node (a drop or pick in the studio, `--input` in the CLI), a bundled
 * sample, or a URL. Every column's type is inferred from all its cells (integer, number, date,
 * boolean, text) and can be overridden in `types`. The `stats` output has one row per column
 * (type, count, missing, distinct, min, max, mean, top values), computed once for previews.
 * A file over `maxMegabytes` is refused with a message before it is decoded.
 */
import { columnStats, defaultTopCount, statsTable } from '../src/data/stats.ts';
import { declaredErrors, emitNotes } from '../src/data/issues.ts';
import { formatChoices, readMessages, readTable, type FormatChoice } from '../src/data/read.ts';
import { oneStringOver } from '../src/data/text-limit.ts';
import { delimiterChoices } from '../src/data/csv.ts';
import { encodingChoices, type EncodingChoice } from '../src/data/encoding.ts';
import { columnTypes } from '../src/data/infer.ts';
import { applyNumberDates, DEFAULT_DAY_ZERO, numberDateForms, numberDateMessages } from '../src/data/number-dates.ts';
import { InsightError } from '../src/engine/errors.ts';
import { boolean, columnChoices, date, defineNode, error, number, oneOf, text, type NodeContext, type SourceFile } from './define.ts';

const sources = ['file', 'sample', 'url'] as const;

const messages = {
  ...readMessages,
  ...numberDateMessages,
  noFile: error('No file is bound to node {node}; drop or pick a file, or set parameter "source" to a bundled sample or a URL.'),
  emptyUrl: error('Parameter "url" is empty; enter the address of a CSV, JSON, Parquet or Arrow file.'),
  emptySample: error('Parameter "sample" is empty; name a bundled sample such as customer-insight/transactions.csv.'),
  fetchFailed: error('Fetching {url} failed: {reason}'),
};

/**
 * Refuses a bound file on its size alone, before a byte is read: over the cap, or text that
 * must be one string (JSON, GB18030 delimited text) over the string limit. Delimited UTF-8 and
 * Windows-1252 text, NDJSON and baskets are read from their bytes and have no such limit.
 */
function checkBoundSize(info: { name: string; size: number }, maxMegabytes: number, format: FormatChoice, encoding: EncodingChoice, ctx: NodeContext): void {
  const megabytes = Math.round((info.size / 1048576) * 10) / 10;
  if (info.size > maxMegabytes * 1048576) ctx.fail('tooLarge', { name: info.name, megabytes, limit: maxMegabytes }, 'maxMegabytes');
  const over = oneStringOver(info.name, info.size, format, encoding);
  if (over !== null) ctx.fail('textTooLarge', { name: info.name, ...over }, 'maxMegabytes');
}

async function sourceFile(source: (typeof sources)[number], sample: string, url: string, maxMegabytes: number, format: FormatChoice, encoding: EncodingChoice, ctx: NodeContext): Promise<SourceFile> {
  switch (source) {
    case 'file': {
      const info = ctx.host.boundFileInfo?.(ctx.nodeId);
      if (info !== undefined) checkBoundSize(info, maxMegabytes, format, encoding, ctx);
      const file = await ctx.host.boundFile(ctx.nodeId);
      if (!file) return ctx.fail('noFile', { node: ctx.nodeId }, 'source');
      return file;
    }
    case 'sample':
      if (sample.trim() === '') return ctx.fail('emptySample', {}, 'sample');
      return ctx.host.sample(sample.trim());
    case 'url':
      if (url.trim() === '') return ctx.fail('emptyUrl', {}, 'url');
      try {
        return await ctx.host.fetchUrl(url.trim(), ctx.signal);
      } catch (err) {
        if (err instanceof InsightError || ctx.signal.aborted) throw err;
        return ctx.fail('fetchFailed', { url: url.trim(), reason: err instanceof Error ? err.message : String(err) }, 'url');
      }
    default: {
      const never: never = source;
      return never;
    }
  }
}

/** The load node. */
export const load = defineNode({
  kind: 'load',
  version: 1,
  label: 'Load',
  category: 'data',
  description: 'Reads a CSV, TSV, JSON, NDJSON, Parquet or Arrow file into a typed table with column statistics.',
  inputs: {},
  outputs: { table: 'table', stats: 'table' },
  readsFile: true,
  params: {
    source: oneOf(sources, 'file', { label: 'Source', help: 'A file you drop or pick, a bundled sample, or a URL (fetched by your browser).' }),
    sample: text('customer-insight/transactions.csv', { label: 'Sample', help: 'Path of a bundled sample under sample-data/.', showIf: { source: ['sample'] } }),
    url: text('', { label: 'URL', help: 'Address of the file (http or https); the server must allow cross-origin reads, and the studio asks you before fetching from another site.', showIf: { source: ['url'] }, url: true }),
    format: oneOf(formatChoices, 'auto', { label: 'Format', help: 'Detected from the file’s first bytes and name when auto. baskets: one basket a line, items separated by the delimiter, no header; read as basket/item rows.', group: 'Reading' }),
    delimiter: oneOf(delimiterChoices, 'auto', { label: 'Delimiter', help: 'Sniffed from the first lines when auto (comma, semicolon, tab, pipe, or whitespace: runs of spaces or tabs, as in a fixed-width log).', group: 'Reading', showIf: { format: ['auto', 'csv', 'tsv', 'baskets'] } }),
    encoding: oneOf(encodingChoices, 'auto', { label: 'Text encoding', help: 'Auto: UTF-8 (with or without BOM); files that are not UTF-8 are read as GB18030 (Chinese Excel), else Windows-1252.', group: 'Reading' }),
    header: boolean(true, { label: 'First row holds column names', group: 'Reading', showIf: { format: ['auto', 'csv', 'tsv'] } }),
    trim: boolean(false, { label: 'Trim spaces around fields', help: 'Drops spaces and tabs before and after each field, inside quotes too (a fixed-width log converted to CSV pads its fields).', group: 'Reading', showIf: { format: ['auto', 'csv', 'tsv'] } }),
    dateOrder: oneOf(['auto', 'day-first', 'month-first'] as const, 'auto', { label: 'Order of A/B/YYYY dates', help: 'Auto decides per column from values above 12; day-first when no value decides.', group: 'Types' }),
    types: columnChoices(['auto', ...columnTypes] as const, {}, { label: 'Column types', help: 'Override the inferred type of a column; cells that do not fit become missing and are counted.', group: 'Types' }),
    numberDates: columnChoices(numberDateForms, {}, { label: 'Dates written as numbers', help: 'yyyymmdd: 19970101; yyyymm: 199701 (the 1st of the month); day-number: days after day 0; week-number: week 1 starts the day after day 0. Unreadable cells become missing and are counted.', group: 'Types' }),
    dayZero: date(DEFAULT_DAY_ZERO, { label: 'Day 0', help: 'Day and week numbers count from this date: day 1 is the next day.', group: 'Types' }),
    maxMegabytes: number(200, { label: 'Size cap', unit: 'MB', min: 1, max: 4096, help: 'Larger files are refused with a message instead of exhausting the tab’s memory.' }),
  },
  messages,
  zh: {
    label: '加载数据',
    description: '读取 CSV、TSV、JSON 或 Parquet 文件，或内置示例数据。',
    params: {
      source: { label: '数据来源', help: 'file：拖入或选择的文件；sample：内置示例数据；url：网址（URL）上的文件（由你的浏览器获取）。' },
      sample: { label: '示例数据', help: '内置示例在 sample-data/ 下的路径。' },
      url: { label: '网址（URL）', help: '文件的地址（http 或 https）；服务器须允许跨域读取；从其他网站获取之前，工作室会先征求你的同意。' },
      format: { label: '格式', help: '为 auto 时根据文件开头的字节和文件名识别。baskets（购物篮）：每行一个购物篮，商品以分隔符隔开，无表头；读成 basket/item 两列的行。' },
      delimiter: { label: '分隔符', help: '为 auto 时根据前几行推断（逗号、分号、制表符、竖线，或 whitespace：连续的空格或制表符，如按列对齐的日志）。' },
      encoding: { label: '文本编码', help: 'auto：按 UTF-8 读取（带或不带 BOM 均可）；不是 UTF-8 的文件按 GB18030（中文 Excel）读取，否则按 Windows-1252 读取。' },
      header: { label: '首行为列名' },
      trim: { label: '去掉字段两端的空格', help: '去掉每个字段前后的空格与制表符，引号内也去掉（按列对齐的日志转成 CSV 时会在字段中留下填充空格）。' },
      dateOrder: { label: 'A/B/YYYY 形式日期的顺序', help: 'auto：逐列根据大于 12 的值判断日与月的顺序；没有值可供判断时按 day-first（日在前）。' },
      types: { label: '列类型', help: '覆盖自动推断的列类型；不符合该类型的单元格变为缺失值并计数。' },
      numberDates: { label: '以数字书写的日期', help: 'yyyymmdd：19970101；yyyymm：199701（该月 1 日）；day-number：第 0 天之后的天数；week-number：第 1 周从第 0 天的次日开始。无法读取的单元格变为缺失值并计数。' },
      dayZero: { label: '第 0 天', help: '天序号与周序号从这一天起算：第 1 天是它的次日。' },
      maxMegabytes: { label: '文件大小上限', help: '更大的文件会被拒绝并给出提示，以免耗尽标签页的内存。', unit: 'MB' },
    },
    groups: { Reading: '读取', Types: '类型' },
    messages: {
      emptyFile: '文件 {name} 是空的。',
      tooLarge: '文件 {name} 大小为 {megabytes} MB，超过参数 "maxMegabytes" 设定的 {limit} MB 上限；请调高上限，或加载更小的数据子集。',
      badJson: '文件 {name} 不是有效的 JSON：{reason}',
      notRecords: '{name} 中的 JSON 必须是由记录（对象）组成的数组；实际是类型为 {found} 的 JSON。',
      badNdjsonLine: '{name} 的第 {line} 行不是 JSON 对象：{reason}',
      badParquet: '无法按 Parquet 格式读取文件 {name}：{reason}',
      badArrow: '无法按 Arrow IPC 格式读取文件 {name}：{reason}',
      guessedEncoding: '文件 {name} 不是有效的 UTF-8，已按 {encoding} 读取。如果文字显示不对，请在参数 "encoding" 中选择编码。',
      replacedBytes: '{name} 中有 {count} 个字符无法按 {encoding} 解码，已替换为 "�"。',
      longRows: '{name} 中有 {count} 行的字段多于表头（{width} 个），多出的值已丢弃（首次出现在第 {row} 个数据行）。',
      shortRows: '{name} 中有 {count} 行的字段少于表头（{width} 个），其余单元格记为缺失。',
      unterminatedQuote: '文件 {name} 在引号括起的字段内结束；最后一个字段一直延续到文件末尾。',
      renamedHeaders: '{name} 中有 {count} 个列名为空、重复或是保留名 "__proto__"，已重新命名（如 name_2）。',
      nonFinite: '列 {column}：{count} 个单元格（如 {example}）不是有限数值（超出双精度范围或为无穷大），已按缺失读取。',
      tooManyColumns: '文件 {name} 有 {count} 列；工作室最多读取 {limit} 列（更宽的表所需内存超过一个标签页所能提供的）。请检查分隔符，或减少列数。',
      textTooLarge: '文件 {name} 有 {megabytes} MB 文本；超过 {limit} MB 的文本无法一次读取（JavaScript 字符串上限）。请拆分文件，或另存为按块读取的 NDJSON（每行一条记录）、UTF-8 CSV 或 Parquet。',
      lineTooLong: '{name} 的第 {line} 行超过 {limit} 个字符；每一行都必须能放进一个 JavaScript 字符串。请确认文件每行一条记录。',
      notText: '文件 {name} 不是文本表格：{reason}。请加载 CSV、TSV、JSON、NDJSON、Parquet 或 Arrow。',
      tooDeep: '{name} 中的 JSON 嵌套超过 {limit} 层（第 {line} 行）；表格单元格无法容纳。请展平导出文件，或加载更简单的文件。',
      markersAsMissing: '列 {column}：{count} 个单元格（如 {example}）被读作缺失值。',
      unreadable: '列 {column}：{count} 个单元格（如 {example}）无法按 {type} 读取，记为缺失。',
      ambiguousDates: '列 {column}：每个日期既可读作“日/月”也可读作“月/日”，已按“日/月”读取。如有误，请设置参数 "dateOrder"。',
      conflictingDates: '列 {column} 中有些日期只能是“日/月”，另一些只能是“月/日”，已保留为文本。',
      typeForMissingColumn: '参数 "types" 指定了列 {column}，但文件中没有该列。',
      noFile: '节点 {node} 没有绑定文件；请拖入或选择文件，或把参数 "source" 设为内置示例或网址（URL）。',
      emptyUrl: '参数 "url" 为空；请输入 CSV、JSON、Parquet 或 Arrow 文件的地址。',
      emptySample: '参数 "sample" 为空；请填写内置示例的名称，例如 customer-insight/transactions.csv。',
      fetchFailed: '获取 {url} 失败：{reason}',
      numberDatesUnreadable: '列 {column}：{count} 个单元格（如 {example}）不是{form}，记为缺失。',
      numberDatesMissingColumn: '参数 "numberDates" 指定了列 {column}，但文件中没有该列。',
      badDayZero: '参数 "dayZero" 为 {value}；请按 YYYY-MM-DD 写出天序号与周序号的第 0 天，例如 1999-12-31。',
    },
  },
  async run(_inputs, params, ctx) {
    return declaredErrors(ctx, messages, async () => {
      ctx.progress(0, 'reading the file');
      const file = await sourceFile(params.source, params.sample, params.url, params.maxMegabytes, params.format, params.encoding, ctx);
      ctx.checkCancelled();
      ctx.progress(0.1, `parsing ${file.name}`);
      const result = await readTable(file, {
        format: params.format,
        delimiter: params.delimiter,
        encoding: params.encoding,
        header: params.header,
        trim: params.trim,
        types: params.types,
        dateOrder: params.dateOrder,
        maxBytes: params.maxMegabytes * 1024 * 1024,
        statsTopCount: defaultTopCount,
        checkpoint: () => ctx.checkCancelled(),
      });
      emitNotes(ctx, result.notes);
      const dated = applyNumberDates(result.table, result.types, params.numberDates, params.dayZero);
      emitNotes(ctx, dated.notes);
      ctx.progress(0.8, 'column statistics');
      // Summaries made while reading serve the columns that number dates left as they were.
      const stats = statsTable(columnStats(dated.table, dated.types, defaultTopCount, result.summaries));
      return { table: dated.table, stats };
    });
  },
  summary: (out) => `${out.table.numRows().toLocaleString('en')} rows × ${out.table.numCols()} columns`,
});
