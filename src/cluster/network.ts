/**
 * Network links and TCP transfers, event-driven on the kernel.
 *
 * A link is one direction of a shared pipe: capacity (payload bytes/s), a base round-trip
 * contribution and an added one-way delay (Linux netem on an egress interface: each round
 * trip through that interface gains the delay once; study 2 Setup "Added latency").
 * A route is a list of links; its RTT is the sum of the links' base RTT and added delay.
 * Only the data direction's bandwidth is modelled: ACKs and HTTP responses are small and
 * cost latency only.
 *
 * Concurrent flows share links max-min fairly (progressive filling, each flow also capped by
 * its own TCP window rate), recomputed on every flow start, finish and window change. The
 * next completion is scheduled analytically (one pending event per network), so an idle or
 * steady network costs no events (DESIGN.md rule 4).
 *
 * TCP model (study 2 modelling note "Upload model", derived here in full):
 *   a request over a fresh connection costs
 *     T = setupRtts·RTT  (DNS lookup when the name crosses the path, TCP handshake)
 *       + transfer(size) (slow start from the initial window, then steady state)
 *       + 1·RTT          (the last byte reaches the server: RTT/2; the response returns: RTT/2)
 *       + server overhead.
 *   transfer: in slow-start round k (each one RTT long) the sender may have
 *   cwnd_k = min(IW·2^k, W) bytes in flight, so it moves min(cwnd_k, C·RTT) bytes in that
 *   round; once cwnd reaches W (or C·RTT) the flow runs at the steady rate min(C, W/RTT),
 *   i.e. the time is max(size/C, size·RTT/W) for the bytes left after slow start. The
 *   last, partial round ends when the remaining bytes have been sent at that round's rate.
 *   With the suggested k_setup = 3 of the study note: DNS + handshake + response.
 */
import type { Simulation } from '../core/simulation.js';
import type { EventId } from '../core/event-queue.js';
import { SECOND, type Time } from '../core/time.js';

/** Linux initial congestion window: 10 segments (RFC 6928) of 1448 payload bytes (MTU 1500, TCP timestamps). */
export const LINUX_INITIAL_WINDOW_BYTES = 10 * 1448;

/** Handle of a link inside one Network. */
export type LinkId = number;
/** Handle of a flow inside one Network. */
export type FlowId = number;

export interface LinkSpec {
  /** Name for errors and reports. */
  name: string;
  /** Payload capacity in bytes per second (> 0). */
  capacity: number;
  /** Base round-trip contribution of this link, µs (propagation, switching, stack). */
  rtt?: Time;
  /** Added one-way delay (netem) on this link, µs; counted once per round trip. */
  addedDelay?: Time;
}

/** TCP parameters of a flow. */
export interface TcpWindow {
  /** Effective maximum window W in bytes (receive window / socket buffer limit). */
  window: number;
  /** Initial congestion window in bytes (default LINUX_INITIAL_WINDOW_BYTES). */
  initialWindow?: number;
}

export interface FlowOptions {
  /** TCP dynamics (slow start, window bound). Omit for a plain fluid transfer (no window). */
  tcp?: TcpWindow;
  /** Extra cap on the flow's rate, bytes/s. */
  rateCap?: number;
}

// ---------------------------------------------------------------------------------------
// Pure formulas
// ---------------------------------------------------------------------------------------

/**
 * Time in seconds to push `bytes` through a path of capacity `capacity` (bytes/s) over a
 * connection with round-trip time `rtt` (s), effective window `window` (bytes) and initial
 * congestion window `initialWindow` (bytes): slow start (window doubling per RTT) then
 * the steady rate min(capacity, window/rtt). Derivation in the file header.
 */
