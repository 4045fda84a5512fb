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

/**
 * Samples every node every `interval` µs (default 500 ms, §5.2.1). A tick only records each
 * node's busy core-µs over the interval and its pressure object; the counters are synthesised when
 * read (same values as synthesising at the tick: `synthesiseSignals` is pure). The aggregate
 * pressure is recomputed only when `versionOf()` changed since the last tick (the interference
 * binder's change count; pressure depends only on the node's members), so a tick allocates nothing.
 */
export class TelemetrySampler {
  private readonly index = new Map<string, number>();
  /** Cumulative CPU-µs per node at the last tick. */
  private readonly usage: Float64Array;
  /** Busy core-µs per node over the latest complete sample. */
  private readonly busy: Float64Array;
  /** Pressure per node at the latest tick, and the cached current pressure per node. */
  private readonly sampled: Pressure[];
  private readonly current: Pressure[];
  private version = -1;
  /** End of the latest complete sample, µs; synthesised signals of that sample (lazily). */
  private sampleTime: Time;
  private readonly synth: (NodeSignals | null)[];
  /** Stop sampling (the sampler's timer otherwise keeps the event queue non-empty). */
  readonly stop: () => void;

  constructor(
    readonly sim: Simulation,
    readonly nodes: readonly ClusterNode[],
    private readonly pressureOf: (node: string) => Pressure,
    readonly interval: Time = 500_000,
    private readonly versionOf: () => number = () => NaN,
  ) {
    const n = nodes.length;
    this.usage = new Float64Array(n);
    this.busy = new Float64Array(n);
    this.sampled = new Array<Pressure>(n);
    this.current = new Array<Pressure>(n);
    this.synth = new Array<NodeSignals | null>(n).fill(null);
    this.sampleTime = sim.now;
    nodes.forEach((node, i) => {
      this.index.set(node.name, i);
      this.usage[i] = node.cpuUsageUs();
    });
    this.refreshPressure();
    for (let i = 0; i < n; i++) this.sampled[i] = this.current[i];
    this.stop = sim.every(interval, this.sample, interval);
  }

  private refreshPressure(): void {
    const v = this.versionOf();
    if (v === this.version) return; // NaN (no version source) never equals: recompute every tick
    this.version = v;
    for (let i = 0; i < this.nodes.length; i++) this.current[i] = this.pressureOf(this.nodes[i].name);
  }

  private readonly sample = (): void => {
    this.refreshPressure();
    const nodes = this.nodes;
    for (let i = 0; i < nodes.length; i++) {
      const u = nodes[i].cpuUsageUs();
      this.busy[i] = u - this.usage[i];
      this.usage[i] = u;
      this.sampled[i] = this.current[i];
      this.synth[i] = null;
    }
    this.sampleTime = this.sim.now;
  };

  /** Latest complete sample of a node. */
  signals(node: string): NodeSignals {
    const i = this.index.get(node);
    if (i === undefined) throw new RangeError(`telemetry: node: expected one of ${this.nodes.map((n) => `"${n.name}"`).join(', ')}, found "${node}"`);
    let s = this.synth[i];
    if (s === null) {
      const n = this.nodes[i];
      s = synthesiseSignals(this.sampleTime, this.busy[i], this.interval, n.cores, this.sampled[i], n.profile.memoryBandwidth);
      this.synth[i] = s;
    }
    return s;
  }
}
