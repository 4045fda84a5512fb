/**
 * The training and evaluation loops (issue 7 item 4). `train` runs a learner against an env
 * for a fixed number of steps (SB3 `learn(total_timesteps)`: the study trains one continuous
 * 500-step trajectory, calibration-targets.md "Environment: step and timing"), resetting after
 * each finished episode, and returns one learning-curve row per step. `evaluate` runs a frozen
 * policy and computes cumulative/mean reward and QoS-style success/violation ratios from a
 * user-supplied predicate (calibration-targets.md "Metrics").
 *
 * Determinism: everything in the rows is a function of the seeds except `wallMs`, which is
 * present only when a wall clock is injected and is never written to learning.csv unless asked.
 */
import { RandomStreams } from '../core/random.js';
import { writeFileAtomicSync } from './atomic-write.js';
import { currentMask, type Env, type StepInfo, type StepResult } from './env.js';
import type { Policy } from './policy.js';
import type { ActionMask, Observation } from './spaces.js';

/** What `train` needs from a learner (DqnAgent satisfies it). */
export interface Learner {
  /** ε used for the next training action (NaN if not applicable). */
  readonly epsilon: number;
  /** Training-time action (may explore); never a masked action. */
  act(obs: Observation, mask?: ActionMask): number;
  /** Greedy action (used for evaluation). */
  greedyAction(obs: Observation, mask?: ActionMask): number;
  /** Learn from one transition; returns the update statistics of this step. */
  observe(t: { obs: Observation; action: number; reward: number; nextObs: Observation; terminal: boolean; nextMask?: ActionMask }): { updates: number; loss: number; qMean: number };
}

/** One row of the learning curve (one env step). */
export interface LearningRow {
  /** 0-based index of the step in the run. */
  readonly step: number;
  /** 0-based episode index. */
  readonly episode: number;
  readonly action: number;
  readonly reward: number;
  /** Sum of rewards over the run so far, this step included (Fig 6.9 cumulative reward). */
  readonly cumulativeReward: number;
  /** ε the action was chosen with. */
  readonly epsilon: number;
  /** Gradient updates performed after this step. */
  readonly updates: number;
  /** Mean loss of those updates (NaN when none). */
  readonly loss: number;
  /** Mean Q(s, a) of the last update's minibatch (NaN when none). */
  readonly qMean: number;
  /** Wall milliseconds since the start of training (only with an injected wall clock). */
  readonly wallMs?: number;
}

/** Result of `evaluate`. */
export interface EvalResult {
  readonly steps: number;
  readonly episodes: number;
  readonly cumulativeReward: number;
  readonly meanReward: number;
  /** Steps the success predicate accepted (NaN-free: 0 without a predicate). */
  readonly successes: number;
  /** successes / steps (NaN without a predicate). */
  readonly successRatio: number;
  /** 1 − successRatio: the violation ratio (NaN without a predicate). */
  readonly violationRatio: number;
  readonly rewards: Float64Array;
  readonly actions: Int32Array;
}

/** Options of `evaluate`. */
export interface EvalOptions<I extends object> {
  /** Steps to run (episodes are reset as they end). */
  readonly steps: number;
  /** Seed of the first reset; later resets use derived seeds. */
  readonly seed: number;
  /** QoS-style predicate: did this step succeed (e.g. L_a ≤ L_t)? */
  readonly isSuccess?: (result: StepResult<I>, step: number) => boolean;
  /** The `now` passed to the policy (default: the step index). */
  readonly now?: (step: number, lastInfo: I | undefined) => number;
  /** Called after every step. */
  readonly onStep?: (step: number, action: number, result: StepResult<I>) => void;
}

