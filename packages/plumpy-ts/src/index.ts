/**
 * plumpy-ts: persistable, remotely controllable workflows. This package
 * re-exports the public API of every plumpy-ts package, so that one install
 * covers the tutorial; each name lives in (and is documented by) its own package.
 *
 * @packageDocumentation
 */

// @plumpy-ts/state-machine
export {
  StateMachine,
  StateEventHook,
  State,
  StateEntryFailed,
  StateMachineError,
  TransitionFailed,
  InvalidStateError,
  EventError,
  SuperNotCalledError,
  event,
  type StateEventCallback,
  type StateMachineOptions,
  type StateClass,
} from '@plumpy-ts/state-machine';

// @plumpy-ts/ports
export {
  UNSPECIFIED,
  isUnspecified,
  PortValidationError,
  PortDefinitionError,
  PortNotFoundError,
  Port,
  InputPort,
  OutputPort,
  PortNamespace,
  NAMESPACE_SEPARATOR,
  ExitCode,
  ProcessSpec,
  type ValidType,
  type TypeConstructor,
  type PortOptions,
  type PortValidator,
  type InputPortOptions,
  type OutputPortOptions,
  type PortNamespaceOptions,
  type PortValues,
  type ExposeOptions,
  type SpecProvider,
  type PortDescription,
  type PortNamespaceDescription,
  type ProcessSpecDescription,
} from '@plumpy-ts/ports';

// @plumpy-ts/persistence
export {
  Bundle,
  ClassRegistry,
  InMemoryPersister,
  LoadSaveContext,
  PersistenceError,
  ConcurrentModificationError,
  CheckpointNotFoundError,
  UnknownClassError,
  BUNDLE_VERSION,
  type BundleData,
  type ObjectLoader,
  type Persister,
  type PersistedCheckpoint,
  type Savable,
  type SavableClass,
  type SavedState,
  type Checkpointable,
  type InMemoryPersisterOptions,
  type LoadSaveContextOptions,
} from '@plumpy-ts/persistence';
export { FilePersister, type FilePersisterOptions } from '@plumpy-ts/persistence-file';
export { S3Persister, type S3PersisterOptions } from '@plumpy-ts/persistence-s3';

// @plumpy-ts/communicator
export {
  LocalCommunicator,
  BroadcastFilter,
  CommunicatorError,
  RemoteException,
  DeliveryFailed,
  UnroutableError,
  TaskRejected,
  CommunicatorClosed,
  DuplicateSubscriberIdentifier,
  UnknownSubscriberIdentifier,
  TimeoutError,
  type Communicator,
  type RpcSubscriber,
  type TaskSubscriber,
  type BroadcastSubscriber,
  type TaskSendOptions,
  type BroadcastSendOptions,
  type BroadcastFilterOptions,
  type LocalCommunicatorOptions,
} from '@plumpy-ts/communicator';
export { RmqCommunicator, connect, BrokerConnectionLost, type RmqCommunicatorOptions } from '@plumpy-ts/communicator-rmq';

// @plumpy-ts/process
export {
  Process,
  ProcessState,
  Command,
  Continue,
  Wait,
  Stop,
  Kill,
  UnsuccessfulResult,
  KilledError,
  ClosedError,
  consoleLogger,
  type AnyProcess,
  type ProcessOptions,
  type LaunchOptions,
  type ProcessClass,
  type ProcessStatusInfo,
  type ProcessListener,
  type Logger,
  type KillMessage,
} from '@plumpy-ts/process';

// @plumpy-ts/workchain
export {
  WorkChain,
  WorkChainSpec,
  if_,
  while_,
  return_,
  append_,
  OutlineError,
  AwaitableFailedError,
  CHILD_RESOLVER_KEY,
  type ChildResolver,
  type ChildHandle,
  type WorkChainContext,
  type OutlineEntry,
} from '@plumpy-ts/workchain';

// @plumpy-ts/controllers
export {
  RemoteProcessController,
  ProcessLauncher,
  ProcessCheckpointer,
  MessageBuilder,
  RemoteProcess,
  AwaitedChild,
  createWorker,
  waitForProcessEnd,
  processOutcome,
  Intent,
  INTENT_KEY,
  MESSAGE_KEY,
  FORCE_KILL_KEY,
  TASK_KEY,
  TASK_ARGS,
  LAUNCH_TASK,
  CONTINUE_TASK,
  CREATE_TASK,
  MalformedTaskError,
  ProcessEndedError,
  type ProcessStatus,
  type LaunchProcessOptions,
  type ContinueProcessOptions,
  type ExecuteProcessOptions,
  type ProcessLauncherOptions,
  type ControlMessage,
  type TaskBody,
  type Worker,
  type WorkerOptions,
} from '@plumpy-ts/controllers';
