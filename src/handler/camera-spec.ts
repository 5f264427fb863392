/**
 * The camera resource's properties (rules/camera-contract.ts) read back into a typed spec, checked
 * with the construct's own rules (values that were tokens at synth are checked only here), and the
 * physical id that carries what Delete must undo.
 */
import { createHash } from 'crypto';
import { checkCameraDescription, checkCameraName, checkCameraVersion, checkStreamUrl } from '../rules/camera';
import { CameraProperties } from '../rules/camera-contract';
import { RemovalPolicyProperty } from '../rules/contract';
import { PanoramaValidationError, ValidationProblem } from '../rules/validation';

/** Everything one camera needs; never a credential. */
export interface CameraSpec {
  readonly name: string;
  readonly packageVersion: string;
  readonly streamUrl: string;
  readonly secretArn?: string;
  readonly description?: string;
  readonly removalPolicy: RemovalPolicyProperty;
}

/** Reads and checks the properties; throws a PanoramaValidationError naming every bad one. */
export function readCameraSpec(props: Record<string, unknown>): CameraSpec {
  const p = props as { readonly [K in keyof CameraProperties]?: unknown };
  const problems: ValidationProblem[] = [];
  const text = (value: unknown, field: string): string => {
    if (typeof value === 'string') return value;
    problems.push(new ValidationProblem(field, value, 'must be a string'));
    return '';
  };
  const name = text(p.Name, 'Name');
  const packageVersion = text(p.PackageVersion, 'PackageVersion');
  const streamUrl = text(p.StreamUrl, 'StreamUrl');
  const secretArn = p.SecretArn === undefined || p.SecretArn === '' ? undefined : text(p.SecretArn, 'SecretArn');
  const description = p.Description === undefined ? undefined : text(p.Description, 'Description');
  const removalPolicy = p.RemovalPolicy === 'destroy' ? 'destroy' : p.RemovalPolicy === 'retain' ? 'retain' : undefined;
  if (!removalPolicy) problems.push(new ValidationProblem('RemovalPolicy', p.RemovalPolicy, 'must be "retain" or "destroy"'));
  problems.push(
    ...checkCameraName(name, 'Name'), ...checkCameraVersion(packageVersion, 'PackageVersion'), ...checkStreamUrl(streamUrl, 'StreamUrl'),
    ...(description === undefined ? [] : checkCameraDescription(description, 'Description')),
  );
  if (problems.length > 0) throw new PanoramaValidationError(problems);
  return { name, packageVersion, streamUrl, secretArn, description, removalPolicy: removalPolicy! };
}

/** What makes a camera: a change of any of it is a new camera (a replacement). The removal policy is not. */
export function cameraIdentity(spec: CameraSpec): string {
  return JSON.stringify([spec.name, spec.packageVersion, spec.streamUrl, spec.secretArn ?? null, spec.description ?? null]);
}

/**
 * The idempotency token of a camera: the resource and what makes the camera, not the RequestId, so a
 * request delivered again, or sent again by a new process after the last one was killed, finds the
 * job the first one started (see startCameraJob for when that job is reused).
 */
export function cameraToken(stackId: string, logicalResourceId: string, spec: CameraSpec): string {
  return createHash('sha256').update(JSON.stringify([stackId, logicalResourceId, cameraIdentity(spec)])).digest('hex').slice(0, 64);
}

/** What a camera registered: the physical id carries it, so Delete needs nothing else. */
export interface CameraPatch {
  readonly jobId: string;
  readonly packageId?: string;
  readonly packageVersion?: string;
  readonly patchVersion?: string;
}

const SEPARATOR = '|';

/** `<jobId>|<packageId>|<packageVersion>|<patchVersion>` (none of them holds a `|`). */
export function cameraPhysicalId(patch: Required<CameraPatch>): string {
  return [patch.jobId, patch.packageId, patch.packageVersion, patch.patchVersion].join(SEPARATOR);
}

/** The parts of a physical id; a bare job id (a Create that never finished) has only the job. */
export function parseCameraPhysicalId(physicalId: string): CameraPatch {
  const [jobId, packageId, packageVersion, patchVersion] = physicalId.split(SEPARATOR);
  return { jobId, packageId, packageVersion, patchVersion };
}
