/**
 * The rules for a camera, from the Panorama model (CreateNodeFromTemplateJob's members) and from
 * what a camera must be for a device to open it. Pure: the construct checks them at synth, the
 * handler again at deploy for values that were tokens.
 */
import { checkPackageVersion, described, ValidationProblem } from './validation';

/** The model's limits of the members a camera sets. */
export const CAMERA_LIMITS = {
  /** NodeName and NodePackageName: 1..128 of `[a-zA-Z0-9-_]`. */
  name: { min: 1, max: 128, pattern: /^[a-zA-Z0-9\-_]+$/ },
  /** TemplateValue: 1..255, one line. */
  templateValue: { min: 1, max: 255 },
  /** Description: 0..255, one line. */
  description: { max: 255 },
} as const;

/** The scheme every camera stream URL must have: the template type is RTSP_CAMERA_STREAM. */
export const STREAM_URL_SCHEME = 'rtsp://';

/** The camera's name: used as its package's and its node's name, so both of the model's rules. */
export function checkCameraName(value: string, field = 'name'): ValidationProblem[] {
  const rule = CAMERA_LIMITS.name;
  if (value.length < rule.min || value.length > rule.max) {
    return [new ValidationProblem(field, value, `must be ${rule.min} to ${rule.max} characters long (it has ${value.length}): it names the camera's package and node`)];
  }
  if (!rule.pattern.test(value)) {
    return [new ValidationProblem(field, value, `must match ${rule.pattern.source}: it names the camera's package and node`)];
  }
  return [];
}

/** The stream URL: `rtsp://…`, 1..255 characters on one line, and no credentials in it (they belong in the secret). */
export function checkStreamUrl(value: string, field = 'streamUrl'): ValidationProblem[] {
  const rule = CAMERA_LIMITS.templateValue;
  const length = [...value].length;
  if (length < rule.min || length > rule.max) {
    return [new ValidationProblem(field, value, `must be ${rule.min} to ${rule.max} characters long (it has ${length}): the model's TemplateValue`)];
  }
  if (/[\r\n]/.test(value)) return [new ValidationProblem(field, value, 'must be one line: the model\'s TemplateValue is ^.+$')];
  if (!value.toLowerCase().startsWith(STREAM_URL_SCHEME)) {
    return [new ValidationProblem(field, value, `must start with ${STREAM_URL_SCHEME}: the camera is an RTSP_CAMERA_STREAM`)];
  }
  const authority = value.slice(STREAM_URL_SCHEME.length).split('/')[0];
  if (authority.includes('@')) {
    // Not the value: the part before @ may well be a password.
    return [new ValidationProblem(field, described('(not shown: it holds credentials)'),
      'must not carry a user name or password before @: give them as the camera\'s credentials secret, which stays out of the template')];
  }
  if (authority === '') return [new ValidationProblem(field, value, `must name a host after ${STREAM_URL_SCHEME}`)];
  return [];
}

/** The node's description: at most 255 characters, one line. */
export function checkCameraDescription(value: string, field = 'description'): ValidationProblem[] {
  if ([...value].length > CAMERA_LIMITS.description.max) {
    return [new ValidationProblem(field, value, `must be at most ${CAMERA_LIMITS.description.max} characters long (it has ${[...value].length})`)];
  }
  if (/[\r\n]/.test(value)) return [new ValidationProblem(field, value, 'must be one line')];
  return [];
}

/** The camera package's version: `major.minor`, as every package version. */
export function checkCameraVersion(value: string, field = 'version'): ValidationProblem[] {
  return checkPackageVersion(value, field);
}

/**
 * A credential read from the secret: the model's TemplateValue (1..255, one line). The message names
 * the secret's key and the rule, never the value.
 */
export function checkCredential(value: unknown, field: string): ValidationProblem[] {
  const rule = CAMERA_LIMITS.templateValue;
  if (typeof value !== 'string' || [...value].length < rule.min || [...value].length > rule.max || /[\r\n]/.test(value)) {
    return [new ValidationProblem(field, described('(not shown: it is a credential)'), `must be a string of ${rule.min} to ${rule.max} characters on one line`)];
  }
  return [];
}


/** The camera interface's output, named as the abstract camera's is (`video_out`, media). */
export const CAMERA_OUTPUT_PORT = { name: 'video_out', type: 'media' } as const;
/** The camera interface's inputs: the template's parameters, as public camera packages name them (strings, without values). */
export const CAMERA_INPUT_PORTS = [
  { name: 'username', type: 'string' },
  { name: 'password', type: 'string' },
  { name: 'streamUrl', type: 'string' },
] as const;

/** An interface with its ports (the shape of src/rules/graph's PackageInterface). */
export interface CameraInterface {
  readonly name: string;
  readonly inputs: Array<{ name: string; type: string }>;
  readonly outputs: Array<{ name: string; type: string }>;
}

/**
 * The interface a camera's package offers (hypothesis, see emulator/README.md "Cameras"): named after
 * the camera's node, with the inputs above and the output `video_out` (media).
 */
export function cameraInterface(nodeName: string): CameraInterface {
  return { name: nodeName, inputs: CAMERA_INPUT_PORTS.map((p) => ({ ...p })), outputs: [{ ...CAMERA_OUTPUT_PORT }] };
}
