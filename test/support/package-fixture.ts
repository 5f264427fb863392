/**
 * Builds Panorama application folders on disk, laid out as aws-panorama-cli makes them:
 * `<app>/packages/<account>-<name>-<version>/package.json` and `<app>/assets/<files>`.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { modelDescriptor, modelPackageManifest, singleModel } from './node-packages';

/** A manifest as the tests write it: any JSON, valid or not. */
export type ManifestJson = Record<string, unknown>;

export interface FixtureFile {
  readonly name: string;
  readonly content: string | Buffer;
}

export interface PackageFixture {
  readonly appDir: string;
  readonly packageDir: string;
  readonly assetsDir: string;
  readonly manifestPath: string;
}

const written: string[] = [];

/** A new folder for a fixture under `root` (by default the OS's temporary folder), kept until removeFixtures. */
export function fixtureFolder(prefix: string, root = os.tmpdir()): string {
  const folder = fs.mkdtempSync(path.join(root, prefix));
  written.push(folder);
  return folder;
}

/** Removes every fixture folder written so far: a test file that writes fixtures calls it in afterAll. */
export function removeFixtures(): void {
  for (const folder of written.splice(0)) fs.rmSync(folder, { recursive: true, force: true });
}

/** sha256 hex of some bytes, the way the CLI names asset files. */
export function sha256(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

export interface ModelPackageOptions {
  readonly name?: string;
  readonly version?: string;
  readonly modelBytes?: string;
}

/** A valid model package: one model asset with its descriptor, one interface. */
export function modelPackage(options: ModelPackageOptions = {}): { manifest: ManifestJson; files: FixtureFile[] } {
  const model = options.modelBytes ?? 'model weights v1';
  const descriptor = JSON.stringify(modelDescriptor());
  const modelName = `${sha256(model)}.tar.gz`;
  const descriptorName = `${sha256(descriptor)}.json`;
  return {
    manifest: modelPackageManifest({
      name: options.name ?? 'SQUEEZENET_PYTORCH',
      version: options.version ?? '1.0',
      description: 'Compact classification model',
      models: singleModel(modelName),
      descriptorUri: descriptorName,
    }),
    files: [{ name: modelName, content: model }, { name: descriptorName, content: descriptor }],
  };
}

/** Writes an application folder with one package; the manifest may be JSON or raw text. */
export function writePackageFixture(options: {
  manifest: ManifestJson | string;
  files?: FixtureFile[];
  account?: string;
  root?: string;
  /** The package folder's name; by default `<account>-<name>-<version>` from the manifest, as panorama-cli names it. */
  folderName?: string;
}): PackageFixture {
  const appDir = fixtureFolder('panorama-app-', options.root);
  const manifestText = typeof options.manifest === 'string' ? options.manifest : JSON.stringify(options.manifest, null, 2);
  const parsed = typeof options.manifest === 'string' ? undefined : (options.manifest.nodePackage as ManifestJson | undefined);
  const folderName = options.folderName ?? `${options.account ?? '123456789012'}-${parsed?.name ?? 'PKG'}-${parsed?.version ?? '1.0'}`;
  const packageDir = path.join(appDir, 'packages', folderName);
  const assetsDir = path.join(appDir, 'assets');
  fs.mkdirSync(packageDir, { recursive: true });
  fs.mkdirSync(assetsDir, { recursive: true });
  const manifestPath = path.join(packageDir, 'package.json');
  fs.writeFileSync(manifestPath, manifestText);
  for (const file of options.files ?? []) {
    fs.mkdirSync(path.dirname(path.join(assetsDir, file.name)), { recursive: true });
    fs.writeFileSync(path.join(assetsDir, file.name), file.content);
  }
  return { appDir, packageDir, assetsDir, manifestPath };
}

/** A valid model package written to disk. */
export function writeModelPackage(options: ModelPackageOptions = {}): PackageFixture {
  return writePackageFixture(modelPackage(options));
}
