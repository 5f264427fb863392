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
/** Every command the client sent, with its input, since the test began. */
let sent: Array<{ command: string; input: any }>;
/** Makes the next command of this name fail before it reaches S3. */
let failNext: { command: string; error: Error } | undefined;

beforeAll(async () => {
  server = await startS3Server();
  s3 = new S3Client({ endpoint: server.endpoint, forcePathStyle: true, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  s3.middlewareStack.add((next, context) => async (args) => {
    const command = context.commandName!.replace(/Command$/, '');
    sent.push({ command, input: args.input });
    if (failNext?.command === command) {
      const error = failNext.error;
      failNext = undefined;
      throw error;
    }
    return next(args);
  }, { step: 'initialize', name: 'recordCommands' });
  sent = [];
  await s3.send(new CreateBucketCommand({ Bucket: 'assets' }));
  await s3.send(new CreateBucketCommand({ Bucket: 'staging' }));
});
beforeEach(() => {
  sent = [];
  failNext = undefined;
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
  sent = [];
  // WHEN it is copied
  await copyObject(s3, { bucket: 'assets', key: 'big.gz' }, { bucket: 'staging', key: 'copy/big.tar.gz' }, { copyObjectLimit: 5 * 1024 * 1024, partSize: 5 * 1024 * 1024 });
  // THEN it went in three ranged part copies of one multipart upload, completed with those parts in order
  const MiB5 = 5 * 1024 * 1024;
  expect(sent.map((c) => c.command)).toEqual(['HeadObject', 'CreateMultipartUpload', 'UploadPartCopy', 'UploadPartCopy', 'UploadPartCopy', 'CompleteMultipartUpload']);
  const parts = sent.filter((c) => c.command === 'UploadPartCopy').map((c) => [c.input.PartNumber, c.input.CopySourceRange, c.input.CopySource]);
  expect(parts).toEqual([
    [1, `bytes=0-${MiB5 - 1}`, 'assets/big.gz'],
    [2, `bytes=${MiB5}-${2 * MiB5 - 1}`, 'assets/big.gz'],
    [3, `bytes=${2 * MiB5}-${body.length - 1}`, 'assets/big.gz'],
  ]);
  const complete = sent.at(-1)!.input;
  expect(complete.MultipartUpload.Parts.map((p: any) => p.PartNumber)).toEqual([1, 2, 3]);
  expect(complete.UploadId).toBe(sent.find((c) => c.command === 'UploadPartCopy')!.input.UploadId);
  // AND the copy has the same bytes
  expect(sha(await bytesOf('staging', 'copy/big.tar.gz'))).toBe(sha(body));
});

test('a multipart copy that fails is aborted, and the copy\'s own error is the one thrown', async () => {
  // GIVEN an object to copy in two parts, and an S3 that refuses the second part
  await s3.send(new PutObjectCommand({ Bucket: 'assets', Key: 'aborted.gz', Body: randomBytes(2048) }));
  sent = [];
  let partsSent = 0;
  s3.middlewareStack.add((next, context) => async (args) => {
    if (context.commandName === 'UploadPartCopyCommand' && ++partsSent === 2) throw Object.assign(new Error('part refused'), { name: 'InternalError' });
    return next(args);
  }, { step: 'initialize', name: 'refuseSecondPart' });
  try {
    // WHEN it is copied
    const copy = copyObject(s3, { bucket: 'assets', key: 'aborted.gz' }, { bucket: 'staging', key: 'copy/aborted.gz' }, { copyObjectLimit: 1024, partSize: 1024 });
    // THEN the copy fails with the part's error, after aborting its upload (and never completing it)
    await expect(copy).rejects.toThrow('part refused');
  } finally {
    s3.middlewareStack.remove('refuseSecondPart');
  }
  const upload = sent.find((c) => c.command === 'CreateMultipartUpload');
  expect(upload).toBeDefined();
  expect(sent.map((c) => c.command)).toEqual(['HeadObject', 'CreateMultipartUpload', 'UploadPartCopy', 'UploadPartCopy', 'AbortMultipartUpload']);
  const abort = sent.at(-1)!.input;
  expect(abort).toMatchObject({ Bucket: 'staging', Key: 'copy/aborted.gz', UploadId: sent[2].input.UploadId });
});

test('an abort that fails too does not hide why the copy failed', async () => {
  // GIVEN an S3 that refuses the first part and then the abort
  await s3.send(new PutObjectCommand({ Bucket: 'assets', Key: 'unabortable.gz', Body: randomBytes(2048) }));
  const lines: string[] = [];
  const spy = jest.spyOn(console, 'log').mockImplementation((line: string) => { lines.push(line); });
  s3.middlewareStack.add((next, context) => async (args) => {
    if (context.commandName === 'UploadPartCopyCommand') throw Object.assign(new Error('part refused'), { name: 'InternalError' });
    if (context.commandName === 'AbortMultipartUploadCommand') throw Object.assign(new Error('abort refused'), { name: 'AccessDenied' });
    return next(args);
  }, { step: 'initialize', name: 'refuseAll' });
  try {
    // WHEN it is copied / THEN the part's error is thrown, and the abort's failure only logged
    await expect(copyObject(s3, { bucket: 'assets', key: 'unabortable.gz' }, { bucket: 'staging', key: 'copy/unabortable.gz' }, { copyObjectLimit: 1024, partSize: 1024 }))
      .rejects.toThrow('part refused');
  } finally {
    s3.middlewareStack.remove('refuseAll');
    spy.mockRestore();
  }
  expect(lines.map((line) => JSON.parse(line))).toEqual([{ step: 'multipart abort failed', key: 'copy/unabortable.gz', reason: 'AccessDenied' }]);
});

test('an object at the limit is copied in one CopyObject', async () => {
  // GIVEN an object exactly at the (lowered) limit
  const body = randomBytes(1024);
  await s3.send(new PutObjectCommand({ Bucket: 'assets', Key: 'small.json', Body: body }));
  const lines: string[] = [];
  const spy = jest.spyOn(console, 'log').mockImplementation((line: string) => { lines.push(line); });
  sent = [];
  // WHEN it is copied
  await copyObject(s3, { bucket: 'assets', key: 'small.json' }, { bucket: 'staging', key: 'copy/small.json' }, { copyObjectLimit: 1024, partSize: 512 });
  spy.mockRestore();
  // THEN one CopyObject did it, logged as one part, and the bytes match
  expect(sent.map((c) => c.command)).toEqual(['HeadObject', 'CopyObject']);
  expect(lines.map((line) => JSON.parse(line))).toEqual([{ step: 'staged', key: 'copy/small.json', parts: 1, bytes: 1024 }]);
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

test('keys with spaces, plus signs, percent signs and accents are copied to and from where they belong', async () => {
  // GIVEN an asset whose key has a space and an accent, and manifest names with the characters S3 keys allow
  await s3.send(new PutObjectCommand({ Bucket: 'assets', Key: 'dir/my model é.gz', Body: 'unusual' }));
  const names = ['package.json', 'sub dir/a+b %20 é.tar.gz'];
  const spec = specWith([{ name: names[0], key: 'aaa.json' }, { name: names[1], key: 'dir/my model é.gz' }]);
  await s3.send(new PutObjectCommand({ Bucket: 'assets', Key: 'aaa.json', Body: '{}' }));
  const prefix = stagedPrefix(spec, 'stack-keys', 'Model');

  // WHEN they are staged
  await stageFiles(s3, spec, prefix);

  // THEN each object is under its exact name, with the bytes of its own asset
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'staging', Prefix: prefix }));
  expect(listed.Contents!.map((o) => o.Key!.slice(prefix.length)).sort()).toEqual([...names].sort());
  expect((await bytesOf('staging', `${prefix}${names[1]}`)).toString()).toBe('unusual');
});

test('more than 1000 staged objects are deleted in batches of at most 1000 keys', async () => {
  // GIVEN an import of 2001 files, a few of them really staged
  const files = Array.from({ length: 2001 }, (_, i) => ({ name: `f${i}.bin`, key: `k${i}` }));
  const spec = specWith(files);
  const prefix = stagedPrefix(spec, 'stack-many', 'Model');
  const present = [0, 999, 1000, 2000];
  for (const i of present) await s3.send(new PutObjectCommand({ Bucket: 'staging', Key: `${prefix}f${i}.bin`, Body: 'x' }));
  sent = [];

  // WHEN the staged files are deleted
  await deleteStagedFiles(s3, spec, prefix);

  // THEN three DeleteObjects calls named 1000, 1000 and 1 keys, in order, covering every file once
  const batches = sent.filter((c) => c.command === 'DeleteObjects').map((c) => c.input.Delete.Objects.map((o: any) => o.Key));
  expect(batches.map((keys) => keys.length)).toEqual([1000, 1000, 1]);
  expect(batches.flat()).toEqual(files.map((f) => `${prefix}${f.name}`));
  // AND none of the staged objects is left
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
