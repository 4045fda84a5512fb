/**
 * The servesim command line (yargs): `run` and `validate`, per-command --help.
 * main(argv) returns the exit code (0 ok, 1 failure, 2 bad input) and never shows a stack
 * trace for input errors.
 */
import yargs from 'yargs';
import { ScenarioError } from '../scenario/errors.js';
import { EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_OK, UsageError } from './exit-codes.js';
import { processIO, type CliIO } from './io.js';
import { runCommand, type RunArgs } from './run-command.js';
import { validateCommand } from './validate-command.js';
import { sweepCommand, type SweepArgs } from './sweep-command.js';
import { mergeCommand, type MergeArgs } from './merge-command.js';
import { SweepError } from '../experiment/sweep/errors.js';
import { reportCommand } from './report-command.js';
import { ReportError } from '../experiment/report/report-error.js';
import { defaultOutDir } from './run-command.js';
import { lastValue } from './flags.js';
import { servesimVersion } from '../experiment/version.js';
import '../experiment/studies/index.js';
import { compareCommand, type CompareArgs } from './compare-command.js';
import { SYNTH_NUMBER_FLAGS, traceSynthCommand, type TraceSynthArgs } from './trace-command.js';
import { trainCommand, type TrainArgs } from './train-command.js';
import { evalCommand, type EvalArgs } from './eval-command.js';

