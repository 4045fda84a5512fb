/**
 * Scenario kinds `drl-training` and `drl-evaluation` (study 5 reproduction experiments,
 * calibration-targets.md "Reproduction experiment": drl-training.yaml / drl-evaluation.yaml):
 * every variant × seed trained (or evaluated frozen) on a `drl-workflow` environment file, plus
 * the baselines on the same schedule and seeds, with per-(arm, seed) metrics, mean/sd/min/max over
 * seeds, the harness checks CT5-17 … CT5-21, per-step CSVs and learning curves.
 *
 * Training is asynchronous (tfjs), so these kinds run through `servesim train FILE` and
 * `servesim eval FILE`; `servesim run` explains that. `runDrlTraining` / `runDrlEvaluation` are
 * the entry points.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { SECOND } from '../../core/time.js';
import { loadScenario } from '../../scenario/load.js';
import { ScenarioError } from '../../scenario/errors.js';
import { getKind, registerKind, type Check, type JsonValue, type Table } from '../../scenario/registry.js';
import { loadPolicy } from '../../rl/policy.js';
import { BASELINES, runBaseline, runPolicy, trainDqn, writeRunFiles, type Baseline, type EnvRun } from '../../rl/envs/drl-runner.js';
import { seedStats, windowAverages, type RunMetrics } from '../../rl/envs/metrics.js';
import type { CounterMax } from '../../rl/envs/observation.js';
import { exhaustiveSweep } from '../../rl/envs/oracle.js';
import { describeConfiguration } from '../../rl/envs/topology.js';
import { VARIANTS, type Variant } from '../../rl/envs/variants.js';
import { writeFileAtomic } from '../atomic.js';
import { servesimVersion } from '../version.js';
import { drlEnvironment, harnessChecks, metricsJson, precompute, profileOf, scheduleOf, studySwitchStep, topologyOf, type DrlPrecomputed, type DrlWorkflowBody } from './drl-workflow.js';

const armsShape = {
  /** The drl-workflow environment file (path relative to the working directory or to this file). */
  environment: z.string().min(1),
  variants: z.array(z.enum(VARIANTS)).min(1).default([...VARIANTS]),
  seeds: z.array(z.number().int().min(0)).min(1).default([1, 2, 3]),
  baselines: z.array(z.enum(BASELINES)).default([...BASELINES]),
};

export const drlTrainingSchema = z.strictObject({
  ...armsShape,
  /** Run the exhaustive configuration sweep at 0 % pressure (CT5-17). */
  feasibilitySweep: z.boolean().default(true),
});

export const drlEvaluationSchema = z.strictObject({
  ...armsShape,
  /** The training results directory (written by `servesim train drl-training.yaml`). */
  policies: z.string().min(1),
  /** Also run the native Kubernetes baseline over this (training) environment, as in §6.4.6. */
  trainingEnvironment: z.string().min(1).optional(),
});

/** Where a path in an experiment file points: relative to the cwd if it exists there, else to the file. */
export function resolveRelative(file: string, p: string): string {
  if (existsSync(p)) return p;
  const alt = resolve(dirname(file), p);
  return existsSync(alt) ? alt : p;
}

/** Load a referenced drl-workflow file; the error names the referencing field. */
export function loadEnvironmentBody(file: string, field: string, p: string): { path: string; body: DrlWorkflowBody } {
  const path = resolveRelative(file, p);
  if (!existsSync(path)) throw new ScenarioError(file, [{ path: [field], expected: 'an existing drl-workflow scenario file', found: JSON.stringify(p) }]);
  const s = loadScenario(path);
  if (s.header.kind !== 'drl-workflow') throw new ScenarioError(file, [{ path: [field], expected: 'a scenario of kind drl-workflow', found: `${path} of kind ${s.header.kind}` }]);
  return { path, body: s.body as unknown as DrlWorkflowBody };
}

/** Directory of one (arm, seed). */
export function armDir(out: string, arm: string, seed: number): string {
  return join(out, arm, `seed-${seed}`);
}

/** An arm's runs over seeds. */
interface ArmRuns {
  arm: string;
  kind: 'agent' | 'baseline';
  runs: { seed: number; run: EnvRun; updates?: number; wallSeconds?: number }[];
}

