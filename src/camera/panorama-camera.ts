import { CustomResource, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { CameraProvider } from './camera-provider';
import { checkCameraDescription, checkCameraName, checkCameraVersion, checkStreamUrl } from '../rules/camera';
import { CAMERA_ATTRIBUTES, CAMERA_RESOURCE_TYPE, CameraAttributeKey, CameraProperties } from '../rules/camera-contract';
import { DEFAULT_PACKAGE_VERSION } from '../rules/package-name';
import { throwIfProblems, ValidationProblem } from '../rules/validation';

/** Properties of a {@link PanoramaCamera}. */
export interface PanoramaCameraProps {
  /**
   * The camera's name: the name of its node package and of its node (1 to 128 of `[a-zA-Z0-9-_]`).
   * Graphs and overrides name it `<account>::<name>`, its interface `<account>::<name>.<name>`.
   */
  readonly name: string;

  /** The camera's RTSP stream, `rtsp://host[:port]/path` (at most 255 characters, no credentials in it). */
  readonly streamUrl: string;

  /**
   * A Secrets Manager secret holding `{"username": …, "password": …}` for the stream. The handler reads
   * it at deploy time; the values never enter the template, an event, a log or the local state.
   * @default - an open stream, without credentials
   */
  readonly credentials?: secretsmanager.ISecret;

  /**
   * The node's description (at most 255 characters).
   * @default - none
   */
  readonly description?: string;

  /**
   * The camera package's version (`major.minor`).
   * @default '1.0'
   */
  readonly version?: string;

  /**
   * What deleting the camera (or replacing it: a new URL or credentials) does to its package
   * version: DESTROY deregisters it (and deletes the package once it holds no version), RETAIN keeps it.
   * @default RemovalPolicy.DESTROY - a camera holds no content: the stack makes it again from these props
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * An RTSP camera as a Panorama node: `CreateNodeFromTemplateJob` (`RTSP_CAMERA_STREAM`) run by a
 * custom resource, which waits for the job and returns the camera's package and node. A new URL or
 * new credentials make a new camera (a replacement). Bind it to an application's abstract camera with
 * `PanoramaApplication`'s `cameras`.
 */
export class PanoramaCamera extends Construct {
  /** The camera's name (its package's and its node's). */
  public readonly cameraName: string;
  /** The camera package's version as given (known at synth). */
  public readonly version: string;
  /** The package as graphs name it: `<account>::<name>`. */
  public readonly packageName: string;
  /** The camera package's id. */
  public readonly packageId: string;
  /** The camera package's ARN. */
  public readonly packageArn: string;
  /** The camera package's version. */
  public readonly packageVersion: string;
  /** The patch version the camera's job registered. */
  public readonly patchVersion: string;
  /** The camera's node name (its interface is named the same). */
  public readonly nodeName: string;
  /** The id of the node job that made the camera. */
  public readonly jobId: string;
  /** The role the camera handlers run with (shared by the stack's cameras). */
  public readonly handlerRole: iam.IRole;

  private readonly resource: CustomResource;

  /**
   * @param scope the construct this one is made in (inside a Stack)
   * @param id the construct's id
   * @param props the camera's name, stream and credentials
   */
  constructor(scope: Construct, id: string, props: PanoramaCameraProps) {
    super(scope, id);
    validateProps(props);
    const provider = CameraProvider.of(this);
    if (props.credentials) provider.grantSecret(props.credentials);
    this.handlerRole = provider.role;
    this.cameraName = props.name;
    this.version = props.version ?? DEFAULT_PACKAGE_VERSION;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.DESTROY;

    const properties: CameraProperties = {
      Name: props.name,
      PackageVersion: this.version,
      StreamUrl: props.streamUrl,
      SecretArn: props.credentials?.secretArn,
      Description: props.description,
      RemovalPolicy: removalPolicy === RemovalPolicy.DESTROY ? 'destroy' : 'retain',
    };
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: CAMERA_RESOURCE_TYPE,
      removalPolicy: RemovalPolicy.DESTROY, // the handler applies the camera's own policy
      properties,
    });
    const attribute = (key: CameraAttributeKey) => this.resource.getAttString(CAMERA_ATTRIBUTES[key]);
    this.packageName = attribute('packageName');
    this.packageId = attribute('packageId');
    this.packageArn = attribute('packageArn');
    this.packageVersion = attribute('packageVersion');
    this.patchVersion = attribute('patchVersion');
    this.nodeName = attribute('nodeName');
    this.jobId = attribute('jobId');
  }
}

function validateProps(props: PanoramaCameraProps): void {
  const problems: ValidationProblem[] = [];
  if (!Token.isUnresolved(props.name)) problems.push(...checkCameraName(props.name));
  if (!Token.isUnresolved(props.streamUrl)) problems.push(...checkStreamUrl(props.streamUrl));
  if (props.description !== undefined && !Token.isUnresolved(props.description)) problems.push(...checkCameraDescription(props.description));
  if (props.version !== undefined && !Token.isUnresolved(props.version)) problems.push(...checkCameraVersion(props.version));
  if (props.removalPolicy !== undefined && props.removalPolicy !== RemovalPolicy.RETAIN && props.removalPolicy !== RemovalPolicy.DESTROY) {
    problems.push(new ValidationProblem('removalPolicy', props.removalPolicy, 'must be RETAIN or DESTROY: a camera cannot be snapshotted'));
  }
  throwIfProblems(problems);
}
