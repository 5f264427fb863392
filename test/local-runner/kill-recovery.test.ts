/**
 * `kill -9` of `panorama-local` at any step, as a closed laptop or a CI timeout does it: the next
 * command recovers what the killed one started. A child process (the command bundled as the
 * package ships it) deploys a PanoramaApplication and is killed when a given line appears; then
 * `deploy` leaves exactly one job per package and one instance, and `destroy` leaves nothing: no
 * package version, no instance that is not removed, no staging bucket.
 */
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { RemovalPolicy } from 'aws-cdk-lib';
import { build } from 'esbuild';
import { main } from '../../local-runner/cli';
import { PanoramaApplication } from '../../src';
import { FAST, removeAssemblies, synthApp } from '../e2e/support/import-app';
import { cameraCodeDisplayProject, modelPackage, writeApplication } from '../support/application-fixture';
import { removeFixtures } from '../support/package-fixture';

const DEVICE = 'device-lobby';
let bundleDir: string;
let cli: string;
let cwd: string;

beforeAll(async () => {
  bundleDir = fs.mkdtempSync(path.join(os.tmpdir(), 'panorama-local-bundle-'));
  cli = path.join(bundleDir, 'panorama-local.js');
  const entry = path.join(bundleDir, 'entry.ts');
  // Bundled, the module is the main one: it runs itself (require.main === module), as `node local-runner/cli.js` would.
  fs.writeFileSync(entry, `import ${JSON.stringify(path.resolve(__dirname, '../../local-runner/cli'))};\n`);
  await build({ entryPoints: [entry], bundle: true, platform: 'node', target: 'node20', outfile: cli, logLevel: 'silent', mainFields: ['module', 'main'] });
}, 120_000);
afterAll(() => {
  fs.rmSync(bundleDir, { recursive: true, force: true });
  removeAssemblies();
  removeFixtures();
});
beforeEach(() => {
  cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'panorama-local-kill-'));
});
afterEach(() => fs.rmSync(cwd, { recursive: true, force: true }));

/** An app with one PanoramaApplication (a code package and a model), its packages removed on destroy. */
function application(weights = 'v1'): string {
  const { packages, graph } = cameraCodeDisplayProject();
  const { projectDir } = writeApplication({ packages: [packages[0], modelPackage('COUNTER_MODEL', { weights })], graph });
  return synthApp((stack) => {
    new PanoramaApplication(stack, 'Counter', { ...FAST, projectDirectory: projectDir, device: DEVICE, removalPolicy: RemovalPolicy.DESTROY });
  }, 'ApplicationStack');
}

function environment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  delete env.AWS_ENDPOINT_URL_PANORAMA;
  delete env.AWS_ENDPOINT_URL_S3;
  return env;
}

/** Runs the bundled command and SIGKILLs it as soon as a line matches `when`; resolves with what it printed. */
function killWhen(argv: string[], when: RegExp): Promise<{ killed: boolean; output: string }> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [cli, ...argv], { cwd, env: environment(), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let killed = false;
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (!killed && when.test(output)) {
        killed = true;
        child.kill('SIGKILL');
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('error', reject);
    child.once('exit', () => resolve({ killed, output }));
  });
}

async function panoramaLocal(argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (line) => out.push(...line.split('\n')), err: (line) => err.push(...line.split('\n')), cwd, env: environment() });
  return { code, out, err };
}

interface EmulatorJson {
  jobs: Array<{ jobId: string; status: string; request: { ClientToken: string } }>;
  versions?: Array<{ registered: boolean }>;
  packages: unknown[];
  applicationInstances: Array<{ applicationInstanceId: string; status: string }>;
}

function emulatorState(): EmulatorJson {
  return JSON.parse(fs.readFileSync(path.join(cwd, '.panorama-local', 'panorama-state.json'), 'utf8'));
}

/** Instances not removed (what still runs, or is on its way to). */
function liveInstances(): string[] {
  return emulatorState().applicationInstances.filter((i) => i.status !== 'REMOVAL_SUCCEEDED').map((i) => i.applicationInstanceId);
}

function registeredVersions(): number {
  return (emulatorState().versions ?? []).filter((v) => v.registered).length;
}

/** The stack's buckets in the embedded S3 (s3rver keeps one folder per bucket; the assets' and Panorama's own are not the stack's). */
function stagingBuckets(): string[] {
  const dir = path.join(cwd, '.panorama-local', 's3');
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((name) => name.startsWith('applicationstack-')) : [];
}

const KILL_POINTS: Array<[string, RegExp]> = [
  ['while an import runs', /import job started/],
  // Before or after CreateApplicationInstance answered: the next deploy finds the instance by its id, or else by device, name and payload.
  ['as the application instance is asked for', /CREATE_IN_PROGRESS +\| AWS::Panorama::ApplicationInstance/],
  ['while the application instance deploys', /created applicationInstance-\S+, waiting for its deployment/],
];

