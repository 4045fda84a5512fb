/**
 * The DQN agent (issue 7 item 3) on tfjs, reproducing Stable-Baselines3 DQN semantics
 * (calibration-targets.md, "DRL scheduler design", DQN table; platform-semantics.md f.1–f.2):
 *
 * - `act(obs)`: before `learningStarts` steps a uniformly random legal action; afterwards
 *   ε-greedy with ε = linearEpsilon(num_timesteps) (SB3 draws u < ε, then a random action).
 * - `observe(transition)` is SB3's store + `_on_step` + train: store the transition, count the
 *   step, hard/Polyak target update when num_timesteps % targetUpdateInterval == 0, then
 *   `gradientSteps` updates when num_timesteps % trainFreq == 0 and num_timesteps > learningStarts.
 * - An update samples a minibatch with replacement, computes TD targets (Double DQN by default,
 *   max restricted to legal next actions), Huber loss, Adam, gradients clipped to global norm.
 *
 * Determinism: weights come from seeded initialisers; exploration and replay sampling use
 * named substreams of the agent seed; the backend runs single-threaded (wasm has no threads in
 * Node: WASM_HAS_MULTITHREAD_SUPPORT=false), so the same seed and the same env give
 * bit-identical weights on the same backend (test/rl/agent.test.ts). Measured: initial weights
 * are identical on wasm and cpu (initialisers draw in JS), but trained weights differ between the
 * two backends at float32 rounding level (max |Δ| 1.6e-7 after 160 steps), which can change a
 * greedy argmax over a long run; the backend is therefore recorded in spec.json. A wasm build
 * with threads (not available in Node) could reorder reductions and break bit-identity.
 * Replay capacity is min(bufferSize, totalSteps): identical to SB3 while the run never exceeds
 * totalSteps (the study's 10^6 buffer never fills in 500 steps), and `observe` refuses to go
 * beyond totalSteps rather than silently overwriting.
 */
import * as tf from '@tensorflow/tfjs';
import { RandomStreams, type RandomStream } from '../../core/random.js';
import { saveModelToDir } from '../model-io.js';
import { POLICY_FORMAT, writePolicySpec, type PolicySpec, type ProvenanceValue } from '../policy-spec.js';
import { boxSpaceToJson, discreteSpaceToJson, type ActionMask, type BoxSpace, type DiscreteSpace, type Observation } from '../spaces.js';
import type { Normalization } from '../normalization.js';
import { initBackend, type BackendChoice } from './backend.js';
import { resolveDqnConfig, type DqnConfig } from './config.js';
import { buildQNetwork, polyakUpdate, setWeightArrays, weightArrays } from './network.js';
import { ReplayBuffer, type Batch } from './replay-buffer.js';
import { linearEpsilon } from './schedule.js';
import { clipFactor, maskedArgmax, tdTargets } from './td-target.js';

/** Options for `DqnAgent.create`. */
export interface DqnAgentOptions {
  readonly observationDim: number;
  readonly nActions: number;
  /** Planned training length in env steps (SB3 `total_timesteps`): drives the ε schedule. */
  readonly totalSteps: number;
  /** Agent seed: weight init, exploration and replay sampling substreams. */
  readonly seed: number;
  readonly config?: Partial<DqnConfig>;
  /** tfjs backend (default 'auto': wasm, falling back to cpu with a log line). */
  readonly backend?: BackendChoice;
}

/** One environment transition, as seen by the learner. */
export interface Transition {
  readonly obs: Observation;
  readonly action: number;
  readonly reward: number;
  readonly nextObs: Observation;
  /** Terminal next state (no bootstrap). A time-limit truncation is NOT terminal. */
  readonly terminal: boolean;
  /** Legal actions in the next state (restricts the TD max/argmax). */
  readonly nextMask?: ActionMask;
}

/** What `observe` did. */
export interface ObserveResult {
  /** Gradient updates performed in this call (0 when none was due). */
  readonly updates: number;
  /** Mean loss over those updates (NaN when none). */
  readonly loss: number;
  /** Mean Q(s, a) over the last update's minibatch (NaN when none). */
  readonly qMean: number;
  /** The target network was synchronised in this call. */
  readonly targetSynced: boolean;
}

