/**
 * Publishes a stack's file assets to the emulated S3 where the template expects them, as cdk-assets
 * does: placeholders resolved (the toolkit's EnvironmentPlaceholders), bucket created when missing,
 * existing objects left alone, files streamed, a few at a time. Directory (zip) assets are not published: the runner
 * loads handler code from the assembly itself.
 */
import * as fs from 'fs';
import { EnvironmentPlaceholders, EnvironmentPlaceholderValues } from '@aws-cdk/cloud-assembly-api';
import { S3Client, PutObjectCommand } from '@aws-sdk/client-s3';
import { FileAsset } from './cloud-assembly';
import { ensureBucket, objectExists } from './s3-objects';

/** What publishing did. */
export interface AssetPublishReport {
  readonly uploaded: string[];
  readonly alreadyPresent: string[];
  readonly notPublished: string[];
}

/** How many uploads run at once: a stack of fifty imports has a hundred small files to publish. */
export const PUBLISH_CONCURRENCY = 8;

/** Uploads every `file` asset that is not in S3 yet, a few at a time; the report lists them in the assembly's order. */
export async function publishFileAssets(s3: S3Client, assets: FileAsset[], placeholders: EnvironmentPlaceholderValues): Promise<AssetPublishReport> {
  const report = { uploaded: [] as string[], alreadyPresent: [] as string[], notPublished: [] as string[] };
  const bucketsReady = new Map<string, Promise<void>>();
  const uploads: Array<{ asset: FileAsset; bucket: string; key: string }> = [];
  for (const asset of assets) {
    if (asset.packaging !== 'file') {
      report.notPublished.push(asset.displayName ?? asset.id);
      continue;
    }
    for (const destination of asset.destinations) {
      const { bucketName: bucket, objectKey: key } = EnvironmentPlaceholders.replace(destination, placeholders);
      uploads.push({ asset, bucket, key });
    }
  }
  const outcomes = new Array<'uploaded' | 'alreadyPresent'>(uploads.length);
  const publish = async (index: number): Promise<void> => {
    const { asset, bucket, key } = uploads[index];
    if (!bucketsReady.has(bucket)) bucketsReady.set(bucket, ensureBucket(s3, bucket));
    await bucketsReady.get(bucket);
    if (await objectExists(s3, bucket, key)) {
      outcomes[index] = 'alreadyPresent';
      return;
    }
    const { size } = fs.statSync(asset.sourcePath);
    // A stream with its length: the file is never held in memory whole.
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: fs.createReadStream(asset.sourcePath), ContentLength: size }));
    outcomes[index] = 'uploaded';
  };
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    try {
      while (!failed && next < uploads.length) await publish(next++);
    } catch (e) {
      failed = true;
      throw e;
    }
  };
  // Every worker is awaited before a failure is reported, so no upload outlives the call.
  const settled = await Promise.allSettled(Array.from({ length: Math.min(PUBLISH_CONCURRENCY, uploads.length) }, worker));
  const rejected = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (rejected) throw rejected.reason;
  uploads.forEach(({ bucket, key }, index) => report[outcomes[index]].push(`s3://${bucket}/${key}`));
  return report;
}
