/**
 * The fluid CPU model of one node (DESIGN.md rule 4; platform-semantics.md §d.3).
 *
 * A node has `cores` and a `speed` factor. Containers are cgroups (`CpuGroup`) with a weight,
 * an optional CFS quota/period and burst cap. A group runs jobs: CPU work in core-µs at speed 1
 * spread over a number of threads. Whenever the runnable set changes, rates are recomputed by
 * weighted water-filling across the groups that are runnable and not throttled (each capped by
 * its runnable threads, its cpuset and the node's cores); threads of a group share its rate
 * equally. The next job completion, quota exhaustion or (for a throttled group) period boundary
 * is computed analytically and one timer event is scheduled for the earliest of them. A group
 * that is never throttled costs no period events; an idle node costs no events at all.
 *
 * Exact period arithmetic: a group that uses up `quota + bucket` within a period is throttled
 * until the next boundary (`origin + k·period`). Per group, `cpu.stat`-style counters are kept:
 * nr_periods (ended periods in which the group was runnable or throttled), nr_throttled (periods
 * that ended throttled), throttled time (wall µs spent throttled) and usage (CPU-µs).
 */
import type { Simulation } from '../../core/simulation.js';
import type { EventId } from '../../core/event-queue.js';
import { DEFAULT_PERIOD_US, DEFAULT_WEIGHT, MIN_QUOTA_US, checkPeriod } from '../k8s-resources.js';
import { bucketAfterFullPeriods, bucketAfterPeriod, periodIndex, quotaExhaustionDelay } from './cfs-period.js';
import { waterFill } from './water-fill.js';

export interface NodeCpuOptions {
  /** Cores of the node (> 0). */
  cores: number;
  /** Relative per-core speed: work (core-µs at speed 1) done per CPU-µs. Default 1. */
  speed?: number;
  /** Name used in error messages. */
  name?: string;
}

export interface CpuGroupOptions {
  name: string;
  /** Relative CFS weight (> 0), e.g. cgroup v2 `cpu.weight` or v1 shares. Default 100 (§d.2). */
  weight?: number;
  /** CFS quota in CPU-µs per period; undefined or −1 = no limit. Min 1000 µs (§d.1). */
  quotaUs?: number;
  /** CFS period in µs, default 100 000 (§d.1). */
  periodUs?: number;
  /** CFS burst cap in CPU-µs (`cpu.cfs_burst_us`), default 0 (§d.1). */
  burstUs?: number;
  /** Period boundaries lie at `phaseUs + k·periodUs`; default: the time the group is added. */
  phaseUs?: number;
  /** Cores the group may run on at once (cpuset size); default all the node's cores. */
  cpusetCores?: number;
  /** Threads a job gets when `submit` is not told; default the node's cores (containers see every core). */
  threads?: number;
}

export interface SubmitOptions<T> {
  /** Threads (> 0; fractional = a fluid demand in cores). Default: the group's `threads`. */
  threads?: number;
  /** Called once when the job's work is done (after the model's state is consistent). */
  onDone?: (arg: T) => void;
  arg?: T;
}

/** `cpu.stat`-style counters of one group. */
export interface CpuStat {
  /** Ended periods in which the group was runnable or throttled (quota groups only). */
  nrPeriods: number;
  /** Periods that ended with the group throttled. */
  nrThrottled: number;
  /** Wall µs spent throttled (the kernel's v1 `throttled_time` sums this over CPUs). */
  throttledTimeUs: number;
  /** CPU-µs consumed. */
  usageUs: number;
}

/** A unit of CPU work in a group. */
export class CpuJob<T = unknown> {
  /** Remaining work, core-µs at speed 1 (as of the group's last update). */
  remaining: number;
  /** Index in the group's job list; −1 once finished or cancelled. */
  slot = -1;
  constructor(
    readonly group: CpuGroup,
    readonly work: number,
    readonly threads: number,
    readonly onDone: ((arg: T) => void) | undefined,
    readonly arg: T | undefined,
  ) {
    this.remaining = work;
  }
  get active(): boolean {
    return this.slot >= 0;
  }
}

const EPS_US = 1e-3; // events closer than 1 ns of CPU at the current rate count as reached

/** One cgroup on a node. Create with `NodeCpu.addGroup`. */
export class CpuGroup {
  weight: number;
  quota: number; // Infinity = none
  period: number;
  burst: number;
  origin: number;
  readonly cpusetCores: number;
  defaultThreads: number;
  /** Extra speed multiplier of this group's work (e.g. an interference slowdown < 1). */
  speedFactor = 1;

