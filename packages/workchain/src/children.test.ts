// Pausing and killing a work chain pause and kill the children it launched or
// waits for (plumpy does not; AiiDA users ask for it).
import { describe, expect, it } from 'vitest';
import { WorkChain, type WorkChainSpec } from './index.js';
import { ReturnValue, WaitingChild, nextTurn } from './__tests__/processes.js';

class Parent extends WorkChain {
  children: WaitingChild[] = [];
  done: ReturnValue | undefined;

  static override define(spec: WorkChainSpec): void {
    super.define(spec);
    spec.outline('launchChildren', 'collect');
  }

  launchChildren(): void {
    this.done = this.launch(ReturnValue, { inputs: { value: 1 } });
    const awaited = this.launch(WaitingChild, { pid: 'awaited' });
    const unawaited = this.launch(WaitingChild, { pid: 'unawaited' });
    this.children = [awaited, unawaited];
    this.toContext({ awaited });
  }

  collect(): void {
    this.out('collected', this.ctx.awaited);
  }

  static override createSpec(): WorkChainSpec {
    const spec = super.createSpec();
    spec.outputs.dynamic = true;
    return spec;
  }
}

async function startParent(): Promise<{ parent: Parent; done: Promise<unknown> }> {
  const parent = new Parent();
  const done = parent.execute();
  await nextTurn();
  expect(parent.state).toBe('waiting');
  expect(parent.children.map((child) => child.state)).toEqual(['waiting', 'waiting']);
  expect(parent.done?.state).toBe('finished');
  return { parent, done };
}

describe('pausing a work chain', () => {
  it('pauses its running children, and playing it plays them', async () => {
    const { parent, done } = await startParent();
    expect(await parent.pause('hold on')).toBe(true);
    expect(parent.children.map((child) => child.paused)).toEqual([true, true]);
    expect(parent.children[0]!.status).toBe('hold on');
    expect(parent.runningChildren).toEqual(parent.children);
    parent.play();
    expect(parent.children.map((child) => child.paused)).toEqual([false, false]);
    for (const child of parent.children) child.resume();
    await done;
    expect(parent.outputs).toEqual({ collected: { done: true } });
  });

  it('does not play a child that was paused before it', async () => {
    const { parent, done } = await startParent();
    const [awaited, unawaited] = parent.children as [WaitingChild, WaitingChild];
    await unawaited.pause();
    await parent.pause();
    parent.play();
    expect(awaited.paused).toBe(false);
    expect(unawaited.paused).toBe(true);
    awaited.resume();
    await done;
    expect(unawaited.state).toBe('waiting');
    await unawaited.kill();
  });

  it('waits for the children while paused, and goes on once played', async () => {
    const { parent, done } = await startParent();
    await parent.pause();
    const awaited = parent.children[0]!;
    awaited.resume();
    await nextTurn();
    expect(awaited.state).toBe('waiting');
    parent.play();
    await nextTurn();
    expect(awaited.state).toBe('finished');
    await nextTurn();
    await done;
    expect(parent.state).toBe('finished');
    await parent.children[1]!.kill();
  });
});

describe('killing a work chain', () => {
  it('kills its running children with its message', async () => {
    const { parent, done } = await startParent();
    expect(await parent.kill('enough')).toBe(true);
    await expect(done).rejects.toThrow('enough');
    await nextTurn();
    expect(parent.children.map((child) => child.state)).toEqual(['killed', 'killed']);
    expect(parent.children.map((child) => child.killedMsg()?.message)).toEqual(['enough', 'enough']);
    expect(parent.done?.state).toBe('finished');
    expect(parent.state).toBe('killed');
  });

  it('names itself when killed without a message', async () => {
    const { parent, done } = await startParent();
    await parent.kill();
    await expect(done).rejects.toThrow();
    await nextTurn();
    expect(parent.children[0]!.killedMsg()?.message).toBe(`Killed by parent Parent<${String(parent.pid)}>`);
  });

  it('forgets children that have terminated', async () => {
    const { parent, done } = await startParent();
    expect(parent.runningChildren).toHaveLength(2);
    await parent.children[1]!.kill();
    expect(parent.runningChildren).toEqual([parent.children[0]]);
    parent.children[0]!.resume();
    await done;
    expect(parent.runningChildren).toEqual([]);
  });
});