/** Options of `train`. */
export interface TrainOptions<I extends object> {
  /** Env steps to run. */
  readonly steps: number;
  /** Seed of the env resets (the learner carries its own seed). */
  readonly seed: number;
  /** Called after every step with its row and the env's result. */
  readonly onStep?: (row: LearningRow, result: StepResult<I>) => void;
  /** Evaluate the greedy policy every this many steps (needs `evalEnv` and `evalSteps`). */
  readonly evalEvery?: number;
  readonly evalEnv?: Env<I>;
  readonly evalSteps?: number;
  readonly evalSeed?: number;
  readonly isSuccess?: (result: StepResult<I>, step: number) => boolean;
  /** Wall clock in ms (e.g. `wallMillis` from experiment/wallclock.ts); omitted → no wallMs. */
  readonly wallClock?: () => number;
  /** Write the learning curve here (atomically) when training ends. */
  readonly learningCsvPath?: string;
}

/** Result of `train`. */
export interface TrainResult {
  readonly rows: LearningRow[];
  readonly evaluations: { readonly step: number; readonly result: EvalResult }[];
  readonly episodes: number;
  readonly cumulativeReward: number;
}

/** Seeds of successive resets: episode 0 uses `seed`, later episodes a derived substream. */
function resetSeeds(seed: number, name: string): () => number {
  const rng = new RandomStreams(seed).stream(name);
  let first = true;
  return () => {
    if (first) {
      first = false;
      return seed;
    }
    return rng.int(2 ** 31);
  };
}

function checkSteps(steps: number, who: string): void {
  if (!Number.isInteger(steps) || steps <= 0) throw new RangeError(`${who}: steps must be a positive integer, found ${steps}`);
}

/** Train `learner` on `env` for `opts.steps` steps; returns the learning curve. */
export function train<I extends object = StepInfo>(env: Env<I>, learner: Learner, opts: TrainOptions<I>): TrainResult {
  checkSteps(opts.steps, 'train');
  if (!Number.isInteger(opts.seed)) throw new RangeError(`train: seed must be an integer, found ${opts.seed}`);
  if (opts.evalEvery !== undefined) {
    if (!Number.isInteger(opts.evalEvery) || opts.evalEvery <= 0) throw new RangeError(`train: evalEvery must be a positive integer, found ${opts.evalEvery}`);
    if (opts.evalEnv === undefined || opts.evalSteps === undefined) throw new Error('train: evalEvery needs evalEnv (a separate env instance) and evalSteps');
    if (opts.evalEnv === env) throw new Error('train: evalEnv must be a separate env instance (evaluation would disturb the training trajectory)');
  }
  const nextSeed = resetSeeds(opts.seed, 'train:reset');
  const t0 = opts.wallClock?.();
  const rows: LearningRow[] = [];
  const evaluations: { step: number; result: EvalResult }[] = [];
  let obs = copy(env.reset(nextSeed()));
  let mask = copyMask(currentMask(env));
  let episode = 0;
  let cumulative = 0;
  for (let step = 0; step < opts.steps; step++) {
    const epsilon = learner.epsilon;
    const action = learner.act(obs, mask);
    const r = env.step(action);
    const nextObs = copy(r.observation);
    const nextMask = r.done ? undefined : copyMask(currentMask(env));
    const u = learner.observe({ obs, action, reward: r.reward, nextObs, terminal: r.done && r.truncated !== true, nextMask });
    cumulative += r.reward;
    const row: LearningRow = {
      step,
      episode,
      action,
      reward: r.reward,
      cumulativeReward: cumulative,
      epsilon,
      updates: u.updates,
      loss: u.loss,
      qMean: u.qMean,
      ...(opts.wallClock !== undefined && t0 !== undefined ? { wallMs: opts.wallClock() - t0 } : {}),
    };
    rows.push(row);
    opts.onStep?.(row, r);
    if (r.done) {
      episode++;
      obs = copy(env.reset(nextSeed()));
      mask = copyMask(currentMask(env));
    } else {
      obs = nextObs;
      mask = nextMask;
    }
    if (opts.evalEvery !== undefined && (step + 1) % opts.evalEvery === 0 && opts.evalEnv !== undefined && opts.evalSteps !== undefined) {
      const greedy: Policy = { name: 'greedy-learner', nActions: env.actionSpace.n, act: (_now, o, m) => learner.greedyAction(o, m) };
      evaluations.push({
        step: step + 1,
        result: evaluate(opts.evalEnv, greedy, { steps: opts.evalSteps, seed: opts.evalSeed ?? opts.seed, ...(opts.isSuccess ? { isSuccess: opts.isSuccess } : {}) }),
      });
    }
  }
  if (opts.learningCsvPath !== undefined) writeLearningCsv(opts.learningCsvPath, rows);
  return { rows, evaluations, episodes: episode, cumulativeReward: cumulative };
}

