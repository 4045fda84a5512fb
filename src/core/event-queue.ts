/**
 * The event queue: a binary min-heap over typed arrays (struct of arrays), ordered by
 * (time, insertion sequence). Cancellation is lazy: a cancelled entry stays in the heap
 * with its callback cleared and is skipped when popped; when cancelled entries outnumber the
 * live ones (and exceed 256) the heap is compacted.
 *
 * Handles encode (slot, generation) so that a stale handle never cancels a reused slot.
 */

/** Callback invoked when an event fires. */
export type EventCallback<T = unknown> = (arg: T) => void;

/** Opaque handle of a scheduled event (a non-negative integer). */
export type EventId = number;

const SLOT_BITS = 2 ** 22; // up to 4,194,304 simultaneously pending events
/** Cancelled entries tolerated in the heap before a compaction is considered. */
const COMPACT_MIN_DEAD = 256;

export class EventQueue {
  // Heap (struct of arrays): entry i has time hTime[i], sequence hSeq[i], slot hSlot[i].
  private hTime: Float64Array;
  private hSeq: Float64Array;
  private hSlot: Int32Array;
  private size = 0;
  // Slots hold the payload of pending events.
  private fns: (EventCallback<never> | null)[] = [];
  private args: unknown[] = [];
  private gen: Uint32Array;
  private freeSlots: Int32Array;
  private freeTop = 0;
  private slotCount = 0;
  private seq = 0;
  private live = 0;

  constructor(initialCapacity = 1024) {
    const cap = Math.max(16, initialCapacity);
    this.hTime = new Float64Array(cap);
    this.hSeq = new Float64Array(cap);
    this.hSlot = new Int32Array(cap);
    this.gen = new Uint32Array(cap);
    this.freeSlots = new Int32Array(cap);
  }

  /** Number of pending (not cancelled, not yet fired) events. */
  get pending(): number {
    return this.live;
  }

  /** Total number of events ever pushed (the next insertion sequence number). */
  get pushed(): number {
    return this.seq;
  }

  /** Take the next insertion sequence number without inserting an event (an ordering token). */
  reserveSeq(): number {
    return this.seq++;
  }

  /** Insert an event at absolute time `time`; returns its handle. */
  push<T>(time: number, fn: EventCallback<T>, arg: T): EventId {
    return this.pushSeq(time, this.seq++, fn, arg);
  }

