import { ClassRegistry, type LoadableClass, type ObjectLoader } from '@plumpy-ts/persistence';
import { MalformedTaskError } from './errors.js';
import {
  ARGS_KEY,
  CONTINUE_TASK,
  CREATE_TASK,
  KWARGS_KEY,
  LAUNCH_TASK,
  NOWAIT_KEY,
  PERSIST_KEY,
  PID_KEY,
  PROCESS_CLASS_KEY,
  TAG_KEY,
  TASK_ARGS,
  TASK_KEY,
} from './task-keys.js';

/** The constructor options a task carries (plain data): the inputs, and optionally the pid. */
export interface InitKwargs {
  /** The process's inputs. */
  inputs?: Record<string, unknown>;
  /** The pid the process gets (default: a fresh one chosen by the process). */
  pid?: string;
}

/** A launch task: create the process on a worker and run it. */
export interface LaunchTaskBody {
  [TASK_KEY]: typeof LAUNCH_TASK;
  [TASK_ARGS]: {
    [PROCESS_CLASS_KEY]: string;
    [PERSIST_KEY]: boolean;
    [NOWAIT_KEY]: boolean;
    [ARGS_KEY]: unknown[] | null;
    [KWARGS_KEY]: InitKwargs | null;
  };
}

/** A continue task: recreate a process from its checkpoint and run it. */
export interface ContinueTaskBody {
  [TASK_KEY]: typeof CONTINUE_TASK;
  [TASK_ARGS]: {
    [PID_KEY]: string;
    [NOWAIT_KEY]: boolean;
    [TAG_KEY]: string | null;
  };
}

/** A create task: create a process on a worker (checkpointed if `persist`) without running it. */
export interface CreateTaskBody {
  [TASK_KEY]: typeof CREATE_TASK;
  [TASK_ARGS]: {
    [PROCESS_CLASS_KEY]: string;
    [PERSIST_KEY]: boolean;
    [ARGS_KEY]: unknown[] | null;
    [KWARGS_KEY]: InitKwargs | null;
  };
}

/** Any task a {@link ProcessLauncher} handles. */
export type TaskBody = LaunchTaskBody | ContinueTaskBody | CreateTaskBody;

/** A process class, or its identifier in the object loader. */
export type ProcessClassReference = LoadableClass | string;

/** Options of {@link createLaunchBody}. */
export interface LaunchBodyOptions {
  /** The inputs. */
  inputs?: Record<string, unknown>;
  /** The pid the process is to get. */
  pid?: string | number;
  /** Checkpoint the process (the launcher needs a persister). Default false. */
  persist?: boolean;
  /** Answer with the pid as soon as the process is created. Default false. */
  nowait?: boolean;
  /** Names the class (default `ClassRegistry.default`). */
  loader?: ObjectLoader;
}

/** Options of {@link createCreateBody}. */
export type CreateBodyOptions = Omit<LaunchBodyOptions, 'nowait'>;

/** Options of {@link createContinueBody}. */
export interface ContinueBodyOptions {
  /** The checkpoint tag (default: the untagged checkpoint). */
  tag?: string;
  /** Answer with the pid as soon as the process is recreated. Default false. */
  nowait?: boolean;
}

function classId(processClass: ProcessClassReference, loader: ObjectLoader | undefined): string {
  return typeof processClass === 'string' ? processClass : (loader ?? ClassRegistry.default).identify(processClass);
}

function initKwargs(options: { inputs?: Record<string, unknown>; pid?: string | number }): InitKwargs | null {
  const kwargs: InitKwargs = {};
  if (options.inputs !== undefined) kwargs.inputs = options.inputs;
  if (options.pid !== undefined) kwargs.pid = String(options.pid);
  return Object.keys(kwargs).length === 0 ? null : kwargs;
}

/**
 * The body of a launch task (plumpy's `create_launch_body`); the class is
 * named by its loader identifier.
 *
 * @example
 * communicator.taskSend(createLaunchBody(MyWorkChain, { inputs: { n: 3 }, nowait: true }));
 */
export function createLaunchBody(processClass: ProcessClassReference, options: LaunchBodyOptions = {}): LaunchTaskBody {
  return {
    [TASK_KEY]: LAUNCH_TASK,
    [TASK_ARGS]: {
      [PROCESS_CLASS_KEY]: classId(processClass, options.loader),
      [PERSIST_KEY]: options.persist ?? false,
      [NOWAIT_KEY]: options.nowait ?? false,
      [ARGS_KEY]: null,
      [KWARGS_KEY]: initKwargs(options),
    },
  };
}

/** The body of a continue task (plumpy's `create_continue_body`). */
export function createContinueBody(pid: string | number, options: ContinueBodyOptions = {}): ContinueTaskBody {
  return {
    [TASK_KEY]: CONTINUE_TASK,
    [TASK_ARGS]: { [PID_KEY]: String(pid), [NOWAIT_KEY]: options.nowait ?? false, [TAG_KEY]: options.tag ?? null },
  };
}

