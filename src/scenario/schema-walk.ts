/**
 * Walking a zod schema along a document path: used to check `--set` paths and to list the
 * known fields when a file has an unknown one.
 */
import type { z } from 'zod';
import type { PathSegment } from './path.js';

interface Def {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  valueType?: z.ZodType;
}

const WRAPPERS = new Set(['optional', 'default', 'prefault', 'nullable', 'readonly', 'catch', 'nonoptional']);

function def(s: z.ZodType): Def {
  return (s as unknown as { _zod: { def: Def } })._zod.def;
}

/** Strip optional/default/... wrappers and the input side of pipes (transforms). */
function unwrap(s: z.ZodType): z.ZodType {
  let cur = s;
  for (;;) {
    const d = def(cur);
    if (WRAPPERS.has(d.type) && d.innerType) cur = d.innerType;
    else if (d.type === 'pipe' && d.in) cur = d.in;
    else return cur;
  }
}

/** Result of walking a path: ok, or the index of the first step the schema does not allow. */
export type WalkResult = { ok: true } | { ok: false; failedAt: number; expected: string };

/** Does the schema allow a value at `path`? Array indices are not range-checked here. */
export function walkSchema(schema: z.ZodType, path: readonly PathSegment[]): WalkResult {
  return walk(unwrap(schema), path, 0);
}

function walk(s: z.ZodType, path: readonly PathSegment[], i: number): WalkResult {
  if (i === path.length) return { ok: true };
  const d = def(s);
  const seg = path[i];
  switch (d.type) {
    case 'unknown':
    case 'any':
      return { ok: true };
    case 'object': {
      const child = typeof seg === 'string' && d.shape ? d.shape[seg] : undefined;
      if (child) return walk(unwrap(child), path, i + 1);
      if (d.catchall && def(d.catchall).type !== 'never') return walk(unwrap(d.catchall), path, i + 1);
      return { ok: false, failedAt: i, expected: `one of the fields ${Object.keys(d.shape ?? {}).join(', ')}` };
    }
    case 'record':
      return d.valueType ? walk(unwrap(d.valueType), path, i + 1) : { ok: true };
    case 'array':
      if (typeof seg !== 'number') return { ok: false, failedAt: i, expected: 'a list index such as [0]' };
      return d.element ? walk(unwrap(d.element), path, i + 1) : { ok: true };
    case 'union': {
      let firstFail: WalkResult | undefined;
      const fields = new Set<string>();
      for (const opt of d.options ?? []) {
        const r = walk(unwrap(opt), path, i);
        if (r.ok) return r;
        firstFail ??= r;
        for (const f of knownFieldsOf(unwrap(opt))) fields.add(f);
      }
      if (fields.size > 0 && firstFail && !firstFail.ok && firstFail.failedAt === i) {
        return { ok: false, failedAt: i, expected: `one of the fields ${[...fields].join(', ')}` };
      }
      return firstFail ?? { ok: false, failedAt: i, expected: 'nothing further' };
    }
    default:
      return { ok: false, failedAt: i, expected: `no fields inside a ${d.type} value` };
  }
}

function knownFieldsOf(s: z.ZodType): string[] {
  const d = def(s);
  if (d.type === 'object') return Object.keys(d.shape ?? {});
  if (d.type === 'union') return [...new Set((d.options ?? []).flatMap((o) => knownFieldsOf(unwrap(o))))];
  return [];
}

/** Field names the schema allows in the mapping at `path` (empty when not a mapping). */
export function knownFields(schema: z.ZodType, path: readonly PathSegment[]): string[] {
  let cur = unwrap(schema);
  for (const seg of path) {
    const d = def(cur);
    if (d.type === 'object' && typeof seg === 'string' && d.shape?.[seg]) cur = unwrap(d.shape[seg]);
    else if (d.type === 'array' && d.element) cur = unwrap(d.element);
    else if (d.type === 'union') {
      const next = (d.options ?? []).map(unwrap).find((o) => walk(o, [seg], 0).ok);
      if (!next) return [];
      const nd = def(next);
      if (nd.type === 'object' && typeof seg === 'string' && nd.shape?.[seg]) cur = unwrap(nd.shape[seg]);
      else if (nd.type === 'array' && nd.element) cur = unwrap(nd.element);
      else return [];
    } else return [];
  }
  return knownFieldsOf(cur);
}

/** The closest candidate to `word` by edit distance, when close enough to be a likely typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return bestD <= Math.max(1, Math.floor(word.length / 3)) ? best : undefined;
}

/** Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps. */
function editDistance(a: string, b: string): number {
  const d: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    d.push(new Array<number>(b.length + 1).fill(0));
    d[i][0] = i;
  }
  for (let j = 0; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}
