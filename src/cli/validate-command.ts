/** `servesim validate FILE...`: check scenario files without running them. */
import { formatDuration } from '../core/time.js';
import { ScenarioError } from '../scenario/errors.js';
import { loadScenario } from '../scenario/load.js';
import { EXIT_BAD_INPUT, EXIT_OK } from './exit-codes.js';
import type { CliIO } from './io.js';
import { stringList } from './flags.js';

/** Validate every file; report each; exit 2 when any is invalid. */
export function validateCommand(args: { files: unknown; set?: unknown }, io: CliIO): number {
  const files = stringList(args.files);
  let bad = 0;
  for (const file of files) {
    try {
      const s = loadScenario(file, { set: stringList(args.set) });
      io.out(`ok       ${file}: "${s.header.name}", kind ${s.header.kind}, ${formatDuration(s.header.duration)}\n`);
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      bad++;
      io.err(`invalid  ${e.message}\n`);
    }
  }
  if (files.length > 1) io.out(`${files.length - bad} of ${files.length} files valid\n`);
  return bad > 0 ? EXIT_BAD_INPUT : EXIT_OK;
}
