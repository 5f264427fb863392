/**
 * isComplete of the Provider framework: PENDING is not complete; FAILED fails the deployment with
 * the job id and the service's message; SUCCEEDED hands back the package's attributes.
 */
import { DescribePackageImportJobResponse, PanoramaClient } from '@aws-sdk/client-panorama';
import { panoramaClient, POLL_ATTEMPTS, s3Client } from './aws-clients';
import { isTransient, nameServiceError } from './errors';
import { describeJob, packageAttributes, registeredVersion, removeImportedVersion } from './import-job';
import { logStep } from './log';
import { readImportSpec } from './resource-properties';
import { deleteStagedFiles, stagedPrefix } from './staging';
import { FrameworkEvent, IsCompleteResult, PENDING_JOB_ID, PENDING_JOB_READ_AT } from './types';
import { PACKAGE_IMPORT_ATTRIBUTES, PackageImportAttributes } from '../rules/contract';

/** How long after onEvent read the job PENDING isComplete reads it again (the runner's next ask is 250 ms on). */
export const REREAD_AFTER_MS = 200;

export async function handler(event: FrameworkEvent): Promise<IsCompleteResult> {
  try {
    return await handle(event);
  } catch (e) {
    // Every step here can be repeated: when Panorama is busy, the next poll asks again, until
    // totalTimeout, instead of failing a deployment whose job may well succeed.
    if (isTransient(e)) {
      logStep('busy: asking again at the next poll', { reason: (e as Error).name });
      return { IsComplete: false };
    }
    throw nameServiceError(e);
  }
}

async function handle(event: FrameworkEvent): Promise<IsCompleteResult> {
  // The framework asks after every request type; Delete finished in onEvent.
  if (event.RequestType === 'Delete') return { IsComplete: true };

  const spec = readImportSpec(event.ResourceProperties);
  const pendingJobId = event.Data?.[PENDING_JOB_ID];
  const jobId = pendingJobId ?? event.PhysicalResourceId!;
  // The framework asks at once after onEvent, which has just read the job PENDING: a read now
  // would spend the quota the stack's other imports share, to learn nothing new.
  const sinceRead = Date.now() - Number(event.Data?.[PENDING_JOB_READ_AT]);
  if (pendingJobId && sinceRead >= 0 && sinceRead < REREAD_AFTER_MS) {
    logStep('job read PENDING moments ago: not read again yet', { jobId, sinceReadMs: sinceRead });
    return { IsComplete: false };
  }
  const panorama = panoramaClient(POLL_ATTEMPTS);
  const job = await describeJob(panorama, jobId);
  if (job.Status === 'PENDING') return { IsComplete: false };

  // The job has read its input: the staged copies are no longer needed, whatever the outcome.
  if (pendingJobId && spec.source.type === 'Files') {
    await deleteStagedFiles(s3Client(), spec, stagedPrefix(spec, event.StackId, event.LogicalResourceId));
  }
  if (job.Status !== 'SUCCEEDED') {
    throw new Error(`Panorama import job ${jobId} ${job.Status ?? 'ended without a status'}: ${job.StatusMessage ?? 'no status message'}`);
  }

  const physicalResourceId = await owningJobId(panorama, event, jobId, job);
  let data: PackageImportAttributes;
  try {
    data = await packageAttributes(panorama, job, physicalResourceId);
  } catch (e) {
    // An Update that fails now is rolled back and never owns the patch its new job registered;
    // CloudFormation sends no Delete for it, so under DESTROY it is removed here.
    if (!isTransient(e) && event.RequestType === 'Update' && physicalResourceId === jobId && spec.removalPolicy === 'destroy') {
      await removeImportedVersion(panorama, jobId);
    }
    throw e;
  }
  logStep('import complete', { jobId, physicalResourceId, packageId: data[PACKAGE_IMPORT_ATTRIBUTES.packageId], patchVersion: data[PACKAGE_IMPORT_ATTRIBUTES.patchVersion] });
  return { IsComplete: true, PhysicalResourceId: physicalResourceId, Data: data };
}

/**
 * The resource's id is the job that registered the patch it owns. A new job that registered a
 * different patch takes over, and CloudFormation then deletes the old one under its removal policy;
 * one that registered the same patch again leaves the id, so that patch is never deregistered.
 */
async function owningJobId(panorama: PanoramaClient, event: FrameworkEvent, jobId: string, job: DescribePackageImportJobResponse): Promise<string> {
  if (event.RequestType === 'Create' || event.PhysicalResourceId === undefined || event.PhysicalResourceId === jobId) return jobId;
  const current = event.PhysicalResourceId;
  let before;
  try {
    before = registeredVersion(await describeJob(panorama, current));
  } catch {
    before = undefined;
  }
  const after = registeredVersion(job);
  return before && JSON.stringify(before) === JSON.stringify(after) ? current : jobId;
}
