/**
 * The environment's observation (calibration-targets.md, "DRL scheduler design", State; §5.2.5:
 * Box(low=0, high=20, shape=(35,)) on the study topology). Only what a live cluster can observe:
 * per-node PCM counters, the placement of every function, replica counts, the last reported
 * latency, the current target, their quotient and the number of servers in use. Layout (spec
 * suggested default, generalised to the topology's nodes and functions):
 *
 * | block | content | scaling into [0, 20] (clipped) |
 * |---|---|---|
 * | per node (6 each) | IPC, memory reads, memory writes, L3 misses, C0, C1 | IPC × 5; reads, writes, L3 misses ÷ the node's pre-flight maximum × 20; C0, C1 × 20 |
 * | per function | node index (1-based) | × 20 / |nodes| (× 5 on 4 workers) |
 * | per scalable function | replicas | × 20 / Rs |
 * | last L_a | seconds | ÷ 5 |
 * | L_t | seconds | ÷ 5 |
 * | q = L_a / L_t | ratio | × 10 |
 * | sp | servers in use | × 20 / |nodes| |
 */
import { SECOND, type Time } from '../../core/time.js';
import { boxSpace, type BoxComponent, type BoxSpace } from '../spaces.js';
import { serversInUse, type Configuration, type WorkflowTopology } from './topology.js';
import type { NodeCounters } from './workflow-backend.js';

/** Upper bound of every component (§5.2.5). */
export const OBS_HIGH = 20;

/** Per-node maxima of the bandwidth-like counters, from the pre-flight sweep. */
export interface CounterMax {
  readonly memReads: number;
  readonly memWrites: number;
  readonly l3Misses: number;
}

/** The declared observation space on topology `t`. */
export function observationSpace(t: WorkflowTopology): BoxSpace {
  const c: BoxComponent[] = [];
  const add = (name: string, meaning: string): void => {
    c.push({ name, meaning, low: 0, high: OBS_HIGH });
  };
  for (const n of t.nodes) {
    add(`${n}.ipc`, `instructions per cycle of ${n} over the latest 500 ms sample, × 5, clipped to 20`);
    add(`${n}.mem_reads`, `memory reads of ${n} (bytes/s) ÷ its pre-flight maximum × 20, clipped`);
    add(`${n}.mem_writes`, `memory writes of ${n} (bytes/s) ÷ its pre-flight maximum × 20, clipped`);
    add(`${n}.l3_misses`, `L3 misses of ${n} (per s) ÷ its pre-flight maximum × 20, clipped`);
    add(`${n}.c0`, `C0 (active) core residency of ${n}, fraction × 20`);
    add(`${n}.c1`, `C1 core residency of ${n}, fraction × 20`);
  }
  const nodeScale = OBS_HIGH / t.nodes.length;
  for (const f of t.functions) add(`${f}.node`, `1-based index of the node hosting ${f} (${t.nodes.map((n, i) => `${i + 1}=${n}`).join(', ')}) × ${nodeScale}`);
  for (const f of t.scalable) add(`${f}.replicas`, `replicas of ${f} × 20 / Rs (Rs = ${t.maxReplicas})`);
  add('latency', 'last reported end-to-end latency L_a, seconds ÷ 5, clipped to 20 (0 before the first run)');
  add('target', 'current QoS target L_t, seconds ÷ 5, clipped to 20');
  add('quotient', 'last q = L_a / L_t × 10, clipped to 20 (0 before the first run)');
  add('servers', `servers in use sp × ${nodeScale}`);
  return boxSpace(c);
}

function clip(v: number): number {
  return v <= 0 || Number.isNaN(v) ? 0 : v >= OBS_HIGH ? OBS_HIGH : v;
}

/**
 * Fill `out` with the observation. `counters[i]` are node i's counters, `counterMax[i]` its
 * pre-flight maxima; `lastLatency` µs (0 before the first run), `target` µs.
 */
export function encodeObservation(
  t: WorkflowTopology,
  cfg: Configuration,
  counters: readonly NodeCounters[],
  counterMax: readonly CounterMax[],
  lastLatency: Time,
  target: Time,
  out: Float64Array,
): Float64Array {
  let k = 0;
  for (let i = 0; i < t.nodes.length; i++) {
    const s = counters[i];
    const m = counterMax[i];
    out[k++] = clip(s.ipc * 5);
    out[k++] = clip(m.memReads > 0 ? (s.memReads / m.memReads) * OBS_HIGH : 0);
    out[k++] = clip(m.memWrites > 0 ? (s.memWrites / m.memWrites) * OBS_HIGH : 0);
    out[k++] = clip(m.l3Misses > 0 ? (s.l3Misses / m.l3Misses) * OBS_HIGH : 0);
    out[k++] = clip(s.c0 * OBS_HIGH);
    out[k++] = clip(s.c1 * OBS_HIGH);
  }
  const nodeScale = OBS_HIGH / t.nodes.length;
  for (const n of cfg.fnNodes) out[k++] = clip((n + 1) * nodeScale);
  for (let j = 0; j < t.scalable.length; j++) out[k++] = clip((cfg.replicas * OBS_HIGH) / t.maxReplicas);
  out[k++] = clip(lastLatency / SECOND / 5);
  out[k++] = clip(target / SECOND / 5);
  out[k++] = clip(lastLatency > 0 ? (lastLatency / target) * 10 : 0);
  out[k++] = clip(serversInUse(cfg) * nodeScale);
  return out;
}
