/**
 * The options every package import takes, in a module of their own: `PanoramaApplication` forwards
 * them to each import it makes, and must not depend on the import construct's file for them.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';

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

/**
 * Every option, once. The type makes the compiler refuse a list that misses an option or names one
 * that does not exist, so a new option cannot be forgotten by whatever forwards them.
 */
const IMPORT_OPTIONS: { readonly [option in keyof Required<PackageImportOptions>]: true } = {
  markLatest: true,
  removalPolicy: true,
  totalTimeout: true,
  queryInterval: true,
  role: true,
  vpc: true,
  vpcSubnets: true,
  securityGroups: true,
  logGroup: true,
};

/** The import options among `props` (which may hold more), each as given. */
export function importOptionsOf(props: PackageImportOptions): PackageImportOptions {
  const options: { [option: string]: unknown } = {};
  for (const option of Object.keys(IMPORT_OPTIONS) as Array<keyof PackageImportOptions>) {
    options[option] = props[option];
  }
  return options as PackageImportOptions;
}
