/**
 * Deadline lists: per-call timeouts of one constant duration (the gateway's write and upstream
 * timeouts, the CE queue-worker's ack wait, platform-semantics.md §b.1–§b.2) kept in a FIFO
 * instead of one kernel event each.
 *
 * Every entry of a list is armed at `now + duration` with the list's constant `duration`, so
 * deadlines are non-decreasing in arming order and the FIFO is sorted by deadline. One kernel
 * timer per list is pending at or before its earliest live deadline. Cancelling an entry only
 * marks it dead (O(1), no heap operation); dead entries at the head are dropped at once.
 *
 * Each entry takes a kernel ordering token when it is armed (`Simulation.reserveOrder`), and
 * the list's timer is scheduled at the head's deadline with the head's token
 * (`scheduleAtOrder`), so an entry expires at exactly the simulated µs, and in exactly the
 * position among the events of that µs, that a `schedule(duration, …)` made at its arming would
 * have had: the same results as one kernel event per call, with one pending event per list.
 */
import type { Simulation } from '../../core/simulation.js';
import type { Time } from '../../core/time.js';

/** Handle of an armed entry (a non-negative integer, unique within its list). */
export type DeadlineTicket = number;

/** Timer state while the list's own timer callback runs (arm() must not schedule then). */
const SWEEPING = -1;

/** A FIFO of (deadline, item) for timeouts of one constant duration, with one kernel timer. */
export class DeadlineList<T extends object> {
  /** Timeout, integer µs (rounded as `Simulation.schedule` rounds a delay). */
  readonly duration: Time;
  // Ring buffer indexed by ticket & mask; entries [head, tail) are in the list, dead ones undefined.
  private items: (T | undefined)[];
  /** @internal */
  deadlines: Float64Array;
  /** @internal kernel ordering token of each entry (taken when armed) */
  orders: Float64Array;
  /** @internal */
  mask: number;
  private head = 0;
  /** @internal next ticket */
  tail = 0;
  private nLive = 0;
  /** Time of the pending kernel timer (Infinity: none; SWEEPING: inside the timer callback). */
  private timerAt: Time = Infinity;
  private timerOrder = -1;

  /**
   * `duration` µs ≥ 0 (the timeout); `onExpire(item)` runs, as a kernel event would, when an
   * entry's deadline comes and it was not cancelled.
   */
  constructor(
    private readonly sim: Simulation,
    duration: Time,
    private readonly onExpire: (item: T) => void,
  ) {
    if (!(duration >= 0 && duration !== Infinity)) {
      throw new RangeError(`DeadlineList: duration: expected a finite number of µs ≥ 0, found ${duration}`);
    }
    this.duration = Number.isInteger(duration) ? duration : Math.round(duration);
    const c = 16;
    this.items = new Array<T | undefined>(c).fill(undefined);
    this.deadlines = new Float64Array(c);
    this.orders = new Float64Array(c);
    this.mask = c - 1;
  }

  /** Live (armed, not cancelled, not expired) entries. */
  get live(): number {
    return this.nLive;
  }

  /** Earliest live deadline, µs (Infinity when none). */
  get nextDeadline(): Time {
    const h = this.firstLive();
    return h < this.tail ? this.deadlines[h & this.mask] : Infinity;
  }

  /** Arm `item` to expire at now + duration; returns the ticket that cancels it. */
  arm(item: T): DeadlineTicket {
    if (this.tail - this.head > this.mask) this.grow();
    const t = this.tail++;
    const i = t & this.mask;
    const deadline = this.sim.now + this.duration;
    this.items[i] = item;
    this.deadlines[i] = deadline;
    this.orders[i] = this.sim.reserveOrder();
    this.nLive++;
    // A pending timer is at or before every live deadline, hence before this one (monotone).
    if (this.timerAt === Infinity) {
      this.timerAt = deadline;
      this.timerOrder = this.orders[i];
      this.sim.scheduleAtOrder(deadline, this.orders[i], this.onTimer, undefined);
    }
    return t;
  }

  /** Cancel an armed entry: it is marked dead. False if it already expired or was cancelled. */
  cancel(ticket: DeadlineTicket): boolean {
    if (ticket < this.head || ticket >= this.tail) return false;
    const i = ticket & this.mask;
    if (this.items[i] === undefined) return false;
    this.items[i] = undefined;
    this.nLive--;
    if (ticket === this.head) this.firstLive();
    return true;
  }

  /** @internal ticket of the first live entry, dropping dead ones at the head (tail when none). */
  firstLive(): number {
    const items = this.items, mask = this.mask, tail = this.tail;
    let h = this.head;
    while (h < tail && items[h & mask] === undefined) h++;
    this.head = h;
    return h;
  }

  /** @internal remove the (live) head and run its expiry. */
  expireHead(): void {
    const h = this.head;
    const i = h & this.mask;
    const item = this.items[i] as T;
    this.items[i] = undefined;
    this.nLive--;
    this.head = h + 1;
    this.onExpire(item);
  }

  /** The kernel timer: expire the head (when it is the entry the timer was armed for), then re-arm for the next live head. */
  private readonly onTimer = (): void => {
    this.timerAt = SWEEPING;
    try {
      const h = this.firstLive();
      if (h < this.tail && this.orders[h & this.mask] === this.timerOrder) this.expireHead();
    } finally {
      this.timerAt = Infinity;
      const h = this.firstLive();
      if (h < this.tail) {
        const d = this.deadlines[h & this.mask];
        this.timerAt = d;
        this.timerOrder = this.orders[h & this.mask];
        this.sim.scheduleAtOrder(d, this.timerOrder, this.onTimer, undefined);
      }
    }
  };

  private grow(): void {
    const oldItems = this.items, oldDeadlines = this.deadlines, oldOrders = this.orders, oldMask = this.mask;
    const c = (oldMask + 1) * 2;
    const items = new Array<T | undefined>(c).fill(undefined);
    const deadlines = new Float64Array(c);
    const orders = new Float64Array(c);
    const mask = c - 1;
    for (let t = this.head; t < this.tail; t++) {
      items[t & mask] = oldItems[t & oldMask];
      deadlines[t & mask] = oldDeadlines[t & oldMask];
      orders[t & mask] = oldOrders[t & oldMask];
    }
    this.items = items;
    this.deadlines = deadlines;
    this.orders = orders;
    this.mask = mask;
  }
}
