/**
 * The contract between the package-import construct, its Lambda handlers and the local runner: the
 * custom resource's type and the attributes a finished import returns. Pure data, written once.
 */

/** The CloudFormation type of a package import. */
export const PACKAGE_IMPORT_RESOURCE_TYPE = 'Custom::PanoramaPackageImport';

/** The attributes of a finished import (its `Fn::GetAtt` names), by the construct property that exposes each. */
export const PACKAGE_IMPORT_ATTRIBUTES = {
  packageArn: 'PackageArn',
  packageId: 'PackageId',
  packageName: 'PackageName',
  packageVersion: 'PackageVersion',
  patchVersion: 'PatchVersion',
  importJobId: 'ImportJobId',
  storageBucket: 'StorageLocation.Bucket',
  repoPrefixLocation: 'StorageLocation.RepoPrefixLocation',
  generatedPrefixLocation: 'StorageLocation.GeneratedPrefixLocation',
  binaryPrefixLocation: 'StorageLocation.BinaryPrefixLocation',
  manifestPrefixLocation: 'StorageLocation.ManifestPrefixLocation',
} as const;

/** The name of one attribute. */
export type PackageImportAttribute = typeof PACKAGE_IMPORT_ATTRIBUTES[keyof typeof PACKAGE_IMPORT_ATTRIBUTES];
