/**
 * The progress bar of a sweep (cli-progress, with ETA over the points still to run): shown
 * only on a TTY and when not quiet. The ETA is cli-progress's own wall-clock estimate.
 */
import cliProgress from 'cli-progress';
import type { SweepProgress } from './runner.js';

export interface SweepProgressBar {
  update(p: SweepProgress): void;
  stop(): void;
}

/** A sweep progress bar on `stream` (a no-op when disabled or not a TTY). */
export function createSweepProgressBar(opts: { enabled: boolean; stream: NodeJS.WritableStream & { isTTY?: boolean } }): SweepProgressBar {
  if (!opts.enabled || !opts.stream.isTTY) return { update() {}, stop() {} };
  let bar: cliProgress.SingleBar | undefined;
  return {
    update(p) {
      const done = p.ran + p.failed;
      const extra = { skipped: p.skipped, failed: p.failed };
      if (!bar) {
        if (p.todo === 0) return;
        bar = new cliProgress.SingleBar(
          {
            stream: opts.stream,
            format: 'sweep [{bar}] {value}/{total} points | {skipped} resumed | {failed} failed | ETA {eta_formatted}',
            hideCursor: true,
            etaBuffer: 8,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(p.todo, done, extra);
      } else {
        bar.update(done, extra);
      }
    },
    stop() {
      bar?.stop();
    },
  };
}
