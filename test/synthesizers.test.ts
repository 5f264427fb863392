/** The import's file assets follow the stack synthesizer: the staged files live where it publishes. */
import { App, CliCredentialsStackSynthesizer, DefaultStackSynthesizer, IStackSynthesizer, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { PackageSource, PanoramaPackageImport } from '../src';
import { writeModelPackage, removeFixtures } from './support/package-fixture';
import { handlerStatements, onlyResource, TEST_ENV } from './support/stacks';

const IMPORT = 'Custom::PanoramaPackageImport';

afterAll(CloudAssembly.cleanupTemporaryDirectories);
afterAll(removeFixtures);

/** A stack with the given synthesizer that imports a model package folder. */
function importWith(synthesizer: IStackSynthesizer): { stack: Stack; template: Template } {
  const app = new App();
  const stack = new Stack(app, 'Models', { env: TEST_ENV, synthesizer });
  new PanoramaPackageImport(stack, 'Model', { source: PackageSource.fromDirectory(writeModelPackage().packageDir) });
  return { stack, template: Template.fromStack(stack) };
}

/** The staged files (name, bucket, key) the custom resource hands the handler. */
function stagedFiles(template: Template): Array<{ Name: string; Bucket: string; Key: string }> {
  return onlyResource(template, IMPORT).Properties.Source.Files;
}

/** The file asset destinations (bucket, key) of the stack's asset manifest. */
function assetDestinations(app: App, stack: Stack): Array<{ bucketName: string; objectKey: string }> {
  const artifact = app.synth().getStackArtifact(stack.artifactId);
  const manifest = artifact.dependencies.find((d: any) => typeof d.file === 'string' && d.file.endsWith('.assets.json')) as any;
  const files = manifest.contents.files as Record<string, any>;
  return Object.values(files).flatMap((f) => Object.values(f.destinations as Record<string, any>));
}

describe('with a custom stack synthesizer', () => {
  test('DefaultStackSynthesizer with another qualifier: files come from that bootstrap bucket', () => {
    // GIVEN a stack bootstrapped with the qualifier "panorama1"
    const synthesizer = new DefaultStackSynthesizer({ qualifier: 'panorama1' });
    // WHEN it imports a package folder
    const { stack, template } = importWith(synthesizer);
    // THEN every staged file is read from the qualifier's asset bucket, the handler may read each
    // of them there, and the asset manifest publishes them to that bucket
    const bucket = 'cdk-panorama1-assets-111111111111-us-east-1';
    const files = stagedFiles(template);
    expect(files.map((f) => f.Name)).toContain('package.json');
    expect(files).toHaveLength(3);
    for (const file of files) {
      expect(file.Bucket).toBe(bucket);
    }
    const reads = handlerStatements(template).filter((s) => s.Action === 's3:GetObject');
    expect(JSON.stringify(reads)).toContain(`:s3:::${bucket}/`);
    expect(JSON.stringify(reads)).not.toContain('hnb659fds');
    const destinations = assetDestinations(stack.node.root as App, stack);
    for (const file of files) {
      expect(destinations).toContainEqual(expect.objectContaining({ bucketName: bucket, objectKey: file.Key }));
    }
  });

  test('CliCredentialsStackSynthesizer with its own bucket and prefix: files come from there', () => {
    // GIVEN a stack that publishes with the CLI's credentials to a bucket of its own, under a prefix
    const synthesizer = new CliCredentialsStackSynthesizer({
      fileAssetsBucketName: 'my-assets-${AWS::AccountId}-${AWS::Region}',
      bucketPrefix: 'panorama/',
    });
    // WHEN it imports a package folder
    const { stack, template } = importWith(synthesizer);
    // THEN every staged file is read from that bucket under that prefix
    const files = stagedFiles(template);
    expect(files).toHaveLength(3);
    for (const file of files) {
      expect(file.Bucket).toBe('my-assets-111111111111-us-east-1');
      expect(file.Key).toMatch(/^panorama\/[0-9a-f]{64}\.[a-z]+$/);
    }
    const reads = JSON.stringify(handlerStatements(template).filter((s) => s.Action === 's3:GetObject'));
    expect(reads).toContain(':s3:::my-assets-111111111111-us-east-1/panorama/');
    const destinations = assetDestinations(stack.node.root as App, stack);
    for (const file of files) {
      expect(destinations).toContainEqual(expect.objectContaining({ bucketName: 'my-assets-111111111111-us-east-1', objectKey: file.Key }));
    }
  });
});