  /** Insert an event ordered, among the events of its time, by a sequence number from reserveSeq(). */
  pushSeq<T>(time: number, seq: number, fn: EventCallback<T>, arg: T): EventId {
    let slot: number;
    if (this.freeTop > 0) {
      slot = this.freeSlots[--this.freeTop];
    } else {
      slot = this.slotCount++;
      if (slot >= this.gen.length) this.growSlots();
      if (slot >= SLOT_BITS) throw new Error(`event queue: more than ${SLOT_BITS} pending events`);
    }
    this.fns[slot] = fn as EventCallback<never>;
    this.args[slot] = arg;
    const gen = this.gen[slot];

    if (this.size === this.hTime.length) this.growHeap();
    // sift up
    const hTime = this.hTime, hSeq = this.hSeq, hSlot = this.hSlot;
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = hTime[p];
      if (pt < time || (pt === time && hSeq[p] < seq)) break;
      hTime[i] = pt; hSeq[i] = hSeq[p]; hSlot[i] = hSlot[p];
      i = p;
    }
    hTime[i] = time; hSeq[i] = seq; hSlot[i] = slot;
    this.live++;
    return gen * SLOT_BITS + slot;
  }

  /** Cancel a pending event. Returns false if it already fired or was cancelled. */
  cancel(id: EventId): boolean {
    const gen = Math.floor(id / SLOT_BITS);
    const slot = id - gen * SLOT_BITS;
    if (slot >= this.slotCount || this.gen[slot] !== gen || this.fns[slot] === null) return false;
    this.fns[slot] = null;
    this.args[slot] = undefined;
    this.live--;
    // Long timeouts that are almost always cancelled would otherwise pile up until their time
    // comes, making every push/pop walk a deeper heap: drop them once they outnumber the live
    // entries (amortised O(1) per cancellation; the pop order is unchanged).
    const dead = this.size - this.live;
    if (dead > COMPACT_MIN_DEAD && dead > this.live) this.compact();
    return true;
  }

  /** Heap entries, cancelled ones not yet dropped included (diagnostics and tests). */
  get heapEntries(): number {
    return this.size;
  }

  /** Drop every cancelled entry and restore the heap (bottom-up heapify). */
  private compact(): void {
    const hTime = this.hTime, hSeq = this.hSeq, hSlot = this.hSlot;
    let j = 0;
    for (let i = 0; i < this.size; i++) {
      const sl = hSlot[i];
      if (this.fns[sl] === null) {
        this.releaseSlot(sl);
        continue;
      }
      hTime[j] = hTime[i];
      hSeq[j] = hSeq[i];
      hSlot[j] = sl;
      j++;
    }
    this.size = j;
    for (let i = (j >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  /** Move entry i down to its place in the heap. */
  private siftDown(i: number): void {
    const hTime = this.hTime, hSeq = this.hSeq, hSlot = this.hSlot;
    const n = this.size;
    const t = hTime[i], s = hSeq[i], sl = hSlot[i];
    const half = n >> 1;
    while (i < half) {
      let c = 2 * i + 1;
      let ct = hTime[c], cs = hSeq[c];
      const r = c + 1;
      if (r < n) {
        const rt = hTime[r], rs = hSeq[r];
        if (rt < ct || (rt === ct && rs < cs)) { c = r; ct = rt; cs = rs; }
      }
      if (t < ct || (t === ct && s < cs)) break;
      hTime[i] = ct; hSeq[i] = cs; hSlot[i] = hSlot[c];
      i = c;
    }
    hTime[i] = t; hSeq[i] = s; hSlot[i] = sl;
  }

  /** Whether the event with this handle is still pending. */
  isPending(id: EventId): boolean {
    const gen = Math.floor(id / SLOT_BITS);
    const slot = id - gen * SLOT_BITS;
    return slot < this.slotCount && this.gen[slot] === gen && this.fns[slot] !== null;
  }

  /** Time of the earliest pending event, or Infinity when none is pending. Drops cancelled heads. */
  peekTime(): number {
    while (this.size > 0) {
      const slot = this.hSlot[0];
      if (this.fns[slot] !== null) return this.hTime[0];
      this.removeTop();
      this.releaseSlot(slot);
    }
    return Infinity;
  }

  /**
   * Pop the earliest pending event if it is at or before `limit` and return its time; its
   * callback and argument are left in `poppedFn` / `poppedArg`. Returns -1 (leaving the queue
   * as it is) when the queue is empty or the next event is later than `limit`.
   */
  popUntil(limit: number): number {
    while (this.size > 0) {
      const slot = this.hSlot[0];
      const fn = this.fns[slot];
      if (fn === null) {
        this.removeTop();
        this.releaseSlot(slot);
        continue;
      }
      const time = this.hTime[0];
      if (time > limit) return -1;
      this.removeTop();
      this.poppedFn = fn;
      this.poppedArg = this.args[slot];
      this.fns[slot] = null;
      this.args[slot] = undefined;
      this.live--;
      this.releaseSlot(slot);
      return time;
    }
    return -1;
  }

  /** Callback and argument of the event the last pop()/popUntil() returned. */
  poppedFn: EventCallback<never> | null = null;
  poppedArg: unknown = undefined;

  /** Pop the earliest pending event and return its time (-1 when the queue is empty). */
  pop(): number {
    return this.popUntil(Infinity);
  }

  private releaseSlot(slot: number): void {
    this.gen[slot] = (this.gen[slot] + 1) & 0x7fffffff; // keeps handles below 2^53
    if (this.freeTop === this.freeSlots.length) {
      const n = new Int32Array(this.freeSlots.length * 2);
      n.set(this.freeSlots);
      this.freeSlots = n;
    }
    this.freeSlots[this.freeTop++] = slot;
  }

  private removeTop(): void {
    const n = --this.size;
    if (n === 0) return;
    // the last entry moves to the root and sinks to its place
    this.hTime[0] = this.hTime[n];
    this.hSeq[0] = this.hSeq[n];
    this.hSlot[0] = this.hSlot[n];
    this.siftDown(0);
  }

  private growHeap(): void {
    const cap = this.hTime.length * 2;
    const t = new Float64Array(cap); t.set(this.hTime); this.hTime = t;
    const s = new Float64Array(cap); s.set(this.hSeq); this.hSeq = s;
    const l = new Int32Array(cap); l.set(this.hSlot); this.hSlot = l;
  }

  private growSlots(): void {
    const g = new Uint32Array(this.gen.length * 2);
    g.set(this.gen);
    this.gen = g;
  }
}
