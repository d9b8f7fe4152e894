import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import {
  CheckpointNotFoundError,
  ConcurrentModificationError,
  decodePathSegment,
  deserializeBundle,
  encodePathSegment,
  LoadSaveContext,
  PersistenceError,
  serializeCheckpoint,
  type Bundle,
  type Checkpointable,
  type ObjectLoader,
  type PersistedCheckpoint,
  type Persister,
} from '@plumpy-ts/persistence';

/** Options of {@link S3Persister}: a bucket, a key prefix, and a client or the configuration to make one. */
export interface S3PersisterOptions {
  /** The bucket (it must exist). */
  readonly bucket: string;
  /** The key prefix under which checkpoints live; a `/` is appended if missing. Default: none. */
  readonly prefix?: string;
  /** The client to use; the persister does not destroy it. */
  readonly client?: S3Client;
  /** Configuration for a client the persister makes (and destroys in `close()`), when `client` is not given. */
  readonly clientConfig?: S3ClientConfig;
  /** The loader that names classes when saving (default `ClassRegistry.default`). */
  readonly loader?: ObjectLoader;
  /** Keys requested per ListObjectsV2 page (1–1000, default 1000). */
  readonly pageSize?: number;
}

/** What this persister last knew of a stored object. */
interface Known {
  readonly etag: string;
  readonly revision: number;
}

/** How many conditional writes are tried before giving up on a key that keeps changing. */
const ATTEMPTS = 5;
const REVISION_METADATA = 'plumpy-revision';
const UNTAGGED = 'untagged';
const TAG_PREFIX = 'tag-';
const SUFFIX = '.json';

/**
 * A {@link Persister} keeping one S3 object per checkpoint, for AWS S3 and
 * S3-compatible stores: `<prefix><encoded pid>/<untagged | tag-<encoded tag>>.json`,
 * holding the superjson text of the bundle, with the revision also in the
 * object's metadata (`x-amz-meta-plumpy-revision`).
 *
 * Fencing: a write is conditional. A new key is written with
 * `If-None-Match: *`; an existing one with `If-Match: <ETag>` after checking
 * that the stored revision is older. When the condition fails (another writer
 * got there first) the persister looks again, and rejects with
 * `ConcurrentModificationError` once the stored revision is not older, so two
 * writers racing on one key cannot both succeed. Requires a store that honours
 * conditional writes (AWS S3 does since 2024; so do MinIO and moto).
 */
export class S3Persister implements Persister {
  /** The bucket. */
  readonly bucket: string;
  /** The normalized key prefix ('' or ending with '/'). */
  readonly prefix: string;
  /** The S3 client. */
  readonly client: S3Client;
  readonly #ownsClient: boolean;
  readonly #context: LoadSaveContext;
  readonly #pageSize: number;
  readonly #known = new Map<string, Known>();

