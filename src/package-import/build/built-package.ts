/**
 * Builds an unbuilt package folder at synth into `cdk.out`: the archive (a container's file system
 * or a model file), its descriptor, and the built manifest, each named as panorama-cli names them.
 * A build is cached under the hash of its inputs, so a synth with nothing changed builds nothing.
 * Written into a temporary folder and renamed when complete: a killed synth leaves no half build.
 */
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Stack, Stage } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { sha256File } from './archive';
import { buildContainerArchive } from './container-build';
import { Engine } from './engine';
import { ContainerBuildOptions, ModelBuildOptions, PackageBuild } from './package-build';
import { buildSourceHash } from './source-hash';
import { parseJsonDocument } from '../../rules/schema';
import { PanoramaValidationError, throwIfProblems, ValidationProblem } from '../../rules/validation';

/** The built form of a package folder: read as the folder, with its manifest and files from here. */
export interface BuiltPackage {
  /** The folder that holds the built manifest, the archive and the descriptor copy. */
  readonly directory: string;
  readonly manifestPath: string;
}

/** The platform Panorama devices run. */
export const DEFAULT_PLATFORM = 'linux/arm64';

type Json = Record<string, any>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readJson(file: string): unknown {
  const reading = parseJsonDocument(fs.readFileSync(file), file, 'a node package manifest');
  throwIfProblems(reading.problems);
  return reading.document;
}

/** The asset names the interfaces refer to but the manifest does not declare. */
function undeclaredAssets(nodePackage: Json): Array<{ asset: string; category: unknown }> {
  const assets = Array.isArray(nodePackage.assets) ? nodePackage.assets : [];
  const declared = new Set(assets.filter(isObject).map((a: Json) => a.name));
  const interfaces = Array.isArray(nodePackage.interfaces) ? nodePackage.interfaces.filter(isObject) : [];
  return interfaces
    .filter((i: Json) => typeof i.asset === 'string' && !declared.has(i.asset))
    .map((i: Json) => ({ asset: i.asset as string, category: i.category }));
}

/**
 * The build a folder needs: the one given, else a container build for an unbuilt folder whose code
 * is unbuilt and which holds a Dockerfile (as `NodejsFunction` bundles without being asked), else none.
 */
export function planBuild(packageDir: string, manifestPath: string, given: PackageBuild | undefined): PackageBuild | undefined {
  if (given) return given;
  let document: unknown;
  try {
    document = JSON.parse(fs.readFileSync(manifestPath, 'utf-8'));
  } catch {
    return undefined; // the folder reader says what is wrong
  }
  if (!isObject(document) || !isObject(document.nodePackage)) return undefined;
  const unbuiltCode = undeclaredAssets(document.nodePackage).some((u) => u.category !== 'ml_model');
  return unbuiltCode && fs.existsSync(path.join(packageDir, 'Dockerfile')) ? PackageBuild.container() : undefined;
}

function fail(field: string, value: unknown, rule: string): never {
  throw new PanoramaValidationError([new ValidationProblem(field, value, rule)]);
}

function existingFile(file: string, field: string, what: string): string {
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(file);
  } catch {
    stat = undefined;
  }
  if (!stat?.isFile()) fail(field, file, `must be an existing file: ${what}`);
  return file;
}

/** The asset a build writes: the option, else the one interface of its kind (the unbuilt one first). */
function chooseAssetName(nodePackage: Json, kind: 'container' | 'model', given: string | undefined, field: string): string {
  if (given !== undefined) return given;
  const ofKind = (category: unknown) => (kind === 'model' ? category === 'ml_model' : category !== 'ml_model');
  const unbuilt = [...new Set(undeclaredAssets(nodePackage).filter((u) => ofKind(u.category)).map((u) => u.asset))];
  const interfaces = Array.isArray(nodePackage.interfaces) ? nodePackage.interfaces.filter(isObject) : [];
  const named = [...new Set(interfaces.filter((i: Json) => ofKind(i.category) && typeof i.asset === 'string').map((i: Json) => i.asset as string))];
  const candidates = unbuilt.length > 0 ? unbuilt : named;
  if (candidates.length === 1) return candidates[0];
  const what = kind === 'model' ? 'an ml_model interface' : 'a code interface';
  return fail(field, candidates.length === 0 ? 'none' : candidates.join(', '),
    `must be given: the manifest's interfaces name ${candidates.length === 0 ? 'no asset of ' + what : 'several assets of ' + what + ', so the build cannot choose'}`);
}

