/**
 * panorama-cli application projects for the tests, in the shapes AWS's published samples take
 * (written for these tests from what the samples show, none a copy of one): a single code node with
 * an inbound port; a camera feeding code that feeds the HDMI display, with a model package beside
 * it; parameter nodes of every type; routing rules and decorators; overrides that replace the
 * abstract camera with real ones.
 *
 * A project is `graphs/<name>/graph.json`, `packages/<account>-<name>-<version>/package.json` and
 * `assets/` holding the files the manifests name (by their sha256, as panorama-cli names them).
 */
import * as fs from 'fs';
import * as path from 'path';
import { codePackageManifest, modelDescriptor, modelPackageManifest, PortJson, runtimeDescriptor } from './node-packages';
import { FixtureFile, fixtureFolder, ManifestJson, sha256 } from './package-fixture';
import { PackageShape } from './real-shapes';

/** The account the sample projects were written in; panorama-cli would rewrite it to yours. */
export const SAMPLE_ACCOUNT = '210987654321';
export const CAMERA = 'panorama::abstract_rtsp_media_source';
export const DISPLAY = 'panorama::hdmi_data_sink';

const ENVELOPE = '2021-01-01';

function named(content: string, extension: string): FixtureFile {
  return { name: `${sha256(content)}.${extension}`, content };
}

/** What a code package fixture may change. */
export interface CodePackageOptions {
  readonly interfaceName?: string;
  readonly inputs?: PortJson[];
  readonly outputs?: PortJson[];
  readonly version?: string;
  /** The account in the folder's name. */
  readonly account?: string;
  /** Changes the container's bytes. */
  readonly revision?: string;
}

/** A built code package: a container asset with its runtime descriptor, and one business_logic interface. */
export function codePackage(name: string, options: CodePackageOptions = {}): PackageShape {
  const container = named(`container of ${name} ${options.revision ?? ''}`, 'tar.gz');
  const descriptor = named(JSON.stringify(runtimeDescriptor()), 'json');
  const version = options.version ?? '1.0';
  return {
    folderName: `${options.account ?? SAMPLE_ACCOUNT}-${name}-${version}`,
    files: [container, descriptor],
    manifest: codePackageManifest({
      name,
      version,
      description: `Code of ${name}`,
      assetUri: container.name,
      descriptorUri: descriptor.name,
      interfaceName: options.interfaceName,
      inputs: options.inputs,
      outputs: options.outputs,
    }),
  };
}

/** A model package: one model asset per interface name (`<interface>_asset`), one descriptor for all. */
export function modelPackage(name: string, options: { interfaces?: string[]; version?: string; weights?: string } = {}): PackageShape {
  const interfaces = options.interfaces ?? ['interface'];
  const descriptor = named(JSON.stringify(modelDescriptor()), 'json');
  const models = interfaces.map((itf) => named(`${name} ${itf} weights ${options.weights ?? 'v1'}`, 'tar.gz'));
  const version = options.version ?? '1.0';
  return {
    folderName: `${SAMPLE_ACCOUNT}-${name}-${version}`,
    files: [...models, descriptor],
    manifest: modelPackageManifest({
      name,
      version,
      models: interfaces.map((itf, i) => ({ interfaceName: itf, assetName: `${itf}_asset`, assetUri: models[i].name })),
      descriptorUri: descriptor.name,
    }),
  };
}

/** A graph.json document; `nodeGraph` is filled in around the parts given. */
export function graphDocument(parts: { packages: object[]; nodes: object[]; edges?: object[]; networkRoutingRules?: object[] }): ManifestJson {
  return { nodeGraph: { envelopeVersion: ENVELOPE, ...parts } };
}

/** `<SAMPLE_ACCOUNT>::<name>` at version 1.0, as a packages[] entry. */
export function listed(name: string, version = '1.0'): object {
  return { name: name.includes('::') ? name : `${SAMPLE_ACCOUNT}::${name}`, version };
}

