// A work chain checkpointed while it waits for child processes: the children
// are saved by pid and re-attached when the chain is recreated — directly when
// they are live in this Node process, or through the load context's ChildResolver
// (plumpy's test_restart, test_double_restart and test_wait_save_continue, for
// work chains waiting on children).
import { BroadcastFilter, LocalCommunicator, type Communicator } from '@plumpy-ts/communicator';
import {
  Bundle,
  InMemoryPersister,
  LoadSaveContext,
  PersistenceError,
  deserializeBundle,
  serializeBundle,
  type Persister,
} from '@plumpy-ts/persistence';
import { describe, expect, it } from 'vitest';
import { KilledError, ProcessState, type AnyProcess, type ProcessListener } from '@plumpy-ts/process';
import {
  AwaitableFailedError,
  CHILD_RESOLVER_KEY,
  WorkChain,
  append_,
  type ChildResolver,
  type ChildResolverRequest,
  type WorkChainSpec,
} from './index.js';
import { ExceptionProcess, WaitingChild, nextTurn } from './__tests__/processes.js';
import { ParentChain } from './__tests__/parent-chain.js';
import { until } from '@plumpy-ts/process/testkit';

function untilWaiting(process: AnyProcess): Promise<void> {
  return until(process, () => process.state === ProcessState.WAITING);
}

/** A bundle of `bundle` that names other pids in its awaitables (as a chain whose children ran elsewhere). */
function withChildPids(bundle: Bundle, pids: readonly string[]): Bundle {
  const awaiting = (bundle.state.awaiting as { pid: string }[]).map((record, index) => ({ ...record, pid: pids[index]! }));
  return Bundle.fromData({ ...bundle.toData(), state: { ...bundle.state, awaiting } });
}

describe('a chain waiting on a child that is live in this Node process', () => {
  it('restarts from WAITING: the recreated chain re-attaches to the child (test_restart)', async () => {
    const chain = new ParentChain();
    const driving = chain.execute();
    await untilWaiting(chain);
    const bundle = new Bundle(chain);
    expect(bundle.state.awaiting).toEqual([
      { key: 'child', kind: 'process', pid: `${String(chain.pid)}/child`, append: false, done: false, value: undefined },
    ]);

    const loaded = deserializeBundle(serializeBundle(bundle), 'test').unbundle<ParentChain>();
    expect(loaded.state).toBe(ProcessState.WAITING);
    expect(loaded.runningChildren).toEqual([chain.child]);
    const running = loaded.execute();
    await nextTurn();
    expect(loaded.state).toBe(ProcessState.WAITING);
    chain.child.resume();
    expect(await running).toEqual({ child: { done: true } });
    expect(await driving).toEqual({ child: { done: true } });
  });

  it('restarts twice, and ignores resumes from outside while the child runs (test_double_restart)', async () => {
    const chain = new ParentChain();
    const driving = chain.execute();
    await untilWaiting(chain);
    const child = chain.child;
    const once = new Bundle(chain).unbundle<ParentChain>();
    const twice = new Bundle(once).unbundle<ParentChain>();
    expect(new Bundle(twice)).toEqual(new Bundle(chain));

    const running = twice.execute();
    twice.resume();
    twice.resume();
    await nextTurn();
    expect(twice.state).toBe(ProcessState.WAITING);
    child.resume();
    expect(await running).toEqual({ child: { done: true } });
    await driving;
    expect(once.state).toBe(ProcessState.WAITING); // never stepped: it only settled its awaitable
    expect(once.awaiting).toEqual([expect.objectContaining({ key: 'child', done: true, value: { done: true } })]);
    await once.kill();
  });

  it('gives the same result when continued from WAITING after the child finished (test_wait_save_continue)', async () => {
    const chain = new ParentChain();
    const driving = chain.execute();
    await untilWaiting(chain);
    const bundle = new Bundle(chain);
    chain.child.resume();
    const outputs = await driving;

    const loaded = bundle.unbundle<ParentChain>();
    expect(await loaded.execute()).toEqual(outputs);
    expect(loaded.ctx).toEqual(chain.ctx);
  });

  it('becomes EXCEPTED when the re-attached child fails, naming the key and pid', async () => {
    class Failing extends WorkChain {
      static readonly processId = 'workchain-tests/FailingChildChain';
      static override define(spec: WorkChainSpec): void {
        super.define(spec);
        spec.outline('launchChild', 'never');
      }
      launchChild(): void {
        this.toContext({ child: this.launch(WaitingChild, { pid: 'killed-child' }) });
      }
      never(): void {
        throw new Error('not reached');
      }
    }
    const chain = new Failing();
    const driving = chain.execute();
    await untilWaiting(chain);
    const loaded = new Bundle(chain).unbundle<Failing>();
    const running = loaded.execute();
    await (chain.runningChildren[0] as WaitingChild).kill('stop it');
    await expect(running).rejects.toThrow(AwaitableFailedError);
    expect(loaded.exception()?.message).toBe("The child process WaitingChild<killed-child> awaited as 'child' was killed: stop it");
    await expect(driving).rejects.toThrow(AwaitableFailedError);
  });

  it('keeps a failure it has not acted on yet (paused) and excepts with it when played', async () => {
    class Waiter extends WorkChain {
      static readonly processId = 'workchain-tests/FailureWaiter';
      static override define(spec: WorkChainSpec): void {
        super.define(spec);
        spec.outline('launchChild', 'never');
      }
      launchChild(): void {
        this.toContext({ failing: this.launch(ExceptionProcess, { pid: 'excepting-child' }) });
      }
      never(): void {}
    }
    const chain = new Waiter();
    const driving = chain.stepUntilTerminated();
    await untilWaiting(chain);
    await chain.pause();
    await nextTurn();
    const bundle = new Bundle(chain);
    expect(bundle.state.awaitFailure).toMatchObject({
      key: 'failing',
      pid: 'excepting-child',
      message: "The child process ExceptionProcess<excepting-child> awaited as 'failing' excepted: RangeError: the child failed",
      cause: { name: 'RangeError', message: 'the child failed' },
    });
    const loaded = bundle.unbundle<Waiter>();
    expect(new Bundle(loaded)).toEqual(bundle);
    const running = loaded.execute();
    loaded.play();
    await expect(running).rejects.toThrow(AwaitableFailedError);
    expect(loaded.exception()).toMatchObject({ key: 'failing', pid: 'excepting-child' });
    await chain.kill();
    await driving;
  });

  it('resumes by itself when everything it waited for had settled before it was saved', async () => {
    const chain = new ParentChain();
    const driving = chain.stepUntilTerminated();
    await untilWaiting(chain);
    await chain.pause();
    const child = chain.child;
    expect(child.paused).toBe(true); // paused with its parent
    child.play();
    child.resume();
    await child.future();
    await nextTurn();
    const bundle = new Bundle(chain);
    expect(bundle.state.awaiting).toEqual([expect.objectContaining({ done: true, value: { done: true } })]);
    const loaded = bundle.unbundle<ParentChain>();

    const running = loaded.execute();
    loaded.play();
    expect(await running).toEqual({ child: { done: true } });
    chain.play();
    await driving;
  });
});

