/**
 * ScenarioError: the one error class for bad scenario input (DESIGN.md rule 6). It carries
 * every problem found, each naming the path inside the file, the line and column when
 * known, what was expected and what was found.
 */
import { formatPath, type PathSegment } from './path.js';

/** One problem in a scenario file. */
export interface ScenarioProblem {
  /** Path inside the document (empty for the whole file). */
  path: PathSegment[];
  /** 1-based line and column in the file, when known. */
  line?: number;
  column?: number;
  /** Where the value came from when not from the file, e.g. `--set functions[0].replicas=3`. */
  origin?: string;
  /** What was expected, e.g. `a positive integer`. */
  expected: string;
  /** What was found, e.g. `number -3`. */
  found: string;
}

/**
 * Format one problem as `nodes[2].cores (line 12, column 7): expected ..., found ...`
 * (without the line and column when `withLine` is false).
 */
export function formatProblem(p: ScenarioProblem, withLine = true): string {
  const where: string[] = [];
  if (withLine && p.line !== undefined) where.push(`line ${p.line}, column ${p.column ?? 1}`);
  if (p.origin !== undefined) where.push(`from ${p.origin}`);
  const what = `expected ${p.expected}, found ${p.found}`;
  if (p.path.length === 0) return where.length === 0 ? what : `${where.join('; ')}: ${what}`;
  return `${formatPath(p.path)}${where.length > 0 ? ` (${where.join('; ')})` : ''}: ${what}`;
}

/** Bad scenario input: names the file and lists every problem found. */
export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';

  constructor(
    readonly file: string,
    readonly problems: readonly ScenarioProblem[],
  ) {
    super(ScenarioError.compose(file, problems));
  }

  private static compose(file: string, problems: readonly ScenarioProblem[]): string {
    if (problems.length === 1) {
      const p = problems[0];
      if (p.line === undefined) return `${file}: ${formatProblem(p)}`;
      return `${file}:${p.line}:${p.column ?? 1}: ${formatProblem(p, false)}`;
    }
    const lines = problems.map((p) => `  - ${formatProblem(p)}`);
    return `${file}: ${problems.length} problems\n${lines.join('\n')}`;
  }
}
