/**
 * The node-package manifest (`package.json`, envelope 2021-01-01): the schema, then the rules a
 * schema cannot say.
 *
 * Pure: no file system and no aws-cdk-lib, so the construct (a folder at synth), the handler (a
 * bucket's manifest) and the emulator (an import job) check a manifest with the same code and words.
 */
import { checkNodePackageDocument, parseJsonDocument } from './schema';
import { fieldIn, ValidationProblem } from './validation';

export { ENVELOPE_VERSION } from './schema';

const MAX_URI_LENGTH = 255;

/** A requirement of an implementation (hardware_access, device, os, ota), as the schema checked it. */
export interface ManifestRequirement {
  readonly type: string;
  readonly [key: string]: unknown;
}

/** One implementation of an asset. */
export interface ManifestImplementation {
  readonly type: 'system' | 'container' | 'model';
  readonly assetUri: string;
  readonly descriptorUri?: string;
  readonly description?: string;
  readonly requirements?: ManifestRequirement[];
}

/** One asset of the package. */
export interface ManifestAsset {
  readonly name: string;
  readonly description?: string;
  readonly implementations?: ManifestImplementation[];
}

/** One interface of the package. */
export interface ManifestInterface {
  readonly name: string;
  readonly category: 'media_source' | 'media_sink' | 'business_logic' | 'ml_model';
  readonly asset?: string;
  readonly description?: string;
  readonly inputs?: Array<{ readonly name: string; readonly type: string; readonly [key: string]: unknown }>;
  readonly outputs?: Array<{ readonly name: string; readonly type: string; readonly description?: string }>;
}

/** The `nodePackage` body of a manifest. `name` and `version` are optional in the schema. */
export interface NodePackage {
  readonly envelopeVersion: string;
  readonly name?: string;
  readonly version?: string;
  readonly description?: string;
  readonly assets?: ManifestAsset[];
  readonly interfaces: ManifestInterface[];
}

/** A file that the manifest names and that must be uploaded with it. */
export interface NamedFile {
  /** The name as the manifest writes it (an `assetUri` or `descriptorUri`). */
  readonly uri: string;
  /** Where in the manifest it is named, for error messages. */
  readonly field: string;
  /** A descriptor is read and checked against the descriptor schema; an asset is only uploaded. */
  readonly kind: 'asset' | 'descriptor';
}

/** The outcome of reading a manifest: the package when it is valid, and every problem found. */
export interface ManifestReading {
  readonly nodePackage?: NodePackage;
  readonly problems: ValidationProblem[];
}

