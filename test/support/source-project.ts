/**
 * A people_counter-shaped project in source form, as real projects are kept in git (written for
 * these tests, none a copy of a sample): a code package with a Dockerfile that COPYs `src/` and
 * RUNs a command, and a model package whose manifest is unbuilt, beside a downloaded model archive.
 * Both manifests have `assets: []`: panorama-cli, or the library at synth, builds them.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { CAMERA, DISPLAY, graphDocument, listed, SAMPLE_ACCOUNT } from './application-fixture';
import { modelDescriptor, runtimeDescriptor } from './node-packages';
import { fixtureFolder } from './package-fixture';

export const CODE_PACKAGE = 'PEOPLE_COUNTER_CODE';
export const MODEL_PACKAGE = 'SSD_MODEL';
/** The base image a real Panorama Dockerfile starts from; the tests tag a local stand-in with it. */
export const BASE_IMAGE = 'public.ecr.aws/panorama/panorama-application';

const ENVELOPE = '2021-01-01';

/** Where a written source project is. */
export interface SourceProject {
  readonly projectDir: string;
  readonly codeDir: string;
  readonly modelDir: string;
  /** The downloaded model archive, outside the package folders (as the samples' notebooks leave it). */
  readonly modelFile: string;
  readonly appPy: string;
}

function unbuiltManifest(name: string, itf: object): object {
  return { nodePackage: { envelopeVersion: ENVELOPE, name, version: '1.0', description: `${name} in source form`, assets: [], interfaces: [itf] } };
}

/** The code package folder alone: manifest, Dockerfile, descriptor, src/app.py. */
export function writeCodeFolder(dir: string, options: { dockerfile?: string; appLine?: string } = {}): void {
  fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(unbuiltManifest(CODE_PACKAGE, {
    name: 'interface',
    category: 'business_logic',
    asset: 'code_asset',
    inputs: [{ name: 'video_in', type: 'media' }, { name: 'threshold', type: 'float32' }],
    outputs: [{ name: 'video_out', type: 'media' }],
  }), null, 4));
  fs.writeFileSync(path.join(dir, 'descriptor.json'), JSON.stringify(runtimeDescriptor('/panorama/app.py'), null, 4));
  fs.writeFileSync(path.join(dir, 'Dockerfile'), options.dockerfile ?? [
    `FROM ${BASE_IMAGE}`,
    'COPY src /panorama',
    'RUN mkdir -p /opt/counter && echo counted > /opt/counter/marker',
    '',
  ].join('\n'));
  fs.writeFileSync(path.join(dir, 'src', 'app.py'), ['import panoramasdk', '', options.appLine ?? 'THRESHOLD = 0.5', ''].join('\n'));
}

/** Writes the project under `root` (by default the OS's temporary folder). */
export function writeSourceProject(root?: string): SourceProject {
  const projectDir = fixtureFolder('panorama-source-', root);
  const codeDir = path.join(projectDir, 'packages', `${SAMPLE_ACCOUNT}-${CODE_PACKAGE}-1.0`);
  const modelDir = path.join(projectDir, 'packages', `${SAMPLE_ACCOUNT}-${MODEL_PACKAGE}-1.0`);
  writeCodeFolder(codeDir);
  fs.mkdirSync(modelDir, { recursive: true });
  fs.writeFileSync(path.join(modelDir, 'package.json'), JSON.stringify(unbuiltManifest(MODEL_PACKAGE, {
    name: 'interface',
    category: 'ml_model',
    asset: 'model_asset',
    inputs: [{ name: 'video_in', type: 'media' }],
    outputs: [{ name: 'video_out', type: 'media' }],
  }), null, 4));
  const descriptor = modelDescriptor() as any;
  descriptor.mlModelDescriptor.framework = 'MXNET';
  descriptor.mlModelDescriptor.inputs = [{ name: 'data', shape: [1, 3, 512, 512] }];
  fs.writeFileSync(path.join(modelDir, 'descriptor.json'), JSON.stringify(descriptor, null, 4));
  fs.mkdirSync(path.join(projectDir, 'assets'), { recursive: true });
  const modelFile = path.join(projectDir, 'ssd_512_resnet50_v1_voc.tar.gz');
  fs.writeFileSync(modelFile, zlib.gzipSync(Buffer.from('ssd_512_resnet50_v1_voc-symbol.json and params, as downloaded\n')));
  const graph = graphDocument({
    packages: [listed(CODE_PACKAGE), listed(MODEL_PACKAGE), listed(CAMERA), listed(DISPLAY)],
    nodes: [
      { name: 'camera_node', interface: `${CAMERA}.rtsp_v1_interface`, overridable: true, launch: 'onAppStart' },
      { name: 'code_node', interface: `${SAMPLE_ACCOUNT}::${CODE_PACKAGE}.interface` },
      { name: 'model_node', interface: `${SAMPLE_ACCOUNT}::${MODEL_PACKAGE}.interface` },
      { name: 'output_node', interface: `${DISPLAY}.hdmi0` },
      { name: 'detection_threshold', interface: 'float32', value: 0.5, overridable: true },
    ],
    edges: [
      { producer: 'camera_node.video_out', consumer: 'code_node.video_in' },
      { producer: 'code_node.video_out', consumer: 'output_node.video_in' },
      { producer: 'detection_threshold', consumer: 'code_node.threshold' },
    ],
  });
  const graphFile = path.join(projectDir, 'graphs', 'people_counter', 'graph.json');
  fs.mkdirSync(path.dirname(graphFile), { recursive: true });
  fs.writeFileSync(graphFile, JSON.stringify(graph, null, 4));
  return { projectDir, codeDir, modelDir, modelFile, appPy: path.join(codeDir, 'src', 'app.py') };
}

/**
 * A stand-in engine on PATH (`CDK_DOCKER=<name>`), as aws-cdk's staging tests use: records each
 * command line in a log, exports the files of `root` as a container's file system, and fails a
 * command named in `FAKE_ENGINE_FAIL` with some output.
 */
export function writeFakeEngine(dir: string, name = 'fake-engine'): { name: string; log: string; root: string } {
  const log = path.join(dir, 'engine.log');
  const root = path.join(dir, 'rootfs');
  fs.mkdirSync(path.join(root, 'panorama'), { recursive: true });
  fs.writeFileSync(path.join(root, 'panorama', 'app.py'), 'print("counted")\n');
  const script = [
    '#!/bin/sh',
    `echo "$*" >> '${log}'`,
    'if [ "$1" = "$FAKE_ENGINE_FAIL" ]; then',
    '  i=1; while [ $i -le 30 ]; do echo "step $i of the build"; i=$((i+1)); done',
    '  echo "Error: base image not found" >&2; exit 125',
    'fi',
    'case "$1" in',
    '  create) echo 0123456789abcdef ;;',
    `  export) tar cf "$3" -C '${root}' . ;;`,
    'esac',
    '',
  ].join('\n');
  fs.writeFileSync(path.join(dir, name), script, { mode: 0o755 });
  return { name, log, root };
}
