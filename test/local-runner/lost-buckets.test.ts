/**
 * `.panorama-local/s3/` deleted by hand (the emulated S3's files, buckets included): the next
 * deploy notices the stack's missing buckets and makes them again instead of saying "no changes",
 * and destroy still removes everything, naming what it cannot.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { main } from '../../local-runner/cli';
import { PackageSource, PanoramaPackageImport } from '../../src';
import { FAST, removeAssemblies, synthApp, synthImport } from '../e2e/support/import-app';
import { removeFixtures, writeModelPackage } from '../support/package-fixture';

let cwd: string;
beforeEach(() => {
  cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'panorama-local-lost-s3-'));
});
afterEach(() => fs.rmSync(cwd, { recursive: true, force: true }));
afterAll(() => {
  removeAssemblies();
  removeFixtures();
});

async function panoramaLocal(argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const env = { ...process.env };
  delete env.AWS_ENDPOINT_URL_PANORAMA;
  delete env.AWS_ENDPOINT_URL_S3;
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (line) => out.push(...line.split('\n')), err: (line) => err.push(...line.split('\n')), cwd, env });
  return { code, out, err };
}

const s3Folder = () => path.join(cwd, '.panorama-local', 's3');
const stagingBuckets = () => (fs.existsSync(s3Folder()) ? fs.readdirSync(s3Folder()).filter((name) => name.startsWith('importstack-')) : []);
const registeredVersions = (): number => JSON.parse(fs.readFileSync(path.join(cwd, '.panorama-local', 'panorama-state.json'), 'utf8'))
  .versions.filter((v: { registered: boolean }) => v.registered).length;

function app(): string {
  return synthImport({ fixture: writeModelPackage({ modelBytes: 'weights' }), removalPolicy: RemovalPolicy.DESTROY });
}

test('GIVEN a deployed import WHEN s3/ is deleted and the app deployed again THEN the staging bucket is made again, not "no changes"', async () => {
  const assembly = app();
  expect((await panoramaLocal(['deploy', '--assembly', assembly])).code).toBe(0);
  const [bucket] = stagingBuckets();
  fs.rmSync(s3Folder(), { recursive: true, force: true });

  const redeployed = await panoramaLocal(['deploy', '--assembly', assembly]);

  expect(redeployed.code).toBe(0);
  expect(redeployed.out).not.toContain(' ✅  ImportStack (no changes)');
  expect(redeployed.out).toContainEqual(expect.stringMatching(/UPDATE_COMPLETE +\| AWS::S3::Bucket +\| .*no longer existed \(removed outside panorama-local\): made again/));
  expect(stagingBuckets()).toEqual([bucket]);
  // AND the next destroy removes everything
  expect((await panoramaLocal(['destroy'])).code).toBe(0);
  expect(stagingBuckets()).toEqual([]);
  expect(registeredVersions()).toBe(0);
});

test('GIVEN a deployed import WHEN s3/ is deleted and the app destroyed THEN the destroy succeeds: what is already gone is fine', async () => {
  expect((await panoramaLocal(['deploy', '--assembly', app()])).code).toBe(0);
  fs.rmSync(s3Folder(), { recursive: true, force: true });

  const destroyed = await panoramaLocal(['destroy']);

  expect(destroyed.err).toEqual([]);
  expect(destroyed.code).toBe(0);
  expect(destroyed.out).toContain(' ✅  ImportStack: destroyed');
  expect(registeredVersions()).toBe(0);
});

test('GIVEN a bucket that cannot be deleted WHEN the stack is destroyed THEN the rest is deleted, and the failure names the bucket', async () => {
  // GIVEN a stack with an import and a bucket of its own, the bucket holding a file the stack does not know
  const fixture = writeModelPackage({ modelBytes: 'weights' });
  const assembly = synthApp((stack) => {
    new s3.Bucket(stack, 'Reports', { removalPolicy: RemovalPolicy.DESTROY });
    new PanoramaPackageImport(stack, 'Model', { ...FAST, source: PackageSource.fromDirectory(fixture.packageDir), removalPolicy: RemovalPolicy.DESTROY });
  });
  expect((await panoramaLocal(['deploy', '--assembly', assembly])).code).toBe(0);
  const reports = fs.readdirSync(s3Folder()).find((name) => name.startsWith('importstack-reports'))!;
  fs.mkdirSync(path.join(s3Folder(), reports, 'left'), { recursive: true });
  fs.writeFileSync(path.join(s3Folder(), reports, 'left', 'behind._S3rver_object'), 'x');

  // WHEN it is destroyed
  const destroyed = await panoramaLocal(['destroy']);

  // THEN it failed naming the bucket, yet went on: the import's version is deregistered
  expect(destroyed.code).toBe(1);
  expect(destroyed.err.join('\n')).toMatch(new RegExp(`Reports\\w* ${reports} \\(AWS::S3::Bucket\\) DELETE_FAILED: .*${reports}`));
  expect(registeredVersions()).toBe(0);
});
