/**
 * Simulated time is an integer count of microseconds (DESIGN.md rule 1).
 * Numbers stay exact integers up to 2^53 µs (about 285 years).
 */
export type Time = number;

export const US = 1;
export const MS = 1_000;
export const SECOND = 1_000_000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

const UNIT_US: Record<string, number> = {
  us: US, µs: US, ms: MS, s: SECOND, sec: SECOND, m: MINUTE, min: MINUTE, h: HOUR, d: DAY,
};

/** Seconds (possibly fractional) to integer microseconds, rounded to nearest. */
export function seconds(s: number): Time {
  return Math.round(s * SECOND);
}

/** Milliseconds (possibly fractional) to integer microseconds, rounded to nearest. */
export function millis(ms: number): Time {
  return Math.round(ms * MS);
}

/** Integer microseconds to seconds. */
export function toSeconds(t: Time): number {
  return t / SECOND;
}

export class DurationParseError extends Error {}

/**
 * Parse a duration such as `90s`, `15m`, `2h`, `250ms`, `1h30m`, `1.5s` into microseconds.
 * A bare number is read in `defaultUnit` (seconds unless told otherwise).
 * Throws DurationParseError with the expected form when the text is not a duration or is negative.
 */
export function parseDuration(input: string | number, defaultUnit: keyof typeof UNIT_US = 's'): Time {
  if (typeof input === 'number') {
    if (!Number.isFinite(input) || input < 0) {
      throw new DurationParseError(`expected a non-negative duration, found ${input}`);
    }
    return Math.round(input * UNIT_US[defaultUnit]);
  }
  const text = input.trim();
  if (text === '') throw new DurationParseError('expected a duration such as 90s, 15m, 2h or 250ms, found an empty string');
  if (/^-/.test(text)) throw new DurationParseError(`expected a non-negative duration, found "${input}"`);
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * UNIT_US[defaultUnit]);
  const re = /(\d+(?:\.\d+)?)(us|µs|ms|sec|min|s|m|h|d)/y;
  let total = 0;
  let pos = 0;
  while (pos < text.length) {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) {
      throw new DurationParseError(`expected a duration such as 90s, 15m, 2h, 250ms or 1h30m, found "${input}"`);
    }
    total += Number(m[1]) * UNIT_US[m[2]];
    pos = re.lastIndex;
  }
  return Math.round(total);
}

/** Human-readable duration, e.g. `1h02m03.5s`, `250ms`, `17µs`. */
export function formatDuration(t: Time): string {
  if (t < MS) return `${t}µs`;
  if (t < SECOND) return `${+(t / MS).toFixed(3)}ms`;
  if (t < MINUTE) return `${+(t / SECOND).toFixed(3)}s`;
  const h = Math.floor(t / HOUR);
  const m = Math.floor((t % HOUR) / MINUTE);
  const s = (t % MINUTE) / SECOND;
  const ss = +s.toFixed(3);
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m${ss}s` : `${m}m${ss}s`;
}