  // runtime state (owned by NodeCpu)
  jobs: CpuJob<never>[] = [];
  threadSum = 0;
  rate = 0; // cores
  last: number; // time of last advance
  k = 0; // period index of `used`
  used = 0;
  bucket = 0;
  throttled = false;
  throttledSince = 0;
  // counters
  usage = 0;
  activeCount = 0;
  activeK = -1;
  nrThrottled = 0;
  throttledTime = 0;
  index = -1; // position in NodeCpu.groups; −1 once removed
  /** In NodeCpu's active list (has jobs or is throttled). */
  listed = false;

  constructor(readonly node: NodeCpu, readonly name: string, opts: CpuGroupOptions, now: number) {
    const where = `NodeCpu ${node.name}: group "${name}"`;
    this.weight = checkWeight(where, opts.weight ?? DEFAULT_WEIGHT);
    this.period = opts.periodUs ?? DEFAULT_PERIOD_US;
    checkPeriod(`${where}: periodUs`, this.period);
    this.quota = checkQuota(where, opts.quotaUs);
    this.burst = opts.burstUs ?? 0;
    if (!(this.burst >= 0) || !Number.isFinite(this.burst)) {
      throw new RangeError(`${where}: burstUs: expected a non-negative number of CPU-µs, found ${opts.burstUs}`);
    }
    this.origin = opts.phaseUs ?? now;
    if (!Number.isInteger(this.origin)) throw new RangeError(`${where}: phaseUs: expected integer µs, found ${opts.phaseUs}`);
    this.cpusetCores = opts.cpusetCores ?? node.cores;
    if (!(this.cpusetCores > 0)) throw new RangeError(`${where}: cpusetCores: expected > 0, found ${opts.cpusetCores}`);
    this.defaultThreads = opts.threads ?? node.cores;
    checkThreads(where, this.defaultThreads);
    this.last = now;
    this.k = periodIndex(now, this.origin, this.period);
  }

  /** Submit `workCoreUs` of CPU work (core-µs at speed 1); returns the job handle. */
  submit<T>(workCoreUs: number, opts: SubmitOptions<T> = {}): CpuJob<T> {
    return this.node.submitJob(this, workCoreUs, opts.threads ?? this.defaultThreads, opts.onDone, opts.arg);
  }

  /** `submit` with positional arguments, for hot paths (no options object per job). */
  submitJob<T>(workCoreUs: number, threads: number, onDone?: (arg: T) => void, arg?: T): CpuJob<T> {
    return this.node.submitJob(this, workCoreUs, threads, onDone, arg);
  }

  /** Cancel a job of this group without calling its onDone; false if it was not active. */
  cancel(job: CpuJob<unknown>): boolean {
    return this.node.cancelJob(this, job);
  }

  /** Number of active jobs. */
  get jobCount(): number {
    return this.jobs.length;
  }

  /** Current CPU rate, cores. */
  get currentRate(): number {
    return this.rate;
  }

  /** Quota in cores (quota/period), Infinity without a limit. */
  get limitCores(): number {
    return this.quota / this.period;
  }

  get isThrottled(): boolean {
    return this.throttled;
  }

  /** cpu.stat-style counters as of now (reading does not change the model's state). */
  stats(): CpuStat {
    return this.node.statsOf(this);
  }

  /** Change the CFS quota/period (µs; undefined/−1 = no limit); resets the current period's runtime. */
  setQuota(quotaUs: number | undefined, periodUs: number = this.period): void {
    this.node.setQuota(this, quotaUs, periodUs);
  }

  /** Change the weight. */
  setWeight(weight: number): void {
    this.node.setWeight(this, weight);
  }

  /** Change the group's speed multiplier (work per CPU-µs relative to the node's speed). */
  setSpeedFactor(f: number): void {
    this.node.setSpeedFactor(this, f);
  }
}

function checkWeight(where: string, w: number): number {
  if (!(w > 0) || !Number.isFinite(w)) throw new RangeError(`${where}: weight: expected a positive number, found ${w}`);
  return w;
}

