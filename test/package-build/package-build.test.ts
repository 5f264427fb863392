/**
 * Building an unbuilt package at synth, with a stand-in engine on PATH that records its command
 * lines (the real engine's tests are in podman.test.ts): the commands and their order, the built
 * manifest, the cache, and what happens without an engine or with one that fails.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { PackageBuild, PackageSource, PanoramaApplication, PanoramaPackageImport } from '../../src';
import { fixtureFolder, removeFixtures, sha256 } from '../support/package-fixture';
import { CODE_PACKAGE, MODEL_PACKAGE, writeCodeFolder, writeFakeEngine, writeSourceProject } from '../support/source-project';
import { TEST_ENV } from '../support/stacks';

const IMPORT = 'Custom::PanoramaPackageImport';
const saved = { PATH: process.env.PATH, CDK_DOCKER: process.env.CDK_DOCKER, FAKE_ENGINE_FAIL: process.env.FAKE_ENGINE_FAIL };
let engine: { name: string; log: string; root: string };

beforeEach(() => {
  const dir = fixtureFolder('fake-engine-');
  engine = writeFakeEngine(dir);
  process.env.PATH = `${dir}${path.delimiter}${saved.PATH}`;
  process.env.CDK_DOCKER = engine.name;
  delete process.env.FAKE_ENGINE_FAIL;
});

afterEach(() => {
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

afterAll(removeFixtures);

function engineCommands(): string[][] {
  return fs.existsSync(engine.log) ? fs.readFileSync(engine.log, 'utf-8').trim().split('\n').map((l) => l.split(' ')) : [];
}

/** Synthesizes one import of the folder into `outdir`; returns the staged files' names. */
function synthFolder(dir: string, outdir: string, packageBuild?: PackageBuild, appProps: object = {}): string[] {
  const app = new App({ outdir, ...appProps });
  const stack = new Stack(app, 'Build', { env: TEST_ENV });
  new PanoramaPackageImport(stack, 'Code', { source: PackageSource.fromDirectory(dir, { packageBuild }) });
  const source = Object.values(Template.fromStack(stack).findResources(IMPORT))[0].Properties.Source;
  return source.Files.map((f: { Name: string }) => f.Name);
}

function builtManifest(outdir: string): any {
  const built = fs.readdirSync(outdir).filter((d) => d.startsWith('panorama-build.'));
  expect(built).toHaveLength(1);
  return JSON.parse(fs.readFileSync(path.join(outdir, built[0], 'package.json'), 'utf-8'));
}

function codeFolder(): string {
  const dir = path.join(fixtureFolder('source-code-'), 'packages', `123456789012-${CODE_PACKAGE}-1.0`);
  writeCodeFolder(dir);
  return dir;
}

