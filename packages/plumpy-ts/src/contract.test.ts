/**
 * The contract (shared/contract/API.md), exercised through the umbrella package
 * as a user of plumpy-ts would write it: names, shapes and the semantics the
 * contract spells out.
 */
import { describe, expect, it } from 'vitest';
import * as plumpy from './index.js';

type Label = 'stopped' | 'playing' | 'paused';

class Stopped extends plumpy.State<Label> {
  static override LABEL = 'stopped';
  static override ALLOWED = new Set(['playing']);
}
class Playing extends plumpy.State<Label> {
  static override LABEL = 'playing';
  static override ALLOWED = new Set(['paused', 'stopped']);
  constructor(
    machine: plumpy.StateMachine<Label>,
    readonly track?: string,
  ) {
    super(machine);
  }
}
class Paused extends plumpy.State<Label> {
  static override LABEL = 'paused';
  static override ALLOWED = new Set(['playing', 'stopped']);
}
class CdPlayer extends plumpy.StateMachine<Label> {
  static override STATES = [Stopped, Playing, Paused];
}

describe('state machine', () => {
  it('enters the first state, transitions by label with arguments, and names both states on an illegal transition', () => {
    const cd = new CdPlayer();
    expect(cd.state).toBe('stopped');
    cd.transitionTo('playing', 'track 1');
    expect(cd.state).toBe('playing');
    expect((cd.currentState as Playing).track).toBe('track 1');
    cd.transitionTo('stopped');
    expect(() => cd.transitionTo('paused')).toThrow(plumpy.TransitionFailed);
    expect(() => cd.transitionTo('paused')).toThrow(/stopped[\s\S]*paused|paused[\s\S]*stopped/);
  });
});

class ExitCodeProcess extends plumpy.Process {
  static override define(spec: plumpy.ProcessSpec): void {
    super.define(spec);
    spec.input('a', { validType: Number, default: 5 });
    spec.output('x', { validType: Number, required: false });
    spec.exitCode(400, 'ERROR_NAME', 'it went wrong');
  }

  override run(): unknown {
    return this.exitCodes.ERROR_NAME;
  }
}

describe('process', () => {
  it('has a UUID v7 pid, a name, and finishes with a declared exit code', async () => {
    const p = new ExitCodeProcess();
    expect(String(p.pid)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ExitCodeProcess.getName()).toBe('ExitCodeProcess');
    expect(p.getName()).toBe('ExitCodeProcess');
    expect(p.inputs).toEqual({ a: 5 });
    expect(Object.isFrozen(p.inputs)).toBe(true);
    await p.execute();
    expect(p.state).toBe(plumpy.ProcessState.FINISHED);
    expect(p.state).toBe('finished');
    expect(p.exitStatus).toBe(400);
    expect(p.isSuccessful).toBe(false);
    expect(p.result()).toMatchObject({ status: 400, name: 'ERROR_NAME', message: 'it went wrong' });
  });

  it('rejects invalid inputs with a PortValidationError in plumpy wording', () => {
    expect(() => new ExitCodeProcess({ inputs: { a: 'x' as unknown as number } })).toThrow(plumpy.PortValidationError);
    expect(() => new ExitCodeProcess({ inputs: { a: 'x' as unknown as number } })).toThrow(
      "Error occurred validating port 'inputs.a': value 'a' is not of the right type. Got 'string', expected 'Number'",
    );
  });

  it('kills with a message that KilledError carries', async () => {
    class Waiter extends plumpy.Process {
      override run(): plumpy.Wait {
        return new plumpy.Wait();
      }
    }
    const p = new Waiter();
    const done = p.execute();
    await new Promise((resolve) => setImmediate(resolve));
    expect(p.state).toBe('waiting');
    expect(await p.kill('enough')).toBe(true);
    await expect(done).rejects.toThrow(plumpy.KilledError);
    await expect(done).rejects.toThrow(/enough/);
    expect(p.killedMsg()).toMatchObject({ message: 'enough', force: false });
    expect(() => p.result()).toThrow(plumpy.KilledError);
  });

  it('calls every listener event and survives a throwing listener', async () => {
    const events: string[] = [];
    class Outputs extends plumpy.Process {
      static override define(spec: plumpy.ProcessSpec): void {
        super.define(spec);
        spec.output('x');
      }
      override run(): void {
        this.out('x', 1);
      }
    }
    const p = new Outputs();
    p.addProcessListener({
      onProcessRunning: () => {
        events.push('running');
        throw new Error('a listener bug');
      },
      onOutputEmitted: (_p, name, value, dynamic) => events.push(`output ${name}=${String(value)} ${String(dynamic)}`),
      onProcessFinished: (_p, outputs) => events.push(`finished ${JSON.stringify(outputs)}`),
    });
    await p.execute();
    expect(events).toEqual(['running', 'output x=1 false', 'finished {"x":1}']);
  });
});

