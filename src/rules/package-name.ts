/**
 * The name and version a package is imported as, decided as panorama-cli decides them, so that the
 * package carries the name the application's graph.json refers to it by.
 *
 * Pure: no file system and no aws-cdk-lib (the handler uses it too).
 */

/** panorama-cli's version for a manifest that gives none. */
export const DEFAULT_PACKAGE_VERSION = '1.0';

/**
 * A package folder as panorama-cli names it: `<12-digit account>-<name>-<major.minor>`. The name may
 * itself hold hyphens (panorama-cli takes every part between the first and the last hyphen).
 */
const PACKAGE_FOLDER = /^([0-9]{12})-(.+)-([0-9]+\.[0-9]+)$/;

/** What a panorama-cli package folder's name says: `<account>-<name>-<version>`. */
export interface PackageFolderName {
  readonly account: string;
  readonly name: string;
  readonly version: string;
}

/** The parts of a panorama-cli package folder's name, or undefined when the folder is not named so. */
export function parsePackageFolderName(folderName: string): PackageFolderName | undefined {
  const match = PACKAGE_FOLDER.exec(folderName);
  return match ? { account: match[1], name: match[2], version: match[3] } : undefined;
}

/** The package name a panorama-cli folder name carries, or undefined when the folder is not named so. */
export function packageNameOfFolder(folderName: string): string | undefined {
  return parsePackageFolderName(folderName)?.name;
}

/** Where an import's package name came from, for messages and the README's rule. */
export type NameOrigin = 'packageName' | 'folder' | 'manifest';

/** The package an import writes to. */
export interface PackageIdentity {
  /** Undefined when nothing names the package (no prop, no conventional folder, no manifest name). */
  readonly name?: string;
  readonly nameOrigin?: NameOrigin;
  readonly version: string;
}

/** What the name and version are decided from. */
export interface PackageIdentitySources {
  /** `packageName` as the user gave it; wins over everything. */
  readonly packageName?: string;
  /** `packageVersion` as the user gave it; wins over the manifest. */
  readonly packageVersion?: string;
  /** The package folder's own name (a folder source), when there is one. */
  readonly folderName?: string;
  readonly manifestName?: string;
  readonly manifestVersion?: string;
}

/**
 * The rule: the name is `packageName`, else the folder's `<account>-<name>-<version>` middle part
 * (panorama-cli's `package-application` and every sample graph.json use it), else the manifest's
 * `name`. The version is `packageVersion`, else the manifest's `version`, else 1.0.
 */
export function packageIdentity(sources: PackageIdentitySources): PackageIdentity {
  const version = sources.packageVersion ?? sources.manifestVersion ?? DEFAULT_PACKAGE_VERSION;
  if (sources.packageName !== undefined) return { name: sources.packageName, nameOrigin: 'packageName', version };
  const fromFolder = sources.folderName === undefined ? undefined : packageNameOfFolder(sources.folderName);
  if (fromFolder !== undefined) return { name: fromFolder, nameOrigin: 'folder', version };
  if (sources.manifestName !== undefined) return { name: sources.manifestName, nameOrigin: 'manifest', version };
  return { version };
}
