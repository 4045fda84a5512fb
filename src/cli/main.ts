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
import { servesimVersion } from '../experiment/version.js';
import '../experiment/studies/index.js';

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
          .example('servesim run experiments/quickstart.yaml --out /tmp/qs', '')
          .example("servesim run experiments/quickstart.yaml --seed 7 --until 2m --set 'functions[0].arrivals.rate=50'", ''),
      async (a) => {
        code = await runCommand(a as unknown as RunArgs, io);
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
    .demandCommand(1, 'Give a command: run or validate.')
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
    if (e instanceof UsageError) {
      const cmd = e.command ?? (argv[0] === 'run' || argv[0] === 'validate' ? argv[0] : undefined);
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
