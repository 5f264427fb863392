import { CfnOutput, CustomResource, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { PackageImportOptions } from './package-import-options';
import { PackageSource } from './package-source';
import { DEFAULT_QUERY_INTERVAL, DEFAULT_TOTAL_TIMEOUT, ImportProvider } from './private/import-provider';
import { ownerOf } from './private/package-registry';
import { STAGING_PREFIX, StagingBucket } from './private/staging-bucket';
import {
  PACKAGE_IMPORT_ATTRIBUTES, PACKAGE_IMPORT_RESOURCE_TYPE, PackageImportAttributeKey, PackageImportProperties, StagingProperty,
} from '../rules/contract';
import { propTypeProblems } from '../rules/prop-types';
import { checkPackageName, checkPackageVersion, checkTags, throwIfProblems, useBriefRefusals, ValidationProblem } from '../rules/validation';

// At synth a refusal's message is the whole story: no trace into the library's files (CDK_DEBUG=1 brings it back).
useBriefRefusals();

/** The kind of import job. */
export enum PackageImportJobType {
  /** A node package of your own. */
  NODE_PACKAGE_VERSION = 'NODE_PACKAGE_VERSION',
  /** A node package bought on AWS Marketplace. */
  MARKETPLACE_NODE_PACKAGE_VERSION = 'MARKETPLACE_NODE_PACKAGE_VERSION',
}

/** Properties of a `PanoramaPackageImport`. */
export interface PanoramaPackageImportProps extends PackageImportOptions {
  /** Where the manifest and the files it names come from. */
  readonly source: PackageSource;

  /**
   * The package to import into; created by the import job when it does not exist. The import job
   * checks that the manifest describes this package, so a name other than the manifest's is
   * written into the staged copy of the manifest (a folder source).
   *
   * @default - as panorama-cli names it: for a folder source, the `<name>` of a package folder named
   * `<account>-<name>-<version>`, else the manifest's `nodePackage.name`; for a bucket source, the
   * manifest's `nodePackage.name`
   */
  readonly packageName?: string;

  /**
   * The package version (`major.minor`). Like `packageName`, an override is written into the
   * staged copy of the manifest.
   *
   * @default - the manifest's `nodePackage.version`, else `1.0` (as panorama-cli does)
   */
  readonly packageVersion?: string;

  /**
   * The kind of import job.
   *
   * @default PackageImportJobType.NODE_PACKAGE_VERSION
   */
  readonly jobType?: PackageImportJobType;

  /**
   * Tags for the package (the job's `PACKAGE` tags). A change to tags alone is applied to the
   * package in place, without an import.
   *
   * @default - no tags
   */
  readonly tags?: { [key: string]: string };

  /**
   * Emit every attribute as a `CfnOutput` (same as calling `addOutputs()`).
   *
   * @default false
   */
  readonly outputs?: boolean;
}

/**
 * Imports an AWS Panorama node package: stages its files in S3, runs an idempotent
 * `CreatePackageImportJob`, waits for it and exposes the imported package's attributes.
 */
export class PanoramaPackageImport extends Construct {
  /** The package's ARN. */
  public readonly packageArn: string;
  /** The package's id (`package-…`). */
  public readonly packageId: string;
  /** The package's name. */
  public readonly packageName: string;
  /** The imported package version (`major.minor`). */
  public readonly packageVersion: string;
  /** The patch version the import job assigned. */
  public readonly patchVersion: string;
  /** The id of the import job that registered the patch. */
  public readonly importJobId: string;
  /** The S3 location of the package's managed storage. */
  public readonly storageBucket: string;
  /** The package's repository prefix in its storage. */
  public readonly repoPrefixLocation: string;
  /** The prefix of the package's generated files. */
  public readonly generatedPrefixLocation: string;
  /** The prefix of the package's binaries (its assets). */
  public readonly binaryPrefixLocation: string;
  /** The prefix of the package's manifests. */
  public readonly manifestPrefixLocation: string;

  /**
   * The role the import handlers run with (`role` when given), shared by the stack's imports with
   * the same handler settings. It is granted what the import needs; grant it what the construct
   * cannot see, such as `kms:Decrypt` on the key of a bucket imported by name or of an asset bucket
   * encrypted with a key of your own.
   */
  public readonly handlerRole: iam.IRole;

  /**
   * The import that owns the package version in this stack: this one, or the identical import made
   * before it, whose resource this one shares.
   * @internal
   */
  public readonly _owner: PanoramaPackageImport;

  private outputsAdded = false;

  /**
   * @param scope the construct this one is made in (inside a Stack)
   * @param id the construct's id
   * @param props where the package comes from, and how it is imported
   */
  constructor(scope: Construct, id: string, props: PanoramaPackageImportProps) {
    super(scope, id);
    throwIfProblems(propTypeProblems(props, 'PanoramaPackageImport props', { source: 'object' }, {
      packageName: 'string', packageVersion: 'string', tags: 'string map', markLatest: 'boolean', outputs: 'boolean',
    }));
    validateProps(props);

    const provider = ImportProvider.of(this, {
      role: props.role,
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets,
      securityGroups: props.securityGroups,
      logGroup: props.logGroup,
      totalTimeout: props.totalTimeout ?? DEFAULT_TOTAL_TIMEOUT,
      queryInterval: props.queryInterval ?? DEFAULT_QUERY_INTERVAL,
    });
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    if (removalPolicy === RemovalPolicy.DESTROY) {
      provider.grantDestroy();
    }

    this.handlerRole = provider.role;
    const source = props.source._bind(this, this.handlerRole, { packageName: props.packageName, packageVersion: props.packageVersion });
    let staging: StagingProperty | undefined;
    if (source.properties.Type === 'Files') {
      const stagingBucket = StagingBucket.of(this);
      stagingBucket.grantStaging(this.handlerRole);
      staging = { Bucket: stagingBucket.bucket.bucketName, Prefix: STAGING_PREFIX };
    }

    // Known at synth for a folder (props, else the folder's name and the manifest's version); for a
    // bucket source the handler reads them from the manifest.
    const properties: PackageImportProperties = {
      PackageName: props.packageName ?? source.packageName,
      PackageVersion: props.packageVersion ?? source.packageVersion,
      MarkLatest: props.markLatest ?? true,
      JobType: props.jobType ?? PackageImportJobType.NODE_PACKAGE_VERSION,
      Tags: props.tags,
      RemovalPolicy: removalPolicy === RemovalPolicy.DESTROY ? 'destroy' : 'retain',
      Source: source.properties,
      Staging: staging,
    };
    // One owner per package version in a stack: an identical second import shares the first.
    const owner = ownerOf(this, this, properties.PackageName, properties.PackageVersion, { ServiceToken: provider.serviceToken, ...properties });
    this._owner = owner;
    let attribute: (key: PackageImportAttributeKey) => string;
    if (owner === this) {
      const resource = new CustomResource(this, 'Resource', {
        serviceToken: provider.serviceToken,
        resourceType: PACKAGE_IMPORT_RESOURCE_TYPE,
        removalPolicy: RemovalPolicy.DESTROY, // the handler applies the package's own policy
        properties,
      });
      attribute = (key) => resource.getAttString(PACKAGE_IMPORT_ATTRIBUTES[key]);
    } else {
      attribute = (key) => owner[key];
    }
    this.packageArn = attribute('packageArn');
    this.packageId = attribute('packageId');
    this.packageName = attribute('packageName');
    this.packageVersion = attribute('packageVersion');
    this.patchVersion = attribute('patchVersion');
    this.importJobId = attribute('importJobId');
    this.storageBucket = attribute('storageBucket');
    this.repoPrefixLocation = attribute('repoPrefixLocation');
    this.generatedPrefixLocation = attribute('generatedPrefixLocation');
    this.binaryPrefixLocation = attribute('binaryPrefixLocation');
    this.manifestPrefixLocation = attribute('manifestPrefixLocation');

    if (props.outputs) {
      this.addOutputs();
    }
  }

  /**
   * Emits every attribute as a `CfnOutput` of the stack, ids prefixed with this construct's id.
   * Calling it again does nothing.
   */
  public addOutputs(): void {
    if (this.outputsAdded) return;
    this.outputsAdded = true;
    for (const [key, description] of Object.entries(OUTPUT_DESCRIPTIONS) as Array<[PackageImportAttributeKey, string]>) {
      // The output's id is the attribute's property, capitalized: PackageArn, StorageBucket, …
      new CfnOutput(this, key.charAt(0).toUpperCase() + key.slice(1), { value: this[key], description });
    }
  }
}

/** Each attribute's output description, in the order the outputs are emitted. */
const OUTPUT_DESCRIPTIONS: { readonly [key in PackageImportAttributeKey]: string } = {
  packageArn: 'ARN of the imported Panorama package',
  storageBucket: 'Bucket (S3 access point) of the package storage',
  packageId: 'Id of the imported Panorama package',
  packageName: 'Name of the imported Panorama package',
  packageVersion: 'Imported package version',
  patchVersion: 'Imported patch version',
  importJobId: 'Id of the import job that registered the patch',
  repoPrefixLocation: 'Repository prefix of the package storage',
  generatedPrefixLocation: 'Prefix of generated files in the package storage',
  binaryPrefixLocation: 'Prefix of binaries in the package storage',
  manifestPrefixLocation: 'Prefix of manifests in the package storage',
};

function validateProps(props: PanoramaPackageImportProps): void {
  const problems: ValidationProblem[] = [];
  if (props.packageName !== undefined && !Token.isUnresolved(props.packageName)) {
    problems.push(...checkPackageName(props.packageName));
  }
  if (props.packageVersion !== undefined && !Token.isUnresolved(props.packageVersion)) {
    problems.push(...checkPackageVersion(props.packageVersion));
  }
  if (props.tags && !Token.isUnresolved(props.tags)) {
    const known = Object.fromEntries(Object.entries(props.tags).filter(([k, v]) => !Token.isUnresolved(k) && !Token.isUnresolved(v)));
    problems.push(...checkTags(known));
  }
  if (props.removalPolicy !== undefined && props.removalPolicy !== RemovalPolicy.RETAIN && props.removalPolicy !== RemovalPolicy.DESTROY) {
    problems.push(new ValidationProblem('removalPolicy', props.removalPolicy, 'must be RETAIN or DESTROY: a package version cannot be snapshotted'));
  }
  throwIfProblems(problems);
}
