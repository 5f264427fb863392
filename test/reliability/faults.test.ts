/**
 * Issue #4 item 2: every fault the emulator can inject, at every lifecycle step, through the local
 * runner. Each case asserts the outcome (retried to success, or failed with a reason naming the
 * error), the number of import jobs (one ClientToken, one job), that no staged object outlives
 * the stack, and that the stack can always be destroyed leaving nothing registered under DESTROY.
 *
 * Steps: `create` = the Create's onEvent (CreatePackageImportJob, and the DescribePackageImportJob
 * that checks the job it got) and the Create's job; `wait` = the Create's isComplete, with the fault
 * armed only once onEvent logged "import job started" (DescribePackageImportJob, DescribePackage);
 * `update` = an Update with new content (its CreatePackageImportJob, its isComplete, its job);
 * `delete` = Delete under DESTROY (DescribePackageImportJob, DeregisterPackageVersion, DeletePackage).
 */
import { DeletePackageCommand, DeregisterPackageVersionCommand } from '@aws-sdk/client-panorama';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { ERROR_STATUS, OperationName, PanoramaEmulator } from '../../emulator';
import { registeredVersions, removeStagingBuckets, stagedObjects, synthKeptImport, tokensSent } from './support/reliability-app';
import { OPERATION_ERRORS } from '../../emulator/operation-errors';
import { DeployResult, LocalDeployer } from '../../local-runner/deployer';
import { importOf, removeAssemblies } from '../e2e/support/import-app';
import { LocalCloud, startLocalCloud } from '../support/local-cloud';
import { removeFixtures } from '../support/package-fixture';

type Step = 'create' | 'wait' | 'update' | 'delete';

interface FaultCase {
  readonly step: Step;
  /** The fault, as the report names it. */
  readonly fault: string;
  /** Where it is injected. */
  readonly at: string;
  /** For `wait`: called once the job started, so the fault reaches isComplete and not onEvent. */
  readonly inject: (emulator: PanoramaEmulator, cloud: LocalCloud) => Promise<void> | void;
  /** undefined: the step succeeds; else the failure's reason must match. */
  readonly failsWith?: RegExp;
  /** Import jobs once everything settled. */
  readonly jobs: number;
}

/** A message that does not name the error: the reason must name it by itself. */
const MESSAGE = 'refused by the reliability suite';

const fail = (op: string, errorType: string, count = 1) =>
  (emulator: PanoramaEmulator) => emulator.failNext(op, count, { errorType, message: MESSAGE });
const retryable = (op: string) => [
  { fault: 'ThrottlingException 429 ×2', at: op, inject: (e: PanoramaEmulator) => e.failNext(op, 2, { errorType: 'ThrottlingException', message: MESSAGE }) },
  { fault: 'InternalServerException 500 ×2 (Retry-After 1)', at: op, inject: (e: PanoramaEmulator) => e.failNext(op, 2, { errorType: 'InternalServerException', retryAfterSeconds: 1, message: MESSAGE }) },
];
/**
 * The 4xx refusals the model lists for an operation (operation-errors.ts). 500s are retried (see
 * `retryable`), and a 404 from an operation whose resource still exists is not something the
 * service does: where it is plausible it has its own case.
 */
const refusals = (op: OperationName) => OPERATION_ERRORS[op].filter((errorType) => errorType !== 'InternalServerException' && errorType !== 'ResourceNotFoundException');
const refusedAt = (op: OperationName) => refusals(op).map((errorType) => ({ fault: `${errorType} ${ERROR_STATUS[errorType]}`, at: op, inject: fail(op, errorType), failsWith: new RegExp(errorType) }));
const latency = (op: string) => ({ fault: 'latency 1.5 s', at: op, inject: (e: PanoramaEmulator) => e.addLatency(op, 1500) });

