/**
 * LocalBackend: ClusterBackend on a real mini-cluster on this machine (issue 8 item 5).
 *
 * - A pod is a worker process (child_process.fork of worker-source.ts) in its own real cgroup
 *   under the backend's group: CFS quota/period from the CPU limit and `cpu.shares`/`cpu.weight`
 *   from the request, exactly as the kubelet maps them (platform-semantics.md §d.2). A request's
 *   work (core-µs) runs as a calibrated busy loop spread over the function's threads.
 * - A node is this machine (default: one node `local` with every core), or a set of CPUs when
 *   `nodes` give `cpus` (a cpuset group per pod): `place` then really moves pods between CPUs.
 * - Requests come in over a real HTTP server on 127.0.0.1 (ephemeral port; `send` posts to it)
 *   and go through the same FunctionRouter as SimBackend (FIFO queue, containerConcurrency) to the
 *   workers over IPC. Pods are created, drained and resized by the same ReplicaController.
 * - The clock is monotonic wall time in µs since the backend started; `every` is drift-free
 *   (ticks at start + k·interval; a late tick does not shift later ones).
 *
 * The backend's group gets the largest weight (shares 262144 / weight 10000) so that other
 * processes on a shared machine disturb the measurement as little as possible; the pods' own
 * quotas and weights apply inside it. Everything is cleaned up by `close()`, on failure during
 * `start`, on process exit and on SIGINT/SIGTERM; groups of runs that were killed outright are
 * removed at the next start (their workers exit when the IPC channel closes).
 */
import { monotonicUs } from '../real-clock.js';
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { cgroupCpuSettings, DEFAULT_PERIOD_US, MAX_SHARES, checkPeriod } from '../../cluster/k8s-resources.js';
import type { Time } from '../../core/time.js';
import {
  BackendError, type Batch, type ClusterObservation, type FunctionState, type InferenceEntry, type NodeState,
  type PodCpuCounters, type PodPhaseName, type PodState, type RequestInput, type RequestRecord, type TrafficBackend,
} from '../cluster-backend.js';
import { checkMilli, checkNode, checkReplicas, resolveFunctionSpecs, type FunctionSpec, type ResolvedFunctionSpec } from '../function-spec.js';
import { RecordLog } from '../record-log.js';
import { ReplicaController, type ControlledPod, type PodDriver, type PodLaunch } from '../replica-controller.js';
import { FunctionRouter, type RouterEndpoint } from '../request-router.js';
import { Cgroup, GROUP_PREFIX, probeCgroups, removeDir, removeStaleGroups, type CgroupLayout } from './cgroup.js';
import { HttpClient, HttpFront } from './http-front.js';
import { WORKER_SOURCE } from './worker-source.js';

/** A node of the local cluster. */
export interface LocalNodeSpec {
  readonly name: string;
  /** CPUs (cpuset) of the node; default every CPU of the machine (no cpuset group). */
  readonly cpus?: readonly number[];
}

export interface LocalBackendOptions {
  readonly functions: readonly FunctionSpec[];
  /** Default one node `local` with every CPU. */
  readonly nodes?: readonly LocalNodeSpec[];
  /** CFS period of the pods, µs (default 100 000, §d.1). */
  readonly periodUs?: number;
  /** Busy-loop iterations per core-µs; default: calibrated at start (best of 5 runs of ~50 ms). */
  readonly itersPerUs?: number;
  /** How long `start` waits for the initial replicas to be Ready, ms (default 20 000). */
  readonly readyTimeoutMs?: number;
  /** Keep at most this many finished requests and inference records (default 1e6). */
  readonly retain?: number;
}

interface LocalRequest {
  id: number;
  fn: LocalFunction;
  arrival: Time;
  start: Time;
  pod: LocalPod | null;
  input: RequestInput;
  reply: (status: number, body: object) => void;
}

interface LocalNode {
  spec: LocalNodeSpec;
  cores: number;
  retiredUsageUs: number;
}

class LocalPod implements ControlledPod, RouterEndpoint {
  phase: PodPhaseName = 'Starting';
  inFlight = 0;
  served = 0;
  readyAt: Time = -1;
  readonly pending = new Map<number, LocalRequest>();
  child: ChildProcess | null = null;
  lastStat: PodCpuCounters = { usageUs: 0, nrPeriods: 0, nrThrottled: 0, throttledUs: 0 };
  killTimer: NodeJS.Timeout | null = null;
  constructor(
    readonly name: string, readonly fn: LocalFunction, readonly node: LocalNode, readonly cg: Cgroup,
    readonly revision: number, readonly serial: number, readonly createdAt: Time,
    public limitMilli: number | null, public requestMilli: number | null, readonly threads: number,
  ) {}
}

