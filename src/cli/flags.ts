/** Parsing and checking of flag values (pure; errors name the flag and the expected form). */
import { DurationParseError, parseDuration, type Time } from '../core/time.js';
import { UsageError } from './exit-codes.js';

/**
 * The value of a single-valued flag given once or more: the last one wins (so that
 * `npm start -- --out DIR` overrides the script's own --out).
 */
export function lastValue(value: unknown): unknown {
  return Array.isArray(value) ? value[value.length - 1] : value;
}

/** --seed: a non-negative integer. */
export function parseSeedFlag(flag: unknown, command: string): number | undefined {
  const value = lastValue(flag);
  if (value === undefined) return undefined;
  const text = String(value).trim();
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new UsageError(`--seed: expected a non-negative integer such as 42, found "${String(value)}"`, command);
  }
  return Number(text);
}

/** --until: a positive duration with a unit (90s, 15m, 2h, 250ms, 1h30m). */
export function parseUntilFlag(flag: unknown, command: string): Time | undefined {
  const value = lastValue(flag);
  if (value === undefined) return undefined;
  const text = String(value);
  const form = 'a duration with a unit such as 90s, 15m, 2h, 250ms or 1h30m';
  if (/^\s*\d+(\.\d+)?\s*$/.test(text)) throw new UsageError(`--until: expected ${form}, found "${text}" (no unit)`, command);
  try {
    const t = parseDuration(text);
    if (t <= 0) throw new UsageError(`--until: expected a duration greater than zero, found "${text}"`, command);
    return t;
  } catch (e) {
    if (e instanceof DurationParseError) throw new UsageError(`--until: expected ${form}, found "${text}"`, command);
    throw e;
  }
}

/** A repeatable string flag (--set): always a list of strings. */
export function stringList(value: unknown): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map((v) => String(v));
}
