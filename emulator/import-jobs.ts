import { createHash } from 'crypto';
import { BackgroundJobs } from './background-jobs';
import { JobOutcomeDecision } from './faults';
import { CheckedManifest, checkDescriptor, checkManifest, folderOf } from './manifest-check';
import { MAX_PACKAGES, MAX_VERSIONS_PER_PACKAGE, packageQuotaMessage, versionQuotaMessage } from './quotas';
import { isMissing, S3Access } from './s3-access';
import { EmulatorState, epochSeconds, ImportJobOutput, ImportJobRecord, PackageRecord } from './state';

/** A job failure whose message becomes the job's StatusMessage. */
class JobFailure extends Error {}

/**
 * Runs import jobs in the background, following the hypothesis of panorama-api.md: read the
 * manifest, check it and the files beside it, copy everything into managed storage, register.
 */
export class ImportJobRunner {
  private readonly jobs: BackgroundJobs;

  /** `onJobFinished` runs after each job ends (SUCCEEDED or FAILED), e.g. to persist the state. */
  constructor(private readonly s3: S3Access, delayMs: number, onJobFinished: () => void = () => undefined) {
    this.jobs = new BackgroundJobs(delayMs, onJobFinished);
  }

  /** Schedules a new job; a 'pending' decision leaves it PENDING for ever. */
  schedule(state: EmulatorState, job: ImportJobRecord, decision: JobOutcomeDecision): void {
    if (decision.outcome !== 'pending') this.jobs.schedule(() => this.run(state, job, decision));
  }

  /** Resolves once no job is waiting or mid-processing (jobs held PENDING do not count). */
  async whenSettled(): Promise<void> {
    await this.jobs.whenSettled();
  }

  /** Drops jobs that have not started yet; they stay PENDING. */
  cancelWaiting(): void {
    this.jobs.cancelWaiting();
  }

  private async run(state: EmulatorState, job: ImportJobRecord, decision: JobOutcomeDecision): Promise<void> {
    try {
      if (decision.outcome === 'fail') throw new JobFailure(decision.message ?? 'Import job failed (failure injected by the emulator).');
      const output = await this.importPackageVersion(state, job);
      finish(job, 'SUCCEEDED', 'Package version imported and registered.', output);
    } catch (error) {
      const message = error instanceof JobFailure ? error.message : `Internal error while importing: ${(error as Error).message}`;
      finish(job, 'FAILED', message);
    }
  }

  private async importPackageVersion(state: EmulatorState, job: ImportJobRecord): Promise<ImportJobOutput> {
    const { BucketName: bucket, ObjectKey: manifestKey } = job.request.InputConfig.PackageVersionInputConfig.S3Location;
    const { PackageName: packageName, PackageVersion: packageVersion, MarkLatest } = job.request.OutputConfig.PackageVersionOutputConfig;
    const manifestUrl = `s3://${bucket}/${manifestKey}`;

    const bytes = await this.readManifest(bucket, manifestKey);
    const checked = checkManifest(bytes);
    if (!checked.ok) throw new JobFailure(`Manifest ${manifestUrl} is invalid: ${checked.problems.join('; ')}.`);
    const manifest = checked.manifest;
    // Our hypothesis: the service refuses a manifest that describes another package or version. The
    // schema makes both optional: a manifest without them describes the package it is imported as.
    if (manifest.name !== undefined && manifest.name !== packageName) {
      throw new JobFailure(`Manifest ${manifestUrl} has nodePackage.name "${manifest.name}" but OutputConfig.PackageVersionOutputConfig.PackageName is "${packageName}".`);
    }
    if (manifest.version !== undefined && manifest.version !== packageVersion) {
      throw new JobFailure(`Manifest ${manifestUrl} has nodePackage.version "${manifest.version}" but OutputConfig.PackageVersionOutputConfig.PackageVersion is "${packageVersion}".`);
    }

    const folder = folderOf(manifestKey);
    const missing: string[] = [];
    for (const file of manifest.files) {
      if (!(await this.s3.exists(bucket, folder + file.uri))) missing.push(`${file.reference} "${file.uri}" (expected at s3://${bucket}/${folder}${file.uri})`);
    }
    if (missing.length > 0) {
      throw new JobFailure(`Manifest ${manifestUrl} references files that are not beside it: ${missing.join('; ')}.`);
    }
    await this.checkDescriptors(bucket, folder, manifest.files);

    const patchVersion = createHash('sha256').update(bytes).digest('hex');
    const pkg = this.findOrCreatePackage(state, job);
    assertVersionRoom(state, pkg, packageVersion, patchVersion);

    const storage = pkg.storageLocation;
    await this.s3.ensureBucket(storage.Bucket);
    for (const file of manifest.files) {
      await this.s3.copy(bucket, folder + file.uri, storage.Bucket, `${storage.BinaryPrefixLocation}/${file.uri}`);
    }
    const storedManifestKey = `${storage.ManifestPrefixLocation}/${packageVersion}/${patchVersion}.json`;
    await this.s3.copy(bucket, manifestKey, storage.Bucket, storedManifestKey);

    // Checked again: another job may have registered a version while the files were copied.
    assertVersionRoom(state, pkg, packageVersion, patchVersion);
    state.registerPatch(pkg.packageId, packageVersion, patchVersion, MarkLatest ?? false, epochSeconds());
    return {
      PackageId: pkg.packageId,
      PackageVersion: packageVersion,
      PatchVersion: patchVersion,
      OutputS3Location: { BucketName: storage.Bucket, ObjectKey: storedManifestKey },
    };
  }

