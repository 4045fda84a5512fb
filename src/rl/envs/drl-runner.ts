/**
 * Running the workflow environment end to end: a DQN agent's training (with the per-step record
 * and the learning curve), a frozen policy's evaluation, and the baselines that choose whole
 * configurations (native Kubernetes, static, best static per phase). Every run returns the
 * per-step infos; `stepsCsv` writes them as the spec's per-step CSV (calibration-targets.md,
 * "Reproduction experiment", drl-training "Per-step CSV").
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DqnAgent, type DqnConfig } from '../dqn/index.js';
import { fixedActionPolicy, randomPolicy, type Policy } from '../policy.js';
import { train, writeLearningCsv, type LearningRow } from '../train.js';
import { writeFileAtomicSync } from '../atomic-write.js';
import type { ProvenanceValue } from '../policy-spec.js';
import { runMetrics, type RunMetrics } from './metrics.js';
import { bestStaticPerPhase, type ProfileOptions } from './oracle.js';
import { phaseIndexAt } from './schedule.js';
import { initialConfiguration, type Configuration } from './topology.js';
import type { WorkflowEnv, WorkflowStepInfo } from './workflow-env.js';

/** The study's DQN: the SB3 plain DQN (double: false), other hyperparameters as STUDY_DQN_DEFAULTS. */
export const STUDY_DQN_OVERRIDES: Partial<DqnConfig> = Object.freeze({ double: false });

/** A baseline that is not an action policy. */
export type ConfigurationBaseline = 'kubernetes' | 'static' | 'best-static';

/** Names of every baseline `servesim eval --policy` accepts. */
export const BASELINES = ['kubernetes', 'static', 'random', 'best-static'] as const;
export type Baseline = (typeof BASELINES)[number];

/** Result of one run of the environment. */
export interface EnvRun {
  readonly infos: WorkflowStepInfo[];
  readonly metrics: RunMetrics;
  /** Simulated seconds of the whole run. */
  readonly simulatedSeconds: number;
}

function finish(env: WorkflowEnv, infos: WorkflowStepInfo[], window: number, threshold: number): EnvRun {
  return { infos, metrics: runMetrics(infos, window, threshold), simulatedSeconds: infos.length > 0 ? infos[infos.length - 1].simTime : env.now / 1e6 };
}

/** Convergence parameters (spec suggested: 20-step window, 0.8). */
export interface ConvergenceOptions {
  readonly window?: number;
  readonly threshold?: number;
}

/**
 * Run `policy` (frozen) for `steps` steps from `reset(seed)`, resetting when an episode ends. The
 * policy receives `now` = simulated µs at the decision point.
 */
export function runPolicy(env: WorkflowEnv, policy: Policy, steps: number, seed: number, c: ConvergenceOptions = {}): EnvRun {
  if (policy.nActions !== env.actionSpace.n) throw new Error(`policy ${policy.name} has ${policy.nActions} actions; the ${env.variant} environment has ${env.actionSpace.n}`);
  const infos: WorkflowStepInfo[] = [];
  let obs = env.reset(seed);
  let episode = 0;
  for (let i = 0; i < steps; i++) {
    const a = policy.act(env.now, obs, env.actionMask());
    const r = env.step(a);
    infos.push(r.info);
    if (r.done) obs = env.reset(seed + ++episode);
    else obs = r.observation;
  }
  return finish(env, infos, c.window ?? 20, c.threshold ?? 0.8);
}

/**
 * Run a configuration baseline: 'static' keeps the reset configuration; 'kubernetes' deploys every
 * function once with the kube-scheduler at the first step and never moves or scales it (§6.4.6);
 * 'best-static' applies, in each phase, that phase's best configuration from the exhaustive sweep.
 */
export function runConfigurationBaseline(env: WorkflowEnv, baseline: ConfigurationBaseline, steps: number, seed: number, profile?: ProfileOptions, c: ConvergenceOptions = {}): EnvRun {
  const infos: WorkflowStepInfo[] = [];
  let best: Configuration[] | undefined;
  if (baseline === 'best-static') {
    if (profile === undefined) throw new Error('best-static baseline: needs the profiling options');
    best = bestStaticPerPhase(profile, env.schedule.phases, env.reward).map((x) => x.best.config);
  }
  let episode = 0;
  env.reset(seed);
  let native: Configuration | undefined;
  for (let i = 0; i < steps; i++) {
    let cfg: Configuration;
    if (baseline === 'static') cfg = initialConfiguration(env.topology);
    else if (baseline === 'kubernetes') cfg = native ??= env.nativeDeployment();
    else cfg = best![phaseIndexAt(env.schedule, env.position)];
    const r = env.stepConfiguration(cfg, baseline);
    infos.push(r.info);
    if (r.done) {
      env.reset(seed + ++episode);
      native = undefined;
    }
  }
  return finish(env, infos, c.window ?? 20, c.threshold ?? 0.8);
}

/** Run any baseline by name (random and static as action policies of the env's variant). */
export function runBaseline(env: WorkflowEnv, baseline: Baseline, steps: number, seed: number, profile?: ProfileOptions, c: ConvergenceOptions = {}): EnvRun {
  if (baseline === 'random') return runPolicy(env, randomPolicy(env.actionSpace.n, seed), steps, seed, c);
  if (baseline === 'static') return runPolicy(env, fixedActionPolicy(env.actionSpace.n, env.actionSpace.n - 1, 'static'), steps, seed, c);
  return runConfigurationBaseline(env, baseline, steps, seed, profile, c);
}

