/**
 * Deleting an import: RETAIN leaves Panorama untouched, DESTROY deregisters the patch and deletes
 * the package, and a Create that failed can always be deleted.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import { WRITE_OPERATIONS } from '../../emulator';
import { CREATE_FAILED_PHYSICAL_ID_MARKER } from '../../local-runner';
import { LocalCloud } from '../support/local-cloud';
import { useLocalCloudPerFile } from './support/suite';
import { writeModelPackage } from '../support/package-fixture';
import { importOf, rejectionOf, synthImport } from './support/import-app';

let cloud: LocalCloud;
useLocalCloudPerFile((started) => { cloud = started; });

function writeCalls(): string[] {
  return cloud.emulator.requests.map((r) => r.operation).filter((op) => (WRITE_OPERATIONS as ReadonlySet<string>).has(op));
}

test('deleting under RETAIN makes no Panorama write call and keeps the package version', async () => {
  // GIVEN an import deployed with the default RETAIN
  await cloud.deploy(synthImport({ fixture: writeModelPackage() }));
  cloud.emulator.requests.length = 0;

  // WHEN the stack is destroyed
  const result = await cloud.destroy();

  // THEN the resource was deleted without a write to Panorama, and the patch is still registered
  expect(importOf(result).status).toBe('DELETE_COMPLETE');
  expect(writeCalls()).toEqual([]);
  const [pkg] = cloud.emulator.packages();
  expect(pkg.versions.filter((v) => v.registered)).toHaveLength(1);
});

test('deleting under DESTROY deregisters the patch version and deletes the package', async () => {
  // GIVEN an import deployed with DESTROY
  const deployed = importOf(await cloud.deploy(synthImport({ fixture: writeModelPackage(), removalPolicy: RemovalPolicy.DESTROY })));

  // WHEN the stack is destroyed
  const result = await cloud.destroy();

  // THEN the patch was deregistered and the package is gone
  expect(importOf(result).status).toBe('DELETE_COMPLETE');
  const deregistered = cloud.emulator.callsOf('DeregisterPackageVersion');
  expect(deregistered).toHaveLength(1);
  expect(deregistered[0].path).toContain(deployed.attributes.PatchVersion);
  expect(cloud.emulator.packages()).toEqual([]);
  expect(cloud.runner.state.stacks).toEqual({});
});

test('a failed Create is deleted by the rollback without error', async () => {
  // GIVEN a service whose next job fails, and an import under DESTROY
  cloud.emulator.setJobOutcome('fail', { message: 'Injected failure', count: 1 });

  // WHEN the app is deployed (with CloudFormation's default rollback)
  const error = await rejectionOf(cloud.deploy(synthImport({ fixture: writeModelPackage(), removalPolicy: RemovalPolicy.DESTROY })));

  // THEN the stack rolled back completely, which deleted the failed import, and nothing is left
  expect(error.message).toContain('ROLLBACK_COMPLETE');
  expect(error.result!.stacks[0].warnings).toEqual([]);
  expect(cloud.progress).toContainEqual(expect.stringMatching(/^rollback delete Model\w+ \(Custom::PanoramaPackageImport\): DELETE_COMPLETE/));
  expect(cloud.runner.state.stacks).toEqual({});
});

test('a failed Create kept by --no-rollback is deleted later by destroy', async () => {
  // GIVEN an import whose job failed, kept in the stack
  cloud.emulator.setJobOutcome('fail', { message: 'Injected failure', count: 1 });
  await expect(cloud.deploy(synthImport({ fixture: writeModelPackage(), removalPolicy: RemovalPolicy.DESTROY }), { rollback: false })).rejects.toThrow('Injected failure');
  const kept = Object.values(cloud.runner.state.stacks.ImportStack.resources).find((r) => r.type === 'Custom::PanoramaPackageImport')!;
  expect(kept.physicalId).toBe(cloud.emulator.jobs()[0].jobId);

  // WHEN the stack is destroyed
  const result = await cloud.destroy();

  // THEN the Delete succeeded and deregistered nothing (the job registered nothing)
  expect(importOf(result).status).toBe('DELETE_COMPLETE');
  expect(cloud.emulator.callsOf('DeregisterPackageVersion')).toEqual([]);
});

test('a Create that failed before any job started is deleted as the framework\'s marker, without a handler call', async () => {
  // GIVEN a service that refuses every CreatePackageImportJob, so onEvent fails
  cloud.emulator.failNext('CreatePackageImportJob', 20, { errorType: 'AccessDeniedException' });
  await expect(cloud.deploy(synthImport({ fixture: writeModelPackage(), removalPolicy: RemovalPolicy.DESTROY }), { rollback: false })).rejects.toThrow(/CREATE_FAILED/);
  const kept = Object.values(cloud.runner.state.stacks.ImportStack.resources).find((r) => r.type === 'Custom::PanoramaPackageImport')!;
  expect(kept.physicalId).toBe(CREATE_FAILED_PHYSICAL_ID_MARKER);
  const handlerLinesBefore = cloud.handlerLines.length;

  // WHEN the stack is destroyed
  const result = await cloud.destroy();

  // THEN the Delete succeeded and the handler was never called for it
  expect(importOf(result).status).toBe('DELETE_COMPLETE');
  expect(cloud.handlerLines.slice(handlerLinesBefore).filter((line) => line.includes('"requestType":"Delete"'))).toEqual([]);
});
