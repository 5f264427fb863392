/**
 * What each resource type does under the runner: S3 buckets become real buckets in the emulated
 * S3, Lambda functions and state machines are recorded (their code copied) so the Provider
 * framework can be driven, S3AutoDeleteObjects empties its bucket on Delete, application instances
 * are deployed to the emulated Panorama, and every other type is skipped with a made-up physical id
 * so Refs resolve.
 *
 * `AWS::Panorama::ApplicationInstance` runs against the emulated Panorama as CloudFormation's
 * resource handler would (application-instance-type.ts).
 *
 * A new CloudFormation-native type is one more {@link NativeType}, in a module of its own, added to
 * {@link NATIVE_TYPES} (or passed to the deployer in `LocalDeployerOptions.resourceTypes`). The
 * deployer gives it Create, Update (a new physical id means replacement: the old one is deleted
 * after the update succeeded) and Delete.
 */
import { randomBytes } from 'crypto';
import * as path from 'path';
import { S3Client } from '@aws-sdk/client-s3';
import { applicationInstanceType, APPLICATION_INSTANCE_TYPE } from './application-instance-type';
import { resolvePlaceholders } from './asset-publisher';
import { FileAsset } from './cloud-assembly';
import { installCode } from './lambda-functions';
import { deleteBucket, emptyBucket, ensureBucket } from './s3-objects';

/** The resource type our construct adds, driven through the Provider framework. */
export const PANORAMA_IMPORT_TYPE = 'Custom::PanoramaPackageImport';

/** Where a resource is being deployed. */
export interface TypeContext {
  readonly stackName: string;
  readonly account: string;
  readonly region: string;
  readonly partition: string;
  readonly s3: S3Client;
  readonly assets: FileAsset[];
  readonly codeStore: string;
  /** The emulated Panorama service, for types that call it (e.g. with `new PanoramaClient({ endpoint })`). */
  readonly panoramaEndpoint: string;
  /** The emulated S3. */
  readonly s3Endpoint: string;
  /** Progress lines (the runner's detailed trace). */
  readonly log: (line: string) => void;
  /**
   * Aborts when the deployment is cancelled (Ctrl-C): a type that waits stops waiting and fails
   * with CloudFormation's reason for it (`CANCELLED_REASON`). Only a deployment's own Create and
   * Update get it; deletes and rollbacks run to their end.
   */
  readonly signal?: AbortSignal;
}

export { ResourceFailure } from './resource-failure';

/** The outcome of a create or update: what the state keeps. */
export interface Provisioned {
  readonly physicalId: string;
  readonly attributes: Record<string, string>;
  readonly codeDirectory?: string;
}

/** A resource as deployed: what its create or update returned, and the properties it was given. */
export interface DeployedResource extends Provisioned {
  readonly properties: Record<string, unknown>;
}

/** Behaviour of a natively handled type (custom resources are handled by the deployer). */
export interface NativeType {
  /** Whether the runner does something real for this type (false: skipped, with a fake id). */
  readonly emulated: boolean;
  /** Whether its steps are worth a progress line (functions and state machines are only recorded). */
  readonly reported: boolean;
  create(context: TypeContext, logicalId: string, type: string, properties: Record<string, any>): Promise<Provisioned>;
  update(context: TypeContext, logicalId: string, type: string, properties: Record<string, any>, current: DeployedResource): Promise<Provisioned>;
  delete(context: TypeContext, physicalId: string, properties: Record<string, any>): Promise<void>;
}

/** CloudFormation-like generated names: `<stack>-<logicalId>-<random>`. */
function generatedName(context: TypeContext, logicalId: string, maxLength: number, lowercase = false): string {
  const suffix = randomBytes(6).toString('hex').toUpperCase();
  const name = `${context.stackName}-${logicalId}`.slice(0, maxLength - suffix.length - 1) + `-${suffix}`;
  return lowercase ? name.toLowerCase().replace(/[^a-z0-9.-]/g, '-') : name;
}

const bucketType: NativeType = {
  emulated: true,
  reported: true,
  async create(context, logicalId, _type, properties) {
    const name = typeof properties.BucketName === 'string' ? properties.BucketName : generatedName(context, logicalId, 63, true);
    await ensureBucket(context.s3, name);
    return { physicalId: name, attributes: bucketAttributes(context, name) };
  },
  async update(_context, _logicalId, _type, _properties, current) {
    return current;
  },
  async delete(context, physicalId) {
    await deleteBucket(context.s3, physicalId);
  },
};

function bucketAttributes(context: TypeContext, name: string): Record<string, string> {
  return {
    Arn: `arn:${context.partition}:s3:::${name}`,
    DomainName: `${name}.s3.amazonaws.com`,
    RegionalDomainName: `${name}.s3.${context.region}.amazonaws.com`,
    DualStackDomainName: `${name}.s3.dualstack.${context.region}.amazonaws.com`,
    WebsiteURL: `http://${name}.s3-website-${context.region}.amazonaws.com`,
  };
}

