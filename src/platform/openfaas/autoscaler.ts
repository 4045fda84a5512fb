/**
 * The OpenFaaS autoscaling loops on the runtime (platform-semantics.md §b.3), driving the pure
 * rules of autoscaler-rules.ts:
 *
 * CE (Prometheus + AlertManager): every evaluation interval (15 s) Prometheus evaluates
 * `APIHighInvocationRate` per function: rate of code-200 invocations over 10 s > 5. A true
 * condition makes the alert pending; it fires at the first evaluation at least `for` (5 s)
 * after it became pending; a false one resolves it. AlertManager sends the first notification
 * `group_wait` (5 s) after the alert fires; then, at every `group_interval` (10 s) flush, it
 * sends "resolved" once the alert resolved (send_resolved: true), or re-sends "firing" when
 * `repeat_interval` (30 s) passed since the last notification. The gateway's alert handler
 * applies `ceAlertReplicas` to each notification.
 *
 * Pro: every `pollInterval` (not public [UNCERTAIN]; default 5 s here, an assumption) the
 * load per Ready pod for the function's scale type (rps: invocations/s over the poll interval;
 * capacity: in-flight calls; cpu: milli-CPU used over the poll interval; queue: async messages
 * waiting) gives `proDesiredReplicas`, then the scale-down window; with `zero` the function is
 * scaled to 0 after `zero-duration` without invocations (`shouldScaleToZero`). Functions at 0
 * replicas are left to the gateway (scale from zero).
 */
import type { Simulation } from '../../core/simulation.js';
import { SECOND, type Time } from '../../core/time.js';
import {
  CE_ALERT_FOR, CE_ALERT_RATE_WINDOW, ProScaleDownWindow, ceAlertCondition, ceAlertReplicas, proDesiredReplicas, shouldScaleToZero,
  type AlertStatus,
} from './autoscaler-rules.js';
import type { OpenFaasFunction } from './function.js';

/** Prometheus evaluation interval, AlertManager group_wait / group_interval / repeat_interval [§b.3]. */
export const PROMETHEUS_EVALUATION_INTERVAL = 15 * SECOND;
export const ALERTMANAGER_GROUP_WAIT = 5 * SECOND;
export const ALERTMANAGER_GROUP_INTERVAL = 10 * SECOND;
export const ALERTMANAGER_REPEAT_INTERVAL = 30 * SECOND;
/** Pro autoscaler poll interval: not public [UNCERTAIN]; assumption 5 s. */
export const PRO_POLL_INTERVAL_ASSUMED = 5 * SECOND;

/** One scaling action, for traces and tests. */
export interface ScaleEvent {
  time: Time;
  fn: string;
  from: number;
  to: number;
  cause: 'firing' | 'resolved' | 'pro' | 'pro-zero' | 'idler';
}

interface AlertState {
  fn: OpenFaasFunction;
  state: 'inactive' | 'pending' | 'firing';
  pendingSince: Time;
  /** AlertManager group: sending notifications for this alert. */
  group: boolean;
  lastSent: Time;
  lastSentStatus: AlertStatus | null;
  flushTimer: boolean;
}

/** The CE alert-driven autoscaler. */
export class CeAutoscaler {
  readonly events: ScaleEvent[] = [];
  private readonly states: AlertState[] = [];
  private stopEval: (() => void) | null = null;

  constructor(readonly sim: Simulation, fns: readonly OpenFaasFunction[], readonly evaluationInterval: Time = PROMETHEUS_EVALUATION_INTERVAL) {
    for (const fn of fns) this.add(fn);
  }

  add(fn: OpenFaasFunction): void {
    this.states.push({ fn, state: 'inactive', pendingSince: -1, group: false, lastSent: -1, lastSentStatus: null, flushTimer: false });
  }

  start(): void {
    if (this.stopEval === null) this.stopEval = this.sim.every(this.evaluationInterval, (now) => this.evaluate(now));
  }

  stop(): void {
    this.stopEval?.();
    this.stopEval = null;
  }

  /** One Prometheus rule evaluation at `now`. */
  evaluate(now: Time): void {
    for (const s of this.states) {
      const cond = ceAlertCondition(s.fn.rate(now, CE_ALERT_RATE_WINDOW, true));
      if (cond) {
        if (s.state === 'inactive') {
          s.state = 'pending';
          s.pendingSince = now;
        }
        if (s.state === 'pending' && now - s.pendingSince >= CE_ALERT_FOR) {
          s.state = 'firing';
          if (!s.group) {
            s.group = true;
            s.lastSentStatus = null;
            this.sim.schedule(ALERTMANAGER_GROUP_WAIT, this.flush, s);
            s.flushTimer = true;
          }
        }
      } else if (s.state !== 'inactive') {
        s.state = 'inactive';
        s.pendingSince = -1;
      }
    }
  }

