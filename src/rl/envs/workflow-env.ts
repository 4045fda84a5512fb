/**
 * The workflow-scheduling environment (issue 7 item 1; calibration-targets.md, "DRL scheduler
 * design", Environment: step and timing). One step = one workflow execution:
 *
 *   1. the decision state is the observation returned by the previous step (or reset);
 *   2. the Function Mapper applies the action (move or scale), and the backend advances until the
 *      redeployed pods are ready (move time; not counted in L_a, spec Modelling note 7);
 *   3. the Runtime Engine runs one workflow instance; L_a is the engine's reported latency;
 *   4. the next step's CPU pressure is applied (a phase's pressure is in place before that
 *      phase's first state read), then the backend advances by the study's 8.5 s wait and the
 *      System Monitor reads the counters: this is s';
 *   5. the reward is Eq. 5.1 from L_a, this step's L_t, and sp and r after the action.
 *
 * Simulated time per step = move time + L_a + wait. Targets and pressure follow the step index.
 * Episodes: by default one continuous trajectory (done is never set, SB3 `learn(500)`); with
 * `episodic` the episode ends (truncated) at the end of the schedule and `reset` starts a new one
 * on a fresh simulation. Nothing here reads a clock.
 */
import { RandomStreams } from '../../core/random.js';
import { SECOND, seconds, type Time } from '../../core/time.js';
import type { Env, StepResult } from '../env.js';
import type { BoxSpace, DiscreteSpace, Observation } from '../spaces.js';
import { KubePlacement } from './kube-placement.js';
import { encodeObservation, observationSpace, type CounterMax } from './observation.js';
import { applyConfiguration, applyPressure, oracleDestination, PROFILE_LEVELS, type OracleTable } from './oracle.js';
import { DEFAULT_REWARD_CONSTANTS, validateRewardConstants, workflowReward, type RewardConstants } from './reward.js';
import { occupiedCores, phaseAt, phaseIndexAt, validateSchedule, type DrlSchedule } from './schedule.js';
import { configurationOf, initialConfiguration, moveUnit, serversInUse, validateTopology, type Configuration, type WorkflowTopology } from './topology.js';
import { actionMask, variantActions, type DecodedAction, type Masking, type Variant, type VariantActions } from './variants.js';
import type { NodeCounters, WorkflowBackend, WorkflowBackendFactory } from './workflow-backend.js';

/** Options of the environment (defaults: the spec's). */
export interface WorkflowEnvOptions {
  readonly factory: WorkflowBackendFactory;
  readonly topology: WorkflowTopology;
  readonly schedule: DrlSchedule;
  readonly variant: Variant;
  /** Frames per workflow request (spec suggested 32). */
  readonly frames?: number;
  /** Wait after each run before the state read, µs (§5.2.5: 8.5 s). */
  readonly wait?: Time;
  readonly reward?: RewardConstants;
  /** 'off' (default, the study's SB3 setup) or 'redundant'. */
  readonly masking?: Masking;
  /** End the episode (truncated) at the end of the schedule (multi-episode training). */
  readonly episodic?: boolean;
  /** Measurement noise and polling error in the backend (default true). */
  readonly noise?: boolean;
  /** Per-node counter maxima; computed by a pre-flight sweep when absent. */
  readonly counterMax?: readonly CounterMax[];
  /** Profile table of the oracle variant (required for it). */
  readonly oracleTable?: OracleTable;
  /** Kubernetes-guided: exclude the unit's current node (default false). */
  readonly excludeCurrent?: boolean;
}

/** What every step reports (one per-step CSV row; spec "Per-step CSV"). */
export interface WorkflowStepInfo {
  readonly step: number;
  readonly phase: number;
  /** QoS target of this step, s. */
  readonly target: number;
  readonly action: number;
  readonly actionName: string;
  /** Unit moved by this step (null when none). */
  readonly movedUnit: string | null;
  /** Destination node of the move (null when none). */
  readonly destination: string | null;
  /** Node of every function after the action. */
  readonly placement: readonly string[];
  readonly replicas: number;
  readonly sp: number;
  /** True latency, s. */
  readonly latency: number;
  /** Reported latency L_a, s. */
  readonly reportedLatency: number;
  /** q = L_a / L_t. */
  readonly q: number;
  readonly success: boolean;
  readonly reward: number;
  /** Redeploy time of this step, s. */
  readonly moveTime: number;
  /** Simulated time of the step (move + run + wait), s. */
  readonly stepTime: number;
  /** Simulated time at the end of the step, s. */
  readonly simTime: number;
  /** CPU pressure level (%) per node during the run. */
  readonly pressure: readonly number[];
  /** Occupied cores per node during the run. */
  readonly occupiedCores: readonly number[];
}

