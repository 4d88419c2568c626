/**
 * Which columns a chart of a table starts with: the first two numeric columns that are not
 * ids or ranks for x and y, and a segment- or label-like column to colour or group by.
 * Pure and tested.
 */

/** Starting columns for the Scatter and Distributions views (undefined when none fits). */
export function pickDefaults(columns: readonly string[], types: readonly string[]): { x?: string; y?: string; group?: string } {
  const idLike = /(^|_)(id|rank|index|order|fold|segment|cluster|label|pc\d)$/i;
  const numeric = columns.filter((c, i) => types[i] === 'number' && !idLike.test(c));
  const anyNumeric = columns.filter((_, i) => types[i] === 'number');
  const x = numeric[0] ?? anyNumeric[0];
  const y = numeric[1] ?? anyNumeric.find((c) => c !== x);
  const groupPatterns = [/^segment_name$/i, /segment/i, /cluster/i, /^strategy$/i, /^label$|_label$/i, /categor|country|channel|group/i];
  let group: string | undefined;
  for (const pattern of groupPatterns) {
    group = columns.find((c) => pattern.test(c));
    if (group !== undefined) break;
  }
  return { ...(x !== undefined ? { x } : {}), ...(y !== undefined ? { y } : {}), ...(group !== undefined ? { group } : {}) };
}
