/**
 * A synthesized cloud assembly as the runner deploys it, read by the CDK toolkit's own reader
 * (`@aws-cdk/cloud-assembly-api`): every stack, those of nested assemblies (CDK Stages) included,
 * in dependency order, each with its template and the file assets of its asset manifests.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  AssetManifestArtifact, CloudAssembly as AssemblyReader, CloudFormationStackArtifact, UNKNOWN_ACCOUNT, UNKNOWN_REGION,
} from '@aws-cdk/cloud-assembly-api';
import { FileAssetPackaging } from '@aws-cdk/cloud-assembly-schema';
import { orderByDependencies } from './graph';
import type { CfnTemplate } from './template';

/** One destination of an asset, placeholders (`${AWS::AccountId}`…) unresolved. */
export interface AssetDestination {
  readonly bucketName: string;
  readonly objectKey: string;
}

/** A file asset of an asset manifest. */
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
  /** The stack's path in the app, which `cdk deploy` patterns match: `MyStack`, or `Dev/MyStack` in a Stage. */
  readonly hierarchicalId: string;
  readonly stackName: string;
  /** Undefined when the stack is environment-agnostic. */
  readonly account?: string;
  readonly region?: string;
  readonly template: CfnTemplate;
  readonly assets: FileAsset[];
  /** Hierarchical ids of the stacks this one depends on. */
  readonly dependencies: string[];
}

/** A cloud assembly directory, read. */
export interface CloudAssembly {
  readonly directory: string;
  /** Every stack, nested assemblies' included, in an order that respects their dependencies. */
  readonly stacks: StackArtifact[];
}

/** Reads `manifest.json` and what it points to, nested assemblies included; throws naming what is missing. */
export function readCloudAssembly(directory: string): CloudAssembly {
  const root = path.resolve(directory);
  const manifestPath = path.join(root, 'manifest.json');
  if (!fs.existsSync(manifestPath)) {
    throw new Error(`${manifestPath} does not exist: pass the directory a synth wrote (cdk.out)`);
  }
  // The runner reads stacks, templates and asset manifests, which every schema version keeps: an app
  // on a later aws-cdk-lib than the one this reader knows deploys too, as it did before the reader.
  const artifacts = new AssemblyReader(root, { skipVersionCheck: true }).stacksRecursively;
  const byId = new Map(artifacts.map((artifact) => [artifact.hierarchicalId, artifact]));
  const order = orderByDependencies([...byId.keys()], (id) => stackDependencies(byId.get(id)!));
  return { directory: root, stacks: order.map((id) => stackOf(byId.get(id)!)) };
}

function stackOf(artifact: CloudFormationStackArtifact): StackArtifact {
  const template = artifact.template as CfnTemplate;
  const { account, region } = artifact.environment;
  return {
    artifactId: artifact.id,
    hierarchicalId: artifact.hierarchicalId,
    stackName: artifact.stackName,
    // The `unknown-*` parts mean "wherever it is deployed".
    ...(account !== UNKNOWN_ACCOUNT ? { account } : {}),
    ...(region !== UNKNOWN_REGION ? { region } : {}),
    template: { ...template, Resources: template.Resources ?? {} },
    assets: artifact.dependencies.filter(AssetManifestArtifact.isAssetManifestArtifact).flatMap(fileAssets),
    dependencies: stackDependencies(artifact),
  };
}

function stackDependencies(artifact: CloudFormationStackArtifact): string[] {
  return artifact.dependencies
    .filter((dependency): dependency is CloudFormationStackArtifact => CloudFormationStackArtifact.isCloudFormationStackArtifact(dependency))
    .map((dependency) => dependency.hierarchicalId);
}

/** The file assets of one manifest; their paths are relative to the manifest's own directory (a nested assembly's). */
function fileAssets(manifest: AssetManifestArtifact): FileAsset[] {
  const directory = path.dirname(manifest.file);
  return Object.entries(manifest.contents.files ?? {}).flatMap(([id, asset]) => {
    // An asset built by a command (an `executable` source) has no path: the runner runs no build commands.
    if (asset.source.path === undefined) return [];
    return [{
      id,
      displayName: asset.displayName,
      sourcePath: path.resolve(directory, asset.source.path),
      packaging: asset.source.packaging === FileAssetPackaging.ZIP_DIRECTORY ? 'zip' : 'file',
      destinations: Object.values(asset.destinations).map(({ bucketName, objectKey }) => ({ bucketName, objectKey })),
    }];
  });
}
