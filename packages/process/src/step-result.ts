import { ExitCode } from '@plumpy-ts/ports';
import { InvalidStateError } from '@plumpy-ts/state-machine';
import { Command, Continue, Kill, Stop, Wait } from './commands.js';
import type { AnyProcess } from './process-options.js';
import { Finished, Killed, Running, Waiting, type ProcessStateBase } from './states.js';
import { UnsuccessfulResult } from './unsuccessful-result.js';

/**
 * The state that a step's return value leads `process` to: a {@link Command}
 * is obeyed, an {@link ExitCode} finishes with its status, an
 * {@link UnsuccessfulResult} finishes unsuccessfully, and any other value is a
 * successful result (the default of `Process.stateForResult`).
 */
export function stateForStepResult(process: AnyProcess, result: unknown): ProcessStateBase {
  if (result === undefined) return new Finished(process, undefined, true, 0);
  if (result instanceof Command) {
    if (result instanceof Continue) return new Running(process, result.method, result.args, result.fn);
    if (result instanceof Wait) return new Waiting(process, result.method, result.fn, result.msg, result.data);
    if (result instanceof Stop) return new Finished(process, result.result, result.successful, 0);
    if (result instanceof Kill) return new Killed(process, { message: result.msg, force: false });
    throw new InvalidStateError(`Unrecognised command ${result.constructor.name}`);
  }
  if (result instanceof ExitCode) return new Finished(process, result, result.status === 0, result.status);
  if (result instanceof UnsuccessfulResult) {
    const value: unknown = result.result;
    return new Finished(process, value, false, Number.isInteger(value) ? (value as number) : 0);
  }
  return new Finished(process, result, true, 0);
}
