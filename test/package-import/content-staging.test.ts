/**
 * Content-addressed staging: every file an import stages is named by the sha256 of its bytes, as
 * panorama-cli names them, and the staged manifest names them so. A changed byte is a changed
 * manifest, so a new patch version (the service's patch is the digest of the manifest).
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3_assets from 'aws-cdk-lib/aws-s3-assets';
import { PackageSource, PanoramaPackageImport } from '../../src';
import { contentName } from '../../src/package-import/content-names';
import { fileDigest } from '../../src/package-import/file-digest';
import { fixtureFolder, modelPackage, removeFixtures, writeModelPackage, writePackageFixture } from '../support/package-fixture';
import { newStack, onlyResource } from '../support/stacks';

const IMPORT = 'Custom::PanoramaPackageImport';
const sha256 = (bytes: string | Buffer) => createHash('sha256').update(bytes).digest('hex');

afterAll(removeFixtures);

/** A model package whose manifest names its files model.tar.gz and descriptor.json, with these bytes. */
function namedPackage(model: string | Buffer, descriptor = modelPackage().files[1].content as string) {
  const { manifest } = modelPackage();
  const implementation = (manifest.nodePackage as any).assets[0].implementations[0];
  implementation.assetUri = 'model.tar.gz';
  implementation.descriptorUri = 'descriptor.json';
  return writePackageFixture({ manifest, files: [{ name: 'model.tar.gz', content: model }, { name: 'descriptor.json', content: descriptor }] });
}

/** Synthesizes one import of the folder; returns every staged file's name and bytes, the manifest first. */
function staged(packageDir: string): Array<{ name: string; bytes: Buffer; assetHash: string }> {
  const stack = newStack();
  const imported = new PanoramaPackageImport(stack, 'Model', { source: PackageSource.fromDirectory(packageDir) });
  const assembly = (stack.node.root as App).synth();
  const assets = imported.node.findAll().filter((c): c is s3_assets.Asset => c instanceof s3_assets.Asset);
  const names: string[] = onlyResource(Template.fromStack(stack), IMPORT).Properties.Source.Files.map((f: any) => f.Name);
  expect(assets).toHaveLength(names.length);
  return names.map((name, i) => ({
    name, bytes: fs.readFileSync(path.join(assembly.directory, assets[i].assetPath)), assetHash: assets[i].assetHash,
  }));
}

function stagedManifest(packageDir: string): any {
  return JSON.parse(staged(packageDir)[0].bytes.toString('utf-8'));
}

describe('staged names', () => {
  test('a file named by hand is staged under the sha256 of its bytes, keeping its extension', () => {
    // GIVEN a package whose manifest names model.tar.gz and descriptor.json
    const dir = namedPackage('weights A').packageDir;
    // WHEN it is synthesized
    const files = staged(dir);
    // THEN each is staged as <sha256 of its bytes><extension>
    expect(files.map((f) => f.name)).toEqual(['package.json', `${sha256('weights A')}.tar.gz`, `${sha256(modelPackage().files[1].content)}.json`]);
    expect(files[1].bytes.toString()).toBe('weights A');
  });

  test('the staged manifest names each file by its staged name', () => {
    // GIVEN a package whose manifest names model.tar.gz / WHEN synthesized
    const manifest = stagedManifest(namedPackage('weights A').packageDir);
    // THEN its implementation names the content names
    const implementation = manifest.nodePackage.assets[0].implementations[0];
    expect(implementation.assetUri).toBe(`${sha256('weights A')}.tar.gz`);
    expect(implementation.descriptorUri).toBe(`${sha256(modelPackage().files[1].content)}.json`);
  });

  test('a package built by panorama-cli is staged unchanged: the same manifest bytes, so the same patch', () => {
    // GIVEN a package whose files are already named by their digests (as panorama-cli builds them)
    const fixture = writeModelPackage();
    // WHEN synthesized
    const files = staged(fixture.packageDir);
    // THEN the manifest is staged byte for byte and the names are the manifest's own
    expect(files[0].bytes.equals(fs.readFileSync(fixture.manifestPath))).toBe(true);
    expect(files.slice(1).map((f) => f.name)).toEqual(modelPackage().files.map((f) => f.name));
  });

  test('a file whose digest name no longer matches its bytes is renamed to its real digest', () => {
    // GIVEN a panorama-cli package whose model was overwritten in place, under its old digest name
    const fixture = writeModelPackage({ modelBytes: 'weights v1' });
    const oldName = `${sha256('weights v1')}.tar.gz`;
    fs.writeFileSync(path.join(fixture.assetsDir, oldName), 'weights v2');
    // WHEN synthesized
    const manifest = stagedManifest(fixture.packageDir);
    // THEN the staged manifest names the new bytes' digest
    expect(manifest.nodePackage.assets[0].implementations[0].assetUri).toBe(`${sha256('weights v2')}.tar.gz`);
  });

  test('two names with the same bytes are staged once', () => {
    // GIVEN a package whose two implementations name different files with identical bytes
    const { manifest } = modelPackage();
    const asset = (manifest.nodePackage as any).assets[0];
    asset.implementations[0].assetUri = 'a.tar.gz';
    asset.implementations.push({ ...asset.implementations[0], assetUri: 'b.tar.gz' });
    const fixture = writePackageFixture({ manifest, files: [{ name: 'a.tar.gz', content: 'same' }, { name: 'b.tar.gz', content: 'same' }, modelPackage().files[1]] });
    // WHEN synthesized
    const files = staged(fixture.packageDir);
    // THEN one object holds both, and both implementations name it
    expect(files.filter((f) => f.name === `${sha256('same')}.tar.gz`)).toHaveLength(1);
    const uris = JSON.parse(files[0].bytes.toString()).nodePackage.assets[0].implementations.map((i: any) => i.assetUri);
    expect(uris).toEqual([`${sha256('same')}.tar.gz`, `${sha256('same')}.tar.gz`]);
  });

  test('each asset\'s CDK hash is the digest of its bytes', () => {
    // GIVEN a package / WHEN synthesized
    const files = staged(namedPackage('weights A').packageDir);
    // THEN the asset hash comes from the sha256 of the staged bytes (CDK hashes a custom hash once
    // more), so CDK does not fingerprint the file a second time
    for (const file of files) expect(file.assetHash).toBe(sha256(sha256(file.bytes)));
  });
});