type Stat = ReturnType<typeof seedStats>;

/** The quantities aggregated over seeds per arm. */
function armAggregate(a: ArmRuns): { [key: string]: JsonValue } {
  const ms = a.runs.map((r) => r.run.metrics);
  const stat = (f: (m: RunMetrics) => number | null): Stat => seedStats(ms.map(f));
  const j = (s: Stat): JsonValue => ({ mean: fin(s.mean), sd: fin(s.sd), min: fin(s.min), max: fin(s.max), n: s.n });
  const targets = [...new Set(ms.flatMap((m) => Object.keys(m.byTarget)))];
  const phases = [...new Set(ms.flatMap((m) => m.byPhase.map((p) => p.phase)))].sort((x, y) => x - y);
  return {
    kind: a.kind,
    seeds: a.runs.map((r) => r.seed),
    compliance: j(stat((m) => m.overall.compliance)),
    violationRatio: j(stat((m) => m.overall.violationRatio)),
    successes: j(stat((m) => m.overall.successes)),
    violations: j(stat((m) => m.overall.violations)),
    cumulativeReward: j(stat((m) => m.cumulativeReward)),
    meanRewardLastTarget: j(stat((m) => m.meanRewardLastTarget)),
    meanQ: j(stat((m) => m.overall.meanQ)),
    byTarget: Object.fromEntries(
      targets.map((t) => [
        t,
        {
          compliance: j(stat((m) => m.byTarget[t]?.compliance ?? null)),
          violationRatio: j(stat((m) => m.byTarget[t]?.violationRatio ?? null)),
          meanQ: j(stat((m) => m.byTarget[t]?.meanQ ?? null)),
          convergenceStep: j(stat((m) => m.byTarget[t]?.convergenceStep ?? null)),
          convergedSeeds: ms.filter((m) => m.byTarget[t]?.convergenceStep !== null && m.byTarget[t] !== undefined).length,
        },
      ]),
    ),
    byPhase: phases.map((p) => ({
      phase: p,
      compliance: j(stat((m) => m.byPhase.find((x) => x.phase === p)?.compliance ?? null)),
      meanQ: j(stat((m) => m.byPhase.find((x) => x.phase === p)?.meanQ ?? null)),
      meanReward: j(stat((m) => m.byPhase.find((x) => x.phase === p)?.meanReward ?? null)),
      actions: sumActions(ms.map((m) => m.byPhase.find((x) => x.phase === p)?.actions ?? {})),
    })),
    simulatedClusterSeconds: j(seedStats(a.runs.map((r) => r.run.simulatedSeconds))),
    ...(a.runs.some((r) => r.wallSeconds !== undefined) ? { wallSecondsPerRun: j(seedStats(a.runs.map((r) => r.wallSeconds ?? null))) } : {}),
  };
}

function sumActions(list: readonly Readonly<Record<string, number>>[]): { [key: string]: JsonValue } {
  const o: Record<string, number> = {};
  for (const a of list) for (const [k, v] of Object.entries(a)) o[k] = (o[k] ?? 0) + v;
  return o;
}

