/**
 * An independent RFM computation for tests: a plain CSV reader and a plain loop, sharing no
 * code with src/data. Purchases are rows whose InvoiceNo does not start with "C", whose
 * Quantity and UnitPrice are above 0 and whose CustomerID is not blank; the reference is the
 * latest purchase plus one day; recency is in whole days (floor).
 */

/** A plain CSV reader for the fixture, independent of src/data (quotes and commas only). */
export function plainCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  const [header, ...data] = rows;
  return data.map((r) => Object.fromEntries(header!.map((h, k) => [h, r[k] ?? ''])));
}

/** recency_days, frequency and monetary per customer id (as the id's number written plainly). */
export function independentRfm(text: string): Record<string, { recency_days: number; frequency: number; monetary: number }> {
  const day = 86_400_000;
  const last = new Map<string, number>();
  const invoices = new Map<string, Set<string>>();
  const spend = new Map<string, number>();
  let latest = -Infinity;
  for (const r of plainCsv(text)) {
    if (r.InvoiceNo!.startsWith('C') || !(Number(r.Quantity) > 0) || !(Number(r.UnitPrice) > 0) || r.CustomerID === '') continue;
    const id = String(Number(r.CustomerID));
    const when = Date.parse(`${r.InvoiceDate!.replace(' ', 'T')}Z`);
    latest = Math.max(latest, when);
    last.set(id, Math.max(last.get(id) ?? -Infinity, when));
    invoices.set(id, (invoices.get(id) ?? new Set()).add(r.InvoiceNo!));
    spend.set(id, (spend.get(id) ?? 0) + Number(r.Quantity) * Number(r.UnitPrice));
  }
  const reference = latest + day;
  const out: Record<string, { recency_days: number; frequency: number; monetary: number }> = {};
  for (const [id, when] of last) out[id] = { recency_days: Math.floor((reference - when) / day), frequency: invoices.get(id)!.size, monetary: spend.get(id)! };
  return out;
}