function checkQuota(where: string, q: number | undefined): number {
  if (q === undefined || q === -1) return Infinity;
  if (!Number.isFinite(q) || q < MIN_QUOTA_US) {
    throw new RangeError(`${where}: quotaUs: expected −1 (no limit) or ≥ ${MIN_QUOTA_US} CPU-µs per period, found ${q}`);
  }
  return q;
}

function checkThreads(where: string, n: number): void {
  if (!(n > 0) || !Number.isFinite(n)) throw new RangeError(`${where}: threads: expected a positive number, found ${n}`);
}

function fireNode(node: NodeCpu): void {
  node.onTimer();
}

/** The CPU of one node. */
export class NodeCpu {
  readonly cores: number;
  readonly speed: number;
  readonly name: string;
  readonly groups: CpuGroup[] = [];
  /** Timer events this node has executed (for benchmarks). */
  events = 0;
  /** Rate recomputations so far. */
  recomputes = 0;

  /**
   * Groups that have jobs or are throttled, in ascending `index` order (the order of `groups`,
   * so that rates, completions and callbacks come out exactly as a scan of all groups would
   * give them). Idle groups are not touched by advance/recompute: an idle group's advance is a
   * no-op, and its rate is 0.
   */
  private readonly active: CpuGroup[] = [];
  /** Length of the active list (the array is never shrunk: length writes trim and regrow it). */
  private activeN = 0;
  private timer: EventId = -1;
  private timerAt = Infinity;
  // scratch for water-filling
  private demand = new Float64Array(16);
  private weights = new Float64Array(16);
  private rates = new Float64Array(16);
  private order = new Int32Array(16);
  private elig: CpuGroup[] = [];
  private done: (CpuJob<never> | null)[] = [];
  private doneSpare: (CpuJob<never> | null)[] = [];

  constructor(readonly sim: Simulation, opts: NodeCpuOptions) {
    this.name = opts.name ?? 'node';
    if (!(opts.cores > 0) || !Number.isFinite(opts.cores)) {
      throw new RangeError(`NodeCpu ${this.name}: cores: expected a positive number, found ${opts.cores}`);
    }
    this.cores = opts.cores;
    this.speed = opts.speed ?? 1;
    if (!(this.speed > 0) || !Number.isFinite(this.speed)) {
      throw new RangeError(`NodeCpu ${this.name}: speed: expected a positive number, found ${opts.speed}`);
    }
  }

  /** Add a cgroup. */
  addGroup(opts: CpuGroupOptions): CpuGroup {
    const g = new CpuGroup(this, opts.name, opts, this.sim.now);
    g.index = this.groups.length;
    this.groups.push(g);
    if (this.groups.length > this.demand.length) this.grow();
    return g;
  }

  /** Remove a group; its active jobs are dropped without callbacks. Returns how many were dropped. */
  removeGroup(g: CpuGroup): number {
    this.own(g, 'removeGroup');
    this.advanceAll();
    const dropped = g.jobs.length;
    for (const j of g.jobs) j.slot = -1;
    g.jobs.length = 0;
    g.threadSum = 0;
    g.rate = 0;
    const last = this.groups.pop() as CpuGroup;
    if (last !== g) {
      this.groups[g.index] = last;
      last.index = g.index;
    }
    g.index = -1;
    g.listed = false;
    // indices changed: rebuild the active list in index order
    const act = this.active;
    act.length = 0;
    for (const h of this.groups) if (h.listed) act.push(h);
    this.activeN = act.length;
    this.reschedule();
    return dropped;
  }

  /** Sum of the groups' current rates, cores. */
  busyCores(): number {
    let s = 0;
    for (const g of this.groups) s += g.rate;
    return s;
  }

  /** Cumulative CPU-µs used by `g` up to now (for samplers; does not change state). */
  usageOf(g: CpuGroup): number {
    return g.usage + g.rate * (this.sim.now - g.last);
  }

  submit<T>(g: CpuGroup, work: number, opts: SubmitOptions<T>): CpuJob<T> {
    return this.submitJob(g, work, opts.threads ?? g.defaultThreads, opts.onDone, opts.arg);
  }

