import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  ModelFileError, loadNodeProfile, matchesSelector, parseBandwidth, parseBytes, parseNodeProfile, speedFor, untoleratedTaints,
} from '../../src/cluster/node-profile.js';

const DIR = join(process.cwd(), 'models/nodes');
const load = (n: string) => loadNodeProfile(join(DIR, `${n}.yaml`));

describe('quantities', () => {
  test('bytes: SI and IEC units', () => {
    expect(parseBytes('28MB')).toBe(28e6);
    expect(parseBytes('241MiB')).toBe(241 * 2 ** 20);
    expect(parseBytes('15.6GB')).toBeCloseTo(15.6e9, 3);
    expect(parseBytes(1024)).toBe(1024);
    expect(() => parseBytes('28 megabytes')).toThrow(/expected a size such as 28MB/);
  });
  test('bandwidth: bits are divided by 8', () => {
    expect(parseBandwidth('1Gbit/s')).toBe(125e6);
    expect(parseBandwidth('10Gbps')).toBe(1.25e9);
    expect(parseBandwidth('500MB/s')).toBe(500e6);
    expect(() => parseBandwidth('fast')).toThrow(/expected a bandwidth such as 500MB\/s/);
  });
});

describe('shipped profiles', () => {
  test('every file in models/nodes loads', () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThanOrEqual(6);
    for (const f of files) expect(loadNodeProfile(join(DIR, f)).name).toBe(f.replace(/\.yaml$/, ''));
  });

  test('CT5-1 inventory: w01–w04 cores, memory and L3', () => {
    const inv = ['drl-w01', 'drl-w02', 'drl-w03', 'drl-w04'].map(load).map((p) => [p.cores, +(p.memoryBytes / 2 ** 30).toFixed(1), p.l3Bytes / 1e6]);
    expect(inv).toEqual([[8, 15.6, 28], [8, 15.6, 28], [16, 31.4, 14], [4, 15.6, 30]]);
  });

  test('study 5 modelling note 1: per-core speed w01 > w02 > w03 > w04 in every class (w04 lowest)', () => {
    const ws = ['drl-w01', 'drl-w02', 'drl-w03', 'drl-w04'].map(load);
    // The workflow fit models saturating parallelism (Amdahl serial fraction, models/workflows/
    // video-pipeline.yaml), so w04 can be the slowest per core for vectorised work too.
    for (const cls of [undefined, 'unknown-class', 'ml-inference', 'video-decode']) {
      const s = ws.map((w) => speedFor(w, cls));
      for (let i = 1; i < s.length; i++) expect(s[i], `${cls ?? 'default'}: ${ws[i].name} below ${ws[i - 1].name}`).toBeLessThan(s[i - 1]);
    }
  });

  test('production nodes: 32-core generic, 8-core / 32 GB dedicated with a taint', () => {
    const g = load('production-generic');
    const d = load('production-dedicated');
    expect(g.cores).toBe(32);
    expect(d.cores).toBe(8);
    expect(d.memoryBytes).toBe(32e9);
    expect(untoleratedTaints(d, []).map((t) => t.key)).toEqual(['servesim.io/dedicated']);
    expect(untoleratedTaints(d, ['servesim.io/dedicated=experiment'])).toEqual([]);
    expect(untoleratedTaints(g, [])).toEqual([]);
    expect(matchesSelector(d, { 'servesim.io/pool': 'dedicated' })).toBe(true);
    expect(matchesSelector(g, { 'servesim.io/pool': 'dedicated' })).toBe(false);
  });
});

describe('validation errors name file, path, expected and found', () => {
  const good = `
name: n
cores: 4
speed: {default: 1}
memory: 8GB
l3: 16MB
memoryBandwidth: 50GB/s
diskBandwidth: 200MB/s
networkBandwidth: 1Gbit/s
imageCache: 20GB
provenance: {cores: a, speed: b, memory: c, l3: d, memoryBandwidth: e, diskBandwidth: f, networkBandwidth: g, imageCache: h}
`;
  test('a good profile parses with defaults', () => {
    const p = parseNodeProfile(good, 'x.yaml');
    expect(p.labels).toEqual({});
    expect(p.speed.classes).toEqual({});
    expect(p.networkBandwidth).toBe(125e6);
  });
  const bad = (text: string): ModelFileError => {
    try {
      parseNodeProfile(text, 'bad.yaml');
    } catch (e) {
      expect(e).toBeInstanceOf(ModelFileError);
      return e as ModelFileError;
    }
    throw new Error('no error thrown');
  };
  test('wrong type', () => {
    const e = bad(good.replace('cores: 4', 'cores: four'));
    expect(e.message).toBe('bad.yaml: cores: expected number, found "four"');
  });
  test('bad unit', () => {
    const e = bad(good.replace('l3: 16MB', 'l3: 16 parsecs'));
    expect(e.path).toBe('l3');
    expect(e.message).toMatch(/bad.yaml: l3: expected a size such as 28MB.*found "16 parsecs"/);
  });
  test('missing provenance', () => {
    const e = bad(good.replace('imageCache: h', 'other: h'));
    expect(e.path).toBe('provenance.imageCache');
    expect(e.found).toBe('nothing (missing)');
  });
  test('unknown key', () => {
    const e = bad(`${good}gpu: 1\n`);
    expect(e.message).toMatch(/bad.yaml: \(root\): expected only known keys, found unknown key\(s\) "gpu"/);
  });
  test('negative speed in a class', () => {
    const e = bad(good.replace('speed: {default: 1}', 'speed: {default: 1, classes: {ml: -1}}'));
    expect(e.path).toBe('speed.classes.ml');
    expect(e.found).toBe('-1');
  });
  test('YAML syntax', () => {
    const e = bad('name: [unclosed');
    expect(e.expected).toBe('valid YAML');
    expect(e.path).toMatch(/line 1/);
  });
  test('missing file', () => {
    expect(() => loadNodeProfile('/nonexistent/x.yaml')).toThrow(/\/nonexistent\/x.yaml: \(root\): expected a readable file/);
  });
});
