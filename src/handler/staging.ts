/**
 * Server-side staging: the manifest and its files are copied, never downloaded, from their asset
 * objects to one key prefix, under the manifest's own names, where the import job reads them.
 */
import { createHash } from 'crypto';
import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CopyObjectCommand, CreateMultipartUploadCommand,
  DeleteObjectsCommand, HeadObjectCommand, S3Client, UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { logStep } from './log';
import { FilesSource, ImportSpec } from './resource-properties';

/** CopyObject copies at most 5 GiB; larger objects go through UploadPartCopy. */
export const COPY_OBJECT_LIMIT = 5 * 1024 ** 3;
/** Part size for multipart copies: 10,000 parts of this size cover S3's 5 TiB object limit. */
export const COPY_PART_SIZE = 512 * 1024 ** 2;

/** Where one import's files are staged: unique per stack and resource, and per content. */
export function stagedPrefix(spec: ImportSpec, stackId: string, logicalResourceId: string): string {
  const resource = createHash('sha256').update(`${stackId}/${logicalResourceId}`).digest('hex').slice(0, 16);
  const content = (spec.source as FilesSource).contentHash.slice(0, 32);
  return `${spec.staging!.prefix}${resource}/${content}/`;
}

/** The staged objects of one import: every file, the manifest included. */
export function stagedObjects(spec: ImportSpec, prefix: string): Array<{ source: { bucket: string; key: string }; key: string }> {
  const source = spec.source as FilesSource;
  return source.files.map((file) => ({ source: { bucket: file.bucket, key: file.key }, key: `${prefix}${file.name}` }));
}

/** Options that tests lower to exercise the multipart path with small objects. */
export interface CopyLimits {
  readonly copyObjectLimit: number;
  readonly partSize: number;
}

/** Copies one object inside S3, in parts when it is too large for CopyObject. */
export async function copyObject(
  s3: S3Client,
  from: { bucket: string; key: string },
  to: { bucket: string; key: string },
  limits: CopyLimits = { copyObjectLimit: COPY_OBJECT_LIMIT, partSize: COPY_PART_SIZE },
): Promise<void> {
  const head = await s3.send(new HeadObjectCommand({ Bucket: from.bucket, Key: from.key }));
  const size = head.ContentLength ?? 0;
  const copySource = `${from.bucket}/${encodeURIComponent(from.key).replace(/%2F/g, '/')}`;
  if (size <= limits.copyObjectLimit) {
    // REPLACE: the asset's tags are not wanted, and copying them would need s3:GetObjectTagging.
    await s3.send(new CopyObjectCommand({ Bucket: to.bucket, Key: to.key, CopySource: copySource, TaggingDirective: 'REPLACE' }));
    logStep('staged', { key: to.key, bytes: size, parts: 1 });
    return;
  }
  const upload = await s3.send(new CreateMultipartUploadCommand({ Bucket: to.bucket, Key: to.key }));
  try {
    const parts = [];
    for (let start = 0, partNumber = 1; start < size; start += limits.partSize, partNumber++) {
      const end = Math.min(start + limits.partSize, size) - 1;
      const part = await s3.send(new UploadPartCopyCommand({
        Bucket: to.bucket,
        Key: to.key,
        UploadId: upload.UploadId,
        PartNumber: partNumber,
        CopySource: copySource,
        CopySourceRange: `bytes=${start}-${end}`,
      }));
      parts.push({ PartNumber: partNumber, ETag: part.CopyPartResult?.ETag });
    }
    await s3.send(new CompleteMultipartUploadCommand({
      Bucket: to.bucket, Key: to.key, UploadId: upload.UploadId, MultipartUpload: { Parts: parts },
    }));
    logStep('staged', { key: to.key, bytes: size, parts: parts.length });
  } catch (e) {
    // Abort so no part lingers; an abort that fails must not hide why the copy failed.
    await s3.send(new AbortMultipartUploadCommand({ Bucket: to.bucket, Key: to.key, UploadId: upload.UploadId }))
      .catch((abortError: Error) => logStep('multipart abort failed', { key: to.key, reason: abortError.name }));
    throw e;
  }
}

/** Copies every file of the import to its staged key; returns the staged manifest's key. */
export async function stageFiles(s3: S3Client, spec: ImportSpec, prefix: string, limits?: CopyLimits): Promise<string> {
  const bucket = spec.staging!.bucket;
  for (const object of stagedObjects(spec, prefix)) {
    await copyObject(s3, object.source, { bucket, key: object.key }, limits);
  }
  return `${prefix}${(spec.source as FilesSource).manifestName}`;
}

/** Deletes the staged objects of one import; objects already gone are fine, and so is a staging bucket already gone. */
export async function deleteStagedFiles(s3: S3Client, spec: ImportSpec, prefix: string): Promise<void> {
  const keys = stagedObjects(spec, prefix).map((o) => ({ Key: o.key }));
  // DeleteObjects takes at most 1,000 keys a call.
  for (let i = 0; i < keys.length; i += 1000) {
    try {
      await s3.send(new DeleteObjectsCommand({ Bucket: spec.staging!.bucket, Delete: { Objects: keys.slice(i, i + 1000), Quiet: true } }));
    } catch (e) {
      if ((e as Error).name !== 'NoSuchBucket') throw e;
      logStep('staging bucket already gone: nothing to clean', { bucket: spec.staging!.bucket });
      return;
    }
  }
  logStep('staging cleaned', { objects: keys.length });
}
