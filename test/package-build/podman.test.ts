/**
 * Builds with the real engine (podman here and in CI; docker where it answers): a source-form code
 * folder whose Dockerfile COPYs src/ and RUNs a command, built at synth into a reproducible archive.
 * One file, so that these builds do not run at the same time as each other.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { PackageBuild, PackageSource, PanoramaPackageImport } from '../../src';
import { engineEnvironment, engineRun, ensureBaseImage, usableEngine } from '../support/container-engine';
import { fixtureFolder, removeFixtures, sha256 } from '../support/package-fixture';
import { CODE_PACKAGE, writeCodeFolder } from '../support/source-project';
import { TEST_ENV } from '../support/stacks';

const engine = usableEngine();
const describeWithEngine = engine ? describe : describe.skip;
const saved = { CDK_DOCKER: process.env.CDK_DOCKER, BUILDAH_ISOLATION: process.env.BUILDAH_ISOLATION };

beforeAll(() => {
  if (!engine) return;
  Object.assign(process.env, engineEnvironment(engine));
  ensureBaseImage(engine);
}, 300_000);

afterAll(() => {
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  removeFixtures();
});

/** Synthesizes an import of the folder into `outdir`; returns the archive's name and path. */
function build(dir: string, outdir: string): { name: string; path: string } {
  const app = new App({ outdir });
  const stack = new Stack(app, 'Build', { env: TEST_ENV });
  new PanoramaPackageImport(stack, 'Code', { source: PackageSource.fromDirectory(dir, { packageBuild: PackageBuild.container() }) });
  const files: Array<{ Name: string }> = Object.values(Template.fromStack(stack).findResources('Custom::PanoramaPackageImport'))[0].Properties.Source.Files;
  const name = files.map((f) => f.Name).find((n) => n.endsWith('.tar.gz'))!;
  const built = fs.readdirSync(outdir).find((d) => d.startsWith('panorama-build.'))!;
  return { name, path: path.join(outdir, built, name) };
}

function codeFolder(): string {
  const dir = path.join(fixtureFolder('podman-code-'), 'packages', `123456789012-${CODE_PACKAGE}-1.0`);
  writeCodeFolder(dir);
  return dir;
}

function containers(): string[] {
  return engineRun(engine!, ['ps', '-a', '-q']).split('\n').filter((l) => l !== '');
}

describeWithEngine('a Dockerfile built with the real engine', () => {
  test('the archive is the container file system: src/ copied, the RUN step\'s file, every time zero, named by its sha256', () => {
    // GIVEN a source-form code folder
    const dir = codeFolder();
    const before = containers();
    // WHEN it is built at synth
    const archive = build(dir, fixtureFolder('cdk-out-'));
    // THEN the archive is named by its bytes and holds the copied source and the RUN output
    expect(`${sha256(fs.readFileSync(archive.path))}.tar.gz`).toBe(archive.name);
    const listing = execFileSync('tar', ['tvzf', archive.path], { encoding: 'utf-8' }).split('\n').filter((l) => l !== '');
    expect(listing).toContainEqual(expect.stringMatching(/ panorama\/app\.py$/));
    expect(listing).toContainEqual(expect.stringMatching(/ opt\/counter\/marker$/));
    expect(listing.every((l) => l.includes(' 1970-01-01 00:00 '))).toBe(true);
    const app = execFileSync('tar', ['xzf', archive.path, '-O', 'panorama/app.py'], { encoding: 'utf-8' });
    expect(app).toBe(fs.readFileSync(path.join(dir, 'src', 'app.py'), 'utf-8'));
    // AND the container made for the export is gone
    expect(containers()).toEqual(before);
  }, 300_000);

  test('the same sources give the same archive after cdk.out is deleted and the image removed', () => {
    // GIVEN a folder built once
    const dir = codeFolder();
    const first = build(dir, fixtureFolder('cdk-out-'));
    // WHEN its image is removed and it is built into a new cdk.out, its source touched
    const tag = engineRun(engine!, ['images', '--format', '{{.Repository}}:{{.Tag}}']).split('\n').find((t) => t.includes('cdk-panorama-build'))!;
    engineRun(engine!, ['rmi', '-f', tag]);
    fs.utimesSync(path.join(dir, 'src', 'app.py'), new Date(), new Date(Date.now() + 120_000));
    const second = build(dir, fixtureFolder('cdk-out-'));
    // THEN the archive has the same name: no new patch
    expect(second.name).toBe(first.name);
  }, 300_000);

  test('a changed line of src/app.py gives a new archive', () => {
    // GIVEN a folder built once
    const dir = codeFolder();
    const outdir = fixtureFolder('cdk-out-');
    const first = build(dir, outdir);
    // WHEN a line of the source changes
    fs.writeFileSync(path.join(dir, 'src', 'app.py'), fs.readFileSync(path.join(dir, 'src', 'app.py'), 'utf-8').replace('0.5', '0.6'));
    const second = build(dir, fixtureFolder('cdk-out-'));
    // THEN the archive is new
    expect(second.name).not.toBe(first.name);
  }, 300_000);

  test('a Dockerfile whose RUN fails stops synth with the engine\'s last lines and the package', () => {
    // GIVEN a folder whose RUN step fails
    const dir = path.join(fixtureFolder('podman-code-'), 'packages', `123456789012-${CODE_PACKAGE}-1.0`);
    writeCodeFolder(dir, { dockerfile: 'FROM public.ecr.aws/panorama/panorama-application\nRUN echo "pip failed: no network" && exit 3\n' });
    // WHEN it is built THEN the error names the package and shows the step's output
    expect(() => build(dir, fixtureFolder('cdk-out-'))).toThrow(new RegExp(`Building the package in ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: \`\\S+ build [^\\n]*failed \\(exit code \\d+\\)[^]*pip failed: no network`));
  }, 300_000);
});