/** Run the CLI with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  let code = EXIT_OK;
  let helpShown = false;
  const parser = yargs([...argv])
    .scriptName('servesim')
    .usage('servesim <command> [options]\n\nDeterministic discrete-event simulator of serverless ML serving.')
    .exitProcess(false)
    .strict()
    .wrap(Math.min(100, process.stdout.columns || 100))
    .command(
      'run <scenario>',
      'Run a scenario file and write its results',
      (y) =>
        y
          .positional('scenario', { type: 'string', describe: 'Scenario file (.yaml, .yml or .json)', demandOption: true })
          .option('seed', { type: 'string', describe: 'Root random seed (non-negative integer); overrides the file' })
          .option('out', { type: 'string', describe: 'Directory for summary.json and the CSV files [default: results/<file name>]' })
          .option('until', { type: 'string', describe: 'Simulated end time, e.g. 90s, 15m, 2h; overrides duration' })
          .option('set', { type: 'string', array: true, describe: 'Override a field before validation: PATH=VALUE, e.g. functions[0].replicas=3 (repeatable)' })
          .option('quiet', { type: 'boolean', default: false, describe: 'No progress bar and no tables' })
          .option('report', { type: 'boolean', default: false, describe: 'Also write report.html with plots into the out directory' })
          .example('servesim run experiments/quickstart.yaml --out /tmp/qs', '')
          .example("servesim run experiments/quickstart.yaml --seed 7 --until 2m --set 'functions[0].arrivals.rate=50'", ''),
      async (a) => {
        code = await runCommand(a as unknown as RunArgs, io);
        if (code === EXIT_OK && lastValue(a.report) === true) {
          const out = lastValue(a.out);
          code = await reportCommand({ dir: out === undefined ? defaultOutDir(a.scenario) : String(out) }, io);
        }
      },
    )
    .command(
      'validate <files..>',
      'Check scenario files without running them',
      (y) =>
        y
          .positional('files', { type: 'string', array: true, describe: 'Scenario files', demandOption: true })
          .option('set', { type: 'string', array: true, describe: 'Overrides to check along (PATH=VALUE, repeatable)' }),
      (a) => {
        code = validateCommand({ files: a.files, set: a.set }, io);
      },
    )
    .command(
      'sweep <scenario>',
      "Run a scenario's sweep (axes × seeds) on a worker pool, one shard of it, or emit a job that runs its shards",
      (y) =>
        y
          .positional('scenario', { type: 'string', describe: 'Scenario file with a sweep: block', demandOption: true })
          .option('jobs', { type: 'string', describe: 'Points run in parallel on worker threads [default: the core count]' })
          .option('out', { type: 'string', describe: 'Sweep directory [default: results/<file name>-sweep, /shard-<i> for a shard]' })
          .option('resume', { type: 'boolean', default: false, describe: 'Continue the sweep in --out, skipping complete points' })
          .option('shard', { type: 'string', describe: 'Run only shard i of n (0 <= i < n), e.g. 0/4' })
          .option('emit', { type: 'string', describe: 'Write a job that runs the shards instead: k8s-job (Indexed Job) or slurm (job array)' })
          .option('shards', { type: 'string', describe: 'With --emit: number of shards [default: 4]' })
          .option('results-dir', { type: 'string', describe: 'With --emit: results directory inside the pods/tasks [default: /results/<file name>]' })
          .option('image', { type: 'string', describe: 'With --emit k8s-job: container image [default: servesim:latest]' })
          .option('claim', { type: 'string', describe: 'With --emit k8s-job: PersistentVolumeClaim for the results [default: servesim-results]' })
          .option('command', { type: 'string', describe: 'With --emit: how the pods/tasks invoke servesim [default: servesim]' })
          .option('until', { type: 'string', describe: 'Simulated end time of every point, e.g. 90s, 15m' })
          .option('set', { type: 'string', array: true, describe: 'Override a field of every point: PATH=VALUE (repeatable)' })
          .option('quiet', { type: 'boolean', default: false, describe: 'No progress bar and no aggregate table' })
          .option('report', { type: 'boolean', default: false, describe: 'When the sweep is complete, also write report.html with plots into --out' })
          .example('servesim sweep experiments/my-sweep.yaml --jobs 2', '')
          .example('servesim sweep experiments/my-sweep.yaml --shard 1/4 --out results/s1', '')
          .example('servesim sweep experiments/my-sweep.yaml --emit k8s-job --shards 8 --image registry/servesim:0.1', ''),
      async (a) => {
        code = await sweepCommand(a as unknown as SweepArgs, io);
      },
    )
    .command(
      'merge <dirs..>',
      'Combine the shard directories of one sweep into one sweep directory and aggregate',
      (y) =>
        y
          .positional('dirs', { type: 'string', array: true, describe: 'Shard directories (written by servesim sweep --shard)', demandOption: true })
          .option('out', { type: 'string', describe: 'Merged sweep directory [default: merged/ beside the first directory]' })
          .option('quiet', { type: 'boolean', default: false, describe: 'No aggregate table' }),
      async (a) => {
        code = await mergeCommand(a as unknown as MergeArgs, io);
      },
    )
    .command(
      'report <dir>',
      'Write a self-contained report.html with plots for a run or sweep directory',
      (y) =>
        y
          .positional('dir', { type: 'string', describe: 'A run directory (summary.json) or a sweep directory (sweep.json)', demandOption: true })
          .option('metric', { type: 'string', array: true, describe: 'Sweep metrics to plot, as named in aggregate.csv (repeatable) [default: latency p50/p99, throughput, utilisation, check pass rates]' })
          .example('servesim report results/quickstart', ''),
      async (a) => {
        code = await reportCommand({ dir: a.dir, metric: a.metric }, io);
      },
    )
    .command(
      'compare <scenario>',
      'Run a kind: compare scenario on the simulator and on real processes under real cgroups here (LocalBackend) and compare latencies',
      (y) =>
        y
          .positional('scenario', { type: 'string', describe: 'Scenario file of kind compare', demandOption: true })
          .option('seed', { type: 'string', describe: 'Root random seed (arrivals and work); overrides the file' })
          .option('out', { type: 'string', describe: 'Directory for compare.json and latencies.csv [default: none]' })
          .option('set', { type: 'string', array: true, describe: 'Override a field before validation: PATH=VALUE (repeatable)' })
          .option('quiet', { type: 'boolean', default: false, describe: 'No progress lines' })
          .example('servesim compare experiments/compare-throttled.yaml', ''),
      async (a) => {
        code = await compareCommand(a as unknown as CompareArgs, io);
      },
    )
    .command(
      'train <scenario>',
      'Train a DQN workflow scheduler on a drl-workflow environment (or every arm of a drl-training experiment)',
      (y) =>
        y
          .positional('scenario', { type: 'string', describe: 'drl-workflow environment or drl-training experiment file', demandOption: true })
          .option('agent', { type: 'string', describe: 'Learning agent [default: dqn]' })
          .option('variant', { type: 'string', describe: 'Action space: fullmap, custom, kubernetes or oracle (drl-workflow files)' })
          .option('steps', { type: 'string', describe: 'Training steps [default: the schedule length]' })
          .option('seed', { type: 'string', describe: 'Seed of the agent and the environment [default: the file seed or 1]' })
          .option('seeds', { type: 'string', describe: 'drl-training files: comma-separated seeds overriding the file' })
          .option('out', { type: 'string', describe: 'Output directory (policy, learning.csv, steps.csv, summary.json)' })
          .option('quiet', { type: 'boolean', default: false, describe: 'No progress lines and no tables' })
          .example('servesim train experiments/drl/training.yaml --agent dqn --variant custom --seed 1 --out results/custom-1', '')
          .example('servesim train experiments/drl-training.yaml --out results/drl-training', ''),
      async (a) => {
        code = await trainCommand(a as unknown as TrainArgs, io);
      },
    )
    .command(
      'eval <scenario>',
      'Evaluate a trained policy or a baseline on a drl-workflow environment (or every arm of a drl-evaluation experiment)',
      (y) =>
        y
          .positional('scenario', { type: 'string', describe: 'drl-workflow environment or drl-evaluation experiment file', demandOption: true })
          .option('policy', { type: 'string', describe: 'A trained policy directory, or kubernetes, random, static, best-static' })
          .option('variant', { type: 'string', describe: 'Action space of the random/static baselines [default: fullmap]' })
          .option('seed', { type: 'string', describe: 'Seed of the environment [default: the file seed or 1]' })
          .option('seeds', { type: 'string', describe: 'drl-evaluation files: comma-separated seeds overriding the file' })
          .option('out', { type: 'string', describe: 'Write summary.json and steps.csv here' })
          .option('quiet', { type: 'boolean', default: false, describe: 'No progress lines and no tables' })
          .example('servesim eval experiments/drl/evaluation.yaml --policy results/custom-1 --out results/custom-1-eval', '')
          .example('servesim eval experiments/drl/evaluation.yaml --policy kubernetes', ''),
      async (a) => {
        code = await evalCommand(a as unknown as EvalArgs, io);
      },
    )
    .command(
      'trace <action>',
      'Trace tools: `trace synth` writes a synthetic trace (Azure 2019, Azure 2021 and generic CSV formats)',
      (y) => {
        let t = y
          .positional('action', { type: 'string', choices: ['synth'], describe: 'synth: write a synthetic trace', demandOption: true })
          .option('out', { type: 'string', describe: 'Directory to write the trace files into' })
          .option('seed', { type: 'string', describe: 'Root random seed [default: 1]' })
          .option('formats', { type: 'string', describe: 'Comma-separated: azure2019, azure2021, csv [default: all three]' })
          .option('quiet', { type: 'boolean', default: false, describe: 'Print nothing' });
        for (const [, flag, integer] of SYNTH_NUMBER_FLAGS) {
          t = t.option(flag, { type: 'string', describe: `${integer ? 'Integer' : 'Number'} option of the generator (see traces/README.md)` });
        }
        return t.example('servesim trace synth --seed 1 --functions 10 --invocations 2000 --out traces/synthetic-small', '');
      },
      (a) => {
        code = traceSynthCommand(a as unknown as TraceSynthArgs, io);
      },
    )
    .demandCommand(1, 'Give a command: run, validate, sweep, merge, report, compare, train, eval or trace.')
    .help()
    .alias('help', 'h')
    .version(servesimVersion())
    .fail((msg, err) => {
      if (err) throw err;
      throw new UsageError(msg ?? 'bad command line');
    });
  try {
    await parser.parseAsync([...argv], {}, (_err, _args, output) => {
      if (output) {
        helpShown = true;
        io.out(output + '\n');
      }
    });
    return helpShown ? EXIT_OK : code;
  } catch (e) {
    if (e instanceof ScenarioError) {
      io.err(`${e.message}\n`);
      return EXIT_BAD_INPUT;
    }
    if (e instanceof SweepError || e instanceof ReportError) {
      io.err(`servesim: ${e.message}\n`);
      return EXIT_BAD_INPUT;
    }
    if (e instanceof UsageError) {
      const cmd = e.command ?? (['run', 'validate', 'sweep', 'merge', 'report', 'compare', 'train', 'eval', 'trace'].includes(argv[0]) ? argv[0] : undefined);
      io.err(`servesim: ${e.message}\nRun "servesim ${cmd ? cmd + ' ' : ''}--help" for usage.\n`);
      return EXIT_BAD_INPUT;
    }
    const msg = e instanceof Error ? e.message : String(e);
    io.err(`servesim: failed: ${msg}\n`);
    if (process.env.SERVESIM_DEBUG && e instanceof Error && e.stack) io.err(e.stack + '\n');
    else io.err('(set SERVESIM_DEBUG=1 to see the stack trace)\n');
    return EXIT_FAILURE;
  }
}
