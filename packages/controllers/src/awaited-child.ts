import { UnroutableError, type Communicator } from '@plumpy-ts/communicator';
import type { Logger } from '@plumpy-ts/process';
import type { WaitForProcessEndOptions } from './process-end.js';
import { RemoteProcess } from './remote-process.js';

/**
 * The handle a {@link ProcessLauncher} gives a work chain it recreates, for each
 * child the chain still waits for (the workchain package's `ChildHandle`, under
 * the load-context key `awaitChild`): a {@link RemoteProcess}, so that the chain
 * learns of the child's end from its broadcasts and pauses, plays and kills it
 * wherever it runs.
 *
 * Playing a child that nobody answers for is not an error here: such a child
 * is between workers (handed over and not continued yet), and the launcher that
 * continues it plays it if it was paused for the hand-over.
 */
export class AwaitedChild extends RemoteProcess {
  constructor(
    communicator: Communicator,
    pid: string | number,
    options: Omit<WaitForProcessEndOptions, 'signal'>,
    private readonly logger: Logger,
  ) {
    super(communicator, pid, options);
  }

  /** Plays the child (an RPC); resolves `false` when nobody answers for it. */
  override async play(): Promise<boolean> {
    try {
      return await super.play();
    } catch (error) {
      if (!(error instanceof UnroutableError)) throw error;
      this.logger.debug(`Process<${this.pid}>: not played, nobody answers for it (it is between workers)`);
      return false;
    }
  }
}
