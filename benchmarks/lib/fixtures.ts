/**
 * Package folders for the bench, laid out as aws-panorama-cli makes them. Small packages reuse the
 * tests' fixture; the large model is written here with real pseudo-random bytes (not sparse), so
 * hashing and copying it costs what a real model would.
 */
import { createHash, randomFillSync } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import {
  CAMERA, DISPLAY, graphDocument, listed, modelPackage as applicationModelPackage, SAMPLE_ACCOUNT, writeApplication, ApplicationFixture,
} from '../../test/support/application-fixture';
import { modelPackage, PackageFixture, writePackageFixture } from '../../test/support/package-fixture';

/** `count` small model packages (≈ 100 bytes of model each), named BenchPkg0, BenchPkg1, … */
export function writeSmallPackages(root: string, count: number): PackageFixture[] {
  fs.mkdirSync(root, { recursive: true });
  return Array.from({ length: count }, (_, i) => writePackageFixture({
    root,
    ...modelPackage({ name: `BenchPkg${i}`, modelBytes: `bench model ${i} `.repeat(6) }),
  }));
}

/** A package whose model file holds `bytes` pseudo-random bytes; the file is named by its sha256, as the CLI does. */
export function writeLargeModelPackage(root: string, name: string, bytes: number): PackageFixture & { modelPath: string } {
  fs.mkdirSync(root, { recursive: true });
  const descriptor = JSON.stringify({ mlModelDescriptor: { envelopeVersion: '2021-01-01', framework: 'PYTORCH', frameworkVersion: '1.8', precisionMode: 'FP16', inputs: [{ name: 'data', shape: [1, 3, 224, 224] }] } });
  const descriptorName = `${createHash('sha256').update(descriptor).digest('hex')}.json`;
  const fixture = writePackageFixture({ root, manifest: {}, files: [{ name: descriptorName, content: descriptor }] });

  // OpenSSL's generator fills 8 MiB blocks at well over 1 GB/s; each block is new bytes.
  const temporary = path.join(fixture.assetsDir, 'model.partial');
  const hash = createHash('sha256');
  const block = Buffer.alloc(8 * 1024 ** 2);
  const fd = fs.openSync(temporary, 'w');
  try {
    for (let written = 0; written < bytes;) {
      const length = Math.min(block.length, bytes - written);
      randomFillSync(block, 0, length);
      const chunk = block.subarray(0, length);
      hash.update(chunk);
      fs.writeSync(fd, chunk);
      written += length;
    }
  } finally {
    fs.closeSync(fd);
  }
  const modelName = `${hash.digest('hex')}.tar.gz`;
  const modelPath = path.join(fixture.assetsDir, modelName);
  fs.renameSync(temporary, modelPath);

  const manifest = {
    nodePackage: {
      envelopeVersion: '2021-01-01',
      name,
      version: '1.0',
      description: `Model package with a ${bytes}-byte model`,
      assets: [{ name: 'model_asset', implementations: [{ type: 'model', assetUri: modelName, descriptorUri: descriptorName }] }],
      interfaces: [{ name: 'interface', category: 'ml_model', asset: 'model_asset', inputs: [{ name: 'video_in', type: 'media' }], outputs: [{ name: 'video_out', type: 'media' }] }],
    },
  };
  fs.writeFileSync(fixture.manifestPath, JSON.stringify(manifest, null, 2));
  // The folder the CLI would name after the package; writePackageFixture named it for an empty manifest.
  const packageDir = path.join(path.dirname(fixture.packageDir), `123456789012-${name}-1.0`);
  fs.renameSync(fixture.packageDir, packageDir);
  return { ...fixture, packageDir, manifestPath: path.join(packageDir, 'package.json'), modelPath };
}

/**
 * A panorama-cli project of `count` small model packages (BenchApp0, BenchApp1, …), whose graph
 * chains them between AWS's camera and display: camera -> BenchApp0 -> … -> display.
 * `firstModelRevision` gives BenchApp0 other weights (a new patch).
 */
export function writeApplicationProject(
  root: string, count: number, options: { firstModelRevision?: string } = {},
): ApplicationFixture & { packageDirs: string[] } {
  fs.mkdirSync(root, { recursive: true });
  const names = Array.from({ length: count }, (_, i) => `BenchApp${i}`);
  // A revision of the first model changes its bytes (a new patch), as new weights would.
  const weights = (i: number) => `bench model ${i} `.repeat(6) + (i === 0 && options.firstModelRevision ? options.firstModelRevision : '');
  const packages = names.map((name, i) => applicationModelPackage(name, { weights: weights(i) }));
  const nodes = ['camera_node', ...names.map((n) => `${n}_node`), 'output_node'];
  const fixture = writeApplication({
    root,
    packages,
    graph: graphDocument({
      packages: [...names.map((n) => listed(n)), listed(CAMERA), listed(DISPLAY)],
      nodes: [
        { name: 'camera_node', interface: `${CAMERA}.rtsp_v1_interface`, overridable: true, decorator: { title: 'Camera', description: 'The camera to read' } },
        ...names.map((n) => ({ name: `${n}_node`, interface: `${SAMPLE_ACCOUNT}::${n}.interface` })),
        { name: 'output_node', interface: `${DISPLAY}.hdmi0` },
      ],
      edges: nodes.slice(1).map((consumer, i) => ({ producer: `${nodes[i]}.video_out`, consumer: `${consumer}.video_in` })),
    }),
  });
  return { ...fixture, packageDirs: packages.map((p) => fixture.packageDir(p.folderName)) };
}
