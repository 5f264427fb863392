/**
 * `panorama-local`, run in-process command after command as a user runs it (each call starts the
 * embedded emulators over the state folder and stops them): deploy, unchanged redeploy, update,
 * destroy, devices, and every refusal (lock, unreadable state, incompatible folder, failed import).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { RemovalPolicy } from 'aws-cdk-lib';
import { PanoramaEmulator, startS3Server } from '../../emulator';
import { RunningS3Server } from '../../emulator/s3-server';
import { main } from '../../local-runner/cli';
import { acquireLock } from '../../local-runner/lock';
import { openStateFolder, STATE_FOLDER_VERSION } from '../../local-runner/state-folder';
import { PackageSource, PanoramaPackageImport } from '../../src';
import { FAST, removeAssemblies, synthApp, synthImport } from '../e2e/support/import-app';
import { removeFixtures, writeModelPackage } from '../support/package-fixture';

/** What one command printed and returned. */
interface Outcome {
  readonly code: number;
  readonly out: string[];
  readonly err: string[];
}

let cwd: string;
beforeEach(() => {
  cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'panorama-local-cli-'));
});
afterEach(() => fs.rmSync(cwd, { recursive: true, force: true }));
afterAll(() => {
  removeAssemblies();
  removeFixtures();
});

/** The environment without endpoints, so the embedded emulators are used unless a test sets them. */
function environment(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  if (!('AWS_ENDPOINT_URL_PANORAMA' in extra)) delete env.AWS_ENDPOINT_URL_PANORAMA;
  if (!('AWS_ENDPOINT_URL_S3' in extra)) delete env.AWS_ENDPOINT_URL_S3;
  return env;
}

async function panoramaLocal(argv: string[], env: NodeJS.ProcessEnv = environment()): Promise<Outcome> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (line) => out.push(...line.split('\n')), err: (line) => err.push(...line.split('\n')), cwd, env });
  return { code, out, err };
}

/** What the embedded emulator recorded, read from the state folder. */
function emulatorState(): { jobs: Array<{ status: string }>; packages: unknown[]; devices: Array<{ DeviceId: string }> } {
  return JSON.parse(fs.readFileSync(path.join(cwd, '.panorama-local', 'panorama-state.json'), 'utf8'));
}

function runnerState(): { stacks: Record<string, unknown> } {
  return JSON.parse(fs.readFileSync(path.join(cwd, '.panorama-local', 'runner-state.json'), 'utf8'));
}

/** `ImportStack.<key> = value` lines, by output key prefix. */
function output(outcome: Outcome, prefix: string): string {
  const line = outcome.out.find((l) => l.startsWith(`ImportStack.${prefix}`));
  if (!line) throw new Error(`no output ${prefix}: ${outcome.out.join('\n')}`);
  return line.slice(line.indexOf(' = ') + 3);
}

function assembly(modelBytes: string): string {
  return synthImport({ fixture: writeModelPackage({ modelBytes }), outputs: true, removalPolicy: RemovalPolicy.DESTROY });
}

