import { fieldError } from './errors';

/** Length and pattern limits of a string field, from the Panorama model. */
export interface StringConstraint {
  readonly min: number;
  readonly max: number;
  readonly pattern?: RegExp;
}

/** The constraints table of panorama-api.md. */
export const CONSTRAINTS = {
  ClientToken: { min: 1, max: 64, pattern: /^[a-zA-Z0-9\-_]+$/ },
  JobId: { min: 1, max: 255, pattern: /^[a-zA-Z0-9\-_]+$/ },
  PackageName: { min: 1, max: 128, pattern: /^[a-zA-Z0-9\-_]+$/ },
  PackageId: { min: 1, max: 255, pattern: /^[a-zA-Z0-9\-_/]+$/ },
  PackageVersion: { min: 1, max: 255, pattern: /^([0-9]+)\.([0-9]+)$/ },
  PatchVersion: { min: 1, max: 255, pattern: /^[a-z0-9]+$/ },
  OwnerAccount: { min: 1, max: 12, pattern: /^[0-9a-z_]+$/ },
  BucketName: { min: 1, max: 255 },
  ObjectKey: { min: 1, max: 255 },
  ResourceArn: { min: 1, max: 2048, pattern: /^.+$/ },
  // The model's TagKey and TagValue: any characters but line breaks, so "R&D" is a valid value.
  TagKey: { min: 1, max: 128, pattern: /^.+$/ },
  TagValue: { min: 0, max: 256, pattern: /^.*$/ },
  NextToken: { min: 1, max: 4096, pattern: /^.+$/ },
  ApplicationInstanceId: { min: 1, max: 255, pattern: /^[a-zA-Z0-9\-_]+$/ },
  ApplicationInstanceName: { min: 1, max: 255, pattern: /^[a-zA-Z0-9\-_]+$/ },
  DeviceId: { min: 1, max: 255, pattern: /^[a-zA-Z0-9\-_]+$/ },
  DeviceName: { min: 1, max: 255, pattern: /^[a-zA-Z0-9\-_]+$/ },
  Description: { min: 0, max: 255, pattern: /^.*$/ },
  NodeName: { min: 1, max: 128, pattern: /^[a-zA-Z0-9\-_]+$/ },
  NodeId: { min: 1, max: 255, pattern: /^[a-zA-Z0-9\-_.]+$/ },
  TemplateKey: { min: 1, max: 255, pattern: /^.+$/ },
  // The model marks TemplateValue sensitive: requireSensitiveString never shows it.
  TemplateValue: { min: 1, max: 255, pattern: /^.+$/ },
  RuntimeRoleArn: { min: 1, max: 255, pattern: /^arn:[a-z0-9][-.a-z0-9]{0,62}:iam::[0-9]{12}:role\/.+$/ },
  ManifestPayloadData: { min: 1, max: 51200, pattern: /^.+$/ },
  ManifestOverridesPayloadData: { min: 0, max: 51200, pattern: /^.*$/ },
  IpAddress: {
    min: 1,
    max: 255,
    pattern: /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d))(:(6553[0-5]|655[0-2]\d|65[0-4]\d{2}|6[0-4]\d{3}|[1-5]\d{4}|[1-9]\d{0,3}))?$/,
  },
  Mask: { min: 1, max: 255, pattern: /^.+$/ },
  DefaultGateway: { min: 1, max: 255, pattern: /^.+$/ },
  Dns: { min: 1, max: 255, pattern: /^.+$/ },
  IpAddressOrServerName: {
    min: 1,
    max: 255,
    pattern: /(^([a-z0-9]+(-[a-z0-9]+)*\.)+[a-z]{2,}$)|(^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d))(:(6553[0-5]|655[0-2]\d|65[0-4]\d{2}|6[0-4]\d{3}|[1-5]\d{4}|[1-9]\d{0,3}))?$)/,
  },
} satisfies Record<string, StringConstraint>;

/** Most tags one TagMap may hold (and one resource may carry). */
export const MAX_TAGS = 50;
/** Most keys one UntagResource may name (the model's TagKeyList: 1 to 50). */
export const MAX_TAG_KEYS = 50;
/** Largest MaxResults the list operations accept. */
export const MAX_PAGE_SIZE = 25;

/** Returns the value when it is a string within the constraint; otherwise throws a ValidationException. */
export function requireString(value: unknown, field: string, constraint: StringConstraint): string {
  if (value === undefined || value === null) throw fieldError(field, 'is required.');
  return checkString(value, field, constraint);
}

/** Like {@link requireString} but lets an absent value through as undefined. */
export function optionalString(value: unknown, field: string, constraint: StringConstraint): string | undefined {
  return value === undefined || value === null ? undefined : checkString(value, field, constraint);
}

