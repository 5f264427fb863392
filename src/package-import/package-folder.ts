/**
 * Reads a package folder at synth: the manifest, the path of every file it names, and every
 * descriptor it names, each checked against its schema. Every rule broken is reported at once,
 * each naming the file or field, the value and the rule.
 */
import * as fs from 'fs';
import * as path from 'path';
import { readDocumentFile } from './document-file';
import { checkDescriptorBytes, descriptorSource } from '../rules/asset-descriptor';
import { ManifestContext, NamedFile, namedFiles, NodePackage, readManifest } from '../rules/manifest';
import { PanoramaValidationError, ValidationProblem, throwIfProblems } from '../rules/validation';

/** A file the manifest names, found on disk. */
export interface LocatedFile {
  readonly uri: string;
  readonly path: string;
  /** A descriptor was read and checked; an asset is only staged. */
  readonly kind: 'asset' | 'descriptor';
}

/** A package folder whose manifest and descriptors are valid and whose files are all present. */
export interface PackageFolder {
  /** The folder's own name (`<account>-<name>-<version>` when panorama-cli made it). */
  readonly folderName: string;
  readonly manifestPath: string;
  readonly nodePackage: NodePackage;
  readonly files: LocatedFile[];
}

/** Where to look. */
export interface PackageFolderOptions {
  readonly assetsDirectory?: string;
  readonly manifestFileName: string;
  /** The manifest to read instead of the folder's own (a built one). */
  readonly manifestPath?: string;
  /** Folders searched first for the files the manifest names (a build's output). */
  readonly builtDirectory?: string;
  /** How to build an unbuilt package, for the refusal's message. */
  readonly buildOption?: ManifestContext['buildOption'];
}

function statOrUndefined(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch {
    return undefined;
  }
}

function isInside(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/** The real path of a folder, or the folder itself when it does not exist (nothing can be inside). */
function realFolder(folder: string): string {
  try {
    return fs.realpathSync(folder);
  } catch {
    return folder;
  }
}

/** Finds one named file: in the assets folder first, then beside the manifest. */
function locate(named: NamedFile, field: string, folders: string[]): { file?: LocatedFile; problem?: ValidationProblem } {
  const uri = named.uri;
  for (const folder of folders) {
    const candidate = path.join(folder, uri);
    if (!fs.existsSync(candidate) && !isSymlink(candidate)) continue;
    const realFolders = folders.map(realFolder);
    let real: string;
    try {
      real = fs.realpathSync(candidate);
    } catch {
      return { problem: new ValidationProblem(field, uri, `must resolve to a file, but ${candidate} is a broken link`) };
    }
    if (!realFolders.some((allowed) => isInside(real, allowed))) {
      return { problem: new ValidationProblem(field, uri, `must stay inside the assets folder or the package folder, but ${candidate} leads to ${real}`) };
    }
    const stat = fs.statSync(real);
    if (!stat.isFile()) {
      return { problem: new ValidationProblem(field, uri, `must be a regular file, but ${candidate} is a directory or special file`) };
    }
    try {
      // Opened, not access()ed: access() asks about the real user, the asset is read as the effective one.
      fs.closeSync(fs.openSync(real, 'r'));
    } catch {
      return { problem: new ValidationProblem(field, uri, `must be readable, but ${candidate} is not`) };
    }
    return { file: { uri, path: real, kind: named.kind } };
  }
  return { problem: new ValidationProblem(field, uri, `must name a file in ${folders.join(' or ')}, but none is there`) };
}

function isSymlink(file: string): boolean {
  try {
    return fs.lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

/** The problems of a descriptor file: too large to be one, unreadable, or against its schema. */
function descriptorProblems(file: LocatedFile, named: NamedFile): ValidationProblem[] {
  const source = descriptorSource(file.path, named);
  try {
    return checkDescriptorBytes(readDocumentFile(file.path, 'an asset descriptor'), source);
  } catch (e) {
    if (e instanceof PanoramaValidationError) return e.problems.map((p) => new ValidationProblem(source, p.value, p.rule));
    throw e;
  }
}

/** How panorama-cli, run from the application folder, names a package folder. */
function cliPackagePath(packageDir: string): string {
  const parent = path.basename(path.dirname(packageDir));
  return parent === 'packages' ? `packages/${path.basename(packageDir)}` : packageDir;
}

/** Reads and checks a package folder; throws a PanoramaValidationError listing every problem. */
export function readPackageFolder(directory: string, options: PackageFolderOptions): PackageFolder {
  if (directory === '') {
    throw new PanoramaValidationError([new ValidationProblem('PackageSource.fromDirectory directory', directory, 'must not be empty: it names the package folder (use "." for the current folder)')]);
  }
  const packageDir = path.resolve(directory);
  const dirStat = statOrUndefined(packageDir);
  if (!dirStat || !dirStat.isDirectory()) {
    throw new PanoramaValidationError([new ValidationProblem('PackageSource.fromDirectory directory', directory, 'must be an existing folder')]);
  }
  const manifestPath = options.manifestPath ?? path.join(packageDir, options.manifestFileName);
  const context = { packagePath: cliPackagePath(packageDir), buildOption: options.buildOption };
  const reading = readManifest(readDocumentFile(manifestPath, 'a node package manifest (package.json)'), manifestPath, context);
  throwIfProblems(reading.problems);
  const nodePackage = reading.nodePackage!;

  const assetsDir = path.resolve(options.assetsDirectory ?? path.join(packageDir, '..', '..', 'assets'));
  const problems: ValidationProblem[] = [];
  const files: LocatedFile[] = [];
  for (const named of namedFiles(nodePackage)) {
    const field = `${manifestPath} ${named.field}`;
    const folders = options.builtDirectory ? [options.builtDirectory, assetsDir, packageDir] : [assetsDir, packageDir];
    const { file, problem } = locate(named, field, folders);
    if (problem) problems.push(problem);
    if (file) files.push(file);
    if (file && named.kind === 'descriptor') problems.push(...descriptorProblems(file, named));
  }
  throwIfProblems(problems);
  return { folderName: path.basename(packageDir), manifestPath, nodePackage, files };
}
