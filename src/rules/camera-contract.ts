/**
 * The contract between the camera construct, its Lambda handlers and the local runner: the custom
 * resource's type, the properties the construct writes and the handler reads, and the attributes a
 * finished camera returns. Pure data and types, written once (the one home of these names).
 *
 * The properties never hold a credential: only the ARN of the secret that holds them, read by the
 * handler at deploy time.
 */
import { RemovalPolicyProperty } from './contract';

/** The CloudFormation type of a camera. */
export const CAMERA_RESOURCE_TYPE = 'Custom::PanoramaCamera';

/** The custom resource's properties, as the construct writes them (CloudFormation delivers scalars as strings). */
export interface CameraProperties {
  /** The camera's name: its package's name and its node's (and so its interface's) name. */
  readonly Name: string;
  readonly PackageVersion: string;
  readonly StreamUrl: string;
  /** The Secrets Manager secret holding `{"username": …, "password": …}`; absent for an open stream. */
  readonly SecretArn?: string;
  readonly Description?: string;
  /** What deleting the resource does to the camera's package version. */
  readonly RemovalPolicy: RemovalPolicyProperty;
}

/** The keys the credentials secret's JSON must hold. */
export const CAMERA_SECRET_KEYS = { username: 'username', password: 'password' } as const;

/** The attributes of a finished camera (its `Fn::GetAtt` names), by the construct property that exposes each. */
export const CAMERA_ATTRIBUTES = {
  /** `<account>::<name>`, as graphs and overrides name packages. */
  packageName: 'PackageName',
  packageId: 'PackageId',
  packageArn: 'PackageArn',
  packageVersion: 'PackageVersion',
  patchVersion: 'PatchVersion',
  nodeName: 'NodeName',
  jobId: 'JobId',
} as const;

/** The construct property that exposes an attribute. */
export type CameraAttributeKey = keyof typeof CAMERA_ATTRIBUTES;

/** What a finished camera hands back to CloudFormation (`Data`): every attribute, each a string. */
export type CameraAttributes = { readonly [name in typeof CAMERA_ATTRIBUTES[CameraAttributeKey]]: string };

/** The job tag whose value is the request's idempotency token (CreateNodeFromTemplateJob has no ClientToken). */
export const CAMERA_TOKEN_TAG = 'cdk-panorama:camera-token';
