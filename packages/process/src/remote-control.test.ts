// A process on a communicator: plumpy's message_receive / broadcast_receive and
// the state_changed broadcasts (tests/test_processes.py test_broadcast,
// tests/rmq/test_process_comms.py), with kiwipy's LocalCommunicator.
import {
  DuplicateSubscriberIdentifier,
  LocalCommunicator,
  RemoteException,
  UnroutableError,
} from '@plumpy-ts/communicator';
import { Bundle, LoadSaveContext } from '@plumpy-ts/persistence';
import { afterEach, describe, expect, it } from 'vitest';
import { DummyProcess, WaitForSignalProcess, until, untilWaiting } from './__tests__/processes.js';
import {
  FORCE_KILL_KEY,
  INTENT_KEY,
  Intent,
  KilledError,
  MESSAGE_KEY,
  Process,
  ProcessState,
  UnknownIntentError,
  Wait,
  type Logger,
  type ProcessControlMessage,
} from './index.js';

/** A logger that records what it is given. */
class RecordingLogger implements Logger {
  readonly records: { level: string; message: string; args: unknown[] }[] = [];
  debug(): void {}
  info(message: string, ...args: unknown[]): void {
    this.records.push({ level: 'info', message, args });
  }
  warn(message: string, ...args: unknown[]): void {
    this.records.push({ level: 'warn', message, args });
  }
  error(message: string, ...args: unknown[]): void {
    this.records.push({ level: 'error', message, args });
  }
}

interface Broadcast {
  body: unknown;
  sender: string | undefined;
  subject: string | undefined;
}

/** Collects the broadcasts sent on `communicator`. */
function recordBroadcasts(communicator: LocalCommunicator): Broadcast[] {
  const broadcasts: Broadcast[] = [];
  communicator.addBroadcastSubscriber((_c, body, sender, subject) => {
    broadcasts.push({ body, sender, subject });
  });
  return broadcasts;
}

/** Lets queued deliveries of the LocalCommunicator (microtasks) run. */
async function flush(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
}

const status = (): ProcessControlMessage => ({ intent: Intent.STATUS, message: null });
const pause = (text: string | null = null): ProcessControlMessage => ({ intent: Intent.PAUSE, message: text });
const play = (): ProcessControlMessage => ({ intent: Intent.PLAY, message: null });
const kill = (text: string | null = null, force = false): ProcessControlMessage => ({
  intent: Intent.KILL,
  message: text,
  force_kill: force,
});

class SimpleProcess extends Process {}

let communicator: LocalCommunicator;
afterEach(async () => {
  await communicator?.close();
});

describe('the wire format', () => {
  it('exports plumpy’s intents and keys', () => {
    expect(Intent).toEqual({ PLAY: 'play', PAUSE: 'pause', KILL: 'kill', STATUS: 'status' });
    expect([INTENT_KEY, MESSAGE_KEY, FORCE_KILL_KEY]).toEqual(['intent', 'message', 'force_kill']);
  });
});

