/** File assets land in the emulated S3 exactly where the template expects them, once. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { RunningS3Server, startS3Server } from '../../emulator';
import { publishFileAssets } from '../../local-runner';
import { PUBLISH_CONCURRENCY } from '../../local-runner/asset-publisher';
import { FileAsset } from '../../local-runner/cloud-assembly';
import { localS3Client } from '../../local-runner/s3-objects';

let s3Server: RunningS3Server;
let directory: string;
beforeAll(async () => {
  s3Server = await startS3Server();
  directory = fs.mkdtempSync(path.join(os.tmpdir(), 'asset-publisher-'));
});
afterAll(async () => {
  await s3Server.stop();
  fs.rmSync(directory, { recursive: true, force: true });
});

const placeholders = { accountId: '123456789012', region: 'us-east-1', partition: 'aws' };

function fileAsset(id: string, content: string): FileAsset {
  const sourcePath = path.join(directory, `${id}.tar.gz`);
  fs.writeFileSync(sourcePath, content);
  return { id, sourcePath, packaging: 'file', destinations: [{ bucketName: 'cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}', objectKey: `${id}.gz` }] };
}

test('a file asset is uploaded to its resolved bucket and key, creating the bucket', async () => {
  // GIVEN a file asset whose bucket does not exist yet
  const s3 = localS3Client(s3Server.endpoint, 'us-east-1');
  const asset = fileAsset('a1', 'model bytes');

  // WHEN it is published
  const report = await publishFileAssets(s3, [asset], placeholders);

  // THEN the bytes are in the bucket named with the account and region
  expect(report.uploaded).toEqual(['s3://cdk-hnb659fds-assets-123456789012-us-east-1/a1.gz']);
  const object = await s3.send(new GetObjectCommand({ Bucket: 'cdk-hnb659fds-assets-123456789012-us-east-1', Key: 'a1.gz' }));
  expect(await object.Body!.transformToString()).toBe('model bytes');
});

test('an object that already exists is left alone, and directory assets are only reported', async () => {
  // GIVEN a file asset published once, and a directory asset
  const s3 = localS3Client(s3Server.endpoint, 'us-east-1');
  const asset = fileAsset('a2', 'first');
  await publishFileAssets(s3, [asset], placeholders);
  fs.writeFileSync(asset.sourcePath, 'second');
  const directoryAsset: FileAsset = { id: 'd1', displayName: 'Handler/Code', sourcePath: directory, packaging: 'zip', destinations: [{ bucketName: 'b', objectKey: 'd1.zip' }] };

  // WHEN both are published
  const report = await publishFileAssets(s3, [asset, directoryAsset], placeholders);

  // THEN the existing object was not overwritten and the directory asset was not uploaded
  expect(report).toEqual({ uploaded: [], alreadyPresent: ['s3://cdk-hnb659fds-assets-123456789012-us-east-1/a2.gz'], notPublished: ['Handler/Code'] });
  const object = await s3.send(new GetObjectCommand({ Bucket: 'cdk-hnb659fds-assets-123456789012-us-east-1', Key: 'a2.gz' }));
  expect(await object.Body!.transformToString()).toBe('first');
});

test('many assets are published a few at a time, each once, and reported in the assembly\'s order', async () => {
  // GIVEN twenty file assets, two of them already published, and an S3 client that counts the uploads in flight
  const s3 = localS3Client(s3Server.endpoint, 'us-east-1');
  const assets = Array.from({ length: 20 }, (_, i) => fileAsset(`many-${String(i).padStart(2, '0')}`, `bytes ${i}`));
  await publishFileAssets(s3, [assets[3], assets[11]], placeholders);
  // The first upload is held until a second one starts (or 2 s pass): publishing one at a time would show 1.
  let inFlight = 0;
  let mostInFlight = 0;
  let held = false;
  let secondStarted: () => void = () => undefined;
  const second = new Promise<void>((resolve) => { secondStarted = resolve; });
  s3.middlewareStack.add((next, context) => async (args) => {
    if (context.commandName !== 'PutObjectCommand') return next(args);
    mostInFlight = Math.max(mostInFlight, ++inFlight);
    try {
      if (!held) {
        held = true;
        await Promise.race([second, new Promise((resolve) => setTimeout(resolve, 2000))]);
      } else {
        secondStarted();
      }
      return await next(args);
    } finally {
      inFlight--;
    }
  }, { step: 'initialize', name: 'countUploadsInFlight' });

  // WHEN they are all published
  const report = await publishFileAssets(s3, assets, placeholders);

  // THEN the eighteen new ones were uploaded, in order, and the two present ones left alone
  const location = (i: number) => `s3://cdk-hnb659fds-assets-123456789012-us-east-1/many-${String(i).padStart(2, '0')}.gz`;
  expect(report.uploaded).toEqual([...Array(20).keys()].filter((i) => i !== 3 && i !== 11).map(location));
  expect(report.alreadyPresent).toEqual([location(3), location(11)]);
  // AND more than one upload was in flight at a time, never more than the limit
  expect(mostInFlight).toBeGreaterThan(1);
  expect(mostInFlight).toBeLessThanOrEqual(PUBLISH_CONCURRENCY);
});
