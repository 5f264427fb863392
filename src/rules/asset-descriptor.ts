/**
 * Asset descriptors: the files a manifest's `descriptorUri`s name (`{"mlModelDescriptor": …}` for a
 * model, `{"runtimeDescriptor": …}` for a container), read and checked against their schema.
 *
 * Pure, like manifest.ts: the construct reads descriptor files at synth, the handler reads a bucket
 * source's from S3, and the emulator reads them in an import job; all three check them here.
 */
import { NamedFile } from './manifest';
import { checkAssetDescriptorDocument, parseJsonDocument } from './schema';
import { ValidationProblem } from './validation';

/**
 * How a descriptor is named in messages: its file (path or S3 URI) and the manifest field that
 * names it, e.g. `assets/82b3….json (nodePackage.assets[0].implementations[0].descriptorUri)`.
 */
export function descriptorSource(file: string, named: NamedFile): string {
  return `${file} (${named.field})`;
}

/** Every problem of a descriptor's bytes: not JSON, too large, or against the descriptor schema. */
export function checkDescriptorBytes(bytes: Uint8Array, source: string): ValidationProblem[] {
  const parsed = parseJsonDocument(bytes, source, 'an asset descriptor');
  if (parsed.problems.length > 0) return parsed.problems;
  return checkAssetDescriptorDocument(parsed.document, source);
}
