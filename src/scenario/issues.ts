/** Turning zod issues into ScenarioProblems that say what was expected and what was found. */
import type { z } from 'zod';
import type { ScenarioProblem } from './errors.js';
import { describeValue, getAt, type PathSegment } from './path.js';
import { closest, knownFields } from './schema-walk.js';

type Issue = z.core.$ZodIssue;

const TYPE_NAMES: Record<string, string> = {
  int: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  object: 'a mapping',
  array: 'a list',
  bigint: 'an integer',
  null: 'null',
};

function cleanPath(path: readonly PropertyKey[]): PathSegment[] {
  return path.filter((s): s is PathSegment => typeof s === 'string' || typeof s === 'number');
}

/** Problems (without locations) for the issues of one safeParse over `data` with `schema`. */
export function issuesToProblems(issues: readonly Issue[], data: unknown, schema: z.ZodType): ScenarioProblem[] {
  const out: ScenarioProblem[] = [];
  for (const issue of issues) {
    const path = cleanPath(issue.path);
    const value = getAt(data, path);
    const found = value === undefined ? 'nothing (the field is missing)' : describeValue(value);
    switch (issue.code) {
      case 'unrecognized_keys': {
        const fields = knownFields(schema, path);
        for (const key of issue.keys) {
          const guess = closest(key, fields);
          out.push({
            path: [...path, key],
            expected: fields.length > 0 ? `one of the fields ${fields.join(', ')}` : 'no further fields',
            found: `unknown field "${key}"${guess ? ` (did you mean "${guess}"?)` : ''}`,
          });
        }
        break;
      }
      case 'invalid_type': {
        const expected = TYPE_NAMES[issue.expected] ?? issue.expected;
        out.push({ path, expected, found: value === undefined ? 'nothing (the field is missing)' : found });
        break;
      }
      case 'too_small':
      case 'too_big': {
        const small = issue.code === 'too_small';
        const bound = Number(small ? (issue as { minimum: unknown }).minimum : (issue as { maximum: unknown }).maximum);
        const incl = issue.inclusive !== false;
        let expected: string;
        if (issue.origin === 'array') expected = small ? `at least ${bound} ${bound === 1 ? 'entry' : 'entries'}` : `at most ${bound} entries`;
        else if (issue.origin === 'string') expected = small ? (bound === 1 ? 'a non-empty string' : `at least ${bound} characters`) : `at most ${bound} characters`;
        else expected = `a number ${small ? (incl ? '>=' : '>') : incl ? '<=' : '<'} ${bound}`;
        out.push({ path, expected, found });
        break;
      }
      case 'invalid_value':
        out.push({ path, expected: `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`, found });
        break;
      case 'invalid_union': {
        const disc = (issue as { discriminator?: string; options?: unknown[] }).discriminator;
        const options = (issue as { options?: unknown[] }).options;
        if (disc !== undefined) {
          const where = path[path.length - 1] === disc ? path : [...path, disc];
          out.push({
            path: where,
            expected: `${disc} one of ${(options ?? []).map((o) => JSON.stringify(o)).join(', ')}`,
            found: describeValue(getAt(data, where)),
          });
        } else {
          const alts = issue.errors.map((branch) => {
            const first = branch[0];
            if (!first) return 'another form';
            if (first.code === 'invalid_type') return TYPE_NAMES[first.expected] ?? first.expected;
            return first.message;
          });
          // When a branch got past the type check, its deeper problems are the useful ones.
          const deep = issue.errors.find((b) => b.length > 0 && b.every((i) => i.code !== 'invalid_type' || i.path.length > 0));
          if (deep) {
            for (const p of issuesToProblems(deep.map((i) => ({ ...i, path: [...issue.path, ...i.path] })), data, schema)) out.push(p);
          } else {
            out.push({ path, expected: [...new Set(alts)].join(' or '), found });
          }
        }
        break;
      }
      case 'custom': {
        const params = issue.params as { expected?: string; found?: string } | undefined;
        out.push({ path, expected: params?.expected ?? issue.message, found: params?.found ?? found });
        break;
      }
      case 'not_multiple_of':
        out.push({ path, expected: `a multiple of ${String(issue.divisor)}`, found });
        break;
      default:
        out.push({ path, expected: issue.message.replace(/^Invalid input: expected /, ''), found });
    }
  }
  return out;
}