interface LocalFunction {
  spec: ResolvedFunctionSpec;
  ctl: ReplicaController<LocalPod>;
  router: FunctionRouter<LocalPod, LocalRequest>;
  all: Set<LocalPod>;
  arrived: number;
  completed: number;
  failed: number;
  inFlight: number;
}

let groupSerial = 0;

/** ClusterBackend on real processes under real cgroups on this machine. */
export class LocalBackend implements TrafficBackend {
  readonly kind = 'local' as const;
  private readonly t0 = monotonicUs();
  private readonly fns = new Map<string, LocalFunction>();
  private readonly nodes: LocalNode[];
  private readonly periodUs: number;
  private readonly finished: RecordLog<RequestRecord>;
  private readonly inference: RecordLog<InferenceEntry>;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly children = new Set<ChildProcess>();
  private readonly groups = new Set<Cgroup>();
  private readonly parent: Cgroup;
  private readonly tmp: string;
  private readonly workerPath: string;
  private front: HttpFront | null = null;
  private client: HttpClient | null = null;
  private serial = 0;
  private nextRequest = 0;
  private closed = false;
  /** Busy-loop iterations per core-µs (calibrated or given). */
  itersPerUs = 0;
  /** Requests `send` could not deliver over HTTP (transport errors). */
  clientErrors = 0;

  /** Why LocalBackend cannot run here, or null when it can. */
  static probe(): string | null {
    const c = probeCgroups();
    return typeof c === 'string' ? c : null;
  }

  /** Start the backend: cgroups, calibration, HTTP front, initial replicas Ready. Cleans up on failure. */
  static async start(opts: LocalBackendOptions): Promise<LocalBackend> {
    const layout = probeCgroups();
    if (typeof layout === 'string') throw new BackendError(`LocalBackend: ${layout}`);
    removeStaleGroups(layout);
    const b = new LocalBackend(layout, opts);
    try {
      b.itersPerUs = opts.itersPerUs ?? (await b.calibrate());
      if (!(b.itersPerUs > 0)) throw new BackendError(`LocalBackend: itersPerUs: expected > 0, found ${b.itersPerUs}`);
      b.front = await HttpFront.listen((fn, input, reply) => b.invoke(fn, input, reply));
      b.client = new HttpClient(b.front.port);
      for (const f of b.fns.values()) f.ctl.reconcile();
      const timeout = opts.readyTimeoutMs ?? 20_000;
      const deadline = monotonicUs() + timeout * 1000;
      while ([...b.fns.values()].some((f) => f.ctl.readyCount < f.ctl.replicas)) {
        if (monotonicUs() > deadline) throw new BackendError(`LocalBackend: expected the initial replicas Ready within ${timeout} ms, found ${[...b.fns.values()].map((f) => `${f.spec.name} ${f.ctl.readyCount}/${f.ctl.replicas}`).join(', ')}`);
        await new Promise((r) => setTimeout(r, 5));
      }
      return b;
    } catch (e) {
      await b.close();
      throw e;
    }
  }

