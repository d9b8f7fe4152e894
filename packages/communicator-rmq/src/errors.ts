import { DeliveryFailed } from '@plumpy-ts/communicator';

/**
 * The connection to the broker broke while a call was waiting for its answer
 * (an RPC's reply, or a confirmation from the broker). The communicator
 * reconnects by itself; the call may be retried. Tasks are not rejected with
 * this: they are durable and their results arrive after the reconnection.
 */
export class BrokerConnectionLost extends DeliveryFailed {
  constructor(message = 'The connection to the message broker was lost before the reply arrived', options?: ErrorOptions) {
    super(message, options);
  }
}
