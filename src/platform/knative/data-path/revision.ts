/**
 * One Knative revision on the runtime: its Deployment of pods (user container + queue-proxy
 * sidecar), the activator's handling of it, request routing and timeouts, and the revision's
 * autoscaling controller (platform-semantics.md §a.12 checklist):
 *
 * - every 1 s: scrape every Ready pod's queue-proxy (exact scrape: all pods, §a.2 allows it) and
 *   take the activator's report; record concurrency = Σ pods (net of proxied requests) +
 *   activator, and rps likewise, into the same 1 s bucket (§a.1 "Combining the two");
 * - every 2 s (and on a poke): the KPA decider tick (§a.5), then the PA reconciler: scaler bounds
 *   and scale-to-zero state machine (§a.7), SKS mode from EBC (§a.6), Active condition; replicas
 *   are patched on the Deployment. Requeues the scaler asks for are scheduled exactly;
 * - pod Ready → queue-proxy stats start; the activator adds the pod after its probe (0–200 ms);
 *   pod Terminating → out of routing at once; a pod that dies fails the requests it held;
 * - routing: SKS Proxy mode (or no Ready pod) → the activator; Serve mode → a random Ready pod's
 *   queue-proxy (kube-proxy picks endpoints at random);
 * - timeouts: a request not answered `timeout` after its arrival (default 300 s, §a.10) is
 *   rejected (503), wherever it waits or runs.
 *
 * When a revision has no pods, no activator traffic and no data in its stable window, its
 * controller timer stops (an idle revision costs no events) and restarts on the next request.
 */
import { makeDistribution, type Distribution } from '../../../core/distributions.js';
import type { Simulation } from '../../../core/simulation.js';
import { MS, SECOND, type Time } from '../../../core/time.js';
import type { KubeCluster } from '../../kubernetes/runtime/cluster.js';
import { Deployment } from '../../kubernetes/runtime/deployment.js';
import type { Pod } from '../../kubernetes/runtime/pod.js';
import type { PodEndReason, PodHandle, PodObserver, PodTemplate } from '../../kubernetes/runtime/types.js';
import { sksMode, type SksMode } from '../activator-path.js';
import { DEFAULT_AUTOSCALER_CONFIG, resolveRevisionSpec, type KnativeAutoscalerConfig, type RevisionAutoscalingSpec } from '../config.js';
import { KpaAutoscaler, shouldPoke, type KpaDecision } from '../kpa.js';
import { computeActiveCondition, scalerScale, type PaState } from '../scale-to-zero.js';
import { Activator, ACTIVATOR_QUEUE_DEPTH, type ActivatorHost, type PodTracker } from './activator.js';
import { Fifo } from './fifo.js';
import { QueueProxy, type QueueProxyHost } from './queue-proxy.js';
import { COMPLETED, IN_FLIGHT, KnRequest, REJECTED, type RejectReason, type RequestDoneCallback } from './request.js';

/** revision-timeout-seconds default [a.10]. */
export const DEFAULT_REVISION_TIMEOUT = 300 * SECOND;
/** Queue-proxy sidecar requests: cpu 25m, memory 400Mi [a.10]. */
export const QUEUE_PROXY_CPU_REQUEST_MILLI = 25;
export const QUEUE_PROXY_MEMORY_REQUEST = 400 * 2 ** 20;
/** Queue-proxy `drainSleepDuration` on shutdown [a.9]. */
export const QUEUE_PROXY_DRAIN = 30 * SECOND;
/** Knative's aggressive readiness probing: every 50 ms [a.9]. */
export const QUEUE_PROXY_PROBE_PERIOD = 50 * MS;
/** Activator probe of new pods: traffic starts 0–200 ms after readiness (`ProbeFrequency`) [a.8]. */
export const ACTIVATOR_PROBE_DELAY: Distribution = makeDistribution({ type: 'uniform', min: 0, max: 0.2 });

const LONG_AGO = -1e13; // µs: "since forever" for initial states

