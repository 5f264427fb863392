import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';

/** The S3 calls the emulated service makes, against the emulated S3. */
export class S3Access {
  private readonly client: S3Client;
  private readonly knownBuckets = new Set<string>();

  constructor(endpoint: string, region: string) {
    this.client = new S3Client({
      endpoint,
      region,
      forcePathStyle: true,
      credentials: { accessKeyId: 'panorama-emulator', secretAccessKey: 'panorama-emulator' },
    });
  }

  /** The object's bytes; throws the S3 error (NoSuchKey, NoSuchBucket) when absent. */
  async read(bucket: string, key: string): Promise<Buffer> {
    const response = await this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return Buffer.from(await response.Body!.transformToByteArray());
  }

  async exists(bucket: string, key: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  async copy(fromBucket: string, fromKey: string, toBucket: string, toKey: string): Promise<void> {
    // encodeURI, not encodeURIComponent: s3rver decodes the copy source with decodeURI.
    const copySource = encodeURI(`${fromBucket}/${fromKey}`);
    await this.client.send(new CopyObjectCommand({ Bucket: toBucket, Key: toKey, CopySource: copySource }));
  }

  /** Writes an object (the service's own files, such as a camera package's manifest). */
  async write(bucket: string, key: string, body: Buffer): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  }

  /** Creates the bucket unless this emulator already made sure it exists. */
  async ensureBucket(bucket: string): Promise<void> {
    if (this.knownBuckets.has(bucket)) return;
    try {
      await this.client.send(new CreateBucketCommand({ Bucket: bucket }));
    } catch (error) {
      const name = (error as Error).name;
      if (name !== 'BucketAlreadyOwnedByYou' && name !== 'BucketAlreadyExists') throw error;
    }
    this.knownBuckets.add(bucket);
  }

  /** Keys under a prefix; none when the bucket does not exist yet. */
  async list(bucket: string, prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      let page;
      try {
        page = await this.client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
      } catch (error) {
        if (isMissing(error)) return keys;
        throw error;
      }
      keys.push(...(page.Contents ?? []).map((object) => object.Key!));
      token = page.NextContinuationToken;
    } while (token);
    return keys;
  }

  async remove(bucket: string, keys: readonly string[]): Promise<void> {
    for (let start = 0; start < keys.length; start += 1000) {
      const batch = keys.slice(start, start + 1000).map((Key) => ({ Key }));
      await this.client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch, Quiet: true } }));
    }
  }

  /** Forgets which buckets exist, for when the S3 side may have been wiped. */
  forgetBuckets(): void {
    this.knownBuckets.clear();
  }

  destroy(): void {
    this.client.destroy();
  }
}

/** True for the S3 errors that mean "there is no such object or bucket". */
export function isMissing(error: unknown): boolean {
  const name = (error as Error)?.name;
  return name === 'NoSuchKey' || name === 'NotFound' || name === 'NoSuchBucket';
}