describe('RPC control of a process', () => {
  it('answers status with ctime, paused, processString and state, in that order (tutorial part 10)', async () => {
    communicator = new LocalCommunicator();
    const proc = new SimpleProcess({ communicator });
    const reply = await communicator.rpcSend(String(proc.pid), status());
    expect(reply).toEqual({
      ctime: proc.creationTime,
      paused: false,
      processString: '<SimpleProcess> (created)',
      state: 'created',
    });
    expect(Object.keys(reply as object)).toEqual(['ctime', 'paused', 'processString', 'state']);
    expect(typeof (reply as { ctime: unknown }).ctime).toBe('number');
  });

  it('includes the extra fields of getStatusInfo', async () => {
    communicator = new LocalCommunicator();
    class WithStepper extends Process {
      override getStatusInfo(): ReturnType<Process['getStatusInfo']> {
        return { ...super.getStatusInfo(), stepper: '0:run' };
      }
    }
    const proc = new WithStepper({ communicator });
    expect(await communicator.rpcSend(String(proc.pid), status())).toMatchObject({ stepper: '0:run' });
  });

  it('pauses and plays a waiting process (plumpy test_pause, test_play)', async () => {
    communicator = new LocalCommunicator();
    const proc = new WaitForSignalProcess({ communicator });
    const driving = proc.stepUntilTerminated();
    await untilWaiting(proc);

    expect(await communicator.rpcSend(String(proc.pid), pause('paused remotely'))).toBe(true);
    expect(proc.paused).toBe(true);
    expect(proc.status).toBe('paused remotely');
    expect(await communicator.rpcSend(String(proc.pid), status())).toMatchObject({ paused: true, state: 'waiting' });

    expect(await communicator.rpcSend(String(proc.pid), play())).toBe(true);
    expect(proc.paused).toBe(false);
    expect(proc.state).toBe(ProcessState.WAITING);

    proc.resume();
    await driving;
    expect(proc.state).toBe(ProcessState.FINISHED);
  });

  it('pauses a created process and plays it (plumpy sync test_play)', async () => {
    communicator = new LocalCommunicator();
    const proc = new DummyProcess({ communicator });
    expect(await communicator.rpcSend(String(proc.pid), pause())).toBe(true);
    expect(proc.paused).toBe(true);
    expect(await communicator.rpcSend(String(proc.pid), play())).toBe(true);
    expect(proc.paused).toBe(false);
    expect(proc.state).toBe(ProcessState.CREATED);
  });

  it('kills a waiting process with the message (plumpy test_kill)', async () => {
    communicator = new LocalCommunicator();
    const proc = new WaitForSignalProcess({ communicator });
    const executing = proc.execute();
    await untilWaiting(proc);
    expect(await communicator.rpcSend(String(proc.pid), kill('killed remotely'))).toBe(true);
    expect(proc.state).toBe(ProcessState.KILLED);
    expect(proc.killedMsg()).toEqual({ message: 'killed remotely', force: false });
    await expect(executing).rejects.toThrow(KilledError);
    await expect(executing).rejects.toThrow('killed remotely');
  });

  it('force-kills a process in the middle of an async step', async () => {
    communicator = new LocalCommunicator();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    class Busy extends Process {
      override async run(): Promise<void> {
        await gate;
      }
    }
    const proc = new Busy({ communicator });
    const executing = proc.execute();
    await flush();
    expect(proc.state).toBe(ProcessState.RUNNING);
    expect(await communicator.rpcSend(String(proc.pid), kill('now', true))).toBe(true);
    expect(proc.killedMsg()).toEqual({ message: 'now', force: true });
    await expect(executing).rejects.toThrow('now');
    release();
  });

  it('rejects an unknown intent with a RemoteException naming it', async () => {
    communicator = new LocalCommunicator();
    const proc = new DummyProcess({ communicator });
    const sending = communicator.rpcSend(String(proc.pid), { intent: 'dance' });
    await expect(sending).rejects.toThrow(RemoteException);
    await expect(sending).rejects.toThrow(/Unknown intent "dance"/);
    await expect(communicator.rpcSend(String(proc.pid), 'not a message')).rejects.toThrow(/Unknown intent/);
    expect(new UnknownIntentError('dance').name).toBe('UnknownIntentError');
    expect(proc.state).toBe(ProcessState.CREATED);
  });
});

describe('broadcast control of a process', () => {
  it('acts on the subjects pause, play and kill (plumpy broadcast_receive)', async () => {
    communicator = new LocalCommunicator();
    const procs = [new WaitForSignalProcess({ communicator }), new WaitForSignalProcess({ communicator })];
    const executing = procs.map((p) => p.execute());
    await Promise.all(procs.map(untilWaiting));

    await communicator.broadcastSend({ intent: Intent.PAUSE, message: 'pause all' }, { subject: Intent.PAUSE });
    await Promise.all(procs.map((p) => until(p, () => p.paused)));
    expect(procs.map((p) => [p.paused, p.status])).toEqual([
      [true, 'pause all'],
      [true, 'pause all'],
    ]);

    await communicator.broadcastSend({ intent: Intent.PLAY }, { subject: Intent.PLAY });
    await flush();
    expect(procs.map((p) => p.paused)).toEqual([false, false]);

    await communicator.broadcastSend(kill('kill all'), { subject: Intent.KILL });
    for (const result of executing) await expect(result).rejects.toThrow('kill all');
    expect(procs.map((p) => p.state)).toEqual([ProcessState.KILLED, ProcessState.KILLED]);
  });

  it('takes the intent from the body when there is no subject', async () => {
    communicator = new LocalCommunicator();
    const proc = new DummyProcess({ communicator });
    await communicator.broadcastSend(pause());
    await until(proc, () => proc.paused);
    expect(proc.paused).toBe(true);
  });

  it('ignores other subjects, such as state changes', async () => {
    communicator = new LocalCommunicator();
    const proc = new DummyProcess({ communicator });
    await communicator.broadcastSend(kill(), { subject: 'state_changed.running.killed', sender: 'someone' });
    await communicator.broadcastSend(kill(), { subject: 'something_else' });
    await flush();
    expect(proc.state).toBe(ProcessState.CREATED);
    expect(proc.paused).toBe(false);
  });
});