export interface KnativeRevisionOptions {
  /** Revision (service) name. */
  name: string;
  /** The user container's pod template (the queue-proxy sidecar, readiness probing, grace and drain are added). */
  template: PodTemplate;
  /** spec.containerConcurrency, 0 = unlimited (default 0, §a.10). */
  containerConcurrency?: number;
  /** `autoscaling.knative.dev/*` annotations. */
  annotations?: Readonly<Record<string, string>>;
  /** config-autoscaler (default: the Knative defaults, §a.11). */
  config?: KnativeAutoscalerConfig;
  /** Revision timeout, µs (default 300 s). */
  timeout?: Time;
  /** Activator queue depth (default 10 000). */
  activatorQueueDepth?: number;
  /** Activator probe delay after readiness, seconds (default U(0, 0.2)). */
  activatorProbeDelay?: Distribution;
  /**
   * Start already scaled to zero (the revision existed and went idle: PA Inactive, 0 pods),
   * instead of creating `initial-scale` pods as a new revision does. Default false.
   */
  startAtZero?: boolean;
}

/** Counters of a revision. */
export interface RevisionCounters {
  arrivals: number;
  completed: number;
  rejected: Record<RejectReason, number>;
  /** Requests that arrived with no Ready pod. */
  coldStartWaits: number;
  /** Pods created (each is a cold start). */
  podsCreated: number;
  /** Highest number of Ready pods seen. */
  maxReadyPods: number;
  /** Highest number of pods counted towards replicas (Pending + Starting + Ready). */
  maxPods: number;
  /** Decider ticks run. */
  ticks: number;
}

/** A Knative revision (one service's only revision). */
export class KnativeRevision implements PodObserver, QueueProxyHost, ActivatorHost {
  readonly name: string;
  readonly spec: RevisionAutoscalingSpec;
  readonly deployment: Deployment;
  readonly activator: Activator;
  readonly autoscaler: KpaAutoscaler;
  readonly timeout: Time;
  readonly cc: number;
  readonly counters: RevisionCounters;
  /** Optional listener of every request end. */
  onRequestEnd: RequestDoneCallback | null = null;
  /** Optional listener of every decider tick. */
  onTick: ((now: Time, d: KpaDecision, desiredReplicas: number) => void) | null = null;
  // PA / SKS state
  paState: PaState;
  paStateSince: Time;
  scaleTargetInitialized: boolean;
  mode: SksMode = 'Proxy';
  sksProxySince: Time | null;
  /** Last scaler result (−1 unknown). */
  want = -1;

  private readonly sim: Simulation;
  private nextId = 0;
  private readonly pending = new Fifo<KnRequest>(); // arrival order (deadlines are monotone)
  private sweepAt = Infinity;
  private timerOn = false;
  private lastScrape: Time;
  private requeueAt = Infinity;
  private readonly probeDelay: Distribution;
  private readonly lbRng;
  private readonly probeRng;
  private readonly scratch: KnRequest[] = [];
  /** Every queue-proxy created (one per pod that became Ready). */
  readonly queueProxies: QueueProxy[] = [];

