/**
 * The contract between the package-import construct, its Lambda handlers and the local runner: the
 * custom resource's type, the properties the construct writes and the handler reads, and the
 * attributes a finished import returns. Pure data and types, written once; each side is checked
 * against it by the compiler.
 */

/** The CloudFormation type of a package import. */
export const PACKAGE_IMPORT_RESOURCE_TYPE = 'Custom::PanoramaPackageImport';

/**
 * The custom resource's properties, as the construct writes them. CloudFormation hands them to the
 * handler with every scalar as a string (`MarkLatest: "true"`), so the handler reads each one
 * afresh and checks it (see handler/resource-properties.ts).
 */
export interface PackageImportProperties {
  /** Decided at synth for a folder source; for a bucket source only when given (the handler reads the manifest's). */
  readonly PackageName?: string;
  readonly PackageVersion?: string;
  readonly MarkLatest: boolean;
  readonly JobType: PackageImportJobTypeName;
  readonly Tags?: { readonly [key: string]: string };
  /** What deleting the resource does to the package version. */
  readonly RemovalPolicy: RemovalPolicyProperty;
  readonly Source: SourceProperty;
  /** Where a folder source's files are copied for the import job; absent for a bucket source. */
  readonly Staging?: StagingProperty;
}

/** The kinds of import job (CreatePackageImportJob's `JobType`); the construct's enum must name only these. */
export const PACKAGE_IMPORT_JOB_TYPES = ['NODE_PACKAGE_VERSION', 'MARKETPLACE_NODE_PACKAGE_VERSION'] as const;

/** One kind of import job. */
export type PackageImportJobTypeName = typeof PACKAGE_IMPORT_JOB_TYPES[number];

/** The package's removal policy, in the handler's words. */
export type RemovalPolicyProperty = 'retain' | 'destroy';

/** Where the manifest and its files come from. */
export type SourceProperty = FilesSourceProperty | BucketSourceProperty;

/** A folder's manifest and files, uploaded as CDK file assets; the handler copies them under one prefix. */
export interface FilesSourceProperty {
  readonly Type: 'Files';
  /** The content's identity: every staged name with the hash of its bytes. */
  readonly ContentHash: string;
  /** The staged manifest's name (among `Files`). */
  readonly ManifestName: string;
  readonly Files: readonly StagedFileProperty[];
}

/** One file of a folder source: the name the manifest knows it by, and its asset object. */
export interface StagedFileProperty {
  readonly Name: string;
  readonly Bucket: string;
  readonly Key: string;
}

/** A manifest already in S3, with the files it names beside it. */
export interface BucketSourceProperty {
  readonly Type: 'Bucket';
  readonly Bucket: string;
  readonly ManifestKey: string;
}

/** The stack's staging bucket and the prefix the handler may write under. */
export interface StagingProperty {
  readonly Bucket: string;
  readonly Prefix: string;
}

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

/** The construct property that exposes an attribute. */
export type PackageImportAttributeKey = keyof typeof PACKAGE_IMPORT_ATTRIBUTES;

/** The name of one attribute. */
export type PackageImportAttribute = typeof PACKAGE_IMPORT_ATTRIBUTES[PackageImportAttributeKey];

/** What a finished import hands back to CloudFormation (`Data`): every attribute, each a string. */
export type PackageImportAttributes = { readonly [name in PackageImportAttribute]: string };

/**
 * The handlers' environment variable for the spacing of Panorama writes (ms) in the write-slot
 * ledger; unset means Panorama's one write a second (handler/write-slots.ts), 0 sends writes
 * unpaced. The construct never sets it; the local runner sets 0 when its emulator enforces no
 * write quota, so a desk deployment waits for no slot the service does not need.
 */
export const WRITE_SLOT_MS_VARIABLE = 'PANORAMA_WRITE_SLOT_MS';
