/**
 * onEvent of the Provider framework. Create and Update stage the files and start the import job
 * (idempotently); Delete applies the removal policy. isComplete does the waiting.
 */
import { DescribePackageCommand } from '@aws-sdk/client-panorama';
import { panoramaClient, POLL_ATTEMPTS, s3Client, WRITE_ATTEMPTS } from './aws-clients';
import { readBucketManifest } from './bucket-manifest';
import { nameServiceError } from './errors';
import { clientToken, describeJob, importRequest, ManifestLocation, reconcileTags, registeredVersion, removeImportedVersion, StartedJob, startImportJob } from './import-job';
import { logStep } from './log';
import { Delivered, importIdentity, ImportSpec, readImportSpec } from './resource-properties';
import { deleteStagedFiles, stagedPrefix, stageFiles } from './staging';
import { FrameworkEvent, OnEventResult, PENDING_JOB_ID, PENDING_JOB_READ_AT } from './types';
import { writeSlotMs } from './write-slots';
import { PackageImportProperties } from '../rules/contract';
import { packageIdentity } from '../rules/package-name';
import { checkPackageName, checkPackageVersion, described, PanoramaValidationError, throwIfProblems, ValidationProblem } from '../rules/validation';

export async function handler(event: FrameworkEvent): Promise<OnEventResult> {
  try {
    return await handle(event);
  } catch (e) {
    throw nameServiceError(e);
  }
}

async function handle(event: FrameworkEvent): Promise<OnEventResult> {
  logStep('onEvent', { requestType: event.RequestType, logicalResourceId: event.LogicalResourceId, physicalResourceId: event.PhysicalResourceId });
  switch (event.RequestType) {
    case 'Create': {
      const started = await startImport(event, readImportSpec(event.ResourceProperties));
      return { PhysicalResourceId: started.jobId, Data: pendingJobData(started) };
    }
    case 'Update':
      return onUpdate(event);
    case 'Delete':
      return onDelete(event);
    default:
      throw new Error(`Unknown RequestType ${JSON.stringify((event as FrameworkEvent).RequestType)}`);
  }
}

