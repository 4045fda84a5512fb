/**
 * What every workflow engine shares: the invocation backend it calls (OpenFaaS here, anything that
 * runs an `Invocation` in tests) and the stage bookkeeping (a stage starts when the engine has
 * learnt that all its `after` stages completed; the run completes when every stage has).
 */
import type { Simulation } from '../../core/simulation.js';
import type { Time } from '../../core/time.js';
import type { ValidStage } from './dag.js';
import type { Invocation, WorkflowRun } from './run.js';

/** Runs invocations. `done` is called exactly once per call, with `inv.ok`/`inv.error` set. */
export interface InvocationBackend {
  /** Synchronous call (`POST /function/<fn>`): done when the function answered. */
  callSync(inv: Invocation, done: (inv: Invocation) => void): void;
  /** Asynchronous call (`POST /async-function/<fn>`, 202 at once): done when a queue-worker got the answer. */
  callAsync(inv: Invocation, done: (inv: Invocation) => void): void;
}

/** A workflow engine runs workflow instances on a backend. */
export interface WorkflowEngine {
  readonly name: string;
  /** Start `run` now; `onDone(run)` once, when the engine reports its end (`run.reportedEnd`). */
  start(run: WorkflowRun, onDone: (run: WorkflowRun) => void): void;
}

/** Per-run state the engines keep. */
export interface RunState {
  run: WorkflowRun;
  onDone: (run: WorkflowRun) => void;
  /** Unfinished `after` dependencies per stage. */
  depsLeft: Int32Array;
  stagesLeft: number;
}

export function newRunState(run: WorkflowRun, onDone: (run: WorkflowRun) => void): RunState {
  const depsLeft = new Int32Array(run.workflow.stages.length);
  for (const s of run.workflow.stages) depsLeft[s.index] = s.after.length;
  return { run, onDone, depsLeft, stagesLeft: run.workflow.stages.length };
}

/** Stages with no dependencies, in topological order. */
export function rootStages(st: RunState): ValidStage[] {
  return st.run.workflow.stages.filter((s) => s.after.length === 0);
}

/**
 * Mark `stage` as learnt complete at `now`; returns the children that became ready (topological
 * order). Records the failure of any of its invocations on the run.
 */
export function completeStage(st: RunState, stage: ValidStage, now: Time): ValidStage[] {
  const run = st.run;
  run.stageEnd[stage.index] = now;
  st.stagesLeft--;
  const ready: ValidStage[] = [];
  for (const c of stage.children) if (--st.depsLeft[c] === 0) ready.push(run.workflow.stages[c]);
  return ready;
}

/** Record the outcome of an invocation on its run. */
export function noteOutcome(inv: Invocation): void {
  if (!inv.ok && !inv.run.failed) {
    inv.run.failed = true;
    inv.run.firstError = `${inv.stage.name}[${inv.items.length === 1 ? inv.items[0] : 'all'}]: ${inv.error}`;
  }
}

/** Time of the latest execution end among the run's invocations (the true end of the workflow). */
export function lastExecEnd(run: WorkflowRun): Time {
  let t = -1;
  for (const inv of run.invocations) if (inv.execEnd > t) t = inv.execEnd;
  return t;
}

/** Convenience: an engine over `sim` that counts runs. */
export abstract class EngineBase implements WorkflowEngine {
  abstract readonly name: string;
  runsStarted = 0;
  runsDone = 0;
  constructor(readonly sim: Simulation, readonly backend: InvocationBackend) {}
  abstract start(run: WorkflowRun, onDone: (run: WorkflowRun) => void): void;
}
