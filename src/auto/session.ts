/**
 * The guided start as the studio's worker runs it: the analysed table stays here (the page
 * never holds a full table) and the page gets the detection, the chosen dates and the built
 * pipeline; a person's role picks rebuild them from the same table.
 */
import type { ColumnTable } from 'arquero';
import { readTable, type FileInput } from '../data/read.ts';
import { detectRoles, raggedBaskets, ROLE_NAMES, type Detection, type RoleGuess, type RoleName } from '../data/roles.ts';
import { sniffDelimiter } from '../data/csv.ts';
import { decodeBytes } from '../data/encoding.ts';
import { analysisOf, rolesFile, type RolesFile } from './analyse.ts';
import { buildPipeline, type BuildResult } from './pipeline.ts';

/** A role as a person picked it in the dialog ('' = none). */
export interface RolePick {
  /** The role. */
  role: RoleName;
  /** The column, or '' for none. */
  column: string;
}

/** What the dialog shows. */
export interface AutoStartView {
  /** The file name. */
  file: string;
  /** Rows read. */
  rows: number;
  /** Every column of the file, in order. */
  columns: string[];
  /** The roles this shape uses, in display order. */
  shapeRoles: RoleName[];
  /** Shape, roles and dates as roles.json has them. */
  roles: RolesFile;
  /** The built pipeline, or why none. */
  build: BuildResult;
}

const SHOWN: Record<NonNullable<Detection['shape']>, RoleName[]> = {
  transactions: ['customer', 'time', 'invoice', 'quantity', 'price', 'amount', 'product', 'category', 'event'],
  customers: ['customer', 'label'],
  baskets: ['basket', 'item'],
};

/** One guided start at a time, holding its table. */
export class AutoStart {
  private table: ColumnTable | null = null;
  private detection: Detection | null = null;
  private file = '';

  /** Reads and analyses a file. */
  async analyse(file: FileInput): Promise<AutoStartView> {
    const head = decodeBytes(file.bytes.subarray(0, 256 * 1024)).text;
    const ragged = /\.(json|ndjson|parquet|arrow)$/i.test(file.name) ? null : raggedBaskets(head, sniffDelimiter(head));
    const read = await readTable(file, ragged?.ragged === true ? { format: 'baskets' } : {});
    this.table = read.table;
    this.file = file.name;
    this.detection = detectRoles(read.table, {}, ragged);
    return this.view(this.detection);
  }

  /** Rebuilds with a person's picks (a picked column gets confidence 1 and the reason "chosen by you"). */
  rebuild(picks: readonly RolePick[]): AutoStartView {
    if (!this.table || !this.detection) throw new Error('No file has been analysed yet.');
    const names = new Set(this.table.columnNames());
    const roles: RoleGuess[] = [];
    for (const role of ROLE_NAMES) {
      const pick = picks.find((p) => p.role === role);
      const before = this.detection.roles.find((r) => r.role === role);
      if (!pick) {
        if (before) roles.push(before);
        continue;
      }
      if (pick.column === '' || !names.has(pick.column)) continue;
      roles.push(before && before.column === pick.column ? before : { role, column: pick.column, confidence: 1, reason: 'chosen by you' });
    }
    this.detection = { ...this.detection, roles };
    return this.view(this.detection);
  }

  private view(detection: Detection): AutoStartView {
    const table = this.table;
    if (!table) throw new Error('No file has been analysed yet.');
    const analysis = analysisOf(this.file, table, detection, { delimiter: 'auto', encoding: 'auto' });
    return {
      file: this.file,
      rows: analysis.rows,
      columns: analysis.columns,
      shapeRoles: detection.shape ? SHOWN[detection.shape] : [],
      roles: rolesFile(analysis),
      build: buildPipeline(analysis.build),
    };
  }
}
