/**
 * Server-side staging against a real S3 server (s3rver): every byte is copied inside S3, in parts
 * above the CopyObject limit, and the staged objects go away afterwards.
 */
import { createHash, randomBytes } from 'crypto';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startS3Server } from '../../emulator';
import { ImportSpec } from '../../src/handler/resource-properties';
import { copyObject, deleteStagedFiles, stagedPrefix, stageFiles } from '../../src/handler/staging';

let server: Awaited<ReturnType<typeof startS3Server>>;
let s3: S3Client;

beforeAll(async () => {
  server = await startS3Server();
  s3 = new S3Client({ endpoint: server.endpoint, forcePathStyle: true, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  await s3.send(new CreateBucketCommand({ Bucket: 'assets' }));
  await s3.send(new CreateBucketCommand({ Bucket: 'staging' }));
});

afterAll(async () => {
  s3.destroy();
  await server.stop();
});

async function bytesOf(bucket: string, key: string): Promise<Buffer> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await object.Body!.transformToByteArray());
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function specWith(files: Array<{ name: string; key: string }>): ImportSpec {
  return {
    markLatest: true,
    jobType: 'NODE_PACKAGE_VERSION',
    tags: {},
    removalPolicy: 'retain',
    source: { type: 'Files', contentHash: 'c'.repeat(64), manifestName: 'package.json', files: files.map((f) => ({ ...f, bucket: 'assets' })) },
    staging: { bucket: 'staging', prefix: 'imports/' },
  };
}

test('an object above the CopyObject limit is copied in parts, byte for byte', async () => {
  // GIVEN a 12 MiB object and a copy limit lowered to 5 MiB with 5 MiB parts
  const body = randomBytes(12 * 1024 * 1024);
  await s3.send(new PutObjectCommand({ Bucket: 'assets', Key: 'big.gz', Body: body }));
  // WHEN it is copied
  await copyObject(s3, { bucket: 'assets', key: 'big.gz' }, { bucket: 'staging', key: 'copy/big.tar.gz' }, { copyObjectLimit: 5 * 1024 * 1024, partSize: 5 * 1024 * 1024 });
  // THEN the copy has the same bytes
  expect(sha(await bytesOf('staging', 'copy/big.tar.gz'))).toBe(sha(body));
});

test('an object at the limit is copied in one CopyObject', async () => {
  // GIVEN an object exactly at the (lowered) limit
  const body = randomBytes(1024);
  await s3.send(new PutObjectCommand({ Bucket: 'assets', Key: 'small.json', Body: body }));
  const lines: string[] = [];
  const spy = jest.spyOn(console, 'log').mockImplementation((line: string) => { lines.push(line); });
  // WHEN it is copied
  await copyObject(s3, { bucket: 'assets', key: 'small.json' }, { bucket: 'staging', key: 'copy/small.json' }, { copyObjectLimit: 1024, partSize: 512 });
  spy.mockRestore();
  // THEN one part was used and the bytes match
  expect(JSON.parse(lines[0])).toMatchObject({ step: 'staged', parts: 1, bytes: 1024 });
  expect(sha(await bytesOf('staging', 'copy/small.json'))).toBe(sha(body));
});

test('files are staged under the manifest\'s names beside the manifest, and deleted afterwards', async () => {
  // GIVEN three asset objects keyed by hash, as CDK stores them
  await s3.send(new PutObjectCommand({ Bucket: 'assets', Key: 'aaa.json', Body: '{"nodePackage":{}}' }));
  await s3.send(new PutObjectCommand({ Bucket: 'assets', Key: 'bbb.gz', Body: 'model' }));
  await s3.send(new PutObjectCommand({ Bucket: 'assets', Key: 'ccc.json', Body: 'descriptor' }));
  const spec = specWith([{ name: 'package.json', key: 'aaa.json' }, { name: 'model.tar.gz', key: 'bbb.gz' }, { name: 'sub/descriptor.json', key: 'ccc.json' }]);
  const prefix = stagedPrefix(spec, 'arn:aws:cloudformation:us-east-1:1:stack/s/1', 'Model');
  // WHEN they are staged
  const manifestKey = await stageFiles(s3, spec, prefix);
  // THEN they sit under one prefix with the manifest's names
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'staging', Prefix: prefix }));
  expect(manifestKey).toBe(`${prefix}package.json`);
  expect(listed.Contents!.map((o) => o.Key!.slice(prefix.length)).sort()).toEqual(['model.tar.gz', 'package.json', 'sub/descriptor.json']);
  expect((await bytesOf('staging', `${prefix}model.tar.gz`)).toString()).toBe('model');
  // WHEN they are deleted / THEN the prefix is empty
  await deleteStagedFiles(s3, spec, prefix);
  expect((await s3.send(new ListObjectsV2Command({ Bucket: 'staging', Prefix: prefix }))).KeyCount).toBe(0);
});

test('two resources with the same content stage under different prefixes', () => {
  // GIVEN one spec
  const spec = specWith([{ name: 'package.json', key: 'aaa.json' }]);
  // THEN the prefix depends on the stack and the resource, and starts with the staging prefix
  const a = stagedPrefix(spec, 'stack-1', 'A');
  expect(a).toMatch(/^imports\/[0-9a-f]{16}\/c{32}\/$/);
  expect(stagedPrefix(spec, 'stack-1', 'B')).not.toBe(a);
  expect(stagedPrefix(spec, 'stack-2', 'A')).not.toBe(a);
});
