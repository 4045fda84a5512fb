/**
 * An analytic stand-in for the video workflow cluster (V1 on the custom engine), implementing
 * `WorkflowBackend` with closed-form stage times instead of the event-level model of
 * `platform/workflows`. It is UNCALIBRATED: its constants are chosen only to have the qualitative
 * shape the spec describes (study 5, Modelling notes 1–7), so that the environment, the agents and
 * the baselines can be tested and benchmarked independently of the full model:
 *
 * - per-core node speed w01 > w02 > w03 > w04 (note 1, CT5-5);
 * - each stage's useful parallelism saturates at `PARALLELISM` cores, so pressure is absorbed
 *   while enough cores stay free and then hurts quickly (notes 1–2, CT5-9/10);
 * - Framer is the longest stage (CT5-11); FaceAnalyzer and Mobilenet run concurrently and
 *   their per-frame work divides over replicas;
 * - each hop between functions on different nodes costs network + object-store time (note 4);
 * - a move or rescale costs a 2 s cold start, +1 s model load for the ML functions (note 7);
 * - the engine reports latency late by U[0, 0.4) s polling error (note 5, CT5-19), plus a
 *   multiplicative log-normal run-to-run noise (3 %); both off with `noise: false`.
 *
 * Counters (spec "Counter synthesis") are synthesised per 500 ms sample: C0 = busy cores /
 * vCPUs (stressor threads + workflow threads), C1 = 1 − C0, IPC = 1 × (1 − 0.3 C0),
 * memory and L3 terms proportional to busy cores.
 */
import { RandomStreams, type RandomStream } from '../../core/random.js';
import { SECOND, seconds, type Time } from '../../core/time.js';
import { occupiedCores } from './schedule.js';
import type { BackendOptions, NodeCounters, WorkflowBackend, WorkflowNode, WorkflowRun } from './workflow-backend.js';

/** The study cluster's workers (Tab 4.1, CT5-1). */
export const STUDY_WORKERS: readonly WorkflowNode[] = Object.freeze([
  { name: 'w01', vcpus: 8, memoryBytes: 15.6e9 },
  { name: 'w02', vcpus: 8, memoryBytes: 15.6e9 },
  { name: 'w03', vcpus: 16, memoryBytes: 31.4e9 },
  { name: 'w04', vcpus: 4, memoryBytes: 15.6e9 },
]);

/** The V1 functions (§4.3.2), in observation order. */
export const V1_FUNCTIONS: readonly string[] = Object.freeze(['Framer', 'FaceDetector', 'FaceAnalyzer', 'Mobilenet', 'Outputter']);

/** Per-core speed factor per node (stand-in assumption: w01 fastest, w04 slowest). */
const SPEED: Readonly<Record<string, number>> = { w01: 1.0, w02: 0.9, w03: 0.75, w04: 0.65 };
/** Stage time at speed 1 with ≥ PARALLELISM free cores, seconds per 32 frames (stand-in). */
const STAGE_S: Readonly<Record<string, number>> = { Framer: 11, FaceDetector: 5.5, FaceAnalyzer: 7, Mobilenet: 7.5, Outputter: 0.8 };
/** Useful parallelism of one function process, cores (note 1: "saturates at about 4"). */
const PARALLELISM = 4;
/** Cross-node hop (network + MinIO), s; same-node hop, s. */
const HOP_REMOTE_S = 0.9;
const HOP_LOCAL_S = 0.35;
/** Engine per-call overhead, s (spec suggests 0.1 s per CLI call), four calls. */
const ENGINE_S = 0.4;
/** Cold start of a moved pod, s (§3.3.2: 1–3 s) and model load for ML functions, s. */
const COLD_START_S = 2;
const MODEL_LOAD_S = 1;
const ML_FUNCTIONS = new Set(['FaceAnalyzer', 'Mobilenet']);
/** Polling period of the engine, s (CT5-19). */
const POLL_S = 0.4;
/** Counter sample interval (§5.2.1): 500 ms. */
const SAMPLE: Time = 500_000;

interface Activity {
  readonly node: number;
  readonly start: Time;
  readonly end: Time;
  readonly cores: number;
}

/** The stand-in backend (see the module comment). */
export class AnalyticWorkflowBackend implements WorkflowBackend {
  readonly nodes: readonly WorkflowNode[];
  readonly functions: readonly string[];
  private time: Time = 0;
  private readonly nodeIndex = new Map<string, number>();
  private readonly placement: number[];
  private readonly replicas: number[];
  private readonly pending: { fn: number; node: number; replicas: number }[] = [];
  private readonly pressure: Float64Array;
  private activity: Activity[] = [];
  private readonly noise: RandomStream | undefined;
  private readonly poll: RandomStream | undefined;

  constructor(opts: BackendOptions, nodes: readonly WorkflowNode[] = STUDY_WORKERS, functions: readonly string[] = V1_FUNCTIONS) {
    this.nodes = nodes;
    this.functions = functions;
    nodes.forEach((n, i) => this.nodeIndex.set(n.name, i));
    this.placement = functions.map(() => 0);
    this.replicas = functions.map(() => 1);
    this.pressure = new Float64Array(nodes.length);
    const streams = new RandomStreams(opts.seed);
    this.noise = opts.noise ? streams.stream('analytic:noise') : undefined;
    this.poll = opts.noise ? streams.stream('analytic:poll') : undefined;
  }

  now(): Time {
    return this.time;
  }

  place(fn: string, node: string): void {
    const f = this.fn(fn);
    this.pending.push({ fn: f, node: this.node(node), replicas: -1 });
  }

