/**
 * A MinIO-like object store service that pods reach through the Network.
 *
 * put/get of an object = optional service-name lookup (one RTT over the client's route when
 * the resolver sits across it; study 2 modelling note "Service discovery") + TCP handshake
 * + the body as a TCP flow over the client's route and the server's backing disk (the disk
 * is a link of the network, so concurrent requests share it fairly with the wire) + one RTT
 * for the last byte and the response + a per-request server overhead. The lookup fails,
 * and the request with it, when the route's RTT exceeds the resolver timeout.
 */
import type { Simulation } from '../core/simulation.js';
import type { Time } from '../core/time.js';
import { LINUX_INITIAL_WINDOW_BYTES, type LinkId, type Network, type RequestTiming } from './network.js';

export interface ObjectStoreSpec {
  name: string;
  /** Server processing per request (auth, metadata, fsync), µs. */
  requestOverhead: Time;
  /** Backing disk write and read bandwidth, bytes/s. */
  diskWriteBandwidth: number;
  diskReadBandwidth: number;
  /** Effective TCP window of the server's connections (receive side for puts, send side for gets), bytes. */
  window: number;
  initialWindow?: number;
  /** Resolver timeout of clients' name lookups, µs (default 5 s: study 2 modelling note "Service discovery"). */
  resolverTimeout?: Time;
}

/** How a client reaches the store. */
export interface ObjectStoreClient {
  /** Links from the client to the server (the data direction of a put). */
  route: readonly LinkId[];
  /** Links from the server to the client (data direction of a get); default: `route`. */
  returnRoute?: readonly LinkId[];
  /** True when the client resolves the service name across the route (Kubernetes service DNS). */
  resolveName?: boolean;
  /** Scales the connection's window for this request (run-to-run throughput jitter). Default 1. */
  windowFactor?: number;
}

export interface ObjectTransfer {
  ok: boolean;
  /** Why it failed (e.g. `dns-timeout`, `no-such-key`). */
  error?: string;
  key: string;
  bytes: number;
  start: Time;
  end: Time;
  /** end − start, µs. */
  duration: Time;
  /** Name lookup time, µs (0 when not resolved across the route). */
  lookup: Time;
  timing?: RequestTiming;
}

/** A MinIO-like object store on one Network. */
export class ObjectStore {
  private readonly objects = new Map<string, number>();
  private readonly routes = new WeakMap<ObjectStoreClient, { route: readonly LinkId[]; back: readonly LinkId[]; put: readonly LinkId[]; get: readonly LinkId[] }>();
  private readonly diskWrite: LinkId;
  private readonly diskRead: LinkId;
  readonly counters = { puts: 0, gets: 0, failures: 0, bytesIn: 0, bytesOut: 0 };

  constructor(private readonly sim: Simulation, private readonly network: Network, readonly spec: ObjectStoreSpec) {
    if (!(spec.window > 0)) throw new RangeError(`object store "${spec.name}": window: expected > 0 bytes, found ${spec.window}`);
    if (!(spec.requestOverhead >= 0)) throw new RangeError(`object store "${spec.name}": requestOverhead: expected ≥ 0 µs, found ${spec.requestOverhead}`);
    this.diskWrite = network.addLink({ name: `${spec.name}/disk-write`, capacity: spec.diskWriteBandwidth });
    this.diskRead = network.addLink({ name: `${spec.name}/disk-read`, capacity: spec.diskReadBandwidth });
  }

  /**
   * The put route (client route + disk write) and get route (disk read + return route) of a
   * client, built once per client object (clients are long-lived; their routes do not change).
   */
  private routesOf(client: ObjectStoreClient): { put: readonly LinkId[]; get: readonly LinkId[] } {
    let r = this.routes.get(client);
    if (r === undefined || r.route !== client.route || r.back !== (client.returnRoute ?? client.route)) {
      const back = client.returnRoute ?? client.route;
      r = { route: client.route, back, put: client.route.concat([this.diskWrite]), get: [this.diskRead as LinkId].concat(back) };
      this.routes.set(client, r);
    }
    return r;
  }