  constructor(readonly cluster: KubeCluster, opts: KnativeRevisionOptions) {
    this.sim = cluster.sim;
    this.name = opts.name;
    const cc = opts.containerConcurrency ?? 0;
    this.cc = cc;
    this.spec = resolveRevisionSpec(opts.config ?? DEFAULT_AUTOSCALER_CONFIG, opts.annotations ?? {}, { containerConcurrency: cc, reachable: true }, `service "${opts.name}".annotations`);
    this.timeout = opts.timeout ?? DEFAULT_REVISION_TIMEOUT;
    if (!(this.timeout > 0)) throw new RangeError(`service "${opts.name}": timeout: expected > 0 µs, found ${this.timeout}`);
    this.probeDelay = opts.activatorProbeDelay ?? ACTIVATOR_PROBE_DELAY;
    this.lbRng = this.sim.random.stream(`knative/${opts.name}/lb`);
    this.probeRng = this.sim.random.stream(`knative/${opts.name}/activator-probe`);
    const now = this.sim.now;
    this.lastScrape = now;
    this.counters = {
      arrivals: 0, completed: 0, rejected: { 'activator-queue-full': 0, 'queue-proxy-full': 0, timeout: 0, 'pod-lost': 0 },
      coldStartWaits: 0, podsCreated: 0, maxReadyPods: 0, maxPods: 0, ticks: 0,
    };
    this.activator = new Activator(cc, opts.activatorQueueDepth ?? ACTIVATOR_QUEUE_DEPTH, this, this.sim.random.stream(`knative/${opts.name}/activator-lb`), now);
    this.autoscaler = new KpaAutoscaler(this.spec, now, 0);
    const t = opts.template;
    const template: PodTemplate = {
      ...t,
      name: opts.name,
      readiness: t.readiness ?? { period: QUEUE_PROXY_PROBE_PERIOD, initialDelay: 0, successThreshold: 1 },
      sidecars: [...(t.sidecars ?? []), { name: 'queue-proxy', resources: { cpuRequestMilli: QUEUE_PROXY_CPU_REQUEST_MILLI, memoryRequestBytes: QUEUE_PROXY_MEMORY_REQUEST } }],
      terminationGracePeriod: t.terminationGracePeriod ?? this.timeout,
      drainTime: t.drainTime ?? QUEUE_PROXY_DRAIN,
    };
    if (opts.startAtZero === true) {
      this.paState = 'Inactive';
      this.paStateSince = LONG_AGO;
      this.scaleTargetInitialized = true;
      this.sksProxySince = LONG_AGO;
      this.autoscaler.status.desiredScale = 0;
      this.want = 0;
      this.deployment = new Deployment(cluster, template, { replicas: 0, observer: this });
    } else {
      this.paState = 'Activating';
      this.paStateSince = now;
      this.scaleTargetInitialized = false;
      this.sksProxySince = now;
      const initial = this.spec.maxScale > 0 ? Math.min(this.spec.initialScale, this.spec.maxScale) : this.spec.initialScale;
      this.deployment = new Deployment(cluster, template, { replicas: Math.max(initial, this.spec.minScale), observer: this });
      this.counters.podsCreated = this.deployment.created;
      this.counters.maxPods = this.deployment.pods.length;
      this.startTimer();
    }
  }

  get now(): Time {
    return this.sim.now;
  }

  get readyPods(): number {
    return this.deployment.readyCount;
  }

  /** A request arrives at the revision's ingress now. `tag` is the caller's id; `onDone` runs when it ends. */
  submit(tag: number, onDone: RequestDoneCallback | null): KnRequest {
    const now = this.sim.now;
    const r = new KnRequest(this.nextId++, now, now + this.timeout, onDone, tag);
    this.counters.arrivals++;
    const ready = this.deployment.readyPods;
    if (ready.length === 0) {
      r.coldStartWait = true;
      this.counters.coldStartWaits++;
    }
    this.pending.push(r);
    if (this.sweepAt === Infinity) {
      this.sweepAt = r.deadline;
      this.sim.scheduleAt(r.deadline, this.sweep, this);
    }
    if (!this.timerOn) this.startTimer();
    if (this.mode === 'Serve' && ready.length > 0) {
      const pod = ready.length === 1 ? ready[0] : ready[this.lbRng.int(ready.length)];
      (pod.ownerData as QueueProxy).enter(r);
    } else if (!this.activator.enter(r)) {
      this.finish(r, REJECTED, 'activator-queue-full');
    }
    return r;
  }

  /** Requests still in flight (arrived, not ended). */
  get inFlight(): number {
    return this.counters.arrivals - this.counters.completed - this.totalRejected();
  }

  totalRejected(): number {
    const r = this.counters.rejected;
    return r['activator-queue-full'] + r['queue-proxy-full'] + r.timeout + r['pod-lost'];
  }

  // ---- request endings -------------------------------------------------------------------

