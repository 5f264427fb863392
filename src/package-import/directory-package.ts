/**
 * A package folder read at synth, and the package it is imported as. The one reader that both a
 * folder source and `PanoramaApplication` (which checks its graph against the manifests) use.
 */
import * as path from 'path';
import { Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { buildPackage, planBuild } from './build/built-package';
import { PackageBuild } from './build/package-build';
import { PackageFolder, readPackageFolder } from './package-folder';
import { PackageIdentity, packageIdentity } from '../rules/package-name';
import { checkPackageName, described, throwIfProblems, ValidationProblem } from '../rules/validation';

/** Options for `PackageSource.fromDirectory`. */
export interface DirectorySourceOptions {
  /**
   * The folder that holds the files the manifest names, as aws-panorama-cli lays out an application
   * (`<app>/assets/`). A file is looked up there first, then beside the manifest.
   *
   * @default - `../../assets` from the package folder
   */
  readonly assetsDirectory?: string;

  /**
   * The manifest's file name inside the package folder.
   *
   * @default 'package.json'
   */
  readonly manifestFileName?: string;

  /**
   * How to build the package at synth, when the folder is kept unbuilt (as in git): the built
   * manifest and archive are written into `cdk.out`, never into the folder.
   *
   * @default - a folder whose code asset is not built and that holds a `Dockerfile` is built with
   * `PackageBuild.container()`; any other folder is imported as it is
   */
  readonly packageBuild?: PackageBuild;
}

/** How the reader is called, beyond the user's options. */
export interface ReadContext {
  /** Where a build writes (its `cdk.out`), and whether bundling is skipped. */
  readonly scope: Construct;
  /** The option that builds an unbuilt package, for the refusal's message. */
  readonly buildOption?: (kind: 'container' | 'model', assetName: string) => string;
}

/** The name the staged manifest gets; every file it names is staged under its content name (`<sha256>.<ext>`), so none can take it. */
export const STAGED_MANIFEST_NAME = 'package.json';

/** A package folder whose manifest and descriptors are valid and whose files are all present. */
export interface DirectoryPackage {
  /** The folder as the user named it, for messages. */
  readonly directory: string;
  readonly folder: PackageFolder;
}

/** The package an import writes to, when the user overrides the manifest's name or version. */
export interface ImportTarget {
  readonly packageName?: string;
  readonly packageVersion?: string;
}

/** A package identity with its name decided. */
export type NamedIdentity = PackageIdentity & { readonly name: string };

/** What a folder source's refusal of an unbuilt package says to add. */
function fromDirectoryBuildOption(kind: 'container' | 'model', assetName: string): string {
  return kind === 'model'
    ? `give PackageSource.fromDirectory the option packageBuild: PackageBuild.model({ modelFile: '<model .tar.gz>', assetName: '${assetName}' })`
    : 'add a Dockerfile to the folder, or give PackageSource.fromDirectory the option packageBuild: PackageBuild.container()';
}

/**
 * Reads and checks a package folder, built first into the scope's `cdk.out` when it is kept
 * unbuilt; throws a PanoramaValidationError listing every problem.
 */
export function readDirectoryPackage(directory: string, options: DirectorySourceOptions, context: ReadContext): DirectoryPackage {
  const manifestFileName = options.manifestFileName ?? STAGED_MANIFEST_NAME;
  const packageDir = path.resolve(directory);
  const build = planBuild(packageDir, path.join(packageDir, manifestFileName), options.packageBuild);
  const built = build && buildPackage(context.scope, packageDir, path.join(packageDir, manifestFileName), build, `the package in ${directory}`);
  const folder = readPackageFolder(directory, {
    assetsDirectory: options.assetsDirectory,
    manifestFileName,
    manifestPath: built?.manifestPath,
    builtDirectory: built?.directory,
    buildOption: context.buildOption ?? fromDirectoryBuildOption,
  });
  return { directory, folder };
}

/**
 * The package a folder is imported as (see package-name.ts for the rule), checked against the
 * service's limits with the field it came from. Props that are tokens are left to the handler, so
 * the name and version decided here are never tokens.
 */
export function importedIdentity(read: DirectoryPackage, target: ImportTarget): NamedIdentity {
  const { folderName, nodePackage } = read.folder;
  const known = (value: string | undefined) => (value !== undefined && !Token.isUnresolved(value) ? value : undefined);
  const identity = packageIdentity({
    packageName: known(target.packageName),
    packageVersion: known(target.packageVersion),
    folderName,
    manifestName: nodePackage.name,
    manifestVersion: nodePackage.version,
  });
  const problems: ValidationProblem[] = [];
  if (identity.name === undefined) {
    problems.push(new ValidationProblem('packageName', described('missing'),
      `must be given: the manifest has no nodePackage.name and the folder ${JSON.stringify(folderName)} (${read.directory}) is not named <12-digit account>-<name>-<version> as panorama-cli names package folders`));
  } else if (identity.nameOrigin === 'folder') {
    problems.push(...checkPackageName(identity.name, `package name from the folder ${JSON.stringify(folderName)}`));
  }
  throwIfProblems(problems);
  return identity as NamedIdentity;
}
