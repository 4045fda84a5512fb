/** `servesim run SCENARIO`: load, run, print the summary and write the results. */
import { formatDuration } from '../core/time.js';
import { loadScenario } from '../scenario/load.js';
import { createProgress } from '../experiment/progress.js';
import { writeResults } from '../experiment/results.js';
import { runScenario } from '../experiment/run.js';
import { checksTable, formatTable } from '../experiment/table.js';
import { EXIT_OK } from './exit-codes.js';
import type { CliIO } from './io.js';
import { lastValue, parseSeedFlag, parseUntilFlag, stringList } from './flags.js';
import { basename, extname, join } from 'node:path';

export interface RunArgs {
  scenario: string;
  seed?: unknown;
  out?: unknown;
  until?: unknown;
  set?: unknown;
  quiet?: unknown;
}

/** Default out directory: results/<scenario file name without extension>. */
export function defaultOutDir(file: string): string {
  return join('results', basename(file, extname(file)));
}

function thousands(n: number): string {
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Run the command; throws ScenarioError/UsageError for bad input. Returns the exit code. */
export async function runCommand(args: RunArgs, io: CliIO): Promise<number> {
  const seed = parseSeedFlag(args.seed, 'run');
  const until = parseUntilFlag(args.until, 'run');
  const scenario = loadScenario(args.scenario, { set: stringList(args.set) });
  const out = lastValue(args.out);
  const outDir = out === undefined ? defaultOutDir(args.scenario) : String(out);
  const quiet = lastValue(args.quiet) === true;
  const progress = createProgress({ enabled: !quiet, stream: io.progressStream });
  let result;
  try {
    result = runScenario(scenario, { seed, until, onProgress: (now, end) => progress.update(now, end) });
  } finally {
    progress.stop();
  }
  const files = await writeResults(outDir, result);
  const simS = result.simulatedUsTotal / 1e6;
  const rate = result.wallSeconds > 0 ? result.eventsProcessed / result.wallSeconds : NaN;
  const speed = result.wallSeconds > 0 ? simS / result.wallSeconds : NaN;
  const lines: string[] = [];
  lines.push(`${result.header.name} (kind ${result.header.kind}, seed ${result.seed})`);
  lines.push(
    `simulated ${formatDuration(result.until)}` +
      (result.simulatedUsTotal !== result.until ? ` (${formatDuration(result.simulatedUsTotal)} over all its simulations)` : '') +
      ` in ${result.wallSeconds.toFixed(2)} s wall: ` +
      `${thousands(result.eventsProcessed)} events, ${thousands(rate)} events/s, ${thousands(speed)} simulated s per wall s`,
  );
  if (!quiet) {
    for (const t of result.tables) lines.push('', formatTable(t));
    if (result.checks.length > 0) lines.push('', formatTable(checksTable(result.checks)));
    lines.push('');
  } else if (result.checks.length > 0) {
    const passed = result.checks.filter((c) => c.pass).length;
    lines.push(`checks: ${passed} of ${result.checks.length} pass`);
  }
  const names = [files.summary, files.timeSeries, files.requests].filter((f): f is string => f !== undefined).map((f) => basename(f));
  lines.push(`results in ${outDir}/: ${names.join(', ')}`);
  io.out(lines.join('\n') + '\n');
  return EXIT_OK;
}
