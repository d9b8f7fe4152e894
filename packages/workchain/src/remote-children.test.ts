// A chain recreated while it waits for a child that runs elsewhere controls the
// child through the ChildHandle its load context's resolver gives: pausing,
// playing and killing the chain pauses, plays and kills the child.
import { Bundle, LoadSaveContext, PersistenceError } from '@plumpy-ts/persistence';
import { KilledError, ProcessState, type AnyProcess, type Logger } from '@plumpy-ts/process';
import { afterEach, describe, expect, it } from 'vitest';
import { CHILD_RESOLVER_KEY, type ChildHandle, type ChildResolver } from './index.js';
import { WaitingChild, nextTurn } from './__tests__/processes.js';
import { ParentChain } from './__tests__/parent-chain.js';
import { until } from '@plumpy-ts/process/testkit';

/** The chain under test: a {@link ParentChain} under its own class name and identifier. */
class HandleParent extends ParentChain {
  static override readonly processId = 'workchain-tests/HandleParent';
}

/**
 * A handle on a child process reached by forwarding (what a communicator-backed
 * handle such as the controllers' RemoteProcess does over RPC); it records the
 * calls it forwards.
 */
class ForwardingHandle implements ChildHandle {
  readonly calls: string[] = [];

  constructor(readonly child: AnyProcess) {}

  future(): Promise<unknown> {
    return this.child.future();
  }

  pause(msg?: string): Promise<boolean> {
    this.calls.push(`pause ${String(msg)}`);
    return this.child.pause(msg);
  }

  play(): Promise<boolean> {
    this.calls.push('play');
    return Promise.resolve(this.child.play());
  }

  kill(msg?: string, options?: { force?: boolean }): Promise<boolean> {
    this.calls.push(`kill ${String(msg)} force=${String(options?.force)}`);
    return this.child.kill(msg, options);
  }
}

/** A handle whose child cannot be reached (e.g. it is between workers). */
class UnreachableHandle implements ChildHandle {
  constructor(private readonly outcome: Promise<unknown>) {}
  future(): Promise<unknown> {
    return this.outcome;
  }
  pause(): Promise<boolean> {
    return Promise.reject(new Error('nobody answers for it'));
  }
  play(): never {
    throw new Error('nobody answers for it');
  }
  kill(): Promise<boolean> {
    return Promise.reject(new Error('nobody answers for it'));
  }
}

function recordingLogger(): Logger & { errors: string[] } {
  const errors: string[] = [];
  return { errors, debug() {}, info() {}, warn() {}, error: (message: string) => void errors.push(message) };
}

/** `bundle` as if the chain's child had run elsewhere under `pid` (awaiting and pausedChildren renamed). */
function withChildPid(bundle: Bundle, from: string, pid: string): Bundle {
  const rename = (value: unknown): unknown => (String(value) === from ? pid : value);
  const awaiting = (bundle.state.awaiting as { pid: string }[]).map((record) => ({ ...record, pid: rename(record.pid) }));
  const state: Record<string, unknown> = { ...bundle.state, awaiting };
  if (Array.isArray(bundle.state.pausedChildren)) state.pausedChildren = bundle.state.pausedChildren.map(rename);
  return Bundle.fromData({ ...bundle.toData(), state });
}

