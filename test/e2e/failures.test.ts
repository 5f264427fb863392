/**
 * When Panorama says no: a FAILED job fails the deployment with its StatusMessage, a job stuck in
 * PENDING fails it at totalTimeout, and throttling or 500s are retried with backoff until they pass.
 */
import { Duration } from 'aws-cdk-lib';
import { PackageSource, PanoramaPackageImport } from '../../src';
import { LocalCloud } from '../support/local-cloud';
import { useLocalCloudPerFile } from './support/suite';
import { writeModelPackage } from '../support/package-fixture';
import { FAST, importOf, rejectionOf, synthApp, synthImport } from './support/import-app';

let cloud: LocalCloud;
useLocalCloudPerFile((started) => { cloud = started; });

/** Milliseconds between the end of one call and the start of the next. */
function gaps(calls: Array<{ startedAt: number; endedAt: number }>): number[] {
  return calls.slice(1).map((call, i) => call.startedAt - calls[i].endedAt);
}

test('a FAILED job fails the deployment with the job\'s StatusMessage', async () => {
  // GIVEN a service whose next job fails with a message
  cloud.emulator.setJobOutcome('fail', { message: 'Model artifact is corrupt (injected)', count: 1 });

  // WHEN the app is deployed
  const error = await rejectionOf(cloud.deploy(synthImport({ fixture: writeModelPackage() })));

  // THEN the deployment failed on the import, naming the job and quoting the service
  const jobId = cloud.emulator.jobs()[0].jobId;
  expect(error.message).toContain(`Panorama import job ${jobId} FAILED: Model artifact is corrupt (injected)`);
  expect(error.message).toMatch(/Model\w+ \(Custom::PanoramaPackageImport\) CREATE_FAILED/);
  expect(importOf(error.result!)).toMatchObject({ status: 'CREATE_FAILED', physicalId: jobId });
});

test('a job stuck in PENDING fails the deployment at totalTimeout', async () => {
  // GIVEN a service whose jobs never leave PENDING, and an import that waits 3 s, asking every second
  cloud.emulator.setJobOutcome('pending', { count: 1 });
  const assembly = synthImport({ fixture: writeModelPackage(), queryInterval: Duration.seconds(1), totalTimeout: Duration.seconds(3) });

  // WHEN the app is deployed
  const started = Date.now();
  const error = await rejectionOf(cloud.deploy(assembly));
  const elapsed = Date.now() - started;

  // THEN it failed with the framework's timeout, saying which resource and how long it waited
  expect(error.message).toMatch(/Model\w+ \(Custom::PanoramaPackageImport\) CREATE_FAILED: Operation timed out/);
  expect(error.message).toContain('totalTimeout 3 s');
  // AND isComplete asked at once and then after each of the 3 intervals
  const jobId = cloud.emulator.jobs()[0].jobId;
  expect(cloud.emulator.callsOf('DescribePackageImportJob').filter((r) => r.path.endsWith(jobId)).length).toBeGreaterThanOrEqual(4);
  expect(elapsed).toBeGreaterThanOrEqual(3000);
  expect(elapsed).toBeLessThan(15000);
});

test('throttled CreatePackageImportJob calls are retried with backoff until the deployment succeeds', async () => {
  // GIVEN a service that throttles the next two CreatePackageImportJob calls
  cloud.emulator.failNext('CreatePackageImportJob', 2, { errorType: 'ThrottlingException' });

  // WHEN the app is deployed
  const result = await cloud.deploy(synthImport({ fixture: writeModelPackage() }));

  // THEN it succeeded after three attempts, each after a pause, with one job
  expect(importOf(result).status).toBe('CREATE_COMPLETE');
  const calls = cloud.emulator.callsOf('CreatePackageImportJob');
  expect(calls.map((c) => c.status)).toEqual([429, 429, 200]);
  for (const gap of gaps(calls)) expect(gap).toBeGreaterThanOrEqual(50);
  expect(cloud.emulator.jobs()).toHaveLength(1);
});

test('500s with Retry-After are retried after the time the service asked for', async () => {
  // GIVEN a service that answers the next two DescribePackage calls with a 500 and Retry-After: 1
  cloud.emulator.failNext('DescribePackage', 2, { errorType: 'InternalServerException', retryAfterSeconds: 1 });

  // WHEN the app is deployed
  const result = await cloud.deploy(synthImport({ fixture: writeModelPackage() }));

  // THEN it succeeded on the third attempt, each retry at least about a second after the last
  expect(importOf(result).status).toBe('CREATE_COMPLETE');
  const calls = cloud.emulator.callsOf('DescribePackage');
  expect(calls.map((c) => c.status)).toEqual([500, 500, 200]);
  for (const gap of gaps(calls)) expect(gap).toBeGreaterThanOrEqual(900);
});

test('two independent imports run concurrently and both deploy under the service\'s real rate limits', async () => {
  // GIVEN a service enforcing 5 requests/s and 1 write/s, and a stack with two independent imports
  cloud.emulator.setRateLimits(true);
  const assembly = synthApp((stack) => {
    new PanoramaPackageImport(stack, 'ModelA', { ...FAST, source: PackageSource.fromDirectory(writeModelPackage({ name: 'MODEL_A' }).packageDir) });
    new PanoramaPackageImport(stack, 'ModelB', { ...FAST, source: PackageSource.fromDirectory(writeModelPackage({ name: 'MODEL_B' }).packageDir) });
  });

  // WHEN the app is deployed
  const result = await cloud.deploy(assembly);
  cloud.emulator.setRateLimits(false);

  // THEN both imports were started before either completed, and both succeeded with their own job
  const importLines = cloud.progress.filter((line) => /^create Model[AB]\w+ \(Custom::PanoramaPackageImport\)/.test(line));
  const firstCompletion = importLines.findIndex((line) => line.includes('CREATE_COMPLETE'));
  expect(importLines.slice(0, firstCompletion).filter((line) => line.endsWith(': onEvent'))).toHaveLength(2);
  const imports = result.resources.filter((r) => r.type === 'Custom::PanoramaPackageImport');
  expect(imports.map((r) => r.status)).toEqual(['CREATE_COMPLETE', 'CREATE_COMPLETE']);
  expect(cloud.emulator.jobs().map((j) => j.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
});
