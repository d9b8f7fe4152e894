export { Process } from './process.js';
export type { AnyProcess, ProcessOptions, LaunchOptions, ProcessClass, ProcessStatusInfo } from './process-options.js';
export { ProcessState } from './process-state.js';
export { Command, Continue, Wait, Stop, Kill, stepName, type StepFunction, type StepReference } from './commands.js';
export { UnsuccessfulResult } from './unsuccessful-result.js';
export { KilledError, ClosedError } from './errors.js';
export type { ProcessListener } from './process-listener.js';
export { consoleLogger, type Logger } from './logger.js';
export {
  ProcessStateBase,
  Created,
  Running,
  Waiting,
  Finished,
  Excepted,
  Killed,
  type KillMessage,
} from './states.js';
export { deepFreeze, frozenCopy } from './deep-freeze.js';
export {
  Intent,
  INTENT_KEY,
  MESSAGE_KEY,
  FORCE_KILL_KEY,
  UnknownIntentError,
  type ProcessControlMessage,
} from './remote-control.js';
export type {
  ProcessSavedState,
  SavedProcessState,
  SavedError,
  SavedExitCode,
  SavedListener,
} from './saved-state.js';
export type { ProcessLoadContextValues } from './load-context.js';
// Re-exported for packages built on processes (workchain, controllers), which
// import only @plumpy-ts/process.
export {
  InvalidStateError,
  TransitionFailed,
  StateMachineError,
  SuperNotCalledError,
  StateEntryFailed,
  markSuperCalled,
  startSuperCheck,
  finishSuperCheck,
  callWithSuperCheck,
} from '@plumpy-ts/state-machine';
export {
  ExitCode,
  Port,
  InputPort,
  OutputPort,
  PortNamespace,
  ProcessSpec,
  PortValidationError,
  PortDefinitionError,
  PortNotFoundError,
  UNSPECIFIED,
  isUnspecified,
  isPlainObject,
  NAMESPACE_SEPARATOR,
  type ValidType,
  type TypeConstructor,
  type PortOptions,
  type PortValidator,
  type PortDescription,
  type InputPortOptions,
  type OutputPortOptions,
  type PortNamespaceOptions,
  type PortNamespaceDescription,
  type PortValues,
  type ExposeOptions,
  type SpecProvider,
  type ProcessSpecDescription,
} from '@plumpy-ts/ports';
// Re-exported for subclasses in other packages (WorkChain) that save their own state.
export {
  PersistenceError,
  LoadSaveContext,
  type SavedState,
  type Savable,
  type Checkpointable,
  type LoadSaveContextValues,
} from '@plumpy-ts/persistence';
