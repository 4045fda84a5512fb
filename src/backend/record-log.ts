/**
 * An append-only log read with cursors (finished requests, inference records): `since(cursor)`
 * returns what was appended after the cursor and the new cursor. Bounded: beyond `retain` items
 * the oldest are dropped (a reader that falls that far behind skips them).
 */
import type { Batch } from './cluster-backend.js';

export class RecordLog<T> {
  private items: T[] = [];
  private dropped = 0;

  constructor(private readonly retain: number) {
    if (!(retain >= 1)) throw new RangeError(`RecordLog: retain: expected ≥ 1, found ${retain}`);
  }

  /** Items appended so far (the cursor after the last one). */
  get total(): number {
    return this.dropped + this.items.length;
  }

  /** Sequence number the next item gets (from 1). */
  get nextSeq(): number {
    return this.total + 1;
  }

  push(item: T): void {
    this.items.push(item);
    if (this.items.length > this.retain * 2) {
      const k = this.items.length - this.retain;
      this.items = this.items.slice(k);
      this.dropped += k;
    }
  }

  /** Items after `cursor` (0 = from the start) and the cursor to pass next time. */
  since(cursor: number): Batch<T> {
    if (!Number.isInteger(cursor) || cursor < 0) throw new RangeError(`since: cursor: expected an integer ≥ 0, found ${cursor}`);
    const from = Math.max(0, cursor - this.dropped);
    return { items: this.items.slice(from), cursor: this.total };
  }
}
