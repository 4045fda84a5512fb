/**
 * Reading the CSV files servesim writes (timeseries.csv, requests.csv, aggregate.csv,
 * learning.csv): RFC 4180 text with a header row, fields quoted when they hold a comma,
 * quote or newline. Whole-file and synchronous: the report reads each file once.
 */
import { readFileSync } from 'node:fs';

/** A CSV table: header and rows of string cells. */
export interface CsvTable {
  headers: string[];
  rows: string[][];
}

/** Parse CSV text (with a header row). */
export function parseCsv(text: string): CsvTable {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    let cell: string;
    if (text[i] === '"') {
      let j = i + 1;
      let out = '';
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0) throw new Error(`CSV: expected a closing quote for the field starting at offset ${i}, found the end of the text`);
        out += text.slice(j, q);
        if (text[q + 1] === '"') {
          out += '"';
          j = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      cell = out;
    } else {
      let j = i;
      while (j < n && text[j] !== ',' && text[j] !== '\n' && text[j] !== '\r') j++;
      cell = text.slice(i, j);
      i = j;
    }
    row.push(cell);
    if (i >= n || text[i] === '\n' || text[i] === '\r') {
      if (text[i] === '\r' && text[i + 1] === '\n') i++;
      i++;
      rows.push(row);
      row = [];
    } else {
      i++; // the comma
      if (i >= n) {
        row.push('');
        rows.push(row);
      }
    }
  }
  const headers = rows.shift() ?? [];
  return { headers, rows: rows.filter((r) => !(r.length === 1 && r[0] === '')) };
}

/** Read and parse a CSV file. */
export function readCsv(file: string): CsvTable {
  return parseCsv(readFileSync(file, 'utf8'));
}

/** Index of column `name`, or -1. */
export function columnIndex(t: CsvTable, name: string): number {
  return t.headers.indexOf(name);
}
