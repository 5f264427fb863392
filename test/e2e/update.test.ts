/**
 * Redeploying an import: nothing happens when nothing changed; new content (even new bytes under an
 * old file name) means exactly one new job whose patch replaces the old one under the removal policy;
 * tags alone are changed in place.
 */
import { ListTagsForResourceCommand } from '@aws-sdk/client-panorama';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { RemovalPolicy } from 'aws-cdk-lib';
import { LocalCloud } from '../support/local-cloud';
import { useLocalCloudPerFile } from './support/suite';
import { modelPackage, sha256, writeModelPackage, writePackageFixture } from '../support/package-fixture';
import { importOf, synthImport } from './support/import-app';

let cloud: LocalCloud;
useLocalCloudPerFile((started) => { cloud = started; });

async function readObject(bucket: string, key: string): Promise<Buffer> {
  const object = await cloud.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await object.Body!.transformToByteArray());
}

/** The registered patches of the only package. */
function registeredPatches(): string[] {
  const [pkg] = cloud.emulator.packages();
  return pkg.versions.filter((v) => v.registered).map((v) => v.patchVersion);
}

test('redeploying an unchanged app starts no job and copies nothing', async () => {
  // GIVEN an app deployed once
  const fixture = writeModelPackage();
  const first = await cloud.deploy(synthImport({ fixture }));
  cloud.emulator.requests.length = 0;
  const handlerLinesBefore = cloud.handlerLines.length;

  // WHEN it is synthesized again and redeployed
  const second = await cloud.deploy(synthImport({ fixture }));

  // THEN the import is unchanged, Panorama got no call and no handler staged anything
  expect(importOf(second)).toMatchObject({ status: 'NO_CHANGE', physicalId: importOf(first).physicalId, attributes: importOf(first).attributes });
  expect(cloud.emulator.requests).toEqual([]);
  expect(cloud.handlerLines.slice(handlerLinesBefore).filter((line) => line.includes('"staged"'))).toEqual([]);
  expect(cloud.emulator.jobs()).toHaveLength(1);
});

test('new content under DESTROY: one new job, a new patch, the old patch deregistered after the new one succeeded', async () => {
  // GIVEN an import deployed with DESTROY
  const first = importOf(await cloud.deploy(synthImport({ fixture: writeModelPackage({ modelBytes: 'v1' }), removalPolicy: RemovalPolicy.DESTROY })));
  cloud.emulator.requests.length = 0;

  // WHEN the model's bytes change and the app is redeployed
  const second = importOf(await cloud.deploy(synthImport({ fixture: writeModelPackage({ modelBytes: 'v2' }), removalPolicy: RemovalPolicy.DESTROY })));

  // THEN exactly one new job ran and the resource now owns its new patch
  expect(cloud.emulator.jobs()).toHaveLength(2);
  expect(cloud.emulator.callsOf('CreatePackageImportJob').filter((r) => r.status === 200)).toHaveLength(1);
  expect(second.status).toBe('UPDATE_COMPLETE');
  expect(second.physicalId).toBe(cloud.emulator.jobs()[1].jobId);
  expect(second.attributes.PatchVersion).not.toBe(first.attributes.PatchVersion);
  // AND only the new patch stays registered
  expect(registeredPatches()).toEqual([second.attributes.PatchVersion]);
  // AND the old patch was deregistered only after the new package version was described (success)
  const operations = cloud.emulator.requests.map((r) => r.operation);
  expect(operations.indexOf('DescribePackage')).toBeGreaterThan(-1);
  expect(operations.indexOf('DeregisterPackageVersion')).toBeGreaterThan(operations.indexOf('DescribePackage'));
  expect(cloud.emulator.callsOf('DeregisterPackageVersion')[0].path).toContain(first.attributes.PatchVersion);
});

