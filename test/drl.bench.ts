/**
 * DRL workflow-scheduling benchmark (issue 7 "Show", Performance): on this machine,
 * - environment steps/s without learning (random actions, fullmap) on the analytic stand-in and
 *   on the event-level video model (target ≥ 2,000 steps/s);
 * - wall time of the full 500-step DQN training of each variant (study hyperparameters, plain
 *   DQN, wasm backend; target < 60 s), pre-flight and oracle profiling timed separately;
 * - the ratio of simulated cluster time to wall time.
 * One measured iteration each (no tinybench repeat). Prints a table. Run alone:
 *   npx vitest bench --run test/drl.bench.ts          (DRL_BENCH_VIDEO=0 skips the video model)
 */
import { afterAll, bench, describe } from 'vitest';
import { seconds } from '../src/core/time.js';
import { randomPolicy } from '../src/rl/policy.js';
import { analyticBackendFactory } from '../src/rl/envs/analytic-backend.js';
import { videoBackendFactoryWith } from '../src/rl/envs/video-backend.js';
import { runPolicy, trainDqn } from '../src/rl/envs/drl-runner.js';
import { buildOracleTable } from '../src/rl/envs/oracle.js';
import { trainingSchedule } from '../src/rl/envs/schedule.js';
import { studyTopology } from '../src/rl/envs/topology.js';
import { VARIANTS } from '../src/rl/envs/variants.js';
import { WorkflowEnv, preflightCounterMax } from '../src/rl/envs/workflow-env.js';
import type { WorkflowBackendFactory } from '../src/rl/envs/workflow-backend.js';
import { loadScenario } from '../src/scenario/load.js';
import '../src/experiment/studies/drl-workflow.js'; // registers the drl-workflow kind
import type { DrlWorkflowBody } from '../src/experiment/studies/drl-workflow.js';

const lines: string[] = [];
const now = (): number => performance.now();
const backends: [string, WorkflowBackendFactory][] = [['analytic', analyticBackendFactory]];
// The study files' operating point (docs/drl.md "Operating point"), read from the scenario.
const op = loadScenario('experiments/drl/training.yaml').body as unknown as DrlWorkflowBody;
const FRAMES = op.frames;
lines.push(`operating point: ${op.frames} frames, ${op.queueWorkers} queue-worker(s), ${op.network} network model`);
if (process.env.DRL_BENCH_VIDEO !== '0') backends.push(['video', videoBackendFactoryWith({ queueWorkers: op.queueWorkers, network: op.network })]);

describe('drl workflow environment', () => {
  for (const [name, factory] of backends) {
    bench(
      `${name}: env steps/s and 500-step training per variant`,
      async () => {
        const topology = studyTopology();
        const wait = seconds(8.5);
        let t = now();
        const counterMax = preflightCounterMax(factory, topology, FRAMES, wait);
        const preMs = now() - t;
        t = now();
        const oracleTable = buildOracleTable({ factory, topology, frames: FRAMES, runs: 5, wait, seed: 0 });
        const oracleMs = now() - t;
        lines.push(`${name}: pre-flight counter sweep ${(preMs / 1000).toFixed(2)} s; oracle profile table (3 units × 4 nodes × 4 levels × 5 runs) ${(oracleMs / 1000).toFixed(2)} s`);
        const mk = (variant: (typeof VARIANTS)[number]): WorkflowEnv => new WorkflowEnv({ factory, topology, schedule: trainingSchedule(), variant, frames: FRAMES, counterMax, oracleTable });
        const steps = name === 'analytic' ? 20_000 : 500;
        const env = mk('fullmap');
        t = now();
        const run = runPolicy(env, randomPolicy(15, 1), steps, 1);
        const envMs = now() - t;
        lines.push(`${name}: ${steps} env steps (random fullmap, no learning) in ${(envMs / 1000).toFixed(2)} s = ${Math.round(steps / (envMs / 1000))} steps/s; ${run.simulatedSeconds.toFixed(0)} simulated cluster s = ${Math.round(run.simulatedSeconds / (envMs / 1000))}× real time`);
        if (name === 'video') {
          // steady state: the first 500 steps include the JIT warm-up of the model's code paths
          // (six more passes over the same 500-step schedule, fresh env and seed each)
          const passes = 6;
          let simS = 0;
          t = now();
          for (let k = 0; k < passes; k++) simS += runPolicy(mk('fullmap'), randomPolicy(15, 2 + k), steps, 2 + k).simulatedSeconds;
          const warmMs = now() - t;
          lines.push(`${name}: ${passes} × ${steps} more env steps (warm JIT, fresh env per pass) in ${(warmMs / 1000).toFixed(2)} s = ${Math.round((passes * steps) / (warmMs / 1000))} steps/s; ${Math.round(simS / (warmMs / 1000))}× real time`);
        }
        for (const variant of VARIANTS) {
          const e = mk(variant);
          t = now();
          const r = await trainDqn(e, { steps: 500, seed: 1, dqn: { double: false } });
          const ms = now() - t;
          lines.push(`${name}: train ${variant} 500 steps (${r.updates} updates) in ${(ms / 1000).toFixed(2)} s wall; ${r.simulatedSeconds.toFixed(0)} simulated cluster s = ${Math.round(r.simulatedSeconds / (ms / 1000))}× real time; compliance ${r.metrics.overall.compliance.toFixed(3)}`);
        }
      },
      { iterations: 1, warmupIterations: 0, time: 0, warmupTime: 0 },
    );
  }
});

afterAll(() => {
  console.log(`\n${lines.join('\n')}\n`);
});
