/**
 * The service's own check of what an import job reads: the node-package manifest (`package.json`,
 * envelope 2021-01-01) and the asset descriptors it names.
 *
 * The rules are the library's (src/rules/manifest.ts, src/rules/asset-descriptor.ts, over the schemas in
 * src/rules/schema/): one schema, used alike by the construct at synth, the handler and this emulator, so
 * that what the emulator accepts is exactly what the official schemas accept. This module only turns
 * their problems into the strings an import job's StatusMessage carries.
 */
import { checkDescriptorBytes } from '../src/rules/asset-descriptor';
import { namedFiles, readManifest } from '../src/rules/manifest';

export { ENVELOPE_VERSION } from '../src/rules/manifest';

/** A file the manifest references, which must sit beside it in S3. */
export interface ReferencedFile {
  /** The uri as written in the manifest, relative to the manifest's folder. */
  readonly uri: string;
  /** Where in the manifest it was named, e.g. `nodePackage.assets[0].implementations[0].assetUri`. */
  readonly reference: string;
  /** A descriptor is read and checked by the job; an asset is only copied. */
  readonly kind: 'asset' | 'descriptor';
}

/** What a valid manifest tells the import job. */
export interface CheckedManifest {
  /** Optional in the schema: a manifest without one is imported under the job's PackageName. */
  readonly name?: string;
  /** Optional in the schema: a manifest without one is imported under the job's PackageVersion. */
  readonly version?: string;
  /** Non-system asset files and every descriptor, without duplicates. */
  readonly files: readonly ReferencedFile[];
}

/** The outcome of a check: the manifest's facts, or every problem found (`<field>: <value> <rule>`). */
export type ManifestCheckResult = { readonly ok: true; readonly manifest: CheckedManifest } | { readonly ok: false; readonly problems: string[] };

/** Checks manifest bytes against the schema and the rules a schema cannot say. */
export function checkManifest(bytes: Buffer | string): ManifestCheckResult {
  const reading = readManifest(Buffer.from(bytes), '');
  if (!reading.nodePackage) return { ok: false, problems: reading.problems.map((p) => p.toString()) };
  const { name, version } = reading.nodePackage;
  const files = namedFiles(reading.nodePackage).map((f) => ({ uri: f.uri, reference: f.field, kind: f.kind }));
  return { ok: true, manifest: { name, version, files } };
}

/** The problems of a descriptor's bytes against the descriptor schema (`<field>: <value> <rule>`); none when valid. */
export function checkDescriptor(bytes: Buffer | string): string[] {
  return checkDescriptorBytes(Buffer.from(bytes), '').map((p) => p.toString());
}

/** The key prefix (folder) of an S3 key, with its trailing slash, or '' at the bucket root. */
export function folderOf(key: string): string {
  const slash = key.lastIndexOf('/');
  return slash < 0 ? '' : key.slice(0, slash + 1);
}
