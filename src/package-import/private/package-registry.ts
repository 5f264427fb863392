/**
 * One package version, one owner per stack. Two imports of the same package version in one stack
 * (an application and an import of the same folder, two applications of one project) would be two
 * custom resources registering, tagging and deregistering the same patch: the first destroy would
 * deregister what the other still deploys. Here the first import of a package version in a stack
 * owns it; a later one with the very same properties shares it (it creates no resource and reads
 * the owner's attributes); a later one that differs is a synth error naming both.
 */
import { Stack, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { PanoramaValidationError, ValidationProblem } from '../../rules/validation';

/** What the registry keeps of an owner: where it is, and what it imports with. */
export interface RegisteredImport<T> {
  readonly owner: T;
  readonly path: string;
  readonly properties: Record<string, unknown>;
}

const REGISTRIES = new WeakMap<Stack, Map<string, RegisteredImport<unknown>>>();

function differingKeys(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  return keys.filter((key) => JSON.stringify(a[key]) !== JSON.stringify(b[key]));
}

/**
 * The import that owns this package version in the scope's stack: `candidate` itself when it is
 * the first (or the package is not known at synth), else the registered owner when the properties
 * are identical. Throws when they differ.
 * @param properties the custom resource's properties, with the handler's service token
 */
export function ownerOf<T>(scope: Construct, candidate: T, packageName: unknown, packageVersion: unknown, properties: Record<string, unknown>): T {
  if (typeof packageName !== 'string' || typeof packageVersion !== 'string' || Token.isUnresolved(packageName) || Token.isUnresolved(packageVersion)) {
    return candidate;
  }
  const stack = Stack.of(scope);
  let registry = REGISTRIES.get(stack);
  if (!registry) {
    registry = new Map();
    REGISTRIES.set(stack, registry);
  }
  const key = `${packageName} ${packageVersion}`;
  const registered = registry.get(key);
  if (!registered) {
    registry.set(key, { owner: candidate, path: scope.node.path, properties });
    return candidate;
  }
  const differing = differingKeys(registered.properties, properties);
  if (differing.length === 0) return registered.owner as T;
  throw new PanoramaValidationError([new ValidationProblem(scope.node.path, `${packageName} ${packageVersion}`,
    `must be imported once per stack, but ${registered.path} imports package ${packageName} version ${packageVersion} too, with other ${differing.join(', ')}: `
    + 'one package version has one owner, which registers and removes its patches. Import it once and share that import '
    + '(PanoramaApplication.packageImport(name)), or give both the same source and settings')]);
}