/** The workflow-scheduling environment (see the module comment). */
export class WorkflowEnv implements Env<WorkflowStepInfo> {
  readonly observationSpace: BoxSpace;
  readonly actionSpace: DiscreteSpace;
  readonly actions: VariantActions;
  readonly topology: WorkflowTopology;
  readonly schedule: DrlSchedule;
  readonly variant: Variant;
  readonly frames: number;
  readonly wait: Time;
  readonly reward: RewardConstants;
  readonly masking: Masking;
  readonly episodic: boolean;
  private readonly factory: WorkflowBackendFactory;
  private readonly noise: boolean;
  private readonly oracleTable: OracleTable | undefined;
  private readonly excludeCurrent: boolean;
  private counterMaxValue: readonly CounterMax[] | undefined;
  private backend: WorkflowBackend | undefined;
  private kube: KubePlacement | undefined;
  private config: Configuration;
  private stepIndex = 0;
  private readonly counters: NodeCounters[] = [];
  private readonly obs: Float64Array;
  private readonly mask: Uint8Array;
  private readonly nodeVcpus: number[] = [];
  private appliedPhase = -1;

  constructor(o: WorkflowEnvOptions) {
    validateTopology(o.topology);
    validateSchedule(o.schedule, o.topology.nodes);
    this.reward = o.reward ?? DEFAULT_REWARD_CONSTANTS;
    validateRewardConstants(this.reward);
    if (this.reward.N !== o.topology.nodes.length) throw new RangeError(`reward.N: expected the number of workers (${o.topology.nodes.length}), found ${this.reward.N}`);
    if (this.reward.Rs !== o.topology.maxReplicas) throw new RangeError(`reward.Rs: expected the replica budget maxReplicas (${o.topology.maxReplicas}), found ${this.reward.Rs}`);
    this.frames = o.frames ?? 32;
    if (!Number.isInteger(this.frames) || this.frames <= 0) throw new RangeError(`frames: expected a positive integer, found ${this.frames}`);
    this.wait = o.wait ?? seconds(8.5);
    if (!Number.isInteger(this.wait) || this.wait < 0) throw new RangeError(`wait: expected a non-negative integer µs, found ${this.wait}`);
    if (o.variant === 'oracle' && o.oracleTable === undefined) throw new Error('variant oracle: needs the offline profile table (oracleTable; build it with buildOracleTable)');
    this.factory = o.factory;
    this.topology = o.topology;
    this.schedule = o.schedule;
    this.variant = o.variant;
    this.masking = o.masking ?? 'off';
    if (this.masking !== 'off' && this.masking !== 'redundant') throw new RangeError(`masking: expected 'off' or 'redundant', found ${JSON.stringify(this.masking)}`);
    this.episodic = o.episodic ?? false;
    this.noise = o.noise ?? true;
    this.oracleTable = o.oracleTable;
    this.excludeCurrent = o.excludeCurrent ?? false;
    this.counterMaxValue = o.counterMax;
    this.actions = variantActions(o.variant, o.topology);
    this.actionSpace = this.actions.space;
    this.observationSpace = observationSpace(o.topology);
    this.obs = new Float64Array(this.observationSpace.size);
    this.mask = new Uint8Array(this.actionSpace.n);
    this.config = initialConfiguration(o.topology);
  }

  /** Per-node counter maxima used for scaling (runs the pre-flight sweep on first use). */
  get counterMax(): readonly CounterMax[] {
    if (this.counterMaxValue === undefined) this.counterMaxValue = preflightCounterMax(this.factory, this.topology, this.frames, this.wait);
    return this.counterMaxValue;
  }

  /** The current configuration. */
  get configuration(): Configuration {
    return this.config;
  }

  /** Step index within the episode (the schedule position of the next step). */
  get position(): number {
    return this.stepIndex;
  }

  /** Simulated time, µs (0 before the first reset). */
  get now(): Time {
    return this.backend?.now() ?? 0;
  }

