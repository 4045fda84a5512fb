/**
 * A first-in first-out queue on a circular buffer, for the data path's per-request queues
 * (activator queue, queue-proxy breaker queue, a revision's timeout list). Push and shift are
 * O(1) with no shifting or compaction and, once the buffer has grown to the peak backlog, no
 * allocation; a shifted slot is cleared so that ended requests are not kept alive by the queue.
 */
export class Fifo<T> {
  private buf: (T | undefined)[];
  private mask: number;
  private head = 0;
  private n = 0;

  /** `capacity` is rounded up to a power of two (≥ 4); the buffer doubles when full. */
  constructor(capacity = 16) {
    let c = 4;
    while (c < capacity) c *= 2;
    this.buf = new Array<T | undefined>(c).fill(undefined);
    this.mask = c - 1;
  }

  /** Number of entries. */
  get size(): number {
    return this.n;
  }

  /** Append at the tail. */
  push(x: T): void {
    if (this.n > this.mask) this.grow();
    this.buf[(this.head + this.n) & this.mask] = x;
    this.n++;
  }

  /** Remove and return the head (undefined when empty). */
  shift(): T | undefined {
    if (this.n === 0) return undefined;
    const h = this.head;
    const x = this.buf[h];
    this.buf[h] = undefined;
    this.head = (h + 1) & this.mask;
    this.n--;
    return x;
  }

  /** The head without removing it (undefined when empty). */
  peek(): T | undefined {
    return this.n === 0 ? undefined : this.buf[this.head];
  }

  /** The i-th entry from the head (0 ≤ i < size). */
  at(i: number): T {
    if (!(i >= 0 && i < this.n)) throw new RangeError(`Fifo.at: expected an index in [0, ${this.n}), found ${i}`);
    return this.buf[(this.head + i) & this.mask] as T;
  }

  private grow(): void {
    const old = this.buf;
    const c = old.length;
    const buf = new Array<T | undefined>(2 * c).fill(undefined);
    for (let i = 0; i < this.n; i++) buf[i] = old[(this.head + i) & this.mask];
    this.buf = buf;
    this.mask = 2 * c - 1;
    this.head = 0;
  }
}
