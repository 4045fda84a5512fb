/**
 * The scenario loader: read a file, apply `--set` overrides, validate the common header and
 * the kind's body against one strict schema, run the kind's cross-field checks, and report
 * every problem together in one ScenarioError (DESIGN.md rule 6).
 */
import { z } from 'zod';
import { ScenarioError, type ScenarioProblem } from './errors.js';
import { headerShape, type sweepSchema } from './header.js';
import { issuesToProblems } from './issues.js';
import { applyOverrides, parseOverrides, type Override } from './overrides.js';
import { describeValue, type PathSegment } from './path.js';
import { getKind, kindNames, type KindDefinition, type ScenarioHeader } from './registry.js';
import { readScenarioSource, type ScenarioSource } from './source.js';
import './kinds/index.js';

/** A validated scenario, ready to build. */
export interface LoadedScenario {
  file: string;
  header: ScenarioHeader;
  /** The kind's validated body (its schema's output: the fields beside the header). */
  body: Record<string, unknown>;
  kind: KindDefinition;
  /** The `sweep:` block, when the file declares one (axes × seeds; see experiment/sweep). */
  sweep?: SweepBlock;
}

/** A validated `sweep:` block: axis path text -> values, and the number of seeds. */
export type SweepBlock = z.output<typeof sweepSchema>;

export interface LoadOptions {
  /** `path=value` overrides (the CLI's --set). */
  set?: readonly string[];
}

const schemaCache = new Map<string, z.ZodObject>();

/** The full strict schema (header + body) of a kind. */
export function scenarioSchema(kind: KindDefinition): z.ZodObject {
  let s = schemaCache.get(kind.kind);
  if (!s) {
    s = z.strictObject({ ...headerShape, ...kind.schema.shape });
    schemaCache.set(kind.kind, s);
  }
  return s;
}

/** Load and validate a scenario file. Throws ScenarioError listing every problem. */
export function loadScenario(file: string, opts: LoadOptions = {}): LoadedScenario {
  return validateSource(readScenarioSource(file), opts);
}

/** Validate an already parsed source (used by loadScenario and by tests on inline text). */
export function validateSource(source: ScenarioSource, opts: LoadOptions = {}): LoadedScenario {
  const { file } = source;
  const parsed = parseOverrides(opts.set ?? []);
  const problems: ScenarioProblem[] = [...parsed.problems];
  // Overrides are applied to a copy: the parsed source stays as read.
  const data: unknown = structuredClone(source.data);
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new ScenarioError(file, [{ path: [], line: 1, column: 1, expected: 'a mapping with fields name, duration, kind, ...', found: describeValue(data) }]);
  }
  const doc = data as Record<string, unknown>;
  // A --set of `kind` decides which schema the other overrides are checked against.
  const kindOverride = parsed.overrides.find((o) => o.path.length === 1 && o.path[0] === 'kind');
  const kindValue = kindOverride ? kindOverride.value : doc.kind;
  const kind = typeof kindValue === 'string' ? getKind(kindValue) : undefined;
  const schema = kind ? scenarioSchema(kind) : z.looseObject(headerShape);
  problems.push(...applyOverrides(doc, parsed.overrides, schema, kind ? `"${kind.kind}"` : 'any'));

  const fromSet = (path: readonly PathSegment[]): Override | undefined =>
    parsed.overrides.find((o) => o.path.length <= path.length && o.path.every((s, i) => s === path[i]));
  const locate = (p: ScenarioProblem, key: boolean): ScenarioProblem => {
    if (p.origin !== undefined || p.line !== undefined) return p;
    const o = fromSet(p.path);
    if (o) return { ...p, origin: `--set ${o.text}` };
    const pos = source.locate(p.path, key);
    return pos ? { ...p, line: pos.line, column: pos.column } : p;
  };

  if (!kind) {
    const names = kindNames();
    problems.push(
      locate(
        {
          path: ['kind'],
          expected: `one of the scenario kinds ${names.map((n) => `"${n}"`).join(', ')}`,
          found: kindValue === undefined ? 'nothing (the field is missing)' : describeValue(kindValue),
        },
        false,
      ),
    );
  }
  const result = schema.safeParse(doc);
  if (!result.success) {
    const issues = kind ? result.error.issues : result.error.issues.filter((i) => !(i.path.length === 1 && i.path[0] === 'kind'));
    for (const p of issuesToProblems(issues, doc, schema)) {
      const unknownField = p.found.startsWith('unknown field');
      problems.push(locate(p, unknownField));
    }
  }
  if (problems.length > 0 || !kind || !result.success) throw new ScenarioError(file, sortProblems(problems));

  const { name, description, seed, duration, output, sweep, ...body } = result.data as Record<string, unknown> & ScenarioHeader & { sweep?: SweepBlock };
  const header: ScenarioHeader = { name, description, seed, duration, kind: kind.kind, output };
  delete (body as Record<string, unknown>).kind;
  if (kind.refine) {
    const refineProblems: ScenarioProblem[] = [];
    kind.refine(body, (path, expected, found) => refineProblems.push(locate({ path, expected, found }, false)));
    if (refineProblems.length > 0) throw new ScenarioError(file, sortProblems(refineProblems));
  }
  return sweep === undefined ? { file, header, body, kind } : { file, header, body, kind, sweep };
}

function sortProblems(ps: ScenarioProblem[]): ScenarioProblem[] {
  return ps
    .map((p, i) => ({ p, i }))
    .sort((a, b) => (a.p.line ?? Infinity) - (b.p.line ?? Infinity) || (a.p.column ?? 0) - (b.p.column ?? 0) || a.i - b.i)
    .map(({ p }) => p);
}
