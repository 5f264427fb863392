/**
 * A bucket source's manifest, read where it lies: its name and version fill what the construct
 * could not know at synth, and every file it names must be beside it before a job is started.
 */
import { GetObjectCommand, GetObjectCommandOutput, HeadObjectCommand, NoSuchBucket, NoSuchKey, NotFound, S3Client } from '@aws-sdk/client-s3';
import { namedFiles, NodePackage, readManifest } from '../manifest';
import { described, PanoramaValidationError, ValidationProblem } from '../validation';
import { BucketSource } from './resource-properties';

/** The manifest and its ETag, which stands for its content in the ClientToken. */
export interface BucketManifest {
  readonly nodePackage: NodePackage;
  readonly etag: string;
}

/** Reads and checks the manifest and the presence of its files; throws naming what is wrong. */
export async function readBucketManifest(s3: S3Client, source: BucketSource): Promise<BucketManifest> {
  const uri = `s3://${source.bucket}/${source.manifestKey}`;
  let object: GetObjectCommandOutput;
  try {
    object = await s3.send(new GetObjectCommand({ Bucket: source.bucket, Key: source.manifestKey }));
  } catch (e) {
    // S3 says only "The specified key does not exist": name the object the user pointed at.
    if (!(e instanceof NoSuchKey || e instanceof NoSuchBucket || isNotFound(e))) throw e;
    throw new PanoramaValidationError([new ValidationProblem(uri, described('missing'), `must exist: PackageSource.fromBucket names the package's manifest (${(e as Error).name})`)]);
  }
  const bytes = await object.Body!.transformToByteArray();
  const reading = readManifest(bytes, uri);
  if (!reading.nodePackage) throw new PanoramaValidationError(reading.problems);

  const slash = source.manifestKey.lastIndexOf('/');
  const prefix = slash >= 0 ? source.manifestKey.slice(0, slash + 1) : '';
  const problems: ValidationProblem[] = [];
  for (const file of namedFiles(reading.nodePackage)) {
    const key = `${prefix}${file.uri}`;
    try {
      await s3.send(new HeadObjectCommand({ Bucket: source.bucket, Key: key }));
    } catch (e) {
      if (!isNotFound(e)) throw e;
      problems.push(new ValidationProblem(`${uri} ${file.field}`, file.uri, `must name an object beside the manifest, but s3://${source.bucket}/${key} does not exist`));
    }
  }
  if (problems.length > 0) throw new PanoramaValidationError(problems);
  return { nodePackage: reading.nodePackage, etag: object.ETag ?? '' };
}

function isNotFound(e: unknown): boolean {
  return e instanceof NotFound || (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404;
}
