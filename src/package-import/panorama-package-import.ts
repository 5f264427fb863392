import { CfnOutput, CustomResource, Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { BoundPackageSource, PackageSource } from './package-source';
import { DEFAULT_QUERY_INTERVAL, DEFAULT_TOTAL_TIMEOUT, ImportProvider } from './private/import-provider';
import { STAGING_PREFIX, StagingBucket } from './private/staging-bucket';
import { checkPackageName, checkPackageVersion, checkTags, throwIfProblems, ValidationProblem } from '../rules/validation';

/** The kind of import job. */
export enum PackageImportJobType {
  /** A node package of your own. */
  NODE_PACKAGE_VERSION = 'NODE_PACKAGE_VERSION',
  /** A node package bought on AWS Marketplace. */
  MARKETPLACE_NODE_PACKAGE_VERSION = 'MARKETPLACE_NODE_PACKAGE_VERSION',
}

/**
 * How packages are imported: what removal does, whether the patch becomes the latest, and the
 * import handlers' settings. Shared by `PanoramaPackageImport` and `PanoramaApplication` (which
 * forwards them to every import it makes).
 */
export interface PackageImportOptions {
  /**
   * Whether the imported patch becomes the package version's latest patch.
   * Applies when a patch is imported; changing it alone starts no import.
   *
   * @default true
   */
  readonly markLatest?: boolean;

  /**
   * What deleting the resource does to the package version. `RETAIN` leaves it registered;
   * `DESTROY` deregisters the patch version and deletes the package once no version is left.
   * A replaced patch follows the same policy once its successor has been imported.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * How long to wait for the import job before the deployment fails. At most one hour
   * (CloudFormation's limit for a custom resource) and a whole multiple of `queryInterval`.
   *
   * @default Duration.minutes(30)
   */
  readonly totalTimeout?: Duration;

  /**
   * How often to ask whether the import job has finished.
   *
   * @default Duration.seconds(5)
   */
  readonly queryInterval?: Duration;

  /**
   * The role the import handlers run with. It receives the grants the import needs.
   *
   * @default - a role created for the stack's import handlers
   */
  readonly role?: iam.IRole;

  /**
   * The VPC the import handlers run in (they need a route to S3 and Panorama).
   *
   * @default - not in a VPC
   */
  readonly vpc?: ec2.IVpc;

  /**
   * Where in `vpc` the handlers run.
   *
   * @default - the VPC's default subnet selection
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * Security groups of the handlers in `vpc`.
   *
   * @default - one created by Lambda
   */
  readonly securityGroups?: ec2.ISecurityGroup[];

  /**
   * The log group of the import handlers.
   *
   * @default - a log group kept one year, shared by the stack's import handlers
   */
  readonly logGroup?: logs.ILogGroup;
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
   * What the source told at synth: for a folder, the manifest and the name and version it is
   * imported as. Read by `PanoramaApplication` to check its graph against the manifest.
   * @internal
   */
  public readonly _source: BoundPackageSource;

  private readonly resource: CustomResource;
  private outputsAdded = false;

  /**
   * @param scope the construct this one is made in (inside a Stack)
   * @param id the construct's id
   * @param props where the package comes from, and how it is imported
   */
  constructor(scope: Construct, id: string, props: PanoramaPackageImportProps) {
    super(scope, id);
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

    const source = props.source._bind(this, provider.role, { packageName: props.packageName, packageVersion: props.packageVersion });
    this._source = source;
    let staging: Record<string, string> | undefined;
    if (source.needsStaging) {
      const stagingBucket = StagingBucket.of(this);
      stagingBucket.grantStaging(provider.role);
      staging = { Bucket: stagingBucket.bucket.bucketName, Prefix: STAGING_PREFIX };
    }

    // Known at synth for a folder (props, else the folder's name and the manifest's version); for a
    // bucket source the handler reads them from the manifest.
    const packageName = props.packageName ?? source.packageName;
    const packageVersion = props.packageVersion ?? source.packageVersion;

    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::PanoramaPackageImport',
      removalPolicy: RemovalPolicy.DESTROY, // the handler applies the package's own policy
      properties: {
        PackageName: packageName,
        PackageVersion: packageVersion,
        MarkLatest: props.markLatest ?? true,
        JobType: props.jobType ?? PackageImportJobType.NODE_PACKAGE_VERSION,
        Tags: props.tags,
        RemovalPolicy: removalPolicy === RemovalPolicy.DESTROY ? 'destroy' : 'retain',
        Source: source.properties,
        Staging: staging,
      },
    });

    this.packageArn = this.resource.getAttString('PackageArn');
    this.packageId = this.resource.getAttString('PackageId');
    this.packageName = this.resource.getAttString('PackageName');
    this.packageVersion = this.resource.getAttString('PackageVersion');
    this.patchVersion = this.resource.getAttString('PatchVersion');
    this.importJobId = this.resource.getAttString('ImportJobId');
    this.storageBucket = this.resource.getAttString('StorageLocation.Bucket');
    this.repoPrefixLocation = this.resource.getAttString('StorageLocation.RepoPrefixLocation');
    this.generatedPrefixLocation = this.resource.getAttString('StorageLocation.GeneratedPrefixLocation');
    this.binaryPrefixLocation = this.resource.getAttString('StorageLocation.BinaryPrefixLocation');
    this.manifestPrefixLocation = this.resource.getAttString('StorageLocation.ManifestPrefixLocation');

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
    const outputs: Array<[string, string, string]> = [
      ['PackageArn', this.packageArn, 'ARN of the imported Panorama package'],
      ['StorageBucket', this.storageBucket, 'Bucket (S3 access point) of the package storage'],
      ['PackageId', this.packageId, 'Id of the imported Panorama package'],
      ['PackageName', this.packageName, 'Name of the imported Panorama package'],
      ['PackageVersion', this.packageVersion, 'Imported package version'],
      ['PatchVersion', this.patchVersion, 'Imported patch version'],
      ['ImportJobId', this.importJobId, 'Id of the import job that registered the patch'],
      ['RepoPrefixLocation', this.repoPrefixLocation, 'Repository prefix of the package storage'],
      ['GeneratedPrefixLocation', this.generatedPrefixLocation, 'Prefix of generated files in the package storage'],
      ['BinaryPrefixLocation', this.binaryPrefixLocation, 'Prefix of binaries in the package storage'],
      ['ManifestPrefixLocation', this.manifestPrefixLocation, 'Prefix of manifests in the package storage'],
    ];
    for (const [name, value, description] of outputs) {
      new CfnOutput(this, name, { value, description });
    }
  }
}

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
