/**
 * Recounts, from the file texts alone, every kind of dirt manifest.json declares, so tests
 * can compare the two. The rules follow sample-data/README.md: a duplicate is a line equal
 * to the line before; missing is an empty field; malformed numbers are "N/A" or contain a
 * comma; the second date format is day-first with slashes; whitespace is a field that
 * differs from its trimmed self; outliers are ages above 120 and quantities of 100 or more
 * in absolute value (clean ages are 18–85, clean quantities 1–6).
 */
import type { DirtCounts, DirtyFile } from '../../sample-data/dirt.ts';
import { DIRT_SPECS, emptyDirtCounts } from '../../sample-data/dirt.ts';
import { parseCsv } from './measure.ts';

const DAY_FIRST_DATE = /^\d{2}\/\d{2}\/\d{4}$/;
const DAY_FIRST_TIMESTAMP = /^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/;

/** Data lines of a CSV text, header excluded. */
function dataLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.slice(1);
}

/** Counts the dirt of one file into `counts`. */
function recountFile(file: DirtyFile, text: string, counts: DirtCounts): void {
  const spec = DIRT_SPECS[file];
  const lines = dataLines(text);
  const missing = counts.missing_values[file];
  const whitespace = counts.whitespace[file];
  const dates = counts.second_date_format[file];
  const outliers = counts.outliers[file];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (i > 0 && line === lines[i - 1]) {
      counts.duplicate_rows[file]++;
      counts.total++;
      continue;
    }
    const fields = parseCsv(`${line}\n`)[0] ?? [];
    if (fields.length !== spec.columns.length) throw new Error(`${file} line ${i + 2} has ${fields.length} fields`);
    fields.forEach((value, c) => {
      const column = spec.columns[c] ?? '';
      const bump = (record: Record<string, number>, key: string): void => {
        record[key] = (record[key] ?? 0) + 1;
        counts.total++;
      };
      if (value === '') bump(missing, column);
      else if (value !== value.trim()) bump(whitespace, column);
      else if (c === spec.date && (DAY_FIRST_DATE.test(value) || DAY_FIRST_TIMESTAMP.test(value))) bump(dates, column);
      else if (spec.malformed.some((m) => m.column === c) && (value === 'N/A' || value.includes(','))) {
        const forms = counts.malformed_numbers[file][column] ?? {};
        counts.malformed_numbers[file][column] = forms;
        bump(forms, value === 'N/A' ? 'N/A' : /^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(value) ? 'thousands_separator' : 'decimal_comma');
      } else if (file === 'customers.csv' && column === 'age' && Number(value) > 120) bump(outliers, column);
      else if (file === 'transactions.csv' && column === 'quantity' && Math.abs(Number(value)) >= 100) bump(outliers, column);
    });
  }
}

/** Recounts the dirt of the three dirty files; `rate` is copied into the result. */
export function recountDirt(texts: { customers: string; transactions: string; events: string }, rate: number): DirtCounts {
  const counts = emptyDirtCounts(rate);
  recountFile('customers.csv', texts.customers, counts);
  recountFile('transactions.csv', texts.transactions, counts);
  recountFile('events.csv', texts.events, counts);
  return counts;
}
