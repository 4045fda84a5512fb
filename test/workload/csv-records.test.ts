import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CsvRecordReader, TraceFormatError, parseCount } from '../../src/workload/traces/csv-records.js';

function tmpFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'servesim-csv-'));
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
}

describe('CsvRecordReader', () => {
  it('reads records across chunk boundaries with correct line numbers, skipping blank lines', () => {
    const lines = ['a,b,c'];
    for (let i = 0; i < 500; i++) lines.push(`${i},x${i},"q,${i}"`);
    lines.splice(100, 0, '');
    const f = tmpFile('t.csv', lines.join('\r\n'));
    const r = new CsvRecordReader(f, { chunkBytes: 37 });
    expect(r.header).toEqual(['a', 'b', 'c']);
    let n = 0;
    let rec: string[] | null;
    while ((rec = r.next()) !== null) {
      expect(rec).toEqual([String(n), `x${n}`, `q,${n}`]);
      expect(r.line).toBe(n + 2 + (n >= 99 ? 1 : 0));
      n++;
    }
    expect(n).toBe(500);
  });

  it('names file, line and column in errors', () => {
    const f = tmpFile('e.csv', 'x,y\n1,2\n3,oops\n');
    const r = new CsvRecordReader(f);
    r.next();
    r.next();
    const e = r.error(1, 'expected a number, found "oops"');
    expect(e).toBeInstanceOf(TraceFormatError);
    expect(e.message).toBe(`${f}:3:2 (column "y"): expected a number, found "oops"`);
    expect(() => r.requireColumn('z')).toThrow(/:1: expected a header with column "z"/);
  });

  it('parseCount accepts digits and N.0, rejects the rest', () => {
    expect(parseCount('0')).toBe(0);
    expect(parseCount('12345')).toBe(12345);
    expect(parseCount('7.0')).toBe(7);
    expect(parseCount('-1')).toBeNaN();
    expect(parseCount('1.5')).toBeNaN();
    expect(parseCount('')).toBeNaN();
    expect(parseCount('abc')).toBeNaN();
  });
});

describe('CsvRecordReader fast path', () => {
  it('gives the same records with and without quotes, BOM and CRLF, across tiny chunks', () => {
    const rows: string[] = [];
    for (let i = 0; i < 300; i++) rows.push(`${i},name${i},${i * 0.5}`);
    const plain = tmpFile('p.csv', `\uFEFFa,b,c\r\n${rows.join('\r\n')}\r\n\r\n`);
    const quoted = tmpFile('q.csv', `a,b,c\n${rows.map((r, i) => (i === 150 ? r.replace(`name${i}`, `"name${i}"`) : r)).join('\n')}`);
    const read = (f: string, chunk: number): string[][] => {
      const r = new CsvRecordReader(f, { chunkBytes: chunk });
      expect(r.header).toEqual(['a', 'b', 'c']);
      const out: string[][] = [];
      let rec: string[] | null;
      while ((rec = r.next()) !== null) out.push(rec);
      return out;
    };
    const expected = rows.map((r) => r.split(','));
    for (const chunk of [7, 64, 1 << 16]) {
      expect(read(plain, chunk)).toEqual(expected);
      expect(read(quoted, chunk)).toEqual(expected);
    }
  });
});
