import { randomBytes } from 'node:crypto';
import { threadId } from 'node:worker_threads';
import {
  closeSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  rmdirSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join, resolve, sep } from 'node:path';
import {
  CheckpointNotFoundError,
  CheckpointTextDecoder,
  ConcurrentModificationError,
  decodePathSegment,
  encodePathSegment,
  LoadSaveContext,
  PersistenceError,
  serializeCheckpoint,
  type Bundle,
  type Checkpointable,
  type ObjectLoader,
  type PersistedCheckpoint,
  type Persister,
  type SerializedCheckpoint,
} from '@plumpy-ts/persistence';
import { checkpointFileName, checkpointStem, parseCheckpointFileName, tagOfStem } from './checkpoint-file-name.js';

/** Options of {@link FilePersister}. */
export interface FilePersisterOptions {
  /** The directory holding the checkpoints; created if missing. Several processes may share it. */
  readonly directory: string;
  /** The loader that names classes when saving (default `ClassRegistry.default`). */
  readonly loader?: ObjectLoader;
  /**
   * Flush each checkpoint file and its directory to disk (`fsync`) before
   * `saveCheckpoint` resolves, so a checkpoint survives a power failure. Off by
   * default: writes are atomic either way, which is enough to survive a crash of
   * the Node process.
   */
  readonly durable?: boolean;
  /**
   * How many decoded checkpoints to remember, so that loading a file that has
   * not changed copies its state instead of parsing it again (default 64; 0
   * turns this off). The file is still read each time.
   */
  readonly decodeCache?: number;
}

/** How many times an operation is retried when a concurrent writer or deleter moved files under it. */
const ATTEMPTS = 5;

/** Makes temporary file names unique across OS processes, threads and persisters without a random draw per write. */
const tempPrefix = `.tmp-${process.pid}-${threadId}-${randomBytes(4).toString('hex')}-`;
let tempCounter = 0;

/**
 * A {@link Persister} that keeps one superjson file per checkpoint
 * (plumpy's `PicklePersister`):
 * `<directory>/<encoded pid>/<untagged | tag-<encoded tag>>.r<revision>.json`.
 *
 * - Atomic: a checkpoint is written to a hidden temporary file, then
 *   hard-linked under its final name, so a reader never sees a partial file.
 * - Fenced: the revision is part of the file name. Linking fails if the same
 *   revision exists; after linking, a writer that finds a newer revision removes
 *   its file and rejects with `ConcurrentModificationError`; otherwise it removes
 *   the older revisions. Readers take the highest revision. This holds across OS
 *   processes sharing the directory, without locks.
 * - Listing reads directory names only, never file contents.
 * - A corrupt or truncated file gives a `PersistenceError` naming it; the other
 *   checkpoints stay readable.
 * - Loading reads the file each time; a file whose text was decoded recently
 *   is copied from memory instead of parsed (see `decodeCache`).
 *
 * File operations are synchronous (they are small and fast; async `fs` would
 * cost more in thread-pool round trips than the I/O itself).
 */
export class FilePersister implements Persister {
  /** The absolute checkpoint directory. */
  readonly directory: string;
  readonly #context: LoadSaveContext;
  readonly #durable: boolean;
  readonly #decoder: CheckpointTextDecoder;
  /** `directory` with a trailing separator: paths inside it are built by concatenation (names never hold a separator). */
  readonly #prefix: string;

  constructor(options: FilePersisterOptions) {
    this.directory = resolve(options.directory);
    this.#prefix = this.directory.endsWith(sep) ? this.directory : this.directory + sep;
    this.#context = new LoadSaveContext({ loader: options.loader });
    this.#durable = options.durable ?? false;
    this.#decoder = new CheckpointTextDecoder({ capacity: options.decodeCache });
    try {
      mkdirSync(this.directory, { recursive: true });
    } catch (error) {
      throw new PersistenceError(`Cannot create the checkpoint directory ${this.directory}: ${message(error)}`, { cause: error });
    }
  }

  // The snapshot is taken synchronously, before the first await: this function never awaits before it.
  // eslint-disable-next-line @typescript-eslint/require-await
  async saveCheckpoint(process: Checkpointable, tag?: string): Promise<void> {
    const checkpoint = serializeCheckpoint(process, this.#context);
    this.#store(checkpoint, tag);
  }

  // eslint-disable-next-line @typescript-eslint/require-await
  async loadCheckpoint(pid: string | number, tag?: string): Promise<Bundle> {
    const key = String(pid);
    const directory = this.#processDirectory(key);
    const stem = checkpointStem(tag);
    for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
      const revision = latestRevision(readNames(directory), stem);
      if (revision === undefined) break;
      const path = `${directory}${sep}${checkpointFileName(tag, revision)}`;
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch (error) {
        if (isCode(error, 'ENOENT')) continue; // replaced by a newer revision meanwhile
        throw new PersistenceError(`Cannot read the checkpoint file ${path}: ${message(error)}`, { cause: error });
      }
      return this.#decoder.decode(path, text, `checkpoint file ${path}`);
    }
    throw new CheckpointNotFoundError(key, tag, this.directory);
  }

  // eslint-disable-next-line @typescript-eslint/require-await
  async getCheckpoints(): Promise<PersistedCheckpoint[]> {
    const checkpoints: PersistedCheckpoint[] = [];
    for (const entry of readNames(this.directory)) {
      if (entry.startsWith('.')) continue;
      let pid: string;
      try {
        pid = decodePathSegment(entry);
      } catch {
        continue; // not a directory this persister made
      }
      checkpoints.push(...listProcess(join(this.directory, entry), pid));
    }
    return checkpoints;
  }

