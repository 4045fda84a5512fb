/**
 * The request router both traffic-carrying backends share (SimBackend in simulated time,
 * LocalBackend behind its real HTTP server): one FIFO queue per function in front of its Ready
 * pods, each pod taking at most `containerConcurrency` requests at once (0 = unlimited; the
 * Knative queue-proxy's breaker, platform-semantics.md §a.9). A request goes to the accepting
 * pod with the fewest requests in flight (ties: the pod added first); when none has a free slot
 * it waits in the queue (at most `queueLimit`, else it is refused). Synchronous and
 * allocation-free per request apart from the queue slot.
 */

/** What the router needs of a pod. */
export interface RouterEndpoint {
  /** Requests the pod is executing now (the router increments it on dispatch; the owner decrements). */
  inFlight: number;
}

/** One function's router. */
export class FunctionRouter<E extends RouterEndpoint, R> {
  /** Ready, accepting pods in the order they were added. */
  private readonly endpoints: E[] = [];
  private queue: (R | undefined)[] = new Array(16);
  private head = 0;
  private size = 0;

  constructor(
    /** Concurrent requests per pod; 0 = unlimited. */
    public containerConcurrency: number,
    /** Most queued requests. */
    readonly queueLimit: number,
    /** Start `req` on `pod` (the router has already counted it in pod.inFlight). */
    private readonly dispatch: (pod: E, req: R) => void,
  ) {}

  /** Requests waiting. */
  get queued(): number {
    return this.size;
  }

  /** Pods receiving requests. */
  get endpointCount(): number {
    return this.endpoints.length;
  }

  /** A pod became Ready: add it and give it queued work. */
  addEndpoint(pod: E): void {
    if (this.endpoints.includes(pod)) return;
    this.endpoints.push(pod);
    this.drain();
  }

  /** A pod stops accepting (Terminating or gone): no new requests go to it. */
  removeEndpoint(pod: E): void {
    const i = this.endpoints.indexOf(pod);
    if (i >= 0) this.endpoints.splice(i, 1);
  }

  /** A new request: dispatch it or queue it; false when the queue is full (refused). */
  admit(req: R): boolean {
    if (this.size === 0) {
      const p = this.pick();
      if (p !== null) {
        p.inFlight++;
        this.dispatch(p, req);
        return true;
      }
    }
    if (this.size >= this.queueLimit) return false;
    this.push(req);
    return true;
  }

  /** A pod finished a request (its inFlight already decremented): start queued ones. */
  drain(): void {
    while (this.size > 0) {
      const p = this.pick();
      if (p === null) return;
      const r = this.shift();
      p.inFlight++;
      this.dispatch(p, r);
    }
  }

  /** Remove and return every queued request (e.g. to fail them when the function is gone). */
  takeAll(): R[] {
    const out: R[] = [];
    while (this.size > 0) out.push(this.shift());
    return out;
  }

  /** The accepting pod with the fewest in flight and a free slot, or null. */
  pick(): E | null {
    const cc = this.containerConcurrency;
    let best: E | null = null;
    for (const e of this.endpoints) {
      if (cc > 0 && e.inFlight >= cc) continue;
      if (best === null || e.inFlight < best.inFlight) best = e;
    }
    return best;
  }

  private push(r: R): void {
    if (this.size === this.queue.length) {
      const q: (R | undefined)[] = new Array(this.queue.length * 2);
      for (let i = 0; i < this.size; i++) q[i] = this.queue[(this.head + i) % this.queue.length];
      this.queue = q;
      this.head = 0;
    }
    this.queue[(this.head + this.size) % this.queue.length] = r;
    this.size++;
  }

  private shift(): R {
    const r = this.queue[this.head] as R;
    this.queue[this.head] = undefined;
    this.head = (this.head + 1) % this.queue.length;
    this.size--;
    return r;
  }
}
