/**
 * One OpenFaaS function on the Kubernetes runtime: its Deployment (faas-netes), its pods'
 * watchdogs and the per-function counters the gateway, autoscalers and idler read.
 *
 * - Pods: the user template with the faas-netes chart's probe (readiness period 2 s, initial
 *   delay 0) and `imagePullPolicy: Always` unless the template says otherwise [§b.1, §c.5].
 * - Watchdog: each pod runs every request it accepts as its own CPU job on the node (the
 *   classic watchdog forks a process per request; study 5 modelling note 5); with
 *   `maxInflight` set, a request beyond it gets HTTP 429 at once [§b.1 "Watchdog"]; unset =
 *   unlimited.
 * - Routing: a Ready pod picked at random (the function's ClusterIP Service, kube-proxy picks an
 *   endpoint at random) [assumption: faas-netes default direct_functions through the Service].
 * - Counters: `gateway_function_invocation_total{code}` per 1 s bucket (the CE alert reads the
 *   rate of code 200 over 10 s) and the last invocation time (idler, Pro scale to zero).
 */
import type { Simulation } from '../../core/simulation.js';
import type { RandomStream } from '../../core/random.js';
import { SECOND, type Time } from '../../core/time.js';
import type { KubeCluster } from '../kubernetes/runtime/cluster.js';
import { Deployment } from '../kubernetes/runtime/deployment.js';
import type { Pod } from '../kubernetes/runtime/pod.js';
import type { PodEndReason, PodHandle, PodObserver, PodTemplate } from '../kubernetes/runtime/types.js';
import { CE_DEFAULT_SCALING_FACTOR, PRO_DEFAULT_LABELS, proLabels, type ProScalingLabels } from './autoscaler-rules.js';
import type { SyncCall } from './invocation.js';

/** faas-netes chart function probes: period 2 s, initial delay 0 [§b.1]. */
export const OPENFAAS_PROBE_PERIOD = 2 * SECOND;
/** Length of the invocation-count ring, seconds (≥ the longest rate window read, 10 s CE). */
const RING = 64;

/** A function as deployed (`stack.yml` + `com.openfaas.scale.*` labels). */
export interface OpenFaasFunctionSpec {
  name: string;
  /** The function's container (pull policy Always and the 2 s probe are applied unless set). */
  template: PodTemplate;
  /** `com.openfaas.scale.min` (default 1, §b.3). */
  minReplicas?: number;
  /** `com.openfaas.scale.max` (default 20, Pro label default §b.3; the CE rule caps it at 5). */
  maxReplicas?: number;
  /** `com.openfaas.scale.factor` for the CE rule, percent (default 10, code default §b.3). */
  scalingFactor?: number;
  /** `com.openfaas.scale.zero`: the idler / Pro autoscaler may scale it to zero (default false). */
  scaleToZero?: boolean;
  /** Pro autoscaler labels (type, target, target-proportion, zero-duration, down window). */
  pro?: Partial<ProScalingLabels>;
  /** Watchdog `max_inflight` per pod; undefined = unlimited [§b.1]. */
  maxInflight?: number;
  /** Probability that an execution answers HTTP 500 (default 0) [servesim fault injection]. */
  errorRate?: number;
  /** Replicas at deploy time (default minReplicas). */
  initialReplicas?: number;
}

/** What the function tells the gateway about the calls it runs. */
export interface FunctionHost {
  /** The pod finished executing `c` (status 200 or 500). */
  executed(c: SyncCall, status: number): void;
  /** The pod running `c` died. */
  lost(c: SyncCall): void;
}

/** Per-pod watchdog state (kept in `pod.ownerData`). */
export class Watchdog {
  inflight = 0;
  peakInflight = 0;
  readonly calls = new Set<SyncCall>();
  constructor(readonly pod: Pod) {}
}

