/**
 * DQN hyperparameters. Defaults are the DRL study's (calibration-targets.md, "DRL scheduler
 * design", DQN table), with SB3 semantics for everything the study left unreported.
 */

/** Hyperparameters of a DQN agent (SB3 names in parentheses). */
export interface DqnConfig {
  /** Hidden layer widths, ReLU (study: 256-128-64, reported). */
  readonly hidden: readonly number[];
  /** Adam learning rate (`learning_rate`; study: 0.0025, reported). */
  readonly learningRate: number;
  /** Adam ε (PyTorch default 1e-8: the study used framework defaults, suggested). */
  readonly adamEpsilon: number;
  /** Discount γ (`gamma`; study 0.99, reported). */
  readonly gamma: number;
  /** Minibatch size (`batch_size`; study 32, reported). */
  readonly batchSize: number;
  /** Replay capacity in transitions (`buffer_size`; study 10^6, reported). */
  readonly bufferSize: number;
  /** Env steps with uniformly random actions and no update (`learning_starts`; suggested 32). */
  readonly learningStarts: number;
  /** Update every this many env steps (`train_freq`; SB3 4, suggested). */
  readonly trainFreq: number;
  /** Gradient steps per update (`gradient_steps`; SB3 1, suggested). */
  readonly gradientSteps: number;
  /** Target sync period in env steps (`target_update_interval`; study 60, reported). */
  readonly targetUpdateInterval: number;
  /** Polyak coefficient (`tau`; 1 = hard copy, SB3 default). */
  readonly tau: number;
  /** ε at the start (`exploration_initial_eps`; study 1, reported). */
  readonly explorationInitialEps: number;
  /** ε at the end (`exploration_final_eps`; study 0.01, reported). */
  readonly explorationFinalEps: number;
  /** Fraction of training over which ε decays linearly (`exploration_fraction`; study 0.2, reported). */
  readonly explorationFraction: number;
  /** Global gradient-norm clip (`max_grad_norm`; SB3 10, suggested). */
  readonly maxGradNorm: number;
  /** Huber threshold δ (SB3 smooth-L1 β = 1, suggested). */
  readonly huberDelta: number;
  /**
   * Double DQN target (issue 7 item 3). The study's SB3 DQN used the plain max target: set
   * false to reproduce it exactly.
   */
  readonly double: boolean;
  /**
   * Weight initialisation: 'torch' = PyTorch nn.Linear default, weights and biases
   * U(±1/√fan_in), as in SB3 (the study used framework defaults); 'glorot' = Keras default
   * (Glorot-uniform weights, zero biases).
   */
  readonly init: 'torch' | 'glorot';
}

/** The study's hyperparameters (calibration-targets.md DQN table), Double DQN per issue 7. */
export const STUDY_DQN_DEFAULTS: DqnConfig = Object.freeze({
  hidden: Object.freeze([256, 128, 64]) as readonly number[],
  learningRate: 0.0025,
  adamEpsilon: 1e-8,
  gamma: 0.99,
  batchSize: 32,
  bufferSize: 1_000_000,
  learningStarts: 32,
  trainFreq: 4,
  gradientSteps: 1,
  targetUpdateInterval: 60,
  tau: 1,
  explorationInitialEps: 1,
  explorationFinalEps: 0.01,
  explorationFraction: 0.2,
  maxGradNorm: 10,
  huberDelta: 1,
  double: true,
  init: 'torch',
});

/** Merge `overrides` onto the study defaults and check every value; errors name the field. */
export function resolveDqnConfig(overrides: Partial<DqnConfig> = {}): DqnConfig {
  const c: DqnConfig = { ...STUDY_DQN_DEFAULTS, ...overrides };
  const posInt = (k: keyof DqnConfig): void => {
    const v = c[k];
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) throw new RangeError(`dqn config ${k}: expected a positive integer, found ${String(v)}`);
  };
  const inRange = (k: keyof DqnConfig, lo: number, hi: number, loOpen = false): void => {
    const v = c[k];
    if (typeof v !== 'number' || !(loOpen ? v > lo : v >= lo) || !(v <= hi)) {
      throw new RangeError(`dqn config ${k}: expected a number in ${loOpen ? '(' : '['}${lo}, ${hi}], found ${String(v)}`);
    }
  };
  posInt('batchSize');
  posInt('bufferSize');
  posInt('trainFreq');
  posInt('gradientSteps');
  posInt('targetUpdateInterval');
  if (!Number.isInteger(c.learningStarts) || c.learningStarts < 0) throw new RangeError(`dqn config learningStarts: expected an integer >= 0, found ${c.learningStarts}`);
  inRange('learningRate', 0, Infinity, true);
  inRange('adamEpsilon', 0, Infinity, true);
  inRange('gamma', 0, 1);
  inRange('tau', 0, 1, true);
  inRange('explorationInitialEps', 0, 1);
  inRange('explorationFinalEps', 0, 1);
  inRange('explorationFraction', 0, 1);
  inRange('maxGradNorm', 0, Infinity, true);
  inRange('huberDelta', 0, Infinity, true);
  if (!Array.isArray(c.hidden) || c.hidden.some((h) => !Number.isInteger(h) || h <= 0)) {
    throw new RangeError(`dqn config hidden: expected a list of positive integers, found ${JSON.stringify(c.hidden)}`);
  }
  if (typeof c.double !== 'boolean') throw new RangeError(`dqn config double: expected a boolean, found ${String(c.double)}`);
  if (c.init !== 'torch' && c.init !== 'glorot') throw new RangeError(`dqn config init: expected 'torch' or 'glorot', found '${String(c.init)}'`);
  return c;
}