/** The manifest with the built asset, as panorama-cli writes it. */
function builtManifest(document: Json, kind: 'container' | 'model', assetName: string, assetUri: string, descriptorUri: string): string {
  const manifest = JSON.parse(JSON.stringify(document));
  const pkg = manifest.nodePackage;
  const entry = { name: assetName, implementations: [{ type: kind, assetUri, descriptorUri }] };
  const assets: Json[] = Array.isArray(pkg.assets) ? pkg.assets : [];
  if (kind === 'model') {
    // add-raw-model puts the model first.
    pkg.assets = [entry, ...assets.filter((a) => !isObject(a) || a.name !== assetName)];
  } else {
    // build-container replaces the asset of the same name, else adds it.
    const at = assets.findIndex((a) => isObject(a) && a.name === assetName);
    pkg.assets = at < 0 ? [...assets, entry] : assets.map((a, i) => (i === at ? entry : a));
  }
  return JSON.stringify(manifest, null, 4) + '\n';
}

/** A file copied as `sha256(bytes)<extension>`, as panorama-cli names assets and descriptors. */
function copyByHash(file: string, directory: string, extension: string): string {
  const name = `${sha256File(file)}${extension}`;
  // A copy-on-write clone where the file system offers one (a model can be gigabytes), else a copy.
  fs.copyFileSync(file, path.join(directory, name), fs.constants.COPYFILE_FICLONE);
  return name;
}

/** Stand-in for a container archive when the stack's bundling is skipped: never deployed. */
const SKIPPED_ARCHIVE = 'build skipped: bundling is skipped for this stack\n';

interface Resolved {
  readonly kind: 'container' | 'model';
  readonly assetName: string;
  readonly descriptor: string;
  readonly sourceHash: string;
  readonly produce: (directory: string) => string;
}

function resolveContainer(scope: Construct, packageDir: string, document: Json, options: ContainerBuildOptions, needs: string): Resolved {
  const dockerfile = existingFile(path.resolve(packageDir, options.dockerfile ?? 'Dockerfile'), 'PackageBuild.container dockerfile',
    `a container build builds the package folder's Dockerfile (${needs})`);
  const descriptor = existingFile(path.resolve(packageDir, options.descriptor ?? 'descriptor.json'), 'PackageBuild.container descriptor',
    `the container asset's descriptor (${needs}), as panorama-cli build-container copies it`);
  const assetName = chooseAssetName(document.nodePackage, 'container', options.assetName, 'PackageBuild.container assetName');
  const buildArgs = options.buildArgs ?? {};
  const platform = options.platform ?? DEFAULT_PLATFORM;
  const pull = options.pull ?? false;
  const sourceHash = buildSourceHash({
    trees: [packageDir],
    files: [dockerfile, descriptor],
    options: { kind: 'container', assetName, dockerfile: path.relative(packageDir, dockerfile), buildArgs, platform, pull },
  });
  const skipped = !Stack.of(scope).bundlingRequired;
  return {
    kind: 'container',
    assetName,
    descriptor,
    sourceHash: skipped ? `skipped-${sourceHash}` : sourceHash,
    produce: (directory) => {
      if (skipped) {
        const placeholder = path.join(directory, 'skipped.tar.gz');
        fs.writeFileSync(placeholder, SKIPPED_ARCHIVE);
        const name = copyByHash(placeholder, directory, '.tar.gz');
        fs.rmSync(placeholder);
        return name;
      }
      const engine = Engine.find(needs);
      return buildContainerArchive(engine, {
        contextDirectory: packageDir,
        dockerfile,
        buildArgs,
        platform,
        pull,
        tag: `cdk-panorama-build:${sourceHash.slice(0, 20)}`,
      }, directory);
    },
  };
}

