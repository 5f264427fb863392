/**
 * The camera's calls: read the credentials secret, start the node job (idempotently, through a job
 * tag: the model gives CreateNodeFromTemplateJob no ClientToken), find what a finished job
 * registered, and remove it again. The credentials live in memory only for the one request that
 * needs them: never logged, never returned, never in an error.
 */
import {
  ConflictException, CreateNodeFromTemplateJobCommand, DeletePackageCommand, DeregisterPackageVersionCommand, DescribeNodeFromTemplateJobCommand,
  DescribeNodeFromTemplateJobResponse, ListNodeFromTemplateJobsCommand, ListNodesCommand, PanoramaClient, ResourceNotFoundException,
} from '@aws-sdk/client-panorama';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CameraPatch, CameraSpec } from './camera-spec';
import { logStep } from './log';
import { checkCredential } from '../rules/camera';
import { CAMERA_ATTRIBUTES, CAMERA_SECRET_KEYS, CAMERA_TOKEN_TAG, CameraAttributes } from '../rules/camera-contract';
import { PanoramaValidationError, ValidationProblem } from '../rules/validation';

/** The camera's credentials, read at deploy time. */
interface Credentials {
  readonly username: string;
  readonly password: string;
}

/** Reads `{"username", "password"}` from the secret; a message names the secret and the key, never a value. */
export async function readCredentials(secrets: SecretsManagerClient, secretArn: string): Promise<Credentials> {
  const answer = await secrets.send(new GetSecretValueCommand({ SecretId: secretArn }));
  let value: Record<string, unknown> | undefined;
  try {
    const parsed = JSON.parse(answer.SecretString ?? '');
    value = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? parsed : undefined;
  } catch {
    value = undefined;
  }
  if (!value) {
    throw new PanoramaValidationError([new ValidationProblem(`the secret ${secretArn}`, undefined,
      `must hold a JSON object with "${CAMERA_SECRET_KEYS.username}" and "${CAMERA_SECRET_KEYS.password}" (its value is not shown)`)]);
  }
  const problems = [
    ...checkCredential(value[CAMERA_SECRET_KEYS.username], `the secret ${secretArn}'s "${CAMERA_SECRET_KEYS.username}"`),
    ...checkCredential(value[CAMERA_SECRET_KEYS.password], `the secret ${secretArn}'s "${CAMERA_SECRET_KEYS.password}"`),
  ];
  if (problems.length > 0) throw new PanoramaValidationError(problems);
  return { username: value[CAMERA_SECRET_KEYS.username] as string, password: value[CAMERA_SECRET_KEYS.password] as string };
}

/**
 * Starts the camera's node job, unless the newest job of this node is already this camera's (its
 * token tag says so): a request delivered twice, or sent again after the process that sent it was
 * killed. An older job with the token is not reused: a later camera replaced it, and its patch may
 * be gone (a camera changed back to what it was is a new camera).
 */
export async function startCameraJob(panorama: PanoramaClient, secrets: SecretsManagerClient, spec: CameraSpec, token: string): Promise<string> {
  const earlier = await newestJobIfOurs(panorama, spec.name, token);
  if (earlier) {
    logStep('camera job already started for this camera', { jobId: earlier });
    return earlier;
  }
  const credentials = spec.secretArn === undefined ? undefined : await readCredentials(secrets, spec.secretArn);
  const { JobId } = await panorama.send(new CreateNodeFromTemplateJobCommand({
    TemplateType: 'RTSP_CAMERA_STREAM',
    OutputPackageName: spec.name,
    OutputPackageVersion: spec.packageVersion,
    NodeName: spec.name,
    ...(spec.description !== undefined ? { NodeDescription: spec.description } : {}),
    TemplateParameters: {
      StreamUrl: spec.streamUrl,
      ...(credentials ? { Username: credentials.username, Password: credentials.password } : {}),
    },
    JobTags: [{ ResourceType: 'PACKAGE', Tags: { [CAMERA_TOKEN_TAG]: token } }],
  }));
  logStep('camera job started', { jobId: JobId, name: spec.name, packageVersion: spec.packageVersion, openStream: credentials === undefined });
  return JobId!;
}