function onExecuted(c: SyncCall): void {
  const fn = (c.pod as Pod & { ownerData: Watchdog }).ownerData;
  fn.calls.delete(c);
  fn.inflight--;
  const owner = ownerOf.get(c.pod as Pod) as OpenFaasFunction;
  owner.finishExecution(c);
}

const ownerOf = new WeakMap<Pod, OpenFaasFunction>();

/** A deployed function. */
export class OpenFaasFunction implements PodObserver {
  readonly name: string;
  readonly deployment: Deployment;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly scalingFactor: number;
  readonly scaleToZero: boolean;
  readonly pro: ProScalingLabels;
  readonly maxInflight: number;
  readonly errorRate: number;
  /** Calls executing in the function's pods. */
  inflight = 0;
  /** Highest per-pod in-flight count seen. */
  peakPodInflight = 0;
  /** Invocations that reached the gateway (sync calls, including queue-worker calls). */
  invocations = 0;
  /** Last invocation arrival, µs (null = never). */
  lastInvocation: Time | null = null;
  /** Async messages for this function waiting in the queue (for Pro `queue` scaling). */
  queued = 0;
  readonly createdAt: Time;
  /** Host set by the gateway. */
  host: FunctionHost | null = null;
  private readonly ok = new Float64Array(RING);
  private readonly all = new Float64Array(RING);
  private ringSecond = 0;
  private readonly lbRng: RandomStream;
  private readonly errRng: RandomStream;
  private readonly sim: Simulation;

  constructor(readonly cluster: KubeCluster, spec: OpenFaasFunctionSpec) {
    this.sim = cluster.sim;
    this.name = spec.name;
    const where = `openfaas function "${spec.name}"`;
    this.minReplicas = spec.minReplicas ?? 1;
    this.maxReplicas = spec.maxReplicas ?? PRO_DEFAULT_LABELS.max;
    if (!Number.isInteger(this.minReplicas) || this.minReplicas < 0) throw new RangeError(`${where}: minReplicas: expected an integer ≥ 0, found ${this.minReplicas}`);
    if (!Number.isInteger(this.maxReplicas) || this.maxReplicas < Math.max(1, this.minReplicas)) throw new RangeError(`${where}: maxReplicas: expected an integer ≥ max(1, minReplicas=${this.minReplicas}), found ${this.maxReplicas}`);
    this.scalingFactor = spec.scalingFactor ?? CE_DEFAULT_SCALING_FACTOR;
    if (!(this.scalingFactor >= 0 && this.scalingFactor <= 100)) throw new RangeError(`${where}: scalingFactor: expected 0..100, found ${this.scalingFactor}`);
    this.scaleToZero = spec.scaleToZero ?? false;
    this.pro = proLabels({ min: this.minReplicas, max: this.maxReplicas, zero: this.scaleToZero, ...spec.pro });
    this.maxInflight = spec.maxInflight ?? Infinity;
    if (!(this.maxInflight >= 1)) throw new RangeError(`${where}: maxInflight: expected an integer ≥ 1 (or unset = unlimited), found ${spec.maxInflight}`);
    this.errorRate = spec.errorRate ?? 0;
    if (!(this.errorRate >= 0 && this.errorRate <= 1)) throw new RangeError(`${where}: errorRate: expected a probability in [0, 1], found ${this.errorRate}`);
    this.lbRng = this.sim.random.stream(`openfaas/${spec.name}/lb`);
    this.errRng = this.sim.random.stream(`openfaas/${spec.name}/errors`);
    this.createdAt = this.sim.now;
    const t = spec.template;
    const template: PodTemplate = {
      ...t,
      name: spec.name,
      pullPolicy: t.pullPolicy ?? 'Always',
      readiness: t.readiness ?? { period: OPENFAAS_PROBE_PERIOD, initialDelay: 0, successThreshold: 1 },
    };
    const initial = spec.initialReplicas ?? this.minReplicas;
    if (!Number.isInteger(initial) || initial < 0) throw new RangeError(`${where}: initialReplicas: expected an integer ≥ 0, found ${initial}`);
    this.deployment = new Deployment(cluster, template, { replicas: initial, observer: this });
  }

