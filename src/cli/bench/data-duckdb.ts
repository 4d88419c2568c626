/**
 * The DuckDB peer of the data bench (@duckdb/node-api, a dev dependency never imported by page
 * code): the same chain — load → clean → features → normalise → weight — as one SQL query with
 * CTEs on the same file, with a fixed number of threads. Its customers and figures are then
 * compared with the engine's to 1e-9.
 */

/** The chain as SQL over `path`: drop exact duplicate lines, cancellations, non-positive quantity or price and blank customers; RFM with R = latest purchase + 1 day; min-max; the typed weights. */
function chainSql(path: string): string {
  const file = `'${path.replace(/'/g, "''")}'`;
  return `
WITH raw AS (
  SELECT * FROM read_csv(${file}, header = true, delim = ',', quote = '"',
    columns = {'InvoiceNo': 'VARCHAR', 'StockCode': 'VARCHAR', 'Description': 'VARCHAR', 'Quantity': 'DOUBLE',
               'InvoiceDate': 'TIMESTAMP', 'UnitPrice': 'DOUBLE', 'CustomerID': 'DOUBLE', 'Country': 'VARCHAR'})
), kept AS (
  SELECT DISTINCT * FROM raw
  WHERE NOT starts_with(InvoiceNo, 'C') AND Quantity > 0 AND UnitPrice > 0 AND CustomerID IS NOT NULL
), reference AS (
  SELECT max(InvoiceDate) + INTERVAL 1 DAY AS r FROM kept
), rfm AS (
  SELECT CustomerID AS id,
         floor((epoch_ms(any_value(reference.r)) - epoch_ms(max(InvoiceDate))) / 86400000.0) AS recency_days,
         count(DISTINCT InvoiceNo)::DOUBLE AS frequency,
         sum(Quantity * UnitPrice) AS monetary
  FROM kept, reference GROUP BY CustomerID
), bounds AS (
  SELECT min(recency_days) AS r0, max(recency_days) AS r1, min(frequency) AS f0, max(frequency) AS f1, min(monetary) AS m0, max(monetary) AS m1 FROM rfm
), scaled AS (
  SELECT id,
         CASE WHEN r1 > r0 THEN (recency_days - r0) / (r1 - r0) ELSE 0 END AS recency_days,
         CASE WHEN f1 > f0 THEN (frequency - f0) / (f1 - f0) ELSE 0 END AS frequency,
         CASE WHEN m1 > m0 THEN (monetary - m0) / (m1 - m0) ELSE 0 END AS monetary
  FROM rfm, bounds
)
SELECT id, recency_days, frequency, monetary, -0.25 * recency_days + 0.35 * frequency + 0.4 * monetary AS score
FROM scaled ORDER BY id`;
}

/** Per customer: normalised recency, frequency, monetary and the score. */
export type ChainFigures = Map<number, [number, number, number, number]>;

/** Runs the chain in DuckDB with `threads` threads; returns its wall time (instance start included) and figures. */
export async function duckdbChain(path: string, threads: number): Promise<{ ms: number; figures: ChainFigures; version: string }> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const started = performance.now();
  const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
  const connection = await instance.connect();
  const reader = await connection.runAndReadAll(chainSql(path));
  const ms = performance.now() - started;
  const versionReader = await connection.runAndReadAll('SELECT version()');
  const version = String(versionReader.getRows()[0]?.[0] ?? '');
  const figures: ChainFigures = new Map();
  for (const row of reader.getRows()) {
    const [id, r, f, m, s] = row.map(Number);
    if (id === undefined || r === undefined || f === undefined || m === undefined || s === undefined) continue;
    figures.set(id, [r, f, m, s]);
  }
  connection.closeSync();
  instance.closeSync();
  return { ms, figures, version };
}

/** The largest absolute difference between two sets of figures, and the customers only one has. */
export function compareFigures(ours: ChainFigures, theirs: ChainFigures): { maxAbsDiff: number; onlyOurs: number; onlyTheirs: number } {
  let maxAbsDiff = 0;
  let onlyOurs = 0;
  for (const [id, a] of ours) {
    const b = theirs.get(id);
    if (!b) {
      onlyOurs++;
      continue;
    }
    for (let j = 0; j < 4; j++) maxAbsDiff = Math.max(maxAbsDiff, Math.abs((a[j] ?? Number.NaN) - (b[j] ?? Number.NaN)) || (Number.isNaN((a[j] ?? 0) - (b[j] ?? 0)) ? Infinity : 0));
  }
  let onlyTheirs = 0;
  for (const id of theirs.keys()) if (!ours.has(id)) onlyTheirs++;
  return { maxAbsDiff, onlyOurs, onlyTheirs };
}
