/**
 * SweepError: bad sweep input that is not a scenario-file problem (a --shard that is not i/n,
 * an out directory holding another sweep, shards that do not belong together, missing points).
 * The CLI prints its message and exits with code 2, like other bad input.
 */
export class SweepError extends Error {
  override readonly name = 'SweepError';
}