/** Options of `trainDqn`. */
export interface TrainDqnOptions {
  readonly steps: number;
  readonly seed: number;
  readonly dqn?: Partial<DqnConfig>;
  /** Save the policy (model.json, weights.bin, spec.json) here. */
  readonly policyDir?: string;
  /** Extra provenance for spec.json. */
  readonly provenance?: Record<string, ProvenanceValue>;
  readonly convergence?: ConvergenceOptions;
  /** Wall clock (ms) for the learning curve's wall_ms column (CLI only). */
  readonly wallClock?: () => number;
}

/** Result of `trainDqn`. */
export interface TrainDqnResult extends EnvRun {
  readonly rows: LearningRow[];
  readonly updates: number;
}

/**
 * Train a DQN agent (study hyperparameters unless overridden) on `env` for `steps` steps (one
 * continuous trajectory unless the env is episodic), save it as a deployable policy with its
 * observation/action spec, and return the per-step record and the learning curve.
 */
export async function trainDqn(env: WorkflowEnv, o: TrainDqnOptions): Promise<TrainDqnResult> {
  const agent = await DqnAgent.create({
    observationDim: env.observationSpace.size,
    nActions: env.actionSpace.n,
    totalSteps: o.steps,
    seed: o.seed,
    config: { ...STUDY_DQN_OVERRIDES, ...(o.dqn ?? {}) },
  });
  try {
    const infos: WorkflowStepInfo[] = [];
    const res = train(env, agent, {
      steps: o.steps,
      seed: o.seed,
      onStep: (_row, r) => infos.push(r.info),
      ...(o.wallClock !== undefined ? { wallClock: o.wallClock } : {}),
    });
    if (o.policyDir !== undefined) {
      mkdirSync(o.policyDir, { recursive: true });
      await agent.save(o.policyDir, {
        observationSpace: env.observationSpace,
        actionSpace: env.actionSpace,
        training: {
          environment: 'workflow-scheduling',
          variant: env.variant,
          schedule: env.schedule.name,
          steps: o.steps,
          frames: env.frames,
          waitSeconds: env.wait / 1e6,
          masking: env.masking,
          reward: JSON.stringify(env.reward),
          counterMax: JSON.stringify(env.counterMax),
          topology: JSON.stringify(env.topology),
          ...(o.provenance ?? {}),
        },
      });
    }
    const c = o.convergence ?? {};
    return { ...finish(env, infos, c.window ?? 20, c.threshold ?? 0.8), rows: res.rows, updates: agent.numUpdates };
  } finally {
    agent.dispose();
  }
}

/** Columns of steps.csv. */
export function stepsCsvHeader(env: WorkflowEnv): string[] {
  const t = env.topology;
  return [
    'step', 'phase', 'target_s',
    ...t.nodes.flatMap((n) => [`${n}_cpu_level`, `${n}_occupied_cores`]),
    'action', 'action_name', 'moved_unit', 'destination',
    ...t.functions.map((f) => `${f}_node`),
    'replicas', 'sp', 'latency_s', 'reported_latency_s', 'q', 'success', 'reward', 'cumulative_reward',
    'epsilon', 'loss', 'target_synced',
    'move_s', 'step_s', 'sim_time_s',
  ];
}

/** The per-step CSV text (learning columns empty when `rows` is absent). */
export function stepsCsv(env: WorkflowEnv, infos: readonly WorkflowStepInfo[], rows?: readonly LearningRow[], targetInterval = 0): string {
  const lines = [stepsCsvHeader(env).join(',')];
  let cum = 0;
  infos.forEach((s, i) => {
    cum += s.reward;
    const row = rows?.[i];
    const synced = row !== undefined && targetInterval > 0 && (i + 1) % targetInterval === 0 ? 1 : 0;
    const cells: (string | number)[] = [
      s.step, s.phase, s.target,
      ...s.pressure.flatMap((p, k) => [p, s.occupiedCores[k]]),
      s.action, s.actionName, s.movedUnit ?? '', s.destination ?? '',
      ...s.placement,
      s.replicas, s.sp, s.latency, s.reportedLatency, s.q, s.success ? 1 : 0, s.reward, cum,
      row === undefined ? '' : row.epsilon, row === undefined || Number.isNaN(row.loss) ? '' : row.loss, row === undefined ? '' : synced,
      s.moveTime, s.stepTime, s.simTime,
    ];
    lines.push(cells.join(','));
  });
  return `${lines.join('\n')}\n`;
}

/** Write steps.csv (and learning.csv when rows are given) into `dir`, atomically. */
export function writeRunFiles(dir: string, env: WorkflowEnv, infos: readonly WorkflowStepInfo[], rows?: readonly LearningRow[], targetInterval = 0): void {
  mkdirSync(dir, { recursive: true });
  writeFileAtomicSync(join(dir, 'steps.csv'), stepsCsv(env, infos, rows, targetInterval));
  if (rows !== undefined) writeLearningCsv(join(dir, 'learning.csv'), rows);
}
