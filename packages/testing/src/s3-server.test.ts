import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3Server, type S3Server, type S3ServerKind } from './s3-server.js';

/** Both servers, so that the fallback works as well as the default. Conditional writes are checked by @plumpy-ts/persistence-s3's tests, through the AWS SDK. */
describe.each<S3ServerKind>(['moto', 's3rver'])('startS3Server (%s)', (kind) => {
  let server: S3Server;

  beforeAll(async () => {
    server = await startS3Server({ kind });
  });

  afterAll(async () => {
    await server.stop();
  });

  const url = (path: string): string => `${server.endpoint}${path}`;

  it('listens on loopback and reports its kind', () => {
    expect(server.kind).toBe(kind);
    expect(server.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.conditionalWrites).toBe(kind === 'moto');
  });

  it('answers the S3 API: buckets are created and listed', async () => {
    expect((await fetch(url('/harness-bucket'), { method: 'PUT' })).ok).toBe(true);
    const listing = await (await fetch(url('/'))).text();
    expect(listing).toContain('ListAllMyBucketsResult');
    expect(listing).toContain('<Name>harness-bucket</Name>');
  });

  it('deletes everything on reset', async () => {
    await fetch(url('/reset-bucket'), { method: 'PUT' });
    expect(await (await fetch(url('/'))).text()).toContain('<Name>reset-bucket</Name>');
    await server.reset();
    expect(await (await fetch(url('/'))).text()).not.toContain('<Name>reset-bucket</Name>');
  });
});

describe('startS3Server', () => {
  it('stops the server', async () => {
    const server = await startS3Server();
    await server.stop();
    await expect(fetch(`${server.endpoint}/`)).rejects.toThrow();
  });
});
