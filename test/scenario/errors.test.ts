// One test per class of bad scenario input: each message names the file, the path inside it
// (and the line when known), what was expected and what was found.
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import { ScenarioError } from '../../src/scenario/errors.js';
import { SMALL_YAML, smallWith, tempFile } from './helpers.js';

function errorOf(file: string, set?: string[]): ScenarioError {
  try {
    loadScenario(file, { set });
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return e as ScenarioError;
  }
  throw new Error(`expected ${file} to be rejected`);
}

describe('scenario errors', () => {
  it('accepts the valid base scenario', () => {
    const s = loadScenario(tempFile('ok.yaml', SMALL_YAML));
    expect(s.header).toMatchObject({ name: 'small', kind: 'serving', duration: 30_000_000 });
    expect(s.header.output).toEqual({ requests: false, sampleInterval: 1_000_000 });
  });

  it('unknown field: names path, line, the known fields and a likely typo', () => {
    const file = tempFile('unknown.yaml', smallWith('    cores: 2\n', '    cores: 2\n    coers: 3\n'));
    const e = errorOf(file);
    expect(e.message).toContain(file);
    expect(e.message).toMatch(/:9:5: nodes\[1\]\.coers: expected one of the fields name, cores, speed, found unknown field "coers" \(did you mean "cores"\?\)/);
    expect(e.problems).toHaveLength(1);
  });

  it('wrong type: expected and found, with line and column', () => {
    const file = tempFile('type.yaml', smallWith('    cores: 2\n', '    cores: two\n'));
    const e = errorOf(file);
    expect(e.message).toBe(`${file}:8:12: nodes[1].cores: expected a number, found the string "two"`);
  });

  it('missing required field', () => {
    const file = tempFile('missing.yaml', smallWith('    arrivals: {type: poisson, rate: 10}\n', ''));
    const e = errorOf(file);
    expect(e.message).toContain('functions[0].arrivals');
    expect(e.message).toContain('found nothing (the field is missing)');
  });

  it('negative duration', () => {
    const file = tempFile('neg.yaml', smallWith('duration: 30s', 'duration: -30s'));
    const e = errorOf(file);
    expect(e.message).toBe(`${file}:2:11: duration: expected a non-negative duration, found the string "-30s"`);
  });

  it('bad duration string and a duration without unit', () => {
    const e1 = errorOf(tempFile('bad-dur.yaml', smallWith('duration: 30s', 'duration: 30 seconds')));
    expect(e1.message).toMatch(/bad-dur\.yaml:2:11: duration: expected a duration with a unit such as 90s, 15m, 2h or 250ms, found the string "30 seconds"/);
    const e2 = errorOf(tempFile('no-unit.yaml', smallWith('duration: 30s', 'duration: 30')));
    expect(e2.message).toMatch(/no-unit\.yaml:2:11: duration: expected a duration .*found number 30/);
  });

  it('missing file', () => {
    const e = errorOf('/nonexistent/dir/scenario.yaml');
    expect(e.message).toBe('/nonexistent/dir/scenario.yaml: expected a readable scenario file, found no such file');
  });

  it('unsupported extension', () => {
    const e = errorOf(tempFile('s.toml', SMALL_YAML));
    expect(e.message).toMatch(/s\.toml: expected a file ending in \.yaml, \.yml or \.json, found "\.toml"/);
  });

  it('malformed YAML names the line', () => {
    const file = tempFile('malformed.yaml', smallWith('    cores: 2\n', '    cores: [2\n'));
    const e = errorOf(file);
    expect(e.message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: expected well-formed YAML`));
    expect(e.problems[0].line).toBeGreaterThanOrEqual(8);
  });

  it('malformed JSON names the line', () => {
    const e = errorOf(tempFile('bad.json', '{"name": "x",\n "duration": "1m"\n "kind": "serving"}'));
    expect(e.message).toMatch(/bad\.json:3:2: expected well-formed JSON/);
  });

  it('duplicate key is malformed YAML', () => {
    const e = errorOf(tempFile('dup.yaml', smallWith('duration: 30s\n', 'duration: 30s\nduration: 40s\n')));
    expect(e.message).toMatch(/dup\.yaml:3:1: expected well-formed YAML/);
  });

  it('bad distribution parameters: path inside the distribution', () => {
    const file = tempFile('dist.yaml', smallWith('{type: exponential, mean: 20}', '{type: lognormal, median: 80, p99: 40}'));
    const e = errorOf(file);
    expect(e.message).toMatch(/dist\.yaml:13:\d+: functions\[0\]\.serviceTime\.p99: expected a number greater than median \(80\), found 40/);
    const e2 = errorOf(tempFile('dist2.yaml', smallWith('{type: exponential, mean: 20}', '{type: gaussian, mean: 20}')));
    expect(e2.message).toMatch(/dist2\.yaml:13:\d+: functions\[0\]\.serviceTime\.type: expected one of .*"exponential".*found "gaussian"/);
  });

  it('bad --set path names the override and the fields that exist', () => {
    const file = tempFile('set.yaml', SMALL_YAML);
    const e = errorOf(file, ['functions[0].replica=3']);
    expect(e.message).toContain(file);
    expect(e.message).toContain('functions[0].replica (from --set functions[0].replica=3)');
    expect(e.message).toContain('one of the fields name, replicas, concurrency, serviceTime, arrivals, timeout');
    expect(errorOf(file, ['functions[3].replicas=1']).message).toMatch(/functions\[3\] \(from --set functions\[3\]\.replicas=1\): expected an index below 1/);
    expect(errorOf(file, ['noequals']).message).toMatch(/expected --set PATH=VALUE/);
    expect(errorOf(file, ['a..b=1']).message).toMatch(/expected a path such as/);
  });

  it('a bad value given by --set is reported as coming from --set', () => {
    const e = errorOf(tempFile('setval.yaml', SMALL_YAML), ['nodes[0].cores=-1']);
    expect(e.message).toMatch(/nodes\[0\]\.cores \(from --set nodes\[0\]\.cores=-1\): expected a number > 0, found number -1/);
  });

  it('unknown kind lists the registered kinds and still checks the header', () => {
    const e = errorOf(tempFile('kind.yaml', smallWith('kind: serving', 'kind: servin').replace('duration: 30s', 'duration: soon')));
    // Every registered kind is listed (more register as capabilities land), and "serving" among them.
    expect(e.message).toMatch(/kind \(line 3, column 7\): expected one of the scenario kinds ("[a-z0-9-]+", )*"serving"(, "[a-z0-9-]+")*, found the string "servin"/);
    expect(e.message).toContain('duration (line 2, column 11)');
  });

  it('reports several problems together, in file order', () => {
    const text = smallWith('    cores: 4\n', '    cores: -4\n').replace('replicas: 2', 'replicas: 2.5').replace('rate: 10', 'rate: fast');
    const e = errorOf(tempFile('many.yaml', text));
    expect(e.problems).toHaveLength(3);
    expect(e.message).toMatch(/3 problems\n {2}- nodes\[0\]\.cores \(line 6.*\n {2}- functions\[0\]\.replicas \(line 12.*\n {2}- functions\[0\]\.arrivals\.rate \(line 14/);
  });

  it('cross-field problems: unknown node, too few cores, duplicate names', () => {
    const text = smallWith('    replicas: 2\n', '    replicas: [a, c]\n    concurrency: 3\n') + '  - name: f\n    replicas: [b]\n    serviceTime: 5\n    arrivals: {type: poisson, rate: 1}\n';
    const e = errorOf(tempFile('cross.yaml', text));
    expect(e.message).toMatch(/functions\[0\]\.replicas\[1\] \(line 12, column \d+\): expected the name of a node \("a", "b"\), found "c"/);
    expect(e.message).toMatch(/functions\[1\]\.name .*expected a function name not used before/);
    const e2 = errorOf(tempFile('cores.yaml', smallWith('    replicas: 2\n', '    replicas: [b]\n    concurrency: 3\n')));
    expect(e2.message).toMatch(/cores\.yaml:8:12: nodes\[1\]\.cores: expected at least 3 cores.*found 2$/);
  });

  it('a top-level list is rejected', () => {
    expect(errorOf(tempFile('list.yaml', '- a\n- b\n')).message).toMatch(/expected a mapping with fields name, duration, kind/);
  });

  it('JSON scenarios load like YAML ones', () => {
    const json = JSON.stringify({
      name: 'j', duration: '1m', kind: 'serving', output: { requests: true, sampleInterval: '500ms' },
      nodes: [{ name: 'n', cores: 2 }],
      functions: [{ name: 'f', replicas: 1, serviceTime: 10, arrivals: { type: 'poisson', rate: 5 }, timeout: '1s' }],
    }, null, 2);
    const s = loadScenario(tempFile('s.json', json));
    expect(s.header.output).toEqual({ requests: true, sampleInterval: 500_000 });
    expect(errorOf(tempFile('s2.json', json.replace('"cores": 2', '"cores": 2, "gpu": 1'))).message).toMatch(/s2\.json:\d+:\d+: nodes\[0\]\.gpu: expected one of the fields/);
  });
});
