/**
 * Workflow functions on OpenFaaS: what a function's watchdog does with one invocation, and the
 * InvocationBackend that calls them through the OpenFaaS gateway (sync) and the NATS queue with
 * its queue-workers (async).
 *
 * One invocation in a pod (classic watchdog: its own process, sharing the pod's cgroup with the
 * other in-flight invocations; study 5 modelling note 5):
 *   1. get every object it reads from the object store, concurrently (the node's route);
 *   2. run the function's CPU phases one after another as CPU jobs of the pod's cgroup;
 *   3. put every object it writes, concurrently; then answer.
 * A failed get/put fails the invocation (HTTP 500 to the caller). A pod that dies mid-way loses
 * the call (the OpenFaaS function reports `pod-lost`); its pending steps are dropped.
 */
import type { Simulation } from '../../core/simulation.js';
import type { CpuJob } from '../../cluster/cpu/node-cpu.js';
import type { ObjectStore, ObjectStoreClient, ObjectTransfer } from '../../cluster/object-store.js';
import type { KubeCluster } from '../kubernetes/runtime/cluster.js';
import type { Pod } from '../kubernetes/runtime/pod.js';
import { OpenFaasFunction, type OpenFaasFunctionSpec, type Watchdog } from '../openfaas/function.js';
import type { OpenFaas } from '../openfaas/openfaas.js';
import type { AsyncInvocation, SyncCall } from '../openfaas/invocation.js';
import type { InvocationBackend } from './engine.js';
import { phaseItemCount, phaseThreads, submittedWork, type FunctionCost } from './function-cost.js';
import type { InterferenceBinder } from './interference-binder.js';
import type { Invocation } from './run.js';

/** What the host needs from its surroundings. */
export interface HostEnvironment {
  sim: Simulation;
  store: ObjectStore;
  /** How a pod on `node` reaches the object store. */
  clientOf(node: string): ObjectStoreClient;
  /** Interference coupling (null = none). */
  binder: InterferenceBinder | null;
  /**
   * Node-independent latency of every invocation before its first get, µs (watchdog process
   * spawn, object-store client set-up; a fitted per-invocation overhead — study 5 modelling note 4).
   */
  invocationOverhead?: number;
}

interface Exec {
  inv: Invocation;
  call: SyncCall;
  pod: Pod;
  cost: FunctionCost;
  left: number;
  phase: number;
  failed: string;
  /** Threads of the running phase (released to the interference binder when it ends). */
  threads: number;
  job: CpuJob<Exec> | null;
  fn: WorkflowFunction;
}

/** An OpenFaaS function whose watchdog runs workflow invocations (get → phases → put). */
export class WorkflowFunction extends OpenFaasFunction {
  /** Invocations executed to the end (answered). */
  executed = 0;

  constructor(cluster: KubeCluster, spec: OpenFaasFunctionSpec, readonly cost: FunctionCost, private readonly wfHost: WorkflowHost) {
    super(cluster, spec);
  }

  override accept(pod: Pod, c: SyncCall): boolean {
    const inv = this.wfHost.invocation(c.tag);
    if (inv === undefined) return super.accept(pod, c); // a plain call (not from an engine): the pod's own workload
    const w = pod.ownerData as Watchdog;
    if (w.inflight >= this.maxInflight) return false;
    w.inflight++;
    if (w.inflight > w.peakInflight) w.peakInflight = w.inflight;
    if (w.inflight > this.peakPodInflight) this.peakPodInflight = w.inflight;
    w.calls.add(c);
    this.inflight++;
    pod.hold();
    c.pod = pod;
    c.serviceStart = this.cluster.sim.now;
    inv.execStart = this.cluster.sim.now;
    inv.node = pod.nodeName;
    this.wfHost.execute({ inv, call: c, pod, cost: this.cost, left: 0, phase: 0, failed: '', threads: 0, job: null, fn: this });
    return true;
  }

  /** @internal the execution ended; false when the pod had already lost the call. */
  finished(x: Exec): void {
    const w = x.pod.ownerData as Watchdog;
    if (!w.calls.has(x.call)) return; // pod lost: the gateway already answered 502
    w.calls.delete(x.call);
    w.inflight--;
    this.executed++;
    this.finishExecution(x.call);
  }
}

/** Executes invocations in pods and calls functions through OpenFaaS. */
export class WorkflowHost implements InvocationBackend {
  // Sync calls carry our own negative tags; queue-worker calls carry the AsyncInvocation id (≥ 0).
  private readonly byTag = new Map<number, Invocation>();
  private readonly doneOf = new Map<number, (inv: Invocation) => void>();
  private nextTag = -1;
  /** Object-store traffic of all invocations. */
  readonly traffic = { gets: 0, puts: 0, bytesRead: 0, bytesWritten: 0, failures: 0 };

  /**
   * @param route maps a workflow function name to the OpenFaaS function to call now (e.g. the
   *   deployment on the function's current node).
   */
  constructor(readonly env: HostEnvironment, readonly openfaas: OpenFaas, private readonly route: (fn: string) => string) {}

  /** Deploy a workflow function on OpenFaaS. */
  deploy(spec: OpenFaasFunctionSpec, cost: FunctionCost): WorkflowFunction {
    if (this.openfaas.gateway.function(spec.name) !== undefined) throw new Error(`workflows: function "${spec.name}" is already deployed`);
    const fn = new WorkflowFunction(this.openfaas.cluster, spec, cost, this);
    this.openfaas.gateway.register(fn);
    this.openfaas.functions.push(fn);
    this.openfaas.ce?.add(fn);
    this.openfaas.pro?.add(fn);
    return fn;
  }

