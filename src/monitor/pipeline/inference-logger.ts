/**
 * The Inference Logger timing model (calibration-targets.md study 3, "Inference Logger" table,
 * data-flow steps 3–4, modelling notes 1a and 8): the KFServing logger sidecar of the model pod
 * posts each request as a CloudEvent, asynchronously, to the Inference Logger (a Knative
 * Service, one pod in the study); its handler turns it into a `{type, id, time, payload}`
 * message and hands it to the shared Kafka producer in a goroutine, without waiting for the
 * broker.
 *
 * Model: the event reaches the logger after a hop (sidecar dispatch + network + the logger's
 * queue-proxy); the logger pods serve events FIFO, one at a time per pod (the serial part of
 * queue-proxy + handler, whose latency rises with load because there is a single pod, CT3-16);
 * at the end of its service the message goes to the producer. Event time is the pod-arrival
 * time of the request (§6.3), floored to whole seconds by default (public code: CloudEvent time
 * in Unix seconds; modelling note 11) or exact.
 *
 * Accounting: per-event CPU of the HTTP server container (CT3-17), constant memory (CT3-18),
 * the concurrency integral per second (for the KPA check of CT3-15), latencies per stage.
 */
import type { Distribution } from '../../core/distributions.js';
import type { RandomStream } from '../../core/random.js';
import type { Simulation } from '../../core/simulation.js';
import { SECOND, type Time } from '../../core/time.js';
import type { InferenceRecord } from '../record.js';
import { ByteSeries, type Producer } from './message-bus.js';

/** A record as the logger writes it: the monitor's record plus its request id, exact time and stage. */
export interface LoggedRecord extends InferenceRecord {
  /** Request id (the message's `id`). */
  readonly id: number;
  /** Exact request time (pod arrival), µs; `eventTime` may be floored. */
  readonly requestTime: Time;
  /** Closed-loop stage of the request (−1 if none). */
  readonly stage: number;
  /** Ground truth: bit f set when feature f holds an injected outlier. */
  readonly outlierMask: number;
}

/** Event time of a request: floored to whole seconds ('second', the public code) or exact. Pure. */
export function eventTimeOf(requestTime: Time, resolution: 'second' | 'exact'): Time {
  return resolution === 'second' ? Math.floor(requestTime / SECOND) * SECOND : requestTime;
}

export interface InferenceLoggerOptions {
  /** Sidecar → logger hop (dispatch, network, queue-proxy), seconds. */
  hop: Distribution;
  /** Serial service time per event per pod, seconds (fitted to CT3-16). */
  service: Distribution;
  /** CPU of the HTTP server container per event, core-seconds (fitted to CT3-17). */
  cpuPerEvent: number;
  /** Kafka message size, bytes (≈161 B, derived from CT3-22). */
  messageBytes: number;
  /** Event-time resolution (modelling note 11; default 'second'). */
  timeResolution?: 'second' | 'exact';
  /** Logger pods (1 in the study, CT3-15). */
  pods?: number;
  /** Random substream for hops and service times. */
  rng: RandomStream;
}

interface Pending {
  rec: LoggedRecord;
  arrival: Time;
}

/** The Inference Logger service. */
export class InferenceLogger {
  /** Events received from sidecars / produced to the bus. */
  received = 0;
  produced = 0;
  /** Events in the logger (queued or in service) now, and the peak. */
  inSystem = 0;
  peakInSystem = 0;
  /** CPU-µs of the HTTP server container per 1 s bin. */
  readonly cpu = new ByteSeries();
  /** ∫ concurrency dt per 1 s bin (µs). */
  readonly concurrency = new ByteSeries();
  /** Server-side latency (arrival at the logger → response), µs, and the request's stage, in completion order. */
  latency: number[] = [];
  latencyStage: number[] = [];
  private readonly queue: Pending[] = [];
  private qHead = 0;
  private busy = 0;
  private lastT = 0;
  private readonly pods: number;
  private readonly resolution: 'second' | 'exact';
  private readonly arriveEvent = (p: Pending): void => this.arrive(p);
  private readonly doneEvent = (p: Pending): void => this.done(p);

