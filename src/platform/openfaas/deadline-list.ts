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
 * Lists of one group share an arming counter. When a list's timer fires, every live entry of
 * the group whose deadline has come is expired in the order (deadline, arming order) — the
 * order in which one kernel event per entry would have run them — and the list re-arms its
 * timer for its next live head, if any.
 *
 * An entry expires at exactly the simulated µs a `schedule(duration, …)` made at its arming
 * would have run, and in the same order relative to the other entries of its group. What can
 * differ from one kernel event per entry is only the order relative to other events (outside
 * the group) due at that very µs: a list timer armed when the previous one fired runs after the
 * events for the same µs scheduled in between.
 */
import type { Scheduler } from '../../core/scheduler.js';
import type { Time } from '../../core/time.js';

/** Handle of an armed entry (a non-negative integer, unique within its list). */
export type DeadlineTicket = number;

/** A set of deadline lists that expire their due entries together, in arming order. */
export class DeadlineGroup {
  /** @internal lists of the group */
  readonly lists: DeadlineList<object>[] = [];
  /** @internal arming counter shared by the lists */
  armed = 0;

  constructor(readonly sim: Scheduler) {}

  /** A new list of the group: timeouts of `duration` µs; `onExpire(item)` runs at a deadline. */
  list<T extends object>(duration: Time, onExpire: (item: T) => void): DeadlineList<T> {
    return new DeadlineList<T>(this.sim, duration, onExpire, this);
  }

  /** @internal expire every due entry of the group armed before `now`'s sweep began, oldest first. */
  expireDue(now: Time): void {
    const lists = this.lists;
    for (const l of lists) l.sweepEnd = l.tail;
    for (;;) {
      let best: DeadlineList<object> | null = null;
      let bestOrder = Infinity;
      for (const l of lists) {
        const h = l.firstLive();
        if (h >= l.sweepEnd) continue;
        const i = h & l.mask;
        if (l.deadlines[i] <= now && l.orders[i] < bestOrder) {
          best = l;
          bestOrder = l.orders[i];
        }
      }
      if (best === null) return;
      best.expireHead();
    }
  }
}

/** Timer state while the list's own timer callback runs (arm() must not schedule then). */
const SWEEPING = -1;

/** A FIFO of (deadline, item) for timeouts of one constant duration, with one kernel timer. */
export class DeadlineList<T extends object> {
  /** Timeout, integer µs (rounded as `Simulation.schedule` rounds a delay). */
  readonly duration: Time;
  private readonly group: DeadlineGroup;
  // Ring buffer indexed by ticket & mask; entries [head, tail) are in the list, dead ones undefined.
  private items: (T | undefined)[];
  /** @internal */
  deadlines: Float64Array;
  /** @internal group arming order of each entry */
  orders: Float64Array;
  /** @internal */
  mask: number;
  private head = 0;
  /** @internal next ticket */
  tail = 0;
  /** @internal tail when the current sweep began */
  sweepEnd = 0;
  private nLive = 0;
  /** Time of the pending kernel timer (Infinity: none; SWEEPING: inside the timer callback). */
  private timerAt: Time = Infinity;

  /**
   * `duration` µs ≥ 0 (the timeout); `onExpire(item)` runs, as a kernel event would, when an
   * entry's deadline comes and it was not cancelled. `group`: expire together with (and in
   * arming order relative to) the group's other lists (default: a group of its own).
   */
  constructor(
    private readonly sim: Scheduler,
    duration: Time,
    private readonly onExpire: (item: T) => void,
    group?: DeadlineGroup,
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
    this.group = group ?? new DeadlineGroup(sim);
    if (this.group.sim !== sim) throw new Error('DeadlineList: the group belongs to another simulation');
    this.group.lists.push(this as unknown as DeadlineList<object>);
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
    this.orders[i] = this.group.armed++;
    this.nLive++;
    // A pending timer is at or before every live deadline, hence before this one (monotone).
    if (this.timerAt === Infinity) {
      this.timerAt = deadline;
      this.sim.schedule(this.duration, this.onTimer, undefined);
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

  /** The kernel timer: expire the group's due entries, then re-arm for the next live head. */
  private readonly onTimer = (): void => {
    const now = this.sim.now;
    this.timerAt = SWEEPING;
    try {
      this.group.expireDue(now);
    } finally {
      this.timerAt = Infinity;
      const h = this.firstLive();
      if (h < this.tail) {
        const d = this.deadlines[h & this.mask];
        this.timerAt = d;
        this.sim.schedule(d - now, this.onTimer, undefined);
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
