/**
 * Issue #4 item 3: twenty imports in one stack, deployed concurrently under Panorama's real request
 * rates (5 requests/s overall, 1 write/s). All must succeed with one job each, and the deployment
 * must take about as long as the write quota forces, not much longer.
 */
import { Duration } from 'aws-cdk-lib';
import { WRITE_OPERATIONS } from '../../emulator';
import { PANORAMA_IMPORT_TYPE } from '../../local-runner';
import { PackageSource, PanoramaPackageImport } from '../../src';
import { removeAssemblies, synthApp } from '../e2e/support/import-app';
import { LocalCloud, startLocalCloud } from '../support/local-cloud';
import { writeModelPackage } from '../support/package-fixture';
import { jobBook } from './support/reliability-app';

const IMPORTS = 20;
/** Generous: retries back off with jitter, so the last writer waits a while after its slot opens. */
const MAX_RATIO = 4;

let cloud: LocalCloud;
beforeAll(async () => {
  cloud = await startLocalCloud({ jobDelayMs: 100, rateLimits: true });
});
afterAll(async () => {
  cloud.emulator.setRateLimits(false);
  await cloud.destroy().catch(() => undefined);
  await cloud.stop();
  removeAssemblies();
});

test('twenty imports deploy concurrently under the real rate limits: all succeed, one job each, in close to the time the write quota allows', async () => {
  // GIVEN one stack with twenty imports of twenty small distinct packages, and a service enforcing its real rates
  const assembly = synthApp((stack) => {
    for (let i = 1; i <= IMPORTS; i++) {
      const name = `MODEL_${String(i).padStart(2, '0')}`;
      const fixture = writeModelPackage({ name, modelBytes: `weights of ${name}` });
      new PanoramaPackageImport(stack, name, {
        queryInterval: Duration.seconds(1),
        totalTimeout: Duration.minutes(5),
        source: PackageSource.fromDirectory(fixture.packageDir),
      });
    }
  });

  // WHEN it is deployed once
  const started = Date.now();
  const result = await cloud.deploy(assembly);
  const wallMs = Date.now() - started;

  // THEN every import succeeded
  const imports = result.resources.filter((r) => r.type === PANORAMA_IMPORT_TYPE);
  expect(imports).toHaveLength(IMPORTS);
  expect(imports.filter((r) => r.status !== 'CREATE_COMPLETE')).toEqual([]);
  // AND there are exactly twenty jobs with twenty distinct ClientTokens, each the physical id of one import
  const book = jobBook(cloud.emulator);
  expect(book.jobs).toBe(IMPORTS);
  expect(book.distinctTokens).toBe(IMPORTS);
  expect(new Set(imports.map((r) => r.physicalId))).toEqual(new Set(cloud.emulator.jobs().map((j) => j.jobId)));
  // AND the service's quota was really in force: requests were throttled
  const throttled = cloud.emulator.requests.filter((r) => r.errorType === 'ThrottlingException');
  expect(throttled.length).toBeGreaterThan(0);

  // AND the time taken is within a generous factor of the floor the admitted writes impose (N writes at 1/s)
  const writes = cloud.emulator.requests.filter((r) => (WRITE_OPERATIONS as ReadonlySet<string>).has(r.operation) && r.status === 200);
  expect(writes).toHaveLength(IMPORTS); // one CreatePackageImportJob per import, nothing else writes on Create
  const floorMs = (writes.length - 1) * 1000;
  const ratio = wallMs / floorMs;
  const writeSpanMs = writes[writes.length - 1].startedAt - writes[0].startedAt;
  process.stdout.write(`load: wall ${(wallMs / 1000).toFixed(1)} s, writes ${writes.length} (span ${(writeSpanMs / 1000).toFixed(1)} s), `
    + `floor ${(floorMs / 1000).toFixed(1)} s, requests ${cloud.emulator.requests.length}, throttled ${throttled.length} `
    + `(${throttled.filter((r) => r.operation === 'CreatePackageImportJob').length} writes), ratio ${ratio.toFixed(2)}\n`);
  expect(writeSpanMs).toBeGreaterThanOrEqual(floorMs - 100); // the emulator admitted no more than 1 write/s
  expect(wallMs).toBeGreaterThanOrEqual(floorMs);
  expect(ratio).toBeLessThanOrEqual(MAX_RATIO);
}, 240_000);
