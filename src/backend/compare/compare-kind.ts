/**
 * Scenario kind `compare` (issue 8 item 5): one function on one node, Poisson arrivals with a
 * per-request CPU work distribution, to be run on SimBackend and on LocalBackend with the same
 * arrival times and the same work (`servesim compare FILE`). `servesim run FILE` runs the
 * simulated half alone. Body fields beside the header (`duration` = length of the arrival window):
 *
 *   node:      {cores}                         cores of the node (the local node gets as many CPUs)
 *   function:  {threads, cpuLimit?, cpuRequest?, containerConcurrency = 1, replicas = 1}
 *              (CPU in millicores; cpuLimit null/absent = no quota)
 *   work:      distribution of CPU work per request, core-ms at speed 1
 *   arrivals:  {type: poisson, rate}           requests per second
 *   routerOverhead?: duration                  fixed router→pod delay in the simulation
 *                                              (default: measured on LocalBackend by compare)
 *   tolerance = 0.15                           target |relative error| of p50 and p99
 */
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { loadColdStartModel, type ColdStartModel } from '../../cluster/cold-start.js';
import type { NodeProfile } from '../../cluster/node-profile.js';
import { RandomStreams } from '../../core/random.js';
import type { Simulation } from '../../core/simulation.js';
import { MS, SECOND, type Time } from '../../core/time.js';
import { KubeCluster } from '../../platform/kubernetes/runtime/cluster.js';
import { distribution, duration, positiveNumber } from '../../scenario/fields.js';
import { registerKind, type JsonValue, type RunHandle } from '../../scenario/registry.js';
import type { FunctionSpec } from '../function-spec.js';
import { SimBackend } from '../sim/sim-backend.js';
import { replayPlan, whenReady, type ArrivalPlan } from '../traffic.js';
import { compareLatencies, COMPARED_PERCENTILES } from './latency-comparison.js';
import { sortedQuantile } from '../../workload/arrivals/closed-loop.js';

/** Body schema of kind `compare`. */
export const compareSchema = z.strictObject({
  node: z.strictObject({ cores: z.number().int().positive() }),
  function: z.strictObject({
    threads: z.number().int().positive(),
    cpuLimit: z.number().int().positive().nullable().default(null),
    cpuRequest: z.number().int().positive().nullable().optional(),
    containerConcurrency: z.number().int().min(0).default(1),
    replicas: z.number().int().positive().default(1),
  }),
  work: distribution(),
  arrivals: z.strictObject({ type: z.literal('poisson'), rate: positiveNumber() }),
  routerOverhead: duration().optional(),
  tolerance: positiveNumber().default(0.15),
});

export type CompareBody = z.output<typeof compareSchema>;

/** The function name used on both backends. */
export const COMPARE_FUNCTION = 'fn';

/** The compare function as a backend FunctionSpec. */
export function compareFunction(body: CompareBody): FunctionSpec {
  const f = body.function;
  return {
    name: COMPARE_FUNCTION, replicas: f.replicas, threads: f.threads, cpuLimitMilli: f.cpuLimit,
    cpuRequestMilli: f.cpuRequest ?? null, containerConcurrency: f.containerConcurrency,
  };
}

/**
 * The arrival plan: Poisson offsets within `window` µs from stream `compare/arrivals` and work
 * (core-ms → core-µs) from `compare/work`, both substreams of `seed` (DESIGN.md rule 2).
 */
export function comparePlan(body: CompareBody, seed: number, window: Time): ArrivalPlan {
  const streams = new RandomStreams(seed);
  const arr = streams.stream('compare/arrivals');
  const wk = streams.stream('compare/work');
  const offsets: Time[] = [];
  const work: number[] = [];
  let t = arr.exponential(SECOND / body.arrivals.rate);
  while (t < window) {
    offsets.push(Math.round(t));
    const w = body.work.sample(wk);
    work.push(w > 0 ? w * MS : 0);
    t += arr.exponential(SECOND / body.arrivals.rate);
  }
  return { offsets, workCoreUs: work };
}

function packageFile(relative: string): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'models'))) return join(dir, relative);
    dir = dirname(dir);
  }
  return resolve(relative);
}

let coldStart: ColdStartModel | null = null;

/**
 * A node profile of `cores` cores of relative speed `speed` (1 = the core the busy loop was
 * calibrated on; `servesim compare` also runs the speed the local run actually showed).
 */
export function compareNodeProfile(cores: number, speed = 1): NodeProfile {
  const a = 'assumption: compare node = this machine, work calibrated to its core (speed 1)';
  return {
    name: 'local', description: 'the machine LocalBackend runs on', cores, speed: { default: speed, classes: {} },
    memoryBytes: 64e9, l3Bytes: 32e6, memoryBandwidth: 20e9, diskBandwidth: 500e6, networkBandwidth: 1.25e9, imageCacheBytes: 50e9,
    labels: {}, taints: [],
    provenance: { cores: a, speed: a, memory: a, l3: a, memoryBandwidth: a, diskBandwidth: a, networkBandwidth: a, imageCache: a },
  };
}

/** A SimBackend for a compare body on `sim` (node speed `speed`, default 1). */
export function compareSimBackend(sim: Simulation, body: CompareBody, routerOverheadUs: Time, speed = 1): SimBackend {
  coldStart ??= loadColdStartModel(packageFile('models/cold-start/default.yaml'));
  const cluster = new KubeCluster(sim, { coldStart });
  cluster.addNode(compareNodeProfile(body.node.cores, speed));
  return new SimBackend({ sim, cluster, functions: [compareFunction(body)], routerOverheadUs });
}

registerKind({
  kind: 'compare',
  description: 'one function under Poisson load with per-request CPU work, for servesim compare (SimBackend vs LocalBackend); run = the simulated half',
  schema: compareSchema,
  refine(body, report) {
    const f = body.function;
    if (f.cpuLimit !== null && f.cpuRequest != null && f.cpuRequest > f.cpuLimit) report(['function', 'cpuRequest'], `at most cpuLimit (${f.cpuLimit})`, String(f.cpuRequest));
  },
  build(ctx): RunHandle {
    const body = ctx.body;
    const backend = compareSimBackend(ctx.sim, body, body.routerOverhead ?? 0);
    const plan = comparePlan(body, ctx.seed, ctx.header.duration);
    whenReady(backend, COMPARE_FUNCTION, body.function.replicas, () => replayPlan(backend, COMPARE_FUNCTION, plan));
    const latencies = (): number[] => backend.requests(0).items.filter((r) => r.ok).map((r) => (r.end - r.arrival) / MS);
    return {
      metrics(): { [key: string]: JsonValue } {
        const lat = Float64Array.from(latencies()).sort();
        const out: { [key: string]: JsonValue } = { requests: plan.offsets.length, completed: lat.length };
        for (const p of COMPARED_PERCENTILES) out[`latencyMsP${p * 100}`] = Number(sortedQuantile(lat, p).toPrecision(6));
        return out;
      },
      tables() {
        const c = compareLatencies(latencies(), latencies());
        return [{ title: 'Simulated latency (ms)', columns: ['requests', 'p50', 'p95', 'p99'], rows: [[c.simulatedCount, ...c.rows.map((r) => r.simulated.toFixed(1))]] }];
      },
    };
  },
});