const CASES: FaultCase[] = [
  // create: the Create's CreatePackageImportJob, and the Create's job
  ...retryable('CreatePackageImportJob').map((c) => ({ ...c, step: 'create' as const, jobs: 1 })),
  ...refusedAt('CreatePackageImportJob').map((c) => ({ ...c, step: 'create' as const, jobs: 0 })),
  { ...latency('CreatePackageImportJob'), step: 'create', jobs: 1 },
  { ...retryable('DescribePackageImportJob')[0], step: 'create', jobs: 1 },
  // onEvent only checks whether the token named a FAILED job: a refusal there is absorbed, isComplete asks again.
  { step: 'create', fault: 'AccessDeniedException 403', at: 'DescribePackageImportJob', inject: fail('DescribePackageImportJob', 'AccessDeniedException'), jobs: 1 },
  { step: 'create', fault: 'job FAILED', at: 'import job', inject: (e) => e.setJobOutcome('fail', { message: 'Model compilation failed (injected)', count: 1 }), failsWith: /FAILED: Model compilation failed \(injected\)/, jobs: 1 },
  { step: 'create', fault: 'job stuck PENDING', at: 'import job', inject: (e) => e.setJobOutcome('pending', { count: 1 }), failsWith: /Operation timed out/, jobs: 1 },
  // wait: the Create's isComplete
  ...retryable('DescribePackageImportJob').map((c) => ({ ...c, step: 'wait' as const, jobs: 1 })),
  ...refusedAt('DescribePackageImportJob').map((c) => ({ ...c, step: 'wait' as const, jobs: 1 })),
  { step: 'wait', fault: 'ResourceNotFoundException 404', at: 'DescribePackage', inject: fail('DescribePackage', 'ResourceNotFoundException'), failsWith: /ResourceNotFoundException/, jobs: 1 },
  { step: 'wait', fault: 'AccessDeniedException 403', at: 'DescribePackage', inject: fail('DescribePackage', 'AccessDeniedException'), failsWith: /AccessDeniedException/, jobs: 1 },
  { ...latency('DescribePackageImportJob'), step: 'wait', jobs: 1 },
  // update: new content; the Update's CreatePackageImportJob, isComplete and job
  ...retryable('CreatePackageImportJob').map((c) => ({ ...c, step: 'update' as const, jobs: 2 })),
  ...refusedAt('CreatePackageImportJob').map((c) => ({ ...c, step: 'update' as const, jobs: 1 })),
  {
    step: 'update',
    fault: 'ResourceNotFoundException 404',
    at: 'DescribePackage',
    inject: fail('DescribePackage', 'ResourceNotFoundException'),
    failsWith: /ResourceNotFoundException/,
    jobs: 2,
  },
  { ...latency('CreatePackageImportJob'), step: 'update', jobs: 2 },
  { step: 'update', fault: 'job FAILED', at: 'import job', inject: (e) => e.setJobOutcome('fail', { message: 'Model compilation failed (injected)', count: 1 }), failsWith: /FAILED: Model compilation failed \(injected\)/, jobs: 2 },
  { step: 'update', fault: 'job stuck PENDING', at: 'import job', inject: (e) => e.setJobOutcome('pending', { count: 1 }), failsWith: /Operation timed out/, jobs: 2 },
  // delete under DESTROY
  ...retryable('DeregisterPackageVersion').map((c) => ({ ...c, step: 'delete' as const, jobs: 1 })),
  ...refusedAt('DeregisterPackageVersion').map((c) => ({ ...c, step: 'delete' as const, jobs: 1 })),
  { step: 'delete', fault: 'AccessDeniedException 403', at: 'DescribePackageImportJob', inject: fail('DescribePackageImportJob', 'AccessDeniedException'), failsWith: /AccessDeniedException/, jobs: 1 },
  { step: 'delete', fault: 'InternalServerException 500 ×2 (Retry-After 1)', at: 'DeletePackage', inject: (e) => e.failNext('DeletePackage', 2, { errorType: 'InternalServerException', retryAfterSeconds: 1 }), jobs: 1 },
  { step: 'delete', fault: 'AccessDeniedException 403', at: 'DeletePackage', inject: fail('DeletePackage', 'AccessDeniedException'), failsWith: /AccessDeniedException/, jobs: 1 },
  {
    step: 'delete',
    fault: 'ResourceNotFoundException 404 (package removed out of band)',
    at: 'DeregisterPackageVersion, DeletePackage',
    inject: async (e, cloud) => {
      const [pkg] = e.packages();
      const [version] = pkg.versions;
      await cloud.panorama.send(new DeregisterPackageVersionCommand({
        PackageId: pkg.packageId, PackageVersion: version.packageVersion, PatchVersion: version.patchVersion,
      }));
      await cloud.panorama.send(new DeletePackageCommand({ PackageId: pkg.packageId, ForceDelete: true }));
    },
    jobs: 1,
  },
  { ...latency('DeregisterPackageVersion'), step: 'delete', jobs: 1 },
];

const DESTROY = { removalPolicy: RemovalPolicy.DESTROY, queryInterval: Duration.seconds(1), totalTimeout: Duration.seconds(5) };
/**
 * A case deploys at most twice (an update and its rollback, or a deployment) and destroys twice,
 * each import waiting at most DESTROY's totalTimeout; onEvent's retries of two throttles or 500s
 * take seconds. Two minutes cover that several times over, so no case is cut off mid-deployment.
 */
jest.setTimeout(120_000);