  constructor(private readonly sim: Simulation, private readonly producer: Producer<LoggedRecord>, private readonly opts: InferenceLoggerOptions) {
    this.pods = opts.pods ?? 1;
    if (!(Number.isInteger(this.pods) && this.pods >= 1)) throw new RangeError(`inference logger: pods: expected an integer ≥ 1, found ${opts.pods}`);
    if (!(opts.cpuPerEvent >= 0)) throw new RangeError(`inference logger: cpuPerEvent: expected ≥ 0 core-s, found ${opts.cpuPerEvent}`);
    if (!(opts.messageBytes > 0)) throw new RangeError(`inference logger: messageBytes: expected > 0, found ${opts.messageBytes}`);
    this.resolution = opts.timeResolution ?? 'second';
  }

  /**
   * The model pod's logger sidecar saw a request now (its pod arrival): post its CloudEvent.
   * Returns the record that will be produced.
   */
  log(id: number, features: Float64Array, stage: number, outlierMask: number, revision?: string, prediction?: number): LoggedRecord {
    const now = this.sim.now;
    const rec: LoggedRecord = { id, requestTime: now, eventTime: eventTimeOf(now, this.resolution), features, stage, outlierMask, revision, prediction };
    const hop = Math.max(0, Math.round(this.opts.hop.sample(this.opts.rng) * SECOND));
    this.sim.schedule(hop, this.arriveEvent, { rec, arrival: 0 });
    return rec;
  }

  private integrate(now: Time): void {
    const dt = now - this.lastT;
    if (dt > 0 && this.inSystem > 0) {
      // split across second bins so that per-second averages are exact
      let t = this.lastT;
      while (t < now) {
        const edge = Math.min(now, (Math.floor(t / SECOND) + 1) * SECOND);
        this.concurrency.add(t, this.inSystem * (edge - t));
        t = edge;
      }
    }
    this.lastT = now;
  }

  private arrive(p: Pending): void {
    const now = this.sim.now;
    this.integrate(now);
    p.arrival = now;
    this.received++;
    this.inSystem++;
    if (this.inSystem > this.peakInSystem) this.peakInSystem = this.inSystem;
    if (this.busy < this.pods) this.startService(p);
    else this.queue.push(p);
  }

  private startService(p: Pending): void {
    this.busy++;
    const s = Math.max(1, Math.round(this.opts.service.sample(this.opts.rng) * SECOND));
    this.sim.schedule(s, this.doneEvent, p);
  }

  private done(p: Pending): void {
    const now = this.sim.now;
    this.integrate(now);
    this.inSystem--;
    this.busy--;
    this.cpu.add(now, this.opts.cpuPerEvent * SECOND);
    this.latency.push(now - p.arrival);
    this.latencyStage.push(p.rec.stage);
    this.producer.send(p.rec, this.opts.messageBytes);
    this.produced++;
    if (this.qHead < this.queue.length) {
      const next = this.queue[this.qHead++];
      if (this.qHead > 1024 && this.qHead * 2 > this.queue.length) {
        this.queue.splice(0, this.qHead);
        this.qHead = 0;
      }
      this.startService(next);
    }
  }

  /** Per-second average concurrency (events in the logger), for seconds [0, n). */
  averageConcurrency(n: number): Float64Array {
    this.integrate(this.sim.now);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = this.concurrency.at(i) / SECOND;
    return out;
  }
}

/**
 * Pods the KPA asks for from per-second average concurrencies (platform-semantics.md §a:
 * stable window 60 s, panic window 6 s, target × utilisation per pod, panic when the panic
 * desire reaches 2× the ready pods; panic never scales down). Evaluated every 2 s from
 * `second` 0; returns the highest desired pod count. Pure.
 */
export function kpaMaxDesiredPods(perSecond: ArrayLike<number>, target: number, utilisation = 0.7, readyPods = 1): number {
  const perPod = target * utilisation;
  let max = readyPods;
  const mean = (from: number, to: number): number => {
    let s = 0;
    for (let i = Math.max(0, from); i < to; i++) s += perSecond[i];
    return s / Math.max(1, to - Math.max(0, from));
  };
  for (let t = 2; t <= perSecond.length; t += 2) {
    const stable = Math.ceil(mean(t - 60, t) / perPod);
    const panic = Math.ceil(mean(t - 6, t) / perPod);
    const want = panic / readyPods >= 2 ? Math.max(stable, panic) : stable;
    if (want > max) max = want;
  }
  return max;
}
