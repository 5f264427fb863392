/**
 * The service's own check of a node-package manifest (`package.json`, envelope 2021-01-01).
 * Written from panorama-api.md, independently of src/: the emulator plays the service that
 * judges what our library uploads, so it must not share the library's idea of "valid".
 */

/** The expected envelope version. */
export const ENVELOPE_VERSION = '2021-01-01';
const NAME_PATTERN = /^[a-z_A-Z0-9-]+$/;
const VERSION_PATTERN = /^[0-9]+\.[0-9]+$/;
const IMPLEMENTATION_TYPES = ['system', 'container', 'model'];
const MAX_URI_LENGTH = 255;
const NODE_PACKAGE_KEYS = ['envelopeVersion', 'name', 'version', 'description', 'assets', 'interfaces'];
const ASSET_KEYS = ['name', 'implementations'];
const IMPLEMENTATION_KEYS = ['type', 'assetUri', 'descriptorUri'];

/** A file the manifest references, which must sit beside it in S3. */
export interface ReferencedFile {
  /** The uri as written in the manifest, relative to the manifest's folder. */
  readonly uri: string;
  /** Where in the manifest it was named, e.g. `assets[0].implementations[0].assetUri`. */
  readonly reference: string;
}

/** What a valid manifest tells the import job. */
export interface CheckedManifest {
  readonly name: string;
  readonly version: string;
  /** Non-system asset files and every descriptor, without duplicates. */
  readonly files: readonly ReferencedFile[];
}

/** The outcome of a manifest check: either the manifest's facts or every problem found. */
export type ManifestCheckResult = { readonly ok: true; readonly manifest: CheckedManifest } | { readonly ok: false; readonly problems: string[] };

/** Checks manifest bytes against the schema rules the service applies. */
export function checkManifest(bytes: Buffer | string): ManifestCheckResult {
  let document: unknown;
  try {
    document = JSON.parse(bytes.toString());
  } catch (error) {
    return { ok: false, problems: [`manifest is not valid JSON (${(error as Error).message})`] };
  }
  const problems: string[] = [];
  const root = asObject(document);
  const nodePackage = asObject(root?.nodePackage);
  if (!root || !nodePackage) return { ok: false, problems: ['manifest must be an object with a "nodePackage" object'] };
  extraKeys(root, ['nodePackage'], '', problems);
  extraKeys(nodePackage, NODE_PACKAGE_KEYS, 'nodePackage.', problems);

  if (nodePackage.envelopeVersion !== ENVELOPE_VERSION) {
    problems.push(`nodePackage.envelopeVersion must be "${ENVELOPE_VERSION}", got ${JSON.stringify(nodePackage.envelopeVersion)}`);
  }
  const name = checkPattern(nodePackage.name, 'nodePackage.name', NAME_PATTERN, 128, problems);
  const version = checkPattern(nodePackage.version, 'nodePackage.version', VERSION_PATTERN, 255, problems);

  const assetNames = new Set<string>();
  const files = checkAssets(nodePackage.assets, assetNames, problems);
  checkInterfaces(nodePackage.interfaces, assetNames, problems);

  if (problems.length > 0 || name === undefined || version === undefined) return { ok: false, problems };
  return { ok: true, manifest: { name, version, files } };
}

