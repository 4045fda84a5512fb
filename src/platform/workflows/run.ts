/**
 * One workflow instance (a request): its items and their attributes, the invocations it makes,
 * the object-store keys its stages write and read, and its timeline. Engines drive it; the function
 * host executes its invocations.
 *
 * Object keys: `<run>/<stage>/<item>` for per-item objects, `<run>/<stage>/all` for the one object
 * of an invocation of a `once` stage (per-item stages write only per-item objects).
 */
import type { Time } from '../../core/time.js';
import { stageItems, type ValidStage, type ValidWorkflow } from './dag.js';

/** One function invocation of a run. */
export interface Invocation {
  readonly id: number;
  readonly run: WorkflowRun;
  readonly stage: ValidStage;
  /** Items the invocation covers (one for a per-item stage, the stage's selection for `once`). */
  readonly items: readonly number[];
  /** Engine issued it (µs). */
  issued: Time;
  /** The function started / finished executing it (µs; −1 until then). */
  execStart: Time;
  execEnd: Time;
  /** The engine heard that it ended. */
  end: Time;
  /** Node that executed it ('' until it started). */
  node: string;
  /** Bytes read from and written to the object store. */
  bytesRead: number;
  bytesWritten: number;
  /** Object-store requests made. */
  gets: number;
  puts: number;
  ok: boolean;
  /** Failure reason (HTTP reason or object-store error) when !ok. */
  error: string;
}

/** A per-stage record of a finished run. */
export interface StageRecord {
  stage: string;
  fn: string;
  invocations: number;
  /** Engine started / learnt the end of the stage, µs since the run started. */
  start: Time;
  end: Time;
  /** Σ over invocations of execEnd − execStart, µs. */
  execSum: Time;
}

let nextRunId = 0;

/** A workflow instance. */
export class WorkflowRun {
  readonly id: number;
  readonly startedAt: Time;
  /** attrs[a][i] = 1 when item i has attribute a. */
  readonly attrs: readonly Uint8Array[];
  readonly selection: readonly (readonly number[])[];
  readonly invocations: Invocation[] = [];
  readonly stageStart: Float64Array;
  readonly stageEnd: Float64Array;
  /** Invocations of each stage not yet ended. */
  readonly outstanding: Int32Array;
  /** True end: the last stage's last invocation ended (µs), −1 while running. */
  trueEnd: Time = -1;
  /** End the engine reports (after its completion detection), −1 while running. */
  reportedEnd: Time = -1;
  failed = false;
  firstError = '';

  constructor(readonly workflow: ValidWorkflow, readonly items: number, attrs: readonly Uint8Array[], now: Time, readonly tag = '') {
    if (!(Number.isInteger(items) && items >= 1)) throw new RangeError(`workflow "${workflow.name}": items: expected an integer ≥ 1, found ${items}`);
    if (attrs.length !== workflow.itemAttributes.length) {
      throw new RangeError(`workflow "${workflow.name}": item attributes: expected ${workflow.itemAttributes.length} tables [${workflow.itemAttributes.join(', ')}], found ${attrs.length}`);
    }
    for (let a = 0; a < attrs.length; a++) {
      if (attrs[a].length < items) throw new RangeError(`workflow "${workflow.name}": attribute "${workflow.itemAttributes[a]}": expected ≥ ${items} values, found ${attrs[a].length}`);
    }
    this.id = nextRunId++;
    this.attrs = attrs;
    this.startedAt = now;
    const n = workflow.stages.length;
    this.selection = workflow.stages.map((s) => stageItems(s, items, attrs));
    this.stageStart = new Float64Array(n).fill(-1);
    this.stageEnd = new Float64Array(n).fill(-1);
    this.outstanding = new Int32Array(n);
  }

  /** Attribute table by name (throws for an unknown attribute). */
  readonly attribute = (name: string): Uint8Array => {
    const a = this.workflow.itemAttributes.indexOf(name);
    if (a < 0) throw new RangeError(`workflow "${this.workflow.name}": item attribute: expected one of [${this.workflow.itemAttributes.join(', ')}], found "${name}"`);
    return this.attrs[a];
  };