test('deploy, deploy unchanged, deploy new content, destroy: each a new command over .panorama-local', async () => {
  // GIVEN an app and no state
  const v1 = assembly('weights v1');

  // WHEN it is deployed
  const created = await panoramaLocal(['deploy', '--assembly', v1]);

  // THEN one import job ran; events were printed as cdk prints them, and the outputs last
  expect(created.code).toBe(0);
  expect(created.err).toEqual([]);
  expect(created.out).toContainEqual(expect.stringMatching(/^ImportStack \| \d\d:\d\d:\d\d \| CREATE_COMPLETE +\| Custom::PanoramaPackageImport +\| Model\w+$/));
  expect(created.out).toContainEqual(expect.stringMatching(/^ImportStack \| not shown: \d+ resource\(s\) that the local runner records without emulating them \(.*AWS::IAM::Role.*\); --verbose shows them$/));
  expect(created.out.at(-1)).toMatch(/^ImportStack\.\w+ = .+$/);
  expect(output(created, 'ModelPatchVersion')).toMatch(/^[0-9a-f]{64}$/);
  expect(emulatorState().jobs).toHaveLength(1);

  // WHEN the same app is deployed again by a new command
  const unchanged = await panoramaLocal(['deploy', '--assembly', v1]);

  // THEN it changed nothing, started no job, and printed the same outputs
  expect(unchanged.code).toBe(0);
  expect(unchanged.out).toContain(' ✅  ImportStack (no changes)');
  expect(unchanged.out.filter((line) => / \| (CREATE|UPDATE|DELETE)_/.test(line))).toEqual([]);
  expect(emulatorState().jobs).toHaveLength(1);
  expect(output(unchanged, 'ModelImportJobId')).toBe(output(created, 'ModelImportJobId'));

  // WHEN new model bytes are deployed
  const updated = await panoramaLocal(['deploy', '--assembly', assembly('weights v2')]);

  // THEN exactly one more job ran, and the package has a new patch
  expect(updated.code).toBe(0);
  expect(emulatorState().jobs).toHaveLength(2);
  expect(output(updated, 'ModelPatchVersion')).not.toBe(output(created, 'ModelPatchVersion'));
  expect(output(updated, 'ModelPackageArn')).toBe(output(created, 'ModelPackageArn'));

  // WHEN it is destroyed by another command
  const destroyed = await panoramaLocal(['destroy']);

  // THEN the stack and (under DESTROY) the package are gone, in the runner's state and the emulator's
  expect(destroyed.code).toBe(0);
  expect(destroyed.out).toContain(' ✅  ImportStack: destroyed');
  expect(runnerState()).toEqual({ stacks: {} });
  expect(emulatorState().packages).toEqual([]);
  expect(fs.existsSync(path.join(cwd, '.panorama-local', 'lock'))).toBe(false);
});

/** An app whose one import stack is bound to an account and Region. */
function boundAssembly(account: string, region: string): string {
  const fixture = writeModelPackage({ modelBytes: `weights for ${account}` });
  return synthApp((stack) => {
    new PanoramaPackageImport(stack, 'Model', { ...FAST, source: PackageSource.fromDirectory(fixture.packageDir), outputs: true, removalPolicy: RemovalPolicy.DESTROY });
  }, 'ImportStack', { account, region });
}

test('a stack bound to an account and Region deploys unchanged: a new state folder\'s emulators serve them', async () => {
  // GIVEN an app whose stack names its account and Region, and no state
  const bound = boundAssembly('111122223333', 'eu-west-1');

  // WHEN it is deployed
  const outcome = await panoramaLocal(['deploy', '--assembly', bound]);

  // THEN the emulators serve that account and Region, and the package is where the stack names it
  expect(outcome.code).toBe(0);
  expect(outcome.out).toContainEqual(expect.stringMatching(/embedded emulators: .*, account 111122223333 in eu-west-1; state in/));
  expect(output(outcome, 'ModelPackageArn')).toMatch(/^arn:aws:panorama:eu-west-1:111122223333:package\/package-/);
  const recorded = JSON.parse(fs.readFileSync(path.join(cwd, '.panorama-local', 'panorama-state.json'), 'utf8'));
  expect({ account: recorded.account, region: recorded.region }).toEqual({ account: '111122223333', region: 'eu-west-1' });
  await panoramaLocal(['destroy']);
});

test('a stack bound to another account than the state folder\'s is refused, and nothing is deployed', async () => {
  // GIVEN a state folder whose first deployment was environment-agnostic (the default account)
  expect((await panoramaLocal(['deploy', '--assembly', assembly('weights')])).code).toBe(0);
  const before = runnerState();

  // WHEN a stack bound to another account is deployed into it
  const outcome = await panoramaLocal(['deploy', '--assembly', boundAssembly('444455556666', 'us-east-1')]);

  // THEN it is refused, naming both accounts and the ways out; the state is as before
  expect(outcome.code).toBe(1);
  expect(outcome.err.at(-1)).toBe('❌  ImportStack is bound to account 444455556666 (its env), but the emulators serve account 123456789012 in us-east-1: '
    + 'deployed here, its resources would not be where it names them (cdk deploy refuses another account\'s credentials the same way). '
    + 'Leave the stack environment-agnostic or take CDK_DEFAULT_ACCOUNT and CDK_DEFAULT_REGION for its env, '
    + 'or deploy it with a new state folder, whose emulators take the account and Region the stacks name.');
  expect(outcome.out.filter((line) => / \| (CREATE|UPDATE|DELETE)_/.test(line))).toEqual([]);
  expect(runnerState()).toEqual(before);
  await panoramaLocal(['destroy']);
});

