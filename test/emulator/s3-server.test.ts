import { existsSync } from 'fs';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
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
