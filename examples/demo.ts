/**
 * The README's main job: the example project through its whole lifecycle, offline, the way a user
 * of the package runs it. In a scratch folder with a cdk.json whose app is examples/app.ts (a
 * `PanoramaApplication` over a generated panorama-cli project), it runs the packaged
 * `panorama-local` command (assets/cli/panorama-local.js) with `--device`: deploy (both packages
 * imported, the application instance deployed), deploy again unchanged, deploy new model weights
 * (a new patch, a new instance replacing the old one), destroy. After each step it checks what was
 * printed and what the emulator recorded. Any failure exits non-zero with the reason.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CAMERA_NAME, DEVICE, STACK_NAME } from './app';
import { ACCOUNT, CODE_PACKAGE, MODEL_PACKAGE, writePanoramaApplication } from './panorama-application';

const ROOT = path.resolve(__dirname, '..');
const PANORAMA_LOCAL = path.join(ROOT, 'assets', 'cli', 'panorama-local.js');

/** What one panorama-local run printed. */
interface Run {
  readonly lines: string[];
  /** `Stack.OutputKey = value` lines, by output key without the stack name. */
  readonly outputs: Record<string, string>;
}

/** Runs panorama-local in `cwd`, echoing its output; rejects when it exits non-zero. */
function panoramaLocal(cwd: string, args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [PANORAMA_LOCAL, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    const collect = (stream: NodeJS.ReadableStream, echo: NodeJS.WriteStream) => stream.on('data', (chunk: Buffer) => {
      echo.write(chunk);
      lines.push(...chunk.toString('utf8').split('\n'));
    });
    collect(child.stdout, process.stdout);
    collect(child.stderr, process.stderr);
    child.once('error', reject);
    child.once('close', (code) => {
      if (code !== 0) return reject(new Error(`panorama-local ${args.join(' ')} exited with code ${code}`));
      const outputs: Record<string, string> = {};
      for (const line of lines) {
        const match = new RegExp(`^${STACK_NAME}\\.(\\w+) = (.*)$`).exec(line);
        if (match) outputs[match[1]] = match[2];
      }
      resolve({ lines, outputs });
    });
  });
}

/** The output whose key starts with the construct id and attribute (`ModelPatchVersion…`). */
function output(run: Run, prefix: string): string {
  const key = Object.keys(run.outputs).find((k) => k.startsWith(prefix));
  if (!key) throw new Error(`no output ${prefix}… was printed`);
  return run.outputs[key];
}

/** What the embedded emulator recorded in the state folder (the parts the demo reads). */
interface EmulatorState {
  readonly jobs: unknown[];
  readonly packages: Array<{ packageId: string; packageName: string }>;
  readonly versions: Array<{ packageId: string; patchVersion: string; registered: boolean }>;
  readonly applicationInstances: Array<{
    applicationInstanceId: string; status: string; manifestPayload: string; manifestOverridesPayload?: string; statusDescription: string;
  }>;
  readonly nodes?: Array<{ name: string }>;
}

function emulatorState(work: string): EmulatorState {
  return JSON.parse(fs.readFileSync(path.join(work, '.panorama-local', 'panorama-state.json'), 'utf8'));
}

function importJobs(work: string): number {
  return emulatorState(work).jobs.length;
}

function instance(work: string, id: string): EmulatorState['applicationInstances'][number] {
  const found = emulatorState(work).applicationInstances.find((i) => i.applicationInstanceId === id);
  if (!found) throw new Error(`the emulator has no application instance ${id}`);
  return found;
}

/** `<account>::<name>` → the patch the deployed manifest pins, for the project's packages. */
function pinnedPatches(work: string, id: string): Record<string, string | undefined> {
  const graph = JSON.parse(instance(work, id).manifestPayload) as { nodeGraph: { packages: Array<{ name: string; patchVersion?: string }> } };
  return Object.fromEntries(graph.nodeGraph.packages.map((p) => [p.name, p.patchVersion]));
}

/** The registered patches of a package, by its name. */
function registeredPatches(work: string, packageName: string): string[] {
  const state = emulatorState(work);
  const pkg = state.packages.find((p) => p.packageName === packageName);
  return pkg ? state.versions.filter((v) => v.packageId === pkg.packageId && v.registered).map((v) => v.patchVersion) : [];
}

