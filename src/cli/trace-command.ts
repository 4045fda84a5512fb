/**
 * `servesim trace synth`: write a synthetic trace in the Azure Functions 2019, Azure Functions
 * 2021 and generic CSV formats (src/workload/traces/synth.ts), seeded and reproducible.
 */
import { synthesizeTrace, type SynthOptions, type TraceFormat } from '../workload/traces/synth.js';
import { EXIT_OK, UsageError } from './exit-codes.js';
import { lastValue, parseSeedFlag } from './flags.js';
import type { CliIO } from './io.js';

export interface TraceSynthArgs {
  out?: unknown;
  seed?: unknown;
  formats?: unknown;
  functions?: unknown;
  apps?: unknown;
  invocations?: unknown;
  minutes?: unknown;
  popularitySigma?: unknown;
  timerShare?: unknown;
  diurnalAmplitude?: unknown;
  peakHour?: unknown;
  burstProbability?: unknown;
  burstMinutes?: unknown;
  burstFactor?: unknown;
  durationMedianMs?: unknown;
  durationSpread?: unknown;
  durationSigma?: unknown;
  memoryMedianMb?: unknown;
  quiet?: unknown;
}

/** Numeric options: flag name (kebab-case on the command line), whether it must be an integer. */
export const SYNTH_NUMBER_FLAGS: readonly [keyof SynthOptions & keyof TraceSynthArgs, string, boolean][] = [
  ['functions', 'functions', true],
  ['apps', 'apps', true],
  ['invocations', 'invocations', true],
  ['minutes', 'minutes', true],
  ['popularitySigma', 'popularity-sigma', false],
  ['timerShare', 'timer-share', false],
  ['diurnalAmplitude', 'diurnal-amplitude', false],
  ['peakHour', 'peak-hour', false],
  ['burstProbability', 'burst-probability', false],
  ['burstMinutes', 'burst-minutes', false],
  ['burstFactor', 'burst-factor', false],
  ['durationMedianMs', 'duration-median-ms', false],
  ['durationSpread', 'duration-spread', false],
  ['durationSigma', 'duration-sigma', false],
  ['memoryMedianMb', 'memory-median-mb', false],
];

const FORMATS: readonly TraceFormat[] = ['azure2019', 'azure2021', 'csv'];

/** Turn the parsed flags into SynthOptions; errors name the flag, the expected form and the value. */
export function synthOptionsFromArgs(args: TraceSynthArgs): SynthOptions {
  const opts: SynthOptions = {};
  const seed = parseSeedFlag(args.seed, 'trace synth');
  if (seed !== undefined) opts.seed = seed;
  for (const [key, flag, integer] of SYNTH_NUMBER_FLAGS) {
    const raw = lastValue(args[key]);
    if (raw === undefined) continue;
    const text = String(raw).trim();
    const n = Number(text);
    if (text === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n))) {
      throw new UsageError(`--${flag}: expected ${integer ? 'an integer' : 'a number'}, found "${String(raw)}"`, 'trace synth');
    }
    (opts as Record<string, number>)[key] = n;
  }
  const formats = lastValue(args.formats);
  if (formats !== undefined) {
    const list = String(formats).split(',').map((f) => f.trim()).filter((f) => f !== '');
    for (const f of list) {
      if (!FORMATS.includes(f as TraceFormat)) {
        throw new UsageError(`--formats: expected a comma-separated list of ${FORMATS.join(', ')}, found "${f}"`, 'trace synth');
      }
    }
    if (list.length === 0) throw new UsageError(`--formats: expected at least one of ${FORMATS.join(', ')}, found "${String(formats)}"`, 'trace synth');
    opts.formats = list as TraceFormat[];
  }
  return opts;
}

/** Run `trace synth`. Returns the exit code; throws UsageError for bad flags. */
export function traceSynthCommand(args: TraceSynthArgs, io: CliIO): number {
  const out = lastValue(args.out);
  if (out === undefined || String(out).trim() === '') throw new UsageError('--out: expected the directory to write the trace into', 'trace synth');
  const opts = synthOptionsFromArgs(args);
  let result;
  try {
    result = synthesizeTrace(opts, String(out));
  } catch (e) {
    // The generator validates its numeric options with RangeErrors that name the option.
    if (e instanceof RangeError) throw new UsageError(e.message, 'trace synth');
    throw e;
  }
  if (lastValue(args.quiet) !== true) {
    const files = [
      ...(result.files.azure2019 ? Object.values(result.files.azure2019) : []),
      ...(result.files.azure2021 ? [result.files.azure2021] : []),
      ...(result.files.csv ? [result.files.csv] : []),
    ];
    io.out(`wrote ${result.totalInvocations} invocations of ${result.functionNames.length} functions:\n${files.map((f) => `  ${f}`).join('\n')}\n`);
  }
  return EXIT_OK;
}
