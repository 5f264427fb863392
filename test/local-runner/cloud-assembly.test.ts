/**
 * The runner reads a synthesized assembly through the CDK toolkit's reader: the stacks of nested
 * assemblies (CDK Stages) with their paths, names, environments, templates and file assets.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, Stage } from 'aws-cdk-lib';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { readCloudAssembly } from '../../local-runner';

const directories: string[] = [];
afterAll(() => directories.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function temporaryDirectory(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  directories.push(dir);
  return dir;
}

/** An app whose Dev stage holds a stack with a file asset; `env` binds the stage. */
function synthStage(env?: { account: string; region: string }): string {
  const file = path.join(temporaryDirectory('cloud-assembly-file-'), 'model.tar.gz');
  fs.writeFileSync(file, 'model bytes');
  const outdir = temporaryDirectory('cloud-assembly-');
  const app = new App({ outdir });
  const stack = new Stack(new Stage(app, 'Dev', { env }), 'PanoramaStack');
  new s3assets.Asset(stack, 'Model', { path: file });
  app.synth();
  return outdir;
}

test('a stack in a Stage is read with its path, its stack name and its template', () => {
  // GIVEN an app with a Dev stage
  const outdir = synthStage();

  // WHEN it is read
  const [stack] = readCloudAssembly(outdir).stacks;

  // THEN the stage's stack is there, environment-agnostic, its template whole
  expect(stack).toMatchObject({ hierarchicalId: 'Dev/PanoramaStack', stackName: 'Dev-PanoramaStack', dependencies: [] });
  expect([stack.account, stack.region]).toEqual([undefined, undefined]);
  expect(stack.template.Parameters).toHaveProperty('BootstrapVersion');
});

test('a nested stack\'s file assets are found where its asset manifest points, relative to the nested assembly', () => {
  // GIVEN an app with a Dev stage whose stack has a file asset
  const outdir = synthStage();

  // WHEN it is read
  const [stack] = readCloudAssembly(outdir).stacks;

  // THEN the model is the copy in the app's assembly (../ from the stage's), the template the stage's own file
  const byName = Object.fromEntries(stack.assets.map((asset) => [asset.displayName, asset]));
  expect(Object.keys(byName).sort()).toEqual(['Dev-PanoramaStack Template', 'Model']);
  expect(path.dirname(byName.Model.sourcePath)).toBe(outdir);
  expect(fs.readFileSync(byName.Model.sourcePath, 'utf8')).toBe('model bytes');
  expect(path.dirname(byName['Dev-PanoramaStack Template'].sourcePath)).toBe(path.join(outdir, 'assembly-Dev'));
  // AND each goes to the bootstrap bucket, its placeholders left for the deployment to resolve
  expect(byName.Model).toMatchObject({ packaging: 'file', destinations: [{ bucketName: 'cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}' }] });
});

test('a Stage bound to an account and Region gives its stacks that environment', () => {
  // GIVEN a Dev stage bound to an account and a Region
  const outdir = synthStage({ account: '111122223333', region: 'eu-west-1' });

  // WHEN it is read, THEN its stack carries both
  expect(readCloudAssembly(outdir).stacks[0]).toMatchObject({ account: '111122223333', region: 'eu-west-1' });
});

test('an assembly of a later schema version is still read: the runner reads only what every version keeps', () => {
  // GIVEN an assembly whose manifest says a schema major version beyond the reader's
  const outdir = synthStage();
  const manifestFile = path.join(outdir, 'manifest.json');
  fs.writeFileSync(manifestFile, JSON.stringify({ ...JSON.parse(fs.readFileSync(manifestFile, 'utf8')), version: '999.0.0' }));

  // WHEN it is read, THEN its stacks are there
  expect(readCloudAssembly(outdir).stacks.map((s) => s.hierarchicalId)).toEqual(['Dev/PanoramaStack']);
});

test('a directory without manifest.json is refused, naming the file and what to pass', () => {
  // GIVEN an empty directory
  const empty = temporaryDirectory('cloud-assembly-empty-');

  // WHEN it is read, THEN the error names the manifest it looked for
  expect(() => readCloudAssembly(empty)).toThrow(`${path.join(empty, 'manifest.json')} does not exist: pass the directory a synth wrote (cdk.out)`);
});
