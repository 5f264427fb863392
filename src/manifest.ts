/**
 * The node-package manifest (`package.json`, envelope 2021-01-01): parsing and the schema rules.
 *
 * Pure: no file system and no aws-cdk-lib, so the construct checks a manifest at synth and the
 * handler checks one read from S3 with the same code and the same messages.
 */
import { described, ValidationProblem } from './validation';

/** The only envelope version Panorama knows. */
export const ENVELOPE_VERSION = '2021-01-01';
/** A manifest is a few kilobytes; anything past this is not a manifest. */
export const MAX_MANIFEST_BYTES = 1024 * 1024;
const MAX_URI_LENGTH = 255;
const NAME_PATTERN = /^[a-z_A-Z0-9\-]+$/;
const VERSION_PATTERN = /^[0-9]+\.[0-9]+$/;
const IMPLEMENTATION_TYPES = ['system', 'container', 'model'];

/** One implementation of an asset. */
export interface ManifestImplementation {
  readonly type: string;
  readonly assetUri: string;
  readonly descriptorUri?: string;
}

/** One asset of the package. */
export interface ManifestAsset {
  readonly name: string;
  readonly implementations: ManifestImplementation[];
}

/** The `nodePackage` body of a manifest. */
export interface NodePackage {
  readonly envelopeVersion: string;
  readonly name: string;
  readonly version: string;
  readonly description?: string;
  readonly assets?: ManifestAsset[];
  readonly interfaces: Array<{ name: string; category?: string; asset?: string }>;
}

/** A file that the manifest names and that must be uploaded with it. */
export interface NamedFile {
  /** The name as the manifest writes it (an `assetUri` or `descriptorUri`). */
  readonly uri: string;
  /** Where in the manifest it is named, for error messages. */
  readonly field: string;
}

/** The outcome of reading a manifest: the package when it is valid, and every problem found. */
export interface ManifestReading {
  readonly nodePackage?: NodePackage;
  readonly problems: ValidationProblem[];
}

const ALLOWED_KEYS: Record<string, string[]> = {
  manifest: ['nodePackage'],
  nodePackage: ['envelopeVersion', 'name', 'version', 'description', 'assets', 'interfaces'],
  asset: ['name', 'implementations'],
  implementation: ['type', 'assetUri', 'descriptorUri'],
};

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function extraKeys(value: Json, kind: string, field: string): ValidationProblem[] {
  return Object.keys(value)
    .filter((key) => !ALLOWED_KEYS[kind].includes(key))
    .map((key) => new ValidationProblem(`${field}.${key}`, key, `is not a property the ${ENVELOPE_VERSION} schema allows (allowed: ${ALLOWED_KEYS[kind].join(', ')})`));
}

/**
 * Why an asset URI cannot name a file beside the manifest, or undefined when it can.
 * The import job reads files from the manifest's own key prefix, so a URI must stay inside it.
 */
export function unsafeUriReason(uri: string): string | undefined {
  if (uri.length === 0) return 'must not be empty';
  if (uri.length > MAX_URI_LENGTH) return `must be at most ${MAX_URI_LENGTH} characters long (it has ${uri.length})`;
  if (uri.startsWith('/') || /^[a-zA-Z]:/.test(uri)) return 'must be a relative path, not an absolute one';
  if (uri.includes('\\')) return 'must use forward slashes only';
  if (uri.split('/').some((part) => part === '..' || part === '.' || part === '')) {
    return 'must not contain "..", "." or empty path segments: it names a file beside the manifest';
  }
  return undefined;
}

function checkUri(value: unknown, field: string): ValidationProblem[] {
  if (typeof value !== 'string') {
    return [new ValidationProblem(field, value, 'must be a string')];
  }
  const reason = unsafeUriReason(value);
  return reason ? [new ValidationProblem(field, value, reason)] : [];
}

function checkImplementation(impl: unknown, field: string): ValidationProblem[] {
  if (!isObject(impl)) return [new ValidationProblem(field, impl, 'must be an object')];
  const problems = extraKeys(impl, 'implementation', field);
  if (typeof impl.type !== 'string' || !IMPLEMENTATION_TYPES.includes(impl.type)) {
    problems.push(new ValidationProblem(`${field}.type`, impl.type, `must be one of ${IMPLEMENTATION_TYPES.join(', ')}`));
  }
  if (impl.assetUri === undefined) {
    problems.push(new ValidationProblem(`${field}.assetUri`, impl.assetUri, 'is required'));
  } else if (impl.type === 'system') {
    // Device-provided: the URI names no file, but it still has the schema's length limit.
    if (typeof impl.assetUri !== 'string' || impl.assetUri.length > MAX_URI_LENGTH) {
      problems.push(new ValidationProblem(`${field}.assetUri`, impl.assetUri, `must be a string of at most ${MAX_URI_LENGTH} characters`));
    }
  } else {
    problems.push(...checkUri(impl.assetUri, `${field}.assetUri`));
  }
  if (impl.descriptorUri !== undefined) {
    problems.push(...checkUri(impl.descriptorUri, `${field}.descriptorUri`));
  }
  return problems;
}

