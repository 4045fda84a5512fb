/**
 * SimBackend: ClusterBackend on the simulator (issue 8 item 4). Its clock is the Simulation
 * (`now()` = `sim.now`), `every`/`after` schedule simulation events and `runFor` runs the
 * simulation; everything a policy does happens inside simulation events, so a run stays
 * deterministic.
 *
 * Functions run on the Kubernetes runtime: pods are created on the KubeCluster (scheduler, cold
 * start, Ready, graceful termination) by the shared ReplicaController; each Ready pod's user
 * container is a cgroup on its node's NodeCpu (weight from the CPU request, CFS quota from the
 * limit, platform-semantics.md §d.2), and a request runs as one CPU job of its work on the
 * function's threads (Pod.execute). Requests enter the shared FunctionRouter (FIFO queue,
 * containerConcurrency per pod). `routerOverheadUs` adds a fixed delay before execution (the
 * router → pod hop; LocalBackend measures its own, see compare).
 */
import { cgroupCpuSettings } from '../../cluster/k8s-resources.js';
import type { Simulation } from '../../core/simulation.js';
import type { Time } from '../../core/time.js';
import type { InferenceRecord } from '../../monitor/record.js';
import type { KubeCluster } from '../../platform/kubernetes/runtime/cluster.js';
import type { Pod } from '../../platform/kubernetes/runtime/pod.js';
import type { PodEndReason, PodHandle, PodObserver, PodTemplate } from '../../platform/kubernetes/runtime/types.js';
import {
  BackendError, MANAGED_LABEL, type Batch, type ClusterObservation, type FunctionState, type InferenceEntry, type NodeState,
  type PodState, type RequestInput, type RequestRecord, type TrafficBackend,
} from '../cluster-backend.js';
import { checkMilli, checkNode, checkReplicas, resolveFunctionSpecs, type FunctionSpec, type ResolvedFunctionSpec } from '../function-spec.js';
import { ReplicaController, type ControlledPod, type PodDriver, type PodLaunch } from '../replica-controller.js';
import { FunctionRouter } from '../request-router.js';
import { RecordLog } from '../record-log.js';

export interface SimBackendOptions {
  readonly sim: Simulation;
  /** A runtime cluster with its nodes added. */
  readonly cluster: KubeCluster;
  readonly functions: readonly FunctionSpec[];
  /** Container image of the functions' pods (default `<fn>:latest`, 0 bytes: already cached). */
  readonly image?: { readonly name: string; readonly bytes: number };
  /** Cold-start model runtime key (default `python`). */
  readonly runtime?: string;
  /** Fixed delay between the router and the pod, µs (default 0). */
  readonly routerOverheadUs?: Time;
  /** Keep at most this many finished requests and inference records (oldest dropped; default 1e6). */
  readonly retain?: number;
}

interface SimRequest {
  fn: SimFunction;
  arrival: Time;
  start: Time;
  pod: SimPod | null;
  input: RequestInput;
}

class SimPod implements ControlledPod {
  inFlight = 0;
  served = 0;
  readonly held = new Set<SimRequest>();
  limitMilli: number | null;
  requestMilli: number | null;
  constructor(readonly pod: Pod, readonly fn: SimFunction, readonly revision: number, readonly serial: number, launch: PodLaunch) {
    this.limitMilli = launch.cpuLimitMilli;
    this.requestMilli = launch.cpuRequestMilli;
  }
  get createdAt(): Time {
    return this.pod.createdAt;
  }
  get phase(): Pod['phase'] {
    return this.pod.phase;
  }
}

interface SimFunction {
  spec: ResolvedFunctionSpec;
  ctl: ReplicaController<SimPod>;
  router: FunctionRouter<SimPod, SimRequest>;
  all: Set<SimPod>;
  arrived: number;
  completed: number;
  failed: number;
  inFlight: number;
}

/** ClusterBackend on the simulator. */
export class SimBackend implements TrafficBackend {
  readonly kind = 'sim' as const;
  readonly sim: Simulation;
  readonly cluster: KubeCluster;
  private readonly fns = new Map<string, SimFunction>();
  private readonly overhead: Time;
  private readonly image: { name: string; bytes: number } | undefined;
  private readonly runtime: string;
  private readonly finished: RecordLog<RequestRecord>;
  private readonly inference: RecordLog<InferenceEntry>;
  private serial = 0;
  private closed = false;