test('deploy synthesizes with the app of ./cdk.json into the state folder', async () => {
  // GIVEN a cdk.json whose app writes a synthesized assembly into CDK_OUTDIR
  const synthesized = assembly('weights');
  fs.writeFileSync(path.join(cwd, 'copy-app.js'), `require('fs').cpSync(${JSON.stringify(synthesized)}, process.env.CDK_OUTDIR, { recursive: true });`);
  fs.writeFileSync(path.join(cwd, 'cdk.json'), JSON.stringify({ app: 'node copy-app.js' }));

  // WHEN deployed without --assembly
  const outcome = await panoramaLocal(['deploy']);

  // THEN it synthesized into .panorama-local/cdk.out and deployed that
  expect(outcome.code).toBe(0);
  expect(outcome.out[0]).toBe('Synthesizing: node copy-app.js');
  expect(outcome.out[1]).toMatch(/^✨ {2}Synthesis time: \d+\.\d\ds$/);
  expect(fs.existsSync(path.join(cwd, '.panorama-local', 'cdk.out', 'manifest.json'))).toBe(true);
  expect(Object.keys(runnerState().stacks)).toEqual(['ImportStack']);
  await panoramaLocal(['destroy']);
});

test('without an app to synthesize, deploy says what to do and leaves no state folder behind', async () => {
  const outcome = await panoramaLocal(['deploy']);
  expect(outcome.code).toBe(1);
  expect(outcome.err).toEqual([`❌  No app to synthesize: ${path.join(cwd, 'cdk.json')} does not exist. Run panorama-local in the folder of your cdk.json, `
    + 'or pass --app CMD (e.g. --app "npx ts-node bin/app.ts") or --assembly DIR.']);
  expect(fs.existsSync(path.join(cwd, '.panorama-local'))).toBe(false);
});

test('--device provisions a device on first use and finds it on the next command', async () => {
  // GIVEN an app / WHEN deployed twice with the same device, the second time with another one too
  const app = assembly('weights');
  const first = await panoramaLocal(['deploy', '--assembly', app, '--device', 'camera-1']);
  const second = await panoramaLocal(['deploy', '--assembly', app, '--device', 'camera-1', '--device', 'camera-2']);

  // THEN camera-1 was provisioned once and kept, camera-2 added
  expect(first.out).toContain('Device camera-1: provisioned, SUCCEEDED, ONLINE');
  expect(second.out).toContainEqual(expect.stringMatching(/^Device camera-1: already provisioned \(since \d{4}-\d\d-\d\dT[\d:.]+Z\), SUCCEEDED, ONLINE$/));
  expect(second.out).toContain('Device camera-2: provisioned, SUCCEEDED, ONLINE');
  expect(emulatorState().devices.map((d) => d.DeviceId)).toEqual(['camera-1', 'camera-2']);
  // AND destroy leaves the devices: they are not the stack's
  await panoramaLocal(['destroy']);
  expect(emulatorState().devices).toHaveLength(2);
});

test('a second command in the same folder while one runs is refused, naming the lock, and changes nothing', async () => {
  // GIVEN a folder whose lock a running command holds
  const folder = openStateFolder(path.join(cwd, '.panorama-local'));
  const held = acquireLock(folder.lockFile, 'panorama-local deploy');
  try {
    // WHEN another command starts
    const outcome = await panoramaLocal(['deploy', '--assembly', assembly('weights')]);

    // THEN it is refused with the lock's path and holder, and touched nothing
    expect(outcome.code).toBe(1);
    expect(outcome.err).toEqual([expect.stringMatching(new RegExp(`^❌  Another command uses this state folder: \`panorama-local deploy\` \\(pid ${process.pid} `
      + `on .+\\) holds the lock ${folder.lockFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\. Wait for it to finish`))]);
    expect(fs.readdirSync(folder.root).sort()).toEqual(['format.json', 'lock']);
  } finally {
    held.release();
  }
});

