/**
 * Shards (DESIGN.md "Scale beyond one machine"): shard i of n holds the points whose plan
 * index is i modulo n. A pure function of (plan, i, n), so every copy of the command on any
 * engine that runs an indexed array of commands computes the same split, and interleaving
 * spreads the configurations (which differ in cost) evenly over the shards.
 */
import { SweepError } from './errors.js';
import type { SweepPoint } from './expand.js';

/** Shard `index` (0-based) of `count`. */
export interface Shard {
  index: number;
  count: number;
}

/** Parse `i/n` (0 <= i < n); throws SweepError naming the expected form. */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) throw new SweepError(`--shard: expected i/n with 0 <= i < n, e.g. 0/4, found "${text}"`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index >= count || !Number.isSafeInteger(count)) {
    throw new SweepError(`--shard: expected i/n with n >= 1 and 0 <= i < n, found "${text}"`);
  }
  return { index, count };
}

/** Does shard `s` hold the point with plan index `pointIndex`? */
export function inShard(pointIndex: number, s: Shard): boolean {
  return pointIndex % s.count === s.index;
}

/** The points of shard `s`, in plan order. */
export function shardPoints<P extends Pick<SweepPoint, 'index'>>(points: readonly P[], s: Shard): P[] {
  return points.filter((p) => inShard(p.index, s));
}

/** `i/n` text of a shard. */
export function formatShard(s: Shard): string {
  return `${s.index}/${s.count}`;
}
