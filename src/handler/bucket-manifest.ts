/**
 * A bucket source's manifest, read where it lies: its name and version fill what the construct
 * could not know at synth, every file it names must be beside it, and every descriptor it names is
 * read and checked against the descriptor schema, all before a job is started.
 */
import { GetObjectCommand, GetObjectCommandOutput, HeadObjectCommand, NoSuchBucket, NotFound, S3Client } from '@aws-sdk/client-s3';
import { BucketSource } from './resource-properties';
import { checkDescriptorBytes, descriptorSource } from '../rules/asset-descriptor';
import { NamedFile, namedFiles, NodePackage, readManifest } from '../rules/manifest';
import { MAX_DOCUMENT_BYTES } from '../rules/schema';
import { described, PanoramaValidationError, ValidationProblem } from '../rules/validation';

/** The manifest and its ETag, which stands for its content in the ClientToken. */
export interface BucketManifest {
  readonly nodePackage: NodePackage;
  readonly etag: string;
}

function isNotFound(e: unknown): boolean {
  const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return e instanceof NotFound || (e as Error).name === 'NoSuchKey' || e instanceof NoSuchBucket || status === 404;
}

/** A document's bytes, unless it is larger than any document can be (then its body is not read). */
async function readDocument(object: GetObjectCommandOutput, uri: string, what: string): Promise<Uint8Array | ValidationProblem> {
  const size = object.ContentLength ?? 0;
  if (size > MAX_DOCUMENT_BYTES) {
    (object.Body as { destroy?: () => void } | undefined)?.destroy?.();
    return new ValidationProblem(uri, described(`${size} bytes`), `must be at most ${MAX_DOCUMENT_BYTES} bytes: ${what} is a small JSON document`);
  }
  return object.Body!.transformToByteArray();
}

/** The problems of one file the manifest names: missing, or (a descriptor) not what the schema says. */
async function fileProblems(s3: S3Client, bucket: string, prefix: string, manifestUri: string, file: NamedFile): Promise<ValidationProblem[]> {
  const key = `${prefix}${file.uri}`;
  const uri = `s3://${bucket}/${key}`;
  try {
    if (file.kind === 'asset') {
      await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return [];
    }
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const source = descriptorSource(uri, file);
    const bytes = await readDocument(object, source, 'an asset descriptor');
    return bytes instanceof ValidationProblem ? [bytes] : checkDescriptorBytes(bytes, source);
  } catch (e) {
    if (!isNotFound(e)) throw e;
    return [new ValidationProblem(`${manifestUri} ${file.field}`, file.uri, `must name an object beside the manifest, but ${uri} does not exist`)];
  }
}

/** Reads and checks the manifest, the presence of its files and its descriptors; throws naming what is wrong. */
export async function readBucketManifest(s3: S3Client, source: BucketSource): Promise<BucketManifest> {
  const uri = `s3://${source.bucket}/${source.manifestKey}`;
  let object: GetObjectCommandOutput;
  try {
    object = await s3.send(new GetObjectCommand({ Bucket: source.bucket, Key: source.manifestKey }));
  } catch (e) {
    // S3 says only "The specified key does not exist": name the object the user pointed at.
    if (!isNotFound(e)) throw e;
    throw new PanoramaValidationError([new ValidationProblem(uri, described('missing'), `must exist: PackageSource.fromBucket names the package's manifest (${(e as Error).name})`)]);
  }
  const bytes = await readDocument(object, uri, 'a node package manifest');
  if (bytes instanceof ValidationProblem) throw new PanoramaValidationError([bytes]);
  const reading = readManifest(bytes, uri);
  if (!reading.nodePackage) throw new PanoramaValidationError(reading.problems);

  const slash = source.manifestKey.lastIndexOf('/');
  const prefix = slash >= 0 ? source.manifestKey.slice(0, slash + 1) : '';
  const problems: ValidationProblem[] = [];
  // One at a time: a package names a handful of files, and S3 reads stay within the SDK's pool.
  for (const file of namedFiles(reading.nodePackage)) {
    problems.push(...await fileProblems(s3, source.bucket, prefix, uri, file));
  }
  if (problems.length > 0) throw new PanoramaValidationError(problems);
  return { nodePackage: reading.nodePackage, etag: object.ETag ?? '' };
}
