/**
 * Zod field types shared by every scenario kind: durations with units, distributions,
 * and a helper that reports a problem as "expected ..., found ...".
 */
import { z } from 'zod';
import { DurationParseError, parseDuration, type Time } from '../core/time.js';
import { DistributionError, makeDistribution, type Distribution } from '../core/distributions.js';
import { describeValue, parsePath, type PathSegment } from './path.js';

/** Push a custom issue that the loader prints as `expected <expected>, found <found>`. */
export function pushProblem(
  ctx: { issues: { push(issue: z.core.$ZodRawIssue): void } },
  input: unknown,
  expected: string,
  found: string = describeValue(input),
  path: PathSegment[] = [],
): void {
  ctx.issues.push({ code: 'custom', input, path, message: `expected ${expected}, found ${found}`, params: { expected, found } });
}

const DURATION_FORM = 'a duration with a unit such as 90s, 15m, 2h or 250ms';

/**
 * A duration written with a unit (`90s`, `15m`, `2h`, `250ms`, `1h30m`) parsed to integer µs.
 * A bare number is rejected: the unit is never guessed (DESIGN.md rule 6).
 */
export function duration(opts: { positive?: boolean } = {}) {
  return z.unknown().transform((v, ctx): Time => {
    if (typeof v !== 'string') {
      pushProblem(ctx, v, DURATION_FORM);
      return z.NEVER;
    }
    if (/^\s*\d+(\.\d+)?\s*$/.test(v)) {
      pushProblem(ctx, v, `${DURATION_FORM} (the unit is required)`);
      return z.NEVER;
    }
    let t: Time;
    try {
      t = parseDuration(v);
    } catch (e) {
      if (!(e instanceof DurationParseError)) throw e;
      const negative = /^\s*-/.test(v);
      pushProblem(ctx, v, negative ? 'a non-negative duration' : DURATION_FORM);
      return z.NEVER;
    }
    if (opts.positive && t <= 0) {
      pushProblem(ctx, v, 'a duration greater than zero');
      return z.NEVER;
    }
    return t;
  });
}

/**
 * A random distribution spec (a number for a constant, or `{type: ..., ...}`), validated by
 * core/distributions makeDistribution; problems are reported at the path inside the spec.
 */
export function distribution() {
  return z.unknown().transform((v, ctx): Distribution => {
    try {
      return makeDistribution(v, '');
    } catch (e) {
      if (!(e instanceof DistributionError)) throw e;
      pushProblem(ctx, v, e.expected, e.found, relativePath(e.path));
      return z.NEVER;
    }
  });
}

function relativePath(p: unknown): PathSegment[] {
  if (Array.isArray(p)) return p.filter((s): s is PathSegment => typeof s === 'string' || typeof s === 'number');
  if (typeof p !== 'string') return [];
  const text = p.replace(/^\$?\.?/, '');
  if (text === '') return [];
  try {
    return parsePath(text);
  } catch {
    return [];
  }
}

/** A positive finite number. */
export function positiveNumber() {
  return z.number().positive().finite();
}

/** A name: a non-empty string of letters, digits, `-`, `_` and `.` (used in CSV column names). */
export function name() {
  return z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, {
    error: 'a name made of letters, digits, "-", "_" and "." (starting with a letter or digit)',
  });
}
