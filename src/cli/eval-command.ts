/**
 * `servesim eval SCENARIO --policy DIR|kubernetes|random|static|best-static` (issue 7 item 5):
 * run a frozen policy (greedy, no learning) or a baseline on a `drl-workflow` environment and
 * report the QoS quotient, cumulative reward, violation ratio, time to convergence and the
 * per-phase breakdown (summary.json + steps.csv + table). On a `drl-evaluation` experiment file,
 * evaluate every variant × seed of a training run plus the baselines.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { loadScenario } from '../scenario/load.js';
import { checksTable, formatTable } from '../experiment/table.js';
import { wallMillis } from '../experiment/wallclock.js';
import { writeFileAtomic } from '../experiment/atomic.js';
import { servesimVersion } from '../experiment/version.js';
import { runDrlEvaluation, assumptions, type drlEvaluationSchema } from '../experiment/studies/drl-experiment.js';
import { drlEnvironment, harnessChecks, metricsJson, phaseTable, precompute, profileOf, scheduleOf, studySwitchStep, type DrlWorkflowBody } from '../experiment/studies/drl-workflow.js';
import { loadPolicy } from '../rl/policy.js';
import { BASELINES, runBaseline, runPolicy, writeRunFiles, type Baseline, type EnvRun } from '../rl/envs/drl-runner.js';
import type { CounterMax } from '../rl/envs/observation.js';
import { parseVariant, type Variant } from '../rl/envs/variants.js';
import { EXIT_OK, UsageError } from './exit-codes.js';
import { lastValue, parseSeedFlag } from './flags.js';
import type { CliIO } from './io.js';
import { defaultOutDir } from './run-command.js';
import { parseSeedsFlag, parseVariantFlag } from './train-command.js';

export interface EvalArgs {
  scenario: string;
  policy?: unknown;
  variant?: unknown;
  seed?: unknown;
  seeds?: unknown;
  out?: unknown;
  quiet?: unknown;
}

export async function evalCommand(args: EvalArgs, io: CliIO): Promise<number> {
  const seed = parseSeedFlag(args.seed, 'eval');
  const seeds = parseSeedsFlag(args.seeds, 'eval');
  const variantFlag = parseVariantFlag(args.variant, 'eval');
  const quiet = lastValue(args.quiet) === true;
  const policyFlag = lastValue(args.policy);
  const outFlag = lastValue(args.out);
  const scenario = loadScenario(args.scenario);
  const kind = scenario.header.kind;
  const log = (line: string): void => {
    if (!quiet) io.err(`${line}\n`);
  };
  if (kind === 'drl-evaluation') {
    if (policyFlag !== undefined) throw new UsageError('--policy: a drl-evaluation experiment file names its policies directory; drop --policy', 'eval');
    const out = outFlag === undefined ? defaultOutDir(args.scenario) : String(outFlag);
    const t0 = wallMillis();
    const r = await runDrlEvaluation(args.scenario, scenario.body as z.output<typeof drlEvaluationSchema>, out, { ...(seeds !== undefined ? { seeds } : seed !== undefined ? { seeds: [seed] } : {}), log });
    const lines = [`drl-evaluation: ${((wallMillis() - t0) / 1000).toFixed(1)} s wall`];
    for (const t of r.tables) lines.push('', formatTable(t));
    if (r.checks.length > 0) lines.push('', formatTable(checksTable(r.checks)));
    lines.push('', `results in ${out}`, '');
    io.out(lines.join('\n'));
    return EXIT_OK;
  }
  if (kind !== 'drl-workflow') throw new UsageError(`${args.scenario}: expected a scenario of kind drl-workflow or drl-evaluation, found kind ${kind}`, 'eval');
  if (policyFlag === undefined) throw new UsageError(`--policy: required; expected a trained policy directory or one of ${BASELINES.join(', ')}`, 'eval');
  const body = scenario.body as unknown as DrlWorkflowBody;
  const s = seed ?? scenario.header.seed ?? 1;
  const steps = scheduleOf(body).steps;
  const policyText = String(policyFlag);
  const isBaseline = (BASELINES as readonly string[]).includes(policyText);
  let run: EnvRun;
  let variant: Variant;
  let env;
  let label: string;
  if (isBaseline) {
    variant = variantFlag ?? 'fullmap';
    env = drlEnvironment(body, variant, precompute(body, variant === 'oracle'));
    run = runBaseline(env, policyText as Baseline, steps, s, profileOf(body), body.convergence);
    label = policyText === 'random' || policyText === 'static' ? `${policyText} [${variant}] (sanity baseline)` : policyText === 'best-static' ? 'best-static (sanity baseline)' : 'native Kubernetes';
  } else {
    if (!existsSync(join(policyText, 'spec.json'))) throw new UsageError(`--policy: expected a trained policy directory (with spec.json) or one of ${BASELINES.join(', ')}, found "${policyText}"`, 'eval');
    const policy = await loadPolicy(policyText);
    try {
      const trained = policy.spec.training.variant;
      variant = parseVariant(trained, `${policyText}/spec.json: training.variant`);
      if (variantFlag !== undefined && variantFlag !== variant) throw new UsageError(`--variant: the policy in ${policyText} was trained for ${variant}, found --variant ${variantFlag}`, 'eval');
      const counterMax = JSON.parse(String(policy.spec.training.counterMax ?? 'null')) as CounterMax[] | null;
      const pre = precompute(body, variant === 'oracle');
      env = drlEnvironment(body, variant, counterMax !== null ? { ...pre, counterMax } : pre);
      run = runPolicy(env, policy, steps, s, body.convergence);
      label = `dqn/${variant} (${policyText})`;
    } finally {
      policy.dispose();
    }
  }
  const out = outFlag === undefined ? undefined : String(outFlag);
  const checks = harnessChecks(body, [run], studySwitchStep(body.schedule.name));
  const m = run.metrics;
  if (out !== undefined) {
    writeRunFiles(out, env, run.infos);
    const summary = {
      servesim: servesimVersion(), scenario: scenario.header.name, file: args.scenario, kind: 'drl-workflow', seed: s, simulatedSeconds: run.simulatedSeconds,
      metrics: { policy: label, variant, steps, ...metricsJson(m), assumptions: assumptions(body) },
      checks: checks.map((c) => ({ ...c })),
    };
    await writeFileAtomic(join(out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  }
  const conv = Object.entries(m.byTarget).map(([t, g]) => `@${t}s ${g.convergenceStep === null ? 'never' : `${g.convergenceStep} steps`}`).join(', ');
  const lines = [
    `${label} on ${scenario.header.name} (seed ${s}, ${steps} steps, ${run.simulatedSeconds.toFixed(0)} simulated cluster s)`,
    `QoS compliance ${m.overall.compliance.toFixed(3)} (${Object.entries(m.byTarget).map(([t, g]) => `${g.compliance.toFixed(3)} @${t}s`).join(', ')}), mean q ${m.overall.meanQ.toFixed(3)}, violation ratio ${m.overall.violationRatio.toFixed(3)}, cumulative reward ${m.cumulativeReward.toFixed(1)}, convergence ${conv}`,
  ];
  if (!quiet) lines.push('', formatTable(phaseTable('per phase', m)), '', formatTable(checksTable(checks)));
  if (out !== undefined) lines.push('', `summary.json and steps.csv in ${out}`);
  lines.push('');
  io.out(lines.join('\n'));
  return EXIT_OK;
}
