/**
 * The basic serving model (kind `serving`): functions with replicas placed on nodes, one FIFO
 * queue per replica, a least-outstanding-requests load balancer with a seeded tie-break,
 * Poisson arrivals and an optional client timeout. No cold starts, no autoscaling, no CPU
 * contention (a node must have a core for every concurrent slot placed on it): later issues
 * add those in cluster/ and platform/.
 *
 * Hot path: request state lives in typed arrays indexed by a recycled slot number; events
 * carry the slot (or function index) as their argument and call handlers bound once.
 *
 * Request outcome (client view): every arrival ends completed, timed out, or is in flight at
 * the end of the run. A request whose timeout fires while queued leaves the queue; one whose
 * timeout fires in service is counted timed out at its deadline while its replica finishes
 * the work (the server does not notice the client left).
 */
import type { RandomStream } from '../../core/random.js';
import type { Simulation } from '../../core/simulation.js';
import { MS, SECOND, type Time } from '../../core/time.js';
import type { ServingConfig } from './config.js';

/** Slot states. */
const FREE = 0;
const QUEUED = 1;
const IN_SERVICE = 2;
/** Timed out while queued: dead entry left in the replica's ring, freed when popped. */
const DEAD_QUEUED = 3;
/** Timed out in service: the replica still runs it. */
const ABANDONED = 4;

/** Outcome codes of request records. */
export const OUTCOME_COMPLETED = 0;
export const OUTCOME_TIMED_OUT = 1;
export const OUTCOME_IN_FLIGHT = 2;
export const OUTCOME_NAMES = ['completed', 'timed_out', 'in_flight'] as const;

function grow<T extends Float64Array | Int32Array | Uint8Array>(a: T, min: number): T {
  let n = a.length * 2;
  while (n < min) n *= 2;
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a);
  return b;
}

/** Per-function counters. */
export interface FunctionState {
  arrivals: number;
  completed: number;
  timedOut: number;
  /** Requests in the system from the client's view (arrived, not completed or timed out). */
  inSystem: number;
  /** ∫ inSystem dt in µs·requests, up to `areaTime`. */
  area: number;
  areaTime: Time;
  /** Latencies (µs) of completed requests, in completion order. */
  latencies: Float64Array;
  waitSum: number;
  serviceSum: number;
}

/** Per-replica state. */
export interface ReplicaState {
  fn: number;
  node: number;
  /** Index of the replica within its function. */
  index: number;
  concurrency: number;
  inService: number;
  /** Live queued requests (dead entries excluded). */
  queued: number;
  /** Ring of slots: head, length (including dead entries). */
  ring: Int32Array;
  head: number;
  len: number;
  /** Slot-µs of service finished so far. */
  busy: number;
  served: number;
}

export class ServingModel {
  readonly fns: FunctionState[];
  readonly replicas: ReplicaState[];
  /** Replica indices (into `replicas`) per function. */
  readonly fnReplicas: Int32Array[];
  private readonly arrivalStreams: RandomStream[];
  private readonly serviceStreams: RandomStream[];
  private readonly lbStreams: RandomStream[];
  private readonly meanInterarrival: Float64Array;
  private readonly serviceScale: Float64Array; // per replica: µs per sampled ms

  // Request slots (struct of arrays).
  private cap = 1024;
  private sFn = new Int32Array(this.cap);
  private sReplica = new Int32Array(this.cap);
  private sState = new Uint8Array(this.cap);
  private sId = new Float64Array(this.cap);
  private sArrival = new Float64Array(this.cap);
  private sStart = new Float64Array(this.cap);
  private sService = new Float64Array(this.cap);
  private sTimeout = new Float64Array(this.cap);
  private free = new Int32Array(this.cap);
  private freeTop = 0;
  private slotCount = 0;
  private nextId = 0;

  // Request records (only when cfg.recordRequests).
  recordCount = 0;
  private rId = new Float64Array(0);
  private rFn = new Int32Array(0);
  private rReplica = new Int32Array(0);
  private rOutcome = new Uint8Array(0);
  private rArrival = new Float64Array(0);
  private rStart = new Float64Array(0);
  private rEnd = new Float64Array(0);
  private rService = new Float64Array(0);

