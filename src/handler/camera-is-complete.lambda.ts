/**
 * isComplete of the camera's Provider framework: a PENDING job is not complete; a FAILED one fails
 * the deployment with the job id and the service's message; a SUCCEEDED one hands back the camera's
 * package and node, and the physical id that names the patch it registered.
 */
import { panoramaClient } from './aws-clients';
import { cameraAttributes, describeCameraJob } from './camera-node';
import { cameraPhysicalId, readCameraSpec } from './camera-spec';
import { isTransient, nameServiceError } from './errors';
import { logStep } from './log';
import { FrameworkEvent, IsCompleteResult, PENDING_JOB_ID } from './types';

export async function handler(event: FrameworkEvent): Promise<IsCompleteResult> {
  try {
    return await handle(event);
  } catch (e) {
    if (isTransient(e)) {
      logStep('busy: asking again at the next poll', { reason: (e as Error).name });
      return { IsComplete: false };
    }
    throw nameServiceError(e);
  }
}

async function handle(event: FrameworkEvent): Promise<IsCompleteResult> {
  if (event.RequestType === 'Delete') return { IsComplete: true };
  const jobId = event.Data?.[PENDING_JOB_ID];
  // An Update that changed only the removal policy started no job: the camera stays as it is.
  if (!jobId) return { IsComplete: true, PhysicalResourceId: event.PhysicalResourceId };
  const spec = readCameraSpec(event.ResourceProperties);
  const panorama = panoramaClient();
  const job = await describeCameraJob(panorama, jobId);
  if (job.Status === 'PENDING') return { IsComplete: false };
  if (job.Status !== 'SUCCEEDED') {
    throw new Error(`Panorama camera job ${jobId} for ${spec.name} ${job.Status ?? 'ended without a status'}: ${job.StatusMessage ?? 'no status message'}`);
  }
  const { patch, data } = await cameraAttributes(panorama, jobId, spec);
  const physicalResourceId = cameraPhysicalId(patch);
  // On an Update this is a new physical id: CloudFormation deletes the old camera under its policy.
  logStep('camera complete', { jobId, physicalResourceId, patchVersion: patch.patchVersion });
  return { IsComplete: true, PhysicalResourceId: physicalResourceId, Data: data };
}
