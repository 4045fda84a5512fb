/** Where the CLI writes: injectable so that tests can capture the output. */

export interface CliIO {
  /** Write text to standard output (no newline added). */
  out(text: string): void;
  /** Write text to standard error (no newline added). */
  err(text: string): void;
  /** The stream the progress bar draws on (shown only when it is a TTY). */
  progressStream: NodeJS.WritableStream & { isTTY?: boolean };
}

/** The process's own stdout and stderr. */
export function processIO(): CliIO {
  return {
    out: (t) => void process.stdout.write(t),
    err: (t) => void process.stderr.write(t),
    progressStream: process.stderr,
  };
}
