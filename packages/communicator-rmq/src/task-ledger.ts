import type { Channel, Message } from 'amqplib';

/** One delivery of a task message, on the channel that must acknowledge it. */
export interface TaskDelivery {
  readonly channel: Channel;
  readonly message: Message;
}

/** A task this worker is running, with every delivery of it that waits for the outcome. */
export interface RunningTask {
  readonly deliveries: TaskDelivery[];
}

/** What a worker remembers of a task it finished: the reply it sent, if the sender wanted one. */
export interface FinishedTask {
  readonly replyTo: string | undefined;
  readonly reply: { content: Buffer; correlationId: string } | undefined;
}

/**
 * The task ids a worker is running or has recently finished, so that a
 * redelivered task (the broker gives an unacknowledged task back after a
 * channel or connection was lost) is not run twice by this worker: a delivery
 * of a running task waits for that run; one of a finished task is answered
 * with the remembered reply and acknowledged.
 */
export class TaskLedger {
  private readonly running = new Map<string, RunningTask>();
  private readonly finished = new Map<string, FinishedTask>();

  /** @param memory - how many finished tasks to remember (the oldest are forgotten first) */
  constructor(private readonly memory: number) {}

  /** The run of task `id` in progress, if any. */
  runningTask(id: string): RunningTask | undefined {
    return this.running.get(id);
  }

  /** The remembered outcome of task `id`, if it finished recently. */
  finishedTask(id: string): FinishedTask | undefined {
    return this.finished.get(id);
  }

  /** Records that task `id` starts running for `delivery`. */
  start(id: string, delivery: TaskDelivery): RunningTask {
    const task: RunningTask = { deliveries: [delivery] };
    this.running.set(id, task);
    return task;
  }

  /** Records that the run of task `id` ended without an outcome (nobody accepted it). */
  abandon(id: string): void {
    this.running.delete(id);
  }

  /** Records the outcome of task `id`. */
  finish(id: string, outcome: FinishedTask): void {
    this.running.delete(id);
    if (this.memory === 0) return;
    this.finished.delete(id);
    this.finished.set(id, outcome);
    while (this.finished.size > this.memory) {
      const oldest = this.finished.keys().next();
      if (oldest.done === true) break;
      this.finished.delete(oldest.value);
    }
  }
}
