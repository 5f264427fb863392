/**
 * Packages and descriptors in the shapes that AWS's published Panorama samples take, written for
 * these tests from what those samples show (GPU code packages, a camera's system asset, packages
 * without a name or version, folders and manifests that disagree, unbuilt packages, descriptors of
 * both kinds). Each is a small, self-contained fixture; none is a copy of a sample.
 */
import { FixtureFile, ManifestJson, sha256 } from './package-fixture';

/** A package as the tests lay it out: its manifest, the files the manifest names, and its folder's name. */
export interface PackageShape {
  readonly manifest: ManifestJson;
  readonly files: FixtureFile[];
  /** `packages/<folderName>/package.json`, as panorama-cli names package folders. */
  readonly folderName: string;
}

const ENVELOPE = '2021-01-01';

/** A model descriptor as the samples write them: no frameworkVersion, no precisionMode. */
export function modelDescriptor(changes: Record<string, unknown> = {}): object {
  return { mlModelDescriptor: { envelopeVersion: ENVELOPE, framework: 'MXNET', inputs: [{ name: 'data', shape: [1, 3, 512, 512] }], ...changes } };
}

/** A runtime descriptor that uses every part of `entry` and every kind of event. */
export function runtimeDescriptorWithEvents(): object {
  return {
    runtimeDescriptor: {
      envelopeVersion: ENVELOPE,
      entry: {
        path: 'python3.8',
        name: '/panorama/app.py',
        arguments: ['--log-level', 'debug'],
        environment: [{ name: 'MODEL_NAME', value: 'detector' }, { name: 'EMPTY', value: '' }],
      },
      events: [
        { type: 'onExit', handler: 'shutdown', description: 'flush the metrics' },
        { type: 'onPartialInput', handler: 'on_frame', inputs: ['video_in'] },
        { type: 'onCompleteInput', handler: 'on_all_inputs', inputs: ['video_in', 'threshold'] },
      ],
    },
  };
}