const functionType: NativeType = {
  emulated: true,
  reported: false,
  async create(context, logicalId, _type, properties) {
    const name = typeof properties.FunctionName === 'string' ? properties.FunctionName : generatedName(context, logicalId, 64);
    return {
      physicalId: name,
      attributes: { Arn: `arn:${context.partition}:lambda:${context.region}:${context.account}:function:${name}` },
      codeDirectory: installFunctionCode(context, properties),
    };
  },
  async update(context, _logicalId, _type, properties, current) {
    return { ...current, codeDirectory: installFunctionCode(context, properties) };
  },
  async delete() {
    // The code store is content-addressed and shared: nothing to remove.
  },
};

/**
 * The function's code asset (a directory in the assembly), copied to the code store; returns the
 * copy's path relative to the store, so a state folder still works after it was moved.
 */
function installFunctionCode(context: TypeContext, properties: Record<string, any>): string | undefined {
  const code = properties.Code ?? {};
  const placeholders = { accountId: context.account, region: context.region, partition: context.partition };
  const asset = context.assets.find((a) => a.packaging === 'zip' && a.destinations.some((d) =>
    resolvePlaceholders(d.bucketName, placeholders) === code.S3Bucket && resolvePlaceholders(d.objectKey, placeholders) === code.S3Key));
  return asset ? path.relative(context.codeStore, installCode(asset.sourcePath, context.codeStore, asset.id)) : undefined;
}

const stateMachineType: NativeType = {
  emulated: true,
  reported: false,
  async create(context, logicalId, _type, properties) {
    const name = typeof properties.StateMachineName === 'string' ? properties.StateMachineName : generatedName(context, logicalId, 80);
    const arn = `arn:${context.partition}:states:${context.region}:${context.account}:stateMachine:${name}`;
    return { physicalId: arn, attributes: { Arn: arn, Name: name } };
  },
  async update(_context, _logicalId, _type, _properties, current) {
    return current;
  },
  async delete() {},
};

const autoDeleteObjectsType: NativeType = {
  emulated: true,
  reported: true,
  async create(context, logicalId) {
    return { physicalId: generatedName(context, logicalId, 64), attributes: {} };
  },
  async update(_context, _logicalId, _type, _properties, current) {
    return current;
  },
  async delete(context, _physicalId, properties) {
    // What the real handler does before CloudFormation deletes the bucket.
    if (typeof properties.BucketName === 'string') {
      try {
        await emptyBucket(context.s3, properties.BucketName);
      } catch (e) {
        if ((e as Error).name !== 'NoSuchBucket') throw e;
      }
    }
  },
};

const skippedType: NativeType = {
  emulated: false,
  reported: false,
  async create(context, logicalId, type) {
    const physicalId = generatedName(context, logicalId, 64);
    const [, service, kind] = type.split('::');
    const arn = `arn:${context.partition}:${(service ?? 'custom').toLowerCase()}:${context.region}:${context.account}:${(kind ?? 'resource').toLowerCase()}/${physicalId}`;
    return { physicalId, attributes: { Arn: arn } };
  },
  async update(_context, _logicalId, _type, _properties, current) {
    return current;
  },
  async delete() {},
};

/** The types the runner handles itself; any other (not a Provider-framework custom resource) is skipped. */
export const NATIVE_TYPES: Readonly<Record<string, NativeType>> = {
  'AWS::S3::Bucket': bucketType,
  'AWS::Lambda::Function': functionType,
  'AWS::StepFunctions::StateMachine': stateMachineType,
  'Custom::S3AutoDeleteObjects': autoDeleteObjectsType,
  [APPLICATION_INSTANCE_TYPE]: applicationInstanceType(),
};

/** The behaviour of a type that is not a Provider-framework custom resource. */
export function nativeType(type: string, types: Readonly<Record<string, NativeType>> = NATIVE_TYPES): NativeType {
  return types[type] ?? skippedType;
}

/** Whether the runner really does something for the type (our custom resource, or an emulated native type); else it only keeps a made-up id. */
export function isEmulatedType(type: string, types: Readonly<Record<string, NativeType>> = NATIVE_TYPES): boolean {
  return type === PANORAMA_IMPORT_TYPE || nativeType(type, types).emulated;
}

/** Whether the type's status changes are worth a line to a person (our custom resource, or a native type that says so). */
export function isReportedType(type: string, types: Readonly<Record<string, NativeType>> = NATIVE_TYPES): boolean {
  return type === PANORAMA_IMPORT_TYPE || nativeType(type, types).reported;
}