  constructor(
    private readonly sim: Simulation,
    readonly cfg: ServingConfig,
  ) {
    this.fns = cfg.functions.map(() => ({
      arrivals: 0,
      completed: 0,
      timedOut: 0,
      inSystem: 0,
      area: 0,
      areaTime: 0,
      latencies: new Float64Array(1024),
      waitSum: 0,
      serviceSum: 0,
    }));
    this.replicas = [];
    this.fnReplicas = cfg.functions.map((f, fi) => {
      const ids = new Int32Array(f.replicaNodes.length);
      f.replicaNodes.forEach((node, k) => {
        ids[k] = this.replicas.length;
        this.replicas.push({ fn: fi, node, index: k, concurrency: f.concurrency, inService: 0, queued: 0, ring: new Int32Array(64), head: 0, len: 0, busy: 0, served: 0 });
      });
      return ids;
    });
    // One named substream per stochastic source (DESIGN.md rule 2).
    this.arrivalStreams = cfg.functions.map((f) => sim.random.stream(`serving/arrivals/${f.name}`));
    this.serviceStreams = cfg.functions.map((f) => sim.random.stream(`serving/service/${f.name}`));
    this.lbStreams = cfg.functions.map((f) => sim.random.stream(`serving/balancer/${f.name}`));
    this.meanInterarrival = Float64Array.from(cfg.functions, (f) => SECOND / f.arrivals.rate);
    this.serviceScale = Float64Array.from(this.replicas, (r) => MS / cfg.nodes[r.node].speed);
    if (cfg.recordRequests) {
      this.rId = new Float64Array(1024);
      this.rFn = new Int32Array(1024);
      this.rReplica = new Int32Array(1024);
      this.rOutcome = new Uint8Array(1024);
      this.rArrival = new Float64Array(1024);
      this.rStart = new Float64Array(1024);
      this.rEnd = new Float64Array(1024);
      this.rService = new Float64Array(1024);
    }
  }

  /** Schedule the first arrival of every function. */
  start(): void {
    for (let fi = 0; fi < this.fns.length; fi++) this.scheduleNextArrival(fi);
  }

  private scheduleNextArrival(fi: number): void {
    const gap = Math.round(this.arrivalStreams[fi].exponential(this.meanInterarrival[fi]));
    this.sim.schedule(gap, this.onArrival, fi);
  }

  private changeInSystem(f: FunctionState, delta: number): void {
    const now = this.sim.now;
    f.area += f.inSystem * (now - f.areaTime);
    f.areaTime = now;
    f.inSystem += delta;
  }

  private allocSlot(): number {
    if (this.freeTop > 0) return this.free[--this.freeTop];
    const s = this.slotCount++;
    if (s >= this.cap) {
      const n = this.cap * 2;
      this.sFn = grow(this.sFn, n);
      this.sReplica = grow(this.sReplica, n);
      this.sState = grow(this.sState, n);
      this.sId = grow(this.sId, n);
      this.sArrival = grow(this.sArrival, n);
      this.sStart = grow(this.sStart, n);
      this.sService = grow(this.sService, n);
      this.sTimeout = grow(this.sTimeout, n);
      this.free = grow(this.free, n);
      this.cap = n;
    }
    return s;
  }

  private freeSlot(s: number): void {
    this.sState[s] = FREE;
    this.free[this.freeTop++] = s;
  }

  /** Least outstanding requests (queued + in service); ties broken uniformly at random. */
  private pickReplica(fi: number): number {
    const ids = this.fnReplicas[fi];
    const reps = this.replicas;
    let best = Infinity;
    let ties = 0;
    let choice = -1;
    for (let k = 0; k < ids.length; k++) {
      const r = reps[ids[k]];
      const load = r.queued + r.inService;
      if (load < best) {
        best = load;
        ties = 1;
        choice = ids[k];
      } else if (load === best) {
        ties++;
      }
    }
    if (ties > 1) {
      let j = this.lbStreams[fi].int(ties);
      for (let k = 0; k < ids.length; k++) {
        const r = reps[ids[k]];
        if (r.queued + r.inService === best && j-- === 0) return ids[k];
      }
    }
    return choice;
  }

  private readonly onArrival = (fi: number): void => {
    this.scheduleNextArrival(fi);
    const f = this.fns[fi];
    f.arrivals++;
    this.changeInSystem(f, 1);
    const s = this.allocSlot();
    const ri = this.pickReplica(fi);
    this.sFn[s] = fi;
    this.sReplica[s] = ri;
    this.sId[s] = this.nextId++;
    this.sArrival[s] = this.sim.now;
    this.sStart[s] = -1;
    this.sService[s] = -1;
    const timeout = this.cfg.functions[fi].timeout;
    this.sTimeout[s] = timeout === undefined ? -1 : this.sim.schedule(timeout, this.onTimeout, s);
    const r = this.replicas[ri];
    if (r.inService < r.concurrency) this.startService(s, ri);
    else {
      this.sState[s] = QUEUED;
      r.queued++;
      if (r.len === r.ring.length) {
        const ring = new Int32Array(r.ring.length * 2);
        for (let i = 0; i < r.len; i++) ring[i] = r.ring[(r.head + i) % r.ring.length];
        r.ring = ring;
        r.head = 0;
      }
      r.ring[(r.head + r.len) % r.ring.length] = s;
      r.len++;
    }
  };

  private startService(s: number, ri: number): void {
    const r = this.replicas[ri];
    r.inService++;
    this.sState[s] = IN_SERVICE;
    this.sStart[s] = this.sim.now;
    const fi = r.fn;
    const ms = this.cfg.functions[fi].serviceTime.sample(this.serviceStreams[fi]);
    const d = ms > 0 ? Math.round(ms * this.serviceScale[ri]) : 0;
    this.sService[s] = d;
    this.sim.schedule(d, this.onComplete, s);
  }

