/**
 * Observation normalisation from declared bounds: component i maps linearly from
 * [low_i, high_i] onto [lo, hi] (default [0, 1]). A plain, serialisable description so a saved
 * policy applies exactly the transform its agent was trained under (issue 7 item 6).
 *
 * The study itself scales in the environment into [0, 20] and adds no normaliser
 * (calibration-targets.md, DQN table, "observation scaling"); normalisation is opt-in.
 */
import type { BoxSpace, Observation } from './spaces.js';

/** A linear per-component map `y = (x - low) * scale + lo`, i.e. [low, high] → [lo, hi]. */
export interface Normalization {
  readonly kind: 'bounds';
  readonly low: readonly number[];
  readonly high: readonly number[];
  /** Target range. */
  readonly range: readonly [number, number];
  /** Clip the result into `range` (values outside the declared bounds would otherwise leak). */
  readonly clip: boolean;
}

/**
 * The normalisation of `space` onto `range`. Throws, naming the component, when a bound is
 * infinite (no linear map exists) or the component is degenerate (low === high maps to `lo`).
 */
export function normalizationFromSpace(space: BoxSpace, range: readonly [number, number] = [0, 1], clip = true): Normalization {
  if (!(range[0] < range[1])) throw new Error(`normalisation: range must satisfy lo < hi, found [${range[0]}, ${range[1]}]`);
  for (let i = 0; i < space.size; i++) {
    if (!Number.isFinite(space.low[i]) || !Number.isFinite(space.high[i])) {
      const c = space.components[i];
      throw new Error(`normalisation: component ${i} '${c.name}' needs finite bounds, found [${c.low}, ${c.high}]`);
    }
  }
  return { kind: 'bounds', low: Array.from(space.low), high: Array.from(space.high), range: [range[0], range[1]], clip };
}

/** Apply `n` to `obs`, writing into `out` (allocated when omitted); returns `out`. */
export function normalize(n: Normalization, obs: Observation, out: Float32Array | Float64Array = new Float64Array(obs.length)): Float32Array | Float64Array {
  const len = n.low.length;
  if (obs.length !== len) throw new RangeError(`normalisation: expected ${len} components, found ${obs.length}`);
  const [lo, hi] = n.range;
  for (let i = 0; i < len; i++) {
    const w = n.high[i] - n.low[i];
    let y = w > 0 ? lo + ((obs[i] - n.low[i]) * (hi - lo)) / w : lo;
    if (n.clip) y = y < lo ? lo : y > hi ? hi : y;
    out[i] = y;
  }
  return out;
}

/** Throw unless `x` is a well-formed Normalization (used when loading a saved policy). */
export function checkNormalization(x: Normalization, size: number, where: string): void {
  if (x.kind !== 'bounds') throw new Error(`${where}.kind: expected 'bounds', found '${String(x.kind)}'`);
  if (x.low.length !== size || x.high.length !== size) {
    throw new Error(`${where}: expected ${size} low/high bounds, found ${x.low.length}/${x.high.length}`);
  }
}
