import { fieldError, notFound } from './errors';
import { CONSTRAINTS, MAX_TAG_KEYS, MAX_TAGS, optionalTags, requireString } from './input-validation';
import { OperationContext, OperationInput } from './operation-context';
import { EmulatorState } from './state';

/** A resource that carries tags: a package, an application instance or a device. */
interface Taggable {
  readonly tags: Record<string, string>;
  setTags(tags: Record<string, string>): void;
}

/** TagResource: merges tags into a resource's tags. */
export function tagResource({ state }: OperationContext, { labels, body }: OperationInput): object {
  const arn = resourceArnOf(labels);
  const tags = optionalTags(body.Tags, 'Tags');
  if (!tags) throw fieldError('Tags', 'is required.');
  const resource = taggable(state, arn);
  const merged = { ...resource.tags, ...tags };
  // The model bounds one request's map; that a resource carries at most 50 tags is the service's rule.
  if (Object.keys(merged).length > MAX_TAGS) throw fieldError('Tags', `would give the resource ${Object.keys(merged).length} tags; at most ${MAX_TAGS} are allowed.`);
  resource.setTags(merged);
  return {};
}

/** UntagResource: removes the keys named by the repeated `tagKeys` query parameter (1 to 50 of them). */
export function untagResource({ state }: OperationContext, { labels, query }: OperationInput): object {
  const arn = resourceArnOf(labels);
  const keys = query.getAll('tagKeys');
  if (keys.length === 0) throw fieldError('tagKeys', 'is required.');
  if (keys.length > MAX_TAG_KEYS) throw fieldError('tagKeys', `must hold 1 to ${MAX_TAG_KEYS} keys, got ${keys.length}.`);
  keys.forEach((key) => requireString(key, 'tagKeys', CONSTRAINTS.TagKey));
  const resource = taggable(state, arn);
  resource.setTags(Object.fromEntries(Object.entries(resource.tags).filter(([key]) => !keys.includes(key))));
  return {};
}

/** ListTagsForResource: the tags of a package, application instance or device. */
export function listTagsForResource({ state }: OperationContext, { labels }: OperationInput): object {
  return { Tags: taggable(state, resourceArnOf(labels)).tags };
}

function resourceArnOf(labels: OperationInput['labels']): string {
  return requireString(labels.ResourceArn, 'ResourceArn', CONSTRAINTS.ResourceArn);
}

/** The package, application instance or device an ARN names; looked up only once the request is valid (400 before 404). */
function taggable(state: EmulatorState, arn: string): Taggable {
  const pkg = state.findPackageByArn(arn);
  if (pkg) return { tags: pkg.tags, setTags: (tags) => { pkg.tags = tags; } };
  const instance = state.findInstanceByArn(arn);
  if (instance) return { tags: instance.tags, setTags: (tags) => { instance.tags = tags; } };
  const device = state.findDeviceByArn(arn);
  if (device) return { tags: device.Tags, setTags: (tags) => { device.Tags = tags; } };
  throw notFound(resourceTypeOf(arn), arn, `Resource ${arn} not found.`);
}

/** `…:applicationInstance/…` → ApplicationInstance; a package's ARN, or anything else, → Package. */
function resourceTypeOf(arn: string): string {
  const kind = /^arn:[^:]*:panorama:[^:]*:[^:]*:([a-zA-Z]+)\//.exec(arn)?.[1];
  return kind === 'applicationInstance' ? 'ApplicationInstance' : kind === 'device' ? 'Device' : 'Package';
}
