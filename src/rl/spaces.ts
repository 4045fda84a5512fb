/**
 * Declared observation and action spaces (issue 7 item 1): a Box of named, bounded components
 * and a Discrete set of named actions, each component documented with its meaning. The
 * validation helpers turn a bad observation or action into an error that names the component.
 *
 * Layout conventions follow the DRL scheduler design (calibration-targets.md, "DRL scheduler
 * design", State and Action spaces): gym `Box(low, high, shape)` and `Discrete(n)`.
 */

/** One component (scalar) of a Box observation. */
export interface BoxComponent {
  /** Short identifier, e.g. `w01.ipc`. */
  readonly name: string;
  /** What the value means, including its unit and scaling. */
  readonly meaning: string;
  /** Lower bound (inclusive); -Infinity when unbounded. */
  readonly low: number;
  /** Upper bound (inclusive); +Infinity when unbounded. */
  readonly high: number;
}

/** A gym-style `Box`: a flat vector of bounded real components (row-major over `shape`). */
export interface BoxSpace {
  readonly kind: 'box';
  readonly shape: readonly number[];
  /** Number of scalars (product of `shape`). */
  readonly size: number;
  readonly low: Float64Array;
  readonly high: Float64Array;
  readonly components: readonly BoxComponent[];
}

/** One action of a Discrete space. */
export interface ActionDescription {
  readonly name: string;
  readonly meaning: string;
}

/** A gym-style `Discrete(n)`: actions 0..n-1, each named and documented. */
export interface DiscreteSpace {
  readonly kind: 'discrete';
  readonly n: number;
  readonly actions: readonly ActionDescription[];
}

/** An action mask: `mask[a] !== 0` iff action `a` is legal in the current state. */
export type ActionMask = ArrayLike<number>;

/** An observation: one value per Box component, in component order. */
export type Observation = ArrayLike<number>;

/**
 * Build a Box space from its components. `shape` defaults to `[components.length]`.
 * Throws when a bound is NaN, low > high, a name is empty or repeated, or the shape does not
 * match the number of components.
 */
export function boxSpace(components: readonly BoxComponent[], shape?: readonly number[]): BoxSpace {
  const size = components.length;
  if (size === 0) throw new Error('boxSpace: expected at least one component, found none');
  const sh = shape ?? [size];
  const prod = sh.reduce((p, d) => p * d, 1);
  if (sh.some((d) => !Number.isInteger(d) || d <= 0) || prod !== size) {
    throw new Error(`boxSpace: shape [${sh.join(', ')}] must be positive integers whose product is the number of components (${size})`);
  }
  const low = new Float64Array(size);
  const high = new Float64Array(size);
  const seen = new Set<string>();
  for (let i = 0; i < size; i++) {
    const c = components[i];
    if (typeof c.name !== 'string' || c.name === '') throw new Error(`boxSpace: component ${i} needs a non-empty name`);
    if (seen.has(c.name)) throw new Error(`boxSpace: component ${i} repeats the name '${c.name}'`);
    seen.add(c.name);
    if (Number.isNaN(c.low) || Number.isNaN(c.high) || c.low > c.high) {
      throw new Error(`boxSpace: component ${i} '${c.name}' needs low <= high, found low=${c.low} high=${c.high}`);
    }
    low[i] = c.low;
    high[i] = c.high;
  }
  return { kind: 'box', shape: [...sh], size, low, high, components: components.map((c) => ({ ...c })) };
}

/** Build a Discrete space from its action descriptions (names must be unique and non-empty). */
export function discreteSpace(actions: readonly ActionDescription[]): DiscreteSpace {
  if (actions.length === 0) throw new Error('discreteSpace: expected at least one action, found none');
  const seen = new Set<string>();
  actions.forEach((a, i) => {
    if (typeof a.name !== 'string' || a.name === '') throw new Error(`discreteSpace: action ${i} needs a non-empty name`);
    if (seen.has(a.name)) throw new Error(`discreteSpace: action ${i} repeats the name '${a.name}'`);
    seen.add(a.name);
  });
  return { kind: 'discrete', n: actions.length, actions: actions.map((a) => ({ ...a })) };
}

