/**
 * Function workflows: a DAG of stages over a collection of items (issue 5 item 4; study 5 §4.3.2).
 *
 * A stage invokes one function, either `once` (one invocation covering every item, e.g. Framer,
 * Outputter, a monolith) or `per-item` (one invocation per selected item, e.g. FaceDetector on each
 * frame). A per-item stage may select items by a boolean item attribute (`when`, e.g. the frames
 * with a face go to FaceAnalyzer). Control flow: a stage starts when every stage in `after` has
 * completed (the aggregation barriers of the thesis's workflows). Data flow: every stage writes its
 * outputs to the object store (`output`: bytes per item it processed and/or one object per
 * invocation) and reads, before computing, the objects of the stages in `reads` that belong to the
 * items of the invocation (they must be ancestors, so the data exists when it starts).
 *
 * `validateWorkflow` checks all of this and returns a `ValidWorkflow` (stages in a topological
 * order, index-based adjacency) or throws an error naming the workflow, the stage and the field.
 */

export type StageMode = 'once' | 'per-item';

/** What a stage writes per invocation. */
export interface StageOutput {
  /** Bytes of one object per item the invocation processed (Framer: the frames). Default 0 = none. */
  bytesPerItem?: number;
  /** Bytes of one object per invocation (e.g. the final text file). Default 0 = none. */
  bytes?: number;
}

/** One stage as written by a model or a user. */
export interface WorkflowStageSpec {
  name: string;
  /** Function the stage invokes (an OpenFaaS function name / a key of the function model). */
  fn: string;
  mode: StageMode;
  /** Stages that must complete before this one starts (control dependencies). */
  after?: readonly string[];
  /** Stages whose outputs this stage reads (each must be an ancestor through `after`). */
  reads?: readonly string[];
  /** Per-item stages only: process the items whose attribute `attr` equals `equals`. */
  when?: { attr: string; equals: boolean };
  output?: StageOutput;
}

export interface WorkflowSpec {
  name: string;
  /** Names of the boolean item attributes `when` may test (e.g. `face`). */
  itemAttributes?: readonly string[];
  stages: readonly WorkflowStageSpec[];
}

/** A validated stage with resolved indices. */
export interface ValidStage {
  readonly index: number;
  readonly name: string;
  readonly fn: string;
  readonly mode: StageMode;
  readonly after: readonly number[];
  readonly reads: readonly number[];
  readonly when: { readonly attr: number; readonly equals: boolean } | null;
  readonly bytesPerItem: number;
  readonly bytes: number;
  /** Stages that list this one in `after`. */
  readonly children: readonly number[];
}

export interface ValidWorkflow {
  readonly name: string;
  readonly itemAttributes: readonly string[];
  /** Stages in a topological order (index = position). */
  readonly stages: readonly ValidStage[];
  /** Distinct function names, in stage order. */
  readonly functions: readonly string[];
}

/** A workflow definition error: names the workflow, the stage and what was expected. */
export class WorkflowError extends Error {
  constructor(workflow: string, path: string, expected: string, found: string) {
    super(`workflow "${workflow}": ${path}: expected ${expected}, found ${found}`);
    this.name = 'WorkflowError';
  }
}

const nonNegBytes = (wf: string, path: string, v: number | undefined): number => {
  if (v === undefined) return 0;
  if (!(Number.isFinite(v) && v >= 0)) throw new WorkflowError(wf, path, 'a number of bytes ≥ 0', String(v));
  return v;
};

