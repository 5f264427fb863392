/**
 * `.panorama-local/s3/` deleted by hand (the emulated S3's files, buckets included): the next
 * deploy notices the stack's missing buckets and makes them again instead of saying "no changes",
 * and destroy still removes everything, naming what it cannot.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { RemovalPolicy } from 'aws-cdk-lib';
import { main } from '../../local-runner/cli';
import { removeAssemblies, synthImport } from '../e2e/support/import-app';
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