  /** Every descriptor the manifest names must be one: the job reads them to set the assets up. */
  private async checkDescriptors(bucket: string, folder: string, files: CheckedManifest['files']): Promise<void> {
    const invalid: string[] = [];
    for (const file of files.filter((f) => f.kind === 'descriptor')) {
      const problems = checkDescriptor(await this.s3.read(bucket, folder + file.uri));
      if (problems.length > 0) invalid.push(`Descriptor s3://${bucket}/${folder}${file.uri} (named by ${file.reference}) is invalid: ${problems.join('; ')}.`);
    }
    if (invalid.length > 0) throw new JobFailure(invalid.join(' '));
  }

  private async readManifest(bucket: string, key: string): Promise<Buffer> {
    try {
      return await this.s3.read(bucket, key);
    } catch (error) {
      const name = (error as Error).name;
      if (isMissing(error)) throw new JobFailure(`Manifest s3://${bucket}/${key} not found (${name}).`);
      throw new JobFailure(`Manifest s3://${bucket}/${key} could not be read (${name}: ${(error as Error).message}).`);
    }
  }

  /** Synchronous, so two jobs for one new package cannot both create it. */
  private findOrCreatePackage(state: EmulatorState, job: ImportJobRecord): PackageRecord {
    const packageName = job.request.OutputConfig.PackageVersionOutputConfig.PackageName;
    const existing = state.findPackageByName(packageName);
    if (existing) return existing;
    if (state.packages.size >= MAX_PACKAGES) throw new JobFailure(packageQuotaMessage(state.region));
    const tags = Object.assign({}, ...(job.request.JobTags ?? []).filter((t) => t.ResourceType === 'PACKAGE').map((t) => t.Tags));
    return state.addPackage(packageName, tags, epochSeconds());
  }
}

function assertVersionRoom(state: EmulatorState, pkg: PackageRecord, packageVersion: string, patchVersion: string): void {
  // Re-importing a registered patch is an idempotent re-register and needs no room.
  if (state.findRegisteredPatch(pkg.packageId, packageVersion, patchVersion)) return;
  if (state.registeredVersions(pkg.packageId).length >= MAX_VERSIONS_PER_PACKAGE) {
    throw new JobFailure(versionQuotaMessage(pkg.packageName));
  }
}

function finish(job: ImportJobRecord, status: 'SUCCEEDED' | 'FAILED', message: string, output?: ImportJobOutput): void {
  job.status = status;
  job.statusMessage = message;
  job.output = output;
  job.lastUpdatedTime = epochSeconds();
}
