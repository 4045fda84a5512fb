/**
 * PCM-like per-node counters for the DRL state (study 5 §5.2.1, "DRL scheduler design > State",
 * counter synthesis — suggested defaults, all of them assumptions): per worker over each 500 ms
 * sample,
 *   C0 = busy core-time / (vCPUs × 0.5 s)   (function threads and iBench threads), C1 = 1 − C0;
 *   IPC = base IPC × (1 − penalty), penalty = 0.3·P_l3 + 0.3·P_membw from the node's aggregate
 *         L3 / memory-bandwidth pressure (interference model) — a contention proxy;
 *   memory reads / writes (bytes/s) = the DRAM bandwidth the node's members draw (aggregate
 *         membw pressure × node bandwidth), split 2:1 reads:writes;
 *   L3 misses (/s) = that traffic / 64-byte lines.
 * The sampler runs every `interval` and keeps the latest complete sample.
 */
import type { Simulation } from '../../core/simulation.js';
import type { Time } from '../../core/time.js';
import type { ClusterNode } from '../../cluster/node.js';
import type { Pressure } from '../../cluster/interference.js';

/** One node's counters over the latest complete sample. */
export interface NodeSignals {
  /** Sample end, µs. */
  time: Time;
  /** Core residencies, fractions in [0, 1]. */
  c0: number;
  c1: number;
  /** Instructions per cycle. */
  ipc: number;
  /** DRAM reads and writes, bytes/s. */
  memReadBytesPerSec: number;
  memWriteBytesPerSec: number;
  /** L3 misses per second. */
  l3MissesPerSec: number;
  /** Busy cores (C0 × vCPUs). */
  busyCores: number;
}

/** Assumed base IPC of an uncontended node (DRL design: 1.0). */
export const BASE_IPC = 1.0;
/** Cache-line size for the miss count, bytes. */
export const LINE_BYTES = 64;

/** The counters of a sample from busy core-µs, its length and the node's aggregate pressure. */
export function synthesiseSignals(time: Time, busyCoreUs: number, intervalUs: number, cores: number, p: Pressure, memoryBandwidth: number): NodeSignals {
  const c0 = Math.min(1, Math.max(0, busyCoreUs / (cores * intervalUs)));
  const traffic = p.membw * memoryBandwidth;
  return {
    time, c0, c1: 1 - c0,
    ipc: BASE_IPC * (1 - 0.3 * p.l3 - 0.3 * p.membw),
    memReadBytesPerSec: (traffic * 2) / 3,
    memWriteBytesPerSec: traffic / 3,
    l3MissesPerSec: traffic / LINE_BYTES,
    busyCores: c0 * cores,
  };
}

/** Samples every node every `interval` µs (default 500 ms, §5.2.1). */
export class TelemetrySampler {
  private readonly last = new Map<string, NodeSignals>();
  private readonly usage = new Map<string, number>();
  /** Stop sampling (the sampler's timer otherwise keeps the event queue non-empty). */
  readonly stop: () => void;

  constructor(
    readonly sim: Simulation,
    readonly nodes: readonly ClusterNode[],
    private readonly pressureOf: (node: string) => Pressure,
    readonly interval: Time = 500_000,
  ) {
    for (const n of nodes) {
      this.usage.set(n.name, n.cpuUsageUs());
      this.last.set(n.name, synthesiseSignals(sim.now, 0, interval, n.cores, pressureOf(n.name), n.profile.memoryBandwidth));
    }
    this.stop = sim.every(interval, this.sample, interval);
  }

  private readonly sample = (): void => {
    for (const n of this.nodes) {
      const u = n.cpuUsageUs();
      const prev = this.usage.get(n.name) as number;
      this.usage.set(n.name, u);
      this.last.set(n.name, synthesiseSignals(this.sim.now, u - prev, this.interval, n.cores, this.pressureOf(n.name), n.profile.memoryBandwidth));
    }
  };

  /** Latest complete sample of a node. */
  signals(node: string): NodeSignals {
    const s = this.last.get(node);
    if (s === undefined) throw new RangeError(`telemetry: node: expected one of ${this.nodes.map((n) => `"${n.name}"`).join(', ')}, found "${node}"`);
    return s;
  }
}
