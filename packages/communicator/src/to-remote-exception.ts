import { RemoteException } from './errors.js';

/**
 * Wraps what a subscriber threw (or its promise rejected with) into the
 * {@link RemoteException} its sender receives. The original is the `cause`.
 */
export function toRemoteException(error: unknown): RemoteException {
  if (error instanceof Error) {
    return new RemoteException(error.message, {
      remoteName: error.name,
      ...(error.stack === undefined ? {} : { remoteStack: error.stack }),
      cause: error,
    });
  }
  return new RemoteException(String(error), { cause: error });
}
