/**
 * Creating an import through the local runner with the real bundled handlers: the attributes are
 * Panorama's own, the job read exactly the manifest's files, and nothing staged is left behind.
 */
import * as fs from 'fs';
import * as path from 'path';
import { DescribePackageCommand } from '@aws-sdk/client-panorama';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { stagedFileKeys } from './support/staged-files';
import { LocalCloud } from '../support/local-cloud';
import { useLocalCloudPerFile } from './support/suite';
import { writeModelPackage } from '../support/package-fixture';
import { importOf, synthImport } from './support/import-app';

let cloud: LocalCloud;
useLocalCloudPerFile((started) => { cloud = started; });

async function readObject(bucket: string, key: string): Promise<Buffer> {
  const object = await cloud.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await object.Body!.transformToByteArray());
}

function stagingBucketOf(result: Awaited<ReturnType<LocalCloud['deploy']>>): string {
  return result.resources.find((r) => r.type === 'AWS::S3::Bucket' && r.logicalId.startsWith('PanoramaPackageImportStaging'))!.physicalId!;
}

test('the attributes are what DescribePackage returns for the imported package', async () => {
  // GIVEN a package folder
  const fixture = writeModelPackage();

  // WHEN the app is deployed, with the attributes as stack outputs
  const result = await cloud.deploy(synthImport({ fixture, outputs: true }));

  // THEN every attribute matches Panorama's description of the package and the job's output
  const attributes = importOf(result).attributes;
  const described = await cloud.panorama.send(new DescribePackageCommand({ PackageId: attributes.PackageId }));
  const [job] = cloud.emulator.jobs();
  expect(attributes).toMatchObject({
    'PackageArn': described.Arn,
    'PackageId': described.PackageId,
    'PackageName': described.PackageName,
    'PackageVersion': '1.0',
    'PatchVersion': job.output!.PatchVersion,
    'ImportJobId': job.jobId,
    'StorageLocation.Bucket': described.StorageLocation!.Bucket,
    'StorageLocation.RepoPrefixLocation': described.StorageLocation!.RepoPrefixLocation,
    'StorageLocation.GeneratedPrefixLocation': described.StorageLocation!.GeneratedPrefixLocation,
    'StorageLocation.BinaryPrefixLocation': described.StorageLocation!.BinaryPrefixLocation,
    'StorageLocation.ManifestPrefixLocation': described.StorageLocation!.ManifestPrefixLocation,
  });
  expect(importOf(result)).toMatchObject({ status: 'CREATE_COMPLETE', physicalId: job.jobId });
  // AND the stack outputs resolve to the same values
  const outputs = result.stacks[0].outputs;
  expect(outputs[Object.keys(outputs).find((name) => name.startsWith('ModelPackageArn'))!]).toBe(described.Arn);
  expect(outputs[Object.keys(outputs).find((name) => name.startsWith('ModelStorageBucket'))!]).toBe(described.StorageLocation!.Bucket);
});

test('the job read the manifest and, beside it, every file it names, byte for byte', async () => {
  // GIVEN a package folder whose manifest names a model and its descriptor
  const fixture = writeModelPackage({ modelBytes: 'weights for the byte check' });
  const manifest = JSON.parse(fs.readFileSync(fixture.manifestPath, 'utf8'));
  const implementation = manifest.nodePackage.assets[0].implementations[0];

  // WHEN the app is deployed
  const result = await cloud.deploy(synthImport({ fixture }));

  // THEN the job's input is the staged manifest, named package.json, in the staging bucket
  const [job] = cloud.emulator.jobs();
  const input = job.request.InputConfig.PackageVersionInputConfig.S3Location;
  expect(input.BucketName).toBe(stagingBucketOf(result));
  expect(path.posix.basename(input.ObjectKey)).toBe('package.json');
  expect(job.status).toBe('SUCCEEDED');
  // AND what the job stored is the manifest's bytes and the named files' bytes
  const storage = importOf(result).attributes;
  const bucket = storage['StorageLocation.Bucket'];
  const landed = job.output!.OutputS3Location;
  expect(await readObject(landed.BucketName, landed.ObjectKey)).toEqual(fs.readFileSync(fixture.manifestPath));
  for (const uri of [implementation.assetUri, implementation.descriptorUri]) {
    const stored = await readObject(bucket, `${storage['StorageLocation.BinaryPrefixLocation']}/${uri}`);
    expect(stored).toEqual(fs.readFileSync(path.join(fixture.assetsDir, uri)));
  }
});

test('no staged object is left once the job has ended', async () => {
  // GIVEN a package folder
  const fixture = writeModelPackage();

  // WHEN the app is deployed
  const result = await cloud.deploy(synthImport({ fixture }));

  // THEN the staging bucket holds nothing under the staging prefix
  expect(cloud.emulator.jobs()[0].status).toBe('SUCCEEDED');
  expect(await stagedFileKeys(cloud.s3, stagingBucketOf(result))).toEqual([]);
});

test('no staged object is left after a job that failed', async () => {
  // GIVEN a package folder and a service whose next job fails
  const fixture = writeModelPackage();
  cloud.emulator.setJobOutcome('fail', { message: 'Injected failure', count: 1 });

  // WHEN the app is deployed (and fails, keeping what it created)
  await expect(cloud.deploy(synthImport({ fixture }), { rollback: false })).rejects.toThrow('Injected failure');

  // THEN the staging bucket holds nothing under the staging prefix
  const bucket = cloud.runner.state.stacks.ImportStack.resources;
  const staging = Object.entries(bucket).find(([id]) => id.startsWith('PanoramaPackageImportStagingBucket') && bucket[id].type === 'AWS::S3::Bucket')![1];
  expect(await stagedFileKeys(cloud.s3, staging.physicalId)).toEqual([]);
});

test('the ResponseURL reaches neither the handlers\' logs nor the runner\'s progress', async () => {
  // GIVEN a package folder, and a way to see each deployment request's pre-signed ResponseURL
  const fixture = writeModelPackage();
  const responseUrls: string[] = [];

  // WHEN the app is deployed and destroyed
  await cloud.deploy(synthImport({ fixture }), {
    redeliver: (request) => {
      responseUrls.push(request.ResponseURL);
      return undefined;
    },
  });
  await cloud.destroy();

  // THEN the handlers handled the Delete too
  const lines = [...cloud.handlerLines, ...cloud.progress];
  expect(cloud.handlerLines.map((line) => JSON.parse(line)).filter((entry) => entry.step === 'onEvent').map((entry) => entry.requestType)).toEqual(['Create', 'Delete']);
  // AND no line logged contains a URL seen, its signature,
  expect(responseUrls.length).toBeGreaterThan(0);
  const signatures = responseUrls.map((url) => new URL(url).searchParams.get('X-Amz-Signature')!);
  for (const secret of [...responseUrls, ...signatures]) {
    expect(lines.filter((line) => line.includes(secret))).toEqual([]);
  }
  // AND no line holds any pre-signed URL or signature at all (the Delete's request is not seen above)
  expect(lines.filter((line) => /X-Amz-Signature|cloudformation-custom-resource-response/.test(line))).toEqual([]);
});
