/**
 * The guided start's first step, shared by the studio and `insight auto`: read a file as the
 * load node would, detect its shape and column roles, choose the dates, and gather what the
 * pipeline builder needs. Pure (no DOM, no Node APIs): bytes in, plain objects out.
 */
import type { ColumnTable } from 'arquero';
import { chooseDates, type DateChoice } from '../data/date-choice.ts';
import { delimiterName, paddedFields, sniffDelimiterWithReason, type Delimiter, type DelimiterChoice } from '../data/csv.ts';
import { decodeBytes, type EncodingChoice } from '../data/encoding.ts';
import { dayStartMs, toEpochMs } from '../data/dates.ts';
import { readTable, type FileInput } from '../data/read.ts';
import { detectRoles, headerlessText, raggedBaskets, roleColumn, type Detection, type RaggedEvidence, type RoleGuess, type RoleOverrides } from '../data/roles.ts';
import { DEFAULT_DAY_ZERO, numberDateMs } from '../data/number-dates.ts';
import { idKey } from '../data/cells.ts';
import type { BuildInput } from './pipeline.ts';

/** Reading options a person may force. */
export interface AnalyseOptions extends RoleOverrides {
  /** Delimiter ('auto' to sniff). */
  delimiter?: DelimiterChoice;
  /** Text encoding ('auto' to detect). */
  encoding?: EncodingChoice;
}

/** The analysis of one file. */
export interface Analysis {
  /** Shape and roles. */
  detection: Detection;
  /** Chosen dates (transactions only). */
  dates: DateChoice | null;
  /** Rows read. */
  rows: number;
  /** Column names in file order. */
  columns: string[];
  /** What the builder needs. */
  build: BuildInput;
  /** How the file was read. */
  reading?: Reading;
}

/** The JSON the CLI writes as roles.json: shape, roles, dates. */
export interface RolesFile {
  /** The file analysed. */
  file: string;
  /** Detected shape. */
  shape: Detection['shape'];
  /** Basket layout when baskets. */
  layout: Detection['layout'];
  /** Why this shape. */
  reason: string;
  /** Each role with column, confidence and reason. */
  roles: RoleGuess[];
  /** Start of the label window (the observed window ends the day before), or null. */
  cutoff: string | null;
  /** Last day of the label window (included), or null. */
  horizonEnd: string | null;
  /** Period of the sequences, or null. */
  period: string | null;
  /** Steps of the sequences, or null. */
  steps: number | null;
  /** Why these dates. */
  datesReason: string | null;
  /** The delimiter the file was read with ('whitespace': runs of spaces or tabs), or null for JSON and binary formats. */
  delimiter: Delimiter | null;
  /** Why that delimiter (sniffed from the first lines, or chosen). */
  delimiterReason: string | null;
  /** Why fields are read trimmed of padding, or null when they are read as they are. */
  trimmed: string | null;
}

/** How a file was read for analysis: the reading options the load node must repeat. */
export interface Reading {
  /** Delimiter ('auto' when sniffed). */
  delimiter: DelimiterChoice;
  /** Encoding ('auto' when detected). */
  encoding: EncodingChoice;
  /** False when the first line holds data, not column names. */
  header: boolean;
  /** The delimiter sniffed or chosen for delimited text, and why (null for JSON and binary formats). */
  sniffed?: { delimiter: Delimiter; reason: string } | null;
  /** Why fields are read trimmed of padding, when they are. */
  trim?: string;
}

/** A file read as the guided start reads it: one basket per line, or a table with or without a header row. */
export interface ReadForAnalysis {
  /** The table. */
  table: ColumnTable;
  /** What the first lines said about baskets (null for binary or JSON formats). */
  ragged: RaggedEvidence | null;
  /** Why the file has no header row, when it has none. */
  headerless: string | null;
  /** The reading options. */
  reading: Reading;
}

/** Reads a file for analysis: sniffs the delimiter, one-basket-per-line text and a missing header row. */
export async function readForAnalysis(file: FileInput, options: { delimiter?: DelimiterChoice; encoding?: EncodingChoice } = {}): Promise<ReadForAnalysis> {
  const delimiter = options.delimiter ?? 'auto';
  const encoding = options.encoding ?? 'auto';
  const head = decodeBytes(file.bytes.subarray(0, 256 * 1024), encoding).text;
  const text = !/\.(json|ndjson|parquet|arrow)$/i.test(file.name);
  const sniffed = delimiter === 'auto' ? sniffDelimiterWithReason(head) : { delimiter, reason: `${delimiterName(delimiter)}, as chosen` };
  const ragged = text ? raggedBaskets(head, sniffed.delimiter) : null;
  const header = text && ragged?.ragged !== true ? headerlessText(head, sniffed.delimiter) : null;
  const headerless = header?.headerless === true;
  // Runs of blanks are never the load node's silent guess for a file it reads: the pipeline names them.
  const used: DelimiterChoice = text && sniffed.delimiter === 'whitespace' ? 'whitespace' : delimiter;
  const padding = text && ragged?.ragged !== true ? paddedFields(head, sniffed.delimiter) : null;
  const trim = padding?.padded === true;
  const read = await readTable(file, ragged?.ragged === true ? { format: 'baskets', delimiter: used, encoding } : { delimiter: used, encoding, header: !headerless, trim });
  const said = read.delimiter === null ? null : read.delimiter === sniffed.delimiter ? sniffed : { delimiter: read.delimiter, reason: delimiterName(read.delimiter) };
  return { table: read.table, ragged, headerless: headerless && header ? header.reason : null, reading: { delimiter: used, encoding, header: !headerless, sniffed: said, ...(trim && padding ? { trim: padding.reason } : {}) } };
}

