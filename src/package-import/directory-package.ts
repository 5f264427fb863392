/**
 * A package folder read at synth, and the package it is imported as. The one reader that both a
 * folder source and `PanoramaApplication` (which checks its graph against the manifests) use.
 */
import { Token } from 'aws-cdk-lib';
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
}

/** The name the staged manifest gets; no file the manifest names may take it. */
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

/** Reads and checks a package folder; throws a PanoramaValidationError listing every problem. */
export function readDirectoryPackage(directory: string, options: DirectorySourceOptions = {}): DirectoryPackage {
  const folder = readPackageFolder(directory, {
    assetsDirectory: options.assetsDirectory,
    manifestFileName: options.manifestFileName ?? STAGED_MANIFEST_NAME,
    reservedName: STAGED_MANIFEST_NAME,
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
      `must be given: the manifest has no nodePackage.name and the folder ${JSON.stringify(folderName)} (${read.directory}) is not named <account>-<name>-<version> as panorama-cli names package folders`));
  } else if (identity.nameOrigin === 'folder') {
    problems.push(...checkPackageName(identity.name, `package name from the folder ${JSON.stringify(folderName)}`));
  }
  throwIfProblems(problems);
  return identity as NamedIdentity;
}
