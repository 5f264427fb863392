import { manifestFor } from './harness';
import { checkDescriptor, checkManifest } from '../../emulator/manifest-check';
import { gpuCodePackage, runtimeDescriptorWithEvents } from '../support/real-shapes';

function manifestWith(change: (nodePackage: any) => void): string {
  const manifest = manifestFor({ name: 'model_pkg', version: '1.0' }) as any;
  change(manifest.nodePackage);
  return JSON.stringify(manifest);
}

function problemsOf(bytes: string): string[] {
  const result = checkManifest(bytes);
  return result.ok ? [] : result.problems;
}

test('a valid manifest yields its name, version and the files to copy', () => {
  // GIVEN a model asset with a descriptor and a system asset
  const bytes = manifestWith((p) => p.assets.push({ name: 'camera', implementations: [{ type: 'system', assetUri: 'camera_node' }] }));
  // WHEN checked
  const result = checkManifest(bytes);
  // THEN the system asset is not among the files, and the descriptor is marked as one
  expect(result).toEqual({
    ok: true,
    manifest: {
      name: 'model_pkg',
      version: '1.0',
      files: [
        { uri: 'model.tar.gz', reference: 'nodePackage.assets[0].implementations[0].assetUri', kind: 'asset' },
        { uri: 'descriptor.json', reference: 'nodePackage.assets[0].implementations[0].descriptorUri', kind: 'descriptor' },
      ],
    },
  });
});

test('a manifest without name or version is valid, and says it has neither', () => {
  // GIVEN a manifest that leaves out the optional name and version
  const bytes = manifestWith((p) => { delete p.name; delete p.version; });
  // WHEN checked
  const result = checkManifest(bytes);
  // THEN it is valid, without a name or version of its own
  expect(result).toMatchObject({ ok: true, manifest: { name: undefined, version: undefined } });
});

test('a GPU code package with a hardware_access requirement is valid', () => {
  // GIVEN the shape of every GPU sample
  const { manifest } = gpuCodePackage();
  // WHEN checked / THEN valid
  expect(checkManifest(JSON.stringify(manifest)).ok).toBe(true);
});

test.each([
  ['a missing envelopeVersion', (p: any) => delete p.envelopeVersion, 'nodePackage.envelopeVersion: missing must be given'],
  ['no interfaces', (p: any) => delete p.interfaces, 'nodePackage.interfaces: missing must be given'],
  ['a bad name', (p: any) => (p.name = 'has space'), 'nodePackage.name: "has space" must match ^[a-z_A-Z0-9\\-]+$'],
  ['a bad version', (p: any) => (p.version = '1.0.0'), 'nodePackage.version: "1.0.0" must match ^[0-9]+\\.[0-9]+$'],
  ['an extra property', (p: any) => (p.author = 'me'), 'nodePackage.author: "author" is not a property the 2021-01-01 schema allows here'],
  ['an unknown implementation type', (p: any) => (p.assets[0].implementations[0].type = 'lambda'), 'implementations[0].type: "lambda" must be one of system, container, model'],
  ['a 256-character assetUri', (p: any) => (p.assets[0].implementations[0].assetUri = 'a'.repeat(256)), 'assetUri: "aaaa'],
  ['an absolute assetUri', (p: any) => (p.assets[0].implementations[0].assetUri = '/etc/model.tar.gz'), 'assetUri: "/etc/model.tar.gz" must be a relative path, not an absolute one'],
  ['a descriptorUri with ..', (p: any) => (p.assets[0].implementations[0].descriptorUri = 'x/../../d.json'), 'descriptorUri: "x/../../d.json" must not contain ".."'],
  ['an interface naming no asset', (p: any) => (p.interfaces[0].asset = 'ghost'), 'nodePackage.interfaces[0].asset: "ghost" must name an asset declared in nodePackage.assets (declared: model_asset)'],
  ['an unbuilt package', (p: any) => (p.assets = []), 'nodePackage.interfaces[0].asset: "model_asset" must name an asset in nodePackage.assets, which is empty: the package is unbuilt'],
  ['a misspelt GPU requirement', (p: any) => (p.assets[0].implementations[0].requirements = [{ type: 'hardware_access', nvAccelerators: [] }]),
    'requirements[0].inferenceAccelerators: missing must be given'],
])('reports %s', (_case, change, expected) => {
  // GIVEN a manifest with one fault / WHEN checked / THEN the problem is named with the field
  expect(problemsOf(manifestWith(change)).join('\n')).toContain(expected);
});

test('reports text that is not JSON', () => {
  // GIVEN / WHEN / THEN
  expect(problemsOf('not json')[0]).toMatch(/^its content must be valid JSON: a node package manifest is a JSON document \(/);
});

test('reports a document without nodePackage', () => {
  // GIVEN / WHEN / THEN
  expect(problemsOf('{}')).toEqual(['nodePackage: missing must be given: the document is {"nodePackage": {…}}']);
});

test('a runtime descriptor with entry arguments, environment and events is valid', () => {
  // GIVEN / WHEN / THEN
  expect(checkDescriptor(JSON.stringify(runtimeDescriptorWithEvents()))).toEqual([]);
});

test('a descriptor with an unknown framework is reported with its field', () => {
  // GIVEN a model descriptor for ONNX / WHEN checked / THEN the framework is named with the allowed ones
  const descriptor = { mlModelDescriptor: { envelopeVersion: '2021-01-01', framework: 'ONNX', inputs: [{ name: 'data', shape: [1, 3, 224, 224] }] } };
  expect(checkDescriptor(JSON.stringify(descriptor))).toEqual(['mlModelDescriptor.framework: "ONNX" must be one of TENSORFLOW, PYTORCH, MXNET']);
});
