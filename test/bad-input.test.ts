/**
 * Bad input, table-driven: each row is one mistake a user can make, and the message it must get.
 * Every message names the field (or file), shows the bad value and states the rule.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PackageSource, PanoramaPackageImport, PanoramaPackageImportProps } from '../src';
import { modelPackage, ManifestJson, writePackageFixture, PackageFixture, FixtureFile, fixtureFolder, removeFixtures } from './support/package-fixture';
import { newStack, TEST_ENV } from './support/stacks';
import { readImportSpec } from '../src/handler/resource-properties';

afterAll(removeFixtures);

type Edit = (manifest: any, files: FixtureFile[]) => void;

/** A model package with one change to its manifest or files. */
function packageWith(edit: Edit): PackageFixture {
  const { manifest, files } = modelPackage();
  const copy = JSON.parse(JSON.stringify(manifest)) as ManifestJson;
  edit(copy, files);
  return writePackageFixture({ manifest: copy, files });
}

function importing(fixture: PackageFixture, props: Partial<PanoramaPackageImportProps> = {}): () => void {
  return () => new PanoramaPackageImport(newStack(), 'Model', { source: PackageSource.fromDirectory(fixture.packageDir), ...props });
}

function withProps(props: Partial<PanoramaPackageImportProps>): () => void {
  return importing(writePackageFixture(modelPackage()), props);
}

const nodePackage = (m: any) => m.nodePackage;
const implementation = (m: any) => m.nodePackage.assets[0].implementations[0];
const manyTags = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v']));

