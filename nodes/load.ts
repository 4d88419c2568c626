/**
 * Load: reads a file into a typed table — CSV/TSV (delimiter sniffed), JSON (array of records),
 * NDJSON, Parquet or Arrow; UTF-8 (with or without BOM), GB18030/GBK or Windows-1252 — from the
 * file bound to the node (a drop or pick in the studio, `--input` in the CLI), a bundled
 * sample, or a URL. Every column's type is inferred from all its cells (integer, number, date,
 * boolean, text) and can be overridden in `types`. The `stats` output has one row per column
 * (type, count, missing, distinct, min, max, mean, top values), computed once for previews.
 * A file over `maxMegabytes` is refused with a message before it is decoded.
 */
import { columnStats, statsTable } from '../src/data/stats.ts';
import { declaredErrors, emitNotes } from '../src/data/issues.ts';
import { formatChoices, formatFromBytesAndName, maxTextBytes, readMessages, readTable, type FileFormat, type FormatChoice } from '../src/data/read.ts';
import { delimiterChoices } from '../src/data/csv.ts';
import { encodingChoices } from '../src/data/encoding.ts';
import { columnTypes } from '../src/data/infer.ts';
import { InsightError } from '../src/engine/errors.ts';
import { boolean, columnChoices, defineNode, error, number, oneOf, text, type NodeContext, type SourceFile } from './define.ts';

const sources = ['file', 'sample', 'url'] as const;

const messages = {
  ...readMessages,
  noFile: error('No file is bound to node {node}; drop or pick a file, or set parameter "source" to a bundled sample or a URL.'),
  emptyUrl: error('Parameter "url" is empty; enter the address of a CSV, JSON, Parquet or Arrow file.'),
  emptySample: error('Parameter "sample" is empty; name a bundled sample such as customer-insight/transactions.csv.'),
  fetchFailed: error('Fetching {url} failed: {reason}'),
};

/** Refuses a bound file on its size alone, before a byte is read: over the cap, or text over the string limit. */
function checkBoundSize(info: { name: string; size: number }, maxMegabytes: number, format: FormatChoice, ctx: NodeContext): void {
  const megabytes = Math.round((info.size / 1048576) * 10) / 10;
  if (info.size > maxMegabytes * 1048576) ctx.fail('tooLarge', { name: info.name, megabytes, limit: maxMegabytes }, 'maxMegabytes');
  const binary = format === 'parquet' || format === 'arrow' || (format === 'auto' && isBinaryFormat(formatFromBytesAndName({ name: info.name, bytes: new Uint8Array(0) })));
  if (info.size > maxTextBytes && !binary) ctx.fail('textTooLarge', { name: info.name, megabytes, limit: Math.round((maxTextBytes / 1048576) * 10) / 10 }, 'maxMegabytes');
}

function isBinaryFormat(format: FileFormat | null): boolean {
  return format === 'parquet' || format === 'arrow';
}

async function sourceFile(source: (typeof sources)[number], sample: string, url: string, maxMegabytes: number, format: FormatChoice, ctx: NodeContext): Promise<SourceFile> {
  switch (source) {
    case 'file': {
      const info = ctx.host.boundFileInfo?.(ctx.nodeId);
      if (info !== undefined) checkBoundSize(info, maxMegabytes, format, ctx);
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
    format: oneOf(formatChoices, 'auto', { label: 'Format', help: 'Detected from the file’s first bytes and name when auto.', group: 'Reading' }),
    delimiter: oneOf(delimiterChoices, 'auto', { label: 'Delimiter', help: 'Sniffed from the first lines when auto (comma, semicolon, tab or pipe).', group: 'Reading', showIf: { format: ['auto', 'csv', 'tsv'] } }),
    encoding: oneOf(encodingChoices, 'auto', { label: 'Text encoding', help: 'Auto: UTF-8 (with or without BOM); files that are not UTF-8 are read as GB18030 (Chinese Excel), else Windows-1252.', group: 'Reading' }),
    header: boolean(true, { label: 'First row holds column names', group: 'Reading', showIf: { format: ['auto', 'csv', 'tsv'] } }),
    dateOrder: oneOf(['auto', 'day-first', 'month-first'] as const, 'auto', { label: 'Order of A/B/YYYY dates', help: 'Auto decides per column from values above 12; day-first when no value decides.', group: 'Types' }),
    types: columnChoices(['auto', ...columnTypes] as const, {}, { label: 'Column types', help: 'Override the inferred type of a column; cells that do not fit become missing and are counted.', group: 'Types' }),
    maxMegabytes: number(200, { label: 'Size cap', unit: 'MB', min: 1, max: 4096, help: 'Larger files are refused with a message instead of exhausting the tab’s memory.' }),
  },
  messages,
  async run(_inputs, params, ctx) {
    return declaredErrors(ctx, messages, async () => {
      ctx.progress(0, 'reading the file');
      const file = await sourceFile(params.source, params.sample, params.url, params.maxMegabytes, params.format, ctx);
      ctx.checkCancelled();
      ctx.progress(0.1, `parsing ${file.name}`);
      const result = await readTable(file, {
        format: params.format,
        delimiter: params.delimiter,
        encoding: params.encoding,
        header: params.header,
        types: params.types,
        dateOrder: params.dateOrder,
        maxBytes: params.maxMegabytes * 1024 * 1024,
        checkpoint: () => ctx.checkCancelled(),
      });
      emitNotes(ctx, result.notes);
      ctx.progress(0.8, 'column statistics');
      const stats = statsTable(columnStats(result.table, result.types));
      return { table: result.table, stats };
    });
  },
  summary: (out) => `${out.table.numRows().toLocaleString('en')} rows × ${out.table.numCols()} columns`,
});
