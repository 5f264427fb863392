/**
 * What the reliability tests add to the e2e helpers: apps whose staging bucket survives the stack
 * (so a staged object the handler leaked stays visible after destroy), the buckets and objects to
 * look at, and the ClientTokens every fault case asserts on.
 */
import { DeleteBucketCommand, DeleteObjectsCommand, ListBucketsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { PanoramaEmulator } from '../../../emulator';
import { PackageSource, PanoramaPackageImport, PanoramaPackageImportProps } from '../../../src';
import { WRITE_SLOTS_FOLDER } from '../../../src/handler/write-slots';
import { synthApp } from '../../e2e/support/import-app';
import { writeModelPackage } from '../../support/package-fixture';

/** Lowercased start of the generated name the runner gives the construct's staging bucket. */
const STAGING_BUCKET_NAME = /panoramapackageimportstaging/;

/**
 * The staging bucket's backstops (autoDeleteObjects and the bucket's own deletion) would empty it
 * on destroy and hide what the handler left behind. Retaining it without auto-delete keeps every
 * leaked object for the test to count; {@link removeStagingBuckets} cleans up afterwards.
 */
export function keepStagingBucket(stack: Stack): void {
  const staging = stack.node.tryFindChild('PanoramaPackageImportStaging') as unknown as { bucket: s3.Bucket } | undefined;
  if (!staging) throw new Error('the stack has no staging bucket: add an import from files first');
  // A raw override: the auto-delete mixin validates the L1's deletion policy and refuses RETAIN.
  const cfnBucket = staging.bucket.node.defaultChild as s3.CfnBucket;
  cfnBucket.addOverride('DeletionPolicy', 'Retain');
  cfnBucket.addOverride('UpdateReplacePolicy', 'Retain');
  if (!staging.bucket.node.tryRemoveChild('AutoDeleteObjectsCustomResource')) {
    throw new Error('the staging bucket has no AutoDeleteObjectsCustomResource to remove: the construct changed');
  }
}

/**
 * A new App with one stack `ImportStack` holding one import `Model` of a small model package
 * (distinct bytes per `modelBytes`), staging bucket kept; returns the assembly directory.
 */
export function synthKeptImport(props: Partial<PanoramaPackageImportProps> & { modelBytes?: string }): string {
  const { modelBytes, ...rest } = props;
  const fixture = writeModelPackage({ modelBytes });
  return synthApp((stack) => {
    new PanoramaPackageImport(stack, 'Model', { ...rest, source: PackageSource.fromDirectory(fixture.packageDir) });
    keepStagingBucket(stack);
  });
}

/** Names of the staging buckets that exist in the emulated S3. */
export async function stagingBuckets(s3Client: S3Client): Promise<string[]> {
  const listed = await s3Client.send(new ListBucketsCommand({}));
  return (listed.Buckets ?? []).map((b) => b.Name!).filter((name) => STAGING_BUCKET_NAME.test(name));
}

/**
 * Every staged object in every staging bucket, as `bucket/key`: all but the write-slot ledger,
 * which is not staged content (a few bytes a write, expired by the lifecycle rule, gone with the bucket).
 */
export async function stagedObjects(s3Client: S3Client): Promise<string[]> {
  const found: string[] = [];
  for (const bucket of await stagingBuckets(s3Client)) {
    const page = await s3Client.send(new ListObjectsV2Command({ Bucket: bucket }));
    found.push(...(page.Contents ?? []).filter((o) => !o.Key!.startsWith(`imports/${WRITE_SLOTS_FOLDER}`)).map((o) => `${bucket}/${o.Key}`));
  }
  return found;
}

/** Empties and deletes the staging buckets the tests kept. */
export async function removeStagingBuckets(s3Client: S3Client): Promise<void> {
  for (const bucket of await stagingBuckets(s3Client)) {
    const page = await s3Client.send(new ListObjectsV2Command({ Bucket: bucket }));
    const keys = (page.Contents ?? []).map((o) => ({ Key: o.Key! }));
    if (keys.length > 0) await s3Client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys, Quiet: true } }));
    await s3Client.send(new DeleteBucketCommand({ Bucket: bucket }));
  }
}

/**
 * The distinct ClientTokens of every CreatePackageImportJob the handlers sent, refused and
 * throttled attempts included: what the handlers chose, independent of how the service groups jobs.
 */
export function tokensSent(emulator: PanoramaEmulator): string[] {
  const tokens = emulator.callsOf('CreatePackageImportJob').map((request) => (request.body as { ClientToken?: string } | undefined)?.ClientToken);
  return [...new Set(tokens.filter((token): token is string => token !== undefined))];
}

/** Package versions still registered, as `name version/patch`. */
export function registeredVersions(emulator: PanoramaEmulator): string[] {
  return emulator.packages().flatMap((pkg) => pkg.versions.filter((v) => v.registered).map((v) => `${pkg.packageName} ${v.packageVersion}/${v.patchVersion}`));
}
