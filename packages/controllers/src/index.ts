export { RemoteProcessController } from './remote-process-controller.js';
export type {
  ProcessStatus,
  OutputsOf,
  LaunchProcessOptions,
  ContinueProcessOptions,
  ExecuteProcessOptions,
  KillOptions,
} from './remote-process-controller.js';
export { ProcessLauncher, HANDOVER_PAUSE_MESSAGE, type ProcessLauncherOptions } from './process-launcher.js';
export { ProcessCheckpointer } from './process-checkpointer.js';
export { MessageBuilder, type ControlMessage } from './message-builder.js';
export { Intent, INTENT_KEY, MESSAGE_KEY, FORCE_KILL_KEY } from './intent.js';
export {
  TASK_KEY,
  TASK_ARGS,
  PERSIST_KEY,
  PROCESS_CLASS_KEY,
  ARGS_KEY,
  KWARGS_KEY,
  NOWAIT_KEY,
  PID_KEY,
  TAG_KEY,
  LAUNCH_TASK,
  CONTINUE_TASK,
  CREATE_TASK,
} from './task-keys.js';
export {
  createLaunchBody,
  createContinueBody,
  createCreateBody,
  parseTaskBody,
  type TaskBody,
  type LaunchTaskBody,
  type ContinueTaskBody,
  type CreateTaskBody,
  type InitKwargs,
  type ProcessClassReference,
  type LaunchBodyOptions,
  type CreateBodyOptions,
  type ContinueBodyOptions,
} from './task-bodies.js';
export {
  waitForProcessEnd,
  processOutcome,
  outcomeOf,
  type ProcessEnd,
  type TerminalState,
  type WaitForProcessEndOptions,
} from './process-end.js';
export { RemoteProcess } from './remote-process.js';
export { probeProcess, type Liveness } from './process-liveness.js';
export { AwaitedChild } from './awaited-child.js';
export { createWorker, type Worker, type WorkerOptions } from './worker.js';
export { newPid } from './new-pid.js';
export { MalformedTaskError, ProcessEndedError } from './errors.js';
