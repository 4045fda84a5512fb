/**
 * `servesim train SCENARIO`: train a DQN workflow scheduler (issue 7 item 5).
 *
 * - On a `drl-workflow` environment file: `--variant fullmap|custom|kubernetes|oracle` (required),
 *   `--agent dqn`, `--steps N` (default: the schedule's length), `--seed N` (default 1),
 *   `--out DIR`. Writes the deployable policy (model.json, weights.bin, spec.json with the
 *   observation/action spaces) and learning.csv, steps.csv, summary.json into DIR.
 * - On a `drl-training` experiment file: every variant × seed plus the baselines into DIR.
 */
import { join } from 'node:path';
import type { z } from 'zod';
import { loadScenario } from '../scenario/load.js';
import { checksTable, formatTable } from '../experiment/table.js';
import { wallMillis } from '../experiment/wallclock.js';
import { writeFileAtomic } from '../experiment/atomic.js';
import { servesimVersion } from '../experiment/version.js';
import { runDrlTraining, assumptions, type drlTrainingSchema } from '../experiment/studies/drl-experiment.js';
import { drlEnvironment, harnessChecks, metricsJson, phaseTable, precompute, scheduleOf, studySwitchStep, type DrlWorkflowBody } from '../experiment/studies/drl-workflow.js';
import { trainDqn, writeRunFiles } from '../rl/envs/drl-runner.js';
import { VARIANTS, type Variant } from '../rl/envs/variants.js';
import { EXIT_OK, UsageError } from './exit-codes.js';
import { lastValue, parseSeedFlag } from './flags.js';
import type { CliIO } from './io.js';
import { defaultOutDir } from './run-command.js';

export interface TrainArgs {
  scenario: string;
  agent?: unknown;
  variant?: unknown;
  steps?: unknown;
  seed?: unknown;
  seeds?: unknown;
  out?: unknown;
  quiet?: unknown;
}

/** --steps: a positive integer. */
export function parseStepsFlag(flag: unknown, command: string): number | undefined {
  const v = lastValue(flag);
  if (v === undefined) return undefined;
  const t = String(v).trim();
  if (!/^\d+$/.test(t) || Number(t) <= 0 || !Number.isSafeInteger(Number(t))) throw new UsageError(`--steps: expected a positive integer such as 500, found "${String(v)}"`, command);
  return Number(t);
}

/** --variant: one of the four variants. */
export function parseVariantFlag(flag: unknown, command: string): Variant | undefined {
  const v = lastValue(flag);
  if (v === undefined) return undefined;
  if (!(VARIANTS as readonly string[]).includes(String(v))) throw new UsageError(`--variant: expected one of ${VARIANTS.join(', ')}, found "${String(v)}"`, command);
  return String(v) as Variant;
}

/** --seeds: a comma-separated list of non-negative integers. */
export function parseSeedsFlag(flag: unknown, command: string): number[] | undefined {
  const v = lastValue(flag);
  if (v === undefined) return undefined;
  const parts = String(v).split(',').map((s) => s.trim());
  if (parts.length === 0 || parts.some((p) => !/^\d+$/.test(p))) throw new UsageError(`--seeds: expected a comma-separated list of non-negative integers such as 1,2,3, found "${String(v)}"`, command);
  return parts.map(Number);
}