describe('a container build', () => {
  test('runs build, create, export and rm, in that order, with the default platform', () => {
    // GIVEN an unbuilt code folder with a Dockerfile
    const dir = codeFolder();
    // WHEN it is synthesized with PackageBuild.container()
    synthFolder(dir, fixtureFolder('cdk-out-'), PackageBuild.container());
    // THEN the engine built the folder for linux/arm64, created a container, exported it and removed it
    const commands = engineCommands();
    expect(commands.map((c) => c[0])).toEqual(['build', 'create', 'export', 'rm']);
    const tag = commands[0][2];
    expect(commands[0]).toEqual(['build', '-t', tag, '--platform', 'linux/arm64', '-f', path.join(dir, 'Dockerfile'), dir]);
    expect(tag).toMatch(/^cdk-panorama-build:[0-9a-f]{20}$/);
    expect(commands[1]).toEqual(['create', '--platform', 'linux/arm64', tag, 'true']);
    expect(commands[2]).toEqual(['export', '-o', expect.stringMatching(/export\.tar$/), '0123456789abcdef']);
    expect(commands[3]).toEqual(['rm', '0123456789abcdef']);
  });

  test('forwards the Dockerfile, build arguments (sorted), platform and pull', () => {
    // GIVEN a code folder whose Dockerfile has another name
    const dir = codeFolder();
    fs.renameSync(path.join(dir, 'Dockerfile'), path.join(dir, 'Dockerfile.arm'));
    // WHEN it is built with every option
    synthFolder(dir, fixtureFolder('cdk-out-'), PackageBuild.container({
      dockerfile: 'Dockerfile.arm', buildArgs: { Z_LAST: '1', A_FIRST: 'x=y' }, platform: 'linux/amd64', pull: true,
    }));
    // THEN the build command carries each
    const build = engineCommands()[0];
    expect(build.slice(3)).toEqual(['--platform', 'linux/amd64', '-f', path.join(dir, 'Dockerfile.arm'),
      '--build-arg', 'A_FIRST=x=y', '--build-arg', 'Z_LAST=1', '--pull', dir]);
  });

  test('stages the built manifest: the asset as build-container writes it, every other field as in the folder', () => {
    // GIVEN an unbuilt code folder
    const dir = codeFolder();
    const original = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf-8'));
    const outdir = fixtureFolder('cdk-out-');
    // WHEN it is built
    const staged = synthFolder(dir, outdir, PackageBuild.container());
    // THEN the manifest declares code_asset with the archive and the descriptor named by their sha256
    const manifest = builtManifest(outdir);
    const descriptorName = `${sha256(fs.readFileSync(path.join(dir, 'descriptor.json')))}.json`;
    expect(manifest.nodePackage.assets).toEqual([{
      name: 'code_asset',
      implementations: [{ type: 'container', assetUri: expect.stringMatching(/^[0-9a-f]{64}\.tar\.gz$/), descriptorUri: descriptorName }],
    }]);
    expect({ ...manifest.nodePackage, assets: [] }).toEqual(original.nodePackage);
    // AND the archive is named by the sha256 of its bytes, staged with the descriptor and the manifest
    const archive = manifest.nodePackage.assets[0].implementations[0].assetUri;
    const built = fs.readdirSync(outdir).find((d) => d.startsWith('panorama-build.'))!;
    expect(`${sha256(fs.readFileSync(path.join(outdir, built, archive)))}.tar.gz`).toBe(archive);
    expect(staged.sort()).toEqual(['package.json', archive, descriptorName].sort());
  });

  test('writes nothing into the package folder', () => {
    // GIVEN an unbuilt code folder
    const dir = codeFolder();
    const before = fs.readdirSync(dir, { recursive: true }).sort();
    // WHEN it is built
    synthFolder(dir, fixtureFolder('cdk-out-'), PackageBuild.container());
    // THEN the folder holds what it held
    expect(fs.readdirSync(dir, { recursive: true }).sort()).toEqual(before);
  });

  test('an unbuilt folder with a Dockerfile is built without being asked', () => {
    // GIVEN an unbuilt code folder with a Dockerfile, and no packageBuild
    const dir = codeFolder();
    // WHEN it is synthesized
    synthFolder(dir, fixtureFolder('cdk-out-'));
    // THEN it was built
    expect(engineCommands().map((c) => c[0])).toEqual(['build', 'create', 'export', 'rm']);
  });
});

describe('the cache', () => {
  test('an unchanged re-synth into the same cdk.out runs no engine command', () => {
    // GIVEN a folder built once
    const dir = codeFolder();
    const outdir = fixtureFolder('cdk-out-');
    const first = synthFolder(dir, outdir, PackageBuild.container());
    fs.rmSync(engine.log);
    // WHEN it is synthesized again, nothing changed
    const second = synthFolder(dir, outdir, PackageBuild.container());
    // THEN nothing ran, and the same files are staged
    expect(engineCommands()).toEqual([]);
    expect(second).toEqual(first);
  });

  test('after cdk.out is deleted the build runs again and gives the same archive name', () => {
    // GIVEN a folder built into one cdk.out
    const dir = codeFolder();
    const first = synthFolder(dir, fixtureFolder('cdk-out-'), PackageBuild.container());
    // WHEN it is built into a new one (the stand-in engine exports the same files, with new times)
    fs.utimesSync(path.join(engine.root, 'panorama', 'app.py'), new Date(), new Date(Date.now() + 60_000));
    const second = synthFolder(dir, fixtureFolder('cdk-out-'), PackageBuild.container());
    // THEN it was built twice, and the archive has the same name: no new import job
    expect(engineCommands().filter((c) => c[0] === 'build')).toHaveLength(2);
    expect(second).toEqual(first);
  });

  test('a changed source file builds again', () => {
    // GIVEN a folder built once
    const dir = codeFolder();
    const outdir = fixtureFolder('cdk-out-');
    synthFolder(dir, outdir, PackageBuild.container());
    // WHEN a line of src/app.py changes
    fs.appendFileSync(path.join(dir, 'src', 'app.py'), 'THRESHOLD = 0.6\n');
    synthFolder(dir, outdir, PackageBuild.container());
    // THEN the engine built it again
    expect(engineCommands().filter((c) => c[0] === 'build')).toHaveLength(2);
  });

  test('a half build that a killed synth left is removed, and the build completes', () => {
    // GIVEN a folder built once, and the half build of a synth killed mid-build (its process gone)
    const dir = codeFolder();
    const outdir = fixtureFolder('cdk-out-');
    synthFolder(dir, outdir, PackageBuild.container());
    const built = fs.readdirSync(outdir).find((d) => d.startsWith('panorama-build.'))!;
    fs.renameSync(path.join(outdir, built), path.join(outdir, `${built}.tmp-999999999-0badc0de`));
    // WHEN the app is synthesized again
    synthFolder(dir, outdir, PackageBuild.container());
    // THEN the build ran again, completed, and the half build is gone
    expect(engineCommands().filter((c) => c[0] === 'build')).toHaveLength(2);
    expect(fs.readdirSync(outdir).filter((d) => d.startsWith('panorama-build.'))).toEqual([built]);
  });

  test('a build skipped with bundling runs no engine command', () => {
    // GIVEN an app whose bundling is skipped for every stack (cdk synth --exclusively of another stack)
    const dir = codeFolder();
    // WHEN the folder is synthesized
    const staged = synthFolder(dir, fixtureFolder('cdk-out-'), PackageBuild.container(), { context: { 'aws:cdk:bundling-stacks': [] } });
    // THEN no engine ran, and a stand-in archive is staged
    expect(engineCommands()).toEqual([]);
    expect(staged).toContainEqual(expect.stringMatching(/^[0-9a-f]{64}\.tar\.gz$/));
  });
});