  scale(fn: string, replicas: number): void {
    if (!Number.isInteger(replicas) || replicas < 1) throw new RangeError(`scale ${fn}: expected a positive integer replica count, found ${replicas}`);
    this.pending.push({ fn: this.fn(fn), node: -1, replicas });
  }

  setCpuPressure(node: string, levelPercent: number): void {
    const i = this.node(node);
    this.pressure[i] = occupiedCores(levelPercent, this.nodes[i].vcpus);
  }

  rollout(): Time {
    let longest = 0;
    for (const p of this.pending) {
      let changed = false;
      if (p.node >= 0 && p.node !== this.placement[p.fn]) {
        this.placement[p.fn] = p.node;
        changed = true;
      }
      if (p.replicas > 0 && p.replicas !== this.replicas[p.fn]) {
        // Only new replicas start cold; removing replicas is immediate.
        changed = p.replicas > this.replicas[p.fn];
        this.replicas[p.fn] = p.replicas;
      }
      if (changed) longest = Math.max(longest, COLD_START_S + (ML_FUNCTIONS.has(this.functions[p.fn]) ? MODEL_LOAD_S : 0));
    }
    this.pending.length = 0;
    const d = seconds(longest);
    this.time += d;
    return d;
  }

  runWorkflow(frames: number): WorkflowRun {
    if (!Number.isInteger(frames) || frames <= 0) throw new RangeError(`runWorkflow: expected a positive frame count, found ${frames}`);
    const scale = frames / 32;
    const t0 = this.time;
    this.activity = this.activity.filter((a) => a.end > t0 - 2 * SAMPLE);
    let t = t0 + seconds(ENGINE_S);
    const at = (name: string): number => this.placement[this.functions.indexOf(name)] ?? 0;
    const stage = (name: string, cores: number, coRunning: number): number => {
      const n = at(name);
      const free = Math.max(0.25, this.nodes[n].vcpus - this.pressure[n] - coRunning);
      const usable = Math.min(cores, free);
      const slowdown = cores / usable;
      return ((STAGE_S[name] ?? 1) * scale * slowdown) / (SPEED[this.nodes[n].name] ?? 0.8);
    };
    const hop = (a: string, b: string): number => (at(a) === at(b) ? HOP_LOCAL_S : HOP_REMOTE_S);
    const run = (name: string, dur: number, cores: number): void => {
      const d = seconds(dur);
      this.activity.push({ node: at(name), start: t, end: t + d, cores });
      t += d;
    };
    run('Framer', stage('Framer', PARALLELISM, 0), PARALLELISM);
    t += seconds(hop('Framer', 'FaceDetector'));
    run('FaceDetector', stage('FaceDetector', PARALLELISM, 0), PARALLELISM);
    t += seconds(Math.max(hop('FaceDetector', 'FaceAnalyzer'), hop('FaceDetector', 'Mobilenet')));
    // FaceAnalyzer and Mobilenet run concurrently; replicas share the per-frame work.
    const r = Math.max(1, this.replicas[this.functions.indexOf('FaceAnalyzer')] ?? 1);
    const same = at('FaceAnalyzer') === at('Mobilenet');
    const perReplica = 2;
    const coFA = same ? perReplica * r : 0;
    const fa = stage('FaceAnalyzer', perReplica * r, coFA) / r ** 0.85;
    const mn = stage('Mobilenet', perReplica * r, coFA) / r ** 0.85;
    const start = t;
    this.activity.push({ node: at('FaceAnalyzer'), start, end: start + seconds(fa), cores: perReplica * r });
    this.activity.push({ node: at('Mobilenet'), start, end: start + seconds(mn), cores: perReplica * r });
    t = start + seconds(Math.max(fa, mn));
    t += seconds(Math.max(hop('FaceAnalyzer', 'Outputter'), hop('Mobilenet', 'Outputter')));
    run('Outputter', stage('Outputter', 1, 0), 1);
    let latency = t - t0;
    if (this.noise !== undefined) latency = Math.round(latency * Math.exp(0.03 * this.noise.normal()));
    const reported = this.poll !== undefined ? latency + Math.floor(this.poll.next() * POLL_S * SECOND) : latency;
    this.time = t0 + latency;
    return { latency, reportedLatency: reported };
  }

  advance(duration: Time): void {
    if (!(duration >= 0)) throw new RangeError(`advance: expected a duration >= 0, found ${duration}`);
    this.time += duration;
  }

  counters(node: string): NodeCounters {
    const i = this.node(node);
    const end = Math.floor(this.time / SAMPLE) * SAMPLE;
    const start = end - SAMPLE;
    let busy = this.pressure[i];
    for (const a of this.activity) {
      if (a.node !== i) continue;
      const overlap = Math.min(a.end, end) - Math.max(a.start, start);
      if (overlap > 0) busy += (a.cores * overlap) / SAMPLE;
    }
    const c0 = Math.min(1, busy / this.nodes[i].vcpus);
    return {
      ipc: 1.0 * (1 - 0.3 * c0),
      memReads: busy * 0.8e9,
      memWrites: busy * 0.3e9,
      l3Misses: busy * 2e6,
      c0,
      c1: 1 - c0,
    };
  }

  private fn(name: string): number {
    const f = this.functions.indexOf(name);
    if (f < 0) throw new RangeError(`unknown function '${name}'; expected one of ${this.functions.join(', ')}`);
    return f;
  }

  private node(name: string): number {
    const i = this.nodeIndex.get(name);
    if (i === undefined) throw new RangeError(`unknown node '${name}'; expected one of ${this.nodes.map((n) => n.name).join(', ')}`);
    return i;
  }
}

/** Factory of the stand-in backend on the study cluster. */
export function analyticBackendFactory(opts: BackendOptions): WorkflowBackend {
  return new AnalyticWorkflowBackend(opts);
}