function checkAssets(assets: unknown, field: string): ValidationProblem[] {
  if (assets === undefined) return [];
  if (!Array.isArray(assets)) return [new ValidationProblem(field, assets, 'must be an array')];
  const problems: ValidationProblem[] = [];
  const seen = new Set<string>();
  assets.forEach((asset, i) => {
    const at = `${field}[${i}]`;
    if (!isObject(asset)) {
      problems.push(new ValidationProblem(at, asset, 'must be an object'));
      return;
    }
    problems.push(...extraKeys(asset, 'asset', at));
    if (typeof asset.name !== 'string' || asset.name.length === 0) {
      problems.push(new ValidationProblem(`${at}.name`, asset.name, 'must be a non-empty string'));
    } else if (seen.has(asset.name)) {
      problems.push(new ValidationProblem(`${at}.name`, asset.name, 'must be unique among the assets (it is declared twice)'));
    } else {
      seen.add(asset.name);
    }
    if (!Array.isArray(asset.implementations) || asset.implementations.length === 0) {
      problems.push(new ValidationProblem(`${at}.implementations`, asset.implementations, 'must be a non-empty array'));
    } else {
      asset.implementations.forEach((impl, j) => problems.push(...checkImplementation(impl, `${at}.implementations[${j}]`)));
    }
  });
  return problems;
}

function checkInterfaces(interfaces: unknown, assets: unknown, field: string): ValidationProblem[] {
  if (!Array.isArray(interfaces) || interfaces.length === 0) {
    return [new ValidationProblem(field, interfaces, 'must be a non-empty array: a package declares at least one interface')];
  }
  const assetNames = new Set(Array.isArray(assets) ? assets.filter(isObject).map((a) => a.name) : []);
  const problems: ValidationProblem[] = [];
  interfaces.forEach((itf, i) => {
    const at = `${field}[${i}]`;
    if (!isObject(itf)) {
      problems.push(new ValidationProblem(at, itf, 'must be an object'));
      return;
    }
    if (typeof itf.name !== 'string' || itf.name.length === 0) {
      problems.push(new ValidationProblem(`${at}.name`, itf.name, 'must be a non-empty string'));
    }
    if (itf.asset !== undefined && !assetNames.has(itf.asset)) {
      problems.push(new ValidationProblem(`${at}.asset`, itf.asset, 'must name an asset declared in nodePackage.assets'));
    }
  });
  return problems;
}

/**
 * Reads manifest bytes against the 2021-01-01 schema.
 * @param source names the manifest in messages (a file path or an S3 URI)
 */
export function readManifest(bytes: Uint8Array, source: string): ManifestReading {
  if (bytes.byteLength > MAX_MANIFEST_BYTES) {
    return { problems: [new ValidationProblem(source, described(`${bytes.byteLength} bytes`), `must be at most ${MAX_MANIFEST_BYTES} bytes: a node package manifest is a small JSON document`)] };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(bytes).toString('utf-8'));
  } catch (e) {
    return { problems: [new ValidationProblem(source, described('its content'), `must be valid JSON (${(e as Error).message})`)] };
  }
  if (!isObject(parsed) || !isObject(parsed.nodePackage)) {
    return { problems: [new ValidationProblem(`${source} nodePackage`, isObject(parsed) ? parsed.nodePackage : parsed, 'must be an object: the manifest is {"nodePackage": {...}}')] };
  }
  const pkg = parsed.nodePackage;
  const at = `${source} nodePackage`;
  const problems = [...extraKeys(parsed, 'manifest', source), ...extraKeys(pkg, 'nodePackage', at)];
  if (pkg.envelopeVersion !== ENVELOPE_VERSION) {
    problems.push(new ValidationProblem(`${at}.envelopeVersion`, pkg.envelopeVersion, `must be "${ENVELOPE_VERSION}"`));
  }
  if (typeof pkg.name !== 'string' || pkg.name.length < 1 || pkg.name.length > 128 || !NAME_PATTERN.test(pkg.name)) {
    problems.push(new ValidationProblem(`${at}.name`, pkg.name, `must be 1 to 128 characters matching ${NAME_PATTERN.source}`));
  }
  if (typeof pkg.version !== 'string' || !VERSION_PATTERN.test(pkg.version)) {
    problems.push(new ValidationProblem(`${at}.version`, pkg.version, `must match ${VERSION_PATTERN.source}`));
  }
  if (pkg.description !== undefined && typeof pkg.description !== 'string') {
    problems.push(new ValidationProblem(`${at}.description`, pkg.description, 'must be a string'));
  }
  problems.push(...checkAssets(pkg.assets, `${at}.assets`));
  problems.push(...checkInterfaces(pkg.interfaces, pkg.assets, `${at}.interfaces`));
  return problems.length > 0 ? { problems } : { nodePackage: pkg as unknown as NodePackage, problems };
}

/** Every file that must travel with the manifest: the non-system assets and all descriptors. */
export function namedFiles(nodePackage: NodePackage): NamedFile[] {
  const files = new Map<string, NamedFile>();
  (nodePackage.assets ?? []).forEach((asset, i) => {
    asset.implementations.forEach((impl, j) => {
      const at = `nodePackage.assets[${i}].implementations[${j}]`;
      if (impl.type !== 'system' && !files.has(impl.assetUri)) {
        files.set(impl.assetUri, { uri: impl.assetUri, field: `${at}.assetUri` });
      }
      if (impl.descriptorUri !== undefined && !files.has(impl.descriptorUri)) {
        files.set(impl.descriptorUri, { uri: impl.descriptorUri, field: `${at}.descriptorUri` });
      }
    });
  });
  return [...files.values()];
}
