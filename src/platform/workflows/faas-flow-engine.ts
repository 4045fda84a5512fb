/**
 * The faas-flow engine of study 5 (§4.2.3; modelling note 5): a Go wrapper function (`VersionN-wr`)
 * drives the workflow as a synchronous chain. Each step writes the execution state to Consul and
 * is triggered by its predecessor's completion event through NATS (`stepOverhead` per call,
 * fitted), then calls the function synchronously and waits; nothing overlaps ("no room for
 * parallel execution", §4.2.4). Ready stages run one after another in topological order. The
 * per-item calls of a stage run one at a time by default; `perItemParallel: true` issues them
 * together (the §4.3.2 wrapper descriptions' "in a parallel fashion" reading) — an assumption
 * recorded by the experiments.
 *
 * The client's request to the wrapper costs `requestOverhead` once. The reported end is the
 * wrapper's answer (no polling): reported = true end.
 */
import type { Simulation } from '../../core/simulation.js';
import type { Time } from '../../core/time.js';
import type { ValidStage } from './dag.js';
import { EngineBase, completeStage, lastExecEnd, newRunState, noteOutcome, rootStages, type InvocationBackend, type RunState } from './engine.js';
import type { Invocation, WorkflowRun } from './run.js';

export interface FaasFlowEngineOptions {
  /** Per call: Consul state write + NATS completion event + wrapper hop, µs (fitted). */
  stepOverhead: Time;
  /** Client → wrapper request, once per run, µs. */
  requestOverhead: Time;
  /** Issue a stage's per-item calls together instead of one at a time (default false, §4.2.4). */
  perItemParallel?: boolean;
}

interface FlowState extends RunState {
  ready: ValidStage[];
  busy: boolean;
  pending: Invocation[];
}

/** The faas-flow engine. */
export class FaasFlowEngine extends EngineBase {
  readonly name = 'faas-flow';
  readonly stepOverhead: Time;
  readonly requestOverhead: Time;
  readonly perItemParallel: boolean;
  steps = 0;
  private readonly states = new Map<WorkflowRun, FlowState>();

  constructor(sim: Simulation, backend: InvocationBackend, opts: FaasFlowEngineOptions) {
    super(sim, backend);
    for (const k of ['stepOverhead', 'requestOverhead'] as const) {
      if (!(Number.isInteger(opts[k]) && opts[k] >= 0)) throw new RangeError(`faas-flow engine: ${k}: expected integer µs ≥ 0, found ${opts[k]}`);
    }
    this.stepOverhead = opts.stepOverhead;
    this.requestOverhead = opts.requestOverhead;
    this.perItemParallel = opts.perItemParallel ?? false;
  }

  start(run: WorkflowRun, onDone: (run: WorkflowRun) => void): void {
    this.runsStarted++;
    const st: FlowState = { ...newRunState(run, onDone), ready: [], busy: false, pending: [] };
    this.states.set(run, st);
    st.ready.push(...rootStages(st));
    this.sim.schedule(this.requestOverhead, this.next, st);
  }

  /** Run the next ready stage, if the wrapper is idle. */
  private readonly next = (st: FlowState): void => {
    if (st.busy) return;
    const s = st.ready.shift();
    if (s === undefined) return;
    st.busy = true;
    st.pending = st.run.planStage(s, this.sim.now);
    if (st.pending.length === 0) {
      this.stageDone(st, s);
      return;
    }
    if (this.perItemParallel && s.mode === 'per-item') {
      const all = st.pending;
      st.pending = [];
      for (const inv of all) this.sim.schedule(this.stepOverhead, this.call, inv);
    } else this.sim.schedule(this.stepOverhead, this.call, st.pending.shift() as Invocation);
  };

  private readonly call = (inv: Invocation): void => {
    this.steps++;
    inv.issued = this.sim.now;
    this.backend.callSync(inv, this.answered);
  };

  private readonly answered = (inv: Invocation): void => {
    inv.end = this.sim.now;
    noteOutcome(inv);
    const st = this.states.get(inv.run) as FlowState;
    if (--inv.run.outstanding[inv.stage.index] > 0) {
      const nextInv = st.pending.shift();
      if (nextInv !== undefined) this.sim.schedule(this.stepOverhead, this.call, nextInv);
      return;
    }
    this.stageDone(st, inv.stage);
  };

  private stageDone(st: FlowState, s: ValidStage): void {
    const ready = completeStage(st, s, this.sim.now);
    st.busy = false;
    if (st.stagesLeft === 0) {
      const run = st.run;
      const end = lastExecEnd(run);
      run.trueEnd = end < 0 ? this.sim.now : end;
      run.reportedEnd = this.sim.now;
      this.states.delete(run);
      this.runsDone++;
      st.onDone(run);
      return;
    }
    st.ready.push(...ready);
    st.ready.sort((a, b) => a.index - b.index);
    this.next(st);
  }
}
