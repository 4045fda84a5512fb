/**
 * Runs one pipeline DAG on the simulation clock (the Argo Workflows controller of Kubeflow
 * Pipelines, study 2 Sec. 4.1): roots start at once; a job starts when every parent has
 * completed, after the controller's reaction delay; each job runs exactly once, through a
 * JobExecutor (the Kubernetes job pod of kube-job.ts, or anything else in tests). When the
 * last job completes, `onDone` is called with the start and completion time of every job.
 */
import type { Simulation } from '../../core/simulation.js';
import type { Time } from '../../core/time.js';
import type { ValidDag } from './dag.js';

/** Runs one job; calls `done()` exactly once when it has completed. */
export type JobExecutor = (jobIndex: number, done: () => void) => void;

/** Timing of one job in a DAG run, µs (−1 until reached). */
export interface DagJobTiming {
  /** All parents completed (the controller noticed). */
  readyAt: Time;
  /** The executor was called. */
  startedAt: Time;
  completedAt: Time;
}

/** One run of a DAG. Create, then `start()`. */
export class DagRun {
  readonly timings: DagJobTiming[];
  startedAt: Time = -1;
  completedAt: Time = -1;
  private readonly pending: Int32Array;
  private remaining: number;
  private readonly launchEvent = (i: number): void => this.launch(i);

  /**
   * @param controllerDelay draws the delay (µs, ≥ 0) between a job becoming ready and its
   *   start (the workflow controller's reconcile); default none.
   */
  constructor(
    private readonly sim: Simulation,
    readonly dag: ValidDag,
    private readonly execute: JobExecutor,
    private readonly onDone: (run: DagRun) => void,
    private readonly controllerDelay: () => Time = () => 0,
  ) {
    const n = dag.names.length;
    this.timings = Array.from({ length: n }, () => ({ readyAt: -1, startedAt: -1, completedAt: -1 }));
    this.pending = new Int32Array(n);
    for (let i = 0; i < n; i++) this.pending[i] = dag.parents[i].length;
    this.remaining = n;
  }

  /** Start the roots now. */
  start(): void {
    if (this.startedAt >= 0) throw new Error('DagRun.start: expected a run that has not started, found one started already');
    this.startedAt = this.sim.now;
    for (const r of this.dag.roots) this.ready(r);
  }

  private ready(i: number): void {
    this.timings[i].readyAt = this.sim.now;
    const d = this.controllerDelay();
    if (!(d >= 0)) throw new RangeError(`DagRun: controllerDelay: expected ≥ 0 µs, found ${d}`);
    this.sim.schedule(Math.round(d), this.launchEvent, i);
  }

  private launch(i: number): void {
    const t = this.timings[i];
    t.startedAt = this.sim.now;
    let called = false;
    this.execute(i, () => {
      if (called) throw new Error(`DagRun: job "${this.dag.names[i]}" reported completion twice`);
      called = true;
      this.complete(i);
    });
  }

  private complete(i: number): void {
    this.timings[i].completedAt = this.sim.now;
    this.remaining--;
    for (const c of this.dag.children[i]) if (--this.pending[c] === 0) this.ready(c);
    if (this.remaining === 0) {
      this.completedAt = this.sim.now;
      this.onDone(this);
    }
  }
}