async function onUpdate(event: FrameworkEvent): Promise<OnEventResult> {
  const spec = readImportSpec(event.ResourceProperties);
  const before = tryReadSpec(event.OldResourceProperties);
  if (before && importIdentity(before) === importIdentity(spec)) {
    logStep('content unchanged: no import', { physicalResourceId: event.PhysicalResourceId });
    if (JSON.stringify(before.tags) !== JSON.stringify(spec.tags)) {
      await retag(event.PhysicalResourceId!, before.tags, spec.tags);
    }
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  if (before?.source.type === 'Files' && spec.source.type === 'Files') {
    // The old content's copies are no longer anyone's input. isComplete deletes them when their job
    // ends, but a job that never ended (the waiter timed out; this is then the rollback's Update)
    // left them behind. Not when they are the new content's copies too (same prefix).
    const oldPrefix = stagedPrefix(before, event.StackId, event.LogicalResourceId);
    if (oldPrefix !== stagedPrefix(spec, event.StackId, event.LogicalResourceId)) await deleteStagedFiles(s3Client(), before, oldPrefix);
  }
  // The resource keeps its id until isComplete knows what the new job registered.
  return { PhysicalResourceId: event.PhysicalResourceId, Data: pendingJobData(await startImport(event, spec)) };
}

/** What isComplete is handed: the job, and when it was read PENDING (so it is not read again at once). */
function pendingJobData(started: StartedJob): Record<string, string> {
  return {
    [PENDING_JOB_ID]: started.jobId,
    ...(started.readPendingAt === undefined ? {} : { [PENDING_JOB_READ_AT]: String(started.readPendingAt) }),
  };
}

async function onDelete(event: FrameworkEvent): Promise<OnEventResult> {
  const spec = tryReadSpec(event.ResourceProperties);
  if (spec?.source.type === 'Files') {
    await deleteStagedFiles(s3Client(), spec, stagedPrefix(spec, event.StackId, event.LogicalResourceId));
  }
  // Properties that no longer read (another construct version) still say what to do with the
  // package: undoing the import needs only the physical id, so DESTROY is honoured all the same.
  const removalPolicy = spec?.removalPolicy ?? (event.ResourceProperties as Delivered<PackageImportProperties> | undefined)?.RemovalPolicy;
  if (removalPolicy === 'destroy') {
    await removeImportedVersion(panoramaClient(WRITE_ATTEMPTS), event.PhysicalResourceId!);
  } else {
    logStep('package version retained', { physicalResourceId: event.PhysicalResourceId });
  }
  return { PhysicalResourceId: event.PhysicalResourceId };
}

/**
 * Stages the files (or checks the bucket's), then starts the import job; returns its id. When no
 * job could be started the staged copies are deleted again: a Create that fails without a job has
 * no physical id, so no Delete ever comes to clean them up.
 */
async function startImport(event: FrameworkEvent, spec: ImportSpec): Promise<StartedJob> {
  try {
    return await stageAndStart(event, spec);
  } catch (e) {
    if (spec.source.type === 'Files') {
      await deleteStagedFiles(s3Client(), spec, stagedPrefix(spec, event.StackId, event.LogicalResourceId))
        .catch((cleanupError: Error) => logStep('staging not cleaned', { reason: cleanupError.name }));
    }
    throw e;
  }
}

async function stageAndStart(event: FrameworkEvent, spec: ImportSpec): Promise<StartedJob> {
  const s3 = s3Client();
  let manifest: ManifestLocation;
  let packageName = spec.packageName;
  let packageVersion = spec.packageVersion;
  if (spec.source.type === 'Files') {
    const key = await stageFiles(s3, spec, stagedPrefix(spec, event.StackId, event.LogicalResourceId));
    manifest = { bucket: spec.staging!.bucket, key };
  } else {
    const read = await readBucketManifest(s3, spec.source);
    manifest = { bucket: spec.source.bucket, key: spec.source.manifestKey, etag: read.etag };
    // The job imports a manifest under its own name and version; a bucket's manifest cannot be rewritten.
    throwIfProblems([
      ...mustMatchManifest('packageName', packageName, read.nodePackage.name),
      ...mustMatchManifest('packageVersion', packageVersion, read.nodePackage.version),
    ]);
    // No folder here: an object key is not a panorama-cli package folder.
    const identity = packageIdentity({ packageName, packageVersion, manifestName: read.nodePackage.name, manifestVersion: read.nodePackage.version });
    packageName = identity.name;
    packageVersion = identity.version;
    if (packageName === undefined) {
      throw new PanoramaValidationError([new ValidationProblem('packageName', described('missing'),
        `must be given: the manifest s3://${manifest.bucket}/${manifest.key} has no nodePackage.name`)]);
    }
  }
  if (packageName === undefined || packageVersion === undefined) {
    throw new Error('PackageName and PackageVersion are set by the construct for a folder source');
  }
  throwIfProblems([...checkPackageName(packageName), ...checkPackageVersion(packageVersion)]);

  const request = importRequest(spec, manifest, { packageName, packageVersion }, process.env.AWS_REGION);
  const token = clientToken(event.StackId, event.LogicalResourceId, request, manifest.etag);
  // The stack's imports share their writes' pace through the staging bucket (write-slots.ts),
  // unless the service has no write quota to pace for (slot spacing 0).
  const panorama = panoramaClient(WRITE_ATTEMPTS);
  const slotMs = writeSlotMs();
  const pacing = spec.staging && slotMs > 0
    ? {
      ledger: { s3, bucket: spec.staging.bucket, prefix: spec.staging.prefix, slotMs },
      writer: panoramaClient(1, panorama),
      maxAttempts: WRITE_ATTEMPTS,
    }
    : undefined;
  return startImportJob(panorama, { ...request, ClientToken: token }, pacing, panoramaClient(POLL_ATTEMPTS, panorama));
}

async function retag(jobId: string, before: Record<string, string>, after: Record<string, string>): Promise<void> {
  const panorama = panoramaClient(WRITE_ATTEMPTS);
  const version = registeredVersion(await describeJob(panorama, jobId));
  if (!version) {
    logStep('tags not applied: no package registered by this resource', { jobId });
    return;
  }
  const pkg = await panorama.send(new DescribePackageCommand({ PackageId: version.packageId }));
  await reconcileTags(panorama, pkg.Arn!, before, after);
}

function mustMatchManifest(field: string, value: string | undefined, inManifest: string | undefined): ValidationProblem[] {
  return value === undefined || inManifest === undefined || value === inManifest
    ? []
    : [new ValidationProblem(field, value, `must equal the bucket manifest's ${JSON.stringify(inManifest)}: the import job imports a manifest as the package it describes`)];
}

/** Old properties that no longer read (an older construct version) count as a change. */
function tryReadSpec(props: Record<string, unknown> | undefined): ImportSpec | undefined {
  try {
    return props ? readImportSpec(props) : undefined;
  } catch (e) {
    logStep('properties unreadable', { reason: (e as Error).message.slice(0, 200) });
    return undefined;
  }
}
