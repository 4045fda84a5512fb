import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { PipelineDagError, validateDag, type DagJob } from '../../src/platform/pipelines/dag.js';
import { DagRun } from '../../src/platform/pipelines/dag-runner.js';
import { Simulation } from '../../src/core/simulation.js';

function problemsOf(jobs: DagJob[]): string {
  try {
    validateDag('p', jobs);
  } catch (e) {
    expect(e).toBeInstanceOf(PipelineDagError);
    return (e as Error).message;
  }
  throw new Error('expected validateDag to throw');
}

describe('validateDag errors name the path, what was expected and what was found', () => {
  test('empty pipeline', () => {
    expect(problemsOf([])).toMatch(/jobs: expected at least one job, found none/);
  });
  test('unknown dependency', () => {
    expect(problemsOf([{ name: 'a', dependsOn: [] }, { name: 'b', dependsOn: ['a', 'zz'] }]))
      .toMatch(/jobs\[1\]\.dependsOn\[1\]: expected one of "a", "b", found "zz"/);
  });
  test('duplicate names, self dependency, repeated dependency, bad name', () => {
    const msg = problemsOf([
      { name: 'a', dependsOn: [] }, { name: 'a', dependsOn: [] }, { name: 'c', dependsOn: ['c'] },
      { name: 'd', dependsOn: ['a', 'a'] }, { name: 'Bad_Name', dependsOn: [] },
    ]);
    expect(msg).toMatch(/jobs\[1\]\.name: expected a unique job name, found "a" \(also jobs\[0\]\)/);
    expect(msg).toMatch(/jobs\[2\]\.dependsOn\[0\]: expected another job/);
    expect(msg).toMatch(/jobs\[3\]\.dependsOn\[1\]: expected each dependency listed once, found "a" again/);
    expect(msg).toMatch(/jobs\[4\]\.name: expected a DNS-1123 label/);
    expect(msg).toMatch(/4 problems/);
  });
  test('a cycle is named in dependency order', () => {
    const msg = problemsOf([
      { name: 'root', dependsOn: [] }, { name: 'x', dependsOn: ['root', 'z'] }, { name: 'y', dependsOn: ['x'] }, { name: 'z', dependsOn: ['y'] },
    ]);
    expect(msg).toMatch(/expected an acyclic graph, found the cycle (x → y → z → x|y → z → x → y|z → x → y → z)/);
  });
  test('a valid DAG gives a topological order and roots', () => {
    const d = validateDag('p', [{ name: 'b', dependsOn: ['a'] }, { name: 'a', dependsOn: [] }, { name: 'c', dependsOn: ['a', 'b'] }]);
    expect(d.order.map((i) => d.names[i])).toEqual(['a', 'b', 'c']);
    expect(d.roots).toEqual([1]);
  });
});

/** A random DAG: job i may depend on any j < i (then shuffled declaration order). */
const arbDag = fc.integer({ min: 1, max: 14 }).chain((n) =>
  fc.tuple(
    fc.array(fc.array(fc.boolean(), { minLength: n, maxLength: n }), { minLength: n, maxLength: n }),
    fc.array(fc.integer({ min: 0, max: 5_000_000 }), { minLength: n, maxLength: n }),
    fc.integer({ min: 0, max: 1 << 30 }),
  ).map(([adj, durations, seed]) => {
    const jobs: DagJob[] = [];
    for (let i = 0; i < n; i++) {
      const deps: string[] = [];
      for (let j = 0; j < i; j++) if (adj[i][j]) deps.push(`j${j}`);
      jobs.push({ name: `j${i}`, dependsOn: deps });
    }
    // reverse declaration order so that order ≠ index order
    return { jobs: jobs.reverse(), durations, seed };
  }));

describe('DagRun (property): dependency order and exactly-once', () => {
  test('no job starts before all its parents completed; every job runs exactly once', () => {
    fc.assert(fc.property(arbDag, ({ jobs, durations, seed }) => {
      const dag = validateDag('random', jobs);
      const sim = new Simulation({ seed });
      const calls = new Array<number>(jobs.length).fill(0);
      const rng = sim.random.stream('test/controller');
      let finished: DagRun | null = null;
      const run = new DagRun(sim, dag, (i, done) => {
        calls[i]++;
        sim.schedule(durations[i], done, undefined);
      }, (r) => { finished = r; }, () => rng.int(1001));
      run.start();
      sim.run();
      expect(finished).toBe(run);
      expect(calls.every((c) => c === 1)).toBe(true);
      for (let i = 0; i < jobs.length; i++) {
        const t = run.timings[i];
        expect(t.completedAt).toBeGreaterThanOrEqual(t.startedAt);
        for (const p of dag.parents[i]) expect(t.startedAt).toBeGreaterThanOrEqual(run.timings[p].completedAt);
        if (dag.parents[i].length > 0) expect(t.readyAt).toBe(Math.max(...dag.parents[i].map((p) => run.timings[p].completedAt)));
      }
      expect(run.completedAt).toBe(Math.max(...run.timings.map((t) => t.completedAt)));
    }), { numRuns: 200 });
  });
});