describe('when the engine is missing or fails', () => {
  test('no engine: one line that says what to install and which package needed it', () => {
    // GIVEN no engine under the name CDK_DOCKER gives
    process.env.CDK_DOCKER = 'no-such-engine';
    const dir = codeFolder();
    // WHEN the folder is built
    // THEN synth fails with one line naming the folder, the engine and what to install
    expect(() => synthFolder(dir, fixtureFolder('cdk-out-'), PackageBuild.container())).toThrow(
      new RegExp(`^Building the package in ${escape(dir)} needs a container engine, but "no-such-engine" .*install Docker, or Podman .*CDK_DOCKER=podman[^\\n]*$`));
  });

  test('an engine that fails: its last lines and the package', () => {
    // GIVEN an engine whose build fails after 30 lines of output
    process.env.FAKE_ENGINE_FAIL = 'build';
    const dir = codeFolder();
    const outdir = fixtureFolder('cdk-out-');
    // WHEN the folder is built
    let message = '';
    try {
      synthFolder(dir, outdir, PackageBuild.container());
    } catch (e) {
      message = (e as Error).message;
    }
    // THEN the error names the package and the command, and shows the last 20 lines, not the first
    expect(message).toContain(`Building the package in ${dir}: \`fake-engine build -t`);
    expect(message).toContain('(exit code 125)');
    expect(message).toContain('Error: base image not found');
    expect(message).toContain('step 30 of the build');
    expect(message).not.toContain('step 5 of the build');
    // AND no half build is left in cdk.out
    expect(fs.readdirSync(outdir).filter((d) => d.startsWith('panorama-build'))).toEqual([]);
  });

  test('a failed export still removes the container', () => {
    // GIVEN an engine whose export fails
    process.env.FAKE_ENGINE_FAIL = 'export';
    // WHEN a folder is built
    expect(() => synthFolder(codeFolder(), fixtureFolder('cdk-out-'), PackageBuild.container())).toThrow(/export/);
    // THEN the container was removed after the failed export
    expect(engineCommands().map((c) => c[0])).toEqual(['build', 'create', 'export', 'rm']);
  });
});