  private constructor(readonly layout: CgroupLayout, opts: LocalBackendOptions) {
    this.periodUs = opts.periodUs ?? DEFAULT_PERIOD_US;
    checkPeriod('LocalBackend: periodUs', this.periodUs);
    this.finished = new RecordLog(opts.retain ?? 1_000_000);
    this.inference = new RecordLog(opts.retain ?? 1_000_000);
    const machineCores = availableParallelism();
    const nodeSpecs = opts.nodes ?? [{ name: 'local' }];
    if (nodeSpecs.length === 0) throw new BackendError('LocalBackend: nodes: expected at least one node, found none');
    this.nodes = nodeSpecs.map((n, i) => {
      if (n.cpus !== undefined && (n.cpus.length === 0 || n.cpus.some((c) => !Number.isInteger(c) || c < 0 || c >= machineCores))) {
        throw new BackendError(`LocalBackend: nodes[${i}].cpus: expected CPU numbers in [0, ${machineCores - 1}], found ${JSON.stringify(n.cpus)}`);
      }
      return { spec: n, cores: n.cpus?.length ?? machineCores, retiredUsageUs: 0 };
    });
    const specs = resolveFunctionSpecs(opts.functions, this.nodes.map((n) => n.spec.name));
    this.tmp = mkdtempSync(join(tmpdir(), 'servesim-local-'));
    this.workerPath = join(this.tmp, 'worker.mjs');
    writeFileSync(this.workerPath, WORKER_SOURCE);
    this.parent = new Cgroup(layout, '', `${GROUP_PREFIX}${process.pid}-${groupSerial++}`, this.nodes.some((n) => n.spec.cpus !== undefined) ? `0-${machineCores - 1}` : undefined);
    this.parent.setCpu(-1, this.periodUs, MAX_SHARES);
    installExitCleanup(this);
    for (const spec of specs) {
      const f = { spec, all: new Set<LocalPod>(), arrived: 0, completed: 0, failed: 0, inFlight: 0 } as LocalFunction;
      f.router = new FunctionRouter<LocalPod, LocalRequest>(spec.containerConcurrency, spec.queueLimit, this.dispatch);
      f.ctl = new ReplicaController<LocalPod>(this.driverFor(f), spec.replicas, {
        node: spec.node, cpuLimitMilli: spec.cpuLimitMilli, cpuRequestMilli: spec.cpuRequestMilli, threads: spec.threads,
      });
      this.fns.set(spec.name, f);
    }
  }

  /** Port of the HTTP front on 127.0.0.1. */
  get port(): number {
    return this.front?.port ?? 0;
  }

  // ---- clock ----------------------------------------------------------------------------

  now(): Time {
    return monotonicUs() - this.t0;
  }

  every(interval: Time, fn: (now: Time) => void): () => void {
    if (!(interval > 0)) throw new BackendError(`every: interval: expected > 0 µs, found ${interval}`);
    const base = this.now();
    let k = 0;
    let timer: NodeJS.Timeout | null = null;
    let stopped = false;
    const arm = (): void => {
      const now = this.now();
      k = Math.max(k + 1, Math.floor((now - base) / interval) + 1);
      timer = setTimeout(tick, Math.max(0, (base + k * interval - now) / 1000));
      this.timers.add(timer);
    };
    const tick = (): void => {
      if (timer !== null) this.timers.delete(timer);
      if (stopped || this.closed) return;
      arm();
      fn(this.now());
    };
    arm();
    return () => {
      stopped = true;
      if (timer !== null) {
        clearTimeout(timer);
        this.timers.delete(timer);
      }
    };
  }