/** Reads and analyses a file (see the file header). */
export async function analyseFile(file: FileInput, options: AnalyseOptions = {}): Promise<Analysis> {
  const read = await readForAnalysis(file, options);
  const overrides: RoleOverrides = {};
  if (options.label !== undefined) overrides.label = options.label;
  if (options.id !== undefined) overrides.id = options.id;
  const detection = withHeaderReason(detectRoles(read.table, overrides, read.ragged), read.headerless, read.reading);
  return analysisOf(file.name, read.table, detection, read.reading);
}

/** The detection with the missing header row said first in its reason (and the whitespace delimiter before it: neither is a usual guess). */
export function withHeaderReason(detection: Detection, headerless: string | null, reading?: Reading): Detection {
  const sniffed = reading?.sniffed;
  const said = [sniffed?.delimiter === 'whitespace' ? `fields are separated by ${sniffed.reason}` : null, reading?.trim ?? null, headerless].filter((s) => s !== null);
  if (said.length === 0) return detection;
  const first = said.join('; ');
  return { ...detection, reason: detection.reason === '' ? first : `${first}; ${detection.reason}` };
}

/** Epoch ms of each time cell: dates and date text as they are, numbers in the time role's form. */
function timesOf(table: ColumnTable, time: RoleGuess): Float64Array {
  const form = time.form;
  const zero = dayStartMs(DEFAULT_DAY_ZERO) ?? 0;
  return Float64Array.from(table.array(time.column), (v) => (form !== undefined ? numberDateMs(v, form, zero) : toEpochMs(v)) ?? Number.NaN);
}

/** The analysis for a detection (also after a person changed its roles in the dialog). */
export function analysisOf(fileName: string, table: ColumnTable, detection: Detection, reading: Reading): Analysis {
  let dates: DateChoice | null = null;
  let customers: number | undefined;
  let cancelledShare = 0;
  const names = new Set(table.columnNames());
  if (detection.shape === 'transactions') {
    const time = detection.roles.find((r) => r.role === 'time');
    const customer = roleColumn(detection.roles, 'customer');
    if (time !== undefined && customer !== undefined && names.has(time.column) && names.has(customer)) {
      const ids = Array.from(table.array(customer), idKey);
      dates = chooseDates(timesOf(table, time), ids);
      customers = new Set(ids.filter((id) => id !== null)).size;
    }
    const invoice = roleColumn(detection.roles, 'invoice');
    if (invoice !== undefined && names.has(invoice)) {
      const invoices = new Set<string>();
      let cancelled = 0;
      for (const v of table.array(invoice)) {
        const key = idKey(v);
        if (key === null || invoices.has(key)) continue;
        invoices.add(key);
        if (/^C\d/.test(key)) cancelled++;
      }
      cancelledShare = invoices.size > 0 ? cancelled / invoices.size : 0;
    }
  }
  const load: NonNullable<BuildInput['load']> = {};
  if (reading.delimiter !== 'auto') load.delimiter = reading.delimiter;
  if (reading.encoding !== 'auto') load.encoding = reading.encoding;
  if (!reading.header) load.header = false;
  if (reading.trim !== undefined) load.trim = true;
  const timeRole = detection.shape === 'transactions' ? detection.roles.find((r) => r.role === 'time') : undefined;
  if (timeRole?.form !== undefined) load.numberDates = { column: timeRole.column, form: timeRole.form, dayZero: DEFAULT_DAY_ZERO };
  const build: BuildInput = { detection, dates, fileName, load, cancelledShare, ...(customers !== undefined ? { customers } : {}) };
  return { detection, dates, rows: table.numRows(), columns: table.columnNames(), build, reading };
}

/** The roles.json record of an analysis. */
export function rolesFile(analysis: Analysis): RolesFile {
  const { detection, dates } = analysis;
  return {
    file: analysis.build.fileName,
    shape: detection.shape,
    layout: detection.layout,
    reason: detection.reason,
    roles: detection.roles,
    cutoff: dates?.cutoff ?? null,
    horizonEnd: dates?.horizonEnd ?? null,
    period: dates?.period ?? null,
    steps: dates?.steps ?? null,
    datesReason: dates ? `${dates.horizonReason} ${dates.periodReason}` : null,
    delimiter: analysis.reading?.sniffed?.delimiter ?? null,
    delimiterReason: analysis.reading?.sniffed?.reason ?? null,
    trimmed: analysis.reading?.trim ?? null,
  };
}
