import type { Channel, ConsumeMessage } from 'amqplib';
import { TaskRejected, type Communicator, type TaskSubscriber } from '@plumpy-ts/communicator';
import { rejectMalformed, settleDelivery } from './deliveries.js';
import type { ResolvedOptions } from './options.js';
import { asError, encodeReply } from './outcome.js';
import type { SubscriberRegistry } from '@plumpy-ts/communicator';
import { TaskLedger, type TaskDelivery } from './task-ledger.js';
import { decodeMessage, MalformedMessage, type ReplyEnvelope } from './wire-format.js';

/** What a {@link TaskWorker} needs from its communicator. */
export interface TaskWorkerHost {
  /** Passed to task subscribers. */
  readonly communicator: Communicator;
  readonly subscribers: SubscriberRegistry<TaskSubscriber>;
  readonly options: ResolvedOptions;
  /**
   * Sends a reply: at once (returns `undefined`), or — with no connection
   * right now — once there is one (returns a promise that rejects if it cannot).
   */
  sendReply(replyTo: string, correlationId: string, content: Buffer): Promise<void> | undefined;
  isClosed(): boolean;
}

/**
 * Runs the tasks a communicator receives: offers each to the task subscribers
 * in turn (the next one if a subscriber throws `TaskRejected`), sends the
 * outcome to the sender's reply queue, and only then acknowledges the task.
 * A task nobody here accepts goes back to the queue after `requeueDelayMs`.
 *
 * A delivery of a task this worker is still running (the broker redelivers an
 * unacknowledged task after a channel was lost, e.g. to its consumer timeout)
 * waits for that run; a delivery of a task it finished recently is answered
 * with the remembered reply and acknowledged — it is not run again.
 */
export class TaskWorker {
  private readonly ledger: TaskLedger;
  private readonly requeueTimers = new Set<NodeJS.Timeout>();

  constructor(private readonly host: TaskWorkerHost) {
    this.ledger = new TaskLedger(host.options.completedTaskMemory);
  }

  /** Handles one task delivery from `channel`. */
  handle(channel: Channel, message: ConsumeMessage): void {
    const { logger, taskQueue } = this.host.options;
    const { messageId, replyTo, correlationId } = message.properties as {
      messageId: unknown;
      replyTo: unknown;
      correlationId: unknown;
    };
    let task: unknown;
    try {
      task = decodeMessage(message, 'task');
      if (typeof messageId !== 'string') throw new MalformedMessage('a task needs a message id');
      if (replyTo !== undefined && (typeof replyTo !== 'string' || typeof correlationId !== 'string')) {
        throw new MalformedMessage('a task with a reply-to queue needs a correlation id');
      }
    } catch (error) {
      rejectMalformed(logger, channel, message, taskQueue, error);
      return;
    }
    const delivery: TaskDelivery = { channel, message };
    const running = this.ledger.runningTask(messageId);
    if (running !== undefined) {
      running.deliveries.push(delivery); // settled together with the run in progress
      return;
    }
    const finished = this.ledger.finishedTask(messageId);
    if (finished !== undefined) {
      // Its acknowledgement was lost: answer again, do not run again.
      if (finished.replyTo !== undefined && finished.reply !== undefined) {
        this.host.sendReply(finished.replyTo, finished.reply.correlationId, finished.reply.content)?.catch(() => undefined);
      }
      settleDelivery(channel, message, 'ack');
      return;
    }
    if (this.host.subscribers.size === 0) {
      this.requeueLater(delivery);
      return;
    }
    this.ledger.start(messageId, delivery);
    void this.run(messageId, task, replyTo, typeof correlationId === 'string' ? correlationId : undefined);
  }

  /** Cancels pending requeues (the channels close anyway). */
  stop(): void {
    for (const timer of this.requeueTimers) clearTimeout(timer);
    this.requeueTimers.clear();
  }

  private async run(taskId: string, task: unknown, replyTo: string | undefined, correlationId: string | undefined): Promise<void> {
    const { logger } = this.host.options;
    const outcome = await this.offer(task);
    const deliveries = this.ledger.runningTask(taskId)?.deliveries ?? [];
    if (outcome === undefined) {
      this.ledger.abandon(taskId);
      for (const delivery of deliveries) this.requeueLater(delivery);
      return;
    }
    if (outcome.status === 'exception' && replyTo === undefined && !this.host.isClosed()) {
      logger.error(`Task ${taskId} (sent without reply) failed`, outcome.error);
    }
    const reply = replyTo !== undefined && correlationId !== undefined ? { content: encodeReply(outcome), correlationId } : undefined;
    this.ledger.finish(taskId, { replyTo, reply });
    if (replyTo !== undefined && reply !== undefined) {
      try {
        const sending = this.host.sendReply(replyTo, reply.correlationId, reply.content);
        if (sending !== undefined) await sending;
      } catch (error) {
        if (!this.host.isClosed()) logger.warn(`Could not send the result of task ${taskId}`, error);
        return; // not acknowledged: the task is redelivered and answered from the ledger
      }
    }
    for (const delivery of deliveries) settleDelivery(delivery.channel, delivery.message, 'ack');
  }

  /** Offers a task to the subscribers in turn; `undefined` when every one rejected it (or there was none). */
  private async offer(task: unknown): Promise<ReplyEnvelope | undefined> {
    const { subscribers, communicator } = this.host;
    for (const [identifier, subscriber] of subscribers.snapshot()) {
      if (this.host.isClosed()) return undefined;
      if (!subscribers.holds(identifier, subscriber)) continue;
      try {
        return { status: 'result', value: await subscriber(communicator, task) };
      } catch (error) {
        if (error instanceof TaskRejected) continue;
        return { status: 'exception', error: asError(error) };
      }
    }
    return undefined;
  }

  private requeueLater(delivery: TaskDelivery): void {
    const timer = setTimeout(() => {
      this.requeueTimers.delete(timer);
      settleDelivery(delivery.channel, delivery.message, 'requeue');
    }, this.host.options.requeueDelayMs);
    this.requeueTimers.add(timer);
  }
}