  get done(): boolean {
    return this.reportedEnd >= 0;
  }

  /** Invocations a stage makes in this run: one per selected item, or one covering the selection. */
  planStage(stage: ValidStage, now: Time): Invocation[] {
    const sel = this.selection[stage.index];
    const out: Invocation[] = [];
    if (stage.mode === 'once') out.push(this.newInvocation(stage, sel, now));
    else for (const i of sel) out.push(this.newInvocation(stage, [i], now));
    this.outstanding[stage.index] += out.length;
    if (this.stageStart[stage.index] < 0) this.stageStart[stage.index] = now;
    return out;
  }

  private newInvocation(stage: ValidStage, items: readonly number[], now: Time): Invocation {
    const inv: Invocation = {
      id: this.invocations.length, run: this, stage, items, issued: now, execStart: -1, execEnd: -1, end: -1, node: '',
      bytesRead: 0, bytesWritten: 0, gets: 0, puts: 0, ok: false, error: '',
    };
    this.invocations.push(inv);
    return inv;
  }

  /** Key strings built so far, per stage, indexed by item + 1 (one string object per key). */
  private readonly keyCache: (string | undefined)[][] = [];

  /**
   * Object key of `stage`'s output for `item` (−1 = the invocation's single object). The same
   * string object is returned every time (built and flattened once; the store's map hashes it once).
   */
  key(stage: ValidStage, item: number): string {
    const byItem = (this.keyCache[stage.index] ??= []);
    let k = byItem[item + 1];
    if (k === undefined) {
      k = `run${this.id}/${stage.name}/${item < 0 ? 'all' : item}`;
      byItem[item + 1] = k;
    }
    return k;
  }

  /** Objects `inv` reads: per parent in `reads`, its objects for the invocation's items. */
  readsOf(inv: Invocation): string[] {
    const wf = this.workflow;
    const keys: string[] = [];
    for (const p of inv.stage.reads) {
      const ps = wf.stages[p];
      const psel = this.selection[p];
      if (ps.bytes > 0 && ps.mode === 'once') keys.push(this.key(ps, -1));
      if (ps.bytesPerItem > 0) {
        for (const i of inv.items) if (ps.mode === 'once' || contains(psel, i)) keys.push(this.key(ps, i));
      }
    }
    return keys;
  }

  /** Objects `inv` writes, with their sizes. */
  writesOf(inv: Invocation): { key: string; bytes: number }[] {
    const s = inv.stage;
    const out: { key: string; bytes: number }[] = [];
    if (s.bytesPerItem > 0) for (const i of inv.items) out.push({ key: this.key(s, i), bytes: s.bytesPerItem });
    if (s.bytes > 0 && s.mode === 'once') out.push({ key: this.key(s, -1), bytes: s.bytes });
    return out;
  }

  /** Per-stage records (times relative to the run start). */
  stageRecords(): StageRecord[] {
    return this.workflow.stages.map((s) => {
      let execSum = 0;
      let count = 0;
      for (const inv of this.invocations) {
        if (inv.stage !== s) continue;
        count++;
        if (inv.execEnd >= 0 && inv.execStart >= 0) execSum += inv.execEnd - inv.execStart;
      }
      return {
        stage: s.name, fn: s.fn, invocations: count,
        start: this.stageStart[s.index] < 0 ? -1 : this.stageStart[s.index] - this.startedAt,
        end: this.stageEnd[s.index] < 0 ? -1 : this.stageEnd[s.index] - this.startedAt,
        execSum,
      };
    });
  }
}

/** Binary search in a sorted list. */
function contains(sorted: readonly number[], x: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const m = (lo + hi) >> 1;
    if (sorted[m] === x) return true;
    if (sorted[m] < x) lo = m + 1;
    else hi = m - 1;
  }
  return false;
}
