import { ExitCode } from '@plumpy-ts/ports';
import { PersistenceError, type LoadSaveContext, type LoadableClass, type SavedState } from '@plumpy-ts/persistence';
import type { AnyProcess } from './process-options.js';
import type { ProcessListener } from './process-listener.js';
import { ProcessState } from './process-state.js';
import { Created, Excepted, Finished, Killed, Running, Waiting, type ProcessStateBase } from './states.js';

/** An exception saved as plain data; it comes back as an `Error` with the same name, message and stack. */
export interface SavedError {
  /** The error's `name` (e.g. `'RangeError'`). */
  name: string;
  /** The error's message. */
  message: string;
  /** The stack trace as text, when there was one. */
  stack?: string;
}

/** An {@link ExitCode} saved as plain data. */
export interface SavedExitCode {
  /** The exit status. */
  status: number;
  /** The symbolic name. */
  name?: string;
  /** The message. */
  message?: string;
}

/**
 * A process's state object saved as plain data, by label: the step to run next
 * (RUNNING), what it waits for and the step to run on resume (WAITING), or its
 * outcome (FINISHED, EXCEPTED, KILLED).
 */
export type SavedProcessState =
  | { label: 'created' }
  | { label: 'running'; method: string; args: unknown[] }
  | {
      label: 'waiting';
      method?: string;
      msg?: string;
      data?: unknown;
      /** `resume()` was called before the process took its next step. */
      resumed?: true;
      /** A value was passed to `resume()`. */
      hasValue?: true;
      value?: unknown;
    }
  | {
      label: 'finished';
      /** The result, unless it was an exit code. */
      result?: unknown;
      exitCode?: SavedExitCode;
      successful: boolean;
      exitStatus: number;
    }
  | { label: 'excepted'; error: SavedError }
  | { label: 'killed'; message?: string; force: boolean };

/** A listener saved with its process: its class's loader identifier and its own saved state. */
export interface SavedListener {
  /** The listener class's identifier in the `ObjectLoader`. */
  classId: string;
  /** What the listener's `save(context)` returned. */
  state: SavedState;
}

/**
 * The fields `Process.save()` writes (subclasses add their own keys next to
 * them, e.g. a workchain's `ctx`; these names are taken).
 */
export interface ProcessSavedState {
  /** The pid. */
  pid: string | number;
  /** Creation time, ms since the epoch. */
  ctime: number;
  /** The paused flag. */
  paused: boolean;
  /** The status message, if any. */
  status?: string;
  /** The status to restore on play, if the pause message replaced one. */
  prePausedStatus?: string;
  /** The inputs as given. */
  rawInputs: Record<string, unknown>;
  /** The parsed inputs. */
  inputs: Record<string, unknown>;
  /** The outputs emitted so far. */
  outputs: Record<string, unknown>;
  /** The state object. */
  state: SavedProcessState;
  /** The savable listeners (others are not saved). */
  listeners?: SavedListener[];
}

/** Saves an error as plain data (name, message, stack). */
export function saveError(error: Error): SavedError {
  const saved: SavedError = { name: String(error.name), message: String(error.message) };
  if (typeof error.stack === 'string') saved.stack = error.stack;
  return saved;
}

/** Recreates a saved error: an `Error` with the saved name, message and stack. */
export function loadError(saved: SavedError): Error {
  const error = new Error(saved.message);
  error.name = saved.name;
  if (saved.stack === undefined) delete error.stack;
  else error.stack = saved.stack;
  return error;
}

/** The saved form of a process's current state object. */
export function saveStateObject(state: ProcessStateBase): SavedProcessState {
  if (state instanceof Running) return { label: 'running', method: state.method, args: state.args as unknown[] };
  if (state instanceof Waiting) {
    const saved: SavedProcessState & { label: 'waiting' } = { label: 'waiting' };
    if (state.method !== undefined) saved.method = state.method;
    if (state.msg !== undefined) saved.msg = state.msg;
    if (state.data !== undefined) saved.data = state.data;
    if (state.resumed) {
      saved.resumed = true;
      if (state.hasValue) {
        saved.hasValue = true;
        saved.value = state.value;
      }
    }
    return saved;
  }
  if (state instanceof Finished) {
    const { result } = state;
    const saved: SavedProcessState & { label: 'finished' } = {
      label: 'finished',
      successful: state.successful,
      exitStatus: state.exitStatus,
    };
    if (result instanceof ExitCode) saved.exitCode = saveExitCode(result);
    else if (result !== undefined) saved.result = result;
    return saved;
  }
  if (state instanceof Excepted) return { label: 'excepted', error: saveError(state.error) };
  if (state instanceof Killed) {
    const saved: SavedProcessState & { label: 'killed' } = { label: 'killed', force: state.msg.force };
    if (state.msg.message !== undefined) saved.message = state.msg.message;
    return saved;
  }
  if (state instanceof Created) return { label: 'created' };
  throw new PersistenceError(`Cannot save a process in the unknown state '${state.label}'`);
}

/**
 * Recreates a state object of `process` from its saved form. A saved exit code
 * becomes the declared one of the same name and status when there is one.
 * @throws PersistenceError for a malformed saved state.
 */