/** Statistics of one gradient update. */
export interface UpdateStats {
  readonly loss: number;
  readonly qMean: number;
  /** Global gradient norm before clipping. */
  readonly gradNorm: number;
}

export class DqnAgent {
  readonly config: DqnConfig;
  readonly online: tf.Sequential;
  readonly target: tf.Sequential;
  readonly buffer: ReplayBuffer;
  /** Env steps observed so far (SB3 `num_timesteps`). */
  numTimesteps = 0;
  /** Gradient updates performed so far (SB3 `_n_updates`). */
  numUpdates = 0;
  private readonly optimizer: tf.AdamOptimizer;
  private readonly exploreRng: RandomStream;
  private readonly replayRng: RandomStream;
  private readonly targets: Float32Array;
  private readonly legal: Int32Array;

  private constructor(
    readonly observationDim: number,
    readonly nActions: number,
    readonly totalSteps: number,
    readonly seed: number,
    readonly backend: 'wasm' | 'cpu',
    config: DqnConfig,
  ) {
    this.config = config;
    const streams = new RandomStreams(seed);
    const initRng = streams.stream('dqn:init');
    this.exploreRng = streams.stream('dqn:explore');
    this.replayRng = streams.stream('dqn:replay');
    this.online = buildQNetwork(observationDim, nActions, config.hidden, config.init, initRng, 'q');
    this.target = buildQNetwork(observationDim, nActions, config.hidden, config.init, initRng, 'q_target');
    this.target.trainable = false;
    polyakUpdate(this.online, this.target, 1);
    this.optimizer = tf.train.adam(config.learningRate, 0.9, 0.999, config.adamEpsilon);
    this.buffer = new ReplayBuffer(Math.min(config.bufferSize, totalSteps), observationDim, nActions);
    this.targets = new Float32Array(config.batchSize);
    this.legal = new Int32Array(nActions);
  }

  /** Initialise the tfjs backend and build an agent. */
  static async create(opts: DqnAgentOptions): Promise<DqnAgent> {
    const { observationDim, nActions, totalSteps, seed } = opts;
    for (const [k, v] of [['observationDim', observationDim], ['nActions', nActions], ['totalSteps', totalSteps]] as const) {
      if (!Number.isInteger(v) || v <= 0) throw new RangeError(`DqnAgent: ${k} must be a positive integer, found ${v}`);
    }
    if (!Number.isInteger(seed)) throw new RangeError(`DqnAgent: seed must be an integer, found ${seed}`);
    const config = resolveDqnConfig(opts.config);
    const backend = await initBackend(opts.backend ?? 'auto');
    return new DqnAgent(observationDim, nActions, totalSteps, seed, backend, config);
  }

  /** ε for the action at the current step (SB3 linear schedule). */
  get epsilon(): number {
    const c = this.config;
    return linearEpsilon(this.numTimesteps, this.totalSteps, c.explorationInitialEps, c.explorationFinalEps, c.explorationFraction);
  }

  /** Q-values of one observation under the online network. */
  qValues(obs: Observation): Float32Array {
    this.checkObs(obs);
    const t = tf.tidy(() => this.online.predict(tf.tensor2d(Float32Array.from(obs), [1, this.observationDim])) as tf.Tensor);
    const q = t.dataSync() as Float32Array;
    t.dispose();
    return q;
  }

  /** Greedy legal action (ties → lowest index): SB3 `predict(deterministic=True)`. */
  greedyAction(obs: Observation, mask?: ActionMask): number {
    this.checkMask(mask);
    return maskedArgmax(this.qValues(obs), this.nActions, 0, mask);
  }

  /** Training-time action: random during learning starts, then ε-greedy; never a masked action. */
  act(obs: Observation, mask?: ActionMask): number {
    this.checkMask(mask);
    if (this.numTimesteps < this.config.learningStarts) return this.randomLegal(mask);
    if (this.exploreRng.next() < this.epsilon) return this.randomLegal(mask);
    return maskedArgmax(this.qValues(obs), this.nActions, 0, mask);
  }

