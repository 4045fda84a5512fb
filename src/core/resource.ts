/**
 * Resources (a capacity of identical units with a FIFO or priority queue of requests) and
 * stores (a buffer of items with blocking get and, when bounded, blocking put).
 * Both hand out SimEvents, so processes `yield` them and callback code uses addCallback.
 */
import { ObjectHeap } from './object-heap.js';
import type { Scheduler } from './scheduler.js';
import { SimEvent, PENDING } from './sim-event.js';

/** A request for one unit of a Resource. Triggers (with itself) when granted. */
export class Request extends SimEvent<Request> {
  granted = false;
  constructor(sim: Scheduler, readonly resource: Resource, readonly priority: number) {
    super(sim);
  }
  /** Give the unit back (or withdraw the request if it is still queued). */
  release(): void {
    this.resource.release(this);
  }
}

export class Resource {
  private inUse = 0;
  private readonly queue: ObjectHeap<Request>;

  constructor(private readonly sim: Scheduler, readonly capacity: number, readonly name = 'resource') {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`resource ${name}: capacity must be a positive integer, found ${capacity}`);
    }
    this.queue = new ObjectHeap<Request>((a, b) => a.priority < b.priority);
  }

  /** Units currently held. */
  get count(): number {
    return this.inUse;
  }

  /** Requests waiting for a unit. */
  get queueLength(): number {
    return this.queue.size;
  }

  /**
   * Ask for a unit; lower `priority` is served first, equal priorities first-come first-served.
   * A request that can be granted at once is returned already settled.
   */
  request(priority = 0): Request {
    const req = new Request(this.sim, this, priority);
    if (this.inUse < this.capacity && this.queue.size === 0) {
      this.inUse++;
      req.granted = true;
      req.settleNow(req);
    } else {
      this.queue.push(req);
    }
    return req;
  }

  release(req: Request): void {
    if (!req.granted) {
      if (req.state === PENDING) this.queue.remove(req);
      return;
    }
    req.granted = false;
    this.inUse--;
    const next = this.queue.pop();
    if (next !== undefined) {
      this.inUse++;
      next.granted = true;
      next.succeed(next);
    }
  }
}

/** A FIFO buffer of items with an optional capacity. */
export class Store<T> {
  private readonly items: T[] = [];
  private head = 0;
  private readonly getters: SimEvent<T>[] = [];
  private readonly putters: { ev: SimEvent<void>; item: T }[] = [];

  constructor(private readonly sim: Scheduler, readonly capacity = Infinity, readonly name = 'store') {
    if (!(capacity >= 1)) throw new RangeError(`store ${name}: capacity must be at least 1, found ${capacity}`);
  }

  get size(): number {
    return this.items.length - this.head;
  }

  /** Add an item; the event triggers once the item is in the store. */
  put(item: T): SimEvent<void> {
    const ev = new SimEvent<void>(this.sim);
    if (this.getters.length > 0) {
      (this.getters.shift() as SimEvent<T>).succeed(item);
      return ev.settleNow();
    }
    if (this.size < this.capacity) {
      this.items.push(item);
      return ev.settleNow();
    }
    this.putters.push({ ev, item });
    return ev;
  }

  /** Take the oldest item; the event triggers with it once one is available. */
  get(): SimEvent<T> {
    const ev = new SimEvent<T>(this.sim);
    if (this.size > 0) {
      const item = this.items[this.head];
      this.items[this.head++] = undefined as T;
      if (this.head > 1024 && this.head * 2 > this.items.length) {
        this.items.splice(0, this.head);
        this.head = 0;
      }
      const p = this.putters.shift();
      if (p !== undefined) {
        this.items.push(p.item);
        p.ev.succeed();
      }
      return ev.settleNow(item);
    }
    this.getters.push(ev);
    return ev;
  }
}
