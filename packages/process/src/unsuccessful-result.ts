/**
 * Returned from a step to finish the process unsuccessfully with `result`
 * (plumpy's `UnsuccessfulResult`); equivalent to `new Stop(result, false)`. An
 * integer result is also the process's `exitStatus`.
 */
export class UnsuccessfulResult<R = unknown> {
  /** The result (conventionally an exit status). */
  readonly result: R | undefined;

  constructor(result?: R) {
    this.result = result;
  }
}