  /**
   * `submit` with positional arguments (no options object to allocate per job): `work` core-µs
   * at speed 1 on `threads` threads (> 0), `onDone(arg)` when done.
   */
  submitJob<T>(g: CpuGroup, work: number, threads: number, onDone: ((arg: T) => void) | undefined, arg: T | undefined): CpuJob<T> {
    if (g.node !== this || g.index < 0) this.own(g, 'submit');
    if (!(work >= 0)) throw new RangeError(`NodeCpu ${this.name}: group "${g.name}": submit: expected work ≥ 0 core-µs, found ${work}`);
    if (!(threads > 0) || !Number.isFinite(threads)) checkThreads(`NodeCpu ${this.name}: group "${g.name}": submit`, threads);
    this.advanceAll();
    const now = this.sim.now;
    const job = new CpuJob<T>(g, work, threads, onDone, arg);
    if (!g.listed) this.enlist(g);
    const jobs = g.jobs;
    if (jobs.length === 0 && g.quota !== Infinity) this.rollIdle(g, now);
    job.slot = jobs.length;
    jobs.push(job as unknown as CpuJob<never>);
    g.threadSum += threads;
    if (g.quota !== Infinity) { const k = periodOf(g, now); addActive(g, k, k); }
    this.reschedule();
    return job;
  }

  cancelJob(g: CpuGroup, job: CpuJob<unknown>): boolean {
    if (job.group !== g || job.slot < 0) return false;
    this.advanceAll();
    this.detach(g, job as unknown as CpuJob<never>);
    this.reschedule();
    return true;
  }

  setQuota(g: CpuGroup, quotaUs: number | undefined, periodUs: number): void {
    this.own(g, 'setQuota');
    const where = `NodeCpu ${this.name}: group "${g.name}": setQuota`;
    checkPeriod(`${where}: periodUs`, periodUs);
    const q = checkQuota(where, quotaUs);
    this.advanceAll();
    const now = this.sim.now;
    if (g.throttled) {
      g.throttled = false;
      g.throttledTime += now - g.throttledSince;
    }
    g.quota = q;
    g.period = periodUs;
    g.k = periodIndex(now, g.origin, g.period);
    g.used = 0;
    g.bucket = 0;
    this.reschedule();
  }

  setWeight(g: CpuGroup, w: number): void {
    this.own(g, 'setWeight');
    if (!(w > 0) || !Number.isFinite(w)) checkWeight(`NodeCpu ${this.name}: group "${g.name}": setWeight`, w);
    this.advanceAll();
    g.weight = w;
    this.reschedule();
  }

  setSpeedFactor(g: CpuGroup, f: number): void {
    this.own(g, 'setSpeedFactor');
    if (!(f > 0) || !Number.isFinite(f)) throw new RangeError(`NodeCpu ${this.name}: group "${g.name}": speed factor: expected > 0, found ${f}`);
    this.advanceAll();
    g.speedFactor = f;
    this.reschedule();
  }

  statsOf(g: CpuGroup): CpuStat {
    const now = this.sim.now;
    let nrThrottled = g.nrThrottled;
    let throttledTime = g.throttledTime;
    let activeCount = g.activeCount;
    let activeK = g.activeK;
    if (g.quota !== Infinity) {
      const kNow = periodIndex(now, g.origin, g.period);
      if (g.throttled) {
        const end = g.origin + (g.k + 1) * g.period;
        if (now >= end) {
          nrThrottled++;
          throttledTime += end - g.throttledSince;
        } else throttledTime += now - g.throttledSince;
      }
      if ((g.jobs.length > 0 || g.throttled) && now > g.last) {
        const ka = periodIndex(g.last, g.origin, g.period);
        const kb = periodIndex(now - 1, g.origin, g.period);
        activeCount += activeK < ka ? kb - ka + 1 : kb - activeK;
        activeK = kb;
      }
      if (activeK === kNow) activeCount--;
    }
    return { nrPeriods: activeCount, nrThrottled, throttledTimeUs: throttledTime, usageUs: this.usageOf(g) };
  }

