/**
 * `servesim compare SCENARIO`: run a `kind: compare` scenario on SimBackend and on LocalBackend
 * (real worker processes under real cgroup CPU quotas on this machine, traffic to 127.0.0.1 only)
 * and print simulated vs measured p50/p95/p99, their relative errors and the Kolmogorov–Smirnov
 * distance; with --out, write compare.json (summary) and latencies.csv (both samples).
 */
import { join } from 'node:path';
import { BackendError } from '../backend/cluster-backend.js';
import { runCompare, type CompareResult } from '../backend/compare/compare-run.js';
import { writeFileAtomic } from '../experiment/atomic.js';
import { formatTable } from '../experiment/table.js';
import { ScenarioError } from '../scenario/errors.js';
import { loadScenario } from '../scenario/load.js';
import { EXIT_FAILURE, EXIT_OK } from './exit-codes.js';
import { lastValue, parseSeedFlag, stringList } from './flags.js';
import type { CliIO } from './io.js';

export interface CompareArgs {
  scenario: string;
  seed?: unknown;
  out?: unknown;
  set?: unknown;
  quiet?: unknown;
}

const pct = (x: number): string => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%` : '-');

/** The comparison as terminal text. Pure; exported for tests. */
export function formatCompare(r: CompareResult): string {
  const c = r.comparison;
  const n = r.nominal;
  const rows = c.rows.map((row, i) => [`p${Math.round(row.p * 100)}`, row.measured.toFixed(2), row.simulated.toFixed(2), pct(row.relativeError), n.rows[i].simulated.toFixed(2), pct(n.rows[i].relativeError)]);
  rows.push(['mean', c.measuredMean.toFixed(2), c.simulatedMean.toFixed(2), pct(c.simulatedMean / c.measuredMean - 1), n.simulatedMean.toFixed(2), pct(n.simulatedMean / n.measuredMean - 1)]);
  rows.push(['KS D', '', c.ks.toFixed(3), '', n.ks.toFixed(3), '']);
  const lines = [
    formatTable({
      title: `${r.name}: latency (ms), measured vs simulated (cpu-matched speed ${r.matchedSpeed.toFixed(3)}; nominal speed 1)`,
      columns: ['', 'measured', 'sim', 'error', 'sim@1', 'error@1'], rows,
    }),
    `KS distance D = ${c.ks.toFixed(3)} (p = ${c.ksPValue.toPrecision(3)}), samples ${c.simulatedCount} simulated / ${c.measuredCount} measured of ${r.requests} requests; failed ${r.sim.failed} / ${r.local.failed}`,
    `throttled periods sim ${r.sim.cpu.nrThrottled} (speed 1: ${r.simNominal.cpu.nrThrottled}) / measured ${r.local.cpu.nrThrottled}; CPU used sim ${(r.sim.cpu.usageUs / 1e6).toFixed(2)} (speed 1: ${(r.simNominal.cpu.usageUs / 1e6).toFixed(2)}) / measured ${(r.local.cpu.usageUs / 1e6).toFixed(2)} s`,
    `router overhead ${(r.overheadUs / 1000).toFixed(2)} ms (${r.overheadSource}); cgroup ${r.cgroup}; busy loop ${r.itersPerUs.toFixed(1)} iterations/core-µs; wall ${r.sim.wallSeconds.toFixed(2)} s simulated, ${r.local.wallSeconds.toFixed(1)} s local`,
    `target |error| of p50 and p99 ≤ ${(r.tolerance * 100).toFixed(0)}%: ${r.pass ? 'met' : 'MISSED'}`,
  ];
  return lines.join('\n') + '\n';
}

/** Run the command. Returns the exit code; throws ScenarioError/UsageError for bad input. */
export async function compareCommand(args: CompareArgs, io: CliIO): Promise<number> {
  const seedFlag = parseSeedFlag(args.seed, 'compare');
  const scenario = loadScenario(args.scenario, { set: stringList(args.set) });
  if (scenario.header.kind !== 'compare') {
    throw new ScenarioError(args.scenario, [{ path: ['kind'], expected: 'compare (servesim compare runs kind: compare scenarios)', found: scenario.header.kind }]);
  }
  const quiet = lastValue(args.quiet) === true;
  const seed = seedFlag ?? scenario.header.seed ?? 1;
  let result: CompareResult;
  try {
    result = await runCompare(scenario.header, scenario.body as Parameters<typeof runCompare>[1], { seed, log: quiet ? undefined : (l) => io.err(`${l}\n`) });
  } catch (e) {
    if (!(e instanceof BackendError)) throw e;
    io.err(`servesim compare: cannot run LocalBackend here: ${e.message}\n`);
    return EXIT_FAILURE;
  }
  io.out(formatCompare(result));
  const out = lastValue(args.out);
  if (out !== undefined) {
    const dir = String(out);
    const { sim, simNominal, local, ...summary } = result;
    const side = (s: typeof sim): object => ({ failed: s.failed, cpu: s.cpu, wallSeconds: s.wallSeconds });
    const json = { ...summary, sim: side(sim), simNominal: side(simNominal), local: side(local) };
    await writeFileAtomic(join(dir, 'compare.json'), JSON.stringify(json, null, 2) + '\n');
    const n = Math.max(sim.latenciesMs.length, simNominal.latenciesMs.length, local.latenciesMs.length);
    const lines = ['index,measured_ms,simulated_ms,simulated_speed1_ms'];
    for (let i = 0; i < n; i++) lines.push(`${i},${local.latenciesMs[i]?.toFixed(3) ?? ''},${sim.latenciesMs[i]?.toFixed(3) ?? ''},${simNominal.latenciesMs[i]?.toFixed(3) ?? ''}`);
    await writeFileAtomic(join(dir, 'latencies.csv'), lines.join('\n') + '\n');
    io.out(`wrote ${join(dir, 'compare.json')} and latencies.csv\n`);
  }
  return EXIT_OK;
}
