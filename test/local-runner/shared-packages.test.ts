/**
 * One package version, two owners: the same project deployed by two stacks registers the same
 * patches. Destroying one stack keeps what the other still uses (DELETE_SKIPPED, a warning naming
 * the user) and ends with "succeeded with N warning(s)", never a bare ✅; the last owner's destroy
 * removes it. An update whose old patch another stack uses keeps it the same way.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { main } from '../../local-runner/cli';
import { PanoramaApplication } from '../../src';
import { FAST } from '../e2e/support/import-app';
import { cameraCodeDisplayProject, modelPackage, writeApplication } from '../support/application-fixture';
import { removeFixtures } from '../support/package-fixture';

const DEVICE = 'device-lobby';
let cwd: string;
const outdirs: string[] = [];
beforeEach(() => {
  cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'panorama-local-shared-'));
});
afterEach(() => fs.rmSync(cwd, { recursive: true, force: true }));
afterAll(() => {
  for (const dir of outdirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
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

function emulatorState(): { versions: Array<{ registered: boolean; patchVersion: string }>; applicationInstances: Array<{ status: string }> } {
  return JSON.parse(fs.readFileSync(path.join(cwd, '.panorama-local', 'panorama-state.json'), 'utf8'));
}
const registeredVersions = () => emulatorState().versions.filter((v) => v.registered).length;
const liveInstances = () => emulatorState().applicationInstances.filter((i) => i.status !== 'REMOVAL_SUCCEEDED').length;

/** The people counter's project, its model at `weights`. */
function project(weights: string): string {
  const { packages, graph } = cameraCodeDisplayProject();
  return writeApplication({ packages: [packages[0], modelPackage('COUNTER_MODEL', { weights })], graph }).projectDir;
}

/** A new App with one stack per entry, each deploying its project as an application; returns the assembly. */
function synth(stacks: Record<string, string>): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'shared-assembly-'));
  outdirs.push(outdir);
  const app = new App({ outdir });
  for (const [name, projectDirectory] of Object.entries(stacks)) {
    new PanoramaApplication(new Stack(app, name), 'Counter', { ...FAST, projectDirectory, device: DEVICE, removalPolicy: RemovalPolicy.DESTROY });
  }
  app.synth();
  return outdir;
}

test('GIVEN two stacks deploying one project WHEN one is destroyed THEN the shared versions are kept with a warning naming the other stack', async () => {
  const dir = project('v1');
  const assembly = synth({ CounterA: dir, CounterB: dir });
  expect((await panoramaLocal(['deploy', '--assembly', assembly, '--device', DEVICE])).code).toBe(0);
  expect(registeredVersions()).toBe(2);

  const destroyed = await panoramaLocal(['destroy', 'CounterA']);

  expect(destroyed.code).toBe(0);
  expect(destroyed.out).toContain(' ⚠️  CounterA: destroyed, succeeded with 2 warning(s)');
  expect(destroyed.out).not.toContain(' ✅  CounterA: destroyed');
  expect(destroyed.err).toEqual(expect.arrayContaining([
    expect.stringMatching(/^⚠️ {2}CounterA: \w+: package version COUNTER_MODEL 1\.0 \(patch [0-9a-f]{12}…\) kept: it is still used by \w+ of stack CounterB$/),
    expect.stringMatching(/^⚠️ {2}CounterA: \w+: package version COUNTER_CODE 1\.0 .* kept: it is still used by \w+ of stack CounterB$/),
  ]));
  expect(destroyed.out).toContainEqual(expect.stringMatching(/DELETE_SKIPPED +\| Custom::PanoramaPackageImport .*kept: it is still used by/));
  // AND the other stack's instance still runs its versions
  expect(registeredVersions()).toBe(2);
  expect(liveInstances()).toBe(1);

  // WHEN the other stack is destroyed too / THEN nothing is left, with no warning
  const last = await panoramaLocal(['destroy', 'CounterB']);
  expect(last.code).toBe(0);
  expect(last.out).toContain(' ✅  CounterB: destroyed');
  expect(registeredVersions()).toBe(0);
  expect(liveInstances()).toBe(0);
});

test('GIVEN two stacks sharing a model WHEN one moves to a new model THEN its old patch, still the other\'s, is kept: a warning, not a failure', async () => {
  const v1 = project('v1');
  expect((await panoramaLocal(['deploy', '--assembly', synth({ CounterA: v1, CounterB: v1 }), '--device', DEVICE])).code).toBe(0);

  const updated = await panoramaLocal(['deploy', 'CounterA', '--assembly', synth({ CounterA: project('v2'), CounterB: v1 }), '--device', DEVICE]);

  expect(updated.code).toBe(0);
  expect(updated.out).toContain(' ⚠️  CounterA: succeeded with 1 warning(s)');
  expect(updated.err).toContainEqual(expect.stringMatching(/^⚠️ {2}CounterA: \w+: package version COUNTER_MODEL 1\.0 .* kept: it is still used by \w+ of stack CounterB$/));
  expect(updated.out.join('\n')).not.toMatch(/DELETE_FAILED/);
  // AND both model patches stay registered (v1 for CounterB, v2 for CounterA), the code's one
  expect(registeredVersions()).toBe(3);
});
