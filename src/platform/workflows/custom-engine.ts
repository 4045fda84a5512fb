/**
 * The custom Python engine of study 5 (§4.2.4, §5.2.3; modelling note 5): one single-threaded
 * driver that issues OpenFaaS CLI calls through `subprocess` and detects completions by polling
 * logs.
 *
 * - Every call costs the driver `cliOverhead` (spawning `faas-cli`; suggested initial value 0.1 s,
 *   fitted) before the request reaches the gateway. Calls are issued one after another.
 * - `once` stages are called synchronously: the driver blocks until the answer.
 * - `per-item` stages are called asynchronously (one 202-accepted message per item, executed by the
 *   queue-workers: "queue-worker agnostic"); with `asyncPerItem: false` they are called
 *   synchronously one by one (the engine's sync mode).
 * - An asynchronous stage is learnt complete at the first poll tick after its last invocation
 *   ended; ticks lie at `phase + k·pollPeriod` from the run start, the phase drawn per run from the
 *   stream `workflows/<engine>/poll-phase` (suggested default 0.4 s period with a seeded phase).
 * - The reported end is the first poll tick at or after the true end (Outputter's output written),
 *   so reported − true ∈ [0, pollPeriod) (CT5-19: at most 400 ms).
 */
import type { RandomStream } from '../../core/random.js';
import type { Simulation } from '../../core/simulation.js';
import type { Time } from '../../core/time.js';
import type { ValidStage } from './dag.js';
import { EngineBase, completeStage, lastExecEnd, newRunState, noteOutcome, rootStages, type InvocationBackend, type RunState } from './engine.js';
import type { Invocation, WorkflowRun } from './run.js';

export interface CustomEngineOptions {
  /** Driver time per CLI call, µs (study 5: suggested 0.1 s, fitted). */
  cliOverhead: Time;
  /** Log-polling period, µs (study 5 §5.2.5: 0.4 s). */
  pollPeriod: Time;
  /** Call per-item stages asynchronously through the queue (default true). */
  asyncPerItem?: boolean;
  /** Stream name of the poll phase (default `workflows/custom/poll-phase`). */
  stream?: string;
}

interface Action {
  st: CustomRunState;
  inv: Invocation;
  async: boolean;
}

interface CustomRunState extends RunState {
  phase: Time;
}

/** The custom engine. */
export class CustomEngine extends EngineBase {
  readonly name = 'custom';
  readonly cliOverhead: Time;
  readonly pollPeriod: Time;
  readonly asyncPerItem: boolean;
  /** CLI calls issued so far. */
  cliCalls = 0;
  private readonly queue: Action[] = [];
  private head = 0;
  private busy = false;
  private readonly rng: RandomStream;

  constructor(sim: Simulation, backend: InvocationBackend, opts: CustomEngineOptions) {
    super(sim, backend);
    if (!(Number.isInteger(opts.cliOverhead) && opts.cliOverhead >= 0)) throw new RangeError(`custom engine: cliOverhead: expected integer µs ≥ 0, found ${opts.cliOverhead}`);
    if (!(Number.isInteger(opts.pollPeriod) && opts.pollPeriod > 0)) throw new RangeError(`custom engine: pollPeriod: expected integer µs > 0, found ${opts.pollPeriod}`);
    this.cliOverhead = opts.cliOverhead;
    this.pollPeriod = opts.pollPeriod;
    this.asyncPerItem = opts.asyncPerItem ?? true;
    this.rng = sim.random.stream(opts.stream ?? 'workflows/custom/poll-phase');
  }

  start(run: WorkflowRun, onDone: (run: WorkflowRun) => void): void {
    this.runsStarted++;
    const st: CustomRunState = { ...newRunState(run, onDone), phase: this.rng.int(this.pollPeriod) };
    this.states.set(run, st);
    for (const s of rootStages(st)) this.startStage(st, s);
  }

  /** First poll tick of the run at or after `t`. */
  nextTick(st: CustomRunState, t: Time): Time {
    const base = st.run.startedAt + st.phase;
    if (t <= base) return base;
    return base + Math.ceil((t - base) / this.pollPeriod) * this.pollPeriod;
  }

  private startStage(st: CustomRunState, s: ValidStage): void {
    const invs = st.run.planStage(s, this.sim.now);
    if (invs.length === 0) {
      // nothing selected: the driver sees an empty collection at once
      this.stageLearnt(st, s);
      return;
    }
    const async = s.mode === 'per-item' && this.asyncPerItem;
    for (const inv of invs) this.queue.push({ st, inv, async });
    this.pump();
  }

  private pump(): void {
    if (this.busy || this.head >= this.queue.length) return;
    const a = this.queue[this.head++];
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    this.busy = true;
    this.sim.schedule(this.cliOverhead, this.fire, a);
  }

  private readonly fire = (a: Action): void => {
    this.cliCalls++;
    a.inv.issued = this.sim.now;
    if (a.async) {
      this.backend.callAsync(a.inv, this.asyncDone);
      this.busy = false;
      this.pump();
    } else {
      this.backend.callSync(a.inv, this.syncDone);
    }
  };

  private readonly syncDone = (inv: Invocation): void => {
    inv.end = this.sim.now;
    noteOutcome(inv);
    this.busy = false;
    const run = inv.run;
    const st = this.stateOf(inv);
    if (--run.outstanding[inv.stage.index] === 0) this.stageLearnt(st, inv.stage);
    this.pump();
  };

  private readonly asyncDone = (inv: Invocation): void => {
    noteOutcome(inv);
    const run = inv.run;
    if (--run.outstanding[inv.stage.index] === 0) {
      const st = this.stateOf(inv);
      this.sim.scheduleAt(this.nextTick(st, this.sim.now), this.pollSeen, inv);
    }
  };

  private readonly pollSeen = (inv: Invocation): void => {
    const st = this.stateOf(inv);
    for (const i of st.run.invocations) if (i.stage === inv.stage && i.end < 0) i.end = this.sim.now;
    this.stageLearnt(st, inv.stage);
  };

  private readonly states = new Map<WorkflowRun, CustomRunState>();

  private stateOf(inv: Invocation): CustomRunState {
    return this.states.get(inv.run) as CustomRunState;
  }

  private stageLearnt(st: CustomRunState, s: ValidStage): void {
    const ready = completeStage(st, s, this.sim.now);
    if (st.stagesLeft === 0) {
      this.finish(st);
      return;
    }
    for (const c of ready) this.startStage(st, c);
  }

  private finish(st: CustomRunState): void {
    const run = st.run;
    const end = lastExecEnd(run);
    run.trueEnd = end < 0 ? this.sim.now : end;
    const reported = this.nextTick(st, run.trueEnd);
    this.states.delete(run);
    const report = (): void => {
      run.reportedEnd = reported;
      this.runsDone++;
      st.onDone(run);
    };
    if (reported <= this.sim.now) report();
    else this.sim.scheduleAt(reported, report, undefined);
  }
}