  /** @internal the invocation a gateway call carries (by its tag). */
  invocation(tag: number): Invocation | undefined {
    return this.byTag.get(tag);
  }

  callSync(inv: Invocation, done: (inv: Invocation) => void): void {
    const tag = this.nextTag--;
    this.byTag.set(tag, inv);
    this.doneOf.set(tag, done);
    this.openfaas.invoke(this.route(inv.stage.fn), this.syncAnswered, tag);
  }

  callAsync(inv: Invocation, done: (inv: Invocation) => void): void {
    // The queue may dispatch inside enqueue, so register under the id the pool gives next
    // (ids count enqueued messages from 0) and check it afterwards.
    const q = this.openfaas.queue;
    const id = q.counters.enqueued;
    this.byTag.set(id, inv);
    this.doneOf.set(id, done);
    const a = this.openfaas.invokeAsync(this.route(inv.stage.fn), this.asyncAnswered, 0);
    if (a.id !== id) throw new Error(`workflows: queue message id: expected ${id} (messages enqueued so far), found ${a.id}`);
  }

  private answer(tag: number, status: number, reason: string | null): void {
    const inv = this.byTag.get(tag);
    const done = this.doneOf.get(tag);
    if (inv === undefined || done === undefined) return; // CE duplicate run after the outcome
    this.byTag.delete(tag);
    this.doneOf.delete(tag);
    inv.ok = status === 200;
    if (!inv.ok && inv.error === '') inv.error = reason ?? `HTTP ${status}`;
    done(inv);
  }

  private readonly syncAnswered = (c: SyncCall): void => this.answer(c.tag, c.status, c.reason);
  private readonly asyncAnswered = (a: AsyncInvocation): void => this.answer(a.id, a.status, a.reason);

  /** @internal run one invocation in its pod. */
  execute(x: Exec): void {
    const d = this.env.invocationOverhead ?? 0;
    if (d > 0) this.env.sim.schedule(d, this.afterOverhead, x);
    else this.afterOverhead(x);
  }

  private readonly afterOverhead = (x: Exec): void => {
    const fn = x.fn;
    const run = x.inv.run;
    const keys = run.readsOf(x.inv);
    if (keys.length === 0) {
      this.nextPhase(x, fn);
      return;
    }
    x.left = keys.length;
    const client = this.env.clientOf(x.pod.nodeName);
    for (const k of keys) {
      this.traffic.gets++;
      x.inv.gets++;
      this.env.store.get(client, k, this.onGotten, x);
    }
  };

  private readonly onGotten = (r: ObjectTransfer, x: Exec): void => this.gotten(x, x.fn, r);

  private gotten(x: Exec, fn: WorkflowFunction, r: ObjectTransfer): void {
    if (r.ok) {
      x.inv.bytesRead += r.bytes;
      this.traffic.bytesRead += r.bytes;
    } else if (x.failed === '') {
      x.failed = `get ${r.key}: ${r.error ?? 'failed'}`;
      this.traffic.failures++;
    }
    if (--x.left > 0) return;
    if (x.failed !== '') this.end(x, fn);
    else this.nextPhase(x, fn);
  }

  private nextPhase(x: Exec, fn: WorkflowFunction): void {
    const pod = x.pod;
    const group = pod.cpuGroup;
    const node = pod.node;
    if (group === null || node === null || !pod.alive) return; // the pod is gone: the call was lost
    while (x.phase < x.cost.phases.length) {
      const p = x.cost.phases[x.phase++];
      const work = submittedWork(p, phaseItemCount(p, x.inv.items, x.inv.run.attribute), node.profile);
      if (!(work > 0)) continue;
      const threads = phaseThreads(p, node.cores);
      this.env.binder?.podLoad(node, pod.id, group, x.cost.interferenceClass, threads);
      x.threads = threads;
      x.job = group.submitJob(work, threads, this.phaseDone, x);
      return;
    }
    this.putAll(x, fn);
  }

  private readonly phaseDone = (x: Exec): void => {
    x.job = null;
    const node = x.pod.node;
    if (node !== null && x.pod.cpuGroup !== null) this.env.binder?.podLoad(node, x.pod.id, x.pod.cpuGroup, x.cost.interferenceClass, -x.threads);
    this.nextPhase(x, x.fn);
  };

  private putAll(x: Exec, fn: WorkflowFunction): void {
    const writes = x.inv.run.writesOf(x.inv);
    if (writes.length === 0) {
      this.end(x, fn);
      return;
    }
    x.left = writes.length;
    const client = this.env.clientOf(x.pod.nodeName);
    for (const w of writes) {
      this.traffic.puts++;
      x.inv.puts++;
      this.env.store.put(client, w.key, w.bytes, this.onPut, x);
    }
  }

  private readonly onPut = (r: ObjectTransfer, x: Exec): void => {
    if (r.ok) {
      x.inv.bytesWritten += r.bytes;
      this.traffic.bytesWritten += r.bytes;
    } else if (x.failed === '') {
      x.failed = `put ${r.key}: ${r.error ?? 'failed'}`;
      this.traffic.failures++;
    }
    if (--x.left === 0) this.end(x, x.fn);
  };

  private end(x: Exec, fn: WorkflowFunction): void {
    x.inv.execEnd = this.env.sim.now;
    if (x.failed !== '') x.inv.error = x.failed;
    if (x.failed !== '') {
      // answer 500: the gateway's function-error path
      const w = x.pod.ownerData as Watchdog;
      if (!w.calls.has(x.call)) return;
      w.calls.delete(x.call);
      w.inflight--;
      fn.inflight--;
      x.call.serviceEnd = this.env.sim.now;
      x.pod.release();
      fn.host?.executed(x.call, 500);
      return;
    }
    fn.finished(x);
  }
}