/** Where the manifest lies, to say how to build a package that is not built yet. */
export interface ManifestContext {
  /**
   * The package folder as panorama-cli commands take it (`packages/<account>-<name>-<version>`).
   * @default a placeholder
   */
  readonly packagePath?: string;
  /**
   * The option that builds the package at synth, for an unbuilt one (`add builds: {…}`).
   * @default only panorama-cli is named
   */
  readonly buildOption?: (kind: 'container' | 'model', assetName: string) => string;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function objects(value: unknown): Array<[Json, number]> {
  return Array.isArray(value) ? value.map((v, i) => [v, i] as [unknown, number]).filter((e): e is [Json, number] => isObject(e[0])) : [];
}

/**
 * Why an asset URI cannot name a file beside the manifest, or undefined when it can.
 * The import job reads files from the manifest's own key prefix, so a URI must stay inside it.
 */
export function unsafeUriReason(uri: string): string | undefined {
  if (uri.length === 0) return 'must not be empty';
  const length = [...uri].length;
  if (length > MAX_URI_LENGTH) return `must be at most ${MAX_URI_LENGTH} characters long (it has ${length})`;
  if (uri.startsWith('/') || /^[a-zA-Z]:/.test(uri)) return 'must be a relative path, not an absolute one: it names a file beside the manifest';
  if (uri.includes('\\')) return 'must use forward slashes only';
  if (uri.split('/').some((part) => part === '..' || part === '.' || part === '')) {
    return 'must not contain "..", "." or empty path segments: it names a file beside the manifest';
  }
  return undefined;
}

/** The panorama-cli command that adds an interface's asset to an unbuilt package. */
export function buildCommand(category: unknown, assetName: string, packagePath: string): string {
  if (category === 'ml_model') {
    return `panorama-cli add-raw-model --model-asset-name ${assetName} --model-local-path <model .tar.gz> `
      + `--descriptor-path ${packagePath}/descriptor.json --packages-path ${packagePath}`;
  }
  return `panorama-cli build-container --container-asset-name ${assetName} --package-path ${packagePath}`;
}

/** An interface's `asset` must name a declared asset; an empty `assets` is an unbuilt package. */
function interfaceAssetProblems(pkg: Json, at: string, packagePath: string, buildOption: ManifestContext['buildOption']): ValidationProblem[] {
  const assets = objects(pkg.assets).map(([a]) => a.name).filter((n): n is string => typeof n === 'string');
  const declared = new Set(assets);
  const problems: ValidationProblem[] = [];
  for (const [itf, i] of objects(pkg.interfaces)) {
    if (typeof itf.asset !== 'string' || declared.has(itf.asset)) continue;
    const option = buildOption?.(itf.category === 'ml_model' ? 'model' : 'container', itf.asset);
    const build = `\`${buildCommand(itf.category, itf.asset, packagePath)}\`` + (option ? `, or ${option} to build it at synth` : '');
    problems.push(new ValidationProblem(`${at}.interfaces[${i}].asset`, itf.asset, assets.length === 0
      ? `must name an asset in nodePackage.assets, which is empty: the package is unbuilt (as it is kept in source control). Build it with ${build}, then import it`
      : `must name an asset declared in nodePackage.assets (declared: ${assets.join(', ')}); if it is not built yet, build it with ${build}`));
  }
  return problems;
}

/** Interfaces refer to assets by name, which the schema describes as unique. */
function duplicateAssetProblems(pkg: Json, at: string): ValidationProblem[] {
  const seen = new Set<unknown>();
  const problems: ValidationProblem[] = [];
  for (const [asset, i] of objects(pkg.assets)) {
    if (typeof asset.name !== 'string') continue;
    if (seen.has(asset.name)) {
      problems.push(new ValidationProblem(`${at}.assets[${i}].name`, asset.name, 'must be unique among the assets: interfaces refer to an asset by its name'));
    }
    seen.add(asset.name);
  }
  return problems;
}

/** Every non-system assetUri and every descriptorUri must name a file beside the manifest. */
function uriProblems(pkg: Json, at: string): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  for (const [asset, i] of objects(pkg.assets)) {
    for (const [impl, j] of objects(asset.implementations)) {
      const where = `${at}.assets[${i}].implementations[${j}]`;
      const uris: Array<[string, unknown]> = [['descriptorUri', impl.descriptorUri]];
      // A system asset is provided by the device: its assetUri names no file.
      if (impl.type !== 'system') uris.unshift(['assetUri', impl.assetUri]);
      for (const [key, uri] of uris) {
        const reason = typeof uri === 'string' ? unsafeUriReason(uri) : undefined;
        if (reason) problems.push(new ValidationProblem(`${where}.${key}`, uri, reason));
      }
    }
  }
  return problems;
}

/** A parsed manifest against the schema and the rules on top of it. */
export function checkManifest(document: unknown, source: string, context: ManifestContext = {}): ManifestReading {
  const problems = checkNodePackageDocument(document, source);
  const pkg = isObject(document) ? document.nodePackage : undefined;
  if (isObject(pkg)) {
    const at = fieldIn(source, 'nodePackage');
    const packagePath = context.packagePath ?? 'packages/<account>-<name>-<version>';
    problems.push(...interfaceAssetProblems(pkg, at, packagePath, context.buildOption), ...duplicateAssetProblems(pkg, at), ...uriProblems(pkg, at));
  }
  // The schema and the URI rule both bound an assetUri's length: say it once.
  const unique = [...new Map(problems.map((p) => [p.toString(), p])).values()];
  return unique.length > 0 ? { problems: unique } : { nodePackage: pkg as unknown as NodePackage, problems: unique };
}

/**
 * Reads manifest bytes against the 2021-01-01 schema and the rules on top of it.
 * @param source names the manifest in messages (a file path or an S3 URI)
 */
export function readManifest(bytes: Uint8Array, source: string, context: ManifestContext = {}): ManifestReading {
  const parsed = parseJsonDocument(bytes, source, 'a node package manifest');
  if (parsed.problems.length > 0) return { problems: parsed.problems };
  return checkManifest(parsed.document, source, context);
}

/** Every file that must travel with the manifest: the non-system assets and all descriptors, once each. */
export function namedFiles(nodePackage: NodePackage): NamedFile[] {
  const files = new Map<string, NamedFile>();
  (nodePackage.assets ?? []).forEach((asset, i) => {
    (asset.implementations ?? []).forEach((impl, j) => {
      const at = `nodePackage.assets[${i}].implementations[${j}]`;
      if (impl.type !== 'system' && !files.has(impl.assetUri)) {
        files.set(impl.assetUri, { uri: impl.assetUri, field: `${at}.assetUri`, kind: 'asset' });
      }
      if (impl.descriptorUri !== undefined) {
        // A file named both ways is read as a descriptor: it must be one.
        const known = files.get(impl.descriptorUri);
        if (!known || known.kind === 'asset') files.set(impl.descriptorUri, { uri: impl.descriptorUri, field: `${at}.descriptorUri`, kind: 'descriptor' });
      }
    });
  });
  return [...files.values()];
}
