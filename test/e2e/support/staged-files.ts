import { S3Client } from '@aws-sdk/client-s3';
import { listKeys } from '../../../local-runner/s3-objects';
import { WRITE_SLOTS_FOLDER } from '../../../src/handler/write-slots';

/** The staged files left in a staging bucket: everything under imports/ but the write-slot ledger, which is not staged content. */
export async function stagedFileKeys(s3: S3Client, bucket: string): Promise<string[]> {
  return (await listKeys(s3, bucket, 'imports/')).filter((key) => !key.startsWith(`imports/${WRITE_SLOTS_FOLDER}`));
}