export async function trainCommand(args: TrainArgs, io: CliIO): Promise<number> {
  const agent = lastValue(args.agent) ?? 'dqn';
  if (agent !== 'dqn') throw new UsageError(`--agent: expected dqn (the only agent), found "${String(agent)}"`, 'train');
  const variant = parseVariantFlag(args.variant, 'train');
  const steps = parseStepsFlag(args.steps, 'train');
  const seed = parseSeedFlag(args.seed, 'train');
  const seeds = parseSeedsFlag(args.seeds, 'train');
  const quiet = lastValue(args.quiet) === true;
  const scenario = loadScenario(args.scenario);
  const kind = scenario.header.kind;
  const outFlag = lastValue(args.out);
  const log = (line: string): void => {
    if (!quiet) io.err(`${line}\n`);
  };
  if (kind === 'drl-training') {
    if (variant !== undefined) throw new UsageError('--variant: a drl-training experiment file lists its variants; drop --variant or train a drl-workflow environment file', 'train');
    const out = outFlag === undefined ? defaultOutDir(args.scenario) : String(outFlag);
    const t0 = wallMillis();
    const r = await runDrlTraining(args.scenario, scenario.body as z.output<typeof drlTrainingSchema>, out, { ...(steps !== undefined ? { steps } : {}), ...(seeds !== undefined ? { seeds } : seed !== undefined ? { seeds: [seed] } : {}), log, wallClock: wallMillis });
    const lines = [`drl-training: ${((wallMillis() - t0) / 1000).toFixed(1)} s wall`];
    for (const t of r.tables) lines.push('', formatTable(t));
    if (r.checks.length > 0) lines.push('', formatTable(checksTable(r.checks)));
    lines.push('', `results in ${out} (summary.json, learning.csv, <arm>/seed-<k>/{policy/, steps.csv, learning.csv})`, '');
    io.out(lines.join('\n'));
    return EXIT_OK;
  }
  if (kind !== 'drl-workflow') throw new UsageError(`${args.scenario}: expected a scenario of kind drl-workflow or drl-training, found kind ${kind}`, 'train');
  if (variant === undefined) throw new UsageError('--variant: required on a drl-workflow environment file; expected one of ' + VARIANTS.join(', '), 'train');
  if (seeds !== undefined) throw new UsageError('--seeds: only for drl-training experiment files; use --seed N here', 'train');
  const body = scenario.body as unknown as DrlWorkflowBody;
  const s = seed ?? scenario.header.seed ?? 1;
  const n = steps ?? scheduleOf(body).steps;
  const out = outFlag === undefined ? join(defaultOutDir(args.scenario), `${variant}-seed-${s}`) : String(outFlag);
  log(`pre-flight${variant === 'oracle' ? ' and oracle profiling' : ''} …`);
  const env = drlEnvironment(body, variant, precompute(body, variant === 'oracle'));
  const t0 = wallMillis();
  const res = await trainDqn(env, { steps: n, seed: s, dqn: body.dqn, policyDir: out, provenance: { scenario: args.scenario }, convergence: body.convergence, wallClock: wallMillis });
  const wall = (wallMillis() - t0) / 1000;
  writeRunFiles(out, env, res.infos, res.rows, body.dqn.targetUpdateInterval ?? 60);
  const checks = harnessChecks(body, [res], studySwitchStep(body.schedule.name));
  const summary = {
    servesim: servesimVersion(), scenario: scenario.header.name, file: args.scenario, kind: 'drl-workflow', seed: s,
    simulatedSeconds: res.simulatedSeconds, wallTimeSeconds: Math.round(wall * 1000) / 1000,
    simulatedSecondsPerWallSecond: wall > 0 ? Math.round((res.simulatedSeconds / wall) * 1000) / 1000 : null,
    metrics: { agent: 'dqn', variant, steps: n, updates: res.updates, ...metricsJson(res.metrics), assumptions: assumptions(body) },
    checks: checks.map((c) => ({ ...c })),
  };
  await writeFileAtomic(join(out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  const lines = [
    `trained dqn/${variant} on ${scenario.header.name} (seed ${s}, ${n} steps, ${res.updates} updates): ${wall.toFixed(1)} s wall, ${res.simulatedSeconds.toFixed(0)} simulated cluster s (${(res.simulatedSeconds / Math.max(wall, 1e-9)).toFixed(0)}× real time)`,
  ];
  if (!quiet) lines.push('', formatTable(phaseTable('per phase', res.metrics)), '', formatTable(checksTable(checks)));
  lines.push('', `policy, learning.csv, steps.csv and summary.json in ${out}`, '');
  io.out(lines.join('\n'));
  return EXIT_OK;
}
