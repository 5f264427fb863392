/**
 * What CloudFormation puts in a custom resource request: a stack ARN, a fresh RequestId, a
 * pre-signed ResponseURL, and every scalar property as a string.
 */
import { createHash, randomBytes, randomUUID } from 'crypto';
import { CustomResourceRequest } from './provider-framework';

/** `arn:aws:cloudformation:<region>:<account>:stack/<name>/<uuid>`, made once per stack. */
export function newStackId(partition: string, region: string, account: string, stackName: string): string {
  return `arn:${partition}:cloudformation:${region}:${account}:stack/${stackName}/${randomUUID()}`;
}

/** A pre-signed S3 URL shaped like CloudFormation's; its signature must never reach a log. */
export function responseUrl(stackId: string, logicalResourceId: string, requestId: string, region: string): string {
  const date = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const objectKey = encodeURIComponent(`${stackId}|${logicalResourceId}|${requestId}`);
  const host = `cloudformation-custom-resource-response-${region.replace(/-/g, '')}.s3.amazonaws.com`;
  const query = [
    'X-Amz-Algorithm=AWS4-HMAC-SHA256',
    `X-Amz-Date=${date}`,
    'X-Amz-SignedHeaders=host',
    'X-Amz-Expires=7200',
    `X-Amz-Credential=AKIA${randomBytes(8).toString('hex').toUpperCase()}%2F${date.slice(0, 8)}%2F${region}%2Fs3%2Faws4_request`,
    `X-Amz-Signature=${createHash('sha256').update(randomBytes(32)).digest('hex')}`,
  ].join('&');
  return `https://${host}/${objectKey}?${query}`;
}

/** CloudFormation hands custom resources numbers and booleans as strings ("true", "42"). */
export function stringifyScalars(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stringifyScalars);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, stringifyScalars(v)]));
  }
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;
}

/** The request for one operation on a custom resource; a fresh RequestId each time. */
export function customResourceRequest(input: {
  readonly requestType: CustomResourceRequest['RequestType'];
  readonly stackId: string;
  readonly region: string;
  readonly logicalResourceId: string;
  readonly resourceType: string;
  readonly properties: Record<string, unknown>;
  readonly physicalResourceId?: string;
  readonly oldProperties?: Record<string, unknown>;
}): CustomResourceRequest {
  const requestId = randomUUID();
  const properties = stringifyScalars(input.properties) as Record<string, unknown>;
  return {
    RequestType: input.requestType,
    ServiceToken: String(properties.ServiceToken),
    ResponseURL: responseUrl(input.stackId, input.logicalResourceId, requestId, input.region),
    StackId: input.stackId,
    RequestId: requestId,
    LogicalResourceId: input.logicalResourceId,
    ResourceType: input.resourceType,
    ...(input.physicalResourceId !== undefined ? { PhysicalResourceId: input.physicalResourceId } : {}),
    ResourceProperties: properties,
    ...(input.oldProperties ? { OldResourceProperties: stringifyScalars(input.oldProperties) as Record<string, unknown> } : {}),
  };
}