let cloud: LocalCloud;
let runner: LocalDeployer;
/** Called (once) when a handler logs that its import job started. */
let onJobStarted: (() => void) | undefined;
/** What the handlers logged during the current case. */
let handlerLines: string[] = [];
beforeAll(async () => {
  cloud = await startLocalCloud({ jobDelayMs: 50 });
});
beforeEach(() => {
  // Each case starts from an empty emulator and a runner that deployed nothing.
  onJobStarted = undefined;
  handlerLines = [];
  cloud.emulator.reset();
  runner = cloud.newRunner({
    handlerLog: (line) => {
      handlerLines.push(line);
      if (onJobStarted && line.includes('"step":"import job started"')) {
        const arm = onJobStarted;
        onJobStarted = undefined;
        arm();
      }
    },
  });
});
afterEach(async () => {
  // The case destroys its stack itself; this only removes the staging buckets it kept on purpose.
  // A failure here fails the case: nothing may leak into the next one.
  await removeStagingBuckets(cloud.s3);
});
afterAll(async () => {
  await cloud.stop();
  removeAssemblies();
  removeFixtures();
  // The figure the issue quotes.
  const combinations = new Set(CASES.map((c) => `${c.step}|${c.fault}|${c.at}`));
  process.stdout.write(`fault × step combinations covered: ${combinations.size}\n`);
});

/** Runs the step under the fault; returns the failure, or undefined when it succeeded. */
async function runStep(c: FaultCase): Promise<(Error & { result?: DeployResult }) | undefined> {
  const attempt = async (work: () => Promise<unknown>) => {
    try {
      await work();
      return undefined;
    } catch (e) {
      return e as Error & { result?: DeployResult };
    }
  };
  switch (c.step) {
    case 'create':
    case 'wait': {
      const assembly = synthKeptImport({ ...DESTROY, modelBytes: 'v1' });
      if (c.step === 'wait') onJobStarted = () => void c.inject(cloud.emulator, cloud);
      else await c.inject(cloud.emulator, cloud);
      // No rollback: the failed resource stays, and destroy has to delete it.
      return attempt(() => runner.deploy(assembly, { rollback: false }));
    }
    case 'update': {
      await runner.deploy(synthKeptImport({ ...DESTROY, modelBytes: 'v1' }));
      const assembly = synthKeptImport({ ...DESTROY, modelBytes: 'v2' });
      await c.inject(cloud.emulator, cloud);
      // CloudFormation's default: a failed update is rolled back by an Update to the old properties.
      return attempt(() => runner.deploy(assembly));
    }
    case 'delete': {
      await runner.deploy(synthKeptImport({ ...DESTROY, modelBytes: 'v1' }));
      await c.inject(cloud.emulator, cloud);
      return attempt(() => runner.destroy());
    }
  }
}

describe.each(CASES)('$step: $fault at $at', (c) => {
  test(c.failsWith ? 'fails naming the error, one job per token, and leaves nothing once destroyed' : 'succeeds, one job per token, and leaves nothing once destroyed', async () => {
    // GIVEN an import from files under DESTROY, asking every second for at most 5 s, and the fault
    // WHEN the step runs through the local runner
    const failure = await runStep(c);

    // THEN the step succeeded, or failed with a reason that names the error
    if (c.failsWith) {
      expect(failure).toBeDefined();
      expect(failure!.message).toMatch(c.failsWith);
      const failed = importOf(failure!.result!);
      expect(failed.status).toBe({ create: 'CREATE_FAILED', wait: 'CREATE_FAILED', update: 'UPDATE_FAILED', delete: 'DELETE_FAILED' }[c.step]);
      if (c.step === 'update') expect(failure!.message).toContain('UPDATE_ROLLBACK_COMPLETE');
    } else {
      expect(failure).toBeUndefined();
    }
    await cloud.emulator.whenJobsSettled();

    // AND there is exactly the expected number of jobs, and every attempt of one import (the SDK's
    // retries, and a rollback's Update to content already imported) sent that import's one ClientToken
    expect(cloud.emulator.jobs()).toHaveLength(c.jobs);
    expect(tokensSent(cloud.emulator)).toHaveLength(c.step === 'update' ? 2 : 1); // one per content: v1, and v2 for an update

    // AND destroying the stack succeeds (a second time at most, as after a failed CloudFormation delete)
    const firstDestroy = c.step === 'delete' ? failure : await rejectionOrUndefined(() => runner.destroy());
    if (firstDestroy) {
      expect(c.step).toBe('delete');
      await runner.destroy();
    }
    expect(runner.state.stacks).toEqual({});

    // AND no staged object is left, nor any registered package version
    expect(await stagedObjects(cloud.s3)).toEqual([]);
    expect(registeredVersions(cloud.emulator)).toEqual([]);
    // AND no package either
    expect(cloud.emulator.packages().map((p) => p.packageName)).toEqual([]);
  });
});

async function rejectionOrUndefined(work: () => Promise<unknown>): Promise<Error | undefined> {
  try {
    await work();
    return undefined;
  } catch (e) {
    return e as Error;
  }
}
