/**
 * A dynamically provisioned ReadWriteOnce volume (Cinder-like; study 2 modelling note
 * "Storage semantics"): claimed once (claim → bound), attached to one node at a time. Pods
 * acquire it on their node: granted at once (plus the per-pod mount) when it is attached
 * there; attached first when it is attached nowhere; when it is attached to another node,
 * the request waits until no pod uses it there, then pays detach + attach. Requests are
 * served in FIFO order; requests for the attached node are granted even while a request
 * for another node waits at the head (kubelets on that node mount freely), so a busy node
 * cannot starve.
 */
import type { Simulation } from '../../core/simulation.js';
import type { Time } from '../../core/time.js';

/** Costs of the volume operations, µs. */
export interface VolumeCosts {
  attach: Time;
  detach: Time;
  mount: Time;
}

/** What one acquire cost, µs. */
export interface VolumeGrant {
  node: string;
  /** Waiting for the volume to be bound or to leave another node. */
  wait: Time;
  /** Detach (from another node) + attach (to this one); 0 when already attached here. */
  attach: Time;
  mount: Time;
}

interface Request {
  node: string;
  at: Time;
  done: (g: VolumeGrant) => void;
}

/** One RWO volume. */
export class RwoVolume {
  bound = false;
  /** Node the volume is attached to, or null. */
  attachedTo: string | null = null;
  /** Pods using it on `attachedTo`. */
  users = 0;
  /** Attach operations so far (the first included). */
  attaches = 0;
  boundAt: Time = -1;
  private busy = false; // attaching or detaching
  private readonly queue: Request[] = [];

  constructor(private readonly sim: Simulation, readonly name: string, readonly costs: VolumeCosts) {
    for (const k of ['attach', 'detach', 'mount'] as const) {
      if (!(costs[k] >= 0)) throw new RangeError(`volume "${name}": ${k}: expected ≥ 0 µs, found ${costs[k]}`);
    }
  }

  /** Claim → bound after `delay` µs; `done` when bound. */
  provision(delay: Time, done: () => void): void {
    if (this.boundAt >= 0 || this.bound) throw new Error(`volume "${this.name}": provision: expected an unclaimed volume, found one claimed already`);
    this.sim.schedule(Math.max(0, Math.round(delay)), () => {
      this.bound = true;
      this.boundAt = this.sim.now;
      this.pump();
      done();
    }, undefined);
  }

  /** A pod on `node` needs the volume; `done` once it is mounted there. */
  acquire(node: string, done: (g: VolumeGrant) => void): void {
    this.queue.push({ node, at: this.sim.now, done });
    this.pump();
  }

  /** A pod on `node` no longer uses the volume. */
  release(node: string): void {
    if (this.attachedTo !== node || this.users <= 0) {
      throw new Error(`volume "${this.name}": release: expected a user on node "${this.attachedTo ?? '(none)'}", found a release from "${node}" with ${this.users} users`);
    }
    this.users--;
    this.pump();
  }

  private grant(r: Request, attach: Time, start: Time): void {
    this.users++;
    const mount = this.costs.mount;
    const g: VolumeGrant = { node: r.node, wait: start - r.at, attach, mount };
    this.sim.schedule(mount, r.done, g);
  }

  private pump(): void {
    if (!this.bound || this.busy) return;
    // Grant every queued request for the attached node.
    if (this.attachedTo !== null) {
      for (let i = 0; i < this.queue.length;) {
        if (this.queue[i].node === this.attachedTo) this.grant(this.queue.splice(i, 1)[0], 0, this.sim.now);
        else i++;
      }
    }
    if (this.queue.length === 0) return;
    const head = this.queue[0];
    if (this.attachedTo !== null && this.users > 0) return; // wait until the other node is done
    const start = this.sim.now;
    const move = (this.attachedTo !== null ? this.costs.detach : 0) + this.costs.attach;
    this.busy = true;
    this.attachedTo = null;
    this.sim.schedule(move, () => {
      this.busy = false;
      this.attachedTo = head.node;
      this.attaches++;
      this.queue.shift();
      this.grant(head, move, start);
      this.pump();
    }, undefined);
  }
}