/** The newest job (not FAILED) of this node, when its token tag is `token`. */
async function newestJobIfOurs(panorama: PanoramaClient, nodeName: string, token: string): Promise<string | undefined> {
  const jobs: Array<{ jobId: string; created: number }> = [];
  let nextToken: string | undefined;
  do {
    const page = await panorama.send(new ListNodeFromTemplateJobsCommand({ NextToken: nextToken, MaxResults: 25 }));
    for (const job of page.NodeFromTemplateJobs ?? []) {
      if (job.NodeName === nodeName && job.Status !== 'FAILED') jobs.push({ jobId: job.JobId!, created: job.CreatedTime?.getTime() ?? 0 });
    }
    nextToken = page.NextToken;
  } while (nextToken);
  // Newest last; the list's own order breaks a tie of creation times.
  const newest = jobs.map((job, index) => ({ ...job, index })).sort((a, b) => a.created - b.created || a.index - b.index).pop();
  if (!newest) return undefined;
  const job = await describeCameraJob(panorama, newest.jobId);
  return (job.JobTags ?? []).some((tags) => tags.Tags?.[CAMERA_TOKEN_TAG] === token) ? newest.jobId : undefined;
}

export async function describeCameraJob(panorama: PanoramaClient, jobId: string): Promise<DescribeNodeFromTemplateJobResponse> {
  return panorama.send(new DescribeNodeFromTemplateJobCommand({ JobId: jobId }));
}

/** What a finished job registered: its node, as ListNodes shows the newest patch of the package version. */
export async function cameraAttributes(
  panorama: PanoramaClient, jobId: string, spec: CameraSpec,
): Promise<{ patch: Required<CameraPatch>; data: CameraAttributes }> {
  const { Nodes } = await panorama.send(new ListNodesCommand({ PackageName: spec.name, PackageVersion: spec.packageVersion, Category: 'MEDIA_SOURCE' }));
  const node = (Nodes ?? []).find((n) => n.Name === spec.name);
  if (!node) throw new Error(`Panorama camera job ${jobId} SUCCEEDED, but ListNodes shows no node ${spec.name} of package ${spec.name} ${spec.packageVersion}`);
  const patch = { jobId, packageId: node.PackageId!, packageVersion: node.PackageVersion!, patchVersion: node.PatchVersion! };
  const data: CameraAttributes = {
    [CAMERA_ATTRIBUTES.packageName]: `${node.OwnerAccount}::${node.PackageName}`,
    [CAMERA_ATTRIBUTES.packageId]: node.PackageId!,
    [CAMERA_ATTRIBUTES.packageArn]: node.PackageArn ?? '',
    [CAMERA_ATTRIBUTES.packageVersion]: node.PackageVersion!,
    [CAMERA_ATTRIBUTES.patchVersion]: node.PatchVersion!,
    [CAMERA_ATTRIBUTES.nodeName]: node.Name!,
    [CAMERA_ATTRIBUTES.jobId]: jobId,
  };
  return { patch, data };
}

/**
 * Deregisters the patch a camera registered, then deletes its package if no version is left. What
 * is already gone is fine; a package that still holds other patches (the camera that replaced this
 * one) is kept.
 */
export async function removeCamera(panorama: PanoramaClient, patch: CameraPatch): Promise<void> {
  if (!patch.packageId || !patch.packageVersion || !patch.patchVersion) {
    logStep('nothing to remove: the camera never finished', { jobId: patch.jobId });
    return;
  }
  try {
    await panorama.send(new DeregisterPackageVersionCommand({
      PackageId: patch.packageId, PackageVersion: patch.packageVersion, PatchVersion: patch.patchVersion,
    }));
    logStep('camera patch deregistered', { ...patch });
  } catch (e) {
    if (!(e instanceof ResourceNotFoundException)) throw e;
    logStep('camera patch already gone', { ...patch });
  }
  try {
    await panorama.send(new DeletePackageCommand({ PackageId: patch.packageId, ForceDelete: true }));
    logStep('camera package deleted', { packageId: patch.packageId });
  } catch (e) {
    if (e instanceof ResourceNotFoundException) logStep('camera package already gone', { packageId: patch.packageId });
    else if (e instanceof ConflictException) logStep('camera package kept: other versions remain', { packageId: patch.packageId });
    else throw e;
  }
}
