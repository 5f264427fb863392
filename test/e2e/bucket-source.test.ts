/**
 * PackageSource.fromBucket: the manifest and its files already lie in the user's bucket; the job
 * reads them in place and nothing is staged.
 */
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { PackageSource } from '../../src';
import { LocalCloud } from '../support/local-cloud';
import { useLocalCloudPerFile } from './support/suite';
import { modelPackage } from '../support/package-fixture';
import { BROKEN_DESCRIPTORS, cameraPackage, gpuCodePackage, PackageShape } from '../support/real-shapes';
import { importOf, synthImport } from './support/import-app';

let cloud: LocalCloud;
useLocalCloudPerFile((started) => { cloud = started; });

/** Uploads a valid package under `prefix/` in the bucket (created if need be); returns the manifest's key. */
async function uploadPackage(bucket: string, prefix: string, name: string): Promise<string> {
  await cloud.s3.send(new CreateBucketCommand({ Bucket: bucket })).catch((e: Error) => {
    if (e.name !== 'BucketAlreadyExists' && e.name !== 'BucketAlreadyOwnedByYou') throw e;
  });
  const { manifest, files } = modelPackage({ name, modelBytes: `weights of ${name}` });
  for (const file of files) await cloud.s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${prefix}/${file.name}`, Body: file.content }));
  await cloud.s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${prefix}/package.json`, Body: JSON.stringify(manifest) }));
  return `${prefix}/package.json`;
}

test('a package already in a user bucket is imported in place, named by its own manifest', async () => {
  // GIVEN a manifest and its files in a bucket the app only references by name
  const manifestKey = await uploadPackage('user-packages', 'models/people-counter', 'PEOPLE_COUNTER');

  // WHEN an app importing it is deployed
  const result = await cloud.deploy(synthImport({
    source: (stack) => PackageSource.fromBucket(s3.Bucket.fromBucketName(stack, 'UserBucket', 'user-packages'), manifestKey),
  }));

  // THEN one job read the manifest where it lies, and the package takes the manifest's name and version
  const [job] = cloud.emulator.jobs();
  expect(job.request.InputConfig.PackageVersionInputConfig.S3Location).toMatchObject({ BucketName: 'user-packages', ObjectKey: manifestKey });
  expect(importOf(result)).toMatchObject({
    status: 'CREATE_COMPLETE',
    physicalId: job.jobId,
    attributes: expect.objectContaining({ PackageName: 'PEOPLE_COUNTER', PackageVersion: '1.0', PatchVersion: job.output!.PatchVersion }),
  });
  // AND the stack has no staging bucket, and the handler started the job without staging a file
  expect(result.resources.filter((r) => r.type === 'AWS::S3::Bucket')).toEqual([]);
  const steps = cloud.handlerLines.map((line) => JSON.parse(line).step);
  expect(steps.filter((step) => step === 'import job started')).toHaveLength(1);
  expect(steps.filter((step) => step === 'staged' || step === 'staging cleaned')).toEqual([]);
});

test('a manifest at the root of the bucket is imported with the files beside it at the root', async () => {
  // GIVEN a package uploaded at the top of a bucket
  await cloud.s3.send(new CreateBucketCommand({ Bucket: 'root-packages' }));
  const { manifest, files } = modelPackage({ name: 'AT_ROOT' });
  for (const file of files) await cloud.s3.send(new PutObjectCommand({ Bucket: 'root-packages', Key: file.name, Body: file.content }));
  await cloud.s3.send(new PutObjectCommand({ Bucket: 'root-packages', Key: 'package.json', Body: JSON.stringify(manifest) }));

  // WHEN an app importing package.json is deployed
  const result = await cloud.deploy(synthImport({
    source: (stack) => PackageSource.fromBucket(s3.Bucket.fromBucketName(stack, 'UserBucket', 'root-packages'), 'package.json'),
  }));

  // THEN the job read the manifest at the root and the import succeeded
  const jobs = cloud.emulator.jobs();
  expect(jobs).toHaveLength(1);
  expect(jobs[0].request.InputConfig.PackageVersionInputConfig.S3Location).toMatchObject({ BucketName: 'root-packages', ObjectKey: 'package.json' });
  expect(importOf(result)).toMatchObject({ status: 'CREATE_COMPLETE', attributes: expect.objectContaining({ PackageName: 'AT_ROOT' }) });
});

test('a packageName other than the bucket manifest\'s fails before any job, naming both', async () => {
  // GIVEN a package named PEOPLE_COUNTER in a bucket
  const manifestKey = await uploadPackage('named-packages', 'm', 'PEOPLE_COUNTER');

  // WHEN it is imported as another package (a manifest in place cannot be rewritten)
  const deployment = cloud.deploy(synthImport({
    packageName: 'SOMETHING_ELSE',
    source: (stack) => PackageSource.fromBucket(s3.Bucket.fromBucketName(stack, 'UserBucket', 'named-packages'), manifestKey),
  }));

  // THEN the deployment fails naming the field, its value and the manifest's name, and no job was started
  await expect(deployment).rejects.toThrow('packageName: "SOMETHING_ELSE" must equal the bucket manifest\'s "PEOPLE_COUNTER"');
  expect(cloud.emulator.jobs()).toEqual([]);
});

