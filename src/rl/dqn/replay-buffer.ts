/**
 * Experience replay as a fixed-capacity ring over typed arrays (issue 7 item 3; SB3
 * `ReplayBuffer` semantics, calibration-targets.md DQN table): once full, each new transition
 * overwrites the oldest; a minibatch is `batchSize` indices drawn uniformly WITH replacement
 * from the stored transitions (SB3 `np.random.randint(0, upper_bound, size=batch_size)`),
 * from a seeded RandomStream.
 */
import type { RandomStream } from '../../core/random.js';
import type { ActionMask, Observation } from '../spaces.js';

/** A sampled minibatch; arrays are reused across `sample` calls (copy to keep). */
export interface Batch {
  readonly size: number;
  /** Ring slots the rows came from. */
  readonly indices: Int32Array;
  /** size × obsDim, row-major. */
  readonly obs: Float32Array;
  readonly actions: Int32Array;
  readonly rewards: Float32Array;
  readonly nextObs: Float32Array;
  /** 1 when the next state is terminal (no bootstrap), else 0. */
  readonly dones: Uint8Array;
  /** size × nActions legality of actions in the next state (1 = legal); all ones without masks. */
  readonly nextMasks: Uint8Array;
}

export class ReplayBuffer {
  readonly obs: Float32Array;
  readonly nextObs: Float32Array;
  readonly actions: Int32Array;
  readonly rewards: Float32Array;
  readonly dones: Uint8Array;
  readonly nextMasks: Uint8Array;
  private pos = 0;
  private full = false;
  private readonly batchCache = new Map<number, Batch>();

  constructor(
    readonly capacity: number,
    readonly obsDim: number,
    readonly nActions: number,
  ) {
    for (const [k, v] of [['capacity', capacity], ['obsDim', obsDim], ['nActions', nActions]] as const) {
      if (!Number.isInteger(v) || v <= 0) throw new RangeError(`ReplayBuffer: ${k} must be a positive integer, found ${v}`);
    }
    this.obs = new Float32Array(capacity * obsDim);
    this.nextObs = new Float32Array(capacity * obsDim);
    this.actions = new Int32Array(capacity);
    this.rewards = new Float32Array(capacity);
    this.dones = new Uint8Array(capacity);
    this.nextMasks = new Uint8Array(capacity * nActions);
  }

  /** Number of stored transitions (≤ capacity). */
  get size(): number {
    return this.full ? this.capacity : this.pos;
  }

  /** The slot the next `add` writes. */
  get position(): number {
    return this.pos;
  }

  /** Store one transition (overwrites the oldest when full). */
  add(obs: Observation, action: number, reward: number, nextObs: Observation, done: boolean, nextMask?: ActionMask): void {
    const d = this.obsDim;
    if (obs.length !== d || nextObs.length !== d) {
      throw new RangeError(`ReplayBuffer.add: expected observations of ${d} components, found ${obs.length} and ${nextObs.length}`);
    }
    if (!Number.isInteger(action) || action < 0 || action >= this.nActions) {
      throw new RangeError(`ReplayBuffer.add: expected an action in [0, ${this.nActions - 1}], found ${action}`);
    }
    const p = this.pos;
    const o = p * d;
    for (let i = 0; i < d; i++) {
      this.obs[o + i] = obs[i];
      this.nextObs[o + i] = nextObs[i];
    }
    this.actions[p] = action;
    this.rewards[p] = reward;
    this.dones[p] = done ? 1 : 0;
    const n = this.nActions;
    const m = p * n;
    if (nextMask === undefined) this.nextMasks.fill(1, m, m + n);
    else {
      if (nextMask.length !== n) throw new RangeError(`ReplayBuffer.add: expected a mask of ${n} entries, found ${nextMask.length}`);
      for (let a = 0; a < n; a++) this.nextMasks[m + a] = nextMask[a] !== 0 ? 1 : 0;
    }
    this.pos = p + 1;
    if (this.pos === this.capacity) {
      this.pos = 0;
      this.full = true;
    }
  }

  /** Draw `batchSize` stored transitions uniformly with replacement using `rng`. */
  sample(batchSize: number, rng: RandomStream): Batch {
    const size = this.size;
    if (size === 0) throw new Error('ReplayBuffer.sample: the buffer is empty');
    if (!Number.isInteger(batchSize) || batchSize <= 0) throw new RangeError(`ReplayBuffer.sample: batchSize must be a positive integer, found ${batchSize}`);
    const b = this.batchFor(batchSize);
    const d = this.obsDim;
    const n = this.nActions;
    const idx = b.indices as Int32Array;
    for (let k = 0; k < batchSize; k++) idx[k] = rng.int(size);
    for (let k = 0; k < batchSize; k++) {
      const i = idx[k];
      (b.obs as Float32Array).set(this.obs.subarray(i * d, i * d + d), k * d);
      (b.nextObs as Float32Array).set(this.nextObs.subarray(i * d, i * d + d), k * d);
      (b.actions as Int32Array)[k] = this.actions[i];
      (b.rewards as Float32Array)[k] = this.rewards[i];
      (b.dones as Uint8Array)[k] = this.dones[i];
      (b.nextMasks as Uint8Array).set(this.nextMasks.subarray(i * n, i * n + n), k * n);
    }
    return b;
  }

  private batchFor(size: number): Batch {
    let b = this.batchCache.get(size);
    if (b === undefined) {
      b = {
        size,
        indices: new Int32Array(size),
        obs: new Float32Array(size * this.obsDim),
        actions: new Int32Array(size),
        rewards: new Float32Array(size),
        nextObs: new Float32Array(size * this.obsDim),
        dones: new Uint8Array(size),
        nextMasks: new Uint8Array(size * this.nActions),
      };
      this.batchCache.set(size, b);
    }
    return b;
  }
}