  private finish(r: KnRequest, state: typeof COMPLETED | typeof REJECTED, reason: RejectReason | null): void {
    r.state = state;
    r.reason = reason;
    r.end = this.sim.now;
    // Drop ended requests from the head of the timeout list at once (they end roughly in arrival
    // order), so that ended requests are not kept alive until their deadline.
    const p = this.pending;
    if (p.peek() === r) {
      p.shift();
      while (p.size > 0 && (p.peek() as KnRequest).state !== IN_FLIGHT) p.shift();
    }
    if (state === COMPLETED) this.counters.completed++;
    else this.counters.rejected[reason as RejectReason]++;
    if (r.tracker !== null) this.activator.release(r);
    if (r.onDone !== null) r.onDone(r);
    if (this.onRequestEnd !== null) this.onRequestEnd(r);
  }

  /** Reject a request wherever it is. */
  private reject(r: KnRequest, reason: RejectReason): void {
    if (r.state !== IN_FLIGHT) return;
    if (r.pod !== null) {
      const qp = r.pod.ownerData as QueueProxy;
      qp.abort(r);
    } else if (r.queued) this.activator.abortQueued(r);
    this.finish(r, REJECTED, reason);
  }

  /** QueueProxyHost: the user container finished. */
  serviceDone(r: KnRequest): void {
    if (r.state !== IN_FLIGHT) return;
    this.finish(r, COMPLETED, null);
  }

  /** QueueProxyHost: breaker overflow. */
  overflow(r: KnRequest): void {
    this.finish(r, REJECTED, 'queue-proxy-full');
  }

  /** ActivatorHost: send to the pod. */
  forward(r: KnRequest, t: PodTracker): void {
    t.qp.enter(r);
  }

  /** Highest number of requests seen executing at once in one pod's user container. */
  maxPodConcurrency(): number {
    let m = 0;
    for (const qp of this.queueProxies) if (qp.peakExecuting > m) m = qp.peakExecuting;
    return m;
  }

  /** ActivatorHost: first request after an idle report — immediate stat and poke [a.1]. */
  firstRequest(): void {
    const now = this.sim.now;
    this.autoscaler.record(now, { concurrency: 1, rps: 1 });
    if (shouldPoke(this.autoscaler.status.desiredScale, 1)) this.tick(now);
  }

  private readonly sweep = (self: KnativeRevision): void => {
    const now = self.sim.now;
    self.sweepAt = Infinity;
    const p = self.pending;
    while (p.size > 0) {
      const r = p.peek() as KnRequest;
      if (r.state !== IN_FLIGHT) {
        p.shift();
        continue;
      }
      if (r.deadline > now) break;
      p.shift();
      self.reject(r, 'timeout');
    }
    if (p.size > 0) {
      self.sweepAt = (p.peek() as KnRequest).deadline;
      self.sim.scheduleAt(self.sweepAt, self.sweep, self);
    }
  };

  // ---- pods --------------------------------------------------------------------------------

  onPodReady(h: PodHandle): void {
    const pod = h as Pod;
    this.queueProxies.push(new QueueProxy(pod, this.cc, this, this.sim.now));
    const ready = this.deployment.readyCount;
    if (ready > this.counters.maxReadyPods) this.counters.maxReadyPods = ready;
    const d = this.probeDelay.sample(this.probeRng);
    this.sim.schedule(d > 0 ? Math.round(d * SECOND) : 0, this.activatorProbeOk, pod);
    if (!this.timerOn) this.startTimer();
    this.reconcile();
  }

  private readonly activatorProbeOk = (pod: Pod): void => {
    if (pod.isReady) this.activator.addPod(pod, pod.ownerData as QueueProxy);
  };

  onPodTerminating(h: PodHandle): void {
    this.activator.removePod(h as Pod);
    this.reconcile();
  }

  onPodGone(h: PodHandle, reason: PodEndReason): void {
    const pod = h as Pod;
    this.activator.removePod(pod);
    const qp = pod.ownerData as QueueProxy | undefined;
    if (qp !== undefined && reason !== 'terminated') {
      const lost = this.scratch;
      lost.length = 0;
      qp.heldRequests(lost);
      for (const r of lost) this.reject(r, 'pod-lost');
      lost.length = 0;
    }
    this.reconcile();
  }

