/**
 * The node package manifests and descriptors the tests use, one per package shape: a model package
 * (model assets described by a model descriptor, ml_model interfaces) and a code package (a
 * container with its runtime descriptor, one business_logic interface). Documents only: where they
 * are written (a folder, a bucket, a packed app) is the caller's business.
 */

const ENVELOPE = '2021-01-01';

/** A port as a manifest declares it. */
export interface PortJson {
  readonly name: string;
  readonly type: string;
  readonly [key: string]: unknown;
}

/** A manifest document: `{"nodePackage": …}`. */
export type NodePackageJson = { nodePackage: Record<string, unknown> };

/** What names a package in its manifest. */
interface PackageIdentityJson {
  readonly name: string;
  readonly version: string;
  readonly description?: string;
}

function manifest(identity: PackageIdentityJson, assets: object[], interfaces: object[]): NodePackageJson {
  const { name, version, description } = identity;
  return { nodePackage: { envelopeVersion: ENVELOPE, name, version, description, assets, interfaces } };
}

/** One model of a model package: the interface it implements, its asset, and the asset's file. */
export interface ModelJson {
  readonly interfaceName: string;
  readonly assetName: string;
  readonly assetUri: string;
}

/** A model package's manifest: each model's asset and interface, one descriptor for all. */
export function modelPackageManifest(options: {
  readonly name: string;
  readonly version: string;
  readonly description?: string;
  readonly models: readonly ModelJson[];
  readonly descriptorUri: string;
}): NodePackageJson {
  return manifest(options,
    options.models.map((model) => ({ name: model.assetName, implementations: [{ type: 'model', assetUri: model.assetUri, descriptorUri: options.descriptorUri }] })),
    options.models.map((model) => ({
      name: model.interfaceName,
      category: 'ml_model',
      asset: model.assetName,
      inputs: [{ name: 'video_in', type: 'media' }],
      outputs: [{ name: 'video_out', type: 'media' }],
    })));
}

/** The one model of a single-model package, as panorama-cli names it (`model_asset`, `interface`). */
export function singleModel(assetUri: string): ModelJson[] {
  return [{ interfaceName: 'interface', assetName: 'model_asset', assetUri }];
}

/** A code package's manifest: a container asset with its runtime descriptor, one business_logic interface. */
export function codePackageManifest(options: {
  readonly name: string;
  readonly version: string;
  readonly description?: string;
  readonly assetUri: string;
  readonly descriptorUri: string;
  readonly interfaceName?: string;
  readonly inputs?: PortJson[];
  readonly outputs?: PortJson[];
}): NodePackageJson {
  return manifest(options,
    [{ name: 'code_asset', implementations: [{ type: 'container', assetUri: options.assetUri, descriptorUri: options.descriptorUri }] }],
    [{
      name: options.interfaceName ?? 'interface',
      category: 'business_logic',
      asset: 'code_asset',
      inputs: options.inputs ?? [{ name: 'video_in', type: 'media' }],
      outputs: options.outputs ?? [{ name: 'video_out', type: 'media' }],
    }]);
}

/** A PyTorch model descriptor: one 224x224 RGB input, compiled for FP16. */
export function modelDescriptor(): object {
  return { mlModelDescriptor: { envelopeVersion: ENVELOPE, framework: 'PYTORCH', frameworkVersion: '1.8', precisionMode: 'FP16', inputs: [{ name: 'data', shape: [1, 3, 224, 224] }] } };
}

/** A runtime descriptor that runs the application's Python entry point. */
export function runtimeDescriptor(entry = '/panorama/application.py'): object {
  return { runtimeDescriptor: { envelopeVersion: ENVELOPE, entry: { path: 'python3', name: entry } } };
}
