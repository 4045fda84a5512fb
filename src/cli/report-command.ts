/** `servesim report DIR`: write report.html and the plots' .svg files for a run or sweep directory. */
import { basename } from 'node:path';
import { writeReport } from '../experiment/report/report.js';
import { EXIT_OK } from './exit-codes.js';
import { stringList } from './flags.js';
import type { CliIO } from './io.js';

export interface ReportArgs {
  dir: string;
  metric?: unknown;
}

/** Run the command; throws ReportError for a directory that is neither a run nor a sweep. */
export async function reportCommand(args: ReportArgs, io: CliIO): Promise<number> {
  const metrics = stringList(args.metric);
  const r = await writeReport(args.dir, metrics.length > 0 ? { metrics } : {});
  io.out(`${r.kind} report written to ${r.file} (${r.plots.length} plots: ${r.plots.map((p) => basename(p)).join(', ')})\n`);
  return EXIT_OK;
}