test('a model rebuilt under the same file name, under DESTROY: a new patch holding the new bytes; the old patch deregistered', async () => {
  // GIVEN an import under DESTROY of a package whose manifest names model.tar.gz, whatever its bytes
  const packageWith = (modelBytes: string) => {
    const { manifest, files: [, descriptor] } = modelPackage();
    const implementation = (manifest.nodePackage as any).assets[0].implementations[0];
    implementation.assetUri = 'model.tar.gz';
    implementation.descriptorUri = 'descriptor.json';
    return writePackageFixture({ manifest, files: [{ name: 'model.tar.gz', content: modelBytes }, { name: 'descriptor.json', content: descriptor.content }] });
  };
  const first = importOf(await cloud.deploy(synthImport({ fixture: packageWith('weights v1'), removalPolicy: RemovalPolicy.DESTROY })));

  // WHEN only the model's bytes change, its name kept, and the app is redeployed
  const second = importOf(await cloud.deploy(synthImport({ fixture: packageWith('weights v2'), removalPolicy: RemovalPolicy.DESTROY })));

  // THEN a second job registered a new patch, which the resource now owns
  expect(cloud.emulator.jobs().map((j) => j.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
  expect(second.status).toBe('UPDATE_COMPLETE');
  expect(second.attributes.PatchVersion).not.toBe(first.attributes.PatchVersion);
  expect(registeredPatches()).toEqual([second.attributes.PatchVersion]);
  // AND the new patch's manifest names the new bytes by their digest, which the package's storage holds
  const landed = cloud.emulator.jobs()[1].output!.OutputS3Location;
  const manifest = JSON.parse((await readObject(landed.BucketName, landed.ObjectKey)).toString('utf-8'));
  const assetUri = manifest.nodePackage.assets[0].implementations[0].assetUri;
  expect(assetUri).toBe(`${sha256('weights v2')}.tar.gz`);
  const storage = second.attributes;
  expect((await readObject(storage['StorageLocation.Bucket'], `${storage['StorageLocation.BinaryPrefixLocation']}/${assetUri}`)).toString()).toBe('weights v2');
});

test('new content under RETAIN: the old patch stays registered beside the new one', async () => {
  // GIVEN an import deployed with the default RETAIN
  const first = importOf(await cloud.deploy(synthImport({ fixture: writeModelPackage({ modelBytes: 'v1' }) })));

  // WHEN the model's bytes change and the app is redeployed
  const second = importOf(await cloud.deploy(synthImport({ fixture: writeModelPackage({ modelBytes: 'v2' }) })));

  // THEN both patches are registered and nothing was deregistered
  expect(cloud.emulator.jobs()).toHaveLength(2);
  expect(registeredPatches().sort()).toEqual([first.attributes.PatchVersion, second.attributes.PatchVersion].sort());
  expect(cloud.emulator.callsOf('DeregisterPackageVersion')).toEqual([]);
});

test('a change to tags alone starts no job and retags the package in place', async () => {
  // GIVEN an import deployed with tags
  const fixture = writeModelPackage();
  const first = importOf(await cloud.deploy(synthImport({ fixture, tags: { team: 'vision', stage: 'dev' } })));
  cloud.emulator.requests.length = 0;

  // WHEN only the tags change
  const second = importOf(await cloud.deploy(synthImport({ fixture, tags: { team: 'vision', owner: 'ml' } })));

  // THEN no job was started, the physical id is kept, and the package carries the new tags
  expect(cloud.emulator.callsOf('CreatePackageImportJob')).toEqual([]);
  expect(cloud.emulator.jobs()).toHaveLength(1);
  expect(second).toMatchObject({ status: 'UPDATE_COMPLETE', physicalId: first.physicalId });
  const tags = await cloud.panorama.send(new ListTagsForResourceCommand({ ResourceArn: first.attributes.PackageArn }));
  expect(tags.Tags).toEqual({ team: 'vision', owner: 'ml' });
});

test('a content update whose job fails is rolled back: the resource keeps its patch and no job is repeated', async () => {
  // GIVEN an import deployed with DESTROY
  const first = importOf(await cloud.deploy(synthImport({ fixture: writeModelPackage({ modelBytes: 'v1' }), removalPolicy: RemovalPolicy.DESTROY })));

  // WHEN new content is deployed and its job fails
  cloud.emulator.setJobOutcome('fail', { message: 'Injected failure of v2', count: 1 });
  const deployment = cloud.deploy(synthImport({ fixture: writeModelPackage({ modelBytes: 'v2' }), removalPolicy: RemovalPolicy.DESTROY }));

  // THEN the deployment fails with the job's message and rolls back
  await expect(deployment).rejects.toThrow(/UPDATE_FAILED: Panorama import job \S+ FAILED: Injected failure of v2.*UPDATE_ROLLBACK_COMPLETE/s);
  // AND the rollback Update found the original job by its ClientToken instead of importing again
  expect(cloud.emulator.jobs().map((j) => j.status)).toEqual(['SUCCEEDED', 'FAILED']);
  expect(cloud.progress).toContainEqual(expect.stringMatching(new RegExp(`^rollback update Model\\w+ \\(Custom::PanoramaPackageImport\\): UPDATE_COMPLETE physical id ${first.physicalId}$`)));
  // AND the original patch is still the registered one, and the state still holds it
  expect(registeredPatches()).toEqual([first.attributes.PatchVersion]);
  const kept = Object.values(cloud.runner.state.stacks.ImportStack.resources).find((r) => r.type === 'Custom::PanoramaPackageImport')!;
  expect(kept.physicalId).toBe(first.physicalId);
});

test('after a failed job, deploying the same content again starts a new job and succeeds', async () => {
  // GIVEN an import whose content update failed once (and was rolled back)
  await cloud.deploy(synthImport({ fixture: writeModelPackage({ modelBytes: 'v1' }) }));
  cloud.emulator.setJobOutcome('fail', { message: 'Transient failure', count: 1 });
  const v2 = writeModelPackage({ modelBytes: 'v2' });
  await expect(cloud.deploy(synthImport({ fixture: v2 }))).rejects.toThrow('Transient failure');

  // WHEN the same content is deployed again
  const retried = importOf(await cloud.deploy(synthImport({ fixture: v2 })));

  // THEN a third job imported it, instead of the failed job being found again by its ClientToken
  expect(cloud.emulator.jobs().map((j) => j.status)).toEqual(['SUCCEEDED', 'FAILED', 'SUCCEEDED']);
  expect(retried).toMatchObject({ status: 'UPDATE_COMPLETE', physicalId: cloud.emulator.jobs()[2].jobId });
});

test('a Create kept after failing (no rollback) is created again by the next deployment', async () => {
  // GIVEN an import whose first job failed, kept in the stack
  cloud.emulator.setJobOutcome('fail', { message: 'First attempt fails', count: 1 });
  const fixture = writeModelPackage();
  await expect(cloud.deploy(synthImport({ fixture }), { rollback: false })).rejects.toThrow('First attempt fails');
  const failedJob = cloud.emulator.jobs()[0].jobId;

  // WHEN the same app is deployed again
  const created = importOf(await cloud.deploy(synthImport({ fixture })));

  // THEN a new job imported the package, and the failed attempt was deleted afterwards
  expect(created).toMatchObject({ status: 'CREATE_COMPLETE', physicalId: cloud.emulator.jobs()[1].jobId });
  expect(cloud.progress).toContainEqual(expect.stringMatching(new RegExp(`^delete \\(cleanup\\) Model\\w+ \\(Custom::PanoramaPackageImport\\): DELETE_COMPLETE physical id ${failedJob}$`)));
});
