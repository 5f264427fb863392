/** The few S3 operations the runner itself needs: buckets and their objects. */
import {
  CreateBucketCommand, DeleteBucketCommand, DeleteObjectsCommand, HeadBucketCommand, HeadObjectCommand,
  ListObjectsV2Command, S3Client,
} from '@aws-sdk/client-s3';

/** A client for the emulated S3: path-style, dummy credentials. */
export function localS3Client(endpoint: string, region: string): S3Client {
  return new S3Client({
    endpoint,
    region,
    forcePathStyle: true,
    // No aws-chunked checksum trailer on streamed uploads: s3rver would store the chunk framing.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    credentials: { accessKeyId: 'AKIALOCALRUNNER00000', secretAccessKey: 'local-runner-dummy-secret' },
  });
}

function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

/** Whether the bucket exists (HeadBucket). */
export async function bucketExists(s3: S3Client, bucket: string): Promise<boolean> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
    return true;
  } catch (e) {
    if (statusOf(e) === 404) return false;
    throw e;
  }
}

/** Creates the bucket unless it exists. */
export async function ensureBucket(s3: S3Client, bucket: string): Promise<void> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
    return;
  } catch (e) {
    if (statusOf(e) !== 404) throw e;
  }
  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  } catch (e) {
    // Someone else created it meanwhile: that is what we wanted.
    if (!['BucketAlreadyOwnedByYou', 'BucketAlreadyExists'].includes((e as Error).name)) throw e;
  }
}

export async function objectExists(s3: S3Client, bucket: string, key: string): Promise<boolean> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch (e) {
    if (statusOf(e) === 404) return false;
    throw e;
  }
}

/** Every key in a bucket (optionally under a prefix). */
export async function listKeys(s3: S3Client, bucket: string, prefix?: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    keys.push(...(page.Contents ?? []).map((o) => o.Key!));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys;
}

/** Deletes every object, as the S3AutoDeleteObjects custom resource does before its bucket goes. */
export async function emptyBucket(s3: S3Client, bucket: string): Promise<number> {
  const keys = await listKeys(s3, bucket);
  for (let i = 0; i < keys.length; i += 1000) {
    await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys.slice(i, i + 1000).map((Key) => ({ Key })), Quiet: true } }));
  }
  return keys.length;
}

/** Deletes a bucket; a bucket already gone is fine, a non-empty one fails as in CloudFormation. */
export async function deleteBucket(s3: S3Client, bucket: string): Promise<void> {
  try {
    await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
  } catch (e) {
    if (statusOf(e) === 404) return;
    if ((e as Error).name === 'BucketNotEmpty') throw new Error(`The bucket you tried to delete is not empty (${bucket})`);
    throw e;
  }
}
