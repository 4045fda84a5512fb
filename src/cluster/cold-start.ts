/**
 * Pod cold start, event-driven on the kernel (platform-semantics.md §c.5 "Pod startup phases
 * and timings"). startPod() walks a pod through
 *   scheduling → sandbox (pause container + CNI) → image (pull unless cached) →
 *   container create/start → runtime start (app init) → model load → readiness probe
 * and calls back when the pod is Ready, with the time of every phase recorded.
 *
 * - Fixed-cost phases are distributions (seconds) from the model file `models/cold-start/`,
 *   each sampled from its own named random stream `cold-start/<phase>` (DESIGN.md rule 2).
 * - Image pull: skipped on a cache hit (IfNotPresent), a manifest check only (Always + cached),
 *   else registry latency + image bytes over the node's registry link (the node's NIC; a pull
 *   is also capped by the registry's per-pull bandwidth; concurrent pulls share the link
 *   max-min fairly on the Network) + extraction (bytes / extract bandwidth). With kubelet's
 *   default serializeImagePulls (§c.5) a node pulls one image at a time, in FIFO order;
 *   concurrent requests for an image already being pulled on the node wait for that pull.
 *   The node's LRU ImageCache holds the result; a Ready pod pins its image until stopPod().
 * - Model load: model bytes / node disk bandwidth + a load-overhead distribution.
 * - Readiness: probes run at containerStart + initialDelay + k·period (kubelet probes right
 *   after start, then every period, §c.5); the pod is Ready at the first probe at or after
 *   the app is ready, plus (successThreshold − 1) periods.
 */
import { z } from 'zod';
import type { Simulation } from '../core/simulation.js';
import type { Time } from '../core/time.js';
import { DistributionError, makeDistribution, type Distribution } from '../core/distributions.js';
import { bandwidthSchema, loadYamlModel, parseYamlModel } from './node-profile.js';
import { ImageCache } from './image-cache.js';
import { Network, type LinkId } from './network.js';

// ---------------------------------------------------------------------------------------
// Pure formula
// ---------------------------------------------------------------------------------------

/** Readiness probe settings (Kubernetes defaults: initialDelay 0, period 10 s, successThreshold 1). */
export interface ReadinessProbe {
  /** µs */
  initialDelay: Time;
  /** µs */
  period: Time;
  successThreshold: number;
}

/** Kubernetes probe defaults, §c.5 [CODE pkg/apis/core/v1/defaults.go SetDefaults_Probe]. */
export const KUBERNETES_PROBE_DEFAULTS: Readonly<ReadinessProbe> = Object.freeze({
  initialDelay: 0, period: 10_000_000, successThreshold: 1,
});

/**
 * Time the pod becomes Ready: the first probe time t_k = containerStart + initialDelay + k·period
 * (k ≥ 0) with t_k ≥ appReady, plus (successThreshold − 1)·period. All times µs.
 */
export function readinessTime(containerStart: Time, appReady: Time, probe: ReadinessProbe): Time {
  if (!(probe.period > 0)) throw new RangeError(`readinessTime: period: expected > 0 µs, found ${probe.period}`);
  const first = containerStart + probe.initialDelay;
  const k = appReady <= first ? 0 : Math.ceil((appReady - first) / probe.period);
  return first + k * probe.period + Math.max(0, probe.successThreshold - 1) * probe.period;
}

// ---------------------------------------------------------------------------------------
// Model file
// ---------------------------------------------------------------------------------------