class Chain extends plumpy.WorkChain<{ n: number }> {
  static override define(spec: plumpy.WorkChainSpec): void {
    super.define(spec);
    spec.input('n', { validType: Number, default: 3 });
    spec.output('result', { validType: Number });
    spec.outline('setup', plumpy.while_('more')(plumpy.if_('always')('count')), 'finish');
  }
  setup(): void {
    this.ctx.i = 0;
  }
  more(): boolean {
    return (this.ctx.i as number) < this.inputs.n;
  }
  always(): boolean {
    return true;
  }
  count(): void {
    this.ctx.i = (this.ctx.i as number) + 1;
  }
  finish(): void {
    this.out('result', this.ctx.i);
  }
}

describe('work chain, persistence and controllers', () => {
  it('reports its stepper position and round-trips through a Bundle', async () => {
    const chain = new Chain();
    const bundle = new plumpy.Bundle(chain);
    const again = bundle.unbundle<Chain>();
    expect(again.pid).toBe(chain.pid);
    expect(new plumpy.Bundle(again)).toEqual(bundle);
    expect(await again.execute()).toEqual({ result: 3 });
  });

  it('launches, controls and queries processes through a controller', async () => {
    plumpy.ClassRegistry.default.register(Chain, 'contract-test/Chain');
    const communicator = new plumpy.LocalCommunicator();
    communicator.addTaskSubscriber(new plumpy.ProcessLauncher().handle);
    const controller = new plumpy.RemoteProcessController(communicator);
    expect(await controller.launchProcess(Chain, { inputs: { n: 4 } })).toEqual({ result: 4 });
    const pid = await controller.launchProcess(Chain, { nowait: true });
    expect(typeof pid).toBe('string');
    expect(plumpy.MessageBuilder.kill('stop', true)).toMatchObject({ intent: 'kill', message: 'stop', force_kill: true });
    expect(plumpy.MessageBuilder.status()).toMatchObject({ intent: 'status' });
    await communicator.close();
  });

  it('keeps checkpoints per pid and tag in a persister', async () => {
    const persister = new plumpy.InMemoryPersister();
    const chain = new Chain();
    await persister.saveCheckpoint(chain);
    await persister.saveCheckpoint(chain, 'a');
    expect(await persister.getProcessCheckpoints(String(chain.pid))).toEqual(
      expect.arrayContaining([
        { pid: String(chain.pid), tag: undefined },
        { pid: String(chain.pid), tag: 'a' },
      ]),
    );
    await persister.deleteCheckpoint(String(chain.pid), 'missing');
    await persister.deleteProcessCheckpoints(String(chain.pid));
    expect(await persister.getCheckpoints()).toEqual([]);
    await expect(persister.loadCheckpoint(String(chain.pid))).rejects.toThrow(plumpy.PersistenceError);
  });

  it('filters broadcasts by subject wildcard and sender', async () => {
    const communicator = new plumpy.LocalCommunicator();
    const seen: string[] = [];
    let arrived!: () => void;
    const last = new Promise<void>((resolve) => (arrived = resolve));
    communicator.addBroadcastSubscriber(
      new plumpy.BroadcastFilter(
        (_c, body) => {
          seen.push(String(body));
          if (body === 'done') arrived();
        },
        { subject: 'state_changed.*', sender: '42' },
      ),
    );
    await communicator.broadcastSend('no', { subject: 'other', sender: '42' });
    await communicator.broadcastSend('no', { subject: 'state_changed.a.b', sender: '43' });
    await communicator.broadcastSend('yes', { subject: 'state_changed.a.b', sender: '42' });
    await communicator.broadcastSend('done', { subject: 'state_changed.b.c', sender: '42' });
    await last;
    expect(seen).toEqual(['yes', 'done']);
    await communicator.close();
    await expect(communicator.rpcSend('x', {})).rejects.toThrow(plumpy.CommunicatorClosed);
  });
});
