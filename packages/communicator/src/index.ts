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
  TimeoutError,
} from './errors.js';
