/**
 * The Panorama side of an import: the job request and its idempotency token, the job's outcome,
 * the attributes handed back to CloudFormation, and removing a patch version.
 */
import { createHash } from 'crypto';
import {
  ConflictException, CreatePackageImportJobCommand, CreatePackageImportJobRequest, DeletePackageCommand,
  DeregisterPackageVersionCommand, DescribePackageCommand, DescribePackageImportJobCommand,
  DescribePackageImportJobResponse, PanoramaClient, ResourceNotFoundException, StorageLocation,
  TagResourceCommand, UntagResourceCommand, ValidationException,
} from '@aws-sdk/client-panorama';
import { isTransient } from './errors';
import { logStep } from './log';
import { ImportSpec } from './resource-properties';
import { Clock, sendPacedWrite, WriteLedger } from './write-slots';
import { PACKAGE_IMPORT_ATTRIBUTES, PackageImportAttributeKey, PackageImportAttributes } from '../rules/contract';

/** Where the import job finds the manifest. */
export interface ManifestLocation {
  readonly bucket: string;
  readonly key: string;
  /** The manifest's ETag when it is not content-addressed by the construct (a bucket source). */
  readonly etag?: string;
}

/** The import request, without its token. */
export function importRequest(
  spec: ImportSpec,
  manifest: ManifestLocation,
  target: { packageName: string; packageVersion: string },
  region: string | undefined,
): Omit<CreatePackageImportJobRequest, 'ClientToken'> {
  return {
    JobType: spec.jobType,
    InputConfig: {
      PackageVersionInputConfig: { S3Location: { BucketName: manifest.bucket, ObjectKey: manifest.key, Region: region } },
    },
    OutputConfig: {
      PackageVersionOutputConfig: { PackageName: target.packageName, PackageVersion: target.packageVersion, MarkLatest: spec.markLatest },
    },
    JobTags: Object.keys(spec.tags).length > 0 ? [{ ResourceType: 'PACKAGE', Tags: spec.tags }] : undefined,
  };
}

/**
 * The ClientToken: a digest of the stack, the resource and the whole request (whose S3 location is
 * content-addressed). A redelivered or duplicated event yields the same token, so no second job;
 * the RequestId is left out on purpose, since a retry carries the same one but an Update a new one.
 */
export function clientToken(stackId: string, logicalResourceId: string, request: object, etag?: string): string {
  // 64 hex characters: exactly the longest token Panorama accepts, within ^[a-zA-Z0-9\-\_]+$.
  return createHash('sha256').update(JSON.stringify([stackId, logicalResourceId, request, etag ?? null])).digest('hex');
}

/** How the job's creation is paced: a ledger of write slots, and a client that does not retry by itself. */
export interface WritePacing {
  readonly ledger: WriteLedger;
  readonly writer: PanoramaClient;
  readonly maxAttempts: number;
  readonly clock?: Clock;
}

/** The job an import started, and when it was last read PENDING (undefined: not read so). */
export interface StartedJob {
  readonly jobId: string;
  readonly readPendingAt?: number;
}

/**
 * Starts (or, for a known token, finds) the import job; returns its id. With `pacing`, each
 * CreatePackageImportJob is sent in a write slot (src/handler/write-slots.ts); without, the
 * client's own retries pace it. The job is then described with `reader` (default `panorama`):
 * a client that retries briefly, since isComplete describes it again anyway, and a read that
 * backs off for seconds behind a busy quota holds up the whole import.
 */