export function loadStateObject(
  process: AnyProcess,
  saved: SavedProcessState,
  exitCodes: Readonly<Record<string, ExitCode>>,
): ProcessStateBase {
  if (typeof saved !== 'object' || saved === null) throw malformed('state', 'it is not an object');
  switch (saved.label) {
    case ProcessState.CREATED:
      return new Created(process);
    case ProcessState.RUNNING:
      if (typeof saved.method !== 'string') throw malformed('state.method', 'the step name is not a string');
      if (!Array.isArray(saved.args)) throw malformed('state.args', 'the step arguments are not an array');
      return new Running(process, saved.method, saved.args, undefined);
    case ProcessState.WAITING: {
      if (saved.method !== undefined && typeof saved.method !== 'string') {
        throw malformed('state.method', 'the step name is not a string');
      }
      const waiting = new Waiting(process, saved.method, undefined, saved.msg, saved.data);
      if (saved.resumed === true) {
        waiting.resumed = true;
        waiting.hasValue = saved.hasValue === true;
        waiting.value = waiting.hasValue ? saved.value : undefined;
      }
      return waiting;
    }
    case ProcessState.FINISHED: {
      const result = saved.exitCode === undefined ? saved.result : loadExitCode(saved.exitCode, exitCodes);
      return new Finished(process, result, saved.successful === true, Number(saved.exitStatus ?? 0));
    }
    case ProcessState.EXCEPTED:
      if (typeof saved.error !== 'object' || saved.error === null) throw malformed('state.error', 'it is not an object');
      return new Excepted(process, loadError(saved.error));
    case ProcessState.KILLED: {
      const msg = saved.message === undefined ? { force: saved.force === true } : { message: saved.message, force: saved.force === true };
      return new Killed(process, msg);
    }
    default:
      throw malformed('state.label', `'${String((saved as { label: unknown }).label)}' is not a process state`);
  }
}

function saveExitCode(code: ExitCode): SavedExitCode {
  const saved: SavedExitCode = { status: code.status };
  if (code.name !== undefined) saved.name = code.name;
  if (code.message !== undefined) saved.message = code.message;
  return saved;
}

function loadExitCode(saved: SavedExitCode, exitCodes: Readonly<Record<string, ExitCode>>): ExitCode {
  const declared = saved.name === undefined ? undefined : exitCodes[saved.name];
  if (declared !== undefined && declared.status === saved.status && declared.message === saved.message) return declared;
  return new ExitCode(saved.status, saved.name, saved.message);
}

/** Whether a listener can be saved: it has `save(context)` and its class `static recreateFromSavedState`. */
function isSavableListener(listener: ProcessListener): listener is ProcessListener & { save(context: LoadSaveContext): SavedState } {
  const candidate = listener as { save?: unknown; constructor?: { recreateFromSavedState?: unknown } };
  return typeof candidate.save === 'function' && typeof candidate.constructor?.recreateFromSavedState === 'function';
}

/**
 * Saves the listeners that are savable (named through `context.loader`); the
 * others (plain objects, closures) are left out. `undefined` when none is saved.
 */
export function saveListeners(
  listeners: readonly ProcessListener[] | undefined,
  context: LoadSaveContext,
): SavedListener[] | undefined {
  if (listeners === undefined || listeners.length === 0) return undefined;
  let saved: SavedListener[] | undefined;
  for (const listener of listeners) {
    if (!isSavableListener(listener)) continue;
    const classId = context.loader.identify(listener.constructor as LoadableClass);
    (saved ??= []).push({ classId, state: listener.save(context) });
  }
  return saved;
}

/**
 * Recreates saved listeners through `context.loader`; each class's
 * `recreateFromSavedState` gets a context with the recreated `process` added.
 * @throws PersistenceError (UnknownClassError) for a listener class the loader does not know.
 */
export function loadListeners(process: AnyProcess, saved: unknown, context: LoadSaveContext): ProcessListener[] | undefined {
  if (saved === undefined) return undefined;
  if (!Array.isArray(saved)) throw malformed('listeners', 'it is not an array');
  const listenerContext = context.copyExtend({ process });
  return saved.map((entry: SavedListener, index) => {
    const cls = context.loader.load(entry.classId) as LoadableClass & {
      recreateFromSavedState?: (state: SavedState, context: LoadSaveContext) => unknown;
    };
    if (typeof cls.recreateFromSavedState !== 'function') {
      throw malformed(`listeners[${index}]`, `class '${entry.classId}' has no static recreateFromSavedState(state, context)`);
    }
    return cls.recreateFromSavedState(entry.state, listenerContext) as ProcessListener;
  });
}

/** Checks the process fields of a saved state and returns it typed. */
export function readProcessFields(saved: SavedState): ProcessSavedState {
  const { pid, ctime, rawInputs, inputs, outputs, state } = saved;
  if (typeof pid !== 'string' && typeof pid !== 'number') throw malformed('pid', 'it is not a string or a number');
  if (typeof ctime !== 'number') throw malformed('ctime', 'it is not a number');
  checkObject('rawInputs', rawInputs);
  checkObject('inputs', inputs);
  checkObject('outputs', outputs);
  checkObject('state', state);
  checkOptionalString('status', saved.status);
  checkOptionalString('prePausedStatus', saved.prePausedStatus);
  return saved as unknown as ProcessSavedState;
}

function checkObject(name: string, value: unknown): void {
  if (typeof value !== 'object' || value === null) throw malformed(name, 'it is not an object');
}

function checkOptionalString(name: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'string') throw malformed(name, 'it is not a string');
}

function malformed(path: string, reason: string): PersistenceError {
  return new PersistenceError(`Cannot load the process: its saved '${path}' is malformed (${reason})`);
}
