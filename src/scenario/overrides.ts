/**
 * `--set path=value` overrides, applied to the parsed document before validation. The value
 * is read as YAML (`3`, `true`, `2m`, `{type: exponential, mean: 5}`); the path must exist in
 * the scenario's schema, and list indices must exist in the document.
 */
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import type { ScenarioProblem } from './errors.js';
import { describeValue, formatPath, parsePath, PathSyntaxError, type PathSegment } from './path.js';
import { walkSchema } from './schema-walk.js';

/** One parsed override. */
export interface Override {
  text: string;
  path: PathSegment[];
  value: unknown;
}

/** Parse `path=value` texts; problems for malformed ones. */
export function parseOverrides(texts: readonly string[]): { overrides: Override[]; problems: ScenarioProblem[] } {
  const overrides: Override[] = [];
  const problems: ScenarioProblem[] = [];
  for (const text of texts) {
    const origin = `--set ${text}`;
    const eq = text.indexOf('=');
    if (eq <= 0) {
      problems.push({ path: [], origin, expected: '--set PATH=VALUE, e.g. --set functions[0].replicas=3', found: JSON.stringify(text) });
      continue;
    }
    let path: PathSegment[];
    try {
      path = parsePath(text.slice(0, eq).trim());
    } catch (e) {
      if (!(e instanceof PathSyntaxError)) throw e;
      problems.push({ path: [], origin, expected: e.message.replace(/^expected /, '').replace(/, found .*$/, ''), found: JSON.stringify(text.slice(0, eq)) });
      continue;
    }
    let value: unknown;
    try {
      value = parseYaml(text.slice(eq + 1));
    } catch (e) {
      problems.push({ path, origin, expected: 'a YAML value', found: (e instanceof Error ? e.message : String(e)).split('\n')[0] });
      continue;
    }
    overrides.push({ text, path, value: value ?? null });
  }
  return { overrides, problems };
}

/**
 * Apply overrides to `data` in place (checked against `schema`); returns the problems found.
 * Missing intermediate mappings are created; list indices must already exist.
 */
export function applyOverrides(data: Record<string, unknown>, overrides: readonly Override[], schema: z.ZodType, kindLabel: string): ScenarioProblem[] {
  const problems: ScenarioProblem[] = [];
  for (const o of overrides) {
    const origin = `--set ${o.text}`;
    const walked = walkSchema(schema, o.path);
    if (!walked.ok) {
      const bad = o.path.slice(0, walked.failedAt + 1);
      problems.push({
        path: bad,
        origin,
        expected: `a path that exists in a ${kindLabel} scenario: at ${walked.failedAt === 0 ? 'the top level' : formatPath(o.path.slice(0, walked.failedAt))} ${walked.expected}`,
        found: typeof o.path[walked.failedAt] === 'number' ? `index [${o.path[walked.failedAt]}]` : `"${String(o.path[walked.failedAt])}"`,
      });
      continue;
    }
    let cur: unknown = data;
    let ok = true;
    for (let i = 0; i < o.path.length - 1; i++) {
      const seg = o.path[i];
      const next = o.path[i + 1];
      if (Array.isArray(cur)) {
        if (typeof seg !== 'number' || seg >= cur.length) {
          problems.push({ path: o.path.slice(0, i + 1), origin, expected: `an index below ${cur.length} (the list has ${cur.length} ${cur.length === 1 ? 'entry' : 'entries'})`, found: `index ${String(seg)}` });
          ok = false;
          break;
        }
        cur = cur[seg];
      } else if (cur !== null && typeof cur === 'object') {
        const obj = cur as Record<string, unknown>;
        if (obj[seg] === undefined) {
          if (typeof next === 'number') {
            problems.push({ path: o.path.slice(0, i + 1), origin, expected: 'a list that exists in the file', found: 'nothing' });
            ok = false;
            break;
          }
          obj[seg] = {};
        }
        cur = obj[seg];
      } else {
        problems.push({ path: o.path.slice(0, i), origin, expected: 'a mapping or list to set a field in', found: describeValue(cur) });
        ok = false;
        break;
      }
    }
    if (!ok) continue;
    const last = o.path[o.path.length - 1];
    if (Array.isArray(cur)) {
      if (typeof last !== 'number' || last >= cur.length) {
        problems.push({ path: o.path, origin, expected: `an index below ${cur.length}`, found: `index ${String(last)}` });
        continue;
      }
      cur[last] = o.value;
    } else if (cur !== null && typeof cur === 'object') {
      (cur as Record<string, unknown>)[last] = o.value;
    } else {
      problems.push({ path: o.path.slice(0, -1), origin, expected: 'a mapping or list to set a field in', found: describeValue(cur) });
    }
  }
  return problems;
}
