/**
 * Issue #4 item 3: twenty imports in one stack, deployed concurrently under Panorama's real request
 * rates (5 requests/s overall, 1 write/s). All must succeed with one job each, every retry of
 * an import must reuse its one ClientToken, and the write slots (src/handler/write-slots.ts) must
 * keep the calls near one per job. (The rate limiter itself is specified, with a frozen
 * clock, in test/emulator/faults-and-limits.test.ts.) How long it takes against the floor the quota sets is printed and benchmarked (`npm run bench`),
 * not asserted: a speed target has no place in a test that a loaded machine runs.
 */
import { Duration } from 'aws-cdk-lib';
import { WRITE_OPERATIONS } from '../../emulator';
import { PackageSource, PanoramaPackageImport } from '../../src';
import { PACKAGE_IMPORT_RESOURCE_TYPE } from '../../src/rules/contract';
import { removeAssemblies, synthApp } from '../e2e/support/import-app';
import { LocalCloud, startLocalCloud } from '../support/local-cloud';
import { writeModelPackage, removeFixtures } from '../support/package-fixture';
import { tokensSent } from './support/reliability-app';

const IMPORTS = 20;
/** Each import waits at most this long for its job, once its onEvent has started it. */
const TOTAL_TIMEOUT = Duration.minutes(2);
/**
 * onEvent's writes retry up to 25 times (at most ~8 min of backoff, in theory) before the waiter's
 * two minutes start; the test waits longer than the slowest deployment that can still succeed.
 */
const TEST_TIMEOUT_MS = 12 * 60_000;

let cloud: LocalCloud;
beforeAll(async () => {
  cloud = await startLocalCloud({ jobDelayMs: 100, rateLimits: true });
});
afterAll(async () => {
  cloud.emulator.setRateLimits(false);
  await cloud.destroy();
  await cloud.stop();
  removeAssemblies();
  removeFixtures();
});

test('twenty imports deploy concurrently under the real rate limits: all succeed, with one job and one ClientToken each', async () => {
  // GIVEN one stack with twenty imports of twenty small distinct packages, and a service enforcing its real rates
  const assembly = synthApp((stack) => {
    for (let i = 1; i <= IMPORTS; i++) {
      const name = `MODEL_${String(i).padStart(2, '0')}`;
      const fixture = writeModelPackage({ name, modelBytes: `weights of ${name}` });
      new PanoramaPackageImport(stack, name, {
        queryInterval: Duration.seconds(1),
        totalTimeout: TOTAL_TIMEOUT,
        source: PackageSource.fromDirectory(fixture.packageDir),
      });
    }
  });

  // WHEN it is deployed once
  const started = Date.now();
  const result = await cloud.deploy(assembly);
  const wallMs = Date.now() - started;

  // THEN every import succeeded
  const imports = result.resources.filter((r) => r.type === PACKAGE_IMPORT_RESOURCE_TYPE);
  expect(imports).toHaveLength(IMPORTS);
  expect(imports.filter((r) => r.status !== 'CREATE_COMPLETE')).toEqual([]);
  // AND there are exactly twenty jobs, each the physical id of one import
  const jobs = cloud.emulator.jobs();
  expect(jobs).toHaveLength(IMPORTS);
  expect(new Set(imports.map((r) => r.physicalId))).toEqual(new Set(jobs.map((j) => j.jobId)));
  // AND every attempt, throttled or not, carried one of twenty ClientTokens: a write sent again reuses its token
  const attempts = cloud.emulator.callsOf('CreatePackageImportJob');
  const throttled = attempts.filter((r) => r.errorType === 'ThrottlingException');
  expect(tokensSent(cloud.emulator)).toHaveLength(IMPORTS);
  // AND each import's one admitted write is all that was admitted
  const writes = cloud.emulator.requests.filter((r) => (WRITE_OPERATIONS as ReadonlySet<string>).has(r.operation) && r.status === 200);
  expect(writes.map((r) => r.operation)).toEqual(Array(IMPORTS).fill('CreatePackageImportJob'));
  // AND the write slots paced the imports, so each sent its job about once (blind retries sent
  // seven calls per job): at most 1.5 per job, room left for a write the machine's load delayed
  expect(attempts.length).toBeLessThanOrEqual(IMPORTS * 1.5);

  const floorMs = (IMPORTS - 1) * 1000;
  process.stdout.write(`load: wall ${(wallMs / 1000).toFixed(1)} s, floor ${(floorMs / 1000).toFixed(1)} s (x${(wallMs / floorMs).toFixed(2)}), `
    + `requests ${cloud.emulator.requests.length}, throttled ${cloud.emulator.requests.filter((r) => r.errorType === 'ThrottlingException').length} `
    + `(${throttled.length} writes)\n`);
}, TEST_TIMEOUT_MS);
