/**
 * onEvent of the camera's Provider framework. Create starts the camera's node job; Update starts a
 * new one when anything but the removal policy changed (isComplete then gives the resource a new
 * physical id, and CloudFormation deletes the old camera); Delete applies the removal policy.
 */
import { panoramaClient, WRITE_ATTEMPTS } from './aws-clients';
import { secretsClient } from './camera-clients';
import { startCameraJob, removeCamera } from './camera-node';
import { cameraIdentity, cameraToken, parseCameraPhysicalId, readCameraSpec } from './camera-spec';
import { nameServiceError } from './errors';
import { logStep } from './log';
import { FrameworkEvent, OnEventResult, PENDING_JOB_ID } from './types';

export async function handler(event: FrameworkEvent): Promise<OnEventResult> {
  try {
    return await handle(event);
  } catch (e) {
    throw nameServiceError(e);
  }
}

async function handle(event: FrameworkEvent): Promise<OnEventResult> {
  logStep('camera onEvent', { requestType: event.RequestType, logicalResourceId: event.LogicalResourceId, physicalResourceId: event.PhysicalResourceId });
  switch (event.RequestType) {
    case 'Create': {
      const jobId = await start(event);
      return { PhysicalResourceId: jobId, Data: { [PENDING_JOB_ID]: jobId } };
    }
    case 'Update': {
      const spec = readCameraSpec(event.ResourceProperties);
      const before = tryReadSpec(event.OldResourceProperties);
      if (before && cameraIdentity(before) === cameraIdentity(spec)) {
        logStep('camera unchanged', { physicalResourceId: event.PhysicalResourceId });
        return { PhysicalResourceId: event.PhysicalResourceId };
      }
      const jobId = await start(event);
      return { PhysicalResourceId: event.PhysicalResourceId, Data: { [PENDING_JOB_ID]: jobId } };
    }
    case 'Delete': {
      const spec = tryReadSpec(event.ResourceProperties);
      const policy = spec?.removalPolicy ?? (event.ResourceProperties?.RemovalPolicy === 'retain' ? 'retain' : 'destroy');
      if (policy === 'destroy') await removeCamera(panoramaClient(WRITE_ATTEMPTS), parseCameraPhysicalId(event.PhysicalResourceId!));
      else logStep('camera retained', { physicalResourceId: event.PhysicalResourceId });
      return { PhysicalResourceId: event.PhysicalResourceId };
    }
    default:
      throw new Error(`Unknown RequestType ${JSON.stringify((event as FrameworkEvent).RequestType)}`);
  }
}

async function start(event: FrameworkEvent): Promise<string> {
  const spec = readCameraSpec(event.ResourceProperties);
  const token = cameraToken(event.StackId, event.LogicalResourceId, spec);
  return startCameraJob(panoramaClient(WRITE_ATTEMPTS), secretsClient(), spec, token);
}

function tryReadSpec(props: Record<string, unknown> | undefined) {
  try {
    return props ? readCameraSpec(props) : undefined;
  } catch (e) {
    logStep('camera properties unreadable', { reason: (e as Error).message.slice(0, 200) });
    return undefined;
  }
}
