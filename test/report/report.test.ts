// Reports: one report rendered from a quickstart run (every plot present, with drawn marks,
// inline and as a file; no network reference), the checks table and learning curves, and
// a sweep report with CI error bars.
import { beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { writeReport } from '../../src/experiment/report/report.js';
import { runSweep } from '../../src/experiment/sweep/runner.js';
import { captureIO } from '../cli/io.js';
import { tempDir } from '../scenario/helpers.js';
import { SMALL_SWEEP_YAML, writeScenario } from '../sweep/helpers.js';

/** Number of data-mark elements that draw something (a path with a non-trivial outline or a line). */
function drawnMarks(svg: string): number {
  const re = /<g class="mark-(line|rect|symbol|rule|area|tick) role-mark[^"]*"[^>]*>((?:<(?:path|line|rect)[^>]*>(?:<\/path>)?)+)/g;
  let n = 0;
  for (const m of svg.matchAll(re)) {
    for (const el of m[2].matchAll(/<(path|line|rect)([^>]*)>/g)) {
      if (/\bd="M[^"]{6,}"/.test(el[2]) || (el[1] === 'line' && /\b[xy]2="/.test(el[2]))) n++;
    }
  }
  return n;
}

/** Plot files referenced by the report's figures. */
function figureFiles(html: string): string[] {
  return [...html.matchAll(/<figcaption>[^<]*\(<a href="([^"]+\.svg)">/g)].map((m) => m[1]);
}

function checkSelfContained(html: string): void {
  expect(html).not.toMatch(/https?:\/\//i);
  expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|\ssrc=/i);
}

let runDir: string;
let html: string;

beforeAll(async () => {
  runDir = join(tempDir(), 'qs');
  const io = captureIO();
  expect(await main(['run', 'experiments/quickstart.yaml', '--out', runDir, '--quiet', '--report'], io)).toBe(0);
  expect(io.stdout()).toMatch(/run report written to .*report\.html \(\d+ plots: /);
  html = readFileSync(join(runDir, 'report.html'), 'utf8');
});

describe('run report of the quickstart', () => {
  it('has every expected plot, each inline and as a non-empty .svg with drawn marks', () => {
    // Expected: latency CDF and percentiles, arrivals, and one plot per time-series kind.
    const header = readFileSync(join(runDir, 'timeseries.csv'), 'utf8').split('\n')[0].split(',').slice(1);
    const kinds = [...new Set(header.map((c) => c.slice(c.lastIndexOf('.') + 1)))];
    const expected = ['plot-latency-cdf.svg', 'plot-latency-percentiles.svg', ...kinds.map((k) => `plot-timeseries-${k.replace(/_/g, '-')}.svg`), 'plot-arrivals.svg'];
    const files = figureFiles(html);
    expect([...files].sort()).toEqual([...expected].sort());
    expect(readdirSync(runDir).filter((f) => f.endsWith('.svg')).sort()).toEqual([...expected].sort());
    const inline = [...html.matchAll(/<div class="plot"><svg[\s\S]*?<\/svg><\/div>/g)].map((m) => m[0]);
    expect(inline).toHaveLength(expected.length);
    for (const f of files) {
      const svg = readFileSync(join(runDir, f), 'utf8');
      expect(svg.startsWith('<svg')).toBe(true);
      expect(drawnMarks(svg), f).toBeGreaterThan(0);
    }
    for (const s of inline) expect(drawnMarks(s)).toBeGreaterThan(0);
    // Three functions: three CDF lines.
    expect(drawnMarks(readFileSync(join(runDir, 'plot-latency-cdf.svg'), 'utf8'))).toBe(3);
  });

  it('is self-contained: no URL, script, stylesheet link or external source', () => {
    checkSelfContained(html);
    expect(html).toContain('<style>');
  });

  it('its percentile table agrees with summary.json (nearest rank on the same requests)', () => {
    const s = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8'));
    for (const [fn, m] of Object.entries(s.metrics.functions) as [string, { latencyMs: { p50: number; p99: number } }][]) {
      const row = new RegExp(`<tr><td>${fn}</td>((?:<td[^>]*>[^<]*</td>)+)</tr>`).exec(html);
      expect(row, fn).not.toBeNull();
      const cells = [...row![1].matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((c) => c[1]);
      // completed, not completed, p50, p90, p95, p99, p99.9, max
      expect(Number(cells[2])).toBeCloseTo(+m.latencyMs.p50.toPrecision(4), 6);
      expect(Number(cells[5])).toBeCloseTo(+m.latencyMs.p99.toPrecision(4), 6);
    }
  });
});

describe('checks and learning curves', () => {
  it('renders simulated vs reported vs tolerance with pass/fail, and a plot per learning.csv column', async () => {
    const dir = tempDir();
    const s = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8'));
    s.checks = [
      { name: 'upload 64 MiB (s)', simulated: 1.05, reported: 1.0, tolerance: 0.1, pass: true },
      { name: 'p99 at 8 replicas (ms)', simulated: 140, reported: 100, tolerance: 0.15, pass: false },
    ];
    writeFileSync(join(dir, 'summary.json'), JSON.stringify(s));
    copyFileSync(join(runDir, 'timeseries.csv'), join(dir, 'timeseries.csv'));
    writeFileSync(join(dir, 'learning.csv'), 'episode,reward,loss\n' + Array.from({ length: 50 }, (_, i) => `${i},${(i / 5).toFixed(3)},${(1 / (i + 1)).toFixed(4)}`).join('\n') + '\n');
    const r = await writeReport(dir);
    expect(r.kind).toBe('run');
    const page = readFileSync(r.file, 'utf8');
    checkSelfContained(page);
    expect(page).toContain('Simulated vs reported (1 of 2 pass)');
    expect(page).toMatch(/<tr><td>upload 64 MiB \(s\)<\/td><td class="num">1\.05<\/td><td class="num">1<\/td><td class="num">5\.0%<\/td><td class="num">0\.1<\/td><td class="pass">pass<\/td><\/tr>/);
    expect(page).toMatch(/<td>p99 at 8 replicas \(ms\)<\/td>.*<td class="num">40\.0%<\/td>.*<td class="fail">FAIL<\/td>/);
    for (const f of ['plot-learning-reward.svg', 'plot-learning-loss.svg']) {
      expect(existsSync(join(dir, f))).toBe(true);
      expect(drawnMarks(readFileSync(join(dir, f), 'utf8'))).toBe(1);
    }
    // No requests.csv: percentiles from summary.json, and a note instead of CDFs.
    expect(page).toContain('No per-request records in this run');
    expect(existsSync(join(dir, 'plot-latency-percentiles.svg'))).toBe(true);
    expect(existsSync(join(dir, 'plot-latency-cdf.svg'))).toBe(false);
  });
});

describe('sweep report', () => {
  it('plots each headline metric against the first axis with CI error bars, and CDFs per configuration', async () => {
    const out = join(tempDir(), 'sweep');
    await runSweep({ file: writeScenario(SMALL_SWEEP_YAML), out, jobs: 1, until: 5_000_000 });
    const io = captureIO();
    expect(await main(['report', out], io)).toBe(0);
    expect(io.stdout()).toMatch(/^sweep report written to/);
    const page = readFileSync(join(out, 'report.html'), 'utf8');
    checkSelfContained(page);
    const files = figureFiles(page);
    expect(files).toContain('plot-sweep-functions.f.latencyms.p99.svg');
    expect(files).toContain('plot-sweep-latency-cdf-f.svg');
    expect(files).toContain('plot-sweep-latency-cdf-g.svg');
    for (const f of files) expect(drawnMarks(readFileSync(join(out, f), 'utf8')), f).toBeGreaterThan(0);
    // Mean lines (one per value of the second axis) and error-bar rules.
    const p99 = readFileSync(join(out, 'plot-sweep-functions.f.latencyms.p99.svg'), 'utf8');
    expect(p99).toMatch(/class="mark-line role-mark/);
    expect(p99).toMatch(/class="mark-rule role-mark/);
    // Legends name the axes by their last field: replicas=1, replicas=3.
    expect(p99).toContain('replicas=1');
    expect(p99).toContain('replicas=3');
    const cdf = readFileSync(join(out, 'plot-sweep-latency-cdf-f.svg'), 'utf8');
    expect(drawnMarks(cdf)).toBe(4);
    expect(cdf).toContain('rate=40, replicas=3');
  });

  it('a directory that is neither a run nor a sweep is bad input (exit 2)', async () => {
    const io = captureIO();
    expect(await main(['report', tempDir()], io)).toBe(2);
    expect(io.stderr()).toMatch(/expected a run directory \(with summary\.json\) or a sweep directory \(with sweep\.json\), found neither/);
  });
});