  /** Store a transition, then sync the target and update as SB3's `_on_step`/train would. */
  observe(t: Transition): ObserveResult {
    if (this.numTimesteps >= this.totalSteps) {
      throw new Error(`DqnAgent.observe: the agent was created for totalSteps=${this.totalSteps} and has observed them all; create it with a larger totalSteps`);
    }
    this.buffer.add(t.obs, t.action, t.reward, t.nextObs, t.terminal, t.nextMask);
    this.numTimesteps++;
    const c = this.config;
    let targetSynced = false;
    if (this.numTimesteps % c.targetUpdateInterval === 0) {
      polyakUpdate(this.online, this.target, c.tau);
      targetSynced = true;
    }
    let updates = 0;
    let lossSum = 0;
    let qMean = NaN;
    if (this.numTimesteps % c.trainFreq === 0 && this.numTimesteps > c.learningStarts) {
      for (let g = 0; g < c.gradientSteps; g++) {
        const s = this.update(this.buffer.sample(c.batchSize, this.replayRng));
        lossSum += s.loss;
        qMean = s.qMean;
        updates++;
      }
    }
    return { updates, loss: updates > 0 ? lossSum / updates : NaN, qMean, targetSynced };
  }

  /** TD targets of `batch` under the current networks (see td-target.ts). */
  computeTargets(batch: Batch, out: Float32Array = new Float32Array(batch.size)): Float32Array {
    const n = this.nActions;
    const [qOn, qTg] = tf.tidy(() => {
      const s2 = tf.tensor2d(batch.nextObs, [batch.size, this.observationDim]);
      const tg = this.target.predict(s2) as tf.Tensor;
      const on = this.config.double ? (this.online.predict(s2) as tf.Tensor) : tg;
      return [on, tg];
    });
    const qTargetNext = qTg.dataSync();
    const qOnlineNext = this.config.double ? qOn.dataSync() : qTargetNext;
    tdTargets(batch.rewards, batch.dones, qOnlineNext, qTargetNext, n, this.config.gamma, this.config.double, batch.nextMasks, out);
    tf.dispose([qOn, qTg]);
    return out;
  }

  /** One gradient update on `batch`: Huber loss, global-norm clip, Adam step. */
  update(batch: Batch): UpdateStats {
    const c = this.config;
    const y = this.computeTargets(batch, batch.size === this.targets.length ? this.targets : new Float32Array(batch.size));
    const vars = this.online.trainableWeights.map((w) => w.read() as tf.Variable);
    let qaKept: tf.Tensor | undefined;
    const s = tf.tensor2d(batch.obs, [batch.size, this.observationDim]);
    const a = tf.tensor1d(batch.actions, 'int32');
    const yT = tf.tensor1d(y);
    const { value, grads } = this.optimizer.computeGradients(() => {
      const q = this.online.apply(s, { training: true }) as tf.Tensor2D;
      const qa = tf.sum(tf.mul(q, tf.oneHot(a, this.nActions)), 1);
      qaKept = tf.keep(qa);
      return tf.losses.huberLoss(yT, qa, undefined, c.huberDelta) as tf.Scalar;
    }, vars);
    const names = Object.keys(grads);
    const sq = tf.tidy(() => tf.addN(names.map((k) => tf.sum(tf.square(grads[k])))));
    const gradNorm = Math.sqrt(sq.dataSync()[0]);
    const f = clipFactor(gradNorm, c.maxGradNorm);
    if (f < 1) {
      const scaled = names.map((name) => ({ name, tensor: tf.mul(grads[name], f) }));
      this.optimizer.applyGradients(scaled);
      tf.dispose(scaled.map((g) => g.tensor));
    } else {
      this.optimizer.applyGradients(names.map((name) => ({ name, tensor: grads[name] })));
    }
    const loss = value.dataSync()[0];
    const qMean = qaKept === undefined ? NaN : tf.tidy(() => tf.mean(qaKept as tf.Tensor)).dataSync()[0];
    tf.dispose([s, a, yT, value, sq, ...Object.values(grads)]);
    if (qaKept !== undefined) qaKept.dispose();
    this.numUpdates++;
    return { loss, qMean, gradNorm };
  }

