/**
 * Camera nodes as the emulated service holds them: the CreateNodeFromTemplateJob jobs and the nodes
 * a finished job made, and the manifest of the package version a camera job registers. Leaves: no
 * imports but the rules.
 */
import { cameraInterface } from '../src/rules/camera';

/** The only template type of the model. */
export const RTSP_CAMERA_STREAM = 'RTSP_CAMERA_STREAM';

/**
 * What DescribeNodeFromTemplateJob (and the state file) shows in place of a credential. Hypothesis:
 * the model marks every TemplateValue sensitive; the service never echoes them (README).
 */
export const SAVED_AS_SECRET = 'SAVED_AS_SECRET';

/** The template parameters that are credentials: kept by the service as secrets, never shown or stored. */
export const SECRET_TEMPLATE_PARAMETERS: readonly string[] = ['Username', 'Password'];

/** The template parameters an RTSP_CAMERA_STREAM job needs (hypothesis: the console asks for these three). */
export const RTSP_TEMPLATE_PARAMETERS: readonly string[] = ['Username', 'Password', 'StreamUrl'];

/** The system asset of an RTSP camera, as public camera package manifests name it. */
export const RTSP_CAMERA_ASSET_URI = 'source/video/camera/rtsp/source_onvif';

/** Node-from-template job states (the model's NodeFromTemplateJobStatus). */
export type NodeJobStatus = 'PENDING' | 'SUCCEEDED' | 'FAILED';

/** The validated CreateNodeFromTemplateJob request, credentials already replaced by SAVED_AS_SECRET. */
export interface NodeJobRequest {
  readonly TemplateType: string;
  readonly OutputPackageName: string;
  readonly OutputPackageVersion: string;
  readonly NodeName: string;
  readonly NodeDescription?: string;
  readonly TemplateParameters: Readonly<Record<string, string>>;
  readonly JobTags?: ReadonlyArray<{ ResourceType: string; Tags: Record<string, string> }>;
}

/** A node-from-template job and its progress. */
export interface NodeJobRecord {
  readonly jobId: string;
  readonly request: NodeJobRequest;
  readonly createdTime: number;
  lastUpdatedTime: number;
  status: NodeJobStatus;
  statusMessage: string;
}

/** A node a finished job made: one interface of one registered package version. */
export interface NodeRecord {
  readonly nodeId: string;
  readonly name: string;
  readonly category: 'MEDIA_SOURCE';
  readonly ownerAccount: string;
  readonly packageName: string;
  readonly packageId: string;
  readonly packageArn: string;
  readonly packageVersion: string;
  readonly patchVersion: string;
  readonly description: string;
  readonly assetName: string;
  readonly createdTime: number;
  lastUpdatedTime: number;
}

/** The credentials replaced by SAVED_AS_SECRET: what the job record keeps of the parameters. */
export function withoutSecrets(parameters: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(parameters).map(([key, value]) =>
    [key, SECRET_TEMPLATE_PARAMETERS.includes(key) ? SAVED_AS_SECRET : value]));
}

/** The asset name of a camera node's package. */
export function cameraAssetName(nodeName: string): string {
  return `${nodeName}_asset`;
}

/**
 * The node package manifest a camera job registers (hypothesis, README): one system asset, and one
 * `media_source` interface named after the node, whose inputs are the template's parameters (without
 * values: the credentials stay with the service) and whose output is `video_out` (media).
 */
export function cameraManifest(request: NodeJobRequest): object {
  const asset = cameraAssetName(request.NodeName);
  return {
    nodePackage: {
      envelopeVersion: '2021-01-01',
      name: request.OutputPackageName,
      version: request.OutputPackageVersion,
      description: request.NodeDescription ?? '',
      assets: [{ name: asset, implementations: [{ type: 'system', assetUri: RTSP_CAMERA_ASSET_URI }] }],
      // The interface the construct checks bound cameras against (src/rules/camera.ts): one home.
      interfaces: [{ ...cameraInterface(request.NodeName), category: 'media_source', asset }],
    },
  };
}

/** A node's id, as the emulator forms it for every node (`<account>-<package>-<version>-<interface>`). */
export function nodeIdOf(account: string, packageName: string, packageVersion: string, interfaceName: string): string {
  return `${account}-${packageName}-${packageVersion}-${interfaceName}`.replace(/[^a-zA-Z0-9\-_.]/g, '_');
}