function checkAssets(value: unknown, assetNames: Set<string>, problems: string[]): ReferencedFile[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    problems.push('nodePackage.assets must be an array');
    return [];
  }
  const files = new Map<string, ReferencedFile>();
  value.forEach((assetValue, assetIndex) => {
    const where = `nodePackage.assets[${assetIndex}]`;
    const asset = asObject(assetValue);
    if (!asset) {
      problems.push(`${where} must be an object`);
      return;
    }
    extraKeys(asset, ASSET_KEYS, `${where}.`, problems);
    const assetName = checkPattern(asset.name, `${where}.name`, NAME_PATTERN, 255, problems);
    if (assetName) assetNames.add(assetName);
    if (!Array.isArray(asset.implementations) || asset.implementations.length === 0) {
      problems.push(`${where}.implementations must be a non-empty array`);
      return;
    }
    asset.implementations.forEach((implementationValue: unknown, implementationIndex: number) => {
      const at = `${where}.implementations[${implementationIndex}]`;
      const implementation = asObject(implementationValue);
      if (!implementation) {
        problems.push(`${at} must be an object`);
        return;
      }
      extraKeys(implementation, IMPLEMENTATION_KEYS, `${at}.`, problems);
      const type = implementation.type;
      if (typeof type !== 'string' || !IMPLEMENTATION_TYPES.includes(type)) {
        problems.push(`${at}.type must be one of ${IMPLEMENTATION_TYPES.join(', ')}, got ${JSON.stringify(type)}`);
      }
      const assetUri = checkUri(implementation.assetUri, `${at}.assetUri`, true, problems);
      // System assets come with the device, so nothing is uploaded for them.
      if (assetUri && type !== 'system' && !files.has(assetUri)) files.set(assetUri, { uri: assetUri, reference: `${at}.assetUri` });
      const descriptorUri = checkUri(implementation.descriptorUri, `${at}.descriptorUri`, false, problems);
      if (descriptorUri && !files.has(descriptorUri)) files.set(descriptorUri, { uri: descriptorUri, reference: `${at}.descriptorUri` });
    });
  });
  return [...files.values()];
}

function checkInterfaces(value: unknown, assetNames: ReadonlySet<string>, problems: string[]): void {
  if (!Array.isArray(value) || value.length === 0) {
    problems.push('nodePackage.interfaces must be a non-empty array');
    return;
  }
  value.forEach((interfaceValue, index) => {
    const where = `nodePackage.interfaces[${index}]`;
    const nodeInterface = asObject(interfaceValue);
    if (!nodeInterface) {
      problems.push(`${where} must be an object`);
      return;
    }
    checkPattern(nodeInterface.name, `${where}.name`, NAME_PATTERN, 255, problems);
    const asset = nodeInterface.asset;
    if (asset !== undefined && (typeof asset !== 'string' || !assetNames.has(asset))) {
      problems.push(`${where}.asset ${JSON.stringify(asset)} names no asset in nodePackage.assets`);
    }
  });
}

function checkUri(value: unknown, where: string, required: boolean, problems: string[]): string | undefined {
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'string' || value.length === 0) {
    problems.push(`${where} must be a non-empty string`);
    return undefined;
  }
  if (value.length > MAX_URI_LENGTH) {
    problems.push(`${where} must be at most ${MAX_URI_LENGTH} characters, got ${value.length}`);
    return undefined;
  }
  // Files are resolved beside the manifest; escaping that folder would read someone else's objects.
  if (value.startsWith('/') || /^[a-z][a-z0-9+.-]*:/i.test(value) || value.split(/[\\/]/).includes('..')) {
    problems.push(`${where} "${value}" must be a relative path beside the manifest (no leading "/", no "..", no scheme)`);
    return undefined;
  }
  return value;
}

function checkPattern(value: unknown, where: string, pattern: RegExp, maxLength: number, problems: string[]): string | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > maxLength || !pattern.test(value)) {
    problems.push(`${where} must match ${pattern.source} (1..${maxLength} characters), got ${JSON.stringify(value)}`);
    return undefined;
  }
  return value;
}

function extraKeys(value: Record<string, unknown>, allowed: readonly string[], prefix: string, problems: string[]): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) problems.push(`${prefix}${key} is not an allowed property`);
  }
}

function asObject(value: unknown): Record<string, any> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, any>) : undefined;
}

/** The key prefix (folder) of an S3 key, with its trailing slash, or '' at the bucket root. */
export function folderOf(key: string): string {
  const slash = key.lastIndexOf('/');
  return slash < 0 ? '' : key.slice(0, slash + 1);
}
