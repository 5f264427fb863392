/**
 * When Panorama says no: a FAILED job fails the deployment with its StatusMessage, a job stuck in
 * PENDING fails it at totalTimeout, and throttling or 500s are retried with backoff until they pass.
 */
import { Duration } from 'aws-cdk-lib';
import { PackageSource, PanoramaPackageImport } from '../../src';
import { WRITE_SLOT_MS } from '../../src/handler/write-slots';
import { LocalCloud } from '../support/local-cloud';
import { useLocalCloudPerFile } from './support/suite';
import { writeModelPackage } from '../support/package-fixture';
import { FAST, importOf, rejectionOf, synthApp, synthImport } from './support/import-app';

let cloud: LocalCloud;
useLocalCloudPerFile((started) => { cloud = started; });

/** The handler's "call retried" lines of one operation: attempts and the waits the SDK's strategy decided. */
function retriesOf(operation: string): Array<{ attempts: number; retryDelayMs: number }> {
  return cloud.handlerLines.map((line) => JSON.parse(line)).filter((line) => line.step === 'call retried' && line.operation === operation);
}

test('a FAILED job fails the deployment with the job\'s StatusMessage', async () => {
  // GIVEN a service whose next job fails with a message
  cloud.emulator.setJobOutcome('fail', { message: 'Model artifact is corrupt (injected)', count: 1 });

  // WHEN the app is deployed
  const error = await rejectionOf(cloud.deploy(synthImport({ fixture: writeModelPackage() })));

  // THEN the deployment failed on the import, naming the job and quoting the service
  const jobs = cloud.emulator.jobs();
  expect(jobs).toHaveLength(1);
  expect(error.message).toContain(`Panorama import job ${jobs[0].jobId} FAILED: Model artifact is corrupt (injected)`);
  expect(error.message).toMatch(/Model\w+ \(Custom::PanoramaPackageImport\) CREATE_FAILED/);
  expect(importOf(error.result!)).toMatchObject({ status: 'CREATE_FAILED', physicalId: jobs[0].jobId });
});

test('a job stuck in PENDING fails the deployment at totalTimeout, the polls every 0.1 s for a second (the emulator meters no read), then backing off to queryInterval', async () => {
  // GIVEN a service whose jobs never leave PENDING and which enforces no quota, and an import that waits 3 s, asking every second
  cloud.emulator.setJobOutcome('pending', { count: 1 });
  const assembly = synthImport({ fixture: writeModelPackage(), queryInterval: Duration.seconds(1), totalTimeout: Duration.seconds(3) });

  // WHEN the app is deployed
  const error = await rejectionOf(cloud.deploy(assembly));

  // THEN it failed with the framework's timeout, saying which resource and how long it waited
  expect(error.message).toMatch(/Model\w+ \(Custom::PanoramaPackageImport\) CREATE_FAILED: Operation timed out/);
  expect(error.message).toContain('totalTimeout 3 s');
  // AND isComplete asked at once and again after each wait the runner decided, ending at the 3 s totalTimeout
  const polls = cloud.progress.filter((line) => /^create Model\w+ \(Custom::PanoramaPackageImport\): isComplete: not yet/.test(line));
  const waits = [...Array(10).fill('0.1'), '0.2', '0.4', '0.8', '0.6'];
  expect(polls.map((line) => line.replace(/^.*: (isComplete: )/, '$1'))).toEqual([
    ...waits.map((wait, i) => `isComplete: not yet (${i + 1}), asking again in ${wait} s`),
    'isComplete: not yet (15)',
  ]);
  // AND each of those asks described the job, after onEvent's own look at it, except those within
  // REREAD_AFTER_MS of that look (the first two at most: the third comes 0.2 s after the first)
  const [job] = cloud.emulator.jobs();
  expect(job.status).toBe('PENDING');
  const reads = cloud.emulator.callsOf('DescribePackageImportJob').filter((r) => r.path.endsWith(job.jobId)).length;
  expect(reads).toBeGreaterThanOrEqual(1 + 13);
  expect(reads).toBeLessThanOrEqual(1 + 15);
});

