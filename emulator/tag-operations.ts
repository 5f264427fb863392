import { fieldError, notFound } from './errors';
import { CONSTRAINTS, MAX_TAGS, optionalTags, requireString } from './input-validation';
import { OperationContext, OperationInput } from './operation-context';
import { EmulatorState, PackageRecord } from './state';

/** TagResource: merges tags into a package's tags. */
export function tagResource({ state }: OperationContext, { labels, body }: OperationInput): object {
  const pkg = requireTaggable(state, labels.ResourceArn);
  const tags = optionalTags(body.Tags, 'Tags');
  if (!tags) throw fieldError('Tags', 'is required.');
  const merged = { ...pkg.tags, ...tags };
  if (Object.keys(merged).length > MAX_TAGS) throw fieldError('Tags', `would give the resource ${Object.keys(merged).length} tags; at most ${MAX_TAGS} are allowed.`);
  pkg.tags = merged;
  return {};
}

/** UntagResource: removes the keys named by the repeated `tagKeys` query parameter. */
export function untagResource({ state }: OperationContext, { labels, query }: OperationInput): object {
  const pkg = requireTaggable(state, labels.ResourceArn);
  const keys = query.getAll('tagKeys');
  if (keys.length === 0) throw fieldError('tagKeys', 'is required.');
  keys.forEach((key) => requireString(key, 'tagKeys', CONSTRAINTS.TagKey));
  pkg.tags = Object.fromEntries(Object.entries(pkg.tags).filter(([key]) => !keys.includes(key)));
  return {};
}

/** ListTagsForResource. */
export function listTagsForResource({ state }: OperationContext, { labels }: OperationInput): object {
  return { Tags: requireTaggable(state, labels.ResourceArn).tags };
}

function requireTaggable(state: EmulatorState, arnLabel: string | undefined): PackageRecord {
  const arn = requireString(arnLabel, 'ResourceArn', CONSTRAINTS.ResourceArn);
  // Only packages exist in this emulator; any other ARN is a resource it does not know.
  const pkg = state.findPackageByArn(arn);
  if (!pkg) throw notFound('Package', arn, `Resource ${arn} not found.`);
  return pkg;
}