  /** Timer callback: advance, retire finished jobs, throttle/unthrottle, recompute, call back. */
  onTimer(): void {
    this.timer = -1;
    this.timerAt = Infinity;
    this.events++;
    const now = this.sim.now;
    this.advanceAll();
    const done = this.done;
    let nDone = 0;
    const act = this.active;
    const nAct = this.activeN;
    for (let a = 0; a < nAct; a++) {
      const g = act[a];
      if (g.rate > 0) {
        const perThread = (g.rate * this.speed * g.speedFactor) / g.threadSum;
        for (let i = g.jobs.length - 1; i >= 0; i--) {
          const j = g.jobs[i];
          if (j.remaining <= perThread * j.threads * EPS_US) {
            j.remaining = 0;
            this.detach(g, j);
            done[nDone++] = j;
          }
        }
        if (g.quota !== Infinity) {
          const room = g.quota + g.bucket - g.used;
          if (room <= g.rate * EPS_US) {
            g.used = g.quota + g.bucket;
            g.throttled = true;
            g.throttledSince = now;
          }
        }
      }
    }
    this.reschedule();
    if (nDone > 0) {
      // swap buffers so that a callback that re-enters the node cannot disturb this loop
      this.done = this.doneSpare;
      this.doneSpare = done;
      for (let i = 0; i < nDone; i++) {
        const j = done[i] as CpuJob<never>;
        done[i] = null; // do not keep finished jobs (and their args) alive
        if (j.onDone) (j.onDone as (a: unknown) => void)(j.arg);
      }
    }
  }

  // ---- internals ----

  private own(g: CpuGroup, what: string): void {
    if (g.node !== this || g.index < 0) {
      throw new Error(`NodeCpu ${this.name}: ${what}: group "${g.name}" does not belong to this node (or was removed)`);
    }
  }

  private grow(): void {
    const n = this.demand.length * 2;
    this.demand = new Float64Array(n);
    this.weights = new Float64Array(n);
    this.rates = new Float64Array(n);
    this.order = new Int32Array(n);
  }

  private detach(g: CpuGroup, j: CpuJob<never>): void {
    const last = g.jobs.pop() as CpuJob<never>;
    if (last !== j) {
      g.jobs[j.slot] = last;
      last.slot = j.slot;
    }
    j.slot = -1;
    g.threadSum -= j.threads;
    if (g.jobs.length === 0) g.threadSum = 0;
  }

  /** Bring every active group's state to now at its current rate (idle groups need nothing). */
  private advanceAll(): void {
    const now = this.sim.now;
    const act = this.active;
    const nAct = this.activeN;
    for (let a = 0; a < nAct; a++) {
      const g = act[a];
      if (g.last < now) this.advance(g, now);
    }
  }

  /** An idle group becomes active: catch its clock up (an idle advance is a no-op) and list it in index order. */
  private enlist(g: CpuGroup): void {
    g.last = this.sim.now;
    g.listed = true;
    const act = this.active;
    let i = this.activeN++;
    if (i === act.length) act.push(g);
    while (i > 0 && act[i - 1].index > g.index) {
      act[i] = act[i - 1];
      i--;
    }
    act[i] = g;
  }

  /** Idle group about to become runnable: close the periods that passed since its last update. */
  private rollIdle(g: CpuGroup, now: number): void {
    const k = periodIndex(now, g.origin, g.period);
    if (k > g.k) {
      g.bucket = bucketAfterPeriod(g.bucket, g.used, g.quota, g.burst);
      g.bucket = bucketAfterFullPeriods(g.bucket, k - g.k - 1, 0, g.quota, g.burst);
      g.used = 0;
      g.k = k;
    }
  }

  private advance(g: CpuGroup, now: number): void {
    const t0 = g.last;
    g.last = now;
    if (g.quota === Infinity) {
      if (g.rate > 0) this.progress(g, g.rate * (now - t0));
      return;
    }
    const active = g.jobs.length > 0 || g.throttled;
    if (active) addActive(g, periodOf(g, t0), periodOf(g, now - 1));
    if (g.throttled) {
      const end = g.origin + (g.k + 1) * g.period;
      if (now < end) return;
      // unthrottled at the boundary
      g.throttled = false;
      g.nrThrottled++;
      g.throttledTime += end - g.throttledSince;
      this.rollIdle(g, now);
      return;
    }
    if (g.rate <= 0) return; // idle: periods are closed lazily by rollIdle
    const R = g.rate;
    const end0 = g.origin + (g.k + 1) * g.period;
    if (now < end0) {
      let use = R * (now - t0);
      const room = g.quota + g.bucket - g.used;
      if (use > room) use = room > 0 ? room : 0;
      g.used += use;
      this.progress(g, use);
      return;
    }
    let useEnd = g.used + R * (end0 - t0);
    if (useEnd > g.quota + g.bucket) useEnd = g.quota + g.bucket;
    g.bucket = bucketAfterPeriod(g.bucket, useEnd, g.quota, g.burst);
    const k1 = periodIndex(now, g.origin, g.period);
    const full = R * g.period;
    g.bucket = bucketAfterFullPeriods(g.bucket, k1 - g.k - 1, full, g.quota, g.burst);
    let used = R * (now - (g.origin + k1 * g.period));
    if (used > g.quota + g.bucket) used = g.quota + g.bucket;
    const total = useEnd - g.used + (k1 - g.k - 1) * full + used;
    g.used = used;
    g.k = k1;
    this.progress(g, total);
  }