describe('a changed byte under the same name', () => {
  test('changes the staged manifest, so the patch version', () => {
    // GIVEN the same package twice, the model's bytes differing under the same file name
    const before = staged(namedPackage('weights v1').packageDir)[0].bytes;
    const after = staged(namedPackage('weights v2').packageDir)[0].bytes;
    // THEN the staged manifests differ, so their digests (the patch the service gives) differ
    expect(sha256(after)).not.toBe(sha256(before));
  });

  test('of the descriptor changes the staged manifest too', () => {
    // GIVEN two descriptors that differ by one byte, under the same name
    const descriptor = (h: number) => JSON.stringify({ mlModelDescriptor: { envelopeVersion: '2021-01-01', framework: 'PYTORCH', inputs: [{ name: 'data', shape: [1, 3, h, 224] }] } });
    const before = staged(namedPackage('w', descriptor(224)).packageDir)[0].bytes;
    const after = staged(namedPackage('w', descriptor(225)).packageDir)[0].bytes;
    // THEN the staged manifests differ
    expect(sha256(after)).not.toBe(sha256(before));
  });

  test('the same bytes twice give the same staged manifest', () => {
    // GIVEN the same package in two folders / THEN the staged manifests are identical
    expect(staged(namedPackage('w').packageDir)[0].bytes.equals(staged(namedPackage('w').packageDir)[0].bytes)).toBe(true);
  });
});

describe('contentName', () => {
  const digest = sha256('x');
  test.each([
    ['model.tar.gz', 'asset', `${digest}.tar.gz`],
    ['models/resnet.onnx', 'asset', `${digest}.onnx`],
    ['container', 'asset', digest],
    ['descriptor.txt', 'descriptor', `${digest}.json`],
    [`${digest}.tar.gz`, 'asset', `${digest}.tar.gz`],
    [`${sha256('y')}.tar.gz`, 'asset', `${digest}.tar.gz`],
  ] as const)('%s (%s) is staged as %s', (uri, kind, expected) => {
    expect(contentName({ uri, kind, digest })).toBe(expected);
  });
});

describe('fileDigest', () => {
  test('is the sha256 of the whole file, read in chunks', () => {
    // GIVEN a file of several chunks and a few bytes
    const file = path.join(fixtureFolder('digest-'), 'big.bin');
    const bytes = Buffer.alloc(3 * 1024 * 1024 + 7, 0x5a);
    bytes[bytes.length - 1] = 1;
    fs.writeFileSync(file, bytes);
    // THEN its digest is the sha256 of all its bytes
    expect(fileDigest(file)).toBe(sha256(bytes));
  });
});

test('a file the manifest names package.json is staged under its content name, beside the staged manifest', () => {
  // GIVEN a manifest whose model is named package.json (the name the staged manifest takes)
  const { manifest, files } = modelPackage();
  (manifest.nodePackage as any).assets[0].implementations[0].assetUri = 'package.json';
  const fixture = writePackageFixture({ manifest, files: [{ name: 'package.json', content: 'weights' }, files[1]] });
  // WHEN synthesized
  const names = staged(fixture.packageDir).map((f) => f.name);
  // THEN the model is staged as <sha256>.json, and the manifest alone as package.json
  expect(names).toEqual(['package.json', `${sha256('weights')}.json`, files[1].name]);
});
