/** Shared output for `npm run bench`: one JSON object a line with --json, else a readable line. */

/** One benchmark figure set; `suite` and `case` name it, the rest are measured numbers. */
export interface BenchRecord {
  /** Suite name as typed on the command line (lstm, data, segment, ...). */
  suite: string;
  /** What was measured within the suite (e.g. the backend or the data size). */
  case: string;
  /** Measured figures and context; numbers are reported as measured, never adjusted. */
  [figure: string]: string | number | boolean | null;
}

/** Prints one record in the chosen format. */
export function report(record: BenchRecord, json: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(record)}\n`);
    return;
  }
  const parts = Object.entries(record)
    .filter(([key]) => key !== 'suite' && key !== 'case')
    .map(([key, value]) => `${key}=${typeof value === 'number' ? formatNumber(value) : String(value)}`);
  process.stdout.write(`[${record.suite}] ${record.case}: ${parts.join('  ')}\n`);
}

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return String(value);
  const abs = Math.abs(value);
  return abs >= 100 ? value.toFixed(1) : abs >= 1 ? value.toFixed(3) : value.toPrecision(3);
}

/** Options every suite receives. */
export interface BenchOptions {
  /** Emit one JSON object per line instead of readable text. */
  json: boolean;
  /** Arguments after the suite name, for suite-specific flags. */
  argv: string[];
}
