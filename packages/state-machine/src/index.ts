export { StateMachine, StateEventHook, type StateEventCallback, type StateMachineOptions } from './state-machine.js';
export { State, StateEntryFailed, type StateClass } from './state.js';
export {
  StateMachineError,
  TransitionFailed,
  InvalidStateError,
  EventError,
  SuperNotCalledError,
  type TransitionFailedOptions,
} from './errors.js';
export { event, type EventOptions, type EventMethod } from './event.js';
export {
  callWithSuperCheck,
  markSuperCalled,
  startSuperCheck,
  finishSuperCheck,
  type SuperCheckToken,
} from './super-check.js';