  // eslint-disable-next-line @typescript-eslint/require-await
  async getProcessCheckpoints(pid: string | number): Promise<PersistedCheckpoint[]> {
    const key = String(pid);
    return listProcess(this.#processDirectory(key), key);
  }

  // eslint-disable-next-line @typescript-eslint/require-await
  async deleteCheckpoint(pid: string | number, tag?: string): Promise<void> {
    const directory = this.#processDirectory(String(pid));
    const stem = checkpointStem(tag);
    const names = readNames(directory);
    for (const name of names) {
      if (parseCheckpointFileName(name)?.stem === stem) removeFile(join(directory, name));
    }
    if (names.length > 0) {
      try {
        rmdirSync(directory); // only succeeds once the process has no files left
      } catch {
        // not empty, or removed by someone else: either is fine
      }
    }
  }

  // eslint-disable-next-line @typescript-eslint/require-await
  async deleteProcessCheckpoints(pid: string | number): Promise<void> {
    const directory = this.#processDirectory(String(pid));
    try {
      rmSync(directory, { recursive: true, force: true });
    } catch (error) {
      throw new PersistenceError(`Cannot delete the checkpoints in ${directory}: ${message(error)}`, { cause: error });
    }
  }

  /** The directory of one process's checkpoints. */
  #processDirectory(pid: string): string {
    return this.#prefix + encodePathSegment(pid);
  }

  /** Writes a serialized checkpoint atomically and fences it (see the class description). */
  #store(checkpoint: SerializedCheckpoint, tag: string | undefined): void {
    const directory = this.#processDirectory(checkpoint.pid);
    const stem = checkpointStem(tag);
    const fileName = checkpointFileName(tag, checkpoint.revision);
    const path = `${directory}${sep}${fileName}`;
    for (let attempt = 0; ; attempt += 1) {
      const temp = `${directory}${sep}${tempPrefix}${(tempCounter += 1)}-${fileName}`;
      try {
        this.#writeTemp(temp, checkpoint.text, directory);
        try {
          linkSync(temp, path);
        } finally {
          removeFile(temp);
        }
        break;
      } catch (error) {
        if (isCode(error, 'EEXIST')) {
          throw new ConcurrentModificationError(checkpoint.pid, tag, checkpoint.revision, checkpoint.revision);
        }
        // ENOENT: the process directory was deleted concurrently; start again.
        if (isCode(error, 'ENOENT') && attempt < ATTEMPTS) continue;
        throw new PersistenceError(`Cannot write the checkpoint file ${path}: ${message(error)}`, { cause: error });
      }
    }
    let newer: number | undefined;
    const older: string[] = [];
    for (const name of readNames(directory)) {
      const parsed = parseCheckpointFileName(name);
      if (parsed === undefined || parsed.stem !== stem || parsed.revision === checkpoint.revision) continue;
      if (parsed.revision > checkpoint.revision) newer = Math.max(newer ?? 0, parsed.revision);
      else older.push(name);
    }
    if (newer !== undefined) {
      removeFile(path);
      throw new ConcurrentModificationError(checkpoint.pid, tag, checkpoint.revision, newer);
    }
    for (const name of older) removeFile(`${directory}${sep}${name}`);
    if (this.#durable) syncDirectory(directory);
  }

  #writeTemp(temp: string, text: string, directory: string): void {
    let fd: number;
    try {
      fd = openSync(temp, 'wx');
    } catch (error) {
      if (!isCode(error, 'ENOENT')) throw error;
      mkdirSync(directory, { recursive: true });
      fd = openSync(temp, 'wx');
    }
    try {
      writeSync(fd, text);
      if (this.#durable) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}

/** The checkpoints in one process directory, one per stem. */
function listProcess(directory: string, pid: string): PersistedCheckpoint[] {
  const seen = new Set<string>();
  const checkpoints: PersistedCheckpoint[] = [];
  for (const name of readNames(directory)) {
    const parsed = parseCheckpointFileName(name);
    if (parsed === undefined || seen.has(parsed.stem)) continue;
    seen.add(parsed.stem);
    const tag = tagOfStem(parsed.stem);
    if (tag !== null) checkpoints.push({ pid, tag });
  }
  return checkpoints;
}

/** The highest revision stored for a stem. */
function latestRevision(names: readonly string[], stem: string): number | undefined {
  let latest: number | undefined;
  for (const name of names) {
    const parsed = parseCheckpointFileName(name);
    if (parsed !== undefined && parsed.stem === stem && (latest === undefined || parsed.revision > latest)) {
      latest = parsed.revision;
    }
  }
  return latest;
}

/** The entries of a directory; none if it does not exist. */
function readNames(directory: string): string[] {
  try {
    return readdirSync(directory);
  } catch (error) {
    if (isCode(error, 'ENOENT') || isCode(error, 'ENOTDIR')) return [];
    throw new PersistenceError(`Cannot list the checkpoint directory ${directory}: ${message(error)}`, { cause: error });
  }
}

function removeFile(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if (!isCode(error, 'ENOENT')) throw new PersistenceError(`Cannot remove ${path}: ${message(error)}`, { cause: error });
  }
}

function syncDirectory(directory: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(directory, 'r');
    fsyncSync(fd);
  } catch {
    // some platforms cannot fsync a directory; the file itself was flushed
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function isCode(error: unknown, code: string): boolean {
  return (error as { code?: unknown } | null)?.code === code;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
