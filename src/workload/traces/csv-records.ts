/**
 * Synchronous, constant-memory CSV record reader for trace files.
 *
 * The kernel is synchronous (DESIGN.md rule 5: no async in the hot path), so arrival sources
 * pull records on demand: the file is read in fixed-size chunks with fs.readSync and each
 * chunk is tokenised by fast-csv's own parser (the `Parser` class that fast-csv's
 * CsvParserStream uses internally, driven directly so no stream or microtask is involved);
 * chunks without any quote character take a native split fast path (same result on
 * quote-free CSV). Memory is one chunk plus the records parsed from it.
 *
 * Line numbers are physical lines (1 = header), counting blank lines; a quoted field that
 * contains a newline is not expected in these trace formats (its record then reports the
 * line where it starts, and later records are off by the embedded newlines).
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { StringDecoder } from 'node:string_decoder';

interface FastCsvParser {
  parse(line: string, hasMoreData: boolean): { line: string; rows: string[][] };
}
interface FastCsvParserModule {
  Parser: new (opts: unknown) => FastCsvParser;
}
interface FastCsvOptionsModule {
  ParserOptions: new (opts: Record<string, unknown>) => unknown;
}

// Resolve @fast-csv/parse from fast-csv's own location (it is fast-csv's dependency).
const requireHere = createRequire(import.meta.url);
const requireFromFastCsv = createRequire(requireHere.resolve('fast-csv'));
const { Parser } = requireFromFastCsv('@fast-csv/parse/build/src/parser') as FastCsvParserModule;
const { ParserOptions } = requireFromFastCsv('@fast-csv/parse') as FastCsvOptionsModule;

/** A trace problem at a place in a file: file, 1-based line and column, and what was expected. */
export class TraceFormatError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    /** 1-based column (field) number; 0 when the problem concerns the whole line. */
    readonly column: number,
    readonly columnName: string | undefined,
    readonly detail: string,
  ) {
    super(`${file}:${line}${column > 0 ? `:${column}` : ''}${columnName !== undefined ? ` (column "${columnName}")` : ''}: ${detail}`);
    this.name = 'TraceFormatError';
  }
}

export interface CsvRecordReaderOptions {
  /** Bytes read per chunk (default 1 MiB). */
  chunkBytes?: number;
}

/** Reads a CSV file record by record; the first record is the header. */
export class CsvRecordReader {
  readonly header: readonly string[];
  /** Physical line number of the record last returned by next() (1 = header). */
  line = 1;
  /** File size in bytes (for progress reporting). */
  readonly size: number;
  /** Bytes read so far. */
  bytesRead = 0;
  private fd: number;
  private readonly buf: Buffer;
  private readonly decoder = new StringDecoder('utf8');
  private readonly parser: FastCsvParser;
  private rest = '';
  private rows: string[][] = [];
  private idx = 0;
  private eof = false;
  private physLine = 0;

  constructor(readonly file: string, opts: CsvRecordReaderOptions = {}) {
    this.size = statSync(file).size;
    this.fd = openSync(file, 'r');
    this.buf = Buffer.allocUnsafe(opts.chunkBytes ?? 1 << 20);
    this.parser = new Parser(new ParserOptions({ ignoreEmpty: false }));
    const h = this.next();
    if (h === null) {
      this.close();
      throw new TraceFormatError(file, 1, 0, undefined, 'expected a header line, found an empty file');
    }
    this.header = h.map((s) => s.trim());
  }

  /** Index of a header column (0-based), or -1. */
  columnIndex(name: string): number {
    return this.header.indexOf(name);
  }

  /** Index of a required header column; throws a TraceFormatError on line 1 naming the expected columns. */
  requireColumn(name: string): number {
    const i = this.header.indexOf(name);
    if (i < 0) throw new TraceFormatError(this.file, 1, 0, undefined, `expected a header with column "${name}", found ${JSON.stringify(this.header.slice(0, 12))}${this.header.length > 12 ? '…' : ''}`);
    return i;
  }

  /** An error at the current record's line and the given 0-based field index. */
  error(field: number, detail: string): TraceFormatError {
    return new TraceFormatError(this.file, this.line, field + 1, this.header?.[field], detail);
  }

  /** Next non-blank record, or null at end of file. */
  next(): string[] | null {
    for (;;) {
      while (this.idx < this.rows.length) {
        const r = this.rows[this.idx++];
        this.physLine++;
        if (r.length === 0 || (r.length === 1 && r[0].trim() === '')) continue; // blank line
        this.line = this.physLine;
        return r;
      }
      if (this.eof) return null;
      this.fill();
    }
  }

  private fill(): void {
    this.rows = [];
    this.idx = 0;
    if (this.fd < 0) {
      this.eof = true;
      return;
    }
    const n = readSync(this.fd, this.buf, 0, this.buf.length, null);
    if (n === 0) {
      const text = this.rest + this.decoder.end();
      this.rest = '';
      this.eof = true;
      this.close();
      if (text !== '') this.rows = this.parse(text, false);
      return;
    }
    let text = this.rest + this.decoder.write(this.buf.subarray(0, n));
    if (this.bytesRead === 0 && text.charCodeAt(0) === 0xfeff) text = text.slice(1); // BOM
    this.bytesRead += n;
    this.rows = this.parse(text, true);
  }

  /**
   * Records of `text`; with `more`, an incomplete last line is kept in `rest`. Text without a
   * quote character is split natively (about 10× faster than the general tokenizer on long
   * hash fields, and identical on quote-free CSV); anything else goes through fast-csv.
   */
  private parse(text: string, more: boolean): string[][] {
    if (text.indexOf('"') >= 0) {
      const res = this.parser.parse(text, more);
      this.rest = res.line;
      return res.rows;
    }
    let body = text;
    if (more) {
      const nl = text.lastIndexOf('\n');
      if (nl < 0) {
        this.rest = text;
        return [];
      }
      body = text.slice(0, nl);
      this.rest = text.slice(nl + 1);
    } else this.rest = '';
    const lines = body.split('\n');
    const rows: string[][] = new Array(lines.length);
    for (let i = 0; i < lines.length; i++) {
      let l = lines[i];
      if (l.charCodeAt(l.length - 1) === 13) l = l.slice(0, -1);
      rows[i] = l === '' ? [] : l.split(',');
    }
    return rows;
  }

  /** Release the file descriptor (also done at end of file). */
  close(): void {
    if (this.fd >= 0) {
      closeSync(this.fd);
      this.fd = -1;
    }
  }
}

/** Parse a non-negative integer field (digits, optionally "N.0"); NaN if it is not one. */
export function parseCount(s: string): number {
  // Fast path: plain digits.
  let v = 0;
  const n = s.length;
  if (n > 0 && n < 16) {
    let i = 0;
    for (; i < n; i++) {
      const c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      v = v * 10 + c;
    }
    if (i === n) return v;
  }
  const x = Number(s);
  return s.trim() !== '' && Number.isInteger(x) && x >= 0 ? x : NaN;
}

/** Parse a finite number field; NaN if it is not one. */
export function parseNumber(s: string): number {
  if (s.trim() === '') return NaN;
  const x = Number(s);
  return Number.isFinite(x) ? x : NaN;
}