/** Run `policy` on `env` for `opts.steps` steps (resetting as episodes end) and summarise. */
export function evaluate<I extends object = StepInfo>(env: Env<I>, policy: Policy, opts: EvalOptions<I>): EvalResult {
  checkSteps(opts.steps, 'evaluate');
  if (policy.nActions !== env.actionSpace.n) throw new Error(`evaluate: the policy has ${policy.nActions} actions, the env ${env.actionSpace.n}`);
  const nextSeed = resetSeeds(opts.seed, 'eval:reset');
  const rewards = new Float64Array(opts.steps);
  const actions = new Int32Array(opts.steps);
  let obs = env.reset(nextSeed());
  let lastInfo: I | undefined;
  let episodes = 0;
  let cumulative = 0;
  let successes = 0;
  for (let step = 0; step < opts.steps; step++) {
    const now = opts.now ? opts.now(step, lastInfo) : step;
    const action = policy.act(now, obs, currentMask(env));
    const r = env.step(action);
    rewards[step] = r.reward;
    actions[step] = action;
    cumulative += r.reward;
    if (opts.isSuccess?.(r, step)) successes++;
    opts.onStep?.(step, action, r);
    lastInfo = r.info;
    if (r.done) {
      episodes++;
      obs = env.reset(nextSeed());
    } else obs = r.observation;
  }
  const ratio = opts.isSuccess ? successes / opts.steps : NaN;
  return {
    steps: opts.steps,
    episodes,
    cumulativeReward: cumulative,
    meanReward: cumulative / opts.steps,
    successes,
    successRatio: ratio,
    violationRatio: opts.isSuccess ? 1 - ratio : NaN,
    rewards,
    actions,
  };
}

/** The learning.csv header (deterministic columns; `wall_ms` only when asked). */
export const LEARNING_CSV_COLUMNS = ['step', 'episode', 'action', 'reward', 'cumulative_reward', 'epsilon', 'updates', 'loss', 'q_mean'] as const;

function cell(v: number): string {
  return Number.isNaN(v) ? '' : String(v);
}

/** The learning curve as CSV text (NaN → empty cell). */
export function learningCsv(rows: readonly LearningRow[], includeWallTime = false): string {
  const header = includeWallTime ? [...LEARNING_CSV_COLUMNS, 'wall_ms'] : [...LEARNING_CSV_COLUMNS];
  const lines = [header.join(',')];
  for (const r of rows) {
    const cells = [r.step, r.episode, r.action, r.reward, r.cumulativeReward, r.epsilon, r.updates, r.loss, r.qMean].map(cell);
    if (includeWallTime) cells.push(r.wallMs === undefined ? '' : cell(r.wallMs));
    lines.push(cells.join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** Write the learning curve to `path` atomically (temp file + rename). */
export function writeLearningCsv(path: string, rows: readonly LearningRow[], includeWallTime = false): void {
  writeFileAtomicSync(path, learningCsv(rows, includeWallTime));
}

function copy(o: Observation): Float64Array {
  return Float64Array.from(o as ArrayLike<number>);
}

function copyMask(m: ActionMask | undefined): Uint8Array | undefined {
  return m === undefined ? undefined : Uint8Array.from(m as ArrayLike<number>, (v) => (v !== 0 ? 1 : 0));
}