const cleanups: (() => Promise<unknown>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** A HandleParent waiting for its child, and a "remote" WaitingChild (running) that stands for the child elsewhere. */
async function waitingParentAndRemoteChild(remotePid: string): Promise<{
  chain: HandleParent;
  bundleFor: (transform?: (bundle: Bundle) => Bundle) => Bundle;
  remote: WaitingChild;
}> {
  const chain = new HandleParent();
  const driving = chain.stepUntilTerminated();
  cleanups.push(async () => {
    await chain.kill();
    await driving;
  });
  await until(chain, () => chain.state === ProcessState.WAITING);
  const remote = new WaitingChild({ pid: remotePid });
  const remoteDriving = remote.stepUntilTerminated();
  cleanups.push(async () => {
    await remote.kill();
    await remoteDriving;
  });
  await until(remote, () => remote.state === ProcessState.WAITING);
  const bundleFor = (transform: (bundle: Bundle) => Bundle = (b) => b): Bundle =>
    withChildPid(transform(new Bundle(chain)), `${String(chain.pid)}/child`, remotePid);
  return { chain, bundleFor, remote };
}

describe('a recreated chain controls a child that runs elsewhere through its ChildHandle', () => {
  it('pauses and plays the child with the chain, then gets its outcome', async () => {
    const { bundleFor, remote } = await waitingParentAndRemoteChild('remote-handle-1');
    const handle = new ForwardingHandle(remote);
    const awaitChild: ChildResolver = () => handle;
    const loaded = bundleFor().unbundle<HandleParent>(new LoadSaveContext({ [CHILD_RESOLVER_KEY]: awaitChild }));
    expect(loaded.remoteChildren).toEqual([handle]);
    expect(loaded.runningChildren).toEqual([]);
    const running = loaded.execute();
    await nextTurn();

    expect(await loaded.pause('hold on')).toBe(true);
    await until(remote, () => remote.paused);
    expect(handle.calls).toEqual(['pause hold on']);
    expect(remote.status).toBe('hold on');
    expect(new Bundle(loaded).state.pausedChildren).toEqual(['remote-handle-1']);

    loaded.play();
    await until(remote, () => !remote.paused);
    expect(handle.calls).toEqual(['pause hold on', 'play']);

    remote.resume();
    expect(await running).toEqual({ child: { done: true } });
    expect(loaded.remoteChildren).toEqual([]);
  });

  it("kills the child with the chain's kill message (or a default naming the chain)", async () => {
    const { bundleFor, remote } = await waitingParentAndRemoteChild('remote-handle-2');
    const handle = new ForwardingHandle(remote);
    const loaded = bundleFor().unbundle<HandleParent>(new LoadSaveContext({ awaitChild: () => handle }));
    const running = loaded.execute();
    await nextTurn();
    expect(await loaded.kill('stop everything')).toBe(true);
    await expect(running).rejects.toBeInstanceOf(KilledError);
    await expect(remote.future()).rejects.toThrow('stop everything');
    expect(handle.calls).toEqual(['kill stop everything force=false']);

    const { bundleFor: second, remote: other } = await waitingParentAndRemoteChild('remote-handle-3');
    const otherHandle = new ForwardingHandle(other);
    const again = second().unbundle<HandleParent>(new LoadSaveContext({ awaitChild: () => otherHandle }));
    expect(await again.kill(undefined, { force: true })).toBe(true);
    await expect(other.future()).rejects.toThrow(`Killed by parent HandleParent<${String(again.pid)}>`);
    expect(otherHandle.calls).toEqual([`kill Killed by parent HandleParent<${String(again.pid)}> force=true`]);
  });

  it('logs a child it cannot reach, and never throws', async () => {
    const { bundleFor } = await waitingParentAndRemoteChild('remote-handle-4');
    const logger = recordingLogger();
    let settle!: (outputs: unknown) => void;
    const handle = new UnreachableHandle(new Promise((resolve) => (settle = resolve)));
    const loaded = bundleFor().unbundle<HandleParent>(new LoadSaveContext({ awaitChild: () => handle, logger }));
    const running = loaded.execute();
    await nextTurn();
    expect(await loaded.pause()).toBe(true);
    loaded.play();
    await nextTurn();
    expect(logger.errors).toEqual([
      `WorkChain<${String(loaded.pid)}>: pausing child remote-handle-4 failed`,
      `WorkChain<${String(loaded.pid)}>: playing child remote-handle-4 failed`,
    ]);
    settle({ done: 'anyway' });
    expect(await running).toEqual({ child: { done: 'anyway' } });
  });

  it('plays, once played itself, the children it had paused before it was saved', async () => {
    const { chain, bundleFor, remote } = await waitingParentAndRemoteChild('remote-handle-5');
    expect(await chain.pause('paused by the user')).toBe(true);
    const bundle = bundleFor();
    expect(bundle.state.pausedChildren).toEqual(['remote-handle-5']);
    expect(await remote.pause('paused by the user')).toBe(true); // as the chain paused it "over there"

    const handle = new ForwardingHandle(remote);
    const loaded = bundle.unbundle<HandleParent>(new LoadSaveContext({ awaitChild: () => handle }));
    expect(loaded.paused).toBe(true);
    const running = loaded.execute();
    loaded.play();
    await until(remote, () => !remote.paused);
    expect(handle.calls).toEqual(['play']);
    remote.resume();
    expect(await running).toEqual({ child: { done: true } });
  });

  it('treats a live process returned by the resolver as a child launched here', async () => {
    const { bundleFor, remote } = await waitingParentAndRemoteChild('remote-handle-6');
    const loaded = bundleFor().unbundle<HandleParent>(new LoadSaveContext({ awaitChild: () => remote }));
    expect(loaded.runningChildren).toEqual([remote]);
    expect(loaded.remoteChildren).toEqual([]);
    const running = loaded.execute();
    await nextTurn();
    expect(await loaded.pause()).toBe(true);
    expect(remote.paused).toBe(true);
    loaded.play();
    expect(remote.paused).toBe(false);
    remote.resume();
    expect(await running).toEqual({ child: { done: true } });
  });

  it('refuses a malformed pausedChildren, and a resolver result that is neither a promise nor a handle', async () => {
    const { bundleFor, remote } = await waitingParentAndRemoteChild('remote-handle-7');
    const malformed = bundleFor((bundle) => Bundle.fromData({ ...bundle.toData(), state: { ...bundle.state, pausedChildren: 'x' } }));
    expect(() => malformed.unbundle(new LoadSaveContext({ awaitChild: () => remote.future() }))).toThrow(PersistenceError);
    expect(() => malformed.unbundle(new LoadSaveContext({ awaitChild: () => remote.future() }))).toThrow(
      "its saved 'pausedChildren' is malformed",
    );
    const halfHandle = (() => ({ future: () => remote.future() })) as unknown as ChildResolver;
    expect(() => bundleFor().unbundle(new LoadSaveContext({ awaitChild: halfHandle }))).toThrow(
      /not a promise, a ChildHandle whose future\(\) gives a promise, or undefined/,
    );
  });
});
