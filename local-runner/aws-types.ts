/**
 * The plain AWS types under the runner: S3 buckets become real buckets in the emulated S3, Lambda
 * functions and state machines are recorded (a function's code copied) so the Provider framework
 * can be driven, S3AutoDeleteObjects empties its bucket on Delete, and any type the runner does not
 * know is skipped with a made-up physical id so Refs resolve.
 */
import { randomBytes } from 'crypto';
import * as path from 'path';
import { EnvironmentPlaceholders } from '@aws-cdk/cloud-assembly-api';
import { installCode } from './lambda-functions';
import type { ResourceType, StackEnvironment } from './resource-type';
import { bucketExists, deleteBucket, emptyBucket, ensureBucket } from './s3-objects';

/** CloudFormation-like generated names: `<stack>-<logicalId>-<random>`. */
function generatedName(context: StackEnvironment, logicalId: string, maxLength: number, lowercase = false): string {
  const suffix = randomBytes(6).toString('hex').toUpperCase();
  const name = `${context.stackName}-${logicalId}`.slice(0, maxLength - suffix.length - 1) + `-${suffix}`;
  return lowercase ? name.toLowerCase().replace(/[^a-z0-9.-]/g, '-') : name;
}

/** Types whose update changes nothing the runner keeps. */
const keepOnUpdate: Pick<ResourceType, 'update'> = {
  async update(_context, _logicalId, _type, _properties, current) {
    return current;
  },
};

export const bucketType: ResourceType = {
  emulated: true,
  reported: true,
  ...keepOnUpdate,
  async create(context, logicalId, _type, properties) {
    // A generated name is journaled before the bucket is made: the next command reuses it, never making a second bucket.
    const name = typeof properties.BucketName === 'string' ? properties.BucketName : context.reserveName(() => generatedName(context, logicalId, 63, true));
    await ensureBucket(context.s3, name);
    return { physicalId: name, attributes: bucketAttributes(context, name) };
  },
  async delete(context, physicalId) {
    await deleteBucket(context.s3, physicalId);
  },
  async restore(context, physicalId) {
    if (await bucketExists(context.s3, physicalId)) return false;
    await ensureBucket(context.s3, physicalId);
    return true;
  },
};

function bucketAttributes(context: StackEnvironment, name: string): Record<string, string> {
  return {
    Arn: `arn:${context.partition}:s3:::${name}`,
    DomainName: `${name}.s3.amazonaws.com`,
    RegionalDomainName: `${name}.s3.${context.region}.amazonaws.com`,
    DualStackDomainName: `${name}.s3.dualstack.${context.region}.amazonaws.com`,
    WebsiteURL: `http://${name}.s3-website-${context.region}.amazonaws.com`,
  };
}

export const functionType: ResourceType = {
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
function installFunctionCode(context: StackEnvironment, properties: Record<string, any>): string | undefined {
  const code = properties.Code ?? {};
  const placeholders = { accountId: context.account, region: context.region, partition: context.partition };
  const asset = context.assets.find((a) => a.packaging === 'zip' && a.destinations.some((d) => {
    const { bucketName, objectKey } = EnvironmentPlaceholders.replace(d, placeholders);
    return bucketName === code.S3Bucket && objectKey === code.S3Key;
  }));
  return asset ? path.relative(context.codeStore, installCode(asset.sourcePath, context.codeStore, asset.id)) : undefined;
}

export const stateMachineType: ResourceType = {
  emulated: true,
  reported: false,
  ...keepOnUpdate,
  async create(context, logicalId, _type, properties) {
    const name = typeof properties.StateMachineName === 'string' ? properties.StateMachineName : generatedName(context, logicalId, 80);
    const arn = `arn:${context.partition}:states:${context.region}:${context.account}:stateMachine:${name}`;
    return { physicalId: arn, attributes: { Arn: arn, Name: name } };
  },
  async delete() {},
};

export const autoDeleteObjectsType: ResourceType = {
  emulated: true,
  reported: true,
  ...keepOnUpdate,
  async create(context, logicalId) {
    return { physicalId: generatedName(context, logicalId, 64), attributes: {} };
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

/** Any type the runner does not know: a made-up physical id (and Arn), nothing created. */
export const skippedType: ResourceType = {
  emulated: false,
  reported: false,
  ...keepOnUpdate,
  async create(context, logicalId, type) {
    const physicalId = generatedName(context, logicalId, 64);
    const [, service, kind] = type.split('::');
    const arn = `arn:${context.partition}:${(service ?? 'custom').toLowerCase()}:${context.region}:${context.account}:${(kind ?? 'resource').toLowerCase()}/${physicalId}`;
    return { physicalId, attributes: { Arn: arn } };
  },
  async delete() {},
};