describe('a chain waiting on children that are not live here', () => {
  it('cannot be recreated without a resolver: the error names the keys and pids', async () => {
    const chain = new ParentChain();
    const driving = chain.stepUntilTerminated();
    await untilWaiting(chain);
    const elsewhere = withChildPids(new Bundle(chain), ['ran-elsewhere']);
    expect(() => elsewhere.unbundle()).toThrow(PersistenceError);
    expect(() => elsewhere.unbundle()).toThrow(
      `Cannot load ParentChain<${String(chain.pid)}>: it waits for the child process(es) 'child' (pid ran-elsewhere), ` +
        "which are not live in this Node process; give the load context an 'awaitChild' ChildResolver",
    );
    const unknown: ChildResolver = () => undefined;
    expect(() => elsewhere.unbundle(new LoadSaveContext({ awaitChild: unknown }))).toThrow(
      "and which its 'awaitChild' resolver does not know",
    );
    await chain.kill();
    await driving;
  });

  it("asks the context's resolver, and puts the outcome into ctx", async () => {
    const chain = new ParentChain();
    const driving = chain.stepUntilTerminated();
    await untilWaiting(chain);
    const elsewhere = withChildPids(new Bundle(chain), ['remote-1']);
    const requests: [string, ChildResolverRequest][] = [];
    let finish!: (outputs: unknown) => void;
    const awaitChild: ChildResolver = (pid, request) => {
      requests.push([pid, request]);
      return new Promise((resolve) => (finish = resolve));
    };
    const loaded = elsewhere.unbundle<ParentChain>(new LoadSaveContext({ [CHILD_RESOLVER_KEY]: awaitChild }));
    expect(requests).toEqual([['remote-1', { parent: loaded, key: 'child' }]]);
    expect(loaded.runningChildren).toEqual([]);
    const running = loaded.execute();
    await nextTurn();
    expect(loaded.state).toBe(ProcessState.WAITING);
    finish({ done: 'remotely' });
    expect(await running).toEqual({ child: { done: 'remotely' } });
    await chain.kill();
    await driving;
  });

  it('excepts when the resolved child was killed, naming the key and pid', async () => {
    const chain = new ParentChain();
    const driving = chain.stepUntilTerminated();
    await untilWaiting(chain);
    const awaitChild: ChildResolver = () => Promise.reject(new KilledError('killed over there'));
    const loaded = withChildPids(new Bundle(chain), ['remote-2']).unbundle<ParentChain>(new LoadSaveContext({ awaitChild }));
    await expect(loaded.execute()).rejects.toThrow(
      "The child process Process<remote-2> awaited as 'child' was killed: killed over there",
    );
    await chain.kill();
    await driving;
  });

  it('fails to load when the resolver throws or returns something other than a promise', async () => {
    const chain = new ParentChain();
    const driving = chain.stepUntilTerminated();
    await untilWaiting(chain);
    const bundle = new Bundle(chain);
    const throwing: ChildResolver = () => {
      throw new Error('no broker');
    };
    expect(() => bundle.unbundle(new LoadSaveContext({ awaitChild: throwing }))).toThrow(
      `the 'awaitChild' resolver failed for the child awaited as 'child' (pid ${String(chain.pid)}/child)`,
    );
    const wrong = (() => 42) as unknown as ChildResolver;
    expect(() => bundle.unbundle(new LoadSaveContext({ awaitChild: wrong }))).toThrow(/returned 42 .*not a promise/);
    expect(() => bundle.unbundle(new LoadSaveContext({ awaitChild: 'nope' }))).toThrow(/is not a function/);
    await chain.kill();
    await driving;
  });
});