  /** Copy of the online (or target) network weights, for comparisons and tests. */
  weights(which: 'online' | 'target' = 'online'): Float32Array[] {
    return weightArrays(which === 'online' ? this.online : this.target);
  }

  /** Overwrite the online weights (and, unless `syncTarget` is false, the target's). */
  setWeights(arrays: readonly ArrayLike<number>[], syncTarget = true): void {
    setWeightArrays(this.online, arrays);
    if (syncTarget) polyakUpdate(this.online, this.target, 1);
  }

  /**
   * Save the online network and `spec.json` into `dir`: the deployable policy
   * (load it with `loadPolicy` from policy.ts).
   */
  async save(
    dir: string,
    meta: {
      observationSpace: BoxSpace;
      actionSpace: DiscreteSpace;
      normalization?: Normalization;
      training?: Record<string, ProvenanceValue>;
    },
  ): Promise<void> {
    if (meta.observationSpace.size !== this.observationDim) {
      throw new Error(`DqnAgent.save: the observation space has ${meta.observationSpace.size} components, the network expects ${this.observationDim}`);
    }
    if (meta.normalization !== undefined && meta.normalization.low.length !== this.observationDim) {
      throw new Error(`DqnAgent.save: the normalisation has ${meta.normalization.low.length} components, the network expects ${this.observationDim}`);
    }
    if (meta.actionSpace.n !== this.nActions) throw new Error(`DqnAgent.save: the action space has ${meta.actionSpace.n} actions, the network outputs ${this.nActions}`);
    await saveModelToDir(this.online, dir);
    const hyper: Record<string, ProvenanceValue | ProvenanceValue[]> = {};
    for (const [k, v] of Object.entries(this.config) as [string, DqnConfig[keyof DqnConfig]][]) hyper[k] = Array.isArray(v) ? [...v] : (v as ProvenanceValue);
    const spec: PolicySpec = {
      format: POLICY_FORMAT,
      algorithm: this.config.double ? 'double-dqn' : 'dqn',
      observationSpace: boxSpaceToJson(meta.observationSpace),
      actionSpace: discreteSpaceToJson(meta.actionSpace),
      normalization: meta.normalization ?? null,
      hyperparameters: hyper,
      seed: this.seed,
      training: {
        totalSteps: this.totalSteps,
        stepsObserved: this.numTimesteps,
        updates: this.numUpdates,
        backend: this.backend,
        tfjsVersion: tf.version.tfjs,
        ...(meta.training ?? {}),
      },
    };
    writePolicySpec(dir, spec);
  }

  /** Release the tfjs tensors of both networks and the optimizer. */
  dispose(): void {
    this.online.dispose();
    this.target.dispose();
    this.optimizer.dispose();
  }

  private randomLegal(mask?: ActionMask): number {
    if (mask === undefined) return this.exploreRng.int(this.nActions);
    let k = 0;
    for (let a = 0; a < this.nActions; a++) if (mask[a] !== 0) this.legal[k++] = a;
    return this.legal[this.exploreRng.int(k)];
  }

  private checkObs(obs: Observation): void {
    if (obs.length !== this.observationDim) throw new RangeError(`DqnAgent: expected an observation of ${this.observationDim} components, found ${obs.length}`);
  }

  private checkMask(mask?: ActionMask): void {
    if (mask === undefined) return;
    if (mask.length !== this.nActions) throw new RangeError(`DqnAgent: expected an action mask of ${this.nActions} entries, found ${mask.length}`);
    for (let a = 0; a < this.nActions; a++) if (mask[a] !== 0) return;
    throw new RangeError('DqnAgent: every action is masked; expected at least one legal action');
  }
}