function resolveModel(packageDir: string, manifestPath: string, document: Json, options: ModelBuildOptions, needs: string): Resolved {
  const modelFile = existingFile(path.resolve(options.modelFile), 'PackageBuild.model modelFile', `the model archive (${needs})`);
  const descriptor = existingFile(path.resolve(packageDir, options.descriptor ?? 'descriptor.json'), 'PackageBuild.model descriptor',
    `the model's descriptor (${needs}), as panorama-cli add-raw-model takes it`);
  const assetName = chooseAssetName(document.nodePackage, 'model', options.assetName, 'PackageBuild.model assetName');
  const sourceHash = buildSourceHash({ files: [manifestPath, modelFile, descriptor], options: { kind: 'model', assetName } });
  return { kind: 'model', assetName, descriptor, sourceHash, produce: (directory) => copyByHash(modelFile, directory, '.tar.gz') };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the half builds of this build that a killed synth left (their process is gone). */
function removeAbandoned(directory: string): void {
  const prefix = `${path.basename(directory)}.tmp-`;
  let entries: string[];
  try {
    entries = fs.readdirSync(path.dirname(directory));
  } catch {
    return;
  }
  for (const entry of entries.filter((e) => e.startsWith(prefix))) {
    const pid = Number(entry.slice(prefix.length).split('-')[0]);
    if (Number.isInteger(pid) && pid !== process.pid && !isAlive(pid)) {
      fs.rmSync(path.join(path.dirname(directory), entry), { recursive: true, force: true });
    }
  }
}

/**
 * Builds a package folder into the scope's `cdk.out` (or finds it built with the same inputs), and
 * returns where its built manifest and files are.
 * @param needs the package and folder, for messages
 */
export function buildPackage(scope: Construct, packageDir: string, manifestPath: string, build: PackageBuild, needs: string): BuiltPackage {
  const document = readJson(manifestPath);
  if (!isObject(document) || !isObject(document.nodePackage)) {
    return fail(manifestPath, 'no nodePackage object', 'must be a node package manifest ({"nodePackage": {…}}) to be built');
  }
  const spec = build._spec;
  const resolved = spec.kind === 'container'
    ? resolveContainer(scope, packageDir, document, spec.options, needs)
    : resolveModel(packageDir, manifestPath, document, spec.options, needs);

  const directory = path.join(Stage.of(scope)?.assetOutdir ?? os.tmpdir(), `panorama-build.${resolved.sourceHash}`);
  const manifest = path.join(directory, 'package.json');
  if (fs.existsSync(manifest)) return { directory, manifestPath: manifest };

  removeAbandoned(directory);
  const temporary = `${directory}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  fs.mkdirSync(temporary, { recursive: true });
  try {
    const assetUri = resolved.produce(temporary);
    const descriptorUri = copyByHash(resolved.descriptor, temporary, '.json');
    fs.writeFileSync(path.join(temporary, 'package.json'), builtManifest(document, resolved.kind, resolved.assetName, assetUri, descriptorUri));
    try {
      fs.renameSync(temporary, directory);
    } catch (e) {
      // Another synth finished the same build first: its result is the same.
      if (!fs.existsSync(manifest)) throw e;
      fs.rmSync(temporary, { recursive: true, force: true });
    }
  } catch (e) {
    fs.rmSync(temporary, { recursive: true, force: true });
    throw e;
  }
  return { directory, manifestPath: manifest };
}
