/**
 * Reading a scenario file: YAML (`.yaml`, `.yml`) or JSON (`.json`), chosen by extension.
 * The parsed YAML Document is kept so that any path inside it maps back to a line and column.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { ScenarioError, type ScenarioProblem } from './errors.js';
import type { PathSegment } from './path.js';

/** A parsed scenario file: its plain data and a way to locate paths in it. */
export interface ScenarioSource {
  file: string;
  data: unknown;
  /** Line and column (1-based) of the value at `path`, or of its key when `key` is set. */
  locate(path: readonly PathSegment[], key?: boolean): { line: number; column: number } | undefined;
}

const EXTENSIONS = ['.yaml', '.yml', '.json'];

/** Read and parse a scenario file. Throws ScenarioError for a missing file or malformed text. */
export function readScenarioSource(file: string): ScenarioSource {
  const ext = extname(file).toLowerCase();
  if (!EXTENSIONS.includes(ext)) {
    throw new ScenarioError(file, [
      { path: [], expected: 'a file ending in .yaml, .yml or .json', found: ext === '' ? 'no extension' : `"${ext}"` },
    ]);
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const found = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a directory' : `an unreadable file (${code ?? String(e)})`;
    throw new ScenarioError(file, [{ path: [], expected: 'a readable scenario file', found }]);
  }
  return parseScenarioText(file, text, ext === '.json' ? 'json' : 'yaml');
}

/** Parse scenario text (YAML or strict JSON); `file` is used in messages only. */
export function parseScenarioText(file: string, text: string, format: 'yaml' | 'json'): ScenarioSource {
  const lineCounter = new LineCounter();
  if (format === 'json') {
    try {
      JSON.parse(text);
    } catch (e) {
      throw new ScenarioError(file, [jsonProblem(text, e instanceof Error ? e.message : String(e))]);
    }
  }
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const problems: ScenarioProblem[] = doc.errors.map((err) => {
      const pos = err.linePos?.[0] ?? lineCounter.linePos(err.pos[0]);
      return {
        path: [],
        line: pos.line,
        column: pos.col,
        expected: `well-formed ${format === 'json' ? 'JSON' : 'YAML'}`,
        found: firstLine(err.message),
      };
    });
    throw new ScenarioError(file, problems);
  }
  const data: unknown = doc.toJS({ maxAliasCount: 1000 });
  return {
    file,
    data,
    locate(path, key = false) {
      const node = findNode(doc, path, key);
      const start = node?.range?.[0];
      if (start === undefined) return undefined;
      const lp = lineCounter.linePos(start);
      return { line: lp.line, column: lp.col };
    },
  };
}

function firstLine(s: string): string {
  return s.split('\n')[0].trim();
}

function jsonProblem(text: string, message: string): ScenarioProblem {
  const m = /position (\d+)/.exec(message);
  let line: number | undefined;
  let column: number | undefined;
  if (m) {
    const pos = Number(m[1]);
    const before = text.slice(0, pos).split('\n');
    line = before.length;
    column = before[before.length - 1].length + 1;
  }
  return { path: [], line, column, expected: 'well-formed JSON', found: firstLine(message.replace(/ in JSON at position \d+.*$/, '')) };
}

/** The deepest node of `doc` along `path` (the key node for the last step when `key`). */
function findNode(doc: Document, path: readonly PathSegment[], key: boolean): Node | undefined {
  let cur: unknown = doc.contents;
  let found: Node | undefined = (cur as Node | null) ?? undefined;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    const last = i === path.length - 1;
    if (isMap(cur)) {
      const pair = cur.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) return found;
      if (last && key) return (pair.key as Node) ?? found;
      cur = pair.value;
      found = (pair.value as Node | null) ?? (pair.key as Node) ?? found;
    } else if (isSeq(cur) && typeof seg === 'number') {
      const item = cur.items[seg];
      if (item === undefined) return found;
      cur = item;
      found = item as Node;
    } else {
      return found;
    }
  }
  return found;
}