const distributionField = z.unknown().transform((v, ctx): Distribution => {
  try {
    return makeDistribution(v, '');
  } catch (e) {
    if (!(e instanceof DistributionError)) throw e;
    const path = e.path === '' ? [] : e.path.split(/\.|(?=\[)/).map((k) => (/^\[\d+\]$/.test(k) ? Number(k.slice(1, -1)) : k));
    ctx.addIssue({ code: 'custom', path, message: `expected ${e.expected}, found ${e.found}`, input: v });
    return z.NEVER;
  }
});

export const coldStartModelSchema = z.strictObject({
  description: z.string().optional(),
  /** Phase distributions, seconds. */
  phases: z.strictObject({
    scheduling: distributionField,
    sandbox: distributionField,
    registryLatency: distributionField,
    manifestCheck: distributionField,
    containerCreate: distributionField,
    modelLoadOverhead: distributionField,
  }),
  /** App init per runtime, seconds. */
  runtimes: z.record(z.string(), distributionField).refine((r) => Object.keys(r).length > 0, { message: 'at least one runtime' }),
  image: z.strictObject({
    registryBandwidth: bandwidthSchema,
    extractBandwidth: bandwidthSchema,
  }),
  kubelet: z.strictObject({
    serializeImagePulls: z.boolean(),
  }),
  provenance: z.record(z.string(), z.string().min(1)),
});

export type ColdStartModel = z.output<typeof coldStartModelSchema>;

export function loadColdStartModel(file: string): ColdStartModel {
  return loadYamlModel(file, coldStartModelSchema);
}

export function parseColdStartModel(text: string, file = '<cold-start model>'): ColdStartModel {
  return parseYamlModel(file, text, coldStartModelSchema);
}

// ---------------------------------------------------------------------------------------
// Event-driven cold starts
// ---------------------------------------------------------------------------------------

/** What the cold-start model needs of a node (a NodeProfile has it all). */
export interface ColdStartNode {
  name: string;
  networkBandwidth: number;
  diskBandwidth: number;
  imageCacheBytes: number;
}

export type PullPolicy = 'IfNotPresent' | 'Always' | 'Never';

export interface PodStartSpec {
  pod: string;
  node: string;
  image: { name: string; bytes: number };
  /** Default IfNotPresent (§c.5; OpenFaaS uses Always). */
  pullPolicy?: PullPolicy;
  /** Key of `runtimes` in the model (go, python, jvm, ...). */
  runtime: string;
  /** Model artifact loaded from local disk after start, bytes (0/absent: none). */
  modelBytes?: number;
  readiness?: Partial<ReadinessProbe>;
  /** Skip the scheduling phase (the platform's scheduler already placed the pod). */
  skipScheduling?: boolean;
}

export const COLD_START_PHASES = ['scheduling', 'sandbox', 'imagePull', 'containerCreate', 'runtimeStart', 'modelLoad', 'readiness'] as const;
export type ColdStartPhase = (typeof COLD_START_PHASES)[number];

/** The per-phase record of one pod start. */
export interface ColdStartBreakdown {
  pod: string;
  node: string;
  /** 'ready', or why the pod could not start (ErrImageNeverPull). */
  outcome: 'ready' | 'ErrImageNeverPull';
  requestedAt: Time;
  readyAt: Time;
  /** readyAt − requestedAt, µs. */
  total: Time;
  /** Duration of each phase, µs (imagePull includes waiting for the node's pull queue). */
  phases: Record<ColdStartPhase, Time>;
  /** The image was already on the node (no download). */
  cacheHit: boolean;
  /** Bytes this pod's start downloaded (0 on a hit or when it joined another pod's pull). */
  pulledBytes: number;
  /** Images evicted from the node's cache to make room. */
  evicted: string[];
}

interface PendingPull {
  image: string;
  bytes: number;
  waiters: ((evicted: string[]) => void)[];
}

interface NodeState {
  node: ColdStartNode;
  cache: ImageCache;
  link: LinkId;
  queue: PendingPull[];
  pulling: Map<string, PendingPull>;
  active: number;
}

interface StartState {
  spec: PodStartSpec;
  ns: NodeState;
  b: ColdStartBreakdown;
  phaseStart: Time;
  containerStart: Time;
  onReady: (b: ColdStartBreakdown) => void;
}

const toMicros = (seconds: number): Time => (seconds > 0 ? Math.round(seconds * 1e6) : 0);

/** Cold starts of pods on a set of nodes. */
export class ColdStartManager {
  private readonly nodes = new Map<string, NodeState>();
  /** Pods holding a pin on their image (from image ready until stopPod). */
  private readonly pinnedPods = new Map<string, { node: string; image: string }>();
  readonly network: Network;
  /** Every finished start, in completion order. */
  readonly records: ColdStartBreakdown[] = [];

  constructor(private readonly sim: Simulation, readonly model: ColdStartModel, opts: { network?: Network } = {}) {
    this.network = opts.network ?? new Network(sim);
  }

  /** Register a node (its registry link and image cache). */
  addNode(node: ColdStartNode): void {
    if (this.nodes.has(node.name)) throw new Error(`ColdStartManager.addNode: node "${node.name}" is already registered`);
    const link = this.network.addLink({ name: `registry->${node.name}`, capacity: node.networkBandwidth });
    this.nodes.set(node.name, { node, cache: new ImageCache(node.imageCacheBytes), link, queue: [], pulling: new Map(), active: 0 });
  }

  /** The image cache of a node (e.g. to pre-load images). */
  cacheOf(node: string): ImageCache {
    return this.state(node).cache;
  }

  /** Start a pod; `onReady` runs when it is Ready (or failed), with the per-phase breakdown. */
  startPod(spec: PodStartSpec, onReady: (b: ColdStartBreakdown) => void): void {
    const ns = this.state(spec.node);
    if (this.model.runtimes[spec.runtime] === undefined) {
      throw new RangeError(`startPod "${spec.pod}": runtime: expected one of ${Object.keys(this.model.runtimes).map((r) => `"${r}"`).join(', ')}, found "${spec.runtime}"`);
    }
    if (!(spec.image.bytes >= 0)) throw new RangeError(`startPod "${spec.pod}": image.bytes: expected ≥ 0, found ${spec.image.bytes}`);
    const now = this.sim.now;
    const phases = { scheduling: 0, sandbox: 0, imagePull: 0, containerCreate: 0, runtimeStart: 0, modelLoad: 0, readiness: 0 };
    const st: StartState = {
      spec, ns, onReady, phaseStart: now, containerStart: -1,
      b: { pod: spec.pod, node: spec.node, outcome: 'ready', requestedAt: now, readyAt: -1, total: -1, phases, cacheHit: false, pulledBytes: 0, evicted: [] },
    };
    const sched = spec.skipScheduling === true ? 0 : this.draw('scheduling', this.model.phases.scheduling);
    phases.scheduling = sched;
    this.sim.schedule(sched, this.afterScheduling, st);
  }

  /** The pod stopped: release its pin on the image so GC may evict it. */
  stopPod(pod: string): void {
    const r = this.pinnedPods.get(pod);
    if (r === undefined) return;
    this.pinnedPods.delete(pod);
    this.state(r.node).cache.unpin(r.image);
  }

  // -------------------------------------------------------------------------------------

  private state(node: string): NodeState {
    const s = this.nodes.get(node);
    if (s === undefined) throw new RangeError(`cold start: node: expected one of ${[...this.nodes.keys()].map((n) => `"${n}"`).join(', ')}, found "${node}"`);
    return s;
  }

  private draw(stream: string, d: Distribution): Time {
    return toMicros(d.sample(this.sim.random.stream(`cold-start/${stream}`)));
  }

  private readonly afterScheduling = (st: StartState): void => {
    const d = this.draw('sandbox', this.model.phases.sandbox);
    st.b.phases.sandbox = d;
    this.sim.schedule(d, this.afterSandbox, st);
  };

  private readonly afterSandbox = (st: StartState): void => {
    st.phaseStart = this.sim.now;
    const { ns, spec } = st;
    const image = spec.image.name;
    const policy = spec.pullPolicy ?? 'IfNotPresent';
    const cached = ns.cache.has(image);
    if (cached) {
      ns.cache.touch(image);
      st.b.cacheHit = true;
      if (policy === 'Always') {
        const d = this.draw('manifestCheck', this.model.phases.manifestCheck);
        this.sim.schedule(d, this.afterImage, st);
      } else this.afterImage(st);
      return;
    }
    if (policy === 'Never') {
      st.b.outcome = 'ErrImageNeverPull';
      this.finish(st);
      return;
    }
    const waiter = (evicted: string[]): void => {
      st.b.evicted = evicted;
      this.afterImage(st);
    };
    const inflight = ns.pulling.get(image);
    if (inflight !== undefined) {
      inflight.waiters.push(waiter);
      return;
    }
    st.b.pulledBytes = spec.image.bytes;
    const pull: PendingPull = { image, bytes: spec.image.bytes, waiters: [waiter] };
    ns.pulling.set(image, pull);
    ns.queue.push(pull);
    this.pumpPulls(ns);
  };

  /** Start queued pulls: one at a time when serializeImagePulls, else all. */
  private pumpPulls(ns: NodeState): void {
    const serial = this.model.kubelet.serializeImagePulls;
    while (ns.queue.length > 0 && (!serial || ns.active === 0)) {
      const pull = ns.queue.shift() as PendingPull;
      ns.active++;
      const latency = this.draw('registryLatency', this.model.phases.registryLatency);
      this.sim.schedule(latency, () => {
        this.network.startFlow([ns.link], pull.bytes, { rateCap: this.model.image.registryBandwidth }, () => {
          const extract = Math.round((pull.bytes / this.model.image.extractBandwidth) * 1e6);
          this.sim.schedule(extract, () => this.pullDone(ns, pull), undefined);
        });
      }, undefined);
    }
  }

  private pullDone(ns: NodeState, pull: PendingPull): void {
    ns.active--;
    ns.pulling.delete(pull.image);
    const evicted = ns.cache.add(pull.image, pull.bytes);
    for (const w of pull.waiters) w(evicted);
    this.pumpPulls(ns);
  }

  private readonly afterImage = (st: StartState): void => {
    const now = this.sim.now;
    st.b.phases.imagePull = now - st.phaseStart;
    // Pin now so that the image cannot be evicted between pull and container start.
    st.ns.cache.pin(st.spec.image.name);
    this.pinnedPods.set(st.spec.pod, { node: st.spec.node, image: st.spec.image.name });
    const d = this.draw('containerCreate', this.model.phases.containerCreate);
    st.b.phases.containerCreate = d;
    this.sim.schedule(d, this.afterCreate, st);
  };

  private readonly afterCreate = (st: StartState): void => {
    st.containerStart = this.sim.now;
    const d = this.draw(`runtime/${st.spec.runtime}`, this.model.runtimes[st.spec.runtime]);
    st.b.phases.runtimeStart = d;
    this.sim.schedule(d, this.afterRuntime, st);
  };

  private readonly afterRuntime = (st: StartState): void => {
    const bytes = st.spec.modelBytes ?? 0;
    let d = 0;
    if (bytes > 0) {
      d = Math.round((bytes / st.ns.node.diskBandwidth) * 1e6) + this.draw('modelLoadOverhead', this.model.phases.modelLoadOverhead);
    }
    st.b.phases.modelLoad = d;
    this.sim.schedule(d, this.afterModelLoad, st);
  };

  private readonly afterModelLoad = (st: StartState): void => {
    const appReady = this.sim.now;
    const probe: ReadinessProbe = { ...KUBERNETES_PROBE_DEFAULTS, ...st.spec.readiness };
    const ready = readinessTime(st.containerStart, appReady, probe);
    st.b.phases.readiness = ready - appReady;
    this.sim.scheduleAt(ready, this.onReadyEvent, st);
  };

  private readonly onReadyEvent = (st: StartState): void => {
    this.finish(st);
  };

  private finish(st: StartState): void {
    st.b.readyAt = this.sim.now;
    st.b.total = st.b.readyAt - st.b.requestedAt;
    this.records.push(st.b);
    st.onReady(st.b);
  }
}