  /** Account `cpu` CPU-µs to g and its jobs (shared equally per thread). */
  private progress(g: CpuGroup, cpu: number): void {
    g.usage += cpu;
    const perThread = (cpu * this.speed * g.speedFactor) / g.threadSum;
    const jobs = g.jobs;
    for (let i = 0; i < jobs.length; i++) jobs[i].remaining -= perThread * jobs[i].threads;
  }

  /**
   * Recompute the rates of the active groups and schedule the node's next event.
   * Rates: when the runnable groups' demands fit in the node's cores every group gets its demand
   * (what water-filling returns then, without sorting); otherwise weighted water-filling.
   * Next event: the earliest job completion or quota exhaustion of a running group, or the
   * period boundary of a throttled group with jobs. The timer is left alone when that instant
   * did not change (no cancel + push).
   */
  private reschedule(): void {
    this.recomputes++;
    const now = this.sim.now;
    const cores = this.cores;
    const elig = this.elig;
    const demand = this.demand;
    const weights = this.weights;
    const act = this.active;
    const nAct = this.activeN;
    let n = 0;
    let keep = 0;
    let total = 0;
    let next = Infinity;
    for (let a = 0; a < nAct; a++) {
      const g = act[a];
      if (g.jobs.length > 0) {
        if (g.throttled) {
          g.rate = 0;
          const end = g.origin + (g.k + 1) * g.period;
          if (end < next) next = end;
        } else {
          let d = g.threadSum;
          if (d > g.cpusetCores) d = g.cpusetCores;
          if (d > cores) d = cores;
          elig[n] = g;
          demand[n] = d;
          weights[n] = g.weight;
          total += d;
          n++;
        }
        act[keep++] = g;
      } else {
        g.rate = 0;
        if (g.throttled) act[keep++] = g;
        else g.listed = false;
      }
    }
    this.activeN = keep;
    const rates = this.rates;
    if (n > 0) {
      if (total <= cores) for (let i = 0; i < n; i++) rates[i] = demand[i];
      else waterFill(cores, n, demand, weights, rates, this.order);
    }
    for (let i = 0; i < n; i++) {
      const g = elig[i];
      const R = rates[i];
      g.rate = R;
      if (R <= 0) continue;
      // earliest completion: smallest remaining/threads
      const jobs = g.jobs;
      let best = Infinity;
      for (let m = 0; m < jobs.length; m++) {
        const j = jobs[m];
        const r = j.remaining / j.threads;
        if (r < best) best = r;
      }
      let delay = (best * g.threadSum) / (R * this.speed * g.speedFactor);
      if (g.quota !== Infinity) {
        const toEnd = g.origin + (g.k + 1) * g.period - now;
        const dx = quotaExhaustionDelay(R, toEnd, g.used, g.bucket, g.quota, g.burst, g.period);
        if (dx < delay) delay = dx;
      }
      const t = delay <= EPS_US ? now : Math.ceil(now + delay);
      if (t < next) next = t;
    }
    if (next === this.timerAt) return;
    if (this.timer >= 0) this.sim.cancel(this.timer);
    this.timer = -1;
    this.timerAt = next;
    if (next !== Infinity) this.timer = this.sim.scheduleAt(next, fireNode, this);
  }
}

/**
 * Period index of time `t` for g: `g.k` when t lies in period g.k (the common case, no
 * division), else `periodIndex`. Boundaries are integers, so the comparison is exact.
 */
function periodOf(g: CpuGroup, t: number): number {
  const start = g.origin + g.k * g.period;
  return t >= start && t < start + g.period ? g.k : periodIndex(t, g.origin, g.period);
}

/** Record that g was active in periods ka..kb (monotone in time). */
function addActive(g: CpuGroup, ka: number, kb: number): void {
  if (kb < ka) return;
  if (g.activeK < ka) g.activeCount += kb - ka + 1;
  else if (kb > g.activeK) g.activeCount += kb - g.activeK;
  else return;
  g.activeK = kb;
}