/** Inbound network sample's shape: one code node that listens on a port, nothing else. */
export function singleCodeNodeProject(): { packages: PackageShape[]; graph: ManifestJson } {
  return {
    packages: [codePackage('inbound_code', { interfaceName: 'code_interface' })],
    graph: graphDocument({
      packages: [listed('inbound_code')],
      nodes: [{ name: 'code_node', interface: `${SAMPLE_ACCOUNT}::inbound_code.code_interface`, overridable: false, launch: 'onAppStart' }],
      edges: [],
    }),
  };
}

/** People counter's shape: camera -> code -> HDMI, a model node beside the code, a float32 threshold with a decorator. */
export function cameraCodeDisplayProject(): { packages: PackageShape[]; graph: ManifestJson } {
  return {
    packages: [
      codePackage('COUNTER_CODE', { inputs: [{ name: 'video_in', type: 'media' }, { name: 'threshold', type: 'float32' }] }),
      modelPackage('COUNTER_MODEL'),
    ],
    graph: graphDocument({
      packages: [listed('COUNTER_CODE'), listed('COUNTER_MODEL'), listed(DISPLAY), listed(CAMERA)],
      nodes: [
        { name: 'code_node', interface: `${SAMPLE_ACCOUNT}::COUNTER_CODE.interface` },
        { name: 'model_node', interface: `${SAMPLE_ACCOUNT}::COUNTER_MODEL.interface` },
        { name: 'output_node', interface: `${DISPLAY}.hdmi0` },
        {
          name: 'camera_node',
          interface: `${CAMERA}.rtsp_v1_interface`,
          overridable: true,
          overrideMandatory: true,
          launch: 'onAppStart',
          decorator: { title: 'Camera', description: 'Choose a camera stream.' },
        },
        { name: 'detection_threshold', interface: 'float32', value: 60.0, overridable: true, decorator: { title: 'Threshold', description: 'Minimum confidence, in percent.' } },
      ],
      edges: [
        { producer: 'camera_node.video_out', consumer: 'code_node.video_in' },
        { producer: 'code_node.video_out', consumer: 'output_node.video_in' },
        { producer: 'detection_threshold', consumer: 'code_node.threshold' },
      ],
    }),
  };
}

/** Tracking sample's shape: parameter nodes of every type, each feeding a code input of its type. */
export function parametersProject(): { packages: PackageShape[]; graph: ManifestJson } {
  const parameters = [
    { name: 'target_fps', interface: 'int32', value: 5 },
    { name: 'nms', interface: 'float32', value: 0.45 },
    { name: 'bucket_name', interface: 'string', value: '##BUCKET_NAME##' },
    { name: 'draw_boxes', interface: 'boolean', value: true, overridable: true },
  ];
  return {
    packages: [codePackage('TRACKER_CODE', { inputs: [{ name: 'video_in', type: 'media' }, ...parameters.map((p) => ({ name: p.name, type: p.interface }))] })],
    graph: graphDocument({
      packages: [listed('TRACKER_CODE'), listed(CAMERA)],
      nodes: [
        { name: 'camera_node', interface: `${CAMERA}.rtsp_v1_interface` },
        { name: 'code_node', interface: `${SAMPLE_ACCOUNT}::TRACKER_CODE.interface` },
        ...parameters,
      ],
      edges: [
        { producer: 'camera_node.video_out', consumer: 'code_node.video_in' },
        ...parameters.map((p) => ({ producer: p.name, consumer: `code_node.${p.name}` })),
      ],
    }),
  };
}

