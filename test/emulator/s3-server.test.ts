import { existsSync } from 'fs';
import { join } from 'path';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { CREDENTIALS, errorOf, REGION } from './harness';
import { RunningS3Server, startS3Server } from '../../emulator/s3-server';

let server: RunningS3Server;
let s3: S3Client;

beforeAll(async () => {
  server = await startS3Server();
  s3 = new S3Client({ endpoint: server.endpoint, forcePathStyle: true, region: REGION, credentials: CREDENTIALS });
});
afterAll(async () => {
  s3.destroy();
  await server.stop();
});

test('listens on 127.0.0.1 on a port the OS chose', () => {
  // GIVEN / WHEN started without a port / THEN a loopback endpoint
  expect(server.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
});

test('serves the object calls the emulator and our handlers make, with dummy credentials', async () => {
  // GIVEN a bucket with an object
  await s3.send(new CreateBucketCommand({ Bucket: 'source-bucket' }));
  await s3.send(new PutObjectCommand({ Bucket: 'source-bucket', Key: 'pkg/model.tar.gz', Body: 'weights' }));

  // WHEN it is copied, listed, headed and deleted
  await s3.send(new CopyObjectCommand({ Bucket: 'source-bucket', Key: 'copy/model.tar.gz', CopySource: 'source-bucket/pkg/model.tar.gz' }));
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'source-bucket', Prefix: 'copy/' }));
  const head = await s3.send(new HeadObjectCommand({ Bucket: 'source-bucket', Key: 'copy/model.tar.gz' }));
  await s3.send(new DeleteObjectCommand({ Bucket: 'source-bucket', Key: 'copy/model.tar.gz' }));

  // THEN each step saw the object, and it is gone at the end
  expect(listed.Contents?.map((object) => object.Key)).toEqual(['copy/model.tar.gz']);
  expect(head.ContentLength).toBe('weights'.length);
  expect((await errorOf(s3.send(new HeadObjectCommand({ Bucket: 'source-bucket', Key: 'copy/model.tar.gz' })))).name).toBe('NotFound');
});

test('a DeleteObjects of several keys in one folder is answered at the first attempt, and leaves no folder behind', async () => {
  // GIVEN a client that does not retry, and 20 rounds of three objects in one folder (s3rver's parallel deletes raced on that folder)
  const once = new S3Client({ endpoint: server.endpoint, forcePathStyle: true, region: REGION, credentials: CREDENTIALS, maxAttempts: 1 });
  await once.send(new CreateBucketCommand({ Bucket: 'tidy-bucket' }));
  const keys = ['imports/a/b/package.json', 'imports/a/b/model.tar.gz', 'imports/a/b/descriptor.json'];
  const statuses: number[] = [];
  for (let round = 0; round < 20; round++) {
    for (const key of keys) await once.send(new PutObjectCommand({ Bucket: 'tidy-bucket', Key: key, Body: key }));

    // WHEN they are deleted in one request
    const deleted = await once.send(new DeleteObjectsCommand({ Bucket: 'tidy-bucket', Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true } }));
    statuses.push(deleted.$metadata.httpStatusCode!);
  }
  once.destroy();

  // THEN every request succeeded at once, and nothing is listed or left on disk
  expect(statuses).toEqual(Array(20).fill(200));
  expect((await s3.send(new ListObjectsV2Command({ Bucket: 'tidy-bucket' }))).KeyCount).toBe(0);
  expect(existsSync(join(server.directory, 'tidy-bucket', 'imports'))).toBe(false);
});

test('stop removes the storage directory', async () => {
  // GIVEN a second server holding a bucket
  const other = await startS3Server();
  const client = new S3Client({ endpoint: other.endpoint, forcePathStyle: true, region: REGION, credentials: CREDENTIALS });
  await client.send(new CreateBucketCommand({ Bucket: 'doomed' }));
  client.destroy();
  expect(existsSync(other.directory)).toBe(true);

  // WHEN stopped
  await other.stop();

  // THEN its directory is gone
  expect(existsSync(other.directory)).toBe(false);
});

test('a PutObject with If-None-Match: * writes only where nothing is, and of concurrent ones exactly one wins', async () => {
  // GIVEN a bucket
  await s3.send(new CreateBucketCommand({ Bucket: 'conditional-bucket' }));

  // WHEN ten writers ask at once for the same free key
  const outcomes = await Promise.allSettled(Array.from({ length: 10 }, (_, i) =>
    s3.send(new PutObjectCommand({ Bucket: 'conditional-bucket', Key: 'slots/1', Body: `writer ${i}`, IfNoneMatch: '*' }))));

  // THEN one wrote it and nine were told the precondition failed (412), as S3 answers
  expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
  const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected').map((o) => o.reason);
  expect(refused.map((e) => [e.name, e.$metadata.httpStatusCode])).toEqual(Array(9).fill(['PreconditionFailed', 412]));
  // AND the object is the winner's, whole
  const winner = outcomes.findIndex((o) => o.status === 'fulfilled');
  const stored = await s3.send(new GetObjectCommand({ Bucket: 'conditional-bucket', Key: 'slots/1' }));
  expect(await stored.Body!.transformToString()).toBe(`writer ${winner}`);
});

test('a PutObject with If-None-Match: * to a free key writes it; an unconditional one still overwrites', async () => {
  // GIVEN a bucket with one object
  await s3.send(new CreateBucketCommand({ Bucket: 'conditional-free' }));
  await s3.send(new PutObjectCommand({ Bucket: 'conditional-free', Key: 'taken', Body: 'first' }));

  // WHEN a conditional write goes to another key, and a plain one over the first
  await s3.send(new PutObjectCommand({ Bucket: 'conditional-free', Key: 'free', Body: 'new', IfNoneMatch: '*' }));
  await s3.send(new PutObjectCommand({ Bucket: 'conditional-free', Key: 'taken', Body: 'second' }));

  // THEN both are written
  const read = async (Key: string) => (await s3.send(new GetObjectCommand({ Bucket: 'conditional-free', Key }))).Body!.transformToString();
  expect(await read('free')).toBe('new');
  expect(await read('taken')).toBe('second');
});
