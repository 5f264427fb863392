/**
 * Writes a small but realistic Panorama application, laid out as aws-panorama-cli makes it:
 * a model package (SqueezeNet) and a code package (a people counter), their descriptors, and the
 * assets they name, each named by the sha256 of its bytes, in the application's `assets/` folder;
 * and its graph (`graphs/people_counter/graph.json`), which `PanoramaApplication` deploys.
 * Generated rather than committed, so the demo can change the model's bytes for an update.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { gzipSync } from 'zlib';

export const ACCOUNT = '123456789012';
export const MODEL_PACKAGE = 'SQUEEZENET_PYTORCH';
export const CODE_PACKAGE = 'PEOPLE_COUNTER_CODE';

/** The graph folder (`graphs/<name>/graph.json`) of the generated application. */
export const GRAPH_NAME = 'people_counter';

/** Where the generated project's packages and graph are (the project `PanoramaApplication` deploys). */
export interface ExampleProject {
  readonly root: string;
  readonly modelPackageDir: string;
  readonly codePackageDir: string;
  /** `graphs/people_counter/graph.json`: camera -> code -> HDMI display, the model beside the code. */
  readonly graphPath: string;
}

function sha256(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A ustar archive of the given files, gzipped: what the CLI exports for models and containers. */
export function tarGz(files: Record<string, string | Buffer>): Buffer {
  const blocks: Buffer[] = [];
  for (const [name, content] of Object.entries(files)) {
    const body = Buffer.from(content);
    const header = Buffer.alloc(512);
    header.write(name, 0, 100);
    header.write('0000644\0', 100);
    header.write('0000000\0', 108);
    header.write('0000000\0', 116);
    header.write(body.length.toString(8).padStart(11, '0') + '\0', 124);
    header.write('00000000000\0', 136); // mtime 0: the same bytes on every run
    header.write('        ', 148);
    header.write('0', 156);
    header.write('ustar\0' + '00', 257);
    const checksum = header.reduce((sum, byte) => sum + byte, 0);
    header.write(checksum.toString(8).padStart(6, '0') + '\0 ', 148);
    blocks.push(header, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks), { level: 9 });
}

function writeAsset(assetsDir: string, bytes: Buffer, extension: string): string {
  const name = `${sha256(bytes)}${extension}`;
  fs.writeFileSync(path.join(assetsDir, name), bytes);
  return name;
}

function writeManifest(dir: string, nodePackage: object): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ nodePackage }, null, 4) + '\n');
}

/** Where the packages of an application written under `root` are. */
export function panoramaApplicationAt(root: string): ExampleProject {
  return {
    root,
    modelPackageDir: path.join(root, 'packages', `${ACCOUNT}-${MODEL_PACKAGE}-1.0`),
    codePackageDir: path.join(root, 'packages', `${ACCOUNT}-${CODE_PACKAGE}-1.0`),
    graphPath: path.join(root, 'graphs', GRAPH_NAME, 'graph.json'),
  };
}

/**
 * Writes the application under `root` (again: a new revision replaces the manifests).
 * `modelRevision` changes the model's weights, and so its asset name, its manifest and the patch
 * version an import of it gets.
 */
export function writePanoramaApplication(root: string, options: { modelRevision?: number } = {}): ExampleProject {
  const assetsDir = path.join(root, 'assets');
  fs.mkdirSync(assetsDir, { recursive: true });

  const weights = Buffer.from(`squeezenet1_0 weights, revision ${options.modelRevision ?? 1}\n`.repeat(64));
  const modelAsset = writeAsset(assetsDir, tarGz({ 'squeezenet.pth': weights }), '.tar.gz');
  const modelDescriptor = writeAsset(assetsDir, Buffer.from(JSON.stringify({
    mlModelDescriptor: { envelopeVersion: '2021-01-01', framework: 'PYTORCH', frameworkVersion: '1.8', precisionMode: 'FP16', inputs: [{ name: 'data', shape: [1, 3, 224, 224] }] },
  })), '.json');
  const { modelPackageDir, codePackageDir, graphPath } = panoramaApplicationAt(root);
  writeManifest(modelPackageDir, {
    envelopeVersion: '2021-01-01',
    name: MODEL_PACKAGE,
    version: '1.0',
    description: 'Compact classification model',
    assets: [{ name: 'model_asset', implementations: [{ type: 'model', assetUri: modelAsset, descriptorUri: modelDescriptor }] }],
    interfaces: [{
      name: 'interface',
      category: 'ml_model',
      asset: 'model_asset',
      inputs: [{ name: 'video_in', type: 'media', description: 'Video stream input' }],
      outputs: [{ name: 'video_out', type: 'media', description: 'Video stream output' }],
    }],
  });

  const application = 'import panoramasdk\n\nclass PeopleCounter(panoramasdk.node):\n    def run(self):\n        pass\n';
  const codeAsset = writeAsset(assetsDir, tarGz({ 'panorama/application.py': application }), '.tar.gz');
  writeManifest(codePackageDir, {
    envelopeVersion: '2021-01-01',
    name: CODE_PACKAGE,
    version: '1.0',
    description: 'Counts people in each frame',
    // The descriptor lies beside the manifest, as the CLI leaves it: the construct looks there too.
    assets: [{ name: 'code_asset', implementations: [{ type: 'container', assetUri: codeAsset, descriptorUri: 'descriptor.json' }] }],
    interfaces: [{
      name: 'interface',
      category: 'business_logic',
      asset: 'code_asset',
      inputs: [{ name: 'video_in', type: 'media' }, { name: 'threshold', type: 'float32', default: 0.6 }],
      outputs: [{ name: 'video_out', type: 'media' }],
    }],
  });
  fs.writeFileSync(path.join(codePackageDir, 'descriptor.json'), JSON.stringify({
    runtimeDescriptor: { envelopeVersion: '2021-01-01', entry: { path: 'python3', name: '/panorama/application.py' } },
  }, null, 4) + '\n');

  // The application manifest, as the samples write it: in the sample's account, which the
  // application construct replaces with the deploying one.
  fs.mkdirSync(path.dirname(graphPath), { recursive: true });
  fs.writeFileSync(graphPath, JSON.stringify({
    nodeGraph: {
      envelopeVersion: '2021-01-01',
      packages: [
        { name: `${ACCOUNT}::${CODE_PACKAGE}`, version: '1.0' },
        { name: `${ACCOUNT}::${MODEL_PACKAGE}`, version: '1.0' },
        { name: 'panorama::abstract_rtsp_media_source', version: '1.0' },
        { name: 'panorama::hdmi_data_sink', version: '1.0' },
      ],
      nodes: [
        { name: 'code_node', interface: `${ACCOUNT}::${CODE_PACKAGE}.interface` },
        { name: 'model_node', interface: `${ACCOUNT}::${MODEL_PACKAGE}.interface` },
        { name: 'camera_node', interface: 'panorama::abstract_rtsp_media_source.rtsp_v1_interface', overridable: true, decorator: { title: 'Camera', description: 'Choose a camera stream.' } },
        { name: 'output_node', interface: 'panorama::hdmi_data_sink.hdmi0' },
        { name: 'threshold', interface: 'float32', value: 0.6, overridable: true, decorator: { title: 'Threshold', description: 'Minimum confidence.' } },
      ],
      edges: [
        { producer: 'camera_node.video_out', consumer: 'code_node.video_in' },
        { producer: 'code_node.video_out', consumer: 'output_node.video_in' },
        { producer: 'threshold', consumer: 'code_node.threshold' },
      ],
    },
  }, null, 4) + '\n');
  return { root, modelPackageDir, codePackageDir, graphPath };
}
