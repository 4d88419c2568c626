/**
 * The guided start's first step, shared by the studio and `insight auto`: read a file as the
 * load node would, detect its shape and column roles, choose the dates, and gather what the
 * pipeline builder needs. Pure (no DOM, no Node APIs): bytes in, plain objects out.
 */
import type { ColumnTable } from 'arquero';
import { chooseDates, type DateChoice } from '../data/date-choice.ts';
import { sniffDelimiter, type DelimiterChoice } from '../data/csv.ts';
import { decodeBytes, type EncodingChoice } from '../data/encoding.ts';
import { toEpochMs } from '../data/dates.ts';
import { readTable, type FileInput } from '../data/read.ts';
import { detectRoles, raggedBaskets, roleColumn, type Detection, type RoleGuess, type RoleOverrides } from '../data/roles.ts';
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
}

/** Reads and analyses a file (see the file header). */
export async function analyseFile(file: FileInput, options: AnalyseOptions = {}): Promise<Analysis> {
  const delimiter = options.delimiter ?? 'auto';
  const encoding = options.encoding ?? 'auto';
  const head = decodeBytes(file.bytes.subarray(0, 256 * 1024), encoding).text;
  const ragged = /\.(json|ndjson|parquet|arrow)$/i.test(file.name) ? null : raggedBaskets(head, delimiter === 'auto' ? sniffDelimiter(head) : delimiter);
  const read = await readTable(file, ragged?.ragged === true ? { format: 'baskets', delimiter, encoding } : { delimiter, encoding });
  const overrides: RoleOverrides = {};
  if (options.label !== undefined) overrides.label = options.label;
  if (options.id !== undefined) overrides.id = options.id;
  const detection = detectRoles(read.table, overrides, ragged);
  return analysisOf(file.name, read.table, detection, { delimiter, encoding });
}

/** The analysis for a detection (also after a person changed its roles in the dialog). */
export function analysisOf(fileName: string, table: ColumnTable, detection: Detection, reading: { delimiter: DelimiterChoice; encoding: EncodingChoice }): Analysis {
  let dates: DateChoice | null = null;
  let customers: number | undefined;
  let cancelledShare = 0;
  const names = new Set(table.columnNames());
  if (detection.shape === 'transactions') {
    const time = roleColumn(detection.roles, 'time');
    const customer = roleColumn(detection.roles, 'customer');
    if (time !== undefined && customer !== undefined && names.has(time) && names.has(customer)) {
      const ids = Array.from(table.array(customer), idKey);
      dates = chooseDates(Float64Array.from(table.array(time), (v) => toEpochMs(v) ?? Number.NaN), ids);
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
  const load: { delimiter?: string; encoding?: string } = {};
  if (reading.delimiter !== 'auto') load.delimiter = reading.delimiter;
  if (reading.encoding !== 'auto') load.encoding = reading.encoding;
  const build: BuildInput = { detection, dates, fileName, load, cancelledShare, ...(customers !== undefined ? { customers } : {}) };
  return { detection, dates, rows: table.numRows(), columns: table.columnNames(), build };
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
  };
}
