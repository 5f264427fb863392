/**
 * The two handlers run from their sources (so coverage sees them) against the Panorama emulator
 * and s3rver, reached the way Lambda reaches AWS: through the standard endpoint variables. Each
 * test hands them CloudFormation's events one by one, as the Provider framework would. The
 * bundled handlers are exercised end to end by test/e2e and test/reliability.
 */
import { createHash } from 'crypto';
import { DeletePackageCommand, DeregisterPackageVersionCommand } from '@aws-sdk/client-panorama';
import { CreateBucketCommand, DeleteObjectsCommand, ListObjectsV2Command, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import * as awsClients from '../../src/handler/aws-clients';
import { readBucketManifest } from '../../src/handler/bucket-manifest';
import { handler as isComplete, REREAD_AFTER_MS } from '../../src/handler/is-complete.lambda';
import { handler as onEvent } from '../../src/handler/on-event.lambda';
import { FrameworkEvent, PENDING_JOB_ID, PENDING_JOB_READ_AT } from '../../src/handler/types';
import { WRITE_SLOTS_FOLDER } from '../../src/handler/write-slots';
import { Harness, manifestFor } from '../emulator/harness';
import { modelDescriptor } from '../support/node-packages';

const STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/HandlerStack/5a2c7d30-0000-0000-0000-000000000000';
const ASSETS = 'handler-assets';
const STAGING = 'handler-staging';
const ENVIRONMENT = ['AWS_ENDPOINT_URL_PANORAMA', 'AWS_ENDPOINT_URL_S3', 'AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_EC2_METADATA_DISABLED'];

let harness: Harness;
let savedEnvironment: Record<string, string | undefined>;
/** What the handlers logged in the current test, one parsed JSON line each. */
let logged: Array<Record<string, unknown>>;

beforeAll(async () => {
  harness = await Harness.start();
  await harness.s3.send(new CreateBucketCommand({ Bucket: ASSETS }));
  await harness.s3.send(new CreateBucketCommand({ Bucket: STAGING }));
  savedEnvironment = Object.fromEntries(ENVIRONMENT.map((name) => [name, process.env[name]]));
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_PANORAMA: harness.emulator.endpoint,
    AWS_ENDPOINT_URL_S3: harness.s3Server.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIAHANDLERTEST00000',
    AWS_SECRET_ACCESS_KEY: 'handler-test',
    AWS_EC2_METADATA_DISABLED: 'true',
  });
});
afterAll(async () => {
  for (const [name, value] of Object.entries(savedEnvironment)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await harness.stop();
});
beforeEach(async () => {
  // Each test starts from an empty emulator and an empty staging bucket.
  harness.emulator.reset();
  const leftovers = (await harness.s3.send(new ListObjectsV2Command({ Bucket: STAGING }))).Contents ?? [];
  if (leftovers.length > 0) {
    await harness.s3.send(new DeleteObjectsCommand({ Bucket: STAGING, Delete: { Objects: leftovers.map((o) => ({ Key: o.Key! })) } }));
  }
  logged = [];
  jest.spyOn(console, 'log').mockImplementation((line: string) => void logged.push(JSON.parse(line)));
});
afterEach(() => jest.restoreAllMocks());

/** Uploads a package's manifest and files as CDK file assets; returns the custom resource's properties. */
async function filesPackage(options: { name?: string; variant?: string; removalPolicy?: 'retain' | 'destroy'; tags?: Record<string, string> } = {}): Promise<Record<string, unknown>> {
  const name = options.name ?? 'HANDLER_PKG';
  const files: Array<[string, string]> = [
    ['package.json', JSON.stringify(manifestFor({ name, version: '1.0', variant: options.variant }))],
    ['model.tar.gz', `weights of ${name}`],
    ['descriptor.json', JSON.stringify(modelDescriptor())],
  ];
  const staged = [];
  for (const [fileName, content] of files) {
    const key = `${createHash('sha256').update(content).digest('hex')}.${fileName.split('.').pop()}`;
    await harness.s3.send(new PutObjectCommand({ Bucket: ASSETS, Key: key, Body: content }));
    staged.push({ Name: fileName, Bucket: ASSETS, Key: key });
  }
  return {
    ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:framework-onEvent',
    PackageName: name,
    PackageVersion: '1.0',
    MarkLatest: 'true',
    JobType: 'NODE_PACKAGE_VERSION',
    RemovalPolicy: options.removalPolicy ?? 'retain',
    ...(options.tags ? { Tags: options.tags } : {}),
    Source: {
      Type: 'Files',
      ContentHash: createHash('sha256').update(JSON.stringify(staged)).digest('hex'),
      ManifestName: 'package.json',
      Files: staged,
    },
    Staging: { Bucket: STAGING, Prefix: 'imports/' },
  };
}

function event(requestType: FrameworkEvent['RequestType'], properties: Record<string, unknown>, more: Partial<FrameworkEvent> = {}): FrameworkEvent {
  return {
    RequestType: requestType,
    StackId: STACK_ID,
    RequestId: `request-${Math.random().toString(36).slice(2)}`,
    LogicalResourceId: 'Model',
    ResourceType: 'Custom::PanoramaPackageImport',
    ResourceProperties: properties,
    ...more,
  };
}

/** Runs onEvent then isComplete until complete, as the framework does; returns isComplete's answer. */
async function deploy(request: FrameworkEvent): Promise<{ PhysicalResourceId?: string; Data?: Record<string, string> }> {
  const started = await onEvent(request);
  const polled = { ...request, PhysicalResourceId: started.PhysicalResourceId ?? request.RequestId, Data: started.Data };
  await harness.emulator.whenJobsSettled();
  await pastReread(started.Data);
  const done = await isComplete(polled);
  expect(done.IsComplete).toBe(true);
  return done;
}

/** Waits until isComplete reads again a job onEvent read PENDING (REREAD_AFTER_MS after that read). */
async function pastReread(data: Record<string, string> | undefined): Promise<void> {
  const readAt = Number(data?.[PENDING_JOB_READ_AT]);
  // A timer may fire a millisecond early by Date.now(): wait until the clock itself says so.
  while (Date.now() < readAt + REREAD_AFTER_MS) await new Promise((resolve) => setTimeout(resolve, readAt + REREAD_AFTER_MS - Date.now() + 1));
}

/** The staged files (the write-slot ledger beside them is not staged content). */
async function stagedKeys(): Promise<string[]> {
  const listed = await harness.s3.send(new ListObjectsV2Command({ Bucket: STAGING }));
  return (listed.Contents ?? []).map((o) => o.Key!).filter((key) => !key.startsWith(`imports/${WRITE_SLOTS_FOLDER}`));
}

function registeredPatches(): string[] {
  return harness.emulator.packages().flatMap((pkg) => pkg.versions.filter((v) => v.registered).map((v) => v.patchVersion));
}

describe('Create', () => {
  test('stages the files, starts one job, is not complete while it is PENDING, then hands back the package', async () => {
    // GIVEN a package uploaded as assets, and a service whose next job stays PENDING
    const properties = await filesPackage();
    harness.emulator.setJobOutcome('pending', { count: 1 });

    // WHEN onEvent handles the Create and isComplete asks
    const started = await onEvent(event('Create', properties));
    const jobId = started.PhysicalResourceId!;
    const pending = await isComplete(event('Create', properties, { PhysicalResourceId: jobId, Data: started.Data }));

    // THEN one job was started with the staged manifest, its id is the physical id, and it is not complete
    const jobs = harness.emulator.jobs();
    expect(jobs.map((j) => j.jobId)).toEqual([jobId]);
    expect(started.Data).toEqual({ [PENDING_JOB_ID]: jobId, [PENDING_JOB_READ_AT]: expect.stringMatching(/^\d+$/) });
    expect(jobs[0].request.InputConfig.PackageVersionInputConfig.S3Location).toEqual({
      BucketName: STAGING, ObjectKey: expect.stringMatching(/^imports\/[0-9a-f]{16}\/[0-9a-f]{32}\/package\.json$/), Region: 'us-east-1',
    });
    expect(pending).toEqual({ IsComplete: false });
    // AND the files are staged under the manifest's names while the job has not read them
    expect((await stagedKeys()).map((key) => key.split('/').pop()).sort()).toEqual(['descriptor.json', 'model.tar.gz', 'package.json']);
  });

  test('isComplete does not read a job onEvent has just read PENDING, and reads it once that read is REREAD_AFTER_MS old', async () => {
    // GIVEN a job held PENDING, started by onEvent (which read it PENDING at a time it hands on)
    const properties = await filesPackage();
    harness.emulator.setJobOutcome('pending', { count: 1 });
    const started = await onEvent(event('Create', properties));
    const readAt = Number(started.Data![PENDING_JOB_READ_AT]);
    const polled = event('Create', properties, { PhysicalResourceId: started.PhysicalResourceId, Data: started.Data });
    const reads = () => harness.emulator.callsOf('DescribePackageImportJob').length;
    const readByOnEvent = reads();

    // WHEN isComplete is asked at once, then once the read is REREAD_AFTER_MS old
    jest.spyOn(Date, 'now').mockReturnValue(readAt + REREAD_AFTER_MS - 1);
    const atOnce = await isComplete(polled);
    const readsAtOnce = reads() - readByOnEvent;
    jest.spyOn(Date, 'now').mockReturnValue(readAt + REREAD_AFTER_MS);
    const later = await isComplete(polled);

    // THEN neither is complete; the first sent no request, the second read the job
    expect([atOnce, later]).toEqual([{ IsComplete: false }, { IsComplete: false }]);
    expect(readsAtOnce).toBe(0);
    expect(reads() - readByOnEvent).toBe(1);
    expect(logged).toContainEqual(expect.objectContaining({ step: 'job read PENDING moments ago: not read again yet', sinceReadMs: REREAD_AFTER_MS - 1 }));
  });

  test('once the job succeeded: the attributes, and no staged file left', async () => {
    // GIVEN a package uploaded as assets
    const properties = await filesPackage();

    // WHEN it is created
    const done = await deploy(event('Create', properties));

    // THEN the attributes are Panorama's own, and the staging prefix is empty
    const [job] = harness.emulator.jobs();
    const [pkg] = harness.emulator.packages();
    expect(done.PhysicalResourceId).toBe(job.jobId);
    expect(done.Data).toEqual({
      'PackageArn': pkg.arn,
      'PackageId': pkg.packageId,
      'PackageName': 'HANDLER_PKG',
      'PackageVersion': '1.0',
      'PatchVersion': job.output!.PatchVersion,
      'ImportJobId': job.jobId,
      'StorageLocation.Bucket': pkg.storageLocation.Bucket,
      'StorageLocation.RepoPrefixLocation': pkg.storageLocation.RepoPrefixLocation,
      'StorageLocation.GeneratedPrefixLocation': pkg.storageLocation.GeneratedPrefixLocation,
      'StorageLocation.BinaryPrefixLocation': pkg.storageLocation.BinaryPrefixLocation,
      'StorageLocation.ManifestPrefixLocation': pkg.storageLocation.ManifestPrefixLocation,
    });
    expect(await stagedKeys()).toEqual([]);
  });

  test('a FAILED job fails isComplete with the job id and the service\'s message, and its staged files are deleted', async () => {
    // GIVEN a service whose next job fails
    const properties = await filesPackage();
    harness.emulator.setJobOutcome('fail', { message: 'Model compilation failed (injected)', count: 1 });
    // onEvent describes the job right after starting it, and the emulator may fail it within its 5 ms
    // first (the more so with the CPU loaded): that one describe is refused, so onEvent cannot see the
    // failure and chain a token (the chained-token test checks that path).
    harness.emulator.failNext('DescribePackageImportJob', 1, { errorType: 'AccessDeniedException' });

    // WHEN the Create is handled
    const started = await onEvent(event('Create', properties));
    await harness.emulator.whenJobsSettled();
    const polled = isComplete(event('Create', properties, { PhysicalResourceId: started.PhysicalResourceId, Data: started.Data }));

    // THEN isComplete throws naming the job and quoting the service
    await expect(polled).rejects.toThrow(`Panorama import job ${started.PhysicalResourceId} FAILED: Model compilation failed (injected)`);
    expect(await stagedKeys()).toEqual([]);
  });

  test('a refused CreatePackageImportJob fails onEvent naming the error, and deletes what it staged', async () => {
    // GIVEN a service that refuses the import
    const properties = await filesPackage();
    harness.emulator.failNext('CreatePackageImportJob', 1, { errorType: 'AccessDeniedException', message: 'not allowed (injected)' });

    // WHEN the Create is handled / THEN it fails with the error's name in the reason
    await expect(onEvent(event('Create', properties))).rejects.toThrow('AccessDeniedException: not allowed (injected)');
    // AND no job exists and the staging prefix is empty again
    expect(harness.emulator.jobs()).toEqual([]);
    expect(await stagedKeys()).toEqual([]);
  });

  test('properties the handler cannot read fail onEvent naming every broken rule', async () => {
    // GIVEN properties with an invalid name and removal policy
    const properties = { ...(await filesPackage()), PackageName: 'bad name', RemovalPolicy: 'snapshot' };
    // WHEN / THEN
    await expect(onEvent(event('Create', properties))).rejects.toThrow(/packageName: "bad name" must match[\s\S]*removalPolicy: "snapshot" must be "retain" or "destroy"/);
  });

  test('a job whose token names a FAILED job is started again under a token chained to it', async () => {
    // GIVEN a Create whose job failed after onEvent had returned. onEvent describes the job right
    // after starting it, and the emulator may fail it within its 5 ms first: that one describe is
    // refused, so this first Create cannot see the failure and chain a token itself.
    const properties = await filesPackage();
    harness.emulator.setJobOutcome('fail', { message: 'first attempt fails (injected)', count: 1 });
    harness.emulator.failNext('DescribePackageImportJob', 1, { errorType: 'AccessDeniedException' });
    const failed = await onEvent(event('Create', properties));
    await harness.emulator.whenJobsSettled();

    // WHEN the same content is created again (a new deployment: same stack, resource and request)
    const retried = await onEvent(event('Create', properties));

    // THEN the first token found the failed job, and a second token, derived from it, started a new one
    expect(retried.PhysicalResourceId).not.toBe(failed.PhysicalResourceId);
    const tokens = harness.emulator.callsOf('CreatePackageImportJob').map((r) => (r.body as { ClientToken: string }).ClientToken);
    expect(tokens).toHaveLength(3);
    expect(tokens[1]).toBe(tokens[0]);
    expect(tokens[2]).toBe(createHash('sha256').update(`${tokens[0]}/${failed.PhysicalResourceId}`).digest('hex'));
    expect(logged).toContainEqual({ step: 'token names a failed job: starting a new one', jobId: failed.PhysicalResourceId });
  });

  test('a job that fails before onEvent describes it is this Create\'s own job: no second job is started', async () => {
    // GIVEN a service whose next job fails, and whose describe answers only after that job has settled
    const properties = await filesPackage();
    harness.emulator.setJobOutcome('fail', { message: 'fails at once (injected)', count: 1 });
    harness.emulator.addLatency('DescribePackageImportJob', 200);

    // WHEN the Create is handled
    const started = await onEvent(event('Create', properties));

    // THEN its id is the one job started, which failed
    await harness.emulator.whenJobsSettled();
    expect(harness.emulator.callsOf('CreatePackageImportJob')).toHaveLength(1);
    expect(harness.emulator.jobs().map((job) => [job.jobId, job.status])).toEqual([[started.PhysicalResourceId, 'FAILED']]);
  });

  test('a started job that cannot be described still gives the Create its id; isComplete asks again', async () => {
    // GIVEN a service that refuses the DescribePackageImportJob onEvent makes right after starting the job
    const properties = await filesPackage();
    harness.emulator.failNext('DescribePackageImportJob', 1, { errorType: 'AccessDeniedException' });

    // WHEN the Create is handled
    const started = await onEvent(event('Create', properties));

    // THEN the job's id is the physical id (so a Delete will come to remove what it registers)
    expect(started.PhysicalResourceId).toBe(harness.emulator.jobs()[0].jobId);
    expect(logged).toContainEqual({ step: 'import job not described', jobId: started.PhysicalResourceId, reason: 'AccessDeniedException' });
  });

  test('a folder source without PackageName (which the construct always sets) fails before any job', async () => {
    // GIVEN properties without PackageName
    const { PackageName: _name, ...properties } = await filesPackage();
    // WHEN / THEN
    await expect(onEvent(event('Create', properties))).rejects.toThrow('PackageName and PackageVersion are set by the construct for a folder source');
    expect(harness.emulator.jobs()).toEqual([]);
  });

  test('an unknown RequestType is refused', async () => {
    // GIVEN / WHEN an event no framework sends / THEN
    await expect(onEvent(event('Replace' as any, await filesPackage()))).rejects.toThrow('Unknown RequestType "Replace"');
  });
});

describe('isComplete when Panorama is busy', () => {
  /** A created import whose job has ended, clients that give up after one attempt, and a way to ask isComplete about it. */
  async function createdWithoutRetries() {
    const properties = await filesPackage();
    const started = await onEvent(event('Create', properties));
    await harness.emulator.whenJobsSettled();
    await pastReread(started.Data);
    const realClient = awsClients.panoramaClient;
    jest.spyOn(awsClients, 'panoramaClient').mockImplementation(() => realClient(1));
    const poll = () => isComplete(event('Create', properties, { PhysicalResourceId: started.PhysicalResourceId, Data: started.Data }));
    return { started, poll };
  }

  test('a throttled look at the job past the SDK\'s retries answers "not yet", and the next poll completes', async () => {
    // GIVEN a created import, clients that give up after one attempt, and a throttled DescribePackageImportJob
    const { started, poll } = await createdWithoutRetries();
    harness.emulator.failNext('DescribePackageImportJob', 1, { errorType: 'ThrottlingException' });

    // WHEN isComplete is asked twice
    const busy = await poll();
    const done = await poll();

    // THEN the first answer is "not yet", logged as such, and the second completes
    expect(busy).toEqual({ IsComplete: false });
    expect(logged).toContainEqual({ step: 'busy: asking again at the next poll', reason: 'ThrottlingException' });
    expect(done).toMatchObject({ IsComplete: true, PhysicalResourceId: started.PhysicalResourceId });
  });

  test('a 500 past the retries is "not yet" as well; a refusal is not', async () => {
    // GIVEN a created import and clients that give up after one attempt
    const { poll } = await createdWithoutRetries();

    // WHEN DescribePackage answers a 500, then an AccessDenied
    harness.emulator.failNext('DescribePackage', 1, { errorType: 'InternalServerException', retryAfterSeconds: 0 });
    const busy = await poll();
    harness.emulator.failNext('DescribePackage', 1, { errorType: 'AccessDeniedException', message: 'no describe (injected)' });
    const refused = poll();

    // THEN the 500 is "not yet" and the refusal fails isComplete with its name
    expect(busy).toEqual({ IsComplete: false });
    await expect(refused).rejects.toThrow('AccessDeniedException: no describe (injected)');
  });
});

describe('Update', () => {
  test('tags alone: no job, the package retagged in place, the physical id kept', async () => {
    // GIVEN an import created with two tags
    const before = await filesPackage({ tags: { team: 'vision', stage: 'dev' } });
    const created = await deploy(event('Create', before));
    const after = { ...before, Tags: { team: 'vision', owner: 'ml' } };

    // WHEN only the tags change
    const updated = await onEvent(event('Update', after, { PhysicalResourceId: created.PhysicalResourceId, OldResourceProperties: before }));

    // THEN no job was started, one untag and one tag call were made, and the package has the new tags
    expect(updated).toEqual({ PhysicalResourceId: created.PhysicalResourceId });
    expect(harness.emulator.jobs()).toHaveLength(1);
    expect(harness.emulator.callsOf('UntagResource').map((r) => r.query)).toEqual([{ tagKeys: 'stage' }]);
    expect(harness.emulator.callsOf('TagResource').map((r) => r.body)).toEqual([{ Tags: { owner: 'ml' } }]);
    expect(harness.emulator.packages()[0].tags).toEqual({ team: 'vision', owner: 'ml' });
  });

  test('tags alone, on a resource whose job registered nothing: no call but the look at the job', async () => {
    // GIVEN a resource whose job failed (kept by a deployment without rollback)
    const before = await filesPackage({ tags: { team: 'vision' } });
    harness.emulator.setJobOutcome('fail', { count: 1 });
    // onEvent describes the job right after starting it, and the emulator may fail it within its 5 ms
    // first (the more so with the CPU loaded): that one describe is refused, so onEvent cannot see the
    // failure and chain a token (the chained-token test checks that path).
    harness.emulator.failNext('DescribePackageImportJob', 1, { errorType: 'AccessDeniedException' });
    const started = await onEvent(event('Create', before));
    await harness.emulator.whenJobsSettled();
    harness.emulator.requests.length = 0;

    // WHEN only the tags change
    await onEvent(event('Update', { ...before, Tags: { team: 'other' } }, { PhysicalResourceId: started.PhysicalResourceId, OldResourceProperties: before }));

    // THEN nothing was tagged, and the log says why
    expect(harness.emulator.requests.map((r) => r.operation)).toEqual(['DescribePackageImportJob']);
    expect(logged).toContainEqual({ step: 'tags not applied: no package registered by this resource', jobId: started.PhysicalResourceId });
  });

  test('nothing that matters changed: no Panorama call at all', async () => {
    // GIVEN an import
    const properties = await filesPackage();
    const created = await deploy(event('Create', properties));
    harness.emulator.requests.length = 0;

    // WHEN an Update comes with MarkLatest changed only
    const updated = await onEvent(event('Update', { ...properties, MarkLatest: 'false' }, { PhysicalResourceId: created.PhysicalResourceId, OldResourceProperties: properties }));

    // THEN the physical id is kept and Panorama was not called
    expect(updated).toEqual({ PhysicalResourceId: created.PhysicalResourceId });
    expect(harness.emulator.requests).toEqual([]);
  });

  test('old properties that no longer read count as a change: a new job is started', async () => {
    // GIVEN an import, and old properties an older construct wrote in a shape this one refuses
    const properties = await filesPackage();
    const created = await deploy(event('Create', properties));
    const unreadable = { ...properties, Source: { Type: 'Legacy' } };

    // WHEN the Update is handled
    const updated = await onEvent(event('Update', properties, { PhysicalResourceId: created.PhysicalResourceId, OldResourceProperties: unreadable }));

    // THEN it says why, keeps the physical id and starts the import again (the same token finds the same job)
    expect(logged).toContainEqual(expect.objectContaining({ step: 'properties unreadable', reason: expect.stringContaining('Source.Type: "Legacy" must be "Files" or "Bucket"') }));
    expect(updated).toEqual({ PhysicalResourceId: created.PhysicalResourceId, Data: { [PENDING_JOB_ID]: created.PhysicalResourceId } });
    expect(harness.emulator.callsOf('CreatePackageImportJob')).toHaveLength(2);
    expect(harness.emulator.jobs()).toHaveLength(1);
  });

  test('an Update whose job registered the same patch keeps the physical id: the live patch is never handed over', async () => {
    // GIVEN an import under DESTROY, and new properties whose staged files differ but whose manifest does not
    const before = await filesPackage({ removalPolicy: 'destroy' });
    const created = await deploy(event('Create', before));
    const after = { ...before, Source: { ...(before.Source as object), ContentHash: 'f'.repeat(64) } };

    // WHEN the Update runs to completion
    const done = await deploy(event('Update', after, { PhysicalResourceId: created.PhysicalResourceId, OldResourceProperties: before }));

    // THEN a second job registered the same patch, and the resource kept the first job as its id
    const jobs = harness.emulator.jobs();
    expect(jobs).toHaveLength(2);
    expect(jobs[1].output!.PatchVersion).toBe(jobs[0].output!.PatchVersion);
    expect(done.PhysicalResourceId).toBe(created.PhysicalResourceId);
    expect(registeredPatches()).toEqual([jobs[0].output!.PatchVersion]);
  });

  test('an Update whose former job can no longer be described takes the new job as its id', async () => {
    // GIVEN an import whose current physical id names no job the service knows (e.g. an id from before a move)
    const before = await filesPackage({ variant: 'v1' });
    const after = await filesPackage({ variant: 'v2' });

    // WHEN new content is deployed over it
    const done = await deploy(event('Update', after, { PhysicalResourceId: 'packageImportJob-unknown', OldResourceProperties: before }));

    // THEN the new job owns the resource
    expect(done.PhysicalResourceId).toBe(harness.emulator.jobs()[0].jobId);
  });

  test('an Update whose job registered a new patch takes the new job as its id', async () => {
    // GIVEN an import
    const before = await filesPackage({ removalPolicy: 'destroy', variant: 'v1' });
    const created = await deploy(event('Create', before));
    const after = await filesPackage({ removalPolicy: 'destroy', variant: 'v2' });

    // WHEN new content is deployed
    const done = await deploy(event('Update', after, { PhysicalResourceId: created.PhysicalResourceId, OldResourceProperties: before }));

    // THEN the new job owns the resource (CloudFormation then deletes the old id with the old properties)
    const jobs = harness.emulator.jobs();
    expect(jobs).toHaveLength(2);
    expect(done.PhysicalResourceId).toBe(jobs[1].jobId);
    expect(registeredPatches()).toHaveLength(2);
  });

  test('an Update under DESTROY whose package cannot be described removes the patch its job registered', async () => {
    // GIVEN an import under DESTROY, new content, and a service that refuses to describe the package
    const before = await filesPackage({ removalPolicy: 'destroy', variant: 'v1' });
    const created = await deploy(event('Create', before));
    const after = await filesPackage({ removalPolicy: 'destroy', variant: 'v2' });
    const started = await onEvent(event('Update', after, { PhysicalResourceId: created.PhysicalResourceId, OldResourceProperties: before }));
    await harness.emulator.whenJobsSettled();
    await pastReread(started.Data);
    harness.emulator.failNext('DescribePackage', 1, { errorType: 'AccessDeniedException', message: 'no describe (injected)' });

    // WHEN isComplete fails on it
    const polled = isComplete(event('Update', after, { PhysicalResourceId: created.PhysicalResourceId, Data: started.Data, OldResourceProperties: before }));

    // THEN the Update fails, and only the original patch is still registered (the rollback keeps it)
    await expect(polled).rejects.toThrow('AccessDeniedException: no describe (injected)');
    const jobs = harness.emulator.jobs();
    expect(registeredPatches()).toEqual([jobs[0].output!.PatchVersion]);
  });
});

describe('Delete', () => {
  test('under DESTROY: the patch is deregistered and the empty package deleted', async () => {
    // GIVEN an import under DESTROY
    const properties = await filesPackage({ removalPolicy: 'destroy' });
    const created = await deploy(event('Create', properties));

    // WHEN it is deleted
    const deleted = await onEvent(event('Delete', properties, { PhysicalResourceId: created.PhysicalResourceId }));
    const done = await isComplete(event('Delete', properties, { PhysicalResourceId: created.PhysicalResourceId }));

    // THEN the id is unchanged, nothing is left, and isComplete had nothing more to do
    expect(deleted).toEqual({ PhysicalResourceId: created.PhysicalResourceId });
    expect(done).toEqual({ IsComplete: true });
    expect(harness.emulator.packages()).toEqual([]);
  });

  test('under RETAIN: no Panorama write, the version stays registered', async () => {
    // GIVEN an import under RETAIN
    const properties = await filesPackage();
    const created = await deploy(event('Create', properties));
    harness.emulator.requests.length = 0;

    // WHEN it is deleted
    await onEvent(event('Delete', properties, { PhysicalResourceId: created.PhysicalResourceId }));

    // THEN Panorama was not called and the patch is registered
    expect(harness.emulator.requests).toEqual([]);
    expect(registeredPatches()).toHaveLength(1);
    expect(logged).toContainEqual({ step: 'package version retained', physicalResourceId: created.PhysicalResourceId });
  });

  test('properties that no longer read, under DESTROY: the patch is removed all the same, and the reason logged', async () => {
    // GIVEN an import under DESTROY, deleted with properties this handler refuses (another construct version)
    const properties = await filesPackage({ removalPolicy: 'destroy' });
    const created = await deploy(event('Create', properties));
    const unreadable = { ...properties, Source: { Type: 'Legacy' } };

    // WHEN it is deleted
    await onEvent(event('Delete', unreadable, { PhysicalResourceId: created.PhysicalResourceId }));

    // THEN the removal policy still applied: nothing is registered, no package is left
    expect(logged).toContainEqual(expect.objectContaining({ step: 'properties unreadable' }));
    expect(registeredPatches()).toEqual([]);
    expect(harness.emulator.packages()).toEqual([]);
  });

  test('properties that no longer read and name no removal policy: the package is retained, and it says so', async () => {
    // GIVEN an import, deleted with properties that say nothing readable
    const properties = await filesPackage({ removalPolicy: 'destroy' });
    const created = await deploy(event('Create', properties));

    // WHEN it is deleted
    await onEvent(event('Delete', { Source: { Type: 'Legacy' } }, { PhysicalResourceId: created.PhysicalResourceId }));

    // THEN the version is kept, and both the unreadable properties and the retention are logged
    expect(registeredPatches()).toHaveLength(1);
    expect(logged.map((line) => line.step)).toEqual(expect.arrayContaining(['properties unreadable', 'package version retained']));
  });

  test('of a Create that started no job, under DESTROY: nothing to remove', async () => {
    // GIVEN a physical id that names no job (the framework's default for a Create without one)
    const properties = await filesPackage({ removalPolicy: 'destroy' });
    // WHEN deleted / THEN it succeeds, saying there was nothing to remove
    await expect(onEvent(event('Delete', properties, { PhysicalResourceId: 'request-without-job' }))).resolves.toEqual({ PhysicalResourceId: 'request-without-job' });
    expect(logged).toContainEqual({ step: 'nothing to remove', jobId: 'request-without-job', reason: 'ValidationException' });
  });

  test('under DESTROY, what is already gone is fine: a deregistered patch, a deleted package', async () => {
    // GIVEN an import under DESTROY whose patch and package were removed out of band
    const properties = await filesPackage({ removalPolicy: 'destroy' });
    const created = await deploy(event('Create', properties));
    const [pkg] = harness.emulator.packages();
    const panorama = harness.panorama();
    await panorama.send(new DeregisterPackageVersionCommand({ PackageId: pkg.packageId, PackageVersion: '1.0', PatchVersion: pkg.versions[0].patchVersion }));
    await panorama.send(new DeletePackageCommand({ PackageId: pkg.packageId, ForceDelete: true }));

    // WHEN the resource is deleted / THEN it succeeds, saying what was already gone
    await expect(onEvent(event('Delete', properties, { PhysicalResourceId: created.PhysicalResourceId }))).resolves.toEqual({ PhysicalResourceId: created.PhysicalResourceId });
    expect(logged.map((line) => line.step)).toEqual(expect.arrayContaining(['patch version already gone', 'package already gone']));
  });

  test('under DESTROY, a job that registered nothing leaves nothing to remove', async () => {
    // GIVEN a Create whose job failed
    const properties = await filesPackage({ removalPolicy: 'destroy' });
    harness.emulator.setJobOutcome('fail', { count: 1 });
    // onEvent describes the job right after starting it, and the emulator may fail it within its 5 ms
    // first (the more so with the CPU loaded): that one describe is refused, so onEvent cannot see the
    // failure and chain a token (the chained-token test checks that path).
    harness.emulator.failNext('DescribePackageImportJob', 1, { errorType: 'AccessDeniedException' });
    const started = await onEvent(event('Create', properties));
    await harness.emulator.whenJobsSettled();

    // WHEN it is deleted / THEN nothing is deregistered
    await onEvent(event('Delete', properties, { PhysicalResourceId: started.PhysicalResourceId }));
    expect(harness.emulator.callsOf('DeregisterPackageVersion')).toEqual([]);
    expect(logged).toContainEqual({ step: 'nothing to remove', jobId: started.PhysicalResourceId, status: 'FAILED' });
  });

  test.each([
    ['DescribePackageImportJob'],
    ['DeregisterPackageVersion'],
    ['DeletePackage'],
  ])('under DESTROY, a refused %s fails the Delete rather than orphan the version', async (operation) => {
    // GIVEN an import under DESTROY and a service that refuses one step of the removal
    const properties = await filesPackage({ removalPolicy: 'destroy' });
    const created = await deploy(event('Create', properties));
    harness.emulator.failNext(operation, 1, { errorType: 'AccessDeniedException', message: 'refused (injected)' });

    // WHEN the resource is deleted / THEN the Delete fails naming the error (CloudFormation may retry it)
    await expect(onEvent(event('Delete', properties, { PhysicalResourceId: created.PhysicalResourceId }))).rejects.toThrow('AccessDeniedException: refused (injected)');
  });

  test('of a package that holds another version, under DESTROY: the patch is deregistered, the package kept', async () => {
    // GIVEN two imports of the same package under DESTROY (two resources)
    const first = await filesPackage({ removalPolicy: 'destroy', variant: 'v1' });
    const created = await deploy(event('Create', first));
    await deploy(event('Create', await filesPackage({ removalPolicy: 'destroy', variant: 'v2' }), { LogicalResourceId: 'Other' }));

    // WHEN the first is deleted
    await onEvent(event('Delete', first, { PhysicalResourceId: created.PhysicalResourceId }));

    // THEN its patch is gone, the other remains in the package, which is kept
    expect(registeredPatches()).toHaveLength(1);
    expect(logged).toContainEqual(expect.objectContaining({ step: 'package kept: other versions remain' }));
  });
});

describe('a bucket source', () => {
  async function bucketProperties(folder: string, options: { packageName?: string; omit?: string } = {}): Promise<Record<string, unknown>> {
    const uploaded = await harness.upload({ name: 'IN_BUCKET', version: '1.0', folder, omit: options.omit ? [options.omit] : undefined });
    return {
      ...(options.packageName ? { PackageName: options.packageName } : {}),
      MarkLatest: 'true',
      RemovalPolicy: 'retain',
      Source: { Type: 'Bucket', Bucket: uploaded.bucket, ManifestKey: uploaded.manifestKey },
    };
  }

  test('takes its name and version from the manifest', async () => {
    // GIVEN a package in a bucket, imported without a name
    const properties = await bucketProperties('named/');
    // WHEN created
    const done = await deploy(event('Create', properties));
    // THEN the job imports it under the manifest's name and version
    expect(harness.emulator.jobs()[0].request.OutputConfig.PackageVersionOutputConfig).toMatchObject({ PackageName: 'IN_BUCKET', PackageVersion: '1.0' });
    expect(done.Data).toMatchObject({ PackageName: 'IN_BUCKET', PackageVersion: '1.0' });
  });

  test('a manifest that names a missing file fails before any job, naming the object', async () => {
    // GIVEN a manifest whose descriptor was not uploaded
    const properties = await bucketProperties('incomplete/', { omit: 'descriptor.json' });
    // WHEN / THEN
    await expect(onEvent(event('Create', properties))).rejects.toThrow('s3://input-bucket/incomplete/descriptor.json does not exist');
    expect(harness.emulator.jobs()).toEqual([]);
  });

  test('a manifest that is not there fails naming the object', async () => {
    // GIVEN a key with nothing at it
    const properties = { RemovalPolicy: 'retain', Source: { Type: 'Bucket', Bucket: 'input-bucket', ManifestKey: 'nowhere/package.json' } };
    // WHEN / THEN
    await expect(onEvent(event('Create', properties))).rejects.toThrow(
      's3://input-bucket/nowhere/package.json: missing must exist: PackageSource.fromBucket names the package\'s manifest (NoSuchKey)',
    );
    // AND so does one in a bucket that is not there
    const noBucket = { RemovalPolicy: 'retain', Source: { Type: 'Bucket', Bucket: 'no-such-bucket', ManifestKey: 'package.json' } };
    await expect(onEvent(event('Create', noBucket))).rejects.toThrow('s3://no-such-bucket/package.json: missing must exist');
    expect(harness.emulator.jobs()).toEqual([]);
  });

  test('a HEAD of a named file refused for a reason other than 404 fails with that error, not "missing"', async () => {
    // GIVEN a complete package, and an S3 that refuses HEAD with a 403
    const uploaded = await harness.upload({ name: 'FORBIDDEN', version: '1.0', folder: 'forbidden/' });
    const s3 = new S3Client({ endpoint: harness.s3Server.endpoint, forcePathStyle: true, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    s3.middlewareStack.add((next, context) => async (args) => {
      if (context.commandName === 'HeadObjectCommand') {
        throw new S3ServiceException({ name: 'Forbidden', $fault: 'client', $metadata: { httpStatusCode: 403 }, message: 'Forbidden (injected)' });
      }
      return next(args);
    }, { step: 'initialize', name: 'forbidHead' });
    try {
      // WHEN the manifest is read / THEN S3's refusal is what fails it
      await expect(readBucketManifest(s3, { type: 'Bucket', bucket: uploaded.bucket, manifestKey: uploaded.manifestKey })).rejects.toThrow('Forbidden (injected)');
    } finally {
      s3.destroy();
    }
  });

  test('an invalid manifest fails naming the object and the rule', async () => {
    // GIVEN a manifest that is not JSON
    await harness.put('broken/package.json', '{"nodePackage":');
    const properties = { RemovalPolicy: 'retain', Source: { Type: 'Bucket', Bucket: 'input-bucket', ManifestKey: 'broken/package.json' } };
    // WHEN / THEN
    await expect(onEvent(event('Create', properties))).rejects.toThrow(/^s3:\/\/input-bucket\/broken\/package\.json: .* must be valid JSON/);
  });

  test('a packageName other than the manifest\'s is refused before any job', async () => {
    // GIVEN a package in a bucket imported as another name
    const properties = await bucketProperties('renamed/', { packageName: 'OTHER' });
    // WHEN / THEN
    await expect(onEvent(event('Create', properties))).rejects.toThrow('packageName: "OTHER" must equal the bucket manifest\'s "IN_BUCKET"');
    expect(harness.emulator.jobs()).toEqual([]);
  });
});
