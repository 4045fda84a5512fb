/** ReportError: `servesim report` was pointed at something that is not a run or sweep directory (exit code 2). */
export class ReportError extends Error {
  override readonly name = 'ReportError';
}
