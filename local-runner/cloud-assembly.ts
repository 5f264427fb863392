/**
 * Reads a synthesized cloud assembly: the stacks in deployment order, their templates and the
 * file assets each stack needs (from its `*.assets.json`).
 */
import * as fs from 'fs';
import * as path from 'path';

/** One resource of a CloudFormation template. */
export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DependsOn?: string | string[];
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
  readonly Condition?: string;
  readonly Metadata?: Record<string, unknown>;
}

/** The parts of a template the runner reads. */
export interface CfnTemplate {
  readonly Resources: Record<string, CfnResource>;
  readonly Parameters?: Record<string, { readonly Type: string; readonly Default?: unknown }>;
  readonly Outputs?: Record<string, { readonly Value: unknown; readonly Description?: string }>;
  readonly Conditions?: Record<string, unknown>;
  readonly Transform?: unknown;
}

/** One destination of an asset, placeholders (`${AWS::AccountId}`…) unresolved. */
export interface AssetDestination {
  readonly bucketName: string;
  readonly objectKey: string;
}

/** A file asset of the asset manifest. */
export interface FileAsset {
  readonly id: string;
  readonly displayName?: string;
  /** Absolute path of the file or directory in the assembly. */
  readonly sourcePath: string;
  readonly packaging: 'file' | 'zip';
  readonly destinations: AssetDestination[];
}

/** A stack artifact with everything needed to deploy it. */
export interface StackArtifact {
  readonly artifactId: string;
  readonly stackName: string;
  /** Undefined when the stack is environment-agnostic. */
  readonly account?: string;
  readonly region?: string;
  readonly template: CfnTemplate;
  readonly assets: FileAsset[];
  /** Artifact ids of the stacks this one depends on. */
  readonly dependencies: string[];
}

/** A cloud assembly directory, read. */
export interface CloudAssembly {
  readonly directory: string;
  /** Stacks in an order that respects their dependencies. */
  readonly stacks: StackArtifact[];
}

interface ManifestArtifact {
  readonly type: string;
  readonly environment?: string;
  readonly properties?: Record<string, any>;
  readonly dependencies?: string[];
  readonly displayName?: string;
}

/** Reads `manifest.json` and what it points to; throws naming the file when something is missing. */
export function readCloudAssembly(directory: string): CloudAssembly {
  const root = path.resolve(directory);
  const manifestPath = path.join(root, 'manifest.json');
  if (!fs.existsSync(manifestPath)) {
    throw new Error(`${manifestPath} does not exist: pass the directory a synth wrote (cdk.out)`);
  }
  const manifest = readJson(manifestPath) as { artifacts?: Record<string, ManifestArtifact> };
  const artifacts = manifest.artifacts ?? {};
  const stackIds = Object.keys(artifacts).filter((id) => artifacts[id].type === 'aws:cloudformation:stack');
  const stacks = orderByDependencies(stackIds, (id) => stackDependencies(artifacts, stackIds, id))
    .map((id) => ({ ...readStack(root, id, artifacts), dependencies: stackDependencies(artifacts, stackIds, id) }));
  return { directory: root, stacks };
}

function stackDependencies(artifacts: Record<string, ManifestArtifact>, stackIds: string[], id: string): string[] {
  return (artifacts[id].dependencies ?? []).filter((d) => stackIds.includes(d));
}

/**
 * The stacks that the names select, with the stacks they depend on, in deployment order (as
 * `cdk deploy A B` selects them). A name is a stack name or artifact id; `*` matches any text.
 * No names select every stack. A name that matches nothing is an error listing the stacks.
 */
export function selectStacks(assembly: CloudAssembly, names: readonly string[]): StackArtifact[] {
  if (names.length === 0) return assembly.stacks;
  const byId = new Map(assembly.stacks.map((s) => [s.artifactId, s]));
  const selected = new Set<string>();
  const add = (stack: StackArtifact): void => {
    if (selected.has(stack.artifactId)) return;
    selected.add(stack.artifactId);
    stack.dependencies.forEach((id) => add(byId.get(id)!));
  };
  for (const name of names) {
    const pattern = new RegExp(`^${name.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    const matches = assembly.stacks.filter((s) => pattern.test(s.stackName) || pattern.test(s.artifactId));
    if (matches.length === 0) {
      throw new Error(`No stack matches '${name}'. The app's stacks: ${assembly.stacks.map((s) => s.stackName).join(', ') || '(none)'}`);
    }
    matches.forEach(add);
  }
  return assembly.stacks.filter((s) => selected.has(s.artifactId));
}

function readStack(root: string, artifactId: string, artifacts: Record<string, ManifestArtifact>): Omit<StackArtifact, 'dependencies'> {
  const artifact = artifacts[artifactId];
  const properties = artifact.properties ?? {};
  const template = readJson(path.join(root, properties.templateFile)) as CfnTemplate;
  const assetManifests = (artifact.dependencies ?? [])
    .map((id) => artifacts[id])
    .filter((a) => a?.type === 'cdk:asset-manifest')
    .map((a) => path.join(root, a.properties!.file as string));
  const environment = parseEnvironment(artifact.environment);
  return {
    artifactId,
    stackName: properties.stackName ?? artifactId,
    ...environment,
    template: { ...template, Resources: template.Resources ?? {} },
    assets: assetManifests.flatMap((file) => readFileAssets(root, file)),
  };
}

/** `aws://123456789012/us-east-1`; the `unknown-*` parts mean "wherever it is deployed". */
function parseEnvironment(environment: string | undefined): { account?: string; region?: string } {
  const match = /^aws:\/\/([^/]+)\/([^/]+)$/.exec(environment ?? '');
  if (!match) return {};
  return {
    account: match[1].startsWith('unknown-') ? undefined : match[1],
    region: match[2].startsWith('unknown-') ? undefined : match[2],
  };
}

function readFileAssets(root: string, manifestFile: string): FileAsset[] {
  const manifest = readJson(manifestFile) as { files?: Record<string, any> };
  return Object.entries(manifest.files ?? {}).map(([id, asset]) => ({
    id,
    displayName: asset.displayName,
    sourcePath: path.resolve(root, asset.source.path),
    packaging: asset.source.packaging === 'zip' ? 'zip' : 'file',
    destinations: Object.values(asset.destinations ?? {}).map((d: any) => ({ bucketName: d.bucketName, objectKey: d.objectKey })),
  }));
}

/** Topological order; a cycle is an error naming its members. */
export function orderByDependencies(ids: string[], dependenciesOf: (id: string) => string[]): string[] {
  const ordered: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, trail: string[]): void => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') throw new Error(`Circular dependency between ${[...trail, id].join(' -> ')}`);
    state.set(id, 'visiting');
    for (const dependency of dependenciesOf(id)) visit(dependency, [...trail, id]);
    state.set(id, 'done');
    ordered.push(id);
  };
  for (const id of ids) visit(id, []);
  return ordered;
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`Cannot read ${file}: ${(e as Error).message}`);
  }
}