test.each([
  ['runner-state.json', 'the runner\'s state'],
  ['panorama-state.json', 'the emulator\'s state'],
])('a corrupt %s (%s) is refused, naming the file and how to start over, and left as it was', async (file, _label) => {
  // GIVEN a state folder whose file was cut short
  const folder = openStateFolder(path.join(cwd, '.panorama-local'));
  fs.writeFileSync(path.join(folder.root, file), '{"stacks": {"ImportSt');

  // WHEN a command runs
  const outcome = await panoramaLocal(['destroy']);

  // THEN it is refused with the file, the parse error and the way out; the file is untouched and the lock released
  expect(outcome.code).toBe(1);
  expect(outcome.err).toEqual([expect.stringMatching(new RegExp(`^❌  .*\\.panorama-local/${file.replace('.', '\\.')} is not valid JSON \\(.+\\).*`
    + 'To start over, delete the folder \\(rm -rf .*\\.panorama-local\\): everything deployed locally is then forgotten\\.$'))]);
  expect(fs.readFileSync(path.join(folder.root, file), 'utf8')).toBe('{"stacks": {"ImportSt');
  expect(fs.existsSync(folder.lockFile)).toBe(false);
});

test('a state folder of another version is refused', async () => {
  fs.mkdirSync(path.join(cwd, '.panorama-local'));
  fs.writeFileSync(path.join(cwd, '.panorama-local', 'format.json'), JSON.stringify({ format: 'panorama-local-state', version: STATE_FOLDER_VERSION + 1 }));
  const outcome = await panoramaLocal(['destroy']);
  expect(outcome.code).toBe(1);
  expect(outcome.err[0]).toMatch(new RegExp(`^❌  .*\\.panorama-local holds state of version ${STATE_FOLDER_VERSION + 1}, and this panorama-local reads version ${STATE_FOLDER_VERSION} only`));
});