function heading(text: string): void {
  const line = `=== ${text} ===`;
  console.log(`\n${process.stdout.isTTY ? `\x1b[1m${line}\x1b[0m` : line}\n`);
}

const checks: string[] = [];
function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(`check failed: ${message}`);
  checks.push(`ok: ${message}`);
}

const short = (patch: string): string => `${patch.slice(0, 12)}…`;

async function main(): Promise<void> {
  if (!fs.existsSync(PANORAMA_LOCAL)) throw new Error(`${PANORAMA_LOCAL} is missing: run npx projen bundle first`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'panorama-demo-'));
  const application = path.join(work, 'panorama-app');
  // As in any CDK app: cdk.json names the command that synthesizes it. Here app.js runs
  // examples/app.ts through this repository's ts-node.
  fs.writeFileSync(path.join(work, 'cdk.json'), JSON.stringify({ app: 'node app.js' }, null, 2));
  fs.writeFileSync(path.join(work, 'app.js'), [
    `require(${JSON.stringify(require.resolve('ts-node'))}).register({ transpileOnly: true, project: ${JSON.stringify(path.join(ROOT, 'tsconfig.json'))} });`,
    `require(${JSON.stringify(path.join(ROOT, 'examples', 'app.ts'))}).synthesizeExampleApp(${JSON.stringify(application)});`,
  ].join('\n'));
  writePanoramaApplication(application, { modelRevision: 1 });
  console.log(`Work folder: ${work} (cdk.json, app.js, the panorama-cli project in panorama-app/, and .panorama-local/ once deployed)`);
  const deploy = ['deploy', '--device', DEVICE];
  try {
    heading(`1. panorama-local deploy --device ${DEVICE}: the whole project, a model, a code package and the application`);
    const created = await panoramaLocal(work, deploy);
    const firstInstance = output(created, 'ApplicationInstanceId');
    check(importJobs(work) === 2, 'the first deploy imported both packages (two import jobs: model and code)');
    check(output(created, 'ApplicationInstanceStatus') === 'DEPLOYMENT_SUCCEEDED' && instance(work, firstInstance).status === 'DEPLOYMENT_SUCCEEDED',
      `application instance ${firstInstance} reached DEPLOYMENT_SUCCEEDED on ${DEVICE}`);
    const overrides = JSON.parse(instance(work, firstInstance).manifestOverridesPayload ?? '{}');
    check(JSON.stringify(overrides.nodeGraphOverrides?.nodeOverrides) === JSON.stringify([{ replace: 'camera_node', with: [{ name: `${CAMERA_NAME}_node` }] }]),
      `camera ${CAMERA_NAME} (made by CreateNodeFromTemplateJob, its password read from a secret) replaces the abstract camera_node`);
    check(output(created, 'CameraPackageName') === `${ACCOUNT}::${CAMERA_NAME}`, `the camera's package is ${ACCOUNT}::${CAMERA_NAME}`);
    const pinned = pinnedPatches(work, firstInstance);
    check(pinned[`${ACCOUNT}::${MODEL_PACKAGE}`] === output(created, 'ModelPatchVersion') && pinned[`${ACCOUNT}::${CODE_PACKAGE}`] === output(created, 'CodePatchVersion'),
      `its manifest pins both imported patches in account ${ACCOUNT} (model ${short(output(created, 'ModelPatchVersion'))}, code ${short(output(created, 'CodePatchVersion'))})`);

    heading('2. panorama-local deploy, again: nothing changed');
    const unchanged = await panoramaLocal(work, deploy);
    check(unchanged.lines.some((line) => line.includes(`${STACK_NAME} (no changes)`)), 'the unchanged redeploy reported no changes');
    check(importJobs(work) === 2 && emulatorState(work).applicationInstances.length === 1, 'and started no import job and no new application instance');

    heading('3. new model weights, panorama-local deploy: a new patch of the model replaces the application instance');
    writePanoramaApplication(application, { modelRevision: 2 });
    const updated = await panoramaLocal(work, deploy);
    const secondInstance = output(updated, 'ApplicationInstanceId');
    check(importJobs(work) === 3, 'the new weights started exactly one import job (the code is unchanged)');
    check(output(updated, 'ModelPatchVersion') !== output(created, 'ModelPatchVersion') && output(updated, 'ModelPackageArn') === output(created, 'ModelPackageArn'),
      `a new patch ${short(output(updated, 'ModelPatchVersion'))} of the same package (was ${short(output(created, 'ModelPatchVersion'))})`);
    check(secondInstance !== firstInstance && instance(work, secondInstance).status === 'DEPLOYMENT_SUCCEEDED',
      `a new application instance ${secondInstance} reached DEPLOYMENT_SUCCEEDED`);
    check(pinnedPatches(work, secondInstance)[`${ACCOUNT}::${MODEL_PACKAGE}`] === output(updated, 'ModelPatchVersion'), 'its manifest pins the new model patch');
    check(instance(work, firstInstance).status === 'REMOVAL_SUCCEEDED', `the replaced instance ${firstInstance} was removed (REMOVAL_SUCCEEDED)`);
    check(JSON.stringify(registeredPatches(work, MODEL_PACKAGE)) === JSON.stringify([output(updated, 'ModelPatchVersion')]),
      'and then, under removalPolicy DESTROY, the old model patch was deregistered: only the new one is registered');

    heading('4. panorama-local destroy');
    const destroyed = await panoramaLocal(work, ['destroy']);
    check(destroyed.lines.some((line) => line.includes(`${STACK_NAME}: destroyed`)), 'destroy removed the stack');
    check(emulatorState(work).applicationInstances.every((i) => i.status === 'REMOVAL_SUCCEEDED'), 'the application instance was removed from the device');
    check(emulatorState(work).packages.length === 0, 'and, under removalPolicy DESTROY, the patches were deregistered and the packages (both imports, the camera) deleted');
    check((emulatorState(work).nodes ?? []).length === 0, 'no camera node is left');

    heading('What the demo checked');
    checks.forEach((line) => console.log(line));
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: Error) => {
  console.error(`\ndemo failed: ${error.message}`);
  process.exit(1);
});