/** Validate a workflow spec; stages come back in a topological order (stable: spec order among ready stages). */
export function validateWorkflow(spec: WorkflowSpec): ValidWorkflow {
  const wf = typeof spec.name === 'string' && spec.name.length > 0 ? spec.name : '<unnamed>';
  if (wf === '<unnamed>') throw new WorkflowError(wf, 'name', 'a non-empty string', JSON.stringify(spec.name));
  if (!Array.isArray(spec.stages) || spec.stages.length === 0) throw new WorkflowError(wf, 'stages', 'at least one stage', String(spec.stages?.length ?? spec.stages));
  const attrs = [...(spec.itemAttributes ?? [])];
  const byName = new Map<string, number>();
  spec.stages.forEach((s, i) => {
    const at = `stages[${i}]`;
    if (typeof s.name !== 'string' || s.name.length === 0) throw new WorkflowError(wf, `${at}.name`, 'a non-empty string', JSON.stringify(s.name));
    if (byName.has(s.name)) throw new WorkflowError(wf, `${at}.name`, 'a unique stage name', `"${s.name}" again (first at stages[${byName.get(s.name)}])`);
    byName.set(s.name, i);
    if (typeof s.fn !== 'string' || s.fn.length === 0) throw new WorkflowError(wf, `stage "${s.name}".fn`, 'a function name', JSON.stringify(s.fn));
    if (s.mode !== 'once' && s.mode !== 'per-item') throw new WorkflowError(wf, `stage "${s.name}".mode`, '"once" or "per-item"', JSON.stringify(s.mode));
  });
  const ref = (s: WorkflowStageSpec, field: string, name: string): number => {
    const j = byName.get(name);
    if (j === undefined) throw new WorkflowError(wf, `stage "${s.name}".${field}`, `one of ${[...byName.keys()].map((n) => `"${n}"`).join(', ')}`, `"${name}"`);
    if (j === byName.get(s.name)) throw new WorkflowError(wf, `stage "${s.name}".${field}`, 'another stage', 'the stage itself');
    return j;
  };
  const n = spec.stages.length;
  const after: number[][] = spec.stages.map((s) => [...new Set<number>((s.after ?? []).map((a: string) => ref(s, 'after', a)))]);
  // cycle detection + topological order (Kahn, stable by spec index)
  const indeg = after.map((a) => a.length);
  const kids: number[][] = Array.from({ length: n }, () => []);
  after.forEach((a, i) => a.forEach((p) => kids[p].push(i)));
  const order: number[] = [];
  const ready: number[] = [];
  for (let i = 0; i < n; i++) if (indeg[i] === 0) ready.push(i);
  while (ready.length > 0) {
    ready.sort((a, b) => a - b);
    const i = ready.shift() as number;
    order.push(i);
    for (const k of kids[i]) if (--indeg[k] === 0) ready.push(k);
  }
  if (order.length < n) {
    const cyc = findCycle(after, indeg);
    throw new WorkflowError(wf, 'stages[].after', 'an acyclic graph', `the cycle ${cyc.map((i) => `"${spec.stages[i].name}"`).join(' → ')}`);
  }
  // ancestors for the reads check
  const anc: Set<number>[] = Array.from({ length: n }, () => new Set<number>());
  for (const i of order) for (const p of after[i]) {
    anc[i].add(p);
    for (const q of anc[p]) anc[i].add(q);
  }
  const pos = new Array<number>(n);
  order.forEach((i, k) => { pos[i] = k; });
  const stages: ValidStage[] = order.map((i, k) => {
    const s = spec.stages[i];
    const reads = [...new Set<number>((s.reads ?? []).map((r: string) => ref(s, 'reads', r)))];
    for (const r of reads) {
      if (!anc[i].has(r)) throw new WorkflowError(wf, `stage "${s.name}".reads`, 'stages that complete before it (ancestors through `after`)', `"${spec.stages[r].name}", which is not an ancestor`);
    }
    let when: ValidStage['when'] = null;
    if (s.when !== undefined) {
      if (s.mode !== 'per-item') throw new WorkflowError(wf, `stage "${s.name}".when`, 'no `when` on a "once" stage', JSON.stringify(s.when));
      const a = attrs.indexOf(s.when.attr);
      if (a < 0) throw new WorkflowError(wf, `stage "${s.name}".when.attr`, `one of the item attributes [${attrs.join(', ')}]`, JSON.stringify(s.when.attr));
      if (typeof s.when.equals !== 'boolean') throw new WorkflowError(wf, `stage "${s.name}".when.equals`, 'true or false', JSON.stringify(s.when.equals));
      when = { attr: a, equals: s.when.equals };
    }
    return {
      index: k, name: s.name, fn: s.fn, mode: s.mode,
      after: after[i].map((p) => pos[p]).sort((a, b) => a - b),
      reads: reads.map((r) => pos[r]).sort((a, b) => a - b),
      when,
      bytesPerItem: nonNegBytes(wf, `stage "${s.name}".output.bytesPerItem`, s.output?.bytesPerItem),
      bytes: nonNegBytes(wf, `stage "${s.name}".output.bytes`, s.output?.bytes),
      children: kids[i].map((c) => pos[c]).sort((a, b) => a - b),
    };
  });
  const functions: string[] = [];
  for (const s of stages) if (!functions.includes(s.fn)) functions.push(s.fn);
  return { name: wf, itemAttributes: attrs, stages, functions };
}

function findCycle(after: number[][], indeg: number[]): number[] {
  // every node left with indeg > 0 lies on or after a cycle; walk parents until a repeat
  let v = indeg.findIndex((d) => d > 0);
  const seen = new Map<number, number>();
  const path: number[] = [];
  while (!seen.has(v)) {
    seen.set(v, path.length);
    path.push(v);
    v = after[v].find((p) => indeg[p] > 0) as number;
  }
  const cyc = path.slice(seen.get(v)).reverse(); // parent links reversed = the edge direction
  return [...cyc, cyc[0]];
}

/** Items an invocation set of `stage` covers, given the per-item attribute table. */
export function stageItems(stage: ValidStage, items: number, attrs: readonly Uint8Array[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < items; i++) {
    if (stage.when === null || (attrs[stage.when.attr][i] === 1) === stage.when.equals) out.push(i);
  }
  return out;
}