function fin(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

/** The terminal table: one row per arm (mean ± sd over seeds). */
function armsTable(title: string, arms: readonly ArmRuns[], targets: readonly string[]): Table {
  const pm = (s: Stat, d = 3): string => (s.n === 0 ? '-' : `${s.mean.toFixed(d)} ± ${s.sd.toFixed(d)}`);
  return {
    title,
    columns: ['arm', 'seeds', 'compliance', ...targets.map((t) => `compliance @${t}s`), 'violation ratio', 'cumulative reward', ...targets.map((t) => `convergence @${t}s`)],
    rows: arms.map((a) => {
      const ms = a.runs.map((r) => r.run.metrics);
      const conv = (t: string): string => {
        const v = ms.map((m) => m.byTarget[t]?.convergenceStep ?? null);
        const ok = v.filter((x) => x !== null).length;
        return ok === 0 ? `never (0/${v.length})` : `${pm(seedStats(v), 0)} (${ok}/${v.length})`;
      };
      return [
        a.arm,
        a.runs.length,
        pm(seedStats(ms.map((m) => m.overall.compliance))),
        ...targets.map((t) => pm(seedStats(ms.map((m) => m.byTarget[t]?.compliance ?? null)))),
        pm(seedStats(ms.map((m) => m.overall.violationRatio))),
        pm(seedStats(ms.map((m) => m.cumulativeReward)), 1),
        ...targets.map(conv),
      ];
    }),
  };
}

/** Root learning.csv: per step, the mean over seeds of each agent arm's cumulative reward and 5-step average reward. */
function rootLearningCsv(arms: readonly ArmRuns[]): string {
  const agents = arms.filter((a) => a.kind === 'agent');
  const steps = Math.max(0, ...agents.map((a) => Math.min(...a.runs.map((r) => r.run.infos.length))));
  const cols = ['step', ...agents.map((a) => `${a.arm}_cumulative_reward`), ...agents.map((a) => `${a.arm}_reward_avg5`)];
  const cum = agents.map((a) => a.runs.map((r) => {
    let c = 0;
    return r.run.infos.map((s) => (c += s.reward));
  }));
  const avg5 = agents.map((a) => a.runs.map((r) => {
    const w = windowAverages(r.run.infos.map((s) => s.reward), 5);
    return r.run.infos.map((_, i) => w[Math.floor(i / 5)]);
  }));
  const lines = [cols.join(',')];
  for (let i = 0; i < steps; i++) {
    const mean = (xs: number[][]): string => String(xs.reduce((s, x) => s + x[i], 0) / xs.length);
    lines.push([i, ...cum.map(mean), ...avg5.map(mean)].join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** Output of an experiment run. */
export interface DrlExperimentResult {
  summary: { [key: string]: JsonValue };
  tables: Table[];
  checks: Check[];
}

/** Progress lines (stderr in the CLI). */
export type ProgressLog = (line: string) => void;

function targetsOf(body: DrlWorkflowBody): string[] {
  return [...new Set(scheduleOf(body).phases.map((p) => String(p.target / SECOND)))];
}

async function writeSummary(out: string, s: { [key: string]: JsonValue }): Promise<void> {
  mkdirSync(out, { recursive: true });
  await writeFileAtomic(join(out, 'summary.json'), `${JSON.stringify(s, null, 2)}\n`);
}

/** Per-run summary.json of one (arm, seed). */
function runSummary(file: string, kind: string, arm: string, seed: number, r: EnvRun, extra: { [key: string]: JsonValue } = {}): { [key: string]: JsonValue } {
  return { servesim: servesimVersion(), scenario: arm, file, kind, seed, simulatedSeconds: r.simulatedSeconds, metrics: { arm, ...extra, ...metricsJson(r.metrics) } };
}

/**
 * Train every variant × seed and run the baselines (drl-training.yaml). `wallClock` (CLI only)
 * times each training; `steps` overrides the schedule length.
 */
export async function runDrlTraining(file: string, exp: z.output<typeof drlTrainingSchema>, out: string, o: { steps?: number; seeds?: number[]; log?: ProgressLog; wallClock?: () => number } = {}): Promise<DrlExperimentResult> {
  const { body, path: envPath } = loadEnvironmentBody(file, 'environment', exp.environment);
  const seeds = o.seeds ?? exp.seeds;
  const steps = o.steps ?? scheduleOf(body).steps;
  const log = o.log ?? ((): void => undefined);
  log(`pre-flight: counter maxima${exp.variants.includes('oracle') ? ' and the oracle profile table' : ''}`);
  const pre = precompute(body, exp.variants.includes('oracle'));
  const arms: ArmRuns[] = [];
  for (const variant of exp.variants) {
    const arm: ArmRuns = { arm: variant, kind: 'agent', runs: [] };
    for (const seed of seeds) {
      const dir = armDir(out, variant, seed);
      const env = drlEnvironment(body, variant, pre);
      const t0 = o.wallClock?.();
      const res = await trainDqn(env, { steps, seed, dqn: body.dqn, policyDir: join(dir, 'policy'), provenance: { scenario: envPath }, convergence: body.convergence });
      const wall = t0 !== undefined && o.wallClock !== undefined ? (o.wallClock() - t0) / 1000 : undefined;
      writeRunFiles(dir, env, res.infos, res.rows, body.dqn.targetUpdateInterval ?? 60);
      await writeSummary(dir, runSummary(envPath, 'drl-training', variant, seed, res, { updates: res.updates, steps }));
      arm.runs.push({ seed, run: res, updates: res.updates, ...(wall !== undefined ? { wallSeconds: wall } : {}) });
      log(`trained ${variant} seed ${seed}: compliance ${res.metrics.overall.compliance.toFixed(3)}, cumulative reward ${res.metrics.cumulativeReward.toFixed(1)}${wall !== undefined ? `, ${wall.toFixed(1)} s wall` : ''}`);
    }
    arms.push(arm);
  }
  arms.push(...runBaselineArms(body, exp.baselines, exp.variants, seeds, steps, out, pre, log));
  const checks = harnessChecks(body, arms.flatMap((a) => a.runs.map((r) => r.run)), studySwitchStep(body.schedule.name));
  const extra: { [key: string]: JsonValue } = {};
  if (exp.feasibilitySweep) {
    log(`feasibility sweep (CT5-17): every configuration at 0 % pressure, ${body.frames} frames, ${body.queueWorkers} queue-worker(s)`);
    const at = feasibilitySweep(body);
    extra.feasibilitySweep = at.json;
    checks.unshift(
      { name: `CT5-17 fastest configuration at 0 % pressure meets 26 s at the DRL operating point (${body.frames} frames, ${body.queueWorkers} queue-workers; latency s; absolute, <= 26)`, simulated: at.min, reported: 26, tolerance: 0, pass: at.min <= 26 },
      { name: `CT5-17 not every configuration meets 26 s at the DRL operating point (slowest latency s; absolute, > 26)`, simulated: at.max, reported: 26, tolerance: 0, pass: at.max > 26 },
    );
    if (body.model === 'video' && (body.frames !== STUDY_DEFAULT_FRAMES || body.queueWorkers !== STUDY_DEFAULT_QUEUE_WORKERS)) {
      log(`feasibility sweep at the study default (${STUDY_DEFAULT_FRAMES} frames, ${STUDY_DEFAULT_QUEUE_WORKERS} queue-worker), for information`);
      extra.feasibilitySweepStudyDefault = feasibilitySweep({ ...body, frames: STUDY_DEFAULT_FRAMES, queueWorkers: STUDY_DEFAULT_QUEUE_WORKERS }).json;
    }
  }
  await writeFileAtomic(join(out, 'learning.csv'), rootLearningCsv(arms));
  const targets = targetsOf(body);
  const summary: { [key: string]: JsonValue } = {
    servesim: servesimVersion(),
    scenario: 'drl-training',
    file,
    kind: 'drl-training',
    environment: envPath,
    model: body.model,
    steps,
    seeds,
    metrics: { ...extra, counterMax: pre.counterMax as unknown as JsonValue, ...(pre.oracleTable ? { oracleTable: pre.oracleTable as unknown as JsonValue } : {}), arms: Object.fromEntries(arms.map((a) => [a.arm, armAggregate(a)])), assumptions: assumptions(body) },
    checks: checks.map((c) => ({ ...c })),
  };
  await writeSummary(out, summary);
  return { summary, tables: [armsTable(`DRL training (${steps} steps, seeds ${seeds.join(', ')}; mean ± sd over seeds; baselines marked)`, arms, targets)], checks };
}

/** Spec suggested DRL frame count and the custom-engine queue-worker default (calibration-targets.md, study 5 Setup). */
export const STUDY_DEFAULT_FRAMES = 32;
export const STUDY_DEFAULT_QUEUE_WORKERS = 1;

/**
 * CT5-17 sweep: the latency of every configuration (4^3 placements × replicas 1..Rs) at 0 %
 * pressure at a body's frames and queue-workers; counts meeting 26 s and 35 s; the fastest.
 */
export function feasibilitySweep(body: DrlWorkflowBody): { min: number; max: number; json: { [key: string]: JsonValue } } {
  const sweep = exhaustiveSweep(profileOf(body), {}, 26 * SECOND, body.reward);
  const lat = sweep.map((e) => e.latency / SECOND);
  const min = Math.min(...lat);
  const max = Math.max(...lat);
  const best = sweep[lat.indexOf(min)];
  return {
    min,
    max,
    json: { frames: body.frames, queueWorkers: body.queueWorkers, configurations: lat.length, feasibleAt26s: lat.filter((x) => x <= 26).length, feasibleAt35s: lat.filter((x) => x <= 35).length, minLatency: min, maxLatency: max, fastest: describeConfiguration(topologyOf(body), best.config) },
  };
}

function runBaselineArms(body: DrlWorkflowBody, baselines: readonly Baseline[], variants: readonly Variant[], seeds: readonly number[], steps: number, out: string, pre: DrlPrecomputed, log: ProgressLog, suffix = ''): ArmRuns[] {
  const arms: ArmRuns[] = [];
  const profile = profileOf(body);
  for (const b of baselines) {
    // Random actions are drawn from each variant's action space (spec "Sanity baselines").
    const spaces: (Variant | null)[] = b === 'random' ? [...variants] : [null];
    for (const v of spaces) {
      const name = `${b === 'kubernetes' ? 'native-kubernetes' : b === 'best-static' ? 'best-static (sanity)' : `${b} (sanity)`}${v !== null ? ` [${v}]` : ''}${suffix}`;
      const arm: ArmRuns = { arm: name, kind: 'baseline', runs: [] };
      for (const seed of seeds) {
        const env = drlEnvironment(body, v ?? 'fullmap', pre);
        const r = runBaseline(env, b, steps, seed, profile, body.convergence);
        const dir = armDir(out, `baseline-${b}${v !== null ? `-${v}` : ''}${suffix.replace(/[^a-z0-9-]/gi, '')}`, seed);
        writeRunFiles(dir, env, r.infos);
        arm.runs.push({ seed, run: r });
      }
      log(`baseline ${name}: compliance ${seedStats(arm.runs.map((x) => x.run.metrics.overall.compliance)).mean.toFixed(3)}`);
      arms.push(arm);
    }
  }
  return arms;
}

/** The spec's "not reported" items with the values used (recorded as assumptions). */
export function assumptions(body: DrlWorkflowBody): { [key: string]: JsonValue } {
  return {
    model: body.model === 'analytic' ? 'analytic stand-in (uncalibrated): closed-form stage times' : 'platform/workflows video model, V1 on the custom engine',
    frames: body.frames,
    queueWorkers: body.queueWorkers,
    operatingPoint: body.model === 'video' && (body.frames !== STUDY_DEFAULT_FRAMES || body.queueWorkers !== STUDY_DEFAULT_QUEUE_WORKERS)
      ? `departs from the study default (${STUDY_DEFAULT_FRAMES} frames, ${STUDY_DEFAULT_QUEUE_WORKERS} queue-worker), where 26 s is infeasible (CT5-17 rule): ${body.frames} frames, ${body.queueWorkers} queue-workers (docs/drl.md "Operating point")`
      : 'the study default',
    reward: `N=${body.reward.N}, Rs=${body.reward.Rs}, k1=${body.reward.k1}, k2=${body.reward.k2} (reported), k3=${body.reward.k3}; sp = distinct workers hosting a workflow pod; r = FaceAnalyzer replicas`,
    episode: body.episodic ? 'episodic: done (truncated) at the end of the schedule' : 'one continuous trajectory, done never set, reset once',
    phaseBoundaries: 'half-open [a, b); pressure of a phase applied before its first state read; stressors start instantly',
    initialReplicas: 1,
    outputterNode: 'w01',
    learningStarts: 32,
    trainFreq: '4 (gradient_steps 1)',
    loss: 'Huber, gradient-norm clip 10',
    dqn: body.dqn.double ? 'Double DQN' : 'plain DQN target (SB3)',
    inference: 'greedy (deterministic), parameters frozen',
    kubernetesGuided: 'unit redeployed without affinity; destination = kube-scheduler choice for its first pod; current node not excluded; function pods 100m / 256 MiB; iBench pods BestEffort',
    oracle: `table of (unit, node, level in {0,25,50,75} %) mean true latency over ${body.oracle.runs} runs, others on w01`,
    bestStatic: `max Eq. 5.1 reward among configurations with noise-free latency <= target × (1 − ${body.oracle.bestStaticMargin}); else the fastest`,
    convergence: `first step after which the ${body.convergence.window}-step moving success rate stays >= ${body.convergence.threshold} to the end of the QoS period`,
    violationRatio: 'violations / steps',
    masking: body.masking,
  };
}

/** Evaluate the frozen policies of a training run and the baselines (drl-evaluation.yaml). */
export async function runDrlEvaluation(file: string, exp: z.output<typeof drlEvaluationSchema>, out: string, o: { seeds?: number[]; log?: ProgressLog } = {}): Promise<DrlExperimentResult> {
  const { body, path: envPath } = loadEnvironmentBody(file, 'environment', exp.environment);
  const seeds = o.seeds ?? exp.seeds;
  const steps = scheduleOf(body).steps;
  const log = o.log ?? ((): void => undefined);
  const policiesDir = resolveRelative(file, exp.policies);
  const pre = precompute(body, exp.variants.includes('oracle'));
  const arms: ArmRuns[] = [];
  for (const variant of exp.variants) {
    const arm: ArmRuns = { arm: variant, kind: 'agent', runs: [] };
    for (const seed of seeds) {
      const pdir = join(armDir(policiesDir, variant, seed), 'policy');
      if (!existsSync(join(pdir, 'spec.json'))) throw new ScenarioError(file, [{ path: ['policies'], expected: `a training results directory holding ${variant}/seed-${seed}/policy/spec.json (run servesim train on drl-training.yaml first)`, found: `no ${pdir}/spec.json` }]);
      const policy = await loadPolicy(pdir);
      try {
        const counterMax = JSON.parse(String(policy.spec.training.counterMax ?? 'null')) as CounterMax[] | null;
        const env = drlEnvironment(body, variant, { counterMax: counterMax ?? pre.counterMax, ...(pre.oracleTable ? { oracleTable: pre.oracleTable } : {}) });
        const r = runPolicy(env, policy, steps, seed, body.convergence);
        const dir = armDir(out, variant, seed);
        writeRunFiles(dir, env, r.infos);
        await writeSummary(dir, runSummary(envPath, 'drl-evaluation', variant, seed, r, { policy: pdir }));
        arm.runs.push({ seed, run: r });
        log(`evaluated ${variant} seed ${seed}: compliance ${r.metrics.overall.compliance.toFixed(3)}`);
      } finally {
        policy.dispose();
      }
    }
    arms.push(arm);
  }
  arms.push(...runBaselineArms(body, exp.baselines, exp.variants, seeds, steps, out, pre, log));
  if (exp.trainingEnvironment !== undefined && exp.baselines.includes('kubernetes')) {
    const tr = loadEnvironmentBody(file, 'trainingEnvironment', exp.trainingEnvironment);
    arms.push(...runBaselineArms(tr.body, ['kubernetes'], exp.variants, seeds, scheduleOf(tr.body).steps, out, precompute(tr.body, false), log, ' on the training schedule'));
  }
  const checks = harnessChecks(body, arms.flatMap((a) => a.runs.map((r) => r.run)), studySwitchStep(body.schedule.name));
  const summary: { [key: string]: JsonValue } = {
    servesim: servesimVersion(),
    scenario: 'drl-evaluation',
    file,
    kind: 'drl-evaluation',
    environment: envPath,
    policies: policiesDir,
    model: body.model,
    steps,
    seeds,
    metrics: { arms: Object.fromEntries(arms.map((a) => [a.arm, armAggregate(a)])), assumptions: assumptions(body) },
    checks: checks.map((c) => ({ ...c })),
  };
  await writeSummary(out, summary);
  return { summary, tables: [armsTable(`DRL evaluation (${steps} steps, frozen greedy policies, seeds ${seeds.join(', ')}; mean ± sd over seeds)`, arms, targetsOf(body))], checks };
}

/** Read a JSON file (for tests and tools). */
export function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

for (const [kind, schema, command] of [['drl-training', drlTrainingSchema, 'train'], ['drl-evaluation', drlEvaluationSchema, 'eval']] as const) {
  if (getKind(kind) === undefined) {
    registerKind({
      kind,
      description: `study 5 DRL ${kind === 'drl-training' ? 'training' : 'evaluation'} experiment (variants × seeds + baselines, CT5-17…CT5-21); run it with servesim ${command}`,
      schema,
      build() {
        throw new Error(`a ${kind} experiment trains or loads tfjs agents asynchronously; run it with "servesim ${command} FILE --out DIR"`);
      },
    });
  }
}
