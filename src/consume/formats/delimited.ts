// CSV, TSV and PSV → an array of row objects keyed by the header line, every value a string, as the engine's
// Jackson CsvMapper with a header schema reads them: `"` quotes (doubled inside), a short row has only the
// columns it gives, a row longer than the header is an error. Blank lines are skipped.

import { parse } from 'csv-parse/sync';
import { bodyText, checkSize, guarded, invalid, MAX_ITEMS, MIB, put, type Decoder } from './common.js';

const MAX_BYTES = 8 * MIB;

const KINDS = {
  csv: { name: 'CSV', delimiter: ',', accept: 'text/csv, */*;q=0.1' },
  tsv: { name: 'TSV', delimiter: '\t', accept: 'text/tab-separated-values, text/plain;q=0.9, */*;q=0.1' },
  psv: { name: 'PSV', delimiter: '|', accept: 'text/plain, */*;q=0.1' },
} as const;

export type DelimitedFormat = keyof typeof KINDS;

export function delimitedDecoder(format: DelimitedFormat): Decoder {
  const { name, delimiter, accept } = KINDS[format];
  const decode = (body: Buffer, contentType: string | undefined): unknown => {
    checkSize(name, body, MAX_BYTES);
    const text = bodyText(name, body, contentType);
    const records = guarded(name, () => parseRecords(text, delimiter));
    return toRows(name, records);
  };
  return Object.assign(decode, { accept });
}

function parseRecords(text: string, delimiter: string): string[][] {
  return parse(text, {
    delimiter,
    bom: true,
    skip_empty_lines: true,
    // Column counts are checked against the header below, with a message that names the row.
    relax_column_count: true,
    // Stop reading once past the limit instead of building every row first.
    to: MAX_ITEMS + 2,
  });
}

function toRows(name: string, records: string[][]): Record<string, string>[] {
  const [header, ...rows] = records;
  if (!header) return [];
  if (rows.length > MAX_ITEMS) throw invalid(name, `more than ${MAX_ITEMS} rows`);
  const seen = new Set<string>();
  for (const column of header) {
    if (seen.has(column)) throw invalid(name, `the header names column '${column.slice(0, 60)}' twice`);
    seen.add(column);
  }
  return rows.map((row, i) => {
    if (row.length > header.length)
      throw invalid(name, `row ${i + 1} has ${row.length} fields, the header names ${header.length}`);
    const out: Record<string, string> = {};
    row.forEach((value, c) => put(out, header[c] as string, value));
    return out;
  });
}
