/**
 * Checking every configuration of a sweep before any point runs: each is validated with the
 * sweep's overrides and its axis values, and a problem caused by an axis value is reported
 * at that value in the file (`from sweep.axes["functions[0].arrivals.rate"][2]`, with its
 * line and column) rather than as a `--set`.
 */
import { formatProblem, ScenarioError, type ScenarioProblem } from '../../scenario/errors.js';
import { validateSource } from '../../scenario/load.js';
import { formatPath } from '../../scenario/path.js';
import type { ScenarioSource } from '../../scenario/source.js';
import { configOverrides, type SweepPlan } from './expand.js';

/** Validate every configuration of `plan`; throws one ScenarioError listing every distinct problem. */
export function validatePlan(plan: SweepPlan, source: ScenarioSource): void {
  const where = new Map<string, { axis: number; value: number }>();
  plan.axes.forEach((a, ai) => a.values.forEach((_, vi) => {
    const sets = configOverrides([a], [a.values[vi]]);
    where.set(`--set ${sets[0]}`, { axis: ai, value: vi });
  }));
  const problems: ScenarioProblem[] = [];
  const seen = new Set<string>();
  for (const c of plan.configs) {
    try {
      validateSource(source, { set: [...plan.set, ...configOverrides(plan.axes, c.values)] });
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      for (const p of e.problems) {
        const hit = p.origin === undefined ? undefined : where.get(p.origin);
        let q = p;
        if (hit) {
          const axisPath = ['sweep', 'axes', plan.axes[hit.axis].path, hit.value];
          const pos = source.locate(axisPath);
          q = { ...p, origin: formatPath(axisPath), line: pos?.line, column: pos?.column };
        }
        const key = formatProblem(q);
        if (!seen.has(key)) {
          seen.add(key);
          problems.push(q);
        }
      }
    }
  }
  if (problems.length > 0) throw new ScenarioError(source.file, problems);
}
