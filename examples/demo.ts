/**
 * The README's main job: the example application through its whole lifecycle, offline, the way a
 * user of the package runs it. In a scratch folder with a cdk.json whose app is examples/app.ts,
 * it runs the packaged `panorama-local` command (assets/cli/panorama-local.js): deploy, deploy
 * again unchanged, deploy new model weights, destroy. Then it checks what each step printed and
 * what the emulator recorded. Any failure exits non-zero with the reason.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { STACK_NAME } from './app';
import { writePanoramaApplication } from './panorama-application';

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

/** What the embedded emulator recorded in the state folder. */
function emulatorState(work: string): { jobs: unknown[]; packages: unknown[] } {
  return JSON.parse(fs.readFileSync(path.join(work, '.panorama-local', 'panorama-state.json'), 'utf8'));
}

function importJobs(work: string): number {
  return emulatorState(work).jobs.length;
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
  console.log(`Work folder: ${work} (cdk.json, app.js, the Panorama application, and .panorama-local/ once deployed)`);
  try {
    heading('1. panorama-local deploy: the example app, a model and a code package');
    const created = await panoramaLocal(work, ['deploy']);
    check(importJobs(work) === 2, 'the first deploy ran two import jobs (model and code)');

    heading('2. panorama-local deploy, again: nothing changed');
    const unchanged = await panoramaLocal(work, ['deploy']);
    check(unchanged.lines.some((line) => line.includes(`${STACK_NAME} (no changes)`)), 'the unchanged redeploy reported no changes');
    check(importJobs(work) === 2, 'and started no import job');

    heading('3. new model weights, panorama-local deploy: a new patch of the model');
    writePanoramaApplication(application, { modelRevision: 2 });
    const updated = await panoramaLocal(work, ['deploy']);
    check(importJobs(work) === 3, 'the new weights started exactly one import job (the code is unchanged)');
    check(output(updated, 'ModelPatchVersion') !== output(created, 'ModelPatchVersion'),
      `new model patch ${output(updated, 'ModelPatchVersion').slice(0, 12)}… (was ${output(created, 'ModelPatchVersion').slice(0, 12)}…)`);
    check(output(updated, 'ModelPackageArn') === output(created, 'ModelPackageArn'), `same package ${output(updated, 'ModelPackageArn')}`);

    heading('4. panorama-local destroy');
    const destroyed = await panoramaLocal(work, ['destroy']);
    check(destroyed.lines.some((line) => line.includes(`${STACK_NAME}: destroyed`)), 'destroy removed the stack');
    check(emulatorState(work).packages.length === 0, 'and, under removalPolicy DESTROY, deregistered the patches and deleted both packages');

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
