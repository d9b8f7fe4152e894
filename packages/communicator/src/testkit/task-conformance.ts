import { describe, expect, it } from 'vitest';
import { RemoteException, TaskRejected } from '../errors.js';
import { deferred, type Harness } from './harness.js';

/** Registers the task tests (kiwipy's `CommunicatorTester` task region, and more). */
export function describeTaskConformance(h: Harness): void {
  describe('task', () => {
    it('delivers a task to a subscriber and resolves with its result', async () => {
      const task = { question: 'The meaning?', id: h.uid('task') };
      const tasks: unknown[] = [];
      h.receiver.addTaskSubscriber((communicator, received) => {
        expect(communicator).toBe(h.receiver);
        tasks.push(received);
        return 42;
      });

      await expect(h.within(h.sender.taskSend(task), 'the task result')).resolves.toBe(42);
      expect(tasks).toEqual([task]);
    }, h.testTimeoutMs);

    it('never calls the subscriber synchronously inside taskSend', async () => {
      let called = false;
      h.receiver.addTaskSubscriber(() => {
        called = true;
        return 'done';
      });

      const sent = h.sender.taskSend(h.uid('task'));
      expect(called).toBe(false);
      await expect(h.within(sent, 'the task result')).resolves.toBe('done');
      expect(called).toBe(true);
    }, h.testTimeoutMs);

    it('awaits a promise returned by the subscriber', async () => {
      const task = h.uid('task');
      const result = deferred<number>();
      const received = deferred<unknown>();
      h.receiver.addTaskSubscriber((_c, t) => {
        received.resolve(t);
        return result.promise;
      });

      const outcome = h.sender.taskSend(task);
      await expect(h.within(received.promise, 'the task')).resolves.toBe(task);
      result.resolve(42);

      await expect(h.within(outcome, 'the task result')).resolves.toBe(42);
    }, h.testTimeoutMs);

    it('rejects with RemoteException when the subscriber throws', async () => {
      const task = h.uid('task');
      const tasks: unknown[] = [];
      h.receiver.addTaskSubscriber((_c, t) => {
        tasks.push(t);
        throw new RangeError('I cannea do it Captain!');
      });

      const error = await h.within(h.sender.taskSend(task), 'the task result').catch((e: unknown) => e);

      expect(error).toBeInstanceOf(RemoteException);
      expect((error as RemoteException).message).toContain('I cannea do it Captain!');
      expect((error as RemoteException).remoteName).toBe('RangeError');
      expect(tasks).toEqual([task]);
    }, h.testTimeoutMs);

    it("rejects with RemoteException when the subscriber's promise rejects", async () => {
      h.receiver.addTaskSubscriber(async () => {
        await Promise.resolve();
        throw new Error('went wrong later');
      });

      const error = await h.within(h.sender.taskSend(h.uid('task')), 'the task result').catch((e: unknown) => e);

      expect(error).toBeInstanceOf(RemoteException);
      expect((error as RemoteException).message).toContain('went wrong later');
    }, h.testTimeoutMs);

    it('with noReply resolves to undefined and still runs the task', async () => {
      const task = h.uid('task');
      const done = deferred<unknown>();
      const tasks: unknown[] = [];
      h.receiver.addTaskSubscriber((_c, t) => {
        tasks.push(t);
        done.resolve(t);
        return 42;
      });

      await expect(h.within(h.sender.taskSend(task, { noReply: true }), 'the task hand-over')).resolves.toBeUndefined();
      await expect(h.within(done.promise, 'the task to run')).resolves.toBe(task);
      expect(tasks).toEqual([task]);
    }, h.testTimeoutMs);

    it('gives a task to one subscriber only', async () => {
      const calls: string[] = [];
      h.receiver.addTaskSubscriber(() => {
        calls.push('first');
        return 'first';
      });
      h.receiver.addTaskSubscriber(() => {
        calls.push('second');
        return 'second';
      });

      const result = await h.within(h.sender.taskSend(h.uid('task')), 'the task result');

      expect(calls).toHaveLength(1);
      expect([result]).toEqual(calls);
    }, h.testTimeoutMs);

    it('gives a task that a subscriber rejects with TaskRejected to another subscriber', async () => {
      const task = h.uid('task');
      let rejections = 0;
      h.receiver.addTaskSubscriber(() => {
        rejections += 1;
        throw new TaskRejected('not mine');
      });
      h.receiver.addTaskSubscriber(async () => {
        await Promise.resolve();
        rejections += 1;
        throw new TaskRejected('not mine either');
      });
      h.receiver.addTaskSubscriber((_c, t) => ({ acceptedBy: 'third', task: t }));

      await expect(h.within(h.sender.taskSend(task), 'the task result')).resolves.toEqual({
        acceptedBy: 'third',
        task,
      });
      expect(rejections).toBeGreaterThanOrEqual(2);
    }, h.testTimeoutMs);

    it('keeps a task sent while there is no subscriber until one is added', async () => {
      const task = h.uid('task');
      const outcome = h.sender.taskSend(task);
      // Let the send reach wherever it waits before anyone subscribes.
      await new Promise<void>((resolve) => setImmediate(resolve));

      h.receiver.addTaskSubscriber((_c, t) => `done: ${String(t)}`);

      await expect(h.within(outcome, 'the task result')).resolves.toBe(`done: ${task}`);
    }, h.testTimeoutMs);

    it('stops giving tasks to a removed subscriber', async () => {
      const removedCalls: unknown[] = [];
      const id = h.uid('task-subscriber');
      expect(
        h.receiver.addTaskSubscriber((_c, t) => {
          removedCalls.push(t);
          return 'removed';
        }, id),
      ).toBe(id);
      const firstTask = h.uid('task');
      await expect(h.within(h.sender.taskSend(firstTask), 'the first task result')).resolves.toBe('removed');

      h.receiver.removeTaskSubscriber(id);
      h.receiver.addTaskSubscriber(() => 'remaining');

      await expect(h.within(h.sender.taskSend(h.uid('task')), 'the second task result')).resolves.toBe('remaining');
      expect(removedCalls).toEqual([firstTask]);
    }, h.testTimeoutMs);

    it('runs several tasks at once, each resolving with its own result', async () => {
      const releaseAll = deferred<void>();
      let started = 0;
      const allStarted = deferred<void>();
      const count = 3;
      h.receiver.addTaskSubscriber(async (_c, t) => {
        started += 1;
        if (started === count) allStarted.resolve();
        await releaseAll.promise;
        return { echo: t };
      });

      const tasks = Array.from({ length: count }, (_, i) => `${h.uid('task')}-${i}`);
      const outcomes = Promise.all(tasks.map((t) => h.sender.taskSend(t)));
      await h.within(allStarted.promise, 'every task to start');
      releaseAll.resolve();

      await expect(h.within(outcomes, 'every task result')).resolves.toEqual(tasks.map((t) => ({ echo: t })));
    }, h.testTimeoutMs);
  });
}