export async function startImportJob(
  panorama: PanoramaClient,
  request: CreatePackageImportJobRequest,
  pacing?: WritePacing,
  reader: PanoramaClient = panorama,
): Promise<StartedJob> {
  let token = request.ClientToken!;
  for (let attempt = 1; ; attempt++) {
    const sentAt = Date.now();
    const command = new CreatePackageImportJobCommand({ ...request, ClientToken: token });
    const response = pacing
      ? await sendPacedWrite({ ledger: pacing.ledger, maxAttempts: pacing.maxAttempts, operation: 'CreatePackageImportJob', clock: pacing.clock }, () => pacing.writer.send(command))
      : await panorama.send(command);
    const jobId = response.JobId;
    if (!jobId) throw new Error('Panorama CreatePackageImportJob returned no JobId');
    // A token that names a FAILED job would return it for ever: a new deployment of the same content
    // must get a new job. Chaining the failed job's id keeps redeliveries on one deterministic token.
    // The job exists now: a failure to describe it must not fail onEvent, or the Create would fail
    // without a physical id, get no Delete, and orphan whatever the job registers. isComplete asks again.
    // Asked on the connection the Create just used (the writer's; its one attempt falls back to
    // the reader, which retries briefly, when Panorama is busy).
    const readAt = Date.now();
    const earlier = await (pacing
      ? describeJob(pacing.writer, jobId).catch((e: Error) => (isTransient(e) ? describeJob(reader, jobId) : Promise.reject(e)))
      : describeJob(reader, jobId))
      .catch((e: Error) => {
        logStep('import job not described', { jobId, reason: e.name });
        return undefined;
      });
    // A job that fails fast may already be FAILED here: only one created before this call (before
    // its slot, too) is earlier.
    if (earlier?.Status !== 'FAILED' || !createdBefore(earlier, sentAt) || attempt >= MAX_FAILED_JOBS_SKIPPED) {
      const output = request.OutputConfig?.PackageVersionOutputConfig;
      logStep('import job started', { jobId, packageName: output?.PackageName, packageVersion: output?.PackageVersion });
      return { jobId, readPendingAt: earlier?.Status === 'PENDING' ? readAt : undefined };
    }
    logStep('token names a failed job: starting a new one', { jobId });
    token = createHash('sha256').update(`${token}/${jobId}`).digest('hex');
  }
}

/**
 * Whether the service created the job before `sentAt`, so for an earlier call. No margin: a job of
 * our own that failed within one round trip, stamped by a clock behind ours, is taken for an earlier
 * one and a second job is started (a cost); a margin would instead hand a quick redeployment the
 * earlier deployment's failure (a wrong answer).
 */
function createdBefore(job: DescribePackageImportJobResponse, sentAt: number): boolean {
  // No CreatedTime: the token's own job cannot be told from an earlier one, so it counts as earlier (as before).
  return job.CreatedTime === undefined || job.CreatedTime.getTime() < sentAt;
}

/** How many earlier failed jobs of the same request a new import skips before giving up. */
const MAX_FAILED_JOBS_SKIPPED = 20;

/** The job as Panorama describes it. */
export async function describeJob(panorama: PanoramaClient, jobId: string): Promise<DescribePackageImportJobResponse> {
  const job = await panorama.send(new DescribePackageImportJobCommand({ JobId: jobId }));
  logStep('import job described', { jobId, status: job.Status });
  return job;
}

/** A patch version of a package, as a job registered it. */
export interface RegisteredVersion {
  readonly packageId: string;
  readonly packageVersion: string;
  readonly patchVersion: string;
}

/** The package version a successful job registered, as `PackageId`, version and patch. */
export function registeredVersion(job: DescribePackageImportJobResponse): RegisteredVersion | undefined {
  const output = job.Output;
  if (job.Status !== 'SUCCEEDED' || !output?.PackageId || !output.PackageVersion || !output.PatchVersion) return undefined;
  return { packageId: output.PackageId, packageVersion: output.PackageVersion, patchVersion: output.PatchVersion };
}