/** The body of a create task (plumpy's `create_create_body`). */
export function createCreateBody(processClass: ProcessClassReference, options: CreateBodyOptions = {}): CreateTaskBody {
  return {
    [TASK_KEY]: CREATE_TASK,
    [TASK_ARGS]: {
      [PROCESS_CLASS_KEY]: classId(processClass, options.loader),
      [PERSIST_KEY]: options.persist ?? false,
      [ARGS_KEY]: null,
      [KWARGS_KEY]: initKwargs(options),
    },
  };
}

// ------------------------------------------------------------------ parsing

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalFlag(args: Record<string, unknown>, key: string): boolean {
  const value = args[key];
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') throw new MalformedTaskError(`The task argument '${key}' must be a boolean`);
  return value;
}

function requiredString(args: Record<string, unknown>, key: string): string {
  const value = args[key];
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string' || value === '') {
    throw new MalformedTaskError(`The task argument '${key}' must be a non-empty string`);
  }
  return value;
}

function parseInitArgs(args: Record<string, unknown>): unknown[] | null {
  const value = args[ARGS_KEY];
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value) || value.length > 0) {
    throw new MalformedTaskError(
      `The task argument '${ARGS_KEY}' must be empty: a process takes its inputs and pid in '${KWARGS_KEY}'`,
    );
  }
  return [];
}

function parseInitKwargs(args: Record<string, unknown>): InitKwargs | null {
  const value = args[KWARGS_KEY];
  if (value === undefined || value === null) return null;
  if (!isRecord(value)) throw new MalformedTaskError(`The task argument '${KWARGS_KEY}' must be an object`);
  const kwargs: InitKwargs = {};
  for (const key of Object.keys(value)) {
    const entry = value[key];
    if (entry === undefined || entry === null) continue;
    if (key === 'inputs') {
      if (!isRecord(entry)) throw new MalformedTaskError(`'${KWARGS_KEY}.inputs' must be an object`);
      kwargs.inputs = entry;
    } else if (key === 'pid') {
      if (typeof entry !== 'string' && typeof entry !== 'number') {
        throw new MalformedTaskError(`'${KWARGS_KEY}.pid' must be a string or a number`);
      }
      kwargs.pid = String(entry);
    } else {
      throw new MalformedTaskError(`Unknown constructor option '${KWARGS_KEY}.${key}' (only 'inputs' and 'pid' are accepted)`);
    }
  }
  return kwargs;
}

/**
 * Checks a received task and returns it typed. Absent flags are `false`; a
 * numeric pid becomes a string.
 *
 * @throws MalformedTaskError when it is not a launch, continue or create task of the right shape
 */
export function parseTaskBody(task: unknown): TaskBody {
  if (!isRecord(task)) throw new MalformedTaskError('A task must be an object { task, args }');
  const kind = task[TASK_KEY];
  const rawArgs = task[TASK_ARGS] ?? {};
  if (!isRecord(rawArgs)) throw new MalformedTaskError(`The task's '${TASK_ARGS}' must be an object`);
  switch (kind) {
    case LAUNCH_TASK:
      return {
        [TASK_KEY]: LAUNCH_TASK,
        [TASK_ARGS]: {
          [PROCESS_CLASS_KEY]: requiredString(rawArgs, PROCESS_CLASS_KEY),
          [PERSIST_KEY]: optionalFlag(rawArgs, PERSIST_KEY),
          [NOWAIT_KEY]: optionalFlag(rawArgs, NOWAIT_KEY),
          [ARGS_KEY]: parseInitArgs(rawArgs),
          [KWARGS_KEY]: parseInitKwargs(rawArgs),
        },
      };
    case CREATE_TASK:
      return {
        [TASK_KEY]: CREATE_TASK,
        [TASK_ARGS]: {
          [PROCESS_CLASS_KEY]: requiredString(rawArgs, PROCESS_CLASS_KEY),
          [PERSIST_KEY]: optionalFlag(rawArgs, PERSIST_KEY),
          [ARGS_KEY]: parseInitArgs(rawArgs),
          [KWARGS_KEY]: parseInitKwargs(rawArgs),
        },
      };
    case CONTINUE_TASK: {
      const tag = rawArgs[TAG_KEY];
      if (tag !== undefined && tag !== null && typeof tag !== 'string') {
        throw new MalformedTaskError(`The task argument '${TAG_KEY}' must be a string or null`);
      }
      return {
        [TASK_KEY]: CONTINUE_TASK,
        [TASK_ARGS]: {
          [PID_KEY]: requiredString(rawArgs, PID_KEY),
          [NOWAIT_KEY]: optionalFlag(rawArgs, NOWAIT_KEY),
          [TAG_KEY]: tag ?? null,
        },
      };
    }
    default:
      throw new MalformedTaskError(
        `Unknown task '${String(kind)}': expected '${LAUNCH_TASK}', '${CONTINUE_TASK}' or '${CREATE_TASK}'`,
      );
  }
}
