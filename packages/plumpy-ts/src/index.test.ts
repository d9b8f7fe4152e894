import { describe, expect, it } from 'vitest';
import * as plumpy from './index.js';
import * as stateMachine from '@plumpy-ts/state-machine';
import * as ports from '@plumpy-ts/ports';
import * as persistence from '@plumpy-ts/persistence';
import * as communicator from '@plumpy-ts/communicator';
import * as process from '@plumpy-ts/process';
import * as workchain from '@plumpy-ts/workchain';
import * as controllers from '@plumpy-ts/controllers';
import * as persistenceFile from '@plumpy-ts/persistence-file';
import * as persistenceS3 from '@plumpy-ts/persistence-s3';
import * as communicatorRmq from '@plumpy-ts/communicator-rmq';

/** The names the contract (shared/contract/API.md) lists for each package. */
const contract: [string, Record<string, unknown>, string[]][] = [
  ['state-machine', stateMachine, ['StateMachine', 'State', 'TransitionFailed', 'InvalidStateError', 'EventError']],
  ['ports', ports, ['Port', 'InputPort', 'OutputPort', 'PortNamespace', 'ProcessSpec', 'PortValidationError', 'UNSPECIFIED']],
  [
    'persistence',
    persistence,
    ['Bundle', 'LoadSaveContext', 'InMemoryPersister', 'ClassRegistry', 'PersistenceError', 'ConcurrentModificationError'],
  ],
  [
    'communicator',
    communicator,
    [
      'LocalCommunicator',
      'BroadcastFilter',
      'RemoteException',
      'DeliveryFailed',
      'UnroutableError',
      'TaskRejected',
      'CommunicatorClosed',
      'DuplicateSubscriberIdentifier',
      'TimeoutError',
    ],
  ],
  [
    'process',
    process,
    ['Process', 'ProcessState', 'Continue', 'Wait', 'Stop', 'Kill', 'ExitCode', 'KilledError', 'UnsuccessfulResult', 'ClosedError', 'InvalidStateError'],
  ],
  ['controllers', controllers, ['RemoteProcessController', 'ProcessLauncher', 'MessageBuilder']],
  ['workchain', workchain, ['WorkChain', 'WorkChainSpec', 'if_', 'while_', 'return_', 'append_']],
];

describe('plumpy-ts re-exports every package', () => {
  for (const [name, module, names] of contract) {
    it(`re-exports the contract's names of @plumpy-ts/${name}, as the same objects`, () => {
      for (const exported of names) {
        expect(module[exported], `${name} exports ${exported}`).toBeDefined();
        expect((plumpy as Record<string, unknown>)[exported], `plumpy-ts re-exports ${exported}`).toBe(module[exported]);
      }
    });
  }

  it('re-exports every value every package exports, as the same object', () => {
    const packages: Record<string, Record<string, unknown>> = {
      stateMachine,
      ports,
      persistence,
      persistenceFile,
      persistenceS3,
      communicator,
      communicatorRmq,
      process,
      workchain,
      controllers,
    };
    const missing: string[] = [];
    for (const [name, module] of Object.entries(packages)) {
      for (const [exported, value] of Object.entries(module)) {
        if ((plumpy as Record<string, unknown>)[exported] !== value) missing.push(`${name}.${exported}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('re-exports the file, S3 and RabbitMQ plugins', () => {
    expect(plumpy.FilePersister).toBeTypeOf('function');
    expect(plumpy.S3Persister).toBeTypeOf('function');
    expect(plumpy.RmqCommunicator).toBeTypeOf('function');
    expect(plumpy.connect).toBeTypeOf('function');
  });
});
