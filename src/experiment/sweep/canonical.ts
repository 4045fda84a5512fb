/** Canonical JSON (keys sorted at every level) and short content hashes, for sweep identities and point ids. */
import { createHash } from 'node:crypto';

/** JSON text of `v` with object keys sorted, so equal data give equal text whatever the key order. */
export function canonicalJson(v: unknown): string {
  return JSON.stringify(sortKeys(v));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v as object).sort()) out[k] = sortKeys((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

/** Hex SHA-256 of `text` (first `chars` hex digits). */
export function shortHash(text: string, chars = 64): string {
  return createHash('sha256').update(text).digest('hex').slice(0, chars);
}
