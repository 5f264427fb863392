import { fieldError, notFound } from './errors';
import { CONSTRAINTS, MAX_TAG_KEYS, MAX_TAGS, optionalTags, requireString } from './input-validation';
import { OperationContext, OperationInput } from './operation-context';
import { EmulatorState, PackageRecord } from './state';

/** TagResource: merges tags into a package's tags. */
export function tagResource({ state }: OperationContext, { labels, body }: OperationInput): object {
  const arn = resourceArnOf(labels);
  const tags = optionalTags(body.Tags, 'Tags');
  if (!tags) throw fieldError('Tags', 'is required.');
  const pkg = taggable(state, arn);
  const merged = { ...pkg.tags, ...tags };
  // The model bounds one request's map; that a resource carries at most 50 tags is the service's rule.
  if (Object.keys(merged).length > MAX_TAGS) throw fieldError('Tags', `would give the resource ${Object.keys(merged).length} tags; at most ${MAX_TAGS} are allowed.`);
  pkg.tags = merged;
  return {};
}

/** UntagResource: removes the keys named by the repeated `tagKeys` query parameter (1 to 50 of them). */
export function untagResource({ state }: OperationContext, { labels, query }: OperationInput): object {
  const arn = resourceArnOf(labels);
  const keys = query.getAll('tagKeys');
  if (keys.length === 0) throw fieldError('tagKeys', 'is required.');
  if (keys.length > MAX_TAG_KEYS) throw fieldError('tagKeys', `must hold 1 to ${MAX_TAG_KEYS} keys, got ${keys.length}.`);
  keys.forEach((key) => requireString(key, 'tagKeys', CONSTRAINTS.TagKey));
  const pkg = taggable(state, arn);
  pkg.tags = Object.fromEntries(Object.entries(pkg.tags).filter(([key]) => !keys.includes(key)));
  return {};
}

/** ListTagsForResource. */
export function listTagsForResource({ state }: OperationContext, { labels }: OperationInput): object {
  return { Tags: taggable(state, resourceArnOf(labels)).tags };
}

function resourceArnOf(labels: OperationInput['labels']): string {
  return requireString(labels.ResourceArn, 'ResourceArn', CONSTRAINTS.ResourceArn);
}

/** The package an ARN names; looked up only once the request is valid (400 before 404). */
function taggable(state: EmulatorState, arn: string): PackageRecord {
  // Only packages exist in this emulator; any other ARN is a resource it does not know.
  const pkg = state.findPackageByArn(arn);
  if (!pkg) throw notFound('Package', arn, `Resource ${arn} not found.`);
  return pkg;
}