describe('state change broadcasts', () => {
  it('broadcasts state_changed.<from>.<to> on every transition, from null (plumpy test_broadcast)', async () => {
    communicator = new LocalCommunicator();
    const broadcasts = recordBroadcasts(communicator);
    const proc = new DummyProcess({ communicator });
    await proc.execute();
    await flush();
    const subjects = DummyProcess.EXPECTED_STATE_SEQUENCE.map(
      (state, i) => `state_changed.${i === 0 ? 'null' : DummyProcess.EXPECTED_STATE_SEQUENCE[i - 1]}.${state}`,
    );
    expect(subjects).toEqual(['state_changed.null.created', 'state_changed.created.running', 'state_changed.running.finished']);
    expect(broadcasts).toEqual(subjects.map((subject) => ({ body: null, sender: String(proc.pid), subject })));
  });

  it('broadcasts the whole sequence of a run that waits', async () => {
    communicator = new LocalCommunicator();
    const broadcasts = recordBroadcasts(communicator);
    const proc = new WaitForSignalProcess({ communicator, pid: 7 });
    const executing = proc.execute();
    await untilWaiting(proc);
    proc.resume();
    await executing;
    await flush();
    expect(broadcasts.map((b) => [b.sender, b.subject])).toEqual([
      ['7', 'state_changed.null.created'],
      ['7', 'state_changed.created.running'],
      ['7', 'state_changed.running.waiting'],
      ['7', 'state_changed.waiting.running'],
      ['7', 'state_changed.running.finished'],
    ]);
  });

  it('broadcasts excepted and killed', async () => {
    communicator = new LocalCommunicator();
    const broadcasts = recordBroadcasts(communicator);
    class Fails extends Process {
      override run(): void {
        throw new Error('boom');
      }
    }
    const failing = new Fails({ communicator, pid: 'f' });
    await expect(failing.execute()).rejects.toThrow('boom');
    const killed = new DummyProcess({ communicator, pid: 'k' });
    await killed.kill();
    await flush();
    expect(broadcasts.map((b) => `${String(b.sender)}:${String(b.subject)}`)).toEqual([
      'f:state_changed.null.created',
      'f:state_changed.created.running',
      'f:state_changed.running.excepted',
      'k:state_changed.null.created',
      'k:state_changed.created.killed',
    ]);
  });

  it('carries on, logging, when a broadcast fails', async () => {
    communicator = new LocalCommunicator();
    const logger = new RecordingLogger();
    const proc = new WaitForSignalProcess({ communicator, logger });
    const executing = proc.execute();
    await untilWaiting(proc);
    await communicator.close();
    proc.resume();
    await executing;
    await flush();
    expect(proc.state).toBe(ProcessState.FINISHED);
    const warnings = logger.records.filter((r) => r.level === 'warn').map((r) => r.message);
    expect(warnings).toContain(`Process<${String(proc.pid)}>: could not broadcast the state change waiting → running`);
    expect(logger.records.filter((r) => r.level === 'error')).toEqual([]);
  });
});

