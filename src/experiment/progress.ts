/**
 * The progress bar of a run (cli-progress, with ETA): shown only on a TTY, only when not
 * quiet, and only once the run has taken more than ~2 s of wall time. Reads the wall clock
 * (allowed here by the lint rule); the simulation never does.
 */
import cliProgress from 'cli-progress';
import { formatDuration, type Time } from '../core/time.js';
import { wallMillis } from './wallclock.js';

/** Wall time after which the bar appears, ms. */
export const PROGRESS_DELAY_MS = 2000;

export interface Progress {
  update(now: Time, until: Time): void;
  stop(): void;
}

/** A progress reporter writing to `stream` (no-op when disabled). */
export function createProgress(opts: { enabled: boolean; stream: NodeJS.WritableStream & { isTTY?: boolean } }): Progress {
  if (!opts.enabled || !opts.stream.isTTY) return { update() {}, stop() {} };
  const start = wallMillis();
  let bar: cliProgress.SingleBar | undefined;
  return {
    update(now, until) {
      if (!bar) {
        if (wallMillis() - start < PROGRESS_DELAY_MS) return;
        bar = new cliProgress.SingleBar(
          {
            stream: opts.stream,
            format: 'simulating [{bar}] {percentage}% | {sim} of {total_sim} | ETA {eta_formatted}',
            hideCursor: true,
            etaBuffer: 20,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(until, now, { sim: formatDuration(now), total_sim: formatDuration(until) });
      }
      bar.update(now, { sim: formatDuration(now) });
    },
    stop() {
      bar?.stop();
    },
  };
}