  private readonly flush = (s: AlertState): void => {
    const now = this.sim.now;
    s.flushTimer = false;
    if (s.state === 'firing') {
      if (s.lastSentStatus !== 'firing' || now - s.lastSent >= ALERTMANAGER_REPEAT_INTERVAL) this.notify(s, 'firing', now);
    } else {
      if (s.lastSentStatus === 'firing') this.notify(s, 'resolved', now);
      s.group = false;
      return;
    }
    s.flushTimer = true;
    this.sim.schedule(ALERTMANAGER_GROUP_INTERVAL, this.flush, s);
  };

  private notify(s: AlertState, status: AlertStatus, now: Time): void {
    s.lastSent = now;
    s.lastSentStatus = status;
    const fn = s.fn;
    const from = fn.replicas;
    const to = ceAlertReplicas(status, from, fn.maxReplicas, fn.minReplicas, fn.scalingFactor);
    if (to !== from) {
      fn.setReplicas(to);
      this.events.push({ time: now, fn: fn.name, from, to, cause: status });
    }
  }
}

/** The Pro autoscaler. */
export class ProAutoscaler {
  readonly events: ScaleEvent[] = [];
  private readonly entries: { fn: OpenFaasFunction; window: ProScaleDownWindow; lastInv: number; lastCpu: number; lastT: Time }[] = [];
  private stopPoll: (() => void) | null = null;

  constructor(readonly sim: Simulation, fns: readonly OpenFaasFunction[], readonly pollInterval: Time = PRO_POLL_INTERVAL_ASSUMED) {
    if (!(pollInterval > 0)) throw new RangeError(`pro autoscaler: pollInterval: expected > 0 µs, found ${pollInterval}`);
    for (const fn of fns) this.add(fn);
  }

  add(fn: OpenFaasFunction): void {
    this.entries.push({ fn, window: new ProScaleDownWindow(fn.pro.downWindow), lastInv: fn.invocations, lastCpu: cpuUsed(fn), lastT: this.sim.now });
  }

  start(): void {
    if (this.stopPoll === null) this.stopPoll = this.sim.every(this.pollInterval, (now) => this.poll(now));
  }

  stop(): void {
    this.stopPoll?.();
    this.stopPoll = null;
  }

  /** One autoscaler pass at `now`. */
  poll(now: Time): void {
    for (const e of this.entries) {
      const fn = e.fn;
      const dt = (now - e.lastT) / SECOND;
      const inv = fn.invocations;
      const cpu = cpuUsed(fn);
      const rps = dt > 0 ? (inv - e.lastInv) / dt : 0;
      const milliCpu = dt > 0 ? ((cpu - e.lastCpu) / (now - e.lastT)) * 1000 : 0;
      e.lastInv = inv;
      e.lastCpu = cpu;
      e.lastT = now;
      const from = fn.replicas;
      if (from === 0) continue;
      if (fn.pro.zero && fn.inflight === 0 && fn.queued === 0 && shouldScaleToZero(now, fn.lastInvocation, fn.pro.zeroDuration, true, fn.createdAt)) {
        fn.setReplicas(0);
        this.events.push({ time: now, fn: fn.name, from, to: 0, cause: 'pro-zero' });
        continue;
      }
      const ready = fn.availableReplicas;
      if (ready === 0) continue;
      let total: number;
      switch (fn.pro.type) {
        case 'rps': total = rps; break;
        case 'capacity': total = fn.inflight; break;
        case 'cpu': total = milliCpu; break;
        case 'queue': total = fn.queued; break;
      }
      const desired = proDesiredReplicas(ready, total / ready, fn.pro);
      const to = desired < from ? Math.min(from, e.window.recommend(now, desired)) : (e.window.recommend(now, desired), desired);
      if (to !== from) {
        fn.setReplicas(to);
        this.events.push({ time: now, fn: fn.name, from, to, cause: 'pro' });
      }
    }
  }
}

/** CPU-µs used so far by the function's live pods. */
function cpuUsed(fn: OpenFaasFunction): number {
  let s = 0;
  for (const p of fn.deployment.pods) if (p.cpuGroup !== null && p.node !== null) s += p.node.cpu.usageOf(p.cpuGroup);
  return s;
}