/** The attributes of the custom resource, from the job and DescribePackage; well under 4 KB. */
export async function packageAttributes(
  panorama: PanoramaClient,
  job: DescribePackageImportJobResponse,
  jobId: string,
): Promise<PackageImportAttributes> {
  const version = registeredVersion(job)!;
  const pkg = await panorama.send(new DescribePackageCommand({ PackageId: version.packageId }));
  const storage: StorageLocation = pkg.StorageLocation ?? {} as StorageLocation;
  const values: { readonly [key in PackageImportAttributeKey]: string } = {
    packageArn: pkg.Arn ?? '',
    packageId: pkg.PackageId ?? version.packageId,
    packageName: pkg.PackageName ?? '',
    packageVersion: version.packageVersion,
    patchVersion: version.patchVersion,
    importJobId: jobId,
    storageBucket: storage.Bucket ?? '',
    repoPrefixLocation: storage.RepoPrefixLocation ?? '',
    generatedPrefixLocation: storage.GeneratedPrefixLocation ?? '',
    binaryPrefixLocation: storage.BinaryPrefixLocation ?? '',
    manifestPrefixLocation: storage.ManifestPrefixLocation ?? '',
  };
  return attributesByName(values);
}

/** The attributes under their `Fn::GetAtt` names. */
function attributesByName(values: { readonly [key in PackageImportAttributeKey]: string }): PackageImportAttributes {
  const keys = Object.keys(PACKAGE_IMPORT_ATTRIBUTES) as PackageImportAttributeKey[];
  return Object.fromEntries(keys.map((key) => [PACKAGE_IMPORT_ATTRIBUTES[key], values[key]])) as PackageImportAttributes;
}

/** Brings the package's tags from `before` to `after` in place (a tags-only Update). */
export async function reconcileTags(
  panorama: PanoramaClient,
  packageArn: string,
  before: Record<string, string>,
  after: Record<string, string>,
): Promise<void> {
  const removed = Object.keys(before).filter((key) => !(key in after));
  const changed = Object.fromEntries(Object.entries(after).filter(([key, value]) => before[key] !== value));
  if (removed.length > 0) await panorama.send(new UntagResourceCommand({ ResourceArn: packageArn, TagKeys: removed }));
  if (Object.keys(changed).length > 0) await panorama.send(new TagResourceCommand({ ResourceArn: packageArn, Tags: changed }));
  logStep('tags reconciled', { removed: removed.length, set: Object.keys(changed).length });
}

/**
 * Deregisters the patch version a job registered, then deletes the package if no version is left.
 * What is already gone is fine; a package that still holds other versions is kept.
 */
export async function removeImportedVersion(panorama: PanoramaClient, jobId: string): Promise<void> {
  let job: DescribePackageImportJobResponse;
  try {
    job = await describeJob(panorama, jobId);
  } catch (e) {
    // No such job (the id of a Create that never started one): nothing was registered. Any other
    // error (access, throttling past the retries) must fail the delete rather than orphan a version.
    if (!(e instanceof ValidationException) && !(e instanceof ResourceNotFoundException)) throw e;
    logStep('nothing to remove', { jobId, reason: e.name });
    return;
  }
  const version = registeredVersion(job);
  if (!version) {
    logStep('nothing to remove', { jobId, status: job.Status });
    return;
  }
  try {
    await panorama.send(new DeregisterPackageVersionCommand({
      PackageId: version.packageId, PackageVersion: version.packageVersion, PatchVersion: version.patchVersion,
    }));
    logStep('patch version deregistered', { jobId, ...version });
  } catch (e) {
    if (!(e instanceof ResourceNotFoundException)) throw e;
    logStep('patch version already gone', { jobId, packageId: version.packageId });
  }
  try {
    await panorama.send(new DeletePackageCommand({ PackageId: version.packageId, ForceDelete: true }));
    logStep('package deleted', { packageId: version.packageId });
  } catch (e) {
    if (e instanceof ResourceNotFoundException) {
      logStep('package already gone', { packageId: version.packageId });
    } else if (e instanceof ConflictException) {
      logStep('package kept: other versions remain', { packageId: version.packageId });
    } else {
      throw e;
    }
  }
}