test('a bucket source moved to identical content, under DESTROY: the same patch stays registered and owned', async () => {
  // GIVEN an import under DESTROY of a package at a/, and the very same bytes at b/
  const importFrom = (manifestKey: string) => synthImport({
    removalPolicy: RemovalPolicy.DESTROY,
    source: (stack) => PackageSource.fromBucket(s3.Bucket.fromBucketName(stack, 'UserBucket', 'moving-packages'), manifestKey),
  });
  const first = importOf(await cloud.deploy(importFrom(await uploadPackage('moving-packages', 'a', 'MOVING'))));
  const moved = await uploadPackage('moving-packages', 'b', 'MOVING');

  // WHEN the app is redeployed reading b/
  const second = importOf(await cloud.deploy(importFrom(moved)));

  // THEN a second job read b/ and registered the patch the resource already owned
  const jobs = cloud.emulator.jobs();
  expect(jobs.map((j) => [j.request.InputConfig.PackageVersionInputConfig.S3Location.ObjectKey, j.status])).toEqual([
    ['a/package.json', 'SUCCEEDED'],
    ['b/package.json', 'SUCCEEDED'],
  ]);
  expect(jobs[1].output!.PatchVersion).toBe(first.attributes.PatchVersion);
  // AND the resource kept its physical id, so nothing was deleted, and the live patch is still registered
  expect(second).toMatchObject({ status: 'UPDATE_COMPLETE', physicalId: first.physicalId });
  expect(cloud.emulator.callsOf('DeregisterPackageVersion')).toEqual([]);
  const [pkg] = cloud.emulator.packages();
  expect(pkg.versions.filter((v) => v.registered).map((v) => v.patchVersion)).toEqual([first.attributes.PatchVersion]);
});

/** Uploads a package shape under `prefix/` of a new bucket; returns the manifest's key. */
async function uploadShape(bucket: string, prefix: string, shape: PackageShape): Promise<string> {
  await cloud.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  for (const file of shape.files) await cloud.s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${prefix}/${file.name}`, Body: file.content }));
  await cloud.s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${prefix}/package.json`, Body: JSON.stringify(shape.manifest) }));
  return `${prefix}/package.json`;
}

function fromBucket(bucket: string, manifestKey: string) {
  return (stack: Parameters<typeof s3.Bucket.fromBucketName>[0]) => PackageSource.fromBucket(s3.Bucket.fromBucketName(stack, 'UserBucket', bucket), manifestKey);
}

test('a bucket manifest whose descriptor is broken fails before any job, naming the descriptor and the field', async () => {
  // GIVEN a GPU package in a bucket whose runtime descriptor was replaced by a model descriptor for ONNX
  const broken = BROKEN_DESCRIPTORS[0];
  const shape = gpuCodePackage({ descriptor: broken.content });
  const manifestKey = await uploadShape('broken-descriptors', 'gpu', shape);

  // WHEN an app importing it is deployed
  const deployment = cloud.deploy(synthImport({ source: fromBucket('broken-descriptors', manifestKey) }));

  // THEN the deployment fails naming the descriptor object, the manifest field and the rule; no job was started
  await expect(deployment).rejects.toThrow(`s3://broken-descriptors/gpu/${shape.files[1].name} (nodePackage.assets[0].implementations[0].descriptorUri) `
    + 'mlModelDescriptor.framework: "ONNX" must be one of TENSORFLOW, PYTORCH, MXNET');
  expect(cloud.emulator.jobs()).toEqual([]);
});

test('a GPU package in a bucket, with its runtime descriptor\'s events, is imported', async () => {
  // GIVEN a built GPU code package in a bucket
  const manifestKey = await uploadShape('gpu-packages', 'detector', gpuCodePackage());
  // WHEN deployed
  const result = await cloud.deploy(synthImport({ source: fromBucket('gpu-packages', manifestKey) }));
  // THEN it is imported under the manifest's name
  expect(importOf(result)).toMatchObject({ status: 'CREATE_COMPLETE', attributes: expect.objectContaining({ PackageName: 'gpu_detector_app', PackageVersion: '1.0' }) });
});

test('a bucket manifest without name or version is imported under packageName, version 1.0', async () => {
  // GIVEN a camera package (one system asset, neither name nor version) in a bucket
  const manifestKey = await uploadShape('camera-packages', 'lobby', cameraPackage());
  // WHEN deployed with a packageName
  const result = await cloud.deploy(synthImport({ source: fromBucket('camera-packages', manifestKey), packageName: 'LOBBY_CAMERA' }));
  // THEN the job imports it as LOBBY_CAMERA 1.0, panorama-cli's default version
  expect(cloud.emulator.jobs()[0].request.OutputConfig.PackageVersionOutputConfig).toMatchObject({ PackageName: 'LOBBY_CAMERA', PackageVersion: '1.0' });
  expect(importOf(result)).toMatchObject({ status: 'CREATE_COMPLETE', attributes: expect.objectContaining({ PackageName: 'LOBBY_CAMERA', PackageVersion: '1.0' }) });
});

test('a bucket manifest without a name and no packageName fails before any job, saying what is missing', async () => {
  // GIVEN the camera package in a bucket
  const manifestKey = await uploadShape('nameless-packages', 'lobby', cameraPackage());
  // WHEN deployed without a packageName
  const deployment = cloud.deploy(synthImport({ source: fromBucket('nameless-packages', manifestKey) }));
  // THEN it fails naming the missing name, and no job was started
  await expect(deployment).rejects.toThrow('packageName: missing must be given: the manifest s3://nameless-packages/lobby/package.json has no nodePackage.name');
  expect(cloud.emulator.jobs()).toEqual([]);
});
