/**
 * Markov-modulated Poisson process (MMPP): a continuous-time Markov chain over states, each
 * with its own Poisson rate. The bursty on-off source is the two-state case (rate 0 when off
 * by default). Sojourn times are exponential with the given means; on leaving a state the
 * next one is drawn from the transition row (default: uniform over the other states).
 *
 * One pending event at a time: the next arrival inside the current sojourn, or the state
 * change at its end (the exponential is memoryless, so redrawing after a switch is exact).
 */
import type { Time } from '../../core/time.js';
import { SECOND } from '../../core/time.js';
import { ArrivalOptionError, ArrivalSourceBase, checkNumber, type CommonArrivalOptions } from './arrival-source.js';

export interface MmppOptions extends CommonArrivalOptions {
  /** Arrival rate in each state, arrivals per second (≥ 0). */
  rates: readonly number[];
  /** Mean sojourn time in each state, µs (> 0). */
  meanSojourn: readonly Time[];
  /** Transition probabilities on leaving state i (row i, zero diagonal, rows sum to 1). Default: uniform over the other states. */
  transitions?: readonly (readonly number[])[];
  /** Initial state (default: drawn from the stationary distribution of time spent). */
  initialState?: number;
}

export interface OnOffOptions extends CommonArrivalOptions {
  /** Rate while on, arrivals/s. */
  onRate: number;
  /** Rate while off, arrivals/s (default 0). */
  offRate?: number;
  /** Mean on period, µs. */
  meanOn: Time;
  /** Mean off period, µs. */
  meanOff: Time;
  /** Start in the on state (default: drawn with probability meanOn/(meanOn+meanOff)). */
  startOn?: boolean;
}

function fireMmpp(src: MmppArrivals): void {
  src.fire();
}

/** MMPP arrivals. Default stream "workload.mmpp". */
export class MmppArrivals extends ArrivalSourceBase {
  private readonly ratesUs: Float64Array;
  private readonly sojourn: Float64Array;
  private readonly cumTrans: Float64Array[];
  private readonly initial: number | undefined;
  private state = 0;
  private stateEnd = 0;
  private t = 0;
  private nextIsArrival = false;
  private nextT = 0;
  /** Simulated µs spent in each state so far (up to the last event). */
  readonly timeInState: Float64Array;
  /** Arrivals emitted in each state. */
  readonly arrivalsInState: Float64Array;
  /** Number of state changes so far. */
  transitions = 0;

  constructor(opts: MmppOptions) {
    super(opts, 'workload.mmpp');
    const k = opts.rates?.length ?? 0;
    if (k < 1) throw new ArrivalOptionError('rates', 'a non-empty array of rates (arrivals/s)', opts.rates);
    if (opts.meanSojourn?.length !== k) throw new ArrivalOptionError('meanSojourn', `${k} mean sojourn times (µs), one per state`, opts.meanSojourn);
    this.ratesUs = Float64Array.from(opts.rates, (r, i) => checkNumber(`rates[${i}]`, r, 0) / SECOND);
    this.sojourn = Float64Array.from(opts.meanSojourn, (m, i) => checkNumber(`meanSojourn[${i}]`, m, 0, true));
    this.cumTrans = [];
    for (let i = 0; i < k; i++) {
      const row = opts.transitions?.[i] ?? Array.from({ length: k }, (_, j) => (k === 1 ? 1 : j === i ? 0 : 1 / (k - 1)));
      if (row.length !== k) throw new ArrivalOptionError(`transitions[${i}]`, `${k} probabilities`, row);
      const cum = new Float64Array(k);
      let s = 0;
      for (let j = 0; j < k; j++) {
        s += checkNumber(`transitions[${i}][${j}]`, row[j], 0);
        cum[j] = s;
      }
      if (Math.abs(s - 1) > 1e-9) throw new ArrivalOptionError(`transitions[${i}]`, 'probabilities summing to 1', s);
      cum[k - 1] = 1;
      this.cumTrans.push(cum);
    }
    if (opts.initialState !== undefined && !(Number.isInteger(opts.initialState) && opts.initialState >= 0 && opts.initialState < k)) {
      throw new ArrivalOptionError('initialState', `an integer state index in [0, ${k - 1}]`, opts.initialState);
    }
    this.initial = opts.initialState;
    this.timeInState = new Float64Array(k);
    this.arrivalsInState = new Float64Array(k);
  }

  /** Current state index. */
  get currentState(): number {
    return this.state;
  }

  protected begin(t0: Time): void {
    this.t = t0;
    if (this.initial !== undefined) this.state = this.initial;
    else {
      // Long-run share of time in state i ∝ (embedded-chain stationary π_i)·meanSojourn_i;
      // with the default uniform transitions π is uniform, so weights ∝ meanSojourn.
      let total = 0;
      for (let i = 0; i < this.sojourn.length; i++) total += this.sojourn[i];
      let u = this.rng.next() * total;
      this.state = 0;
      while (this.state < this.sojourn.length - 1 && u >= this.sojourn[this.state]) u -= this.sojourn[this.state++];
    }
    this.stateEnd = t0 + this.rng.exponential(this.sojourn[this.state]);
    this.advance();
  }

  private advance(): void {
    const r = this.ratesUs[this.state];
    const next = r > 0 ? this.t + this.rng.exponential(1 / r) : Infinity;
    this.nextIsArrival = next < this.stateEnd;
    this.nextT = this.nextIsArrival ? next : this.stateEnd;
    this.arm(this.nextT, fireMmpp);
  }

  /** @internal event callback */
  fire(): void {
    this.timeInState[this.state] += this.nextT - this.t;
    this.t = this.nextT;
    if (this.nextIsArrival) {
      this.arrivalsInState[this.state]++;
      this.emit(this.pickFunction(), -1);
    } else {
      const cum = this.cumTrans[this.state];
      const u = this.rng.next();
      let j = 0;
      while (j < cum.length - 1 && u >= cum[j]) j++;
      this.state = j;
      this.transitions++;
      this.stateEnd = this.t + this.rng.exponential(this.sojourn[j]);
    }
    this.advance();
  }
}

/** Bursty on-off source: a two-state MMPP. Default stream "workload.onoff". */
export function onOffArrivals(opts: OnOffOptions): MmppArrivals {
  const on = checkNumber('meanOn', opts.meanOn, 0, true);
  const off = checkNumber('meanOff', opts.meanOff, 0, true);
  return new MmppArrivals({
    ...opts,
    stream: opts.stream ?? 'workload.onoff',
    rates: [opts.onRate, opts.offRate ?? 0],
    meanSojourn: [on, off],
    initialState: opts.startOn === undefined ? undefined : opts.startOn ? 0 : 1,
  });
}