/** Debug server's shape: an inbound port routed to the code node, with a decorator, and string parameters. */
export function inboundNetworkProject(): { packages: PackageShape[]; graph: ManifestJson } {
  return {
    packages: [
      codePackage('DEBUG_SERVER', { inputs: [{ name: 'video_in', type: 'media' }, { name: 'region', type: 'string' }, { name: 'device_ip', type: 'string' }] }),
      modelPackage('SQUEEZENET'),
    ],
    graph: graphDocument({
      packages: [listed('DEBUG_SERVER'), listed('SQUEEZENET'), listed(CAMERA), listed(DISPLAY)],
      nodes: [
        { name: 'code_node', interface: `${SAMPLE_ACCOUNT}::DEBUG_SERVER.interface` },
        { name: 'model_node', interface: `${SAMPLE_ACCOUNT}::SQUEEZENET.interface` },
        { name: 'camera_node', interface: `${CAMERA}.rtsp_v1_interface`, overridable: true, overrideMandatory: true, decorator: { title: 'IP camera', description: 'Choose a camera stream.' } },
        { name: 'output_node', interface: `${DISPLAY}.hdmi0` },
        { name: 'region', interface: 'string', value: 'us-east-1', overridable: true, decorator: { title: 'Region', description: 'Region for the SDK.' } },
        { name: 'device_ip', interface: 'string', value: '0.0.0.0', overridable: true },
      ],
      edges: [
        { producer: 'camera_node.video_out', consumer: 'code_node.video_in' },
        { producer: 'code_node.video_out', consumer: 'output_node.video_in' },
        { producer: 'region', consumer: 'code_node.region' },
        { producer: 'device_ip', consumer: 'code_node.device_ip' },
      ],
      networkRoutingRules: [{ node: 'code_node', containerPort: 80, hostPort: 8080, decorator: { title: 'Listener port 8080', description: 'Debug server.' } }],
    }),
  };
}

/** Overrides in the samples' shape: two cameras made from templates replace the abstract one, and a parameter is overridden. */
export function twoCameraOverrides(): ManifestJson {
  return {
    nodeGraphOverrides: {
      envelopeVersion: ENVELOPE,
      packages: [listed('LOBBY_CAMERA'), listed('DOOR_CAMERA')],
      nodes: [
        { name: 'lobby_camera', interface: `${SAMPLE_ACCOUNT}::LOBBY_CAMERA.LOBBY_CAMERA`, launch: 'onAppStart' },
        { name: 'door_camera', interface: `${SAMPLE_ACCOUNT}::DOOR_CAMERA.DOOR_CAMERA`, launch: 'onSignal' },
        { name: 'threshold_override', interface: 'float32', value: 75.5 },
      ],
      nodeOverrides: [
        { replace: 'camera_node', with: [{ name: 'lobby_camera' }, { name: 'door_camera' }] },
        { replace: 'detection_threshold', with: [{ name: 'threshold_override' }] },
      ],
    },
  };
}

/** Where a written project is. */
export interface ApplicationFixture {
  readonly projectDir: string;
  readonly graphPath: string;
  readonly assetsDir: string;
  /** The folder of one of its packages, by its folder name. */
  packageDir(folderName: string): string;
}

/**
 * Writes a project. `graph` may be raw text (for broken JSON); `files` are written relative to the
 * project (e.g. `graphs/x/override.json`).
 */
export function writeApplication(options: {
  packages: PackageShape[];
  graph: ManifestJson | string;
  graphName?: string;
  files?: Record<string, ManifestJson | string>;
  root?: string;
}): ApplicationFixture {
  const projectDir = fixtureFolder('panorama-project-', options.root);
  const assetsDir = path.join(projectDir, 'assets');
  fs.mkdirSync(assetsDir, { recursive: true });
  for (const pkg of options.packages) {
    const dir = path.join(projectDir, 'packages', pkg.folderName);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg.manifest, null, 4));
    for (const file of pkg.files) fs.writeFileSync(path.join(assetsDir, file.name), file.content);
  }
  const graphName = options.graphName ?? 'lobby_app';
  const files: Record<string, ManifestJson | string> = { [`graphs/${graphName}/graph.json`]: options.graph, ...options.files };
  for (const [relative, content] of Object.entries(files)) {
    const file = path.join(projectDir, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 4));
  }
  return {
    projectDir,
    graphPath: path.join(projectDir, 'graphs', graphName, 'graph.json'),
    assetsDir,
    packageDir: (folderName) => path.join(projectDir, 'packages', folderName),
  };
}