  private readonly onComplete = (s: number): void => {
    const now = this.sim.now;
    const ri = this.sReplica[s];
    const r = this.replicas[ri];
    r.inService--;
    r.busy += now - this.sStart[s];
    r.served++;
    if (this.sState[s] === IN_SERVICE) {
      const f = this.fns[r.fn];
      if (this.sTimeout[s] >= 0) this.sim.cancel(this.sTimeout[s]);
      const lat = now - this.sArrival[s];
      if (f.completed === f.latencies.length) f.latencies = grow(f.latencies, f.completed + 1);
      f.latencies[f.completed++] = lat;
      f.waitSum += this.sStart[s] - this.sArrival[s];
      f.serviceSum += now - this.sStart[s];
      this.changeInSystem(f, -1);
      if (this.cfg.recordRequests) this.record(s, OUTCOME_COMPLETED, now);
    }
    this.freeSlot(s);
    // Next live request of this replica's queue (dead entries are freed on the way).
    while (r.len > 0) {
      const next = r.ring[r.head];
      r.head = (r.head + 1) % r.ring.length;
      r.len--;
      if (this.sState[next] === QUEUED) {
        r.queued--;
        this.startService(next, ri);
        break;
      }
      this.freeSlot(next);
    }
  };

  private readonly onTimeout = (s: number): void => {
    const st = this.sState[s];
    const f = this.fns[this.sFn[s]];
    f.timedOut++;
    this.changeInSystem(f, -1);
    if (st === QUEUED) {
      this.replicas[this.sReplica[s]].queued--;
      this.sState[s] = DEAD_QUEUED;
    } else {
      this.sState[s] = ABANDONED;
    }
    if (this.cfg.recordRequests) this.record(s, OUTCOME_TIMED_OUT, this.sim.now);
  };

  private record(s: number, outcome: number, end: number): void {
    const i = this.recordCount++;
    if (i >= this.rId.length) {
      const n = i + 1;
      this.rId = grow(this.rId, n);
      this.rFn = grow(this.rFn, n);
      this.rReplica = grow(this.rReplica, n);
      this.rOutcome = grow(this.rOutcome, n);
      this.rArrival = grow(this.rArrival, n);
      this.rStart = grow(this.rStart, n);
      this.rEnd = grow(this.rEnd, n);
      this.rService = grow(this.rService, n);
    }
    this.rId[i] = this.sId[s];
    this.rFn[i] = this.sFn[s];
    this.rReplica[i] = this.sReplica[s];
    this.rOutcome[i] = outcome;
    this.rArrival[i] = this.sArrival[s];
    this.rStart[i] = this.sStart[s];
    this.rEnd[i] = end;
    this.rService[i] = this.sState[s] === DEAD_QUEUED || this.sStart[s] < 0 ? -1 : this.sService[s];
  }

  /** Close the books at simulated time `end` (idempotent per end time): areas and busy time. */
  settle(end: Time): void {
    for (const f of this.fns) {
      f.area += f.inSystem * (end - f.areaTime);
      f.areaTime = end;
    }
  }

  /** Slot-µs of service done by replica `ri` up to `end`, counting requests still running. */
  busyUntil(ri: number, end: Time): number {
    let b = this.replicas[ri].busy;
    for (let s = 0; s < this.slotCount; s++) {
      const st = this.sState[s];
      if ((st === IN_SERVICE || st === ABANDONED) && this.sReplica[s] === ri) b += end - this.sStart[s];
    }
    return b;
  }

  /** Records of requests still in flight at `end` are appended once, after the finished ones. */
  private inFlightAppended = -1;

  /** Append in-flight requests to the records (call once, at the end of the run). */
  appendInFlight(): void {
    if (!this.cfg.recordRequests || this.inFlightAppended >= 0) return;
    this.inFlightAppended = this.recordCount;
    const slots: number[] = [];
    for (let s = 0; s < this.slotCount; s++) if (this.sState[s] === QUEUED || this.sState[s] === IN_SERVICE) slots.push(s);
    slots.sort((a, b) => this.sId[a] - this.sId[b]);
    for (const s of slots) this.record(s, OUTCOME_IN_FLIGHT, -1);
  }

  /** Fields of record `i`: id, function, replica, outcome, arrival, start (-1), end (-1), service µs (-1). */
  recordAt(i: number): { id: number; fn: number; replica: number; outcome: number; arrival: Time; start: Time; end: Time; service: Time } {
    return {
      id: this.rId[i],
      fn: this.rFn[i],
      replica: this.rReplica[i],
      outcome: this.rOutcome[i],
      arrival: this.rArrival[i],
      start: this.rStart[i],
      end: this.rEnd[i],
      service: this.rService[i],
    };
  }

  /** Number of queued (live) requests of function `fi`. */
  queuedOf(fi: number): number {
    let q = 0;
    for (const ri of this.fnReplicas[fi]) q += this.replicas[ri].queued;
    return q;
  }

  /** Number of requests of function `fi` in service (including abandoned ones). */
  inServiceOf(fi: number): number {
    let q = 0;
    for (const ri of this.fnReplicas[fi]) q += this.replicas[ri].inService;
    return q;
  }
}
