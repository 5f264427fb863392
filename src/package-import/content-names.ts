/**
 * Content-addressed names, as panorama-cli gives them: every file a package stages is named by the
 * sha256 of its bytes (`<sha256>.tar.gz`, `<sha256>.json`), and the staged manifest names them so.
 * A changed byte is then a changed name, so a changed manifest and a new patch version: the
 * service, which identifies a patch by its manifest, can never keep old bytes under a new build.
 *
 * Pure: no file system and no aws-cdk-lib.
 */

/** A file the manifest names, with the digest of its bytes. */
export interface DigestedFile {
  /** The name as the manifest writes it. */
  readonly uri: string;
  readonly kind: 'asset' | 'descriptor';
  /** Lowercase hex sha256 of the file's bytes. */
  readonly digest: string;
}

const SHA256_NAME = /^([0-9a-f]{64})(\.[^/]*)?$/;

/** The extension a content name keeps: `.tar.gz` whole, else the last one; a descriptor is JSON. */
function extensionOf(file: DigestedFile): string {
  if (file.kind === 'descriptor') return '.json';
  const base = file.uri.slice(file.uri.lastIndexOf('/') + 1);
  const match = /(\.tar\.gz|\.[A-Za-z0-9_-]{1,16})$/.exec(base);
  return match ? match[1] : '';
}

/**
 * The name a file is staged under: its own name when that already is the digest of its bytes (a
 * package built by panorama-cli, staged unchanged), else `<sha256><extension>`.
 */
export function contentName(file: DigestedFile): string {
  const named = SHA256_NAME.exec(file.uri);
  if (named && named[1] === file.digest) return file.uri;
  return `${file.digest}${extensionOf(file)}`;
}

/** Each manifest URI and the content name it is staged under. */
export function contentNames(files: readonly DigestedFile[]): Map<string, string> {
  return new Map(files.map((file) => [file.uri, contentName(file)]));
}

/** What the staged manifest must say that the manifest on disk may not. */
export interface ManifestRewrite {
  /** Manifest URI to staged name; a URI not in the map is kept. */
  readonly names: ReadonlyMap<string, string>;
  readonly name: string;
  readonly version: string;
}

type Json = Record<string, any>;

/**
 * The manifest to stage, as text, or undefined when the manifest on disk already says all of it
 * (then it is staged byte for byte, so a panorama-cli package keeps the patch panorama-cli gives it).
 * @param document the manifest on disk, parsed (already checked against its schema)
 */
export function rewriteManifest(document: Json, rewrite: ManifestRewrite): string | undefined {
  const manifest: Json = JSON.parse(JSON.stringify(document));
  const pkg: Json = manifest.nodePackage;
  let changed = pkg.name !== rewrite.name || pkg.version !== rewrite.version;
  pkg.name = rewrite.name;
  pkg.version = rewrite.version;
  for (const asset of pkg.assets ?? []) {
    for (const impl of asset.implementations ?? []) {
      for (const key of ['assetUri', 'descriptorUri']) {
        if (key === 'assetUri' && impl.type === 'system') continue;
        const staged = typeof impl[key] === 'string' ? rewrite.names.get(impl[key]) : undefined;
        if (staged !== undefined && staged !== impl[key]) {
          impl[key] = staged;
          changed = true;
        }
      }
    }
  }
  return changed ? JSON.stringify(manifest, null, 2) + '\n' : undefined;
}
