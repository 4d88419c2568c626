/**
 * The guided start as the studio's worker runs it: the analysed table stays here (the page
 * never holds a full table) and the page gets the detection, the chosen dates and the built
 * pipeline; a person's role picks rebuild them from the same table.
 */
import type { ColumnTable } from 'arquero';
import type { FileInput } from '../data/read.ts';
import { detectRoles, ROLE_NAMES, timeGuess, type Detection, type RoleGuess, type RoleName } from '../data/roles.ts';
import { analysisOf, readForAnalysis, rolesFile, withHeaderReason, type Reading, type RolesFile } from './analyse.ts';
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
  private reading: Reading = { delimiter: 'auto', encoding: 'auto', header: true };

  /** Reads and analyses a file. */
  async analyse(file: FileInput): Promise<AutoStartView> {
    const read = await readForAnalysis(file);
    this.table = read.table;
    this.file = file.name;
    this.reading = read.reading;
    this.detection = withHeaderReason(detectRoles(read.table, {}, read.ragged), read.headerless, read.reading);
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
      if (before && before.column === pick.column) roles.push(before);
      else {
        // A picked time column of numbers (19970101, day 17) still needs its form to read as dates.
        const profile = this.detection.profiles.find((p) => p.name === pick.column);
        const form = role === 'time' && profile ? timeGuess(profile)?.form : undefined;
        roles.push({ role, column: pick.column, confidence: 1, reason: form !== undefined ? `chosen by you; read as ${form}` : 'chosen by you', ...(form !== undefined ? { form } : {}) });
      }
    }
    this.detection = { ...this.detection, roles };
    return this.view(this.detection);
  }

  private view(detection: Detection): AutoStartView {
    const table = this.table;
    if (!table) throw new Error('No file has been analysed yet.');
    const analysis = analysisOf(this.file, table, detection, this.reading);
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