describe('subscriptions', () => {
  it('subscribes under String(pid) and unsubscribes when the process terminates', async () => {
    communicator = new LocalCommunicator();
    const proc = new DummyProcess({ communicator, pid: 42 });
    expect(() => communicator.addRpcSubscriber(() => undefined, '42')).toThrow(DuplicateSubscriberIdentifier);
    expect(() => communicator.addBroadcastSubscriber(() => undefined, '42')).toThrow(DuplicateSubscriberIdentifier);
    await proc.execute();
    await expect(communicator.rpcSend('42', status())).rejects.toThrow(UnroutableError);
    expect(communicator.addRpcSubscriber(() => undefined, '42')).toBe('42');
    expect(communicator.addBroadcastSubscriber(() => undefined, '42')).toBe('42');
  });

  it('unsubscribes when killed through its own RPC, and still replies', async () => {
    communicator = new LocalCommunicator();
    const proc = new DummyProcess({ communicator });
    expect(await communicator.rpcSend(String(proc.pid), kill())).toBe(true);
    await expect(communicator.rpcSend(String(proc.pid), status())).rejects.toThrow(UnroutableError);
  });

  it('unsubscribes on close()', async () => {
    communicator = new LocalCommunicator();
    const proc = new DummyProcess({ communicator });
    proc.close();
    await expect(communicator.rpcSend(String(proc.pid), status())).rejects.toThrow(UnroutableError);
  });

  it('does not fail to terminate when the communicator was closed first', async () => {
    communicator = new LocalCommunicator();
    const logger = new RecordingLogger();
    const proc = new DummyProcess({ communicator, logger });
    await communicator.close();
    await proc.execute();
    expect(proc.state).toBe(ProcessState.FINISHED);
    expect(logger.records.filter((r) => r.level === 'error')).toEqual([]);
  });

  it('refuses a second live process with the same pid on one communicator', () => {
    communicator = new LocalCommunicator();
    new DummyProcess({ communicator, pid: 'twin' });
    expect(() => new DummyProcess({ communicator, pid: 'twin' })).toThrow(DuplicateSubscriberIdentifier);
  });

  it('makes launched children reachable on the same communicator', async () => {
    communicator = new LocalCommunicator();
    let child: Process | undefined;
    class Parent extends Process {
      override run(): Wait {
        child = this.launch(WaitForSignalProcess, { pid: 'child' });
        return new Wait('done');
      }
      done(): void {}
    }
    const parent = new Parent({ communicator });
    const executing = parent.execute();
    await untilWaiting(parent);
    await untilWaiting(child!);
    expect(await communicator.rpcSend('child', status())).toMatchObject({ state: 'waiting' });
    expect(await communicator.rpcSend('child', kill())).toBe(true);
    parent.resume();
    await executing;
  });
});

describe('a recreated process', () => {
  it('subscribes with the communicator and logs with the logger of the load context', async () => {
    const proc = new WaitForSignalProcess({ pid: 'saved' });
    const driving = proc.stepUntilTerminated();
    await untilWaiting(proc);
    const bundle = new Bundle(proc);
    await proc.kill();
    await driving;

    communicator = new LocalCommunicator();
    const broadcasts = recordBroadcasts(communicator);
    const logger = new RecordingLogger();
    const loaded = bundle.unbundle<WaitForSignalProcess>(new LoadSaveContext({ communicator, logger }));
    expect(loaded.communicator).toBe(communicator);
    expect(loaded.logger).toBe(logger);
    expect(await communicator.rpcSend('saved', status())).toMatchObject({ state: 'waiting', paused: false });

    const executing = loaded.execute();
    expect(await communicator.rpcSend('saved', pause())).toBe(true);
    loaded.resume();
    expect(await communicator.rpcSend('saved', play())).toBe(true);
    await executing;
    await flush();
    expect(loaded.state).toBe(ProcessState.FINISHED);
    expect(broadcasts.map((b) => b.subject)).toEqual(['state_changed.waiting.running', 'state_changed.running.finished']);
    await expect(communicator.rpcSend('saved', status())).rejects.toThrow(UnroutableError);
  });

  it('does not subscribe when it has terminated', async () => {
    const proc = new DummyProcess({ pid: 'done' });
    await proc.execute();
    communicator = new LocalCommunicator();
    const loaded = new Bundle(proc).unbundle<DummyProcess>(new LoadSaveContext({ communicator }));
    expect(loaded.isClosed).toBe(true);
    await expect(communicator.rpcSend('done', status())).rejects.toThrow(UnroutableError);
  });

  it('refuses a load context value that is not a communicator', () => {
    const bundle = new Bundle(new DummyProcess());
    expect(() => bundle.unbundle(new LoadSaveContext({ communicator: 'amqp://' }))).toThrow(/not a Communicator/);
  });
});
