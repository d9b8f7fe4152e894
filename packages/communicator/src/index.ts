export type {
  Communicator,
  RpcSubscriber,
  TaskSubscriber,
  BroadcastSubscriber,
  TaskSendOptions,
  BroadcastSendOptions,
} from './communicator.js';
export {
  CommunicatorError,
  RemoteException,
  DeliveryFailed,
  UnroutableError,
  TaskRejected,
  CommunicatorClosed,
  DuplicateSubscriberIdentifier,
  UnknownSubscriberIdentifier,
  TimeoutError,
} from './errors.js';
export { LocalCommunicator } from './local-communicator.js';
export { SubscriberRegistry } from './subscriber-registry.js';
export type { LocalCommunicatorOptions, CommunicatorLogger } from './local-communicator.js';
export { BroadcastFilter } from './broadcast-filter.js';
export type { BroadcastFilterOptions } from './broadcast-filter.js';
export { compileMatchPattern } from './match-pattern.js';
export type { MatchPattern, Matcher } from './match-pattern.js';