  reset(seed: number): Observation {
    if (!Number.isInteger(seed)) throw new RangeError(`reset: expected an integer seed, found ${seed}`);
    const cmax = this.counterMax;
    const b = this.factory({ seed, noise: this.noise });
    this.backend = b;
    this.nodeVcpus.length = 0;
    for (const n of this.topology.nodes) {
      const node = b.nodes.find((x) => x.name === n);
      if (node === undefined) throw new Error(`topology node '${n}' is not in the cluster model (it has ${b.nodes.map((x) => x.name).join(', ')})`);
      this.nodeVcpus.push(node.vcpus);
    }
    for (const f of this.topology.functions) if (!b.functions.includes(f)) throw new Error(`topology function '${f}' is not in the workflow model (it has ${b.functions.join(', ')})`);
    this.kube = new KubePlacement(this.topology, this.topology.nodes.map((n) => b.nodes.find((x) => x.name === n)!), new RandomStreams(seed).stream('kube:tiebreak'), this.excludeCurrent);
    this.stepIndex = 0;
    this.config = initialConfiguration(this.topology);
    this.appliedPhase = -1;
    this.applyPhasePressure(0);
    applyConfiguration(b, this.topology, this.config);
    b.advance(this.wait);
    this.readCounters();
    return encodeObservation(this.topology, this.config, this.counters, cmax, 0, phaseAt(this.schedule, 0).target, this.obs);
  }

  actionMask(): Uint8Array | undefined {
    if (this.masking === 'off') return undefined;
    return actionMask(this.actions, this.topology, this.config, this.mask);
  }

  /** The decoded form of action `a`. */
  decode(a: number): DecodedAction {
    const d = this.actions.decode[a];
    if (d === undefined) throw new RangeError(`action: expected an integer in [0, ${this.actionSpace.n - 1}], found ${a}`);
    return d;
  }

  step(action: number): StepResult<WorkflowStepInfo> {
    const d = this.decode(action);
    if (this.masking !== 'off' && this.actionMask()![action] === 0) {
      throw new RangeError(`action ${action} '${this.actionSpace.actions[action].name}' is masked (illegal) in this state`);
    }
    let moved: number | null = null;
    let dest: number | null = null;
    let next = this.config;
    if (d.kind === 'move') {
      moved = d.unit;
      dest = this.destination(d.unit, d.dest.kind === 'node' ? d.dest.node : d.dest.kind);
      next = moveUnit(this.topology, this.config, d.unit, dest);
    } else if (d.kind === 'scale') {
      const r = Math.min(this.topology.maxReplicas, Math.max(1, this.config.replicas + d.delta));
      next = { fnNodes: this.config.fnNodes, replicas: r };
    }
    return this.advance(next, action, this.actionSpace.actions[action].name, moved, dest);
  }

  /**
   * Apply a whole configuration instead of an action (the best-static and native baselines);
   * the step is otherwise identical. Reported with action −1.
   */
  stepConfiguration(c: Configuration, name = 'set-configuration'): StepResult<WorkflowStepInfo> {
    if (c.fnNodes.length !== this.topology.functions.length || c.fnNodes.some((n) => !(n >= 0 && n < this.topology.nodes.length))) {
      throw new RangeError(`stepConfiguration: expected one node index in [0, ${this.topology.nodes.length - 1}] per function (${this.topology.functions.length}), found [${c.fnNodes.join(', ')}]`);
    }
    if (!(Number.isInteger(c.replicas) && c.replicas >= 1 && c.replicas <= this.topology.maxReplicas)) throw new RangeError(`stepConfiguration: replicas must be in [1, ${this.topology.maxReplicas}], found ${c.replicas}`);
    return this.advance(c, -1, name, null, null);
  }

  /** The native Kubernetes deployment under the current pressure (needs a reset first). */
  nativeDeployment(): Configuration {
    return this.requireKube().nativeDeployment(this.occupied());
  }

  /** The CPU pressure map of the current step's phase. */
  currentPressure(): Readonly<Record<string, number>> {
    return phaseAt(this.schedule, this.stepIndex).pressure;
  }

