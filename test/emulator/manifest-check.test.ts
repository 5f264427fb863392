import { manifestFor } from './harness';
import { checkManifest } from '../../emulator/manifest-check';

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
  // THEN the system asset is not among the files
  expect(result).toEqual({
    ok: true,
    manifest: {
      name: 'model_pkg',
      version: '1.0',
      files: [
        { uri: 'model.tar.gz', reference: 'nodePackage.assets[0].implementations[0].assetUri' },
        { uri: 'descriptor.json', reference: 'nodePackage.assets[0].implementations[0].descriptorUri' },
      ],
    },
  });
});

test.each([
  ['a missing envelopeVersion', (p: any) => delete p.envelopeVersion, 'nodePackage.envelopeVersion must be "2021-01-01"'],
  ['no interfaces', (p: any) => delete p.interfaces, 'nodePackage.interfaces must be a non-empty array'],
  ['a bad name', (p: any) => (p.name = 'has space'), 'nodePackage.name must match'],
  ['a bad version', (p: any) => (p.version = '1.0.0'), 'nodePackage.version must match'],
  ['an extra property', (p: any) => (p.author = 'me'), 'nodePackage.author is not an allowed property'],
  ['an unknown implementation type', (p: any) => (p.assets[0].implementations[0].type = 'lambda'), 'type must be one of system, container, model'],
  ['a 256-character assetUri', (p: any) => (p.assets[0].implementations[0].assetUri = 'a'.repeat(256)), 'assetUri must be at most 255 characters'],
  ['an absolute assetUri', (p: any) => (p.assets[0].implementations[0].assetUri = '/etc/model.tar.gz'), 'must be a relative path beside the manifest'],
  ['a descriptorUri with ..', (p: any) => (p.assets[0].implementations[0].descriptorUri = 'x/../../d.json'), 'descriptorUri "x/../../d.json" must be a relative path'],
  ['an interface naming no asset', (p: any) => (p.interfaces[0].asset = 'ghost'), 'nodePackage.interfaces[0].asset "ghost" names no asset'],
])('reports %s', (_case, change, expected) => {
  // GIVEN a manifest with one fault / WHEN checked / THEN the problem is named
  expect(problemsOf(manifestWith(change)).join('\n')).toContain(expected);
});

test('reports text that is not JSON', () => {
  // GIVEN / WHEN / THEN
  expect(problemsOf('not json')[0]).toMatch(/^manifest is not valid JSON/);
});

test('reports a document without nodePackage', () => {
  // GIVEN / WHEN / THEN
  expect(problemsOf('{"package": {}}')).toEqual(['manifest must be an object with a "nodePackage" object']);
});