/** Checkpoints a process when it terminates (untagged). */
function checkpointAtEnd(persister: Persister): ProcessListener<AnyProcess> {
  const save = (process: AnyProcess): void => void persister.saveCheckpoint(process);
  return { onProcessFinished: save, onProcessExcepted: save, onProcessKilled: save };
}

/**
 * A resolver as the controllers package can build it: it follows the child's
 * `state_changed` broadcasts and, once the child has terminated, reads its
 * outcome from its final checkpoint.
 */
function followBroadcasts(communicator: Communicator, persister: Persister): ChildResolver {
  const outcome = async (pid: string): Promise<unknown> => (await persister.loadCheckpoint(pid)).unbundle<AnyProcess>().future();
  return (pid) =>
    new Promise((resolve, reject) => {
      const id = communicator.addBroadcastSubscriber(
        new BroadcastFilter(
          (_comm, _body, _sender, subject) => {
            if (!/\.(finished|excepted|killed)$/.test(subject ?? '')) return;
            communicator.removeBroadcastSubscriber(id);
            outcome(pid).then(resolve, reject);
          },
          { sender: pid, subject: 'state_changed.*' },
        ),
      );
    });
}

describe('resolvers over a persister and a communicator', () => {
  it('settles the children from their final checkpoints once they have finished (case: finished already)', async () => {
    const persister = new InMemoryPersister();
    class Fanning extends WorkChain {
      static readonly processId = 'workchain-tests/Fanning';
      static override define(spec: WorkChainSpec): void {
        super.define(spec);
        spec.outputs.dynamic = true;
        spec.outline('fan', 'report');
      }
      fan(): void {
        for (const n of [1, 2]) {
          const child = this.launch(WaitingChild, { pid: `fan-${n}` });
          child.addProcessListener(checkpointAtEnd(persister));
          this.toContext({ all: append_(child) });
        }
      }
      report(): void {
        this.out('all', this.ctx.all);
      }
    }
    const chain = new Fanning();
    const driving = chain.execute();
    await untilWaiting(chain);
    const text = serializeBundle(new Bundle(chain));
    for (const child of chain.runningChildren) (child as WaitingChild).resume();
    await driving;
    await nextTurn();

    const awaitChild: ChildResolver = async (pid) => (await persister.loadCheckpoint(pid)).unbundle<AnyProcess>().future();
    const loaded = deserializeBundle(text, 'test').unbundle<Fanning>(new LoadSaveContext({ awaitChild }));
    expect(await loaded.execute()).toEqual({ all: [{ done: true }, { done: true }] });
  });

  it('follows a child running elsewhere through its state_changed broadcasts', async () => {
    // The child runs "on another worker": it broadcasts on its own communicator
    // and checkpoints when it ends; the chain is recreated from text here.
    const communicator = new LocalCommunicator();
    const persister = new InMemoryPersister();
    class Remote extends WorkChain {
      static readonly processId = 'workchain-tests/Remote';
      static override define(spec: WorkChainSpec): void {
        super.define(spec);
        spec.outputs.dynamic = true;
        spec.outline('startChild', 'report');
      }
      startChild(): void {
        const child = new WaitingChild({ pid: 'remote-child', communicator, listeners: [checkpointAtEnd(persister)] });
        child.stepUntilTerminated().catch(() => undefined);
        this.toContext({ child });
      }
      report(): void {
        this.out('child', this.ctx.child);
      }
    }
    const chain = new Remote();
    const driving = chain.stepUntilTerminated();
    await untilWaiting(chain);
    const child = chain.runningChildren[0] as WaitingChild;
    const text = serializeBundle(new Bundle(chain));

    const context = new LoadSaveContext({ awaitChild: followBroadcasts(communicator, persister) });
    const loaded = deserializeBundle(text, 'test').unbundle<Remote>(context);
    expect(loaded.runningChildren).toEqual([]);
    const running = loaded.execute();
    await nextTurn();
    expect(loaded.state).toBe(ProcessState.WAITING);
    child.resume();
    expect(await running).toEqual({ child: { done: true } });
    await driving; // the first copy of the chain finishes too
    await communicator.close();
  });
});
