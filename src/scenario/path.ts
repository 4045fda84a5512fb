/**
 * Paths inside a scenario document: arrays of keys and indices, printed as
 * `nodes[2].cpu.cores` and parsed back from that form (used by `--set`).
 */

/** One step of a path: an object key or an array index. */
export type PathSegment = string | number;

/** Format a path as `nodes[2].cpu.cores`; the empty path prints as `(top level)`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out === '' ? '(top level)' : out;
}

/** Error thrown by parsePath for text that is not a path. */
export class PathSyntaxError extends Error {}

/**
 * Parse `nodes[2].cpu.cores` into `['nodes', 2, 'cpu', 'cores']`.
 * Throws PathSyntaxError naming the expected form.
 */
export function parsePath(text: string): PathSegment[] {
  const out: PathSegment[] = [];
  const re = /([A-Za-z_$][\w$-]*)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]|(\.)/y;
  let pos = 0;
  let expectKey = true; // at the start or after a dot a key is required
  let afterDot = false;
  while (pos < text.length) {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) break;
    if (m[1] !== undefined) {
      if (!expectKey) break;
      out.push(m[1]);
      expectKey = false;
      afterDot = false;
    } else if (m[2] !== undefined) {
      if (afterDot || out.length === 0) break;
      out.push(Number(m[2]));
    } else if (m[3] !== undefined) {
      if (afterDot) break;
      out.push(JSON.parse(`"${m[3]}"`) as string);
      expectKey = false;
    } else {
      if (expectKey) break;
      expectKey = true;
      afterDot = true;
    }
    pos = re.lastIndex;
  }
  if (pos !== text.length || out.length === 0 || afterDot) {
    throw new PathSyntaxError(
      `expected a path such as functions[0].replicas or output.requests, found "${text}"`,
    );
  }
  return out;
}

/** Describe a value for an error message: `the string "abc"`, `the number -3`, `nothing`. */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 60 ? v.slice(0, 57) + '...' : v)}`;
  if (typeof v === 'number' || typeof v === 'boolean') return `${typeof v} ${String(v)}`;
  if (Array.isArray(v)) return `a list of ${v.length} ${v.length === 1 ? 'entry' : 'entries'}`;
  if (typeof v === 'object') {
    const keys = Object.keys(v as object);
    return keys.length === 0 ? 'an empty mapping' : `a mapping with fields ${keys.join(', ')}`;
  }
  return typeof v;
}

/** The value at `path` inside `root`, or undefined. */
export function getAt(root: unknown, path: readonly PathSegment[]): unknown {
  let cur: unknown = root;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}