  constructor(opts: SimBackendOptions) {
    this.sim = opts.sim;
    this.cluster = opts.cluster;
    this.overhead = opts.routerOverheadUs ?? 0;
    if (!(this.overhead >= 0) || !Number.isFinite(this.overhead)) throw new BackendError(`SimBackend: routerOverheadUs: expected a non-negative number of µs, found ${this.overhead}`);
    this.image = opts.image;
    this.runtime = opts.runtime ?? 'python';
    this.finished = new RecordLog(opts.retain ?? 1_000_000);
    this.inference = new RecordLog(opts.retain ?? 1_000_000);
    const specs = resolveFunctionSpecs(opts.functions, this.cluster.nodes.map((n) => n.name));
    for (const spec of specs) {
      const f = { spec, all: new Set<SimPod>(), arrived: 0, completed: 0, failed: 0, inFlight: 0 } as SimFunction;
      f.router = new FunctionRouter<SimPod, SimRequest>(spec.containerConcurrency, spec.queueLimit, this.dispatch);
      f.ctl = new ReplicaController<SimPod>(this.driverFor(f), spec.replicas, {
        node: spec.node, cpuLimitMilli: spec.cpuLimitMilli, cpuRequestMilli: spec.cpuRequestMilli, threads: spec.threads,
      });
      this.fns.set(spec.name, f);
    }
    if (this.image === undefined) {
      // the default image is already on every node: pods start without a pull
      for (const spec of specs) for (const n of this.cluster.nodes) this.cluster.preloadImage(n.name, { name: `${spec.name}:latest`, bytes: 0 });
    }
    for (const f of this.fns.values()) f.ctl.reconcile();
  }

  // ---- clock ----------------------------------------------------------------------------

  now(): Time {
    return this.sim.now;
  }

  every(interval: Time, fn: (now: Time) => void): () => void {
    return this.sim.every(interval, fn);
  }

  after(delay: Time, fn: (now: Time) => void): () => void {
    const id = this.sim.schedule(delay, this.callAt, fn);
    return () => void this.sim.cancel(id);
  }

  private readonly callAt = (fn: (now: Time) => void): void => fn(this.sim.now);

  /** Run the simulation for `duration` µs (synchronously; the promise is already resolved). */
  runFor(duration: Time): Promise<void> {
    this.runForSync(duration);
    return Promise.resolve();
  }

  /** Run the simulation for `duration` µs. */
  runForSync(duration: Time): void {
    if (!(duration >= 0)) throw new BackendError(`runFor: expected a duration ≥ 0 µs, found ${duration}`);
    this.sim.run(this.sim.now + duration);
  }

  // ---- traffic --------------------------------------------------------------------------

  send(fn: string, input: RequestInput): void {
    const f = this.fn(fn, 'send');
    if (!(input.workCoreUs >= 0) || !Number.isFinite(input.workCoreUs)) throw new BackendError(`send "${fn}": workCoreUs: expected a finite number ≥ 0, found ${input.workCoreUs}`);
    f.arrived++;
    const r: SimRequest = { fn: f, arrival: this.sim.now, start: -1, pod: null, input };
    if (!f.router.admit(r)) this.finish(r, false, 'queue full');
  }

  // ---- observe --------------------------------------------------------------------------

  observe(): ClusterObservation {
    const nodes: NodeState[] = this.cluster.nodes.map((n) => ({
      name: n.name, cores: n.cores, allocatableMilliCpu: n.allocatableMilliCpu,
      requestedMilliCpu: this.cluster.requestedMilliCpu(n.name), cpuUsageUs: n.cpuUsageUs(), labels: n.labels,
    }));
    const pods: PodState[] = [];
    const functions: FunctionState[] = [];
    for (const f of this.fns.values()) {
      for (const p of f.all) {
        const st = p.pod.cpuGroup?.stats();
        pods.push({
          name: p.pod.name, function: f.spec.name, node: p.pod.nodeName, phase: p.pod.phase,
          cpuLimitMilli: p.limitMilli, cpuRequestMilli: p.requestMilli, threads: p.pod.threads,
          inFlight: p.inFlight, served: p.served, createdAt: p.pod.createdAt, readyAt: p.pod.readyAt,
          cpu: { usageUs: st?.usageUs ?? 0, nrPeriods: st?.nrPeriods ?? 0, nrThrottled: st?.nrThrottled ?? 0, throttledUs: st?.throttledTimeUs ?? 0 },
        });
      }
      const s = f.ctl.currentSpec;
      functions.push({
        name: f.spec.name, replicas: f.ctl.replicas, readyReplicas: f.ctl.readyCount, node: s.node,
        cpuLimitMilli: s.cpuLimitMilli, cpuRequestMilli: s.cpuRequestMilli, containerConcurrency: f.router.containerConcurrency,
        arrived: f.arrived, completed: f.completed, failed: f.failed, queued: f.router.queued, inFlight: f.inFlight,
      });
    }
    return { time: this.sim.now, nodes, pods, functions };
  }

  requests(cursor: number): Batch<RequestRecord> {
    return this.finished.since(cursor);
  }

  inferenceRecords(cursor: number): Batch<InferenceEntry> {
    return this.inference.since(cursor);
  }

  // ---- act ------------------------------------------------------------------------------

  scale(fn: string, replicas: number): void {
    checkReplicas(`scale "${fn}": replicas`, replicas);
    this.fn(fn, 'scale').ctl.scale(replicas);
  }

  place(fn: string, node: string | null): void {
    const f = this.fn(fn, 'place');
    if (node !== null) checkNode(`place "${fn}": node`, node, this.cluster.nodes.map((n) => n.name));
    f.ctl.place(node);
  }

