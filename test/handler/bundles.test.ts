/**
 * The handler bundles as they ship: minified, at most 400 KB each, with a source map (without the
 * sources' text) that Lambda uses because the functions set NODE_OPTIONS=--enable-source-maps, so
 * a stack trace names our TypeScript files and lines. What only some events need (the compiled
 * schema validators) is a file of its own beside index.js, loaded when first used.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import { PackageSource, PanoramaPackageImport } from '../../src';
import { writeModelPackage, removeFixtures } from '../support/package-fixture';
import { newStack } from '../support/stacks';

afterAll(removeFixtures);

const ASSETS = path.join(__dirname, '..', '..', 'assets', 'handler');
const BUNDLES = ['on-event.lambda', 'is-complete.lambda', 'camera-on-event.lambda', 'camera-is-complete.lambda'];
/** The limit (#20), in decimal kilobytes (the stricter reading). */
const MAX_BUNDLE_BYTES = 400 * 1000;

beforeAll(() => {
  const missing = BUNDLES.filter((name) => !fs.existsSync(path.join(ASSETS, name, 'index.js')));
  if (missing.length > 0) throw new Error(`Handler bundles missing (${missing.join(', ')}): run \`npx projen bundle\` first`);
});

test.each(BUNDLES)('%s is minified and at most 400 KB', (name) => {
  const code = fs.readFileSync(path.join(ASSETS, name, 'index.js'), 'utf8');
  expect(Buffer.byteLength(code)).toBeLessThanOrEqual(MAX_BUNDLE_BYTES);
  // Minified: a few long lines (an unminified bundle averages under 40 characters a line).
  const lines = code.split('\n');
  expect(Math.round(code.length / lines.length)).toBeGreaterThan(1000);
});

test.each(BUNDLES)('%s points at its source map, which maps to our sources without carrying their text', (name) => {
  const code = fs.readFileSync(path.join(ASSETS, name, 'index.js'), 'utf8');
  expect(code.trimEnd().endsWith('//# sourceMappingURL=index.js.map')).toBe(true);
  const map = JSON.parse(fs.readFileSync(path.join(ASSETS, name, 'index.js.map'), 'utf8'));
  expect(map.sources).toContain(`../../../src/handler/${name}.ts`);
  expect(map.sourcesContent).toBeUndefined();
});

test.each(BUNDLES)('%s has beside it every file it requires lazily', (name) => {
  // GIVEN the bundle, whose only non-built-in requires are files of the same asset directory
  const code = fs.readFileSync(path.join(ASSETS, name, 'index.js'), 'utf8');
  const local = [...code.matchAll(/require\("(\.\/[^"]+)"\)/g)].map((m) => m[1]);

  // THEN each is there (a Lambda asset is the whole directory)
  for (const file of local) expect(fs.existsSync(path.join(ASSETS, name, `${file}.js`))).toBe(true);
});

test('loading onEvent loads no schema validator; a bucket manifest checked through the bundle loads them then', () => {
  // GIVEN the shipped onEvent bundle, loaded in a fresh process
  const bundle = path.join(ASSETS, 'on-event.lambda', 'index.js');
  const loadedFiles = 'Object.keys(require.cache).map((f) => require("path").basename(f))';
  const script = `require(${JSON.stringify(bundle)}); console.log(JSON.stringify(${loadedFiles}));`;

  // WHEN only loaded (what every cold start does)
  const atLoad = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));

  // THEN the validators are not loaded
  expect(atLoad).toEqual(['index.js']);
  // AND the validators' file has the two validators a bucket source needs, and no others
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const validators = require(path.join(ASSETS, 'on-event.lambda', 'validators.generated.js'));
  expect(Object.keys(validators).sort()).toEqual(['validateAssetDescriptor', 'validateNodePackage']);
  expect(validators.validateNodePackage({ nodePackage: { envelopeVersion: '2021-01-01' } })).toBe(false);
});

test('with --enable-source-maps, an error thrown in the bundle names the TypeScript file and line', () => {
  // GIVEN the shipped onEvent bundle, run as Lambda runs it (NODE_OPTIONS=--enable-source-maps)
  const script = `require(${JSON.stringify(path.join(ASSETS, 'on-event.lambda', 'index.js'))})
    .handler({ RequestType: 'Create', ResourceProperties: {} }).catch((error) => console.log(error.stack));`;

  // WHEN it fails on an event without properties
  const output = execFileSync(process.execPath, ['-e', script], { env: { ...process.env, NODE_OPTIONS: '--enable-source-maps' }, encoding: 'utf8' });

  // THEN the stack trace points into src/handler, not into the minified bundle
  expect(output).toMatch(/at \w+ \(.*src\/handler\/resource-properties\.ts:\d+:\d+\)/);
});

test('both functions ask Lambda to use the source maps', () => {
  // GIVEN a stack with one import
  const stack = newStack();
  new PanoramaPackageImport(stack, 'Model', { source: PackageSource.fromDirectory(writeModelPackage().packageDir) });

  // THEN onEvent and isComplete set NODE_OPTIONS
  const functions = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'))
    .filter((fn: any) => fn.Properties.Handler === 'index.handler' && /Panorama/.test(fn.Properties.Description ?? ''));
  expect(functions).toHaveLength(2);
  for (const fn of functions as any[]) expect(fn.Properties.Environment.Variables).toEqual({ NODE_OPTIONS: '--enable-source-maps' });
});