function checkString(value: unknown, field: string, constraint: StringConstraint): string {
  if (typeof value !== 'string') throw fieldError(field, `must be a string, got ${typeof value}.`);
  // Smithy lengths count characters (code points), not UTF-16 units.
  const length = [...value].length;
  if (length < constraint.min || length > constraint.max) {
    throw fieldError(field, `must be ${constraint.min} to ${constraint.max} characters long, got ${length}.`);
  }
  if (constraint.pattern && !constraint.pattern.test(value)) {
    throw fieldError(field, `value '${shown(value)}' does not match pattern ${constraint.pattern.source}.`);
  }
  return value;
}

/**
 * Like {@link requireString} for a member the model marks sensitive: a message names the field and
 * the rule, never the value (not even its length).
 */
export function requireSensitiveString(value: unknown, field: string, constraint: StringConstraint): string {
  if (value === undefined || value === null) throw fieldError(field, 'is required.');
  if (typeof value !== 'string') throw fieldError(field, `must be a string, got ${typeof value}.`);
  const length = [...value].length;
  if (length < constraint.min || length > constraint.max || (constraint.pattern && !constraint.pattern.test(value))) {
    throw fieldError(field, `must be ${constraint.min} to ${constraint.max} characters matching ${constraint.pattern?.source ?? 'any'} (the value is sensitive and not shown).`);
  }
  return value;
}

/** Longer values are cut in messages: a 50,000-character payload is no help in an error. */
const MAX_SHOWN_CHARACTERS = 80;

function shown(value: string): string {
  const characters = [...value];
  if (characters.length <= MAX_SHOWN_CHARACTERS) return value;
  return `${characters.slice(0, MAX_SHOWN_CHARACTERS).join('')}…(${characters.length} characters)`;
}

/** Returns a boolean field, undefined when absent. */
export function optionalBoolean(value: unknown, field: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw fieldError(field, `must be a boolean, got ${JSON.stringify(value)}.`);
  return value;
}

/** Reads a boolean from a query string value ("true"/"false"). */
export function queryBoolean(value: string | null, field: string): boolean | undefined {
  if (value === null) return undefined;
  if (value === 'true' || value === 'false') return value === 'true';
  throw fieldError(field, `must be true or false, got '${value}'.`);
}

/** Reads an optional string from the query string, within its constraint. */
export function queryString(value: string | null, field: string, constraint: StringConstraint): string | undefined {
  return value === null ? undefined : checkString(value, field, constraint);
}

/** Reads an optional enum value from the query string. */
export function queryEnum<T extends string>(value: string | null, field: string, allowed: readonly T[]): T | undefined {
  return value === null ? undefined : requireEnum(value, field, allowed);
}

/** Reads MaxResults from a query string: an integer from 0 to 25, where 0 or absent means 25. */
export function queryPageSize(value: string | null, field: string): number {
  if (value === null) return MAX_PAGE_SIZE;
  if (!/^\d+$/.test(value) || Number(value) > MAX_PAGE_SIZE) {
    throw fieldError(field, `must be an integer from 0 to ${MAX_PAGE_SIZE}, got '${value}'.`);
  }
  return Number(value) === 0 ? MAX_PAGE_SIZE : Number(value);
}

/** Validates a tag map: at most 50 entries, keys and values within their limits. */
export function optionalTags(value: unknown, field: string): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw fieldError(field, 'must be a map of strings.');
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > MAX_TAGS) throw fieldError(field, `must hold at most ${MAX_TAGS} tags, got ${entries.length}.`);
  for (const [key, tagValue] of entries) {
    requireString(key, `${field} key`, CONSTRAINTS.TagKey);
    requireString(tagValue, `${field}.${key}`, CONSTRAINTS.TagValue);
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

/** Returns a nested object field, or throws naming the missing path. */
export function requireObject(value: unknown, field: string): Record<string, unknown> {
  if (value === undefined || value === null) throw fieldError(field, 'is required.');
  if (typeof value !== 'object' || Array.isArray(value)) throw fieldError(field, 'must be an object.');
  return value as Record<string, unknown>;
}

/** Returns a nested object field, undefined when absent. */
export function optionalObject(value: unknown, field: string): Record<string, unknown> | undefined {
  return value === undefined || value === null ? undefined : requireObject(value, field);
}

/** Returns a list field, undefined when absent; checks its length. */
export function optionalList(value: unknown, field: string, max = Infinity): unknown[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw fieldError(field, 'must be a list.');
  if (value.length > max) throw fieldError(field, `must hold at most ${max} entries, got ${value.length}.`);
  return value;
}

/** Returns the value when it is one of the allowed strings. */
export function requireEnum<T extends string>(value: unknown, field: string, allowed: readonly T[]): T {
  if (value === undefined || value === null) throw fieldError(field, 'is required.');
  if (!allowed.includes(value as T)) {
    throw fieldError(field, `must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}.`);
  }
  return value as T;
}