  setCpuLimit(fn: string, limitMilli: number | null, requestMilli?: number | null): void {
    const f = this.fn(fn, 'setCpuLimit');
    const limit = checkMilli(`setCpuLimit "${fn}": limitMilli`, limitMilli);
    const request = requestMilli === undefined ? f.ctl.currentSpec.cpuRequestMilli : checkMilli(`setCpuLimit "${fn}": requestMilli`, requestMilli);
    if (limit !== null && request !== null && request > limit) throw new BackendError(`setCpuLimit "${fn}": requestMilli: expected ≤ limitMilli (${limit}), found ${request}`);
    f.ctl.setLimits(limit, request);
  }

  /** Delete every pod (gracefully, in simulated time). */
  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      for (const f of this.fns.values()) f.ctl.deleteAll();
    }
    return Promise.resolve();
  }

  // ---- internals ------------------------------------------------------------------------

  private fn(name: string, what: string): SimFunction {
    const f = this.fns.get(name);
    if (f === undefined) throw new BackendError(`${what}: expected one of the functions ${[...this.fns.keys()].map((n) => `"${n}"`).join(', ')}, found "${name}"`);
    return f;
  }

  private template(f: SimFunction, launch: PodLaunch): PodTemplate {
    const name = f.spec.name;
    return {
      name: `${name}-r${launch.revision}`,
      labels: { app: name, [MANAGED_LABEL]: 'true' },
      image: this.image ?? { name: `${name}:latest`, bytes: 0 },
      runtime: this.runtime,
      resources: { cpuLimitMilli: launch.cpuLimitMilli ?? undefined, cpuRequestMilli: launch.cpuRequestMilli ?? undefined },
      nodeSelector: launch.node === null ? undefined : { 'kubernetes.io/hostname': launch.node },
      workload: { usefulWork: 0, threads: launch.threads },
    };
  }

  private driverFor(f: SimFunction): PodDriver<SimPod> {
    return {
      create: (launch) => {
        const template = this.template(f, launch);
        let sp: SimPod | null = null;
        const observer: PodObserver = {
          onPodReady: () => {
            const p = sp as SimPod;
            this.applyLimits(p);
            f.router.addEndpoint(p);
            f.ctl.reconcile();
          },
          onPodTerminating: () => f.router.removeEndpoint(sp as SimPod),
          onPodGone: (_h: PodHandle, reason: PodEndReason) => this.podGone(f, sp as SimPod, reason),
        };
        const pod = this.cluster.createPod(template, observer);
        sp = new SimPod(pod, f, launch.revision, this.serial++, launch);
        f.all.add(sp);
        return sp;
      },
      remove: (p) => this.cluster.deletePod(p.pod),
      resize: (p, limit, request) => {
        p.limitMilli = limit;
        p.requestMilli = request;
        this.applyLimits(p);
      },
    };
  }

  /** Write the pod's current limit/request into its cgroup (in-place resize, §d.2 mapping). */
  private applyLimits(p: SimPod): void {
    const g = p.pod.cpuGroup;
    if (g === null) return;
    const cg = cgroupCpuSettings(p.requestMilli ?? undefined, p.limitMilli ?? undefined, { periodUs: g.period });
    g.setWeight(cg.weight);
    g.setQuota(cg.quotaUs, cg.periodUs);
  }

  private podGone(f: SimFunction, p: SimPod, reason: PodEndReason): void {
    f.router.removeEndpoint(p);
    f.all.delete(p);
    for (const r of p.held) this.finish(r, false, `pod ${p.pod.name} ${reason}`);
    p.held.clear();
    f.ctl.podGone(p);
  }

  private readonly dispatch = (p: SimPod, r: SimRequest): void => {
    r.pod = p;
    r.fn.inFlight++;
    p.held.add(r);
    p.pod.hold();
    if (this.overhead > 0) this.sim.schedule(this.overhead, this.execute, r);
    else this.execute(r);
  };

  private readonly execute = (r: SimRequest): void => {
    const p = r.pod as SimPod;
    if (p.pod.cpuGroup === null) return; // the pod is gone; podGone failed the request
    r.start = this.sim.now;
    p.pod.execute(this.done, r, r.input.workCoreUs);
  };

  private readonly done = (r: SimRequest): void => {
    const p = r.pod as SimPod;
    p.held.delete(r);
    p.inFlight--;
    p.served++;
    this.finish(r, true, '');
    p.pod.release();
    r.fn.router.drain();
  };

  private finish(r: SimRequest, ok: boolean, error: string): void {
    const f = r.fn;
    if (r.pod !== null) f.inFlight--;
    if (ok) f.completed++;
    else f.failed++;
    const now = this.sim.now;
    this.finished.push({
      seq: this.finished.nextSeq, function: f.spec.name, arrival: r.arrival, start: r.start, end: now, pod: r.pod?.pod.name ?? '',
      workCoreUs: r.input.workCoreUs, ok, error,
    });
    if (ok && r.input.features !== undefined) {
      const record: InferenceRecord = { eventTime: r.arrival, features: r.input.features, prediction: r.input.prediction, revision: `${f.spec.name}-r${(r.pod as SimPod).revision}` };
      this.inference.push({ record, arrivalTime: now });
    }
  }
}
