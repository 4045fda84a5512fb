/** servesim's version, read from package.json (works from src/ under vitest and from dist/). */
import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** The `version` field of servesim's package.json. */
export function servesimVersion(): string {
  if (cached === undefined) {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    cached = typeof pkg.version === 'string' ? pkg.version : 'unknown';
  }
  return cached;
}
