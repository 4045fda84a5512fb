/**
 * A pipeline DAG: named jobs and the jobs each depends on (Kubeflow Pipelines / Argo
 * `dependencies`; study 2 "Exp. 1 pipeline: jobs and DAG"). validateDag checks it and returns
 * a topological order; every problem is reported with its path inside the pipeline
 * (`jobs[3].dependsOn[1]`) and what was expected and found.
 */

/** One job of a DAG: its name and the names of the jobs that must complete before it starts. */
export interface DagJob {
  readonly name: string;
  readonly dependsOn: readonly string[];
}

/** A problem found by validateDag. */
export interface DagProblem {
  /** Path inside the pipeline, e.g. `jobs[3].dependsOn[1]`. */
  path: string;
  expected: string;
  found: string;
}

/** Thrown by validateDag with every problem it found. */
export class PipelineDagError extends Error {
  constructor(readonly pipeline: string, readonly problems: readonly DagProblem[]) {
    super(`pipeline "${pipeline}": ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n` +
      problems.map((p) => `  ${p.path}: expected ${p.expected}, found ${p.found}`).join('\n'));
    this.name = 'PipelineDagError';
  }
}

/** A validated DAG: jobs by index, parents/children as index lists, a topological order. */
export interface ValidDag {
  readonly names: readonly string[];
  readonly parents: readonly (readonly number[])[];
  readonly children: readonly (readonly number[])[];
  /** Job indices, every job after all its parents (ties in declaration order). */
  readonly order: readonly number[];
  readonly roots: readonly number[];
}

const NAME_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Validate a DAG: at least one job; names are DNS-1123 labels (Kubernetes/Argo template names),
 * unique; every dependency names another job, listed once; no cycles (the cycle is named,
 * `a → b → a`). Throws PipelineDagError listing all problems; returns the indexed DAG.
 */
export function validateDag(pipeline: string, jobs: readonly DagJob[]): ValidDag {
  const problems: DagProblem[] = [];
  if (jobs.length === 0) problems.push({ path: 'jobs', expected: 'at least one job', found: 'none' });
  const index = new Map<string, number>();
  jobs.forEach((j, i) => {
    if (typeof j.name !== 'string' || !NAME_RE.test(j.name) || j.name.length > 63) {
      problems.push({ path: `jobs[${i}].name`, expected: 'a DNS-1123 label (lower-case letters, digits, "-", at most 63)', found: JSON.stringify(j.name) });
    }
    const prev = index.get(j.name);
    if (prev !== undefined) problems.push({ path: `jobs[${i}].name`, expected: 'a unique job name', found: `"${j.name}" (also jobs[${prev}])` });
    else index.set(j.name, i);
  });
  const parents: number[][] = jobs.map(() => []);
  const children: number[][] = jobs.map(() => []);
  jobs.forEach((j, i) => {
    const seen = new Set<string>();
    (j.dependsOn ?? []).forEach((d, k) => {
      const path = `jobs[${i}].dependsOn[${k}]`;
      const p = index.get(d);
      if (d === j.name) problems.push({ path, expected: 'another job (a job cannot depend on itself)', found: `"${d}"` });
      else if (p === undefined) {
        const known = [...index.keys()].map((n) => `"${n}"`).join(', ');
        problems.push({ path, expected: `one of ${known}`, found: `"${d}"` });
      } else if (seen.has(d)) problems.push({ path, expected: 'each dependency listed once', found: `"${d}" again` });
      else {
        parents[i].push(p);
        children[p].push(i);
      }
      seen.add(d);
    });
  });
  if (problems.length > 0) throw new PipelineDagError(pipeline, problems);
  // Kahn's algorithm, lowest declaration index first (deterministic order).
  const pending = parents.map((p) => p.length);
  const ready: number[] = [];
  for (let i = 0; i < jobs.length; i++) if (pending[i] === 0) ready.push(i);
  const roots = ready.slice();
  const order: number[] = [];
  while (ready.length > 0) {
    let best = 0;
    for (let k = 1; k < ready.length; k++) if (ready[k] < ready[best]) best = k;
    const i = ready.splice(best, 1)[0];
    order.push(i);
    for (const c of children[i]) if (--pending[c] === 0) ready.push(c);
  }
  if (order.length < jobs.length) {
    const cycle = findCycle(parents, pending);
    const names = cycle.map((i) => jobs[i].name);
    throw new PipelineDagError(pipeline, [{
      path: `jobs[${cycle[0]}].dependsOn`,
      expected: 'an acyclic graph',
      found: `the cycle ${names.join(' → ')} → ${names[0]}`,
    }]);
  }
  return { names: jobs.map((j) => j.name), parents, children, order, roots };
}

/** A cycle among the jobs Kahn's algorithm could not order (pending > 0), as job indices. */
function findCycle(parents: readonly (readonly number[])[], pending: readonly number[]): number[] {
  // Every unordered job has an unordered parent: walk parents until a job repeats.
  let i = pending.findIndex((p) => p > 0);
  const seenAt = new Map<number, number>();
  const walk: number[] = [];
  while (!seenAt.has(i)) {
    seenAt.set(i, walk.length);
    walk.push(i);
    i = parents[i].find((p) => pending[p] > 0) as number;
  }
  // walk[k..] is the cycle in child → parent direction; reverse it to read parent → child.
  return walk.slice(seenAt.get(i)).reverse();
}
