import { createHash } from 'crypto';
import { BackgroundJobs } from './background-jobs';
import { cameraAssetName, cameraManifest, NodeJobRecord, nodeIdOf } from './camera-node-record';
import { JobOutcomeDecision } from './faults';
import { MAX_PACKAGES, MAX_VERSIONS_PER_PACKAGE, packageQuotaMessage, versionQuotaMessage } from './quotas';
import { S3Access } from './s3-access';
import { EmulatorState, epochSeconds, PackageRecord } from './state';

/** A job failure whose message becomes the job's StatusMessage. */
class NodeJobFailure extends Error {}

/**
 * Runs CreateNodeFromTemplateJob jobs in the background (hypothesis, README): the job makes the
 * package `OutputPackageName` if it does not exist, stores the camera's manifest in the package's
 * managed storage, registers it as a new patch of `OutputPackageVersion` (marked latest), and records
 * the node. Each job is its own patch, so a camera made again with other parameters never shares a
 * patch with the one it replaces.
 */
export class NodeJobRunner {
  private readonly jobs: BackgroundJobs;

  /** `onJobFinished` runs after each job ends (SUCCEEDED or FAILED), e.g. to persist the state. */
  constructor(private readonly s3: S3Access, delayMs: number, onJobFinished: () => void = () => undefined) {
    this.jobs = new BackgroundJobs(delayMs, onJobFinished);
  }

  /** Schedules a new job; a 'pending' decision leaves it PENDING for ever. */
  schedule(state: EmulatorState, job: NodeJobRecord, decision: JobOutcomeDecision): void {
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

  private async run(state: EmulatorState, job: NodeJobRecord, decision: JobOutcomeDecision): Promise<void> {
    try {
      if (decision.outcome === 'fail') throw new NodeJobFailure(decision.message ?? 'Node job failed (failure injected by the emulator).');
      await this.createNode(state, job);
      finish(job, 'SUCCEEDED', 'Node created and its package version registered.');
    } catch (error) {
      const message = error instanceof NodeJobFailure ? error.message : `Internal error while creating the node: ${(error as Error).message}`;
      finish(job, 'FAILED', message);
    }
  }

  private async createNode(state: EmulatorState, job: NodeJobRecord): Promise<void> {
    const request = job.request;
    const bytes = Buffer.from(JSON.stringify(cameraManifest(request), null, 2));
    const patchVersion = createHash('sha256').update(job.jobId).update('\n').update(bytes).digest('hex');
    const pkg = this.findOrCreatePackage(state, job);
    assertVersionRoom(state, pkg);
    const storage = pkg.storageLocation;
    await this.s3.ensureBucket(storage.Bucket);
    await this.s3.write(storage.Bucket, `${storage.ManifestPrefixLocation}/${request.OutputPackageVersion}/${patchVersion}.json`, bytes);
    // Checked again: another job may have registered a version while the manifest was written.
    assertVersionRoom(state, pkg);
    const now = epochSeconds();
    state.registerPatch(pkg.packageId, request.OutputPackageVersion, patchVersion, true, now);
    const nodeId = nodeIdOf(state.account, request.OutputPackageName, request.OutputPackageVersion, request.NodeName);
    state.nodes.set(nodeId, {
      nodeId,
      name: request.NodeName,
      category: 'MEDIA_SOURCE',
      ownerAccount: state.account,
      packageName: pkg.packageName,
      packageId: pkg.packageId,
      packageArn: pkg.arn,
      packageVersion: request.OutputPackageVersion,
      patchVersion,
      description: request.NodeDescription ?? '',
      assetName: cameraAssetName(request.NodeName),
      createdTime: state.nodes.get(nodeId)?.createdTime ?? now,
      lastUpdatedTime: now,
    });
  }

  /** Synchronous, so two jobs for one new package cannot both create it. */
  private findOrCreatePackage(state: EmulatorState, job: NodeJobRecord): PackageRecord {
    const existing = state.findPackageByName(job.request.OutputPackageName);
    if (existing) return existing;
    if (state.packages.size >= MAX_PACKAGES) throw new NodeJobFailure(packageQuotaMessage(state.region));
    const tags = Object.assign({}, ...(job.request.JobTags ?? []).filter((t) => t.ResourceType === 'PACKAGE').map((t) => t.Tags));
    return state.addPackage(job.request.OutputPackageName, tags, epochSeconds());
  }
}

function assertVersionRoom(state: EmulatorState, pkg: PackageRecord): void {
  if (state.registeredVersions(pkg.packageId).length >= MAX_VERSIONS_PER_PACKAGE) {
    throw new NodeJobFailure(versionQuotaMessage(pkg.packageName));
  }
}

function finish(job: NodeJobRecord, status: 'SUCCEEDED' | 'FAILED', message: string): void {
  job.status = status;
  job.statusMessage = message;
  job.lastUpdatedTime = epochSeconds();
}