/** [what is wrong, how to make it, what the message must say] */
const CASES: Array<[string, () => () => void, RegExp]> = [
  // --- props: name and version
  ['packageName with a space', () => withProps({ packageName: 'my package' }), /packageName: "my package" must match \^\[a-zA-Z0-9\\-_\]\+\$/],
  ['packageName too long', () => withProps({ packageName: 'a'.repeat(129) }), /packageName: "a{129}" must be 1 to 128 characters long \(it has 129\)/],
  ['packageName empty', () => withProps({ packageName: '' }), /packageName: "" must be 1 to 128 characters long \(it has 0\)/],
  ['packageName non-ASCII', () => withProps({ packageName: 'modèle' }), /packageName: "modèle" must match/],
  ['packageVersion without minor', () => withProps({ packageVersion: '1' }), /packageVersion: "1" must match \^\(\[0-9\]\+\)\\\.\(\[0-9\]\+\)\$/],
  ['packageVersion semver', () => withProps({ packageVersion: '1.0.0' }), /packageVersion: "1.0.0" must match/],
  ['packageVersion letters', () => withProps({ packageVersion: 'v1.0' }), /packageVersion: "v1.0" must match/],
  ['packageVersion too long', () => withProps({ packageVersion: `1.${'0'.repeat(300)}` }), /packageVersion: .* must be 1 to 255 characters long \(it has 302\)/],
  // --- props: tags
  ['51 tags', () => withProps({ tags: manyTags(51) }), /tags: 51 tags must hold at most 50 tags/],
  ['tag key over 128', () => withProps({ tags: { ['k'.repeat(129)]: 'v' } }), /tags key: "k{129}" must be 1 to 128 characters long \(it has 129\)/],
  ['empty tag key', () => withProps({ tags: { '': 'v' } }), /tags key: "" must be 1 to 128 characters long \(it has 0\)/],
  ['tag value over 256', () => withProps({ tags: { team: 'v'.repeat(257) } }), /tags\["team"\]: "v{79}…v{79}" \(259 characters\) must be at most 256 characters long \(it has 257\)/],
  // --- props: timeouts and removal
  ['totalTimeout over one hour', () => withProps({ totalTimeout: Duration.minutes(61) }), /totalTimeout: 3660 seconds must be at most 1 hour \(3600 seconds\): CloudFormation fails a custom resource after one hour/],
  ['totalTimeout not a multiple of queryInterval', () => withProps({ totalTimeout: Duration.seconds(100), queryInterval: Duration.seconds(30) }), /totalTimeout: 100 seconds must be a whole multiple of queryInterval \(30 seconds\)/],
  ['queryInterval under a second', () => withProps({ queryInterval: Duration.millis(500) }), /queryInterval: 0.5 seconds must be a whole number of seconds, at least 1/],
  ['removalPolicy SNAPSHOT', () => withProps({ removalPolicy: RemovalPolicy.SNAPSHOT }), /removalPolicy: "snapshot" must be RETAIN or DESTROY: a package version cannot be snapshotted/],
  // --- the folder and the manifest file
  ['a folder that does not exist', () => () => new PanoramaPackageImport(newStack(), 'M', { source: PackageSource.fromDirectory('/nonexistent/pkg') }), /PackageSource.fromDirectory directory: "\/nonexistent\/pkg" must be an existing folder/],
  ['an empty package folder', () => {
    const fixture = writePackageFixture(modelPackage());
    fs.rmSync(fixture.manifestPath);
    return importing(fixture);
  }, /package.json: missing must exist: it is a node package manifest \(package.json\)/],
  ['package.json is a directory', () => {
    const fixture = writePackageFixture(modelPackage());
    fs.rmSync(fixture.manifestPath);
    fs.mkdirSync(fixture.manifestPath);
    return importing(fixture);
  }, /package.json: a directory must be a regular file: it is a node package manifest/],
  ['malformed JSON', () => importing(writePackageFixture({ manifest: '{"nodePackage": {' })), /package.json: its content must be valid JSON: a node package manifest is a JSON document \(/],
  ['a huge manifest', () => importing(writePackageFixture({ manifest: JSON.stringify({ pad: 'x'.repeat(1024 * 1024) }) })), /package.json: 1048586 bytes must be at most 1048576 bytes/],
  ['no nodePackage', () => importing(writePackageFixture({ manifest: {} })), /package.json nodePackage: missing must be given: the document is \{"nodePackage": \{…\}\}/],
  ['another root property', () => importing(packageWith((m) => { m.package = {}; })), /package.json package: "package" is not a property the 2021-01-01 schema allows here \(allowed: nodePackage\)/],
  ['a wrong envelopeVersion', () => importing(packageWith((m) => { nodePackage(m).envelopeVersion = '2020-01-01'; })), /nodePackage.envelopeVersion: "2020-01-01" must be "2021-01-01"$/m],
  ['no envelopeVersion', () => importing(packageWith((m) => { delete nodePackage(m).envelopeVersion; })), /nodePackage.envelopeVersion: missing must be given: the schema requires it/],
  ['no interfaces', () => importing(packageWith((m) => { delete nodePackage(m).interfaces; })), /nodePackage.interfaces: missing must be given/],
  ['empty interfaces', () => importing(packageWith((m) => { nodePackage(m).interfaces = []; })), /nodePackage.interfaces: \[\] must hold at least 1 item/],
  ['an interface naming an asset that does not exist', () => importing(packageWith((m) => { nodePackage(m).interfaces[0].asset = 'ghost'; })), /nodePackage.interfaces\[0\].asset: "ghost" must name an asset declared in nodePackage.assets/],
  ['a manifest name with a dot', () => importing(packageWith((m) => { nodePackage(m).name = 'squeeze.net'; })), /nodePackage.name: "squeeze.net" must match \^\[a-z_A-Z0-9\\-\]\+\$/],
  ['a non-ASCII manifest name', () => importing(packageWith((m) => { nodePackage(m).name = 'détecteur'; })), /nodePackage.name: "détecteur" must match/],
  ['a manifest version with three parts', () => importing(packageWith((m) => { nodePackage(m).version = '1.0.0'; })), /nodePackage.version: "1.0.0" must match \^\[0-9\]\+\\\.\[0-9\]\+\$/],
  ['an extra property in nodePackage', () => importing(packageWith((m) => { nodePackage(m).author = 'me'; })), /nodePackage.author: "author" is not a property the 2021-01-01 schema allows/],
  ['an extra property in an implementation', () => importing(packageWith((m) => { implementation(m).checksum = 'x'; })), /implementations\[0\].checksum: "checksum" is not a property the 2021-01-01 schema allows/],
  ['an unknown implementation type', () => importing(packageWith((m) => { implementation(m).type = 'lambda'; })), /implementations\[0\].type: "lambda" must be one of system, container, model/],
  ['an implementation without assetUri', () => importing(packageWith((m) => { delete implementation(m).assetUri; })), /implementations\[0\].assetUri: missing must be given: the schema requires it/],
  ['an assetUri over 255 characters', () => importing(packageWith((m) => { implementation(m).assetUri = `${'a'.repeat(253)}.gz`; })), /implementations\[0\].assetUri: "a{79}…a{76}\.gz" \(258 characters\) must be at most 255 characters long \(it has 256\)/],
  ['../ in an assetUri', () => importing(packageWith((m) => { implementation(m).assetUri = '../secret.tar.gz'; })), /implementations\[0\].assetUri: "..\/secret.tar.gz" must not contain "..", "." or empty path segments/],
  ['an absolute assetUri', () => importing(packageWith((m) => { implementation(m).assetUri = '/etc/passwd'; })), /implementations\[0\].assetUri: "\/etc\/passwd" must be a relative path, not an absolute one/],
  ['a backslash in a descriptorUri', () => importing(packageWith((m) => { implementation(m).descriptorUri = 'a\\b.json'; })), /implementations\[0\].descriptorUri: "a\\\\b.json" must use forward slashes only/],
  ['duplicate asset names', () => importing(packageWith((m) => { nodePackage(m).assets.push(JSON.parse(JSON.stringify(nodePackage(m).assets[0]))); })), /nodePackage.assets\[1\].name: "model_asset" must be unique among the assets/],
  // --- the files the manifest names
  ['a missing asset file', () => importing(packageWith((_m, files) => { files.splice(0, 1); })), /assetUri: "[0-9a-f]{64}.tar.gz" must name a file in .*assets or .* but none is there/],
  ['a missing descriptor file', () => importing(packageWith((_m, files) => { files.splice(1, 1); })), /descriptorUri: "[0-9a-f]{64}.json" must name a file in .* but none is there/],
  ['an asset that is a directory', () => {
    const fixture = writePackageFixture(modelPackage());
    const model = modelPackage().files[0].name;
    fs.rmSync(path.join(fixture.assetsDir, model));
    fs.mkdirSync(path.join(fixture.assetsDir, model));
    return importing(fixture);
  }, /assetUri: "[0-9a-f]{64}.tar.gz" must be a regular file, but .* is a directory or special file/],
  ['a symlink that leaves the assets folder', () => {
    const fixture = writePackageFixture(modelPackage());
    const model = modelPackage().files[0].name;
    const outside = path.join(fixture.appDir, 'outside.bin');
    fs.writeFileSync(outside, 'secret');
    fs.rmSync(path.join(fixture.assetsDir, model));
    fs.symlinkSync(outside, path.join(fixture.assetsDir, model));
    return importing(fixture);
  }, /assetUri: "[0-9a-f]{64}.tar.gz" must stay inside the assets folder or the package folder, but .* leads to .*outside.bin/],
  ['a broken symlink', () => {
    const fixture = writePackageFixture(modelPackage());
    const model = modelPackage().files[0].name;
    fs.rmSync(path.join(fixture.assetsDir, model));
    fs.symlinkSync(path.join(fixture.appDir, 'gone.bin'), path.join(fixture.assetsDir, model));
    return importing(fixture);
  }, /assetUri: "[0-9a-f]{64}.tar.gz" must resolve to a file, but .* is a broken link/],
  ['an unreadable asset file', () => {
    const fixture = writePackageFixture(modelPackage());
    fs.chmodSync(path.join(fixture.assetsDir, modelPackage().files[0].name), 0o000);
    // The folders stay open to everyone: only the file itself is unreadable.
    for (const dir of [fixture.appDir, path.dirname(fixture.packageDir), fixture.packageDir, fixture.assetsDir]) fs.chmodSync(dir, 0o755);
    // An assembly folder the unprivileged user may write the handlers' assets to.
    const outdir = fixtureFolder('unreadable-asset-');
    fs.chmodSync(outdir, 0o777);
    const stack = new Stack(new App({ outdir }), 'TestStack', { env: TEST_ENV });
    const source = PackageSource.fromDirectory(fixture.packageDir);
    return () => withoutRootPrivileges(() => new PanoramaPackageImport(stack, 'Model', { source }));
  }, /assetUri: "[0-9a-f]{64}.tar.gz" must be readable, but .* is not/],
];

/** The unprivileged user root drops to, so that a mode-000 file is unreadable in CI (which runs as root) too. */
const NOBODY = 65534;

/**
 * Runs `act` as an unprivileged effective user when the process is root: root's read permission
 * overrides any file mode, so a file that the user cannot read needs a user that cannot read it.
 */
function withoutRootPrivileges(act: () => void): void {
  if (process.geteuid?.() !== 0) return act();
  process.seteuid!(NOBODY);
  try {
    act();
  } finally {
    process.seteuid!(0);
  }
}

/** The message an act throws, or a note that it threw nothing. */
function messageOf(act: () => void): string {
  try {
    act();
  } catch (e) {
    return (e as Error).message;
  }
  return '(nothing thrown)';
}

describe('bad input is refused at synth with a message that names the field, the value and the rule', () => {
  /** What constructing each case threw, by the case's name: each case is built and run once, here. */
  const thrown = new Map<string, string>();
  beforeAll(() => {
    for (const [what, arrange] of CASES) thrown.set(what, messageOf(arrange()));
  });

  test.each(CASES)('%s', (what, _arrange, message) => {
    // GIVEN the bad input / WHEN the import is constructed (in beforeAll)
    // THEN it threw that message
    expect(thrown.get(what)).toMatch(message);
  });

  test('there are at least forty distinct cases, each with its own message', () => {
    // GIVEN every case, run once
    const messages = CASES.map(([what]) => thrown.get(what)!);
    // THEN there are at least forty, no two mistakes get the same message,
    expect(CASES.length).toBeGreaterThanOrEqual(40);
    expect(new Set(messages).size).toBe(CASES.length);
    // AND each message is the one its own case expects and no other case's
    for (const [what] of CASES) {
      const matching = CASES.filter(([, , message]) => message.test(thrown.get(what)!)).map(([other]) => other);
      expect({ what, matching }).toEqual({ what, matching: [what] });
    }
  });

  test('every broken rule of one manifest is reported at once', () => {
    // GIVEN a manifest with a bad version and a bad implementation type
    const fixture = packageWith((m) => { nodePackage(m).version = 'x'; implementation(m).type = 'lambda'; });
    // THEN both problems are in the one error
    expect(importing(fixture)).toThrow(/nodePackage.version: "x" must match[\s\S]*implementations\[0\].type: "lambda" must be one of/);
  });
});

describe('the handler re-checks values that were tokens at synth, with the same messages', () => {
  const validProperties = {
    PackageName: 'SQUEEZENET_PYTORCH',
    PackageVersion: '1.0',
    MarkLatest: 'true',
    JobType: 'NODE_PACKAGE_VERSION',
    RemovalPolicy: 'retain',
    Source: { Type: 'Bucket', Bucket: 'b', ManifestKey: 'p/package.json' },
  };
  const synthMessage = (props: Partial<PanoramaPackageImportProps>) => {
    try {
      withProps(props)();
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error('synth accepted the input');
  };
  const handlerMessage = (props: Record<string, unknown>) => {
    try {
      readImportSpec({ ...validProperties, ...props });
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error('the handler accepted the input');
  };

  test.each([
    ['packageName', { packageName: 'bad name' }, { PackageName: 'bad name' }],
    ['packageVersion', { packageVersion: '1.0.0' }, { PackageVersion: '1.0.0' }],
    ['tags', { tags: manyTags(51) }, { Tags: manyTags(51) }],
    ['tag value', { tags: { team: 'v'.repeat(257) } }, { Tags: { team: 'v'.repeat(257) } }],
  ] as Array<[string, Partial<PanoramaPackageImportProps>, Record<string, unknown>]>)('%s', (_field, atSynth, atDeploy) => {
    // GIVEN the same bad value at synth and in the handler's properties
    // THEN both refuse it with the same message
    expect(handlerMessage(atDeploy)).toEqual(synthMessage(atSynth));
  });

  test('a MarkLatest that is not a boolean is refused', () => {
    expect(() => readImportSpec({ ...validProperties, MarkLatest: 'yes' })).toThrow('MarkLatest: "yes" must be true or false');
  });

  test('an unknown job type is refused', () => {
    expect(() => readImportSpec({ ...validProperties, JobType: 'OTHER' })).toThrow('jobType: "OTHER" must be one of NODE_PACKAGE_VERSION, MARKETPLACE_NODE_PACKAGE_VERSION');
  });
});
