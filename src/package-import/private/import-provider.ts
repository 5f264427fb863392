import { createHash } from 'crypto';
import { Duration, Names, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { NO_TRACING, regexLiteral, suppressNag, suppressProviderFramework } from './nag-suppressions';
import { STAGING_BUCKET_LOGICAL_PREFIX, STAGING_PREFIX } from './staging-bucket';
import { IsCompleteFunction } from '../../handler/is-complete-function';
import { OnEventFunction } from '../../handler/on-event-function';
import { checkTimeouts, throwIfProblems } from '../../rules/validation';

/** What makes two imports need different handlers. */
export interface ImportProviderOptions {
  readonly role?: iam.IRole;
  readonly vpc?: ec2.IVpc;
  readonly vpcSubnets?: ec2.SubnetSelection;
  readonly securityGroups?: ec2.ISecurityGroup[];
  readonly logGroup?: logs.ILogGroup;
  readonly totalTimeout: Duration;
  readonly queryInterval: Duration;
}

const PROVIDER_ID = 'PanoramaPackageImportProvider';

/** Panorama actions that have no resource type: IAM accepts them only with `Resource: "*"`. */
const UNSCOPED_ACTIONS = [
  'panorama:CreatePackageImportJob',
  'panorama:DescribePackageImportJob',
  'panorama:ListPackageImportJobs',
  'panorama:CreatePackage',
];

/**
 * The handlers and the Provider framework, once per stack and configuration: every import in the
 * stack with the same role, network and timeouts shares them, so an import adds no function.
 */
export class ImportProvider extends Construct {
  /** The provider for these options in the stack of `scope`, created on first use. */
  public static of(scope: Construct, options: ImportProviderOptions): ImportProvider {
    throwIfProblems(checkTimeouts(options.totalTimeout.toSeconds({ integral: false }), options.queryInterval.toSeconds({ integral: false })));
    const stack = Stack.of(scope);
    const id = PROVIDER_ID + configurationSuffix(options);
    return (stack.node.tryFindChild(id) as ImportProvider | undefined) ?? new ImportProvider(stack, id, options);
  }

  /** The custom resources' `ServiceToken`. */
  public readonly serviceToken: string;
  /** The role both handlers run with. */
  public readonly role: iam.IRole;
  private readonly granted = new Set<string>();

  private constructor(scope: Construct, id: string, options: ImportProviderOptions) {
    super(scope, id);
    this.role = options.role ?? new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Runs the Panorama package import handlers',
    });
    const logGroup = options.logGroup ?? new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.ONE_YEAR,
    });
    logGroup.grantWrite(this.role);
    if (options.vpc) {
      // Lambda needs these EC2 network-interface actions, which have no resource type, in a VPC.
      this.role.addToPrincipalPolicy(new iam.PolicyStatement({
        actions: ['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'],
        resources: ['*'],
      }));
    }
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: UNSCOPED_ACTIONS, resources: ['*'] }));
    // Tagging is granted whether or not an import has tags today: an update that removes the last
    // tags must still be able to untag, even though the new template would no longer grant it.
    this.grantOnPackages([
      'panorama:DescribePackage', 'panorama:DescribePackageVersion', 'panorama:RegisterPackageVersion',
      'panorama:TagResource', 'panorama:UntagResource',
    ]);

    const functionOptions: lambda.FunctionOptions = {
      role: this.role,
      vpc: options.vpc,
      vpcSubnets: options.vpcSubnets,
      securityGroups: options.securityGroups,
      logGroup,
      memorySize: 256,
      loggingFormat: lambda.LoggingFormat.JSON,
      // The bundles are minified: their source maps give stack traces the sources' files and lines.
      environment: { NODE_OPTIONS: '--enable-source-maps' },
    };
    const onEvent = new OnEventFunction(this, 'OnEvent', {
      ...functionOptions,
      description: 'Stages a Panorama node package and starts its import job',
      // Server-side copies of large model files can take minutes.
      timeout: Duration.minutes(15),
    });
    const isComplete = new IsCompleteFunction(this, 'IsComplete', {
      ...functionOptions,
      description: 'Waits for a Panorama package import job and describes the package',
      timeout: Duration.minutes(2),
    });
    const provider = new cr.Provider(this, 'Provider', {
      onEventHandler: onEvent,
      isCompleteHandler: isComplete,
      totalTimeout: options.totalTimeout,
      queryInterval: options.queryInterval,
      // Every waiter event, but never its input: the input holds CloudFormation's pre-signed ResponseURL.
      waiterStateMachineLogOptions: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
      disableWaiterStateMachineLogging: false,
      vpc: options.vpc,
      vpcSubnets: options.vpcSubnets,
      securityGroups: options.securityGroups,
      logGroup,
    });
    this.serviceToken = provider.serviceToken;

    suppressProviderFramework(provider);
    for (const fn of [onEvent, isComplete]) {
      suppressNag(fn, [
        { id: 'Serverless-LambdaDLQ', reason: 'Invoked synchronously by the Provider framework, which reports every failure to CloudFormation: a DLQ would never receive an event' },
        { id: 'Serverless-LambdaTracing', reason: NO_TRACING },
      ]);
    }
    const policy = this.role.node.tryFindChild('DefaultPolicy');
    if (policy) {
      suppressNag(policy, [{
        id: 'AwsSolutions-IAM5',
        reason: 'Resource "*" only for the Panorama actions without a resource type (and Lambda\'s VPC network-interface actions); '
          + 'packages are scoped to this account\'s package/* as package ids are generated; S3 to the staging prefix and Panorama access points',
        appliesTo: [
          'Resource::*',
          { regex: '/^Resource::arn:<AWS::Partition>:panorama:[^:]+:[^:]+:package\\/\\*$/' },
          { regex: '/^Resource::arn:<AWS::Partition>:s3:[^:]+:\\*:accesspoint\\/panorama\\*$/' },
          { regex: `/^Resource::<${STAGING_BUCKET_LOGICAL_PREFIX}[0-9A-F]{8}\\.Arn>\\/${regexLiteral(STAGING_PREFIX)}\\*$/` },
        ],
      }]);
    }
  }

  /** Grants Panorama actions on this account's packages (they cannot be narrowed to a name). */
  public grantOnPackages(actions: string[]): void {
    const missing = actions.filter((a) => !this.granted.has(a));
    if (missing.length === 0) return;
    missing.forEach((a) => this.granted.add(a));
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: missing,
      resources: [Stack.of(this).formatArn({ service: 'panorama', resource: 'package', resourceName: '*' })],
    }));
  }

  /** What a DESTROY removal needs: deregistering, deleting, and the package's stored objects. */
  public grantDestroy(): void {
    if (this.granted.has('destroy')) return;
    this.granted.add('destroy');
    this.grantOnPackages(['panorama:DeregisterPackageVersion', 'panorama:DeletePackage']);
    // Panorama deletes a package's artifacts with the caller's credentials, through its access points.
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['s3:DeleteObject'],
      resources: [Stack.of(this).formatArn({ service: 's3', account: '*', resource: 'accesspoint', resourceName: 'panorama*' })],
    }));
  }
}