describe('with running emulators named in the environment', () => {
  let s3Server: RunningS3Server;
  let emulator: PanoramaEmulator;
  beforeAll(async () => {
    s3Server = await startS3Server();
    emulator = await PanoramaEmulator.start({ s3Endpoint: s3Server.endpoint, jobDelayMs: 50 });
  });
  // Each test starts from an empty service, whatever ran before it.
  beforeEach(() => emulator.reset());
  afterAll(async () => {
    await emulator.stop();
    await s3Server.stop();
  });
  const endpoints = () => environment({ AWS_ENDPOINT_URL_PANORAMA: emulator.endpoint, AWS_ENDPOINT_URL_S3: s3Server.endpoint });

  test('a failed import prints one line with the resource, its type and the service\'s message, exits 1, and records nothing', async () => {
    // GIVEN a service whose next job fails
    emulator.setJobOutcome('fail', { message: 'Model compilation failed: unsupported layer (injected)', count: 1 });

    // WHEN the app is deployed against it
    const outcome = await panoramaLocal(['deploy', '--assembly', assembly('weights')], endpoints());

    // THEN exit 1; one line says which resource, which type, and what the service said
    expect(emulator.jobs()).toHaveLength(1);
    const jobId = emulator.jobs()[0].jobId;
    expect(outcome.code).toBe(1);
    expect(outcome.out.filter((line) => line.includes('_FAILED'))).toEqual([expect.stringMatching(new RegExp(
      `^ImportStack \\| [\\d:]+ \\| CREATE_FAILED +\\| Custom::PanoramaPackageImport \\| Model\\w+ Panorama import job ${jobId} FAILED: Model compilation failed: unsupported layer \\(injected\\)$`))]);
    expect(outcome.out).toContainEqual(expect.stringMatching(/\| ROLLBACK_COMPLETE +\| AWS::CloudFormation::Stack/));
    expect(outcome.err.at(-1)).toMatch(/^❌  ImportStack: Model\w+ \(Custom::PanoramaPackageImport\) CREATE_FAILED: Panorama import job .* \(ROLLBACK_COMPLETE\)$/);
    // AND the state records what exists: nothing (the create was rolled back), and the service has no package
    expect(runnerState()).toEqual({ stacks: {} });
    expect(emulator.packages()).toEqual([]);
  });

  test('--device names a device the running emulator must have (DescribeDevice); an unknown one is refused, saying what to do', async () => {
    // GIVEN a running emulator with one device
    emulator.ensureDevice('cam');

    // WHEN deployed with that device, then with another
    const known = await panoramaLocal(['deploy', '--assembly', assembly('weights'), '--device', 'cam'], endpoints());
    const unknown = await panoramaLocal(['deploy', '--assembly', assembly('weights'), '--device', 'door'], endpoints());

    // THEN the first found it, the second is refused before anything is deployed
    expect(known.code).toBe(0);
    expect(known.out).toContain('Device cam: found in the running emulator, SUCCEEDED, ONLINE');
    expect(unknown.code).toBe(1);
    expect(unknown.err[0]).toMatch(new RegExp(`^❌  --device door: the running Panorama emulator at ${emulator.endpoint} has no device door \\(DescribeDevice: ResourceNotFoundException\\)\\. `
      + 'Its devices come from ProvisionDevice, which chooses their ids'));
    expect(emulator.devices().map((d) => d.DeviceId)).toEqual(['cam']);
    expect(emulator.callsOf('DescribeDevice').map((c) => c.status)).toEqual([200, 404]);
    expect((await panoramaLocal(['destroy'], endpoints())).code).toBe(0);
  });
});

test.each([
  [{ AWS_ENDPOINT_URL_PANORAMA: 'http://127.0.0.1:9' }, /^❌  AWS_ENDPOINT_URL_PANORAMA is set but AWS_ENDPOINT_URL_S3 is not: set both/],
  [{ AWS_ENDPOINT_URL_PANORAMA: 'http://127.0.0.1:9', AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9' }, /^❌  AWS_ENDPOINT_URL_PANORAMA=http:\/\/127\.0\.0\.1:9 does not answer \(.*ECONNREFUSED.*\): start it/],
])('emulators named in the environment must both be set and answer: %j', async (variables, message) => {
  const outcome = await panoramaLocal(['destroy'], environment(variables));
  expect(outcome.code).toBe(1);
  expect(outcome.err[0]).toMatch(message);
});

test('--verbose adds every resource, the runner\'s steps and the handlers\' logs', async () => {
  // GIVEN an app / WHEN deployed quietly, then destroyed with --verbose
  const quiet = await panoramaLocal(['deploy', '--assembly', assembly('weights')]);
  const verbose = await panoramaLocal(['destroy', '--verbose']);

  // THEN only the verbose one printed handler lines and the recorded-only resources
  const handlerLine = /^ {4}\| \{"step":/;
  expect(quiet.out.filter((line) => handlerLine.test(line))).toEqual([]);
  expect(verbose.out).toContainEqual(expect.stringMatching(handlerLine));
  expect(verbose.out).toContainEqual(expect.stringMatching(/\| DELETE_COMPLETE +\| AWS::IAM::Role/));
});

test('a bad command line exits 2 with the usage; --help exits 0 with it', async () => {
  const bad = await panoramaLocal(['deploy', '--bogus']);
  expect(bad.code).toBe(2);
  expect(bad.err[0]).toBe('Unknown option --bogus');
  expect(bad.err).toContain('Usage: panorama-local <deploy|destroy> [STACK...] [options]');
  const help = await panoramaLocal(['--help']);
  expect(help.code).toBe(0);
  expect(help.out[0]).toBe('Usage: panorama-local <deploy|destroy> [STACK...] [options]');
});