test('throttled CreatePackageImportJob calls are sent again, each in a new write slot, until the deployment succeeds', async () => {
  // GIVEN a service enforcing its write quota (so the imports pace their writes), which throttles the next two CreatePackageImportJob calls
  cloud.emulator.setRateLimits(true);
  cloud.emulator.failNext('CreatePackageImportJob', 2, { errorType: 'ThrottlingException' });

  // WHEN the app is deployed
  const result = await cloud.deploy(synthImport({ fixture: writeModelPackage() }));
  cloud.emulator.setRateLimits(false);

  // THEN it succeeded on the third attempt, after the two refusals, with one job
  expect(importOf(result).status).toBe('CREATE_COMPLETE');
  expect(cloud.emulator.callsOf('CreatePackageImportJob').map((c) => c.status)).toEqual([429, 429, 200]);
  expect(cloud.emulator.jobs()).toHaveLength(1);
  // AND the handler logged why it sent it again, and each send's slot: the first at once (the
  // ledger was empty), each later one at most two slots on (the first send held two)
  const steps = cloud.handlerLines.map((line) => JSON.parse(line)).filter((line) => line.operation === 'CreatePackageImportJob');
  expect(steps.filter((line) => line.step === 'write refused as busy: sending it again in a new slot').map((line) => [line.attempt, line.reason]))
    .toEqual([[1, 'ThrottlingException'], [2, 'ThrottlingException']]);
  const slots = steps.filter((line) => line.step === 'write slot reserved');
  expect(slots.map((line) => line.attempt)).toEqual([1, 2, 3]);
  expect(slots[0].waitMs).toBe(0);
  for (const slot of slots) expect(slot.waitMs).toBeLessThanOrEqual(2 * WRITE_SLOT_MS);
  // AND the SDK itself retried none of them (the ledger paces the writes)
  expect(retriesOf('CreatePackageImportJob')).toEqual([]);
});

test('with no write quota to pace for (the emulator\'s rate limits off), an import sends its job at once, without a write slot', async () => {
  // GIVEN a service that enforces no quota
  // WHEN an app with one import is deployed
  const result = await cloud.deploy(synthImport({ fixture: writeModelPackage() }));

  // THEN it succeeded with one job, whose write reserved no slot
  expect(importOf(result).status).toBe('CREATE_COMPLETE');
  expect(cloud.emulator.callsOf('CreatePackageImportJob').map((c) => c.status)).toEqual([200]);
  const steps = cloud.handlerLines.map((line) => JSON.parse(line));
  expect(steps.filter((line) => line.step === 'write slot reserved')).toEqual([]);
  expect(steps.filter((line) => line.step === 'import job started')).toHaveLength(1);
});

test('500s with Retry-After are retried after the time the service asked for', async () => {
  // GIVEN a service that answers the next two DescribePackage calls with a 500 and Retry-After: 1
  cloud.emulator.failNext('DescribePackage', 2, { errorType: 'InternalServerException', retryAfterSeconds: 1 });

  // WHEN the app is deployed
  const result = await cloud.deploy(synthImport({ fixture: writeModelPackage() }));

  // THEN it succeeded on the third attempt
  expect(importOf(result).status).toBe('CREATE_COMPLETE');
  expect(cloud.emulator.callsOf('DescribePackage').map((c) => c.status)).toEqual([500, 500, 200]);
  // AND the SDK decided to wait the second the service asked for before each retry: its own
  // backoff (under 50 ms, then 100 ms) is shorter, so Retry-After decides, less the few ms
  // between reading the header and deciding, and never more than the second asked for
  const retries = retriesOf('DescribePackage');
  expect(retries).toHaveLength(1);
  expect(retries[0].attempts).toBe(3);
  expect(retries[0].retryDelayMs).toBeGreaterThanOrEqual(2 * 750);
  expect(retries[0].retryDelayMs).toBeLessThanOrEqual(2 * 1000);
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