  /** Size in bytes of a stored object, or undefined. */
  sizeOf(key: string): number | undefined {
    return this.objects.get(key);
  }

  /** Remove the object `key` (a client's DELETE; no traffic is modelled). Returns whether it existed. */
  delete(key: string): boolean {
    return this.objects.delete(key);
  }

  /** Upload `bytes` under `key`; `done(record, arg)` gets the transfer record. */
  put<A = undefined>(client: ObjectStoreClient, key: string, bytes: number, done: (r: ObjectTransfer, arg: A) => void, arg?: A): void {
    if (!(bytes >= 0)) throw new RangeError(`object store "${this.spec.name}": put "${key}": bytes: expected ≥ 0, found ${bytes}`);
    this.counters.puts++;
    this.transfer(client, this.routesOf(client).put, key, bytes, true, done, arg as A);
  }

  /** Download the object `key`; fails with `no-such-key` (after one RTT) when absent. */
  get<A = undefined>(client: ObjectStoreClient, key: string, done: (r: ObjectTransfer, arg: A) => void, arg?: A): void {
    this.counters.gets++;
    const size = this.objects.get(key);
    const back = client.returnRoute ?? client.route;
    if (size === undefined) {
      const start = this.sim.now;
      this.sim.schedule(this.network.rtt(back) * 2 + this.spec.requestOverhead, () => {
        this.counters.failures++;
        done({ ok: false, error: 'no-such-key', key, bytes: 0, start, end: this.sim.now, duration: this.sim.now - start, lookup: 0 }, arg as A);
      }, undefined);
      return;
    }
    this.transfer(client, this.routesOf(client).get, key, size, false, done, arg as A);
  }

  private transfer<A>(client: ObjectStoreClient, route: readonly LinkId[], key: string, bytes: number, isPut: boolean, done: (r: ObjectTransfer, arg: A) => void, arg: A): void {
    const start = this.sim.now;
    const rtt = this.network.rtt(client.route);
    const timeout = this.spec.resolverTimeout ?? 5_000_000;
    if (client.resolveName === true && rtt > timeout) {
      this.sim.schedule(timeout, () => {
        this.counters.failures++;
        done({ ok: false, error: 'dns-timeout', key, bytes, start, end: this.sim.now, duration: this.sim.now - start, lookup: timeout }, arg);
      }, undefined);
      return;
    }
    const lookupRtts = client.resolveName === true ? 1 : 0;
    const factor = client.windowFactor ?? 1;
    const rec = new TransferRecord(this, isPut, key, bytes, start, lookupRtts * rtt, done as (r: ObjectTransfer, arg: unknown) => void, arg);
    this.network.request(
      {
        route,
        bytes,
        tcp: { window: this.spec.window * factor, initialWindow: this.spec.initialWindow ?? LINUX_INITIAL_WINDOW_BYTES },
        setupRtts: lookupRtts + 1,
        serverOverhead: this.spec.requestOverhead,
      },
      onTransferTiming,
      rec,
    );
  }

  /** @internal a transfer's response arrived. */
  completed(rec: TransferRecord): void {
    if (rec.isPut) {
      this.objects.set(rec.key, rec.bytes);
      this.counters.bytesIn += rec.bytes;
    } else this.counters.bytesOut += rec.bytes;
    rec.done(rec, rec.arg);
  }
}

/** A successful transfer's record, also carrying its completion callback (one object per request). */
class TransferRecord implements ObjectTransfer {
  readonly ok = true;
  end: Time = -1;
  duration: Time = -1;
  timing?: RequestTiming;
  constructor(
    readonly store: ObjectStore,
    readonly isPut: boolean,
    readonly key: string,
    readonly bytes: number,
    readonly start: Time,
    readonly lookup: Time,
    readonly done: (r: ObjectTransfer, arg: unknown) => void,
    readonly arg: unknown,
  ) {}
}

function onTransferTiming(timing: RequestTiming, rec: TransferRecord): void {
  rec.end = timing.end;
  rec.duration = timing.end - rec.start;
  rec.timing = timing;
  rec.store.completed(rec);
}
