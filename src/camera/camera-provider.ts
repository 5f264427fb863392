import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { CameraIsCompleteFunction } from '../handler/camera-is-complete-function';
import { CameraOnEventFunction } from '../handler/camera-on-event-function';
import { NO_TRACING, suppressNag, suppressProviderFramework } from '../package-import/private/nag-suppressions';

const PROVIDER_ID = 'PanoramaCameraProvider';

/** The camera actions: none has a resource type, so IAM accepts them only with `Resource: "*"`. */
const UNSCOPED_ACTIONS = [
  'panorama:CreateNodeFromTemplateJob',
  'panorama:DescribeNodeFromTemplateJob',
  'panorama:ListNodeFromTemplateJobs',
  'panorama:ListNodes',
];

/**
 * The camera handlers and their Provider framework, once per stack.
 *
 * Its own provider, not the package imports' shared one (a deviation from issue 19's "the same
 * shared provider", decided deliberately): the cameras' role must read their credentials secrets,
 * and the imports' role should never be able to; and the import handler bundles stay byte for byte
 * what they were. Every camera of the stack shares this one; each adds only a grant on its secret.
 */
export class CameraProvider extends Construct {
  /** The stack's camera provider, created on first use. */
  public static of(scope: Construct): CameraProvider {
    const stack = Stack.of(scope);
    return (stack.node.tryFindChild(PROVIDER_ID) as CameraProvider | undefined) ?? new CameraProvider(stack, PROVIDER_ID);
  }

  /** The custom resources' `ServiceToken`. */
  public readonly serviceToken: string;
  /** The role both handlers run with. */
  public readonly role: iam.Role;
  private readonly secrets = new Set<string>();

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Runs the Panorama camera handlers',
    });
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_YEAR });
    logGroup.grantWrite(this.role);
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: UNSCOPED_ACTIONS, resources: ['*'] }));
    // A camera's package: its versions deregistered and the package deleted under DESTROY.
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['panorama:DescribePackage', 'panorama:DeregisterPackageVersion', 'panorama:DeletePackage'],
      resources: [Stack.of(this).formatArn({ service: 'panorama', resource: 'package', resourceName: '*' })],
    }));
    // Panorama deletes a package's stored objects with the caller's credentials, through its access points.
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['s3:DeleteObject'],
      resources: [Stack.of(this).formatArn({ service: 's3', account: '*', resource: 'accesspoint', resourceName: 'panorama*' })],
    }));

    const functionOptions: lambda.FunctionOptions = {
      role: this.role,
      logGroup,
      memorySize: 256,
      loggingFormat: lambda.LoggingFormat.JSON,
      environment: { NODE_OPTIONS: '--enable-source-maps' },
    };
    const onEvent = new CameraOnEventFunction(this, 'OnEvent', {
      ...functionOptions,
      description: 'Reads a Panorama camera\'s credentials secret and starts its node job',
      timeout: Duration.minutes(5),
    });
    const isComplete = new CameraIsCompleteFunction(this, 'IsComplete', {
      ...functionOptions,
      description: 'Waits for a Panorama camera node job and describes the camera node',
      timeout: Duration.minutes(2),
    });
    const provider = new cr.Provider(this, 'Provider', {
      onEventHandler: onEvent,
      isCompleteHandler: isComplete,
      // A camera job creates no files: it ends in seconds, so it is asked after more often than an import.
      totalTimeout: Duration.minutes(30),
      queryInterval: Duration.seconds(2),
      waiterStateMachineLogOptions: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
      disableWaiterStateMachineLogging: false,
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
        reason: 'Resource "*" only for the camera actions, which have no resource type; packages are scoped to this account\'s package/* as '
          + 'package ids are generated; S3 to the Panorama access points',
        appliesTo: [
          'Resource::*',
          { regex: '/^Resource::arn:<AWS::Partition>:panorama:[^:]+:[^:]+:package\\/\\*$/' },
          { regex: '/^Resource::arn:<AWS::Partition>:s3:[^:]+:\\*:accesspoint\\/panorama\\*$/' },
        ],
      }]);
    }
  }

  /** Lets the handlers read this secret alone (and decrypt it with its key, when it has one). */
  public grantSecret(secret: secretsmanager.ISecret): void {
    const key = secret.node.path;
    if (this.secrets.has(key)) return;
    this.secrets.add(key);
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secret.secretArn] }));
    secret.encryptionKey?.grantDecrypt(this.role);
  }
}