test.each(KILL_POINTS)('killed %s: the next deploy leaves one job per package and one instance; destroy leaves nothing', async (_step, line) => {
  // GIVEN an application whose first deploy is killed at that step
  const app = application();
  const killed = await killWhen(['deploy', '--assembly', app, '--device', DEVICE, '--verbose'], line);
  if (!killed.killed) throw new Error(`never killed; it printed:\n${killed.output}`);

  // WHEN it is deployed again
  const deployed = await panoramaLocal(['deploy', '--assembly', app, '--device', DEVICE]);

  // THEN it succeeded with one import job per package (two packages) and one instance
  expect(deployed.err.filter((l) => !l.startsWith('Took over the lock'))).toEqual([]);
  expect(deployed.code).toBe(0);
  expect(emulatorState().jobs).toHaveLength(2);
  expect(liveInstances()).toHaveLength(1);

  // WHEN it is destroyed
  const destroyed = await panoramaLocal(['destroy']);

  // THEN nothing is left: no instance running, no registered version, no bucket
  expect(destroyed.err).toEqual([]);
  expect(destroyed.code).toBe(0);
  expect(liveInstances()).toEqual([]);
  expect(registeredVersions()).toBe(0);
  expect(emulatorState().packages).toEqual([]);
  expect(stagingBuckets()).toEqual([]);
}, 120_000);

test('killed while an import runs, then destroyed: nothing is left, though the stack was never recorded', async () => {
  // GIVEN an application whose first deploy is killed once an import job started
  const app = application();
  const killed = await killWhen(['deploy', '--assembly', app, '--device', DEVICE, '--verbose'], /import job started/);
  if (!killed.killed) throw new Error(`never killed; it printed:\n${killed.output}`);

  // WHEN it is destroyed
  const destroyed = await panoramaLocal(['destroy']);

  // THEN the stack the journal knew was destroyed, and nothing of it is left
  expect(destroyed.code).toBe(0);
  expect(destroyed.out).toContain(' ✅  ApplicationStack: destroyed');
  expect(liveInstances()).toEqual([]);
  expect(registeredVersions()).toBe(0);
  expect(emulatorState().packages).toEqual([]);
  expect(stagingBuckets()).toEqual([]);
}, 120_000);

test('killed while it destroys: the next destroy removes the rest', async () => {
  // GIVEN a deployed application whose destroy is killed while its instance is being removed
  const app = application();
  expect((await panoramaLocal(['deploy', '--assembly', app, '--device', DEVICE])).code).toBe(0);
  const killed = await killWhen(['destroy', '--verbose'], /REMOVAL_(PENDING|REQUESTED|IN_PROGRESS)/);
  if (!killed.killed) throw new Error(`never killed; it printed:\n${killed.output}`);

  // WHEN it is destroyed again
  const destroyed = await panoramaLocal(['destroy']);

  // THEN nothing is left
  expect(destroyed.code).toBe(0);
  expect(liveInstances()).toEqual([]);
  expect(registeredVersions()).toBe(0);
  expect(emulatorState().packages).toEqual([]);
  expect(stagingBuckets()).toEqual([]);
}, 120_000);

test('killed while an update replaces the instance: the next deploy leaves one instance, the new one; destroy leaves nothing', async () => {
  // GIVEN a deployed application, whose update to a new model is killed once the new instance was created
  expect((await panoramaLocal(['deploy', '--assembly', application('v1'), '--device', DEVICE])).code).toBe(0);
  const [first] = liveInstances();
  const v2 = application('v2');
  const killed = await killWhen(['deploy', '--assembly', v2, '--device', DEVICE, '--verbose'], /created applicationInstance-\S+, waiting for its deployment/);
  if (!killed.killed) throw new Error(`never killed; it printed:\n${killed.output}`);
  const replacement = /created (applicationInstance-\S+), waiting/.exec(killed.output)![1];

  // WHEN the update is deployed again
  const deployed = await panoramaLocal(['deploy', '--assembly', v2, '--device', DEVICE]);

  // THEN the instance the killed run created is the one left; the first is removed; one job more (the new model's)
  expect(deployed.code).toBe(0);
  expect(liveInstances()).toEqual([replacement]);
  expect(replacement).not.toBe(first);
  expect(emulatorState().jobs).toHaveLength(3);

  // WHEN it is destroyed / THEN nothing is left
  expect((await panoramaLocal(['destroy'])).code).toBe(0);
  expect(liveInstances()).toEqual([]);
  expect(registeredVersions()).toBe(0);
  expect(emulatorState().packages).toEqual([]);
  expect(stagingBuckets()).toEqual([]);
}, 120_000);
