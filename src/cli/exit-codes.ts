/** Exit codes of the servesim CLI, and the error for bad command-line input. */

/** Success. */
export const EXIT_OK = 0;
/** A failure that is not the user's input: an I/O error or an internal error. */
export const EXIT_FAILURE = 1;
/** Bad input: unknown flags, bad flag values, invalid scenario files. */
export const EXIT_BAD_INPUT = 2;

/** Bad command-line input; its message names the flag, what was expected and what was found. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(
    message: string,
    /** The command whose --help to point at, if any. */
    readonly command?: string,
  ) {
    super(message);
  }
}