export function tcpTransferSeconds(
  bytes: number, rtt: number, capacity: number, window: number, initialWindow = LINUX_INITIAL_WINDOW_BYTES,
): number {
  if (!(bytes >= 0) || !(capacity > 0) || !(window > 0) || !(initialWindow > 0) || !(rtt >= 0)) {
    throw new RangeError(`tcpTransferSeconds: expected bytes ≥ 0, rtt ≥ 0, capacity/window/initialWindow > 0; found ${bytes}, ${rtt}, ${capacity}, ${window}, ${initialWindow}`);
  }
  if (bytes === 0) return 0;
  if (rtt === 0) return bytes / capacity;
  let t = 0;
  let left = bytes;
  let cwnd = Math.min(initialWindow, window);
  while (cwnd < window && cwnd / rtt < capacity) {
    const rate = cwnd / rtt;
    const roundBytes = rate * rtt;
    if (left <= roundBytes) return t + left / rate;
    left -= roundBytes;
    t += rtt;
    cwnd = Math.min(2 * cwnd, window);
  }
  return t + left / Math.min(capacity, window / rtt);
}

/** Parameters of one request over a fresh TCP connection. */
export interface TcpRequestParams {
  bytes: number;
  /** Round-trip time, s. */
  rtt: number;
  /** Bottleneck capacity, bytes/s. */
  capacity: number;
  window: number;
  initialWindow?: number;
  /** RTTs before the first data byte: DNS lookup (when it crosses the path) + TCP handshake. */
  setupRtts: number;
  /** Server-side per-request processing, s. */
  serverOverhead?: number;
}

/**
 * Closed-form duration (s) of a request: setupRtts·RTT + transfer + 1·RTT (last byte +
 * response) + server overhead. The event-driven Network reproduces it for a lone flow.
 */
export function tcpRequestSeconds(p: TcpRequestParams): number {
  return (p.setupRtts + 1) * p.rtt
    + tcpTransferSeconds(p.bytes, p.rtt, p.capacity, p.window, p.initialWindow)
    + (p.serverOverhead ?? 0);
}

/** Scratch arrays of maxMinFairRates, reused across calls (the network recomputes on every flow event). */
export class MaxMinWorkspace {
  left = new Float64Array(16);
  users = new Int32Array(16);
  frozen = new Uint8Array(16);

  ensure(links: number, flows: number): void {
    if (this.left.length < links) {
      this.left = new Float64Array(2 * links);
      this.users = new Int32Array(2 * links);
    }
    if (this.frozen.length < flows) this.frozen = new Uint8Array(2 * flows);
  }
}

/**
 * Max-min fair rates (progressive filling) of flows over shared links.
 * `flowLinks[f]` lists the links flow f crosses; `caps[f]` is its own rate cap (Infinity
 * for none); `capacities[l]` the link capacities. Writes the rates into `out` and returns
 * it (only the first `nFlows` entries of `flowLinks`/`caps` are used; `work` holds reusable
 * scratch arrays). Every flow must cross at least one link or have a finite cap. Invariant: the sum of
 * rates on every link never exceeds its capacity; each flow is either at its cap or on a
 * saturated link (that is max-min fairness).
 */