/** The broken descriptors a user can write, each with the field its refusal must name. */
export const BROKEN_DESCRIPTORS: Array<{ readonly what: string; readonly content: string; readonly field: RegExp }> = [
  {
    what: 'framework ONNX',
    content: JSON.stringify(modelDescriptor({ framework: 'ONNX' })),
    field: /mlModelDescriptor\.framework: "ONNX" must be one of TENSORFLOW, PYTORCH, MXNET/,
  },
  {
    what: 'precision INT8',
    content: JSON.stringify(modelDescriptor({ precisionMode: 'INT8' })),
    field: /mlModelDescriptor\.precisionMode: "INT8" must be one of FP32, FP16/,
  },
  {
    what: 'no inputs',
    content: JSON.stringify({ mlModelDescriptor: { envelopeVersion: ENVELOPE, framework: 'PYTORCH' } }),
    field: /mlModelDescriptor\.inputs: missing must be given: the schema requires it/,
  },
  {
    what: 'broken JSON',
    content: '{"mlModelDescriptor": {"envelopeVersion": "2021-01-01",',
    field: /: its content must be valid JSON: an asset descriptor is a JSON document \(/,
  },
];

function named(content: string, extension: string): FixtureFile {
  return { name: `${sha256(content)}.${extension}`, content };
}

/**
 * A built GPU code package: a container asset whose implementation asks for the GPU with a
 * `hardware_access` requirement, as every GPU sample does, and a runtime descriptor with events.
 */
export function gpuCodePackage(options: { descriptor?: string } = {}): PackageShape {
  const container = named('container file system export', 'tar.gz');
  const descriptor = named(options.descriptor ?? JSON.stringify(runtimeDescriptorWithEvents()), 'json');
  return {
    folderName: '210987654321-gpu_detector_app-1.0',
    files: [container, descriptor],
    manifest: {
      nodePackage: {
        envelopeVersion: ENVELOPE,
        name: 'gpu_detector_app',
        version: '1.0',
        description: 'Detector that runs on the GPU',
        assets: [{
          name: 'gpu_detector_asset',
          implementations: [{
            type: 'container',
            assetUri: container.name,
            descriptorUri: descriptor.name,
            requirements: [{ type: 'hardware_access', inferenceAccelerators: [{ deviceType: 'nvhost_gpu', sharedResourcePolicy: { policy: 'allow_all' } }] }],
          }],
        }],
        interfaces: [{
          name: 'detector_interface',
          category: 'business_logic',
          asset: 'gpu_detector_asset',
          inputs: [{ name: 'video_in', type: 'media' }, { name: 'threshold', type: 'float32', default: 0.6 }],
          outputs: [{ name: 'video_out', type: 'media', description: 'Annotated video' }],
        }],
      },
    },
  };
}

/** A camera package: one system asset, which the device provides, and neither a name nor a version. */
export function cameraPackage(): PackageShape {
  return {
    folderName: '210987654321-LOBBY_CAMERA-1.0',
    files: [],
    manifest: {
      nodePackage: {
        envelopeVersion: ENVELOPE,
        description: 'Network camera source',
        assets: [{ name: 'lobby_camera', implementations: [{ type: 'system', assetUri: 'source/video/camera/rtsp/source_rtsp' }] }],
        interfaces: [{
          name: 'interface',
          category: 'media_source',
          asset: 'lobby_camera',
          inputs: [
            { name: 'username', type: 'string', default: 'viewer', description: 'Camera user' },
            { name: 'streamUrl', type: 'string', default: 'rtsp://192.0.2.10:554/stream1' },
          ],
          outputs: [{ name: 'video_out', type: 'media', description: 'Video stream output' }],
        }],
      },
    },
  };
}

/**
 * A package of two models whose folder and manifest disagree on the name: the folder says
 * `crowd_models`, the manifest `crowd_model_v1` (panorama-cli and the graph use the folder's).
 */
export function misnamedModelsPackage(): PackageShape {
  const models = ['people detector weights', 'pose estimator weights'].map((c) => named(c, 'tar.gz'));
  const descriptors = [JSON.stringify(modelDescriptor()), JSON.stringify(modelDescriptor({ framework: 'PYTORCH', frameworkVersion: '1.8', precisionMode: 'FP16' }))].map((c) => named(c, 'json'));
  return {
    folderName: '210987654321-crowd_models-1.0',
    files: [...models, ...descriptors],
    manifest: {
      nodePackage: {
        envelopeVersion: ENVELOPE,
        name: 'crowd_model_v1',
        version: '2.3',
        assets: [
          { name: 'people_detection_model', implementations: [{ type: 'model', assetUri: models[0].name, descriptorUri: descriptors[0].name }] },
          { name: 'pose_estimation_model', description: 'Keypoints', implementations: [{ type: 'model', assetUri: models[1].name, descriptorUri: descriptors[1].name }] },
        ],
        interfaces: [
          { name: 'people_interface', category: 'ml_model', asset: 'people_detection_model', inputs: [{ name: 'video_in', type: 'media' }], outputs: [{ name: 'video_out', type: 'media' }] },
          { name: 'pose_interface', category: 'ml_model', asset: 'pose_estimation_model', inputs: [{ name: 'video_in', type: 'media' }], outputs: [{ name: 'video_out', type: 'media' }] },
        ],
      },
    },
  };
}

/**
 * A package as it is kept in source control before panorama-cli builds it: `assets` is empty while
 * its interface names the asset that `build-container` (code) or `add-raw-model` (model) will add.
 */
export function unbuiltPackage(kind: 'code' | 'model'): PackageShape {
  const asset = kind === 'code' ? 'code_asset' : 'model_asset';
  return {
    folderName: `210987654321-${kind === 'code' ? 'COUNTER_CODE' : 'COUNTER_MODEL'}-1.0`,
    files: [],
    manifest: {
      nodePackage: {
        envelopeVersion: ENVELOPE,
        name: kind === 'code' ? 'COUNTER_CODE' : 'COUNTER_MODEL',
        version: '1.0',
        description: `Default description for package ${asset}`,
        assets: [],
        interfaces: [{
          name: 'interface',
          category: kind === 'code' ? 'business_logic' : 'ml_model',
          asset,
          inputs: [{ name: 'video_in', type: 'media' }],
          outputs: [{ name: 'video_out', type: 'media' }],
        }],
      },
    },
  };
}