describe('a model build', () => {
  test('stages the model byte for byte as sha256(file).tar.gz, first in assets, with no engine', () => {
    // GIVEN the source project's unbuilt model folder and a downloaded model archive
    const project = writeSourceProject();
    process.env.CDK_DOCKER = 'no-such-engine';
    const outdir = fixtureFolder('cdk-out-');
    // WHEN it is built as a model
    const staged = synthFolder(project.modelDir, outdir, PackageBuild.model({ modelFile: project.modelFile }));
    // THEN the asset is the model file's sha256, its descriptor's sha256, under the interface's asset name
    const modelName = `${sha256(fs.readFileSync(project.modelFile))}.tar.gz`;
    const descriptorName = `${sha256(fs.readFileSync(path.join(project.modelDir, 'descriptor.json')))}.json`;
    const manifest = builtManifest(outdir);
    expect(manifest.nodePackage.assets).toEqual([{ name: 'model_asset', implementations: [{ type: 'model', assetUri: modelName, descriptorUri: descriptorName }] }]);
    expect(staged.sort()).toEqual(['package.json', modelName, descriptorName].sort());
    const built = fs.readdirSync(outdir).find((d) => d.startsWith('panorama-build.'))!;
    expect(fs.readFileSync(path.join(outdir, built, modelName))).toEqual(fs.readFileSync(project.modelFile));
  });

  test('a descriptor against the schema is refused, naming the descriptor', () => {
    // GIVEN a model folder whose descriptor has no framework
    const project = writeSourceProject();
    const descriptorPath = path.join(project.modelDir, 'descriptor.json');
    const descriptor = JSON.parse(fs.readFileSync(descriptorPath, 'utf-8'));
    delete descriptor.mlModelDescriptor.framework;
    fs.writeFileSync(descriptorPath, JSON.stringify(descriptor));
    // WHEN it is built THEN the descriptor is refused
    expect(() => synthFolder(project.modelDir, fixtureFolder('cdk-out-'), PackageBuild.model({ modelFile: project.modelFile })))
      .toThrow(/framework/);
  });

  test('a missing model file is refused, naming the option', () => {
    const project = writeSourceProject();
    expect(() => synthFolder(project.modelDir, fixtureFolder('cdk-out-'), PackageBuild.model({ modelFile: path.join(project.projectDir, 'missing.tar.gz') })))
      .toThrow(/PackageBuild\.model modelFile.*missing\.tar\.gz.*must be an existing file/);
  });
});

describe('PanoramaApplication', () => {
  function synthApplication(projectDir: string, builds?: { [name: string]: PackageBuild }): Template {
    const stack = new Stack(new App({ outdir: fixtureFolder('cdk-out-') }), 'App', { env: TEST_ENV });
    new PanoramaApplication(stack, 'Counter', { projectDirectory: projectDir, device: 'device-0123456789abcdefghijklmnop', builds });
    return Template.fromStack(stack);
  }

  test('builds the code by default and the model from its builds entry', () => {
    // GIVEN a people_counter-shaped project in source form
    const project = writeSourceProject();
    // WHEN it is deployed with a builds entry for the model only
    const template = synthApplication(project.projectDir, { [MODEL_PACKAGE]: PackageBuild.model({ modelFile: project.modelFile }) });
    // THEN both packages are imported, the code built by the engine
    const names = Object.values(template.findResources(IMPORT)).map((r) => r.Properties.PackageName).sort();
    expect(names).toEqual([CODE_PACKAGE, MODEL_PACKAGE]);
    expect(engineCommands().map((c) => c[0])).toEqual(['build', 'create', 'export', 'rm']);
  });

  test('an unbuilt model package with no builds entry is refused, naming the package and the entry to add', () => {
    // GIVEN the source project, without a builds entry for its model
    const project = writeSourceProject();
    // WHEN it is synthesized THEN the model is refused with the entry to add
    expect(() => synthApplication(project.projectDir)).toThrow(
      new RegExp(`add builds: \\{ '${MODEL_PACKAGE}': PackageBuild\\.model\\(\\{ modelFile: '<model \\.tar\\.gz>', assetName: 'model_asset' \\}\\) \\} to the PanoramaApplication`));
  });

  test('an entry for the code package changes its build options', () => {
    // GIVEN the source project / WHEN both packages have an entry, the code's for amd64
    const project = writeSourceProject();
    const template = synthApplication(project.projectDir, {
      [MODEL_PACKAGE]: PackageBuild.model({ modelFile: project.modelFile }),
      [CODE_PACKAGE]: PackageBuild.container({ platform: 'linux/amd64' }),
    });
    // THEN both are imported, the code built for amd64
    expect(Object.keys(template.findResources(IMPORT))).toHaveLength(2);
    expect(engineCommands()[0]).toContain('linux/amd64');
  });

  test('an entry that names no package the graph imports is refused, naming the packages it may name', () => {
    // GIVEN the source project / WHEN an entry misspells the model's name
    const project = writeSourceProject();
    // THEN synth fails naming the entry and the packages
    expect(() => synthApplication(project.projectDir, { SSD_MODLE: PackageBuild.model({ modelFile: project.modelFile }) }))
      .toThrow(`builds.SSD_MODLE: "SSD_MODLE" must name a package of the project that the graph imports (${CODE_PACKAGE}, ${MODEL_PACKAGE}), by its name without account`);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