/** Imports with the default configuration share `PanoramaPackageImportProvider`; others get a suffix. */
function configurationSuffix(options: ImportProviderOptions): string {
  const parts = [
    options.role && Names.nodeUniqueId(options.role.node),
    options.vpc && Names.nodeUniqueId(options.vpc.node),
    options.vpcSubnets && JSON.stringify({
      ...options.vpcSubnets,
      subnets: options.vpcSubnets.subnets?.map((s) => Names.nodeUniqueId(s.node)),
      subnetFilters: undefined,
    }),
    options.securityGroups?.map((sg) => Names.nodeUniqueId(sg.node)).join(','),
    options.logGroup && Names.nodeUniqueId(options.logGroup.node),
    options.totalTimeout.toSeconds() !== DEFAULT_TOTAL_TIMEOUT.toSeconds() && `t${options.totalTimeout.toSeconds()}`,
    options.queryInterval.toSeconds() !== DEFAULT_QUERY_INTERVAL.toSeconds() && `q${options.queryInterval.toSeconds()}`,
  ];
  if (parts.every((p) => !p)) return '';
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 8);
}

/** The Provider framework's own defaults. */
export const DEFAULT_TOTAL_TIMEOUT = Duration.minutes(30);
export const DEFAULT_QUERY_INTERVAL = Duration.seconds(5);