  constructor(options: S3PersisterOptions) {
    this.bucket = options.bucket;
    const prefix = options.prefix ?? '';
    this.prefix = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
    this.#ownsClient = options.client === undefined;
    this.client = options.client ?? new S3Client(options.clientConfig ?? {});
    this.#context = new LoadSaveContext({ loader: options.loader });
    const pageSize = options.pageSize ?? 1000;
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000) {
      throw new PersistenceError(`pageSize must be an integer from 1 to 1000, got ${pageSize}`);
    }
    this.#pageSize = pageSize;
  }

  /** Destroys the client if this persister made it. */
  close(): void {
    if (this.#ownsClient) this.client.destroy();
  }

  async saveCheckpoint(process: Checkpointable, tag?: string): Promise<void> {
    const checkpoint = serializeCheckpoint(process, this.#context); // the snapshot, before any await
    const key = this.#key(checkpoint.pid, tag);
    for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
      const known = this.#known.get(key) ?? (await this.#head(key));
      if (known !== undefined && known.revision >= checkpoint.revision) {
        throw new ConcurrentModificationError(checkpoint.pid, tag, checkpoint.revision, known.revision);
      }
      try {
        const result = await this.client.send(
          new PutObjectCommand({
            Bucket: this.bucket,
            Key: key,
            Body: checkpoint.text,
            ContentType: 'application/json',
            Metadata: { [REVISION_METADATA]: String(checkpoint.revision) },
            ...(known === undefined ? { IfNoneMatch: '*' } : { IfMatch: known.etag }),
          }),
        );
        if (result.ETag !== undefined) this.#known.set(key, { etag: result.ETag, revision: checkpoint.revision });
        else this.#known.delete(key);
        return;
      } catch (error) {
        this.#known.delete(key);
        if (isConditionFailure(error)) continue; // someone else wrote it: look again
        throw this.#failure(`write ${key}`, error);
      }
    }
    throw new ConcurrentModificationError(checkpoint.pid, tag, checkpoint.revision);
  }

  async loadCheckpoint(pid: string | number, tag?: string): Promise<Bundle> {
    const key = this.#key(String(pid), tag);
    let text: string;
    try {
      const result = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      text = (await result.Body?.transformToString('utf-8')) ?? '';
    } catch (error) {
      if (isNotFound(error)) throw new CheckpointNotFoundError(String(pid), tag, `s3://${this.bucket}/${this.prefix}`);
      throw this.#failure(`read ${key}`, error);
    }
    return deserializeBundle(text, `checkpoint object s3://${this.bucket}/${key}`);
  }

  async getCheckpoints(): Promise<PersistedCheckpoint[]> {
    const checkpoints: PersistedCheckpoint[] = [];
    for await (const key of this.#listKeys(this.prefix)) {
      const checkpoint = this.#parseKey(key);
      if (checkpoint !== undefined) checkpoints.push(checkpoint);
    }
    return checkpoints;
  }

  async getProcessCheckpoints(pid: string | number): Promise<PersistedCheckpoint[]> {
    const checkpoints: PersistedCheckpoint[] = [];
    for await (const key of this.#listKeys(this.#processPrefix(String(pid)))) {
      const checkpoint = this.#parseKey(key);
      if (checkpoint !== undefined) checkpoints.push(checkpoint);
    }
    return checkpoints;
  }

  async deleteCheckpoint(pid: string | number, tag?: string): Promise<void> {
    const key = this.#key(String(pid), tag);
    this.#known.delete(key);
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (error) {
      if (!isNotFound(error)) throw this.#failure(`delete ${key}`, error);
    }
  }

  async deleteProcessCheckpoints(pid: string | number): Promise<void> {
    const keys: string[] = [];
    for await (const key of this.#listKeys(this.#processPrefix(String(pid)))) keys.push(key);
    for (const key of keys) this.#known.delete(key);
    for (let start = 0; start < keys.length; start += 1000) {
      const batch = keys.slice(start, start + 1000);
      try {
        const result = await this.client.send(
          new DeleteObjectsCommand({
            Bucket: this.bucket,
            Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
          }),
        );
        const failed = (result.Errors ?? []).filter((e) => e.Code !== 'NoSuchKey');
        if (failed.length > 0) {
          throw new PersistenceError(
            `Cannot delete ${failed.length} checkpoint object(s) of process '${String(pid)}': ` +
              failed.map((e) => `${e.Key ?? '?'} (${e.Code ?? 'error'})`).join(', '),
          );
        }
      } catch (error) {
        if (error instanceof PersistenceError) throw error;
        throw this.#failure(`delete the checkpoints of process '${String(pid)}'`, error);
      }
    }
  }

  /** The stored object's ETag and revision, or `undefined` if there is none. */
  async #head(key: string): Promise<Known | undefined> {
    try {
      const result = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      const revision = Number(result.Metadata?.[REVISION_METADATA]);
      if (result.ETag === undefined) throw new PersistenceError(`s3://${this.bucket}/${key} has no ETag`);
      if (Number.isInteger(revision)) return { etag: result.ETag, revision };
      // Written without metadata (by another tool): read the revision from the bundle.
      const bundle = await this.#loadByKey(key);
      return { etag: result.ETag, revision: bundle.revision };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      if (error instanceof PersistenceError) throw error;
      throw this.#failure(`inspect ${key}`, error);
    }
  }

  /** Reads the bundle stored under a full key. */
  async #loadByKey(key: string): Promise<Bundle> {
    const result = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    const text = (await result.Body?.transformToString('utf-8')) ?? '';
    return deserializeBundle(text, `checkpoint object s3://${this.bucket}/${key}`);
  }

  /** Every key under `prefix`, page by page. */
  async *#listKeys(prefix: string): AsyncGenerator<string> {
    let token: string | undefined;
    do {
      let page;
      try {
        page = await this.client.send(
          new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token, MaxKeys: this.#pageSize }),
        );
      } catch (error) {
        throw this.#failure(`list s3://${this.bucket}/${prefix}`, error);
      }
      for (const object of page.Contents ?? []) if (object.Key !== undefined) yield object.Key;
      token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
  }

  #processPrefix(pid: string): string {
    return `${this.prefix}${encodePathSegment(pid)}/`;
  }

  #key(pid: string, tag: string | undefined): string {
    const name = tag === undefined ? UNTAGGED : TAG_PREFIX + (tag === '' ? '' : encodePathSegment(tag));
    return `${this.#processPrefix(pid)}${name}${SUFFIX}`;
  }

  /** The checkpoint a key stands for, or `undefined` for a key this persister did not write. */
  #parseKey(key: string): PersistedCheckpoint | undefined {
    if (!key.startsWith(this.prefix) || !key.endsWith(SUFFIX)) return undefined;
    const parts = key.slice(this.prefix.length, -SUFFIX.length).split('/');
    if (parts.length !== 2) return undefined;
    const [pidSegment, name] = parts as [string, string];
    try {
      const pid = decodePathSegment(pidSegment);
      if (name === UNTAGGED) return { pid, tag: undefined };
      if (!name.startsWith(TAG_PREFIX)) return undefined;
      const encoded = name.slice(TAG_PREFIX.length);
      return { pid, tag: encoded === '' ? '' : decodePathSegment(encoded) };
    } catch {
      return undefined;
    }
  }

  #failure(action: string, error: unknown): PersistenceError {
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return new PersistenceError(`S3 persister could not ${action} in bucket '${this.bucket}': ${detail}`, { cause: error });
  }
}

function statusOf(error: unknown): number | undefined {
  return error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;
}

function isNotFound(error: unknown): boolean {
  const name = error instanceof Error ? error.name : undefined;
  if (name === 'NoSuchBucket') return false;
  return name === 'NoSuchKey' || name === 'NotFound' || statusOf(error) === 404;
}

/** A failed `If-Match` / `If-None-Match` (412), or a conflicting concurrent conditional write (409). */
function isConditionFailure(error: unknown): boolean {
  const status = statusOf(error);
  const name = error instanceof Error ? error.name : undefined;
  return status === 412 || status === 409 || name === 'PreconditionFailed' || name === 'ConditionalRequestConflict';
}