  /** spec.replicas of the Deployment. */
  get replicas(): number {
    return this.deployment.replicas;
  }

  /** The provider's AvailableReplicas: Ready pods. */
  get availableReplicas(): number {
    return this.deployment.readyCount;
  }

  setReplicas(n: number): void {
    this.deployment.setReplicas(n);
  }

  /** Count an invocation arriving at the gateway now. */
  noteInvocation(now: Time): void {
    this.invocations++;
    this.lastInvocation = now;
  }

  /** Count a completed call with `status` now (`gateway_function_invocation_total{code}`). */
  noteCompletion(now: Time, status: number): void {
    this.roll(now);
    const i = Math.floor(now / SECOND) % RING;
    this.all[i]++;
    if (status === 200) this.ok[i]++;
  }

  /** Completions per second over the `window` µs before `now` (whole seconds), code 200 only or all. */
  rate(now: Time, window: Time, onlyOk: boolean): number {
    this.roll(now);
    const secs = Math.max(1, Math.min(RING - 1, Math.round(window / SECOND)));
    const cur = Math.floor(now / SECOND);
    const arr = onlyOk ? this.ok : this.all;
    let s = 0;
    for (let k = 1; k <= secs; k++) s += arr[(((cur - k) % RING) + RING) % RING];
    return s / secs;
  }

  private roll(now: Time): void {
    const cur = Math.floor(now / SECOND);
    if (cur === this.ringSecond) return;
    const steps = Math.min(RING, cur - this.ringSecond);
    for (let k = 1; k <= steps; k++) {
      const i = (this.ringSecond + k) % RING;
      this.ok[i] = 0;
      this.all[i] = 0;
    }
    this.ringSecond = cur;
  }

  /** A Ready pod for a new call (random endpoint), or null when none is Ready. */
  pickPod(): Pod | null {
    const ready = this.deployment.readyPods;
    if (ready.length === 0) return null;
    return ready.length === 1 ? ready[0] : ready[this.lbRng.int(ready.length)];
  }

  /**
   * The watchdog of `pod` takes `c`: false when its `max_inflight` is reached (the caller
   * answers 429); else the call executes as a CPU job of the pod and the host hears when done.
   */
  accept(pod: Pod, c: SyncCall): boolean {
    const w = pod.ownerData as Watchdog;
    if (w.inflight >= this.maxInflight) return false;
    w.inflight++;
    if (w.inflight > w.peakInflight) w.peakInflight = w.inflight;
    if (w.inflight > this.peakPodInflight) this.peakPodInflight = w.inflight;
    w.calls.add(c);
    this.inflight++;
    pod.hold();
    c.pod = pod;
    c.serviceStart = this.sim.now;
    c.job = pod.execute(onExecuted, c);
    return true;
  }

  /** @internal called when an execution's CPU work is done. */
  finishExecution(c: SyncCall): void {
    this.inflight--;
    c.serviceEnd = this.sim.now;
    c.job = null;
    const pod = c.pod as Pod;
    const status = this.errorRate > 0 && this.errRng.next() < this.errorRate ? 500 : 200;
    pod.release();
    this.host?.executed(c, status);
  }

  onPodReady(h: PodHandle): void {
    const pod = h as Pod;
    pod.ownerData = new Watchdog(pod);
    ownerOf.set(pod, this);
  }

  onPodGone(h: PodHandle, reason: PodEndReason): void {
    const pod = h as Pod;
    const w = pod.ownerData as Watchdog | undefined;
    if (w === undefined || w.calls.size === 0) return;
    const lost = [...w.calls];
    w.calls.clear();
    for (const c of lost) {
      w.inflight--;
      this.inflight--;
      c.job = null;
      this.host?.lost(c);
    }
    void reason;
  }
}
