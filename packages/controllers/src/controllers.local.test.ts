import { LocalCommunicator } from '@plumpy-ts/communicator';
import { controllerSuite } from './__tests__/controller-suite.js';

controllerSuite('on a LocalCommunicator', {
  open: () => {
    const communicator = new LocalCommunicator();
    return Promise.resolve({ worker: communicator, client: communicator, close: () => communicator.close() });
  },
  ready: () => Promise.resolve(),
});
