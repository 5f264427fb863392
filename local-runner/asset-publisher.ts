/**
 * Publishes a stack's file assets to the emulated S3 where the template expects them, as cdk-assets
 * does: placeholders resolved (the toolkit's EnvironmentPlaceholders), bucket created when missing,
 * existing objects left alone, files streamed. Directory (zip) assets are not published: the runner
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

/** Uploads every `file` asset that is not in S3 yet. */
export async function publishFileAssets(s3: S3Client, assets: FileAsset[], placeholders: EnvironmentPlaceholderValues): Promise<AssetPublishReport> {
  const report = { uploaded: [] as string[], alreadyPresent: [] as string[], notPublished: [] as string[] };
  const bucketsReady = new Map<string, Promise<void>>();
  for (const asset of assets) {
    if (asset.packaging !== 'file') {
      report.notPublished.push(asset.displayName ?? asset.id);
      continue;
    }
    for (const destination of asset.destinations) {
      const { bucketName: bucket, objectKey: key } = EnvironmentPlaceholders.replace(destination, placeholders);
      if (!bucketsReady.has(bucket)) bucketsReady.set(bucket, ensureBucket(s3, bucket));
      await bucketsReady.get(bucket);
      const location = `s3://${bucket}/${key}`;
      if (await objectExists(s3, bucket, key)) {
        report.alreadyPresent.push(location);
        continue;
      }
      const { size } = fs.statSync(asset.sourcePath);
      // A stream with its length: the file is never held in memory whole.
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: fs.createReadStream(asset.sourcePath), ContentLength: size }));
      report.uploaded.push(location);
    }
  }
  return report;
}