/**
 * Throw unless `obs` has exactly `space.size` finite values each within its component's
 * bounds. The error names the component (index and name), the value and the bounds.
 */
export function validateObservation(space: BoxSpace, obs: Observation, where = 'observation'): void {
  if (obs.length !== space.size) {
    throw new RangeError(`${where}: expected ${space.size} components, found ${obs.length}`);
  }
  for (let i = 0; i < space.size; i++) {
    const v = obs[i];
    if (!(v >= space.low[i] && v <= space.high[i])) {
      const c = space.components[i];
      throw new RangeError(`${where}[${i}] '${c.name}' (${c.meaning}): expected a value in [${c.low}, ${c.high}], found ${v}`);
    }
  }
}

/** Throw unless `mask` has one entry per action and at least one legal action. */
export function validateMask(space: DiscreteSpace, mask: ActionMask, where = 'action mask'): void {
  if (mask.length !== space.n) throw new RangeError(`${where}: expected ${space.n} entries, found ${mask.length}`);
  for (let a = 0; a < space.n; a++) if (mask[a] !== 0) return;
  throw new RangeError(`${where}: every action is masked; expected at least one legal action`);
}

/**
 * Throw unless `action` is an integer in [0, n) and, when a mask is given, legal under it.
 * The error names the action (index and name).
 */
export function validateAction(space: DiscreteSpace, action: number, mask?: ActionMask, where = 'action'): void {
  if (!Number.isInteger(action) || action < 0 || action >= space.n) {
    throw new RangeError(`${where}: expected an integer in [0, ${space.n - 1}], found ${action}`);
  }
  if (mask !== undefined) {
    if (mask.length !== space.n) throw new RangeError(`action mask: expected ${space.n} entries, found ${mask.length}`);
    if (mask[action] === 0) {
      const a = space.actions[action];
      throw new RangeError(`${where} ${action} '${a.name}' (${a.meaning}) is masked (illegal) in this state`);
    }
  }
}

/** JSON form of a Box space (unbounded limits are written as null). */
export interface BoxSpaceJson {
  kind: 'box';
  shape: number[];
  components: { name: string; meaning: string; low: number | null; high: number | null }[];
}

/** JSON form of a Discrete space. */
export interface DiscreteSpaceJson {
  kind: 'discrete';
  n: number;
  actions: { name: string; meaning: string }[];
}

/** Serialise a Box space (±Infinity become null, which JSON can carry). */
export function boxSpaceToJson(space: BoxSpace): BoxSpaceJson {
  return {
    kind: 'box',
    shape: [...space.shape],
    components: space.components.map((c) => ({
      name: c.name,
      meaning: c.meaning,
      low: Number.isFinite(c.low) ? c.low : null,
      high: Number.isFinite(c.high) ? c.high : null,
    })),
  };
}

/** Rebuild a Box space from its JSON form (null limits become ±Infinity). */
export function boxSpaceFromJson(json: BoxSpaceJson): BoxSpace {
  return boxSpace(
    json.components.map((c) => ({ name: c.name, meaning: c.meaning, low: c.low ?? -Infinity, high: c.high ?? Infinity })),
    json.shape,
  );
}

/** Serialise a Discrete space. */
export function discreteSpaceToJson(space: DiscreteSpace): DiscreteSpaceJson {
  return { kind: 'discrete', n: space.n, actions: space.actions.map((a) => ({ name: a.name, meaning: a.meaning })) };
}

/** Rebuild a Discrete space from its JSON form. */
export function discreteSpaceFromJson(json: DiscreteSpaceJson): DiscreteSpace {
  const s = discreteSpace(json.actions);
  if (s.n !== json.n) throw new Error(`discrete space: n=${json.n} but ${s.n} actions are listed`);
  return s;
}