export function maxMinFairRates(
  flowLinks: readonly (readonly number[])[],
  caps: ArrayLike<number>,
  capacities: ArrayLike<number>,
  out: Float64Array = new Float64Array(flowLinks.length),
  nFlows: number = flowLinks.length,
  work: MaxMinWorkspace = new MaxMinWorkspace(),
): Float64Array {
  const nf = nFlows;
  const nl = capacities.length;
  work.ensure(nl, nf);
  const left = work.left;
  const users = work.users;
  const frozen = work.frozen;
  for (let l = 0; l < nl; l++) {
    left[l] = capacities[l];
    users[l] = 0;
  }
  for (let f = 0; f < nf; f++) frozen[f] = 0;
  let active = 0;
  for (let f = 0; f < nf; f++) {
    out[f] = 0;
    const links = flowLinks[f];
    if (links.length === 0 && !(caps[f] < Infinity)) {
      throw new RangeError(`maxMinFairRates: flow ${f} crosses no link and has no finite cap`);
    }
    if (caps[f] <= 0) {
      frozen[f] = 1;
      continue;
    }
    for (const l of links) users[l]++;
    active++;
  }
  while (active > 0) {
    let delta = Infinity;
    for (let l = 0; l < nl; l++) if (users[l] > 0) delta = Math.min(delta, left[l] / users[l]);
    for (let f = 0; f < nf; f++) if (!frozen[f]) delta = Math.min(delta, caps[f] - out[f]);
    if (!(delta >= 0)) delta = 0;
    for (let f = 0; f < nf; f++) {
      if (frozen[f]) continue;
      out[f] += delta;
      for (const l of flowLinks[f]) left[l] -= delta;
    }
    // Freeze flows at their cap or on a saturated link.
    for (let f = 0; f < nf; f++) {
      if (frozen[f]) continue;
      let stop = out[f] >= caps[f] * (1 - 1e-12);
      if (!stop) {
        for (const l of flowLinks[f]) {
          if (left[l] <= capacities[l] * 1e-12) {
            stop = true;
            break;
          }
        }
      }
      if (stop) {
        frozen[f] = 1;
        active--;
        for (const l of flowLinks[f]) users[l]--;
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Event-driven network
// ---------------------------------------------------------------------------------------

interface Link {
  name: string;
  capacity: number; // bytes/µs
  rtt: Time;
  addedDelay: Time;
}

interface Flow {
  id: FlowId;
  links: readonly LinkId[];
  bytes: number;
  remaining: number; // bytes
  rate: number; // bytes/µs, current allocation
  userCap: number; // bytes/µs
  // TCP state
  rttUs: Time;
  cwnd: number; // bytes; Infinity when not TCP
  window: number;
  roundEvent: EventId;
  done: (id: FlowId) => void;
  startedAt: Time;
}

/**
 * How `request()` times a request.
 * - `fluid` (default): the event-driven model above: the data phase is a flow that shares links
 *   max-min fairly with every other active flow, with slow-start rounds as rate changes.
 * - `closed-form`: `tcpRequestSeconds` over the route's bottleneck (and the request's rate cap),
 *   one kernel event per request; requests do not share bandwidth with each other or with
 *   `startFlow` flows (a latency-bandwidth model, like SimGrid's constant/LV08-without-sharing
 *   models). For models where transfers are a small, rarely contended part of the latency (the
 *   DRL video environment: docs/performance.md measures the difference); identical to `fluid` for
 *   a request alone on its links.
 */
export type NetworkModel = 'fluid' | 'closed-form';

/** Counters for reports and tests. */
export interface NetworkStats {
  flowsStarted: number;
  flowsFinished: number;
  recomputations: number;
}

/** Result of a request made with Network.request. */
export interface RequestTiming {
  start: Time;
  /** When the first data byte left (after setup RTTs). */
  dataStart: Time;
  /** When the last data byte left. */
  dataEnd: Time;
  /** When the response arrived (end of the request). */
  end: Time;
  rtt: Time;
}

export interface RequestOptions {
  route: readonly LinkId[];
  bytes: number;
  tcp: TcpWindow;
  /** RTTs spent before data (DNS + handshake), default 1 (handshake only). */
  setupRtts?: number;
  /** Server processing after the last byte arrives, µs. */
  serverOverhead?: Time;
  rateCap?: number;
}

/** A closed-form request in flight: its timing and its completion callback (one object per request). */
class PendingRequest implements RequestTiming {
  dataEnd: Time = -1;
  end: Time = -1;
  constructor(
    readonly start: Time,
    readonly dataStart: Time,
    readonly rtt: Time,
    readonly done: (t: RequestTiming, arg: unknown) => void,
    readonly arg: unknown,
  ) {}
}

function deliverRequest(r: PendingRequest): void {
  r.done(r, r.arg);
}

/** Links plus the flows crossing them, on one Simulation. */
export class Network {
  private readonly links: Link[] = [];
  private readonly flows: Flow[] = [];
  private nextFlowId = 0;
  private lastUpdate: Time = 0;
  private completionEvent: EventId = -1;
  private scratchRates = new Float64Array(16);
  private scratchCaps = new Float64Array(16);
  private scratchLinks: (readonly number[])[] = [];
  private capacities = new Float64Array(0);
  private readonly work = new MaxMinWorkspace();
  readonly stats: NetworkStats = { flowsStarted: 0, flowsFinished: 0, recomputations: 0 };
  private modelKind: NetworkModel = 'fluid';

  constructor(private readonly sim: Simulation) {}

  /** The request timing model (see NetworkModel). */
  get model(): NetworkModel {
    return this.modelKind;
  }

  /** Switch the request timing model; allowed only while no flow is active. */
  setModel(model: NetworkModel): void {
    if (model !== 'fluid' && model !== 'closed-form') throw new RangeError(`network: model: expected 'fluid' or 'closed-form', found '${String(model)}'`);
    if (this.flows.length > 0) throw new Error(`network: cannot switch the model to '${model}' while ${this.flows.length} flow(s) are active`);
    this.modelKind = model;
  }

  /** Add a link; returns its id. */
  addLink(spec: LinkSpec): LinkId {
    if (!(spec.capacity > 0) || !Number.isFinite(spec.capacity)) {
      throw new RangeError(`link "${spec.name}": capacity: expected a positive number of bytes/s, found ${spec.capacity}`);
    }
    const rtt = spec.rtt ?? 0;
    const addedDelay = spec.addedDelay ?? 0;
    if (!(rtt >= 0) || !(addedDelay >= 0)) {
      throw new RangeError(`link "${spec.name}": rtt/addedDelay: expected non-negative µs, found ${rtt}/${addedDelay}`);
    }
    this.links.push({ name: spec.name, capacity: spec.capacity / SECOND, rtt: Math.round(rtt), addedDelay: Math.round(addedDelay) });
    return this.links.length - 1;
  }

  linkName(id: LinkId): string {
    return this.link(id).name;
  }

  /** Capacity of a link, bytes/s. */
  capacity(id: LinkId): number {
    return this.link(id).capacity * SECOND;
  }

  /** Change a link's capacity (bytes/s); active flows are re-shared from now on. */
  setCapacity(id: LinkId, capacity: number): void {
    if (!(capacity > 0)) throw new RangeError(`link "${this.link(id).name}": capacity: expected > 0, found ${capacity}`);
    this.advance();
    this.link(id).capacity = capacity / SECOND;
    this.reallocate();
  }

  /** Set the netem delay of a link (µs); applies to flows and requests started afterwards. */
  setAddedDelay(id: LinkId, delay: Time): void {
    if (!(delay >= 0)) throw new RangeError(`link "${this.link(id).name}": addedDelay: expected ≥ 0 µs, found ${delay}`);
    this.link(id).addedDelay = Math.round(delay);
  }

  /** Round-trip time of a route, µs: Σ (base RTT + added delay). */
  rtt(route: readonly LinkId[]): Time {
    let t = 0;
    for (const id of route) {
      const l = this.link(id);
      t += l.rtt + l.addedDelay;
    }
    return t;
  }

  /** Smallest capacity along a route, bytes/s. */
  bottleneck(route: readonly LinkId[]): number {
    let c = Infinity;
    for (const id of route) c = Math.min(c, this.link(id).capacity);
    return c * SECOND;
  }

  /** Number of active flows. */
  get activeFlows(): number {
    return this.flows.length;
  }

  /** Current rate of a flow, bytes/s (0 if finished or unknown). */
  rateOf(id: FlowId): number {
    const f = this.flows.find((x) => x.id === id);
    return f === undefined ? 0 : f.rate * SECOND;
  }

  /** Sum of current flow rates per link, bytes/s (for invariant checks). */
  linkLoads(): Float64Array {
    const out = new Float64Array(this.links.length);
    for (const f of this.flows) for (const l of f.links) out[l] += f.rate * SECOND;
    return out;
  }

  /**
   * Start a fluid transfer of `bytes` over `route`; `done(id)` runs when the last byte
   * has been sent (no propagation delay added: see request()).
   */
  startFlow(route: readonly LinkId[], bytes: number, opts: FlowOptions, done: (id: FlowId) => void): FlowId {
    if (!(bytes >= 0) || !Number.isFinite(bytes)) throw new RangeError(`startFlow: bytes: expected a finite number ≥ 0, found ${bytes}`);
    for (const l of route) this.link(l);
    const userCap = opts.rateCap === undefined ? Infinity : opts.rateCap / SECOND;
    if (!(userCap > 0)) throw new RangeError(`startFlow: rateCap: expected > 0 bytes/s, found ${opts.rateCap}`);
    if (route.length === 0 && userCap === Infinity) throw new RangeError('startFlow: a flow needs a route or a finite rateCap');
    this.advance();
    const id = this.nextFlowId++;
    const rttUs = this.rtt(route);
    const tcp = opts.tcp;
    if (tcp !== undefined && !(tcp.window > 0)) throw new RangeError(`startFlow: tcp.window: expected > 0 bytes, found ${tcp.window}`);
    const f: Flow = {
      id, links: route.slice(), bytes, remaining: bytes, rate: 0, userCap, rttUs,
      cwnd: Infinity, window: Infinity, roundEvent: -1, done, startedAt: this.sim.now,
    };
    if (tcp !== undefined && rttUs > 0) {
      f.window = tcp.window;
      f.cwnd = Math.min(tcp.initialWindow ?? LINUX_INITIAL_WINDOW_BYTES, tcp.window);
      if (!this.windowCannotBind(f)) f.roundEvent = this.sim.schedule(rttUs, this.onRound, f);
      else f.cwnd = f.window;
    }
    this.flows.push(f);
    this.stats.flowsStarted++;
    this.reallocate();
    return id;
  }

  /**
   * A request over a fresh TCP connection: setupRtts·RTT, the data flow, then one RTT for
   * the last byte and the response, then the server overhead. `done(timing, arg)` gets the timing.
   */
  request<A = undefined>(opts: RequestOptions, done: (t: RequestTiming, arg: A) => void, arg?: A): void {
    const start = this.sim.now;
    const rtt = this.rtt(opts.route);
    const setup = Math.round((opts.setupRtts ?? 1) * rtt);
    if (this.modelKind === 'closed-form') {
      this.closedFormRequest(opts, new PendingRequest(start, start + setup, rtt, done as (t: RequestTiming, arg: unknown) => void, arg));
      return;
    }
    const state: RequestTiming = { start, dataStart: start + setup, dataEnd: -1, end: -1, rtt };
    const finish = (): void => {
      state.end = this.sim.now;
      done(state, arg as A);
    };
    const afterData = (): void => {
      state.dataEnd = this.sim.now;
      this.sim.schedule(rtt + (opts.serverOverhead ?? 0), finish, undefined);
    };
    const begin = (): void => {
      const flowOpts: FlowOptions = opts.rateCap === undefined ? { tcp: opts.tcp } : { tcp: opts.tcp, rateCap: opts.rateCap };
      this.startFlow(opts.route, opts.bytes, flowOpts, afterData);
    };
    this.sim.schedule(setup, begin, undefined);
  }

  /** `request` in the closed-form model: one event at start + setup + transfer + RTT + overhead. */
  private closedFormRequest(opts: RequestOptions, state: PendingRequest): void {
    if (!(opts.bytes >= 0) || !Number.isFinite(opts.bytes)) throw new RangeError(`request: bytes: expected a finite number ≥ 0, found ${opts.bytes}`);
    if (!(opts.tcp.window > 0)) throw new RangeError(`request: tcp.window: expected > 0 bytes, found ${opts.tcp.window}`);
    let capacity = Infinity; // bytes/µs
    for (const l of opts.route) capacity = Math.min(capacity, this.link(l).capacity);
    if (opts.rateCap !== undefined) capacity = Math.min(capacity, opts.rateCap / SECOND);
    if (!(capacity < Infinity)) throw new RangeError('request: a request needs a route or a finite rateCap');
    const transfer = state.rtt > 0
      ? tcpTransferSeconds(opts.bytes, state.rtt / SECOND, capacity * SECOND, opts.tcp.window, opts.tcp.initialWindow) * SECOND
      : opts.bytes / capacity;
    state.dataEnd = state.dataStart + Math.ceil(transfer - 1e-9);
    state.end = state.dataEnd + state.rtt + (opts.serverOverhead ?? 0);
    this.stats.flowsStarted++;
    this.stats.flowsFinished++;
    this.sim.scheduleAt(state.end, deliverRequest, state);
  }

  // -------------------------------------------------------------------------------------

  private link(id: LinkId): Link {
    const l = this.links[id];
    if (l === undefined) throw new RangeError(`network: unknown link id ${id}`);
    return l;
  }

  /** True once the window can no longer be the binding constraint (cwnd/RTT ≥ route bottleneck). */
  private windowCannotBind(f: Flow): boolean {
    if (f.cwnd >= f.window) return true;
    let c = f.userCap;
    for (const l of f.links) c = Math.min(c, this.links[l].capacity);
    return f.cwnd / f.rttUs >= c;
  }

  private readonly onRound = (f: Flow): void => {
    f.roundEvent = -1;
    this.advance();
    f.cwnd = Math.min(2 * f.cwnd, f.window);
    if (this.windowCannotBind(f)) f.cwnd = f.window;
    else f.roundEvent = this.sim.schedule(f.rttUs, this.onRound, f);
    this.reallocate();
  };

  /** Move every flow forward to now at its current rate. */
  private advance(): void {
    const dt = this.sim.now - this.lastUpdate;
    if (dt > 0) for (const f of this.flows) f.remaining -= f.rate * dt;
    this.lastUpdate = this.sim.now;
  }

  private readonly onCompletion = (): void => {
    this.completionEvent = -1;
    this.advance();
    const finished: Flow[] = [];
    for (let i = 0; i < this.flows.length; ) {
      const f = this.flows[i];
      // Done when less than a millionth of a byte (float residue) or less than one µs of sending is left.
      if (f.remaining <= 1e-6 || f.remaining <= f.rate * 0.5) {
        finished.push(f);
        this.flows.splice(i, 1);
      } else i++;
    }
    for (const f of finished) {
      if (f.roundEvent >= 0) this.sim.cancel(f.roundEvent);
      f.remaining = 0;
      this.stats.flowsFinished++;
    }
    this.reallocate();
    for (const f of finished) f.done(f.id);
  };

  /** Recompute the max-min fair allocation and reschedule the next completion. */
  private reallocate(): void {
    this.stats.recomputations++;
    const n = this.flows.length;
    if (this.completionEvent >= 0) {
      this.sim.cancel(this.completionEvent);
      this.completionEvent = -1;
    }
    if (n === 0) return;
    if (this.scratchRates.length < n) {
      this.scratchRates = new Float64Array(2 * n);
      this.scratchCaps = new Float64Array(2 * n);
    }
    const flowLinks = this.scratchLinks;
    const caps = this.scratchCaps;
    const nl = this.links.length;
    if (this.capacities.length !== nl) this.capacities = new Float64Array(nl);
    const capacities = this.capacities;
    for (let l = 0; l < nl; l++) capacities[l] = this.links[l].capacity;
    for (let i = 0; i < n; i++) {
      const f = this.flows[i];
      flowLinks[i] = f.links;
      caps[i] = Math.min(f.userCap, f.cwnd < Infinity ? f.cwnd / f.rttUs : Infinity);
    }
    const rates = maxMinFairRates(flowLinks, caps, capacities, this.scratchRates, n, this.work);
    flowLinks.length = 0;
    let next = Infinity;
    for (let i = 0; i < n; i++) {
      const f = this.flows[i];
      f.rate = rates[i];
      if (f.rate > 0) next = Math.min(next, Math.max(0, f.remaining) / f.rate);
    }
    if (next < Infinity) this.completionEvent = this.sim.schedule(Math.ceil(next - 1e-9), this.onCompletion, undefined);
  }
}
