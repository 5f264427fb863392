/**
 * PackageSource.fromBucket: the manifest and its files already lie in the user's bucket; the job
 * reads them in place and nothing is staged.
 */
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { PackageSource } from '../../src';
import { LocalCloud } from '../support/local-cloud';
import { useLocalCloudPerFile } from './support/suite';
import { modelPackage } from '../support/package-fixture';
import { BROKEN_DESCRIPTORS, cameraPackage, gpuCodePackage, PackageShape } from '../support/real-shapes';
import { importOf, synthImport } from './support/import-app';

let cloud: LocalCloud;
useLocalCloudPerFile((started) => { cloud = started; });

/** Uploads a valid package under `prefix/` in the bucket; returns the manifest's key. */
async function uploadPackage(bucket: string, prefix: string, name: string): Promise<string> {
  await cloud.s3.send(new CreateBucketCommand({ Bucket: bucket }));
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
  // AND the stack has no staging bucket, so nothing was staged
  expect(result.resources.filter((r) => r.type === 'AWS::S3::Bucket')).toEqual([]);
  expect(cloud.handlerLines.filter((line) => line.includes('"staged"') && line.includes('people-counter'))).toEqual([]);
});

test('a bucket manifest that names a missing file fails before any job is started', async () => {
  // GIVEN a manifest in a bucket whose model file is missing
  await cloud.s3.send(new CreateBucketCommand({ Bucket: 'incomplete-packages' }));
  const { manifest, files } = modelPackage({ name: 'BROKEN' });
  await cloud.s3.send(new PutObjectCommand({ Bucket: 'incomplete-packages', Key: `m/${files[1].name}`, Body: files[1].content }));
  await cloud.s3.send(new PutObjectCommand({ Bucket: 'incomplete-packages', Key: 'm/package.json', Body: JSON.stringify(manifest) }));

  // WHEN an app importing it is deployed
  const deployment = cloud.deploy(synthImport({
    source: (stack) => PackageSource.fromBucket(s3.Bucket.fromBucketName(stack, 'UserBucket', 'incomplete-packages'), 'm/package.json'),
  }));

  // THEN the deployment fails naming the missing object, and no job was started
  await expect(deployment).rejects.toThrow(`s3://incomplete-packages/m/${files[0].name} does not exist`);
  expect(cloud.emulator.jobs()).toEqual([]);
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