  // ---- autoscaling controller ------------------------------------------------------------

  private startTimer(): void {
    this.timerOn = true;
    const next = Math.floor(this.sim.now / SECOND) * SECOND + SECOND;
    this.sim.scheduleAt(next, this.scrapeTick, this);
  }

  private readonly scrapeTick = (self: KnativeRevision): void => {
    const now = self.sim.now;
    const pods = self.deployment.readyPods;
    let conc = 0;
    let rps = 0;
    for (let i = 0; i < pods.length; i++) {
      const qp = pods[i].ownerData as QueueProxy;
      qp.report(now, self.lastScrape);
      conc += qp.avgConcurrency - qp.avgProxiedConcurrency;
      rps += qp.reportedRequests - qp.reportedProxiedRequests;
    }
    const hadStats = self.activator.hasStats;
    const a = self.activator.report(now, self.lastScrape);
    self.lastScrape = now;
    if (pods.length > 0 || hadStats) self.autoscaler.record(now, { concurrency: conc + a.concurrency, rps: rps + a.requests });
    if ((now / SECOND) % 2 === 0) self.tick(now);
    if (self.idle(now)) {
      self.timerOn = false;
      return;
    }
    self.sim.schedule(SECOND, self.scrapeTick, self);
  };

  private idle(now: Time): boolean {
    return this.deployment.pods.length === 0 && this.deployment.terminating === 0 && this.activator.held === 0
      && !this.activator.hasStats && this.autoscaler.status.desiredScale <= 0 && this.paState === 'Inactive'
      && this.autoscaler.collector.concurrencyStable.isEmpty(now) && this.autoscaler.collector.rpsStable.isEmpty(now);
  }

  /** One decider tick at `now`, then the PA reconciler. */
  tick(now: Time): void {
    this.counters.ticks++;
    const { decision } = this.autoscaler.tick(now, this.deployment.readyCount);
    this.reconcile();
    if (this.onTick !== null) this.onTick(now, decision, this.deployment.replicas);
  }

  private readonly requeue = (self: KnativeRevision): void => {
    if (self.sim.now >= self.requeueAt) self.requeueAt = Infinity;
    self.reconcile();
  };

  /** The PodAutoscaler reconciler [a.6, a.7]. */
  reconcile(): void {
    const now = this.sim.now;
    const ready = this.deployment.readyCount;
    const res = scalerScale(this.spec, this.autoscaler.status.desiredScale, {
      now, paState: this.paState, paStateSince: this.paStateSince, activatorProbeOk: true,
      sksProxySince: this.mode === 'Proxy' ? this.sksProxySince : null, scaleTargetInitialized: this.scaleTargetInitialized,
    });
    const want = res.desired;
    this.want = want;
    if (res.apply && want >= 0 && want !== this.deployment.replicas) {
      this.deployment.setReplicas(want);
      this.counters.podsCreated = this.deployment.created;
      const n = this.deployment.pods.length;
      if (n > this.counters.maxPods) this.counters.maxPods = n;
    }
    if (res.requeueAfter !== null && res.requeueAfter > 0) {
      const at = now + res.requeueAfter;
      if (at < this.requeueAt) {
        this.requeueAt = at;
        this.sim.scheduleAt(at, this.requeue, this);
      }
    }
    const mode = sksMode(want, this.autoscaler.status.excessBurstCapacity, this.paState === 'Inactive');
    if (mode !== this.mode) {
      this.mode = mode;
      this.sksProxySince = mode === 'Proxy' ? now : null;
    }
    const c = computeActiveCondition(want, ready, this.paState, this.spec.minScale, this.spec.initialScale, this.scaleTargetInitialized);
    if (c.state !== this.paState) {
      this.paState = c.state;
      this.paStateSince = now;
    }
    this.scaleTargetInitialized = c.scaleTargetInitialized;
  }
}