  private advance(next: Configuration, action: number, actionName: string, moved: number | null, dest: number | null): StepResult<WorkflowStepInfo> {
    const b = this.backend;
    if (b === undefined) throw new Error('step: call reset(seed) first');
    const t0 = b.now();
    const step = this.stepIndex;
    const phaseIdx = phaseIndexAt(this.schedule, step);
    const phase = this.schedule.phases[phaseIdx];
    const pressure = this.topology.nodes.map((n) => phase.pressure[n] ?? 0);
    const occupied = this.occupied();
    this.config = next;
    const moveTime = applyConfiguration(b, this.topology, next);
    const run = b.runWorkflow(this.frames);
    const sp = serversInUse(next);
    const reward = workflowReward(run.reportedLatency, phase.target, sp, next.replicas, this.reward);
    const q = run.reportedLatency / phase.target;
    this.stepIndex = step + 1;
    const done = this.episodic && this.stepIndex >= this.schedule.steps;
    if (!done) this.applyPhasePressure(this.stepIndex);
    b.advance(this.wait);
    this.readCounters();
    const nextTarget = phaseAt(this.schedule, this.stepIndex).target;
    const observation = encodeObservation(this.topology, next, this.counters, this.counterMax, run.reportedLatency, nextTarget, this.obs);
    const info: WorkflowStepInfo = {
      step,
      phase: phaseIdx,
      target: phase.target / SECOND,
      action,
      actionName,
      movedUnit: moved === null ? null : this.topology.units[moved].name,
      destination: dest === null ? null : this.topology.nodes[dest],
      placement: next.fnNodes.map((n) => this.topology.nodes[n]),
      replicas: next.replicas,
      sp,
      latency: run.latency / SECOND,
      reportedLatency: run.reportedLatency / SECOND,
      q,
      success: q <= 1,
      reward,
      moveTime: moveTime / SECOND,
      stepTime: (b.now() - t0) / SECOND,
      simTime: b.now() / SECOND,
      pressure,
      occupiedCores: occupied,
    };
    return done ? { observation, reward, done: true, truncated: true, info } : { observation, reward, done: false, info };
  }

  private destination(u: number, how: number | 'min-c0' | 'kubernetes' | 'oracle'): number {
    if (typeof how === 'number') return how;
    if (how === 'min-c0') {
      let best = 0;
      for (let i = 1; i < this.counters.length; i++) if (this.counters[i].c0 < this.counters[best].c0) best = i;
      return best;
    }
    if (how === 'kubernetes') return this.requireKube().destination(u, this.config, this.occupied());
    const table = this.oracleTable;
    if (table === undefined) throw new Error('oracle destination without a profile table');
    return oracleDestination(table, this.topology, u, this.currentPressure());
  }

  private requireKube(): KubePlacement {
    if (this.kube === undefined) throw new Error('call reset(seed) first');
    return this.kube;
  }

  private occupied(): number[] {
    const p = this.currentPressure();
    return this.topology.nodes.map((n, i) => occupiedCores(p[n] ?? 0, this.nodeVcpus[i]));
  }

  private applyPhasePressure(step: number): void {
    const idx = phaseIndexAt(this.schedule, step);
    if (idx === this.appliedPhase) return;
    this.appliedPhase = idx;
    applyPressure(this.backend!, this.topology, this.schedule.phases[idx].pressure);
  }

  private readCounters(): void {
    const b = this.backend!;
    this.topology.nodes.forEach((n, i) => {
      this.counters[i] = b.counters(n);
    });
  }
}

/**
 * The pre-flight sweep of the counter maxima (spec State table: "divide by the per-node maximum
 * seen during the pre-flight sweep"): for every node and CPU level in {0, 25, 50, 75} %, all
 * functions on that node at Rs replicas, one noise-free run; the counters are read right after
 * the run and after the wait; the per-node maximum of each bandwidth-like counter is kept.
 */
export function preflightCounterMax(factory: WorkflowBackendFactory, t: WorkflowTopology, frames: number, wait: Time, seed = 0): CounterMax[] {
  return t.nodes.map((node, n) => {
    const b = factory({ seed, noise: false });
    applyConfiguration(b, t, configurationOf(t, t.units.map(() => n), t.maxReplicas));
    const m = { memReads: 0, memWrites: 0, l3Misses: 0 };
    const see = (c: NodeCounters): void => {
      m.memReads = Math.max(m.memReads, c.memReads);
      m.memWrites = Math.max(m.memWrites, c.memWrites);
      m.l3Misses = Math.max(m.l3Misses, c.l3Misses);
    };
    for (const lv of PROFILE_LEVELS) {
      b.setCpuPressure(node, lv);
      b.runWorkflow(frames);
      see(b.counters(node));
      b.advance(wait);
      see(b.counters(node));
    }
    return m;
  });
}
