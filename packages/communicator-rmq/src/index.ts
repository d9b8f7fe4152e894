export { RmqCommunicator } from './rmq-communicator.js';
export { connect } from './connect.js';
export { BrokerConnectionLost } from './errors.js';
export { DEFAULT_NAMES } from './options.js';
export type { RmqCommunicatorOptions, RmqLogger, RmqReconnectOptions } from './options.js';
export { CONTENT_TYPE, VERSION_HEADER, WIRE_VERSION } from './wire-format.js';
