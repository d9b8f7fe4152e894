/** Options accepted by every persistence error. */
export interface PersistenceErrorOptions {
  /** The underlying error (an I/O failure, a parse error...). */
  readonly cause?: unknown;
}

/**
 * Raised when something cannot be saved, loaded, listed or deleted: an unknown
 * checkpoint, a corrupt or unsupported bundle, a class the loader does not know,
 * a value that is not plain data, or a storage failure.
 */
export class PersistenceError extends Error {
  constructor(message: string, options?: PersistenceErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PersistenceError';
  }
}

/** Raised when a checkpoint that does not exist is loaded. */
export class CheckpointNotFoundError extends PersistenceError {
  /** The pid (as a string) of the missing checkpoint. */
  readonly pid: string;
  /** The tag of the missing checkpoint (`undefined`: the untagged one). */
  readonly tag: string | undefined;

  constructor(pid: string, tag: string | undefined, where?: string) {
    super(`No checkpoint for process '${pid}' ${describeTag(tag)}${where === undefined ? '' : ` in ${where}`}`);
    this.name = 'CheckpointNotFoundError';
    this.pid = pid;
    this.tag = tag;
  }
}

/**
 * Raised when a bundle names a class identifier that the object loader does not
 * know. Nothing is imported or evaluated because a bundle names it: register the
 * class (or import the code that registers it) in the worker that loads it.
 */
export class UnknownClassError extends PersistenceError {
  /** The identifier the bundle named. */
  readonly identifier: string;

  constructor(identifier: string) {
    super(
      `Unknown class '${identifier}': it is not registered with the object loader. ` +
        `Register it first, e.g. ClassRegistry.default.register(MyClass, '${identifier}')`,
    );
    this.name = 'UnknownClassError';
    this.identifier = identifier;
  }
}

/**
 * Raised when a checkpoint would overwrite a stored checkpoint whose revision is
 * the same or newer: another writer (or another copy of the same process) saved
 * it in the meantime. The stored checkpoint is left untouched.
 */
export class ConcurrentModificationError extends PersistenceError {
  /** The pid (as a string) of the checkpoint. */
  readonly pid: string;
  /** The tag of the checkpoint (`undefined`: the untagged one). */
  readonly tag: string | undefined;
  /** The revision this writer tried to store. */
  readonly revision: number;
  /** The revision already stored, when known. */
  readonly storedRevision: number | undefined;

  constructor(pid: string, tag: string | undefined, revision: number, storedRevision?: number) {
    const stored = storedRevision === undefined ? 'a newer or concurrent write' : `revision ${storedRevision}`;
    super(
      `Refusing to overwrite the checkpoint of process '${pid}' ${describeTag(tag)}: ` +
        `it holds ${stored}, and this write carries revision ${revision}, which is not newer`,
    );
    this.name = 'ConcurrentModificationError';
    this.pid = pid;
    this.tag = tag;
    this.revision = revision;
    this.storedRevision = storedRevision;
  }
}

function describeTag(tag: string | undefined): string {
  return tag === undefined ? '(untagged)' : `with tag '${tag}'`;
}