  after(delay: Time, fn: (now: Time) => void): () => void {
    if (!(delay >= 0)) throw new BackendError(`after: delay: expected ≥ 0 µs, found ${delay}`);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.closed) fn(this.now());
    }, delay / 1000);
    this.timers.add(timer);
    return () => {
      clearTimeout(timer);
      this.timers.delete(timer);
    };
  }

  runFor(duration: Time): Promise<void> {
    if (!(duration >= 0)) throw new BackendError(`runFor: expected a duration ≥ 0 µs, found ${duration}`);
    return new Promise((resolve) => setTimeout(resolve, duration / 1000));
  }

  // ---- traffic --------------------------------------------------------------------------

  /** Post one request to the HTTP front (asynchronously; the router records it). */
  send(fn: string, input: RequestInput): void {
    this.fn(fn, 'send');
    if (this.client === null) throw new BackendError('send: the backend is not started or already closed');
    this.client.invoke(fn, input).catch(() => {
      this.clientErrors++;
    });
  }

  private invoke(fn: string, input: RequestInput, reply: (status: number, body: object) => void): void {
    const f = this.fns.get(fn);
    if (f === undefined) return reply(404, { error: `expected one of the functions ${[...this.fns.keys()].join(', ')}, found "${fn}"` });
    if (this.closed) return reply(503, { error: 'backend closing' });
    f.arrived++;
    const r: LocalRequest = { id: this.nextRequest++, fn: f, arrival: this.now(), start: -1, pod: null, input, reply };
    if (!f.router.admit(r)) this.finish(r, false, 'queue full');
  }

  private readonly dispatch = (p: LocalPod, r: LocalRequest): void => {
    r.pod = p;
    r.start = this.now();
    r.fn.inFlight++;
    p.pending.set(r.id, r);
    p.child?.send({ t: 'run', id: r.id, work: r.input.workCoreUs, threads: p.threads });
  };

  private onWorkerDone(p: LocalPod, id: number): void {
    const r = p.pending.get(id);
    if (r === undefined) return;
    p.pending.delete(id);
    p.inFlight--;
    p.served++;
    this.finish(r, true, '');
    if (p.phase === 'Terminating' && p.pending.size === 0) this.stopPod(p);
    else r.fn.router.drain();
  }

  private finish(r: LocalRequest, ok: boolean, error: string): void {
    const f = r.fn;
    if (r.pod !== null) f.inFlight--;
    if (ok) f.completed++;
    else f.failed++;
    const end = this.now();
    this.finished.push({ seq: this.finished.nextSeq, function: f.spec.name, arrival: r.arrival, start: r.start, end, pod: r.pod?.name ?? '', workCoreUs: r.input.workCoreUs, ok, error });
    if (ok && r.input.features !== undefined) {
      this.inference.push({ record: { eventTime: r.arrival, features: r.input.features, prediction: r.input.prediction, revision: `${f.spec.name}-r${(r.pod as LocalPod).revision}` }, arrivalTime: end });
    }
    if (ok) r.reply(200, { pod: r.pod?.name, arrivalUs: r.arrival, startUs: r.start, endUs: end });
    else r.reply(503, { error });
  }

  // ---- observe --------------------------------------------------------------------------

  observe(): ClusterObservation {
    const usage = new Map<LocalNode, number>();
    const pods: PodState[] = [];
    const functions: FunctionState[] = [];
    for (const f of this.fns.values()) {
      for (const p of f.all) {
        if (p.child !== null) p.lastStat = p.cg.stat();
        usage.set(p.node, (usage.get(p.node) ?? 0) + p.lastStat.usageUs);
        pods.push({
          name: p.name, function: f.spec.name, node: p.node.spec.name, phase: p.phase, cpuLimitMilli: p.limitMilli, cpuRequestMilli: p.requestMilli,
          threads: p.threads, inFlight: p.inFlight, served: p.served, cpu: p.lastStat, createdAt: p.createdAt, readyAt: p.readyAt,
        });
      }
      const s = f.ctl.currentSpec;
      functions.push({
        name: f.spec.name, replicas: f.ctl.replicas, readyReplicas: f.ctl.readyCount, node: s.node, cpuLimitMilli: s.cpuLimitMilli,
        cpuRequestMilli: s.cpuRequestMilli, containerConcurrency: f.router.containerConcurrency,
        arrived: f.arrived, completed: f.completed, failed: f.failed, queued: f.router.queued, inFlight: f.inFlight,
      });
    }
    const nodes: NodeState[] = this.nodes.map((n) => {
      let requested = 0;
      for (const f of this.fns.values()) for (const p of f.all) if (p.node === n && p.phase !== 'Terminated' && p.phase !== 'Failed') requested += p.requestMilli ?? p.limitMilli ?? 0;
      return {
        name: n.spec.name, cores: n.cores, allocatableMilliCpu: n.cores * 1000, requestedMilliCpu: requested,
        cpuUsageUs: n.retiredUsageUs + (usage.get(n) ?? 0), labels: { 'kubernetes.io/hostname': n.spec.name },
      };
    });
    return { time: this.now(), nodes, pods, functions };
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
    if (node !== null) checkNode(`place "${fn}": node`, node, this.nodes.map((n) => n.spec.name));
    f.ctl.place(node);
  }

  setCpuLimit(fn: string, limitMilli: number | null, requestMilli?: number | null): void {
    const f = this.fn(fn, 'setCpuLimit');
    const limit = checkMilli(`setCpuLimit "${fn}": limitMilli`, limitMilli);
    const request = requestMilli === undefined ? f.ctl.currentSpec.cpuRequestMilli : checkMilli(`setCpuLimit "${fn}": requestMilli`, requestMilli);
    if (limit !== null && request !== null && request > limit) throw new BackendError(`setCpuLimit "${fn}": requestMilli: expected ≤ limitMilli (${limit}), found ${request}`);
    f.ctl.setLimits(limit, request);
  }

  // ---- pods -----------------------------------------------------------------------------

  private fn(name: string, what: string): LocalFunction {
    const f = this.fns.get(name);
    if (f === undefined) throw new BackendError(`${what}: expected one of the functions ${[...this.fns.keys()].map((n) => `"${n}"`).join(', ')}, found "${name}"`);
    return f;
  }

  /** LeastAllocated-like spread: the node with the smallest requested fraction (ties: first). */
  private pickNode(): LocalNode {
    const obs = this.observe().nodes;
    let best = 0;
    for (let i = 1; i < obs.length; i++) if (obs[i].requestedMilliCpu / obs[i].allocatableMilliCpu < obs[best].requestedMilliCpu / obs[best].allocatableMilliCpu) best = i;
    return this.nodes[best];
  }

  private writeLimits(cg: Cgroup, limit: number | null, request: number | null): void {
    const s = cgroupCpuSettings(request ?? undefined, limit ?? undefined, { periodUs: this.periodUs });
    cg.setCpu(s.quotaUs, s.periodUs, s.shares);
  }

  private driverFor(f: LocalFunction): PodDriver<LocalPod> {
    return {
      create: (launch: PodLaunch) => {
        if (this.closed) throw new BackendError('LocalBackend is closed');
        const node = launch.node === null ? this.pickNode() : (this.nodes.find((n) => n.spec.name === launch.node) as LocalNode);
        const serial = this.serial++;
        const name = `${f.spec.name}-r${launch.revision}-${serial}`;
        const cg = new Cgroup(this.layout, this.parent.cpuDir.slice(this.layout.cpu.length + 1), name, node.spec.cpus?.join(','));
        this.groups.add(cg);
        const p = new LocalPod(name, f, node, cg, launch.revision, serial, this.now(), launch.cpuLimitMilli, launch.cpuRequestMilli, launch.threads);
        f.all.add(p);
        try {
          this.writeLimits(cg, p.limitMilli, p.requestMilli);
          const child = fork(this.workerPath, [String(this.itersPerUs), String(p.threads)], { execArgv: ['--single-threaded'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
          p.child = child;
          this.children.add(child);
          child.on('message', (m: { t: string; id?: number }) => this.onWorkerMessage(p, m));
          child.once('exit', (code, signal) => this.onWorkerExit(p, code, signal));
          child.on('error', () => { /* reported through 'exit' */ });
          cg.addProcess(child.pid as number);
        } catch (e) {
          p.child?.kill('SIGKILL');
          throw new BackendError(`LocalBackend: starting pod ${name}: ${(e as Error).message}`);
        }
        return p;
      },
      remove: (p) => {
        if (p.phase !== 'Starting' && p.phase !== 'Ready') return;
        const wasReady = p.phase === 'Ready';
        p.phase = 'Terminating';
        f.router.removeEndpoint(p);
        if (!wasReady || p.pending.size === 0) this.stopPod(p);
      },
      resize: (p, limit, request) => {
        p.limitMilli = limit;
        p.requestMilli = request;
        if (p.child !== null) this.writeLimits(p.cg, limit, request);
      },
    };
  }

  private onWorkerMessage(p: LocalPod, m: { t: string; id?: number }): void {
    if (m.t === 'done') this.onWorkerDone(p, m.id as number);
    else if (m.t === 'ready' && p.phase === 'Starting') {
      p.phase = 'Ready';
      p.readyAt = this.now();
      p.fn.router.addEndpoint(p);
      p.fn.ctl.reconcile();
    }
  }

  /** Close the worker's channel (it exits); SIGKILL if it has not gone within 2 s. */
  private stopPod(p: LocalPod): void {
    const c = p.child;
    if (c === null || p.killTimer !== null) return;
    if (c.connected) c.disconnect();
    p.killTimer = setTimeout(() => c.kill('SIGKILL'), 2000);
  }

  private onWorkerExit(p: LocalPod, code: number | null, signal: NodeJS.Signals | null): void {
    if (p.killTimer !== null) clearTimeout(p.killTimer);
    const f = p.fn;
    p.lastStat = p.cg.stat();
    p.node.retiredUsageUs += p.lastStat.usageUs;
    const expected = p.phase === 'Terminating';
    p.phase = expected ? 'Terminated' : 'Failed';
    if (p.child !== null) this.children.delete(p.child);
    p.child = null;
    f.router.removeEndpoint(p);
    f.all.delete(p);
    for (const r of p.pending.values()) {
      p.inFlight--;
      this.finish(r, false, `pod ${p.name} exited (${signal ?? code})`);
    }
    p.pending.clear();
    this.removeGroupSoon(p.cg, 0);
    if (!this.closed) {
      f.ctl.podGone(p);
      f.router.drain();
    }
  }

  /** rmdir a pod group; retry while the exiting process is still leaving it (≤ 1 s). */
  private removeGroupSoon(cg: Cgroup, tries: number): void {
    if (cg.remove()) {
      this.groups.delete(cg);
      return;
    }
    if (tries < 50) setTimeout(() => this.removeGroupSoon(cg, tries + 1), 20);
  }

  // ---- calibration and cleanup ----------------------------------------------------------

  /**
   * Busy-loop iterations per core-µs: a worker in the backend's group (no quota, largest weight)
   * times ~50 ms single-thread runs; the fastest of 5 is taken (the others lost CPU to other
   * processes on the machine).
   */
  private async calibrate(): Promise<number> {
    const cg = new Cgroup(this.layout, this.parent.cpuDir.slice(this.layout.cpu.length + 1), 'calibrate');
    this.groups.add(cg);
    cg.setCpu(-1, this.periodUs, MAX_SHARES);
    const child = fork(this.workerPath, ['1', '1'], { execArgv: ['--single-threaded'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    this.children.add(child);
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    try {
      cg.addProcess(child.pid as number);
      const ask = (type: string): Promise<Record<string, number>> =>
        new Promise((resolve, reject) => {
          const timer = setTimeout(() => reject(new BackendError(`LocalBackend calibration: no "${type}" from the worker within 10 s`)), 10_000);
          const on = (msg: Record<string, number> & { t: string }): void => {
            if (msg.t !== type) return;
            clearTimeout(timer);
            child.off('message', on);
            resolve(msg);
          };
          child.on('message', on);
        });
      await ask('ready');
      const rough = await (child.send({ t: 'calibrate', id: 0, iters: 5_000_000 }), ask('calibrated'));
      const iters = Math.max(1_000_000, Math.round((50_000 / Math.max(1, rough.us)) * 5_000_000));
      let best = Infinity;
      for (let i = 0; i < 5; i++) {
        child.send({ t: 'calibrate', id: i + 1, iters });
        best = Math.min(best, (await ask('calibrated')).us);
      }
      return iters / best;
    } finally {
      if (child.connected) child.disconnect();
      const t = setTimeout(() => child.kill('SIGKILL'), 2000);
      await exited;
      clearTimeout(t);
      this.children.delete(child);
      for (let i = 0; i < 50 && !cg.remove(); i++) await new Promise((r) => setTimeout(r, 20));
      this.groups.delete(cg);
    }
  }

  /** Stop timers, fail what is queued, kill the workers, remove the cgroups and the HTTP front. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const f of this.fns.values()) for (const r of f.router.takeAll()) this.finish(r, false, 'backend closing');
    const exits: Promise<void>[] = [];
    for (const c of this.children) {
      if (c.exitCode === null && c.signalCode === null) {
        exits.push(new Promise<void>((r) => c.once('exit', () => r())));
        c.kill('SIGKILL');
      }
    }
    await Promise.race([Promise.all(exits), new Promise((r) => setTimeout(r, 3000))]);
    for (let i = 0; i < 50; i++) {
      for (const g of [...this.groups]) if (g.remove()) this.groups.delete(g);
      if (this.groups.size === 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    for (let i = 0; i < 50 && !this.parent.remove(); i++) await new Promise((r) => setTimeout(r, 20));
    this.client?.close();
    await this.front?.close();
    rmSync(this.tmp, { recursive: true, force: true });
    uninstallExitCleanup(this);
  }

  /** Synchronous last-resort cleanup (process exit or a fatal signal). */
  cleanupSync(): void {
    for (const c of this.children) {
      try {
        c.kill('SIGKILL');
      } catch { /* gone */ }
    }
    const until = monotonicUs() + 1_000_000;
    const dirs = [...this.groups].flatMap((g) => g.dirs.slice().reverse()).concat(this.parent.dirs.slice().reverse());
    for (const d of dirs) {
      while (!removeDir(d) && monotonicUs() < until) { /* the killed workers leave their groups within ms */ }
    }
    rmSync(this.tmp, { recursive: true, force: true });
  }
}

// ---- process-wide cleanup of live backends ------------------------------------------------

const live = new Set<LocalBackend>();
const onExit = (): void => {
  for (const b of live) b.cleanupSync();
};
const onSignal = (sig: NodeJS.Signals): void => {
  onExit();
  live.clear();
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  process.kill(process.pid, sig);
};

function installExitCleanup(b: LocalBackend): void {
  if (live.size === 0) {
    process.on('exit', onExit);
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  live.add(b);
}

function uninstallExitCleanup(b: LocalBackend): void {
  live.delete(b);
  if (live.size === 0) {
    process.off('exit', onExit);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
