import type { Communicator } from '@plumpy-ts/communicator';
import type { LoadSaveContext, ObjectLoader, Persister } from '@plumpy-ts/persistence';
import { consoleLogger, type Logger } from '@plumpy-ts/process';
import { ProcessLauncher } from './process-launcher.js';

/** Options of {@link createWorker}. */
export interface WorkerOptions {
  /** Where the tasks come from (for RabbitMQ, give it a `prefetch` of at least `concurrency`). */
  communicator: Communicator;
  /** Where processes are checkpointed (needed for persisted launches, continue and create tasks). */
  persister?: Persister;
  /** The classes this worker runs (default `ClassRegistry.default`); a task naming another is refused. */
  loader?: ObjectLoader;
  /** The context processes are recreated with. */
  loadContext?: LoadSaveContext;
  /** How many processes run at once; a task beyond waits for a slot. Default 16. */
  concurrency?: number;
  /** Delete a process's checkpoints when it terminates (default `false`: the last one is kept). */
  deleteCheckpointsOnEnd?: boolean;
  /**
   * Stop gracefully on SIGTERM and SIGINT, then close the communicator and end
   * the OS process (a second signal ends it at once). Default `false`.
   */
  handleSignals?: boolean;
  /** Where the worker logs. Default: the console. */
  logger?: Logger;
}

/** A running worker (see {@link createWorker}). */
export interface Worker {
  /** The launcher that runs the tasks. */
  readonly launcher: ProcessLauncher;
  /** How many processes run right now. */
  readonly running: number;
  /** How many tasks wait for a free slot. */
  readonly waiting: number;
  /** Whether the worker has begun stopping. */
  readonly stopping: boolean;
  /**
   * Stops gracefully: takes no more tasks, pauses and checkpoints the running
   * processes and hands them to other workers (see `ProcessLauncher.stop`).
   * Resolves once done; the communicator stays open. Idempotent.
   */
  stop(): Promise<void>;
}

/**
 * Starts a worker: a {@link ProcessLauncher} subscribed to the communicator's
 * tasks, running at most `concurrency` processes at once, that stops
 * gracefully — optionally on SIGTERM/SIGINT — so that another worker continues
 * its processes from their checkpoints.
 *
 * @example
 * const communicator = await connect(url, { prefetch: 16 });
 * const worker = createWorker({ communicator, persister: new FilePersister({ directory }), concurrency: 16, handleSignals: true });
 */
export function createWorker(options: WorkerOptions): Worker {
  const { communicator } = options;
  const logger = options.logger ?? consoleLogger;
  const launcher = new ProcessLauncher({
    ...(options.persister !== undefined && { persister: options.persister }),
    ...(options.loader !== undefined && { loader: options.loader }),
    ...(options.loadContext !== undefined && { loadContext: options.loadContext }),
    ...(options.deleteCheckpointsOnEnd !== undefined && { deleteCheckpointsOnEnd: options.deleteCheckpointsOnEnd }),
    concurrency: options.concurrency ?? 16,
    logger,
  });
  const subscription = communicator.addTaskSubscriber(launcher.handle);
  let stopped: Promise<void> | undefined;
  let removeSignalHandlers = (): void => {};

  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      // A second signal now takes Node's default action: the OS process ends at once.
      removeSignalHandlers();
      if (!communicator.isClosed()) communicator.removeTaskSubscriber(subscription);
      await launcher.stop();
    })();
    return stopped;
  };

  if (options.handleSignals === true) {
    const onSignal = (signal: NodeJS.Signals): void => {
      logger.info(`Worker: ${signal} received, stopping gracefully`);
      stop()
        .then(() => communicator.close())
        .then(
          () => process.exit(0),
          (error: unknown) => {
            logger.error('Worker: stopping failed', error);
            process.exit(1);
          },
        );
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
    removeSignalHandlers = () => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
    };
  }

  return {
    launcher,
    get running() {
      return launcher.runningCount;
    },
    get waiting() {
      return launcher.waitingCount;
    },
    get stopping() {
      return stopped !== undefined;
    },
    stop,
  };
}
