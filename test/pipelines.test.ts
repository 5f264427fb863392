/** The construct inside a CDK Pipelines stage: its stack deploys the import, the pipeline publishes its files. */
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack, Stage, StageProps } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3_assets from 'aws-cdk-lib/aws-s3-assets';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import * as pipelines from 'aws-cdk-lib/pipelines';
import { Construct } from 'constructs';
import { PackageSource, PanoramaPackageImport } from '../src';
import { writeModelPackage, removeFixtures } from './support/package-fixture';
import { TEST_ENV } from './support/stacks';

const IMPORT = 'Custom::PanoramaPackageImport';

afterAll(CloudAssembly.cleanupTemporaryDirectories);
afterAll(removeFixtures);

/** An application stage with one stack that imports a model package folder. */
class ModelStage extends Stage {
  public readonly stack: Stack;
  public readonly packageImport: PanoramaPackageImport;

  constructor(scope: Construct, id: string, packageDir: string, props?: StageProps) {
    super(scope, id, props);
    this.stack = new Stack(this, 'Models');
    this.packageImport = new PanoramaPackageImport(this.stack, 'Model', { source: PackageSource.fromDirectory(packageDir) });
  }
}

interface PipelineFixture {
  readonly app: App;
  readonly pipelineStack: Stack;
  readonly stage: ModelStage;
}

/** A pipeline (GitHub source, ShellStep synth) that deploys one ModelStage. */
function pipelineWithModelStage(): PipelineFixture {
  const app = new App();
  const pipelineStack = new Stack(app, 'PipelineStack', { env: TEST_ENV });
  const pipeline = new pipelines.CodePipeline(pipelineStack, 'Pipeline', {
    synth: new pipelines.ShellStep('Synth', {
      input: pipelines.CodePipelineSource.gitHub('cdk-panorama/panorama-app', 'main'),
      commands: ['npm ci', 'npx cdk synth'],
    }),
  });
  const stage = new ModelStage(app, 'Prod', writeModelPackage({ name: 'SQUEEZENET_PYTORCH' }).packageDir, { env: TEST_ENV });
  pipeline.addStage(stage);
  pipeline.buildPipeline();
  return { app, pipelineStack, stage };
}

/** The hashes of the file assets the import staged: its manifest and every file it names. */
function importAssetHashes(packageImport: PanoramaPackageImport): string[] {
  return packageImport.node.findAll()
    .filter((c): c is s3_assets.Asset => c instanceof s3_assets.Asset)
    .map((asset) => asset.assetHash);
}

/** Every file asset listed by the asset manifests of a stage's assembly, by hash. */
function stageFileAssets(stage: Stage): Record<string, any> {
  const assembly = stage.synth();
  const files: Record<string, any> = {};
  for (const manifest of fs.readdirSync(assembly.directory).filter((f) => f.endsWith('.assets.json'))) {
    Object.assign(files, JSON.parse(fs.readFileSync(path.join(assembly.directory, manifest), 'utf-8')).files ?? {});
  }
  return files;
}

describe('in a CDK Pipelines stage', () => {
  test("the stage's stack holds the import", () => {
    // GIVEN a pipeline with a stage whose stack imports a model package folder
    const { stage } = pipelineWithModelStage();
    // WHEN the stage's stack is synthesized
    const template = Template.fromStack(stage.stack);
    // THEN it holds the import with the manifest's name and version
    template.resourceCountIs(IMPORT, 1);
    template.hasResourceProperties(IMPORT, { PackageName: 'SQUEEZENET_PYTORCH', PackageVersion: '1.0' });
    // AND its provider, in the same stack: both handlers, and the framework function whose ARN is
    // the import's ServiceToken and which knows the two handlers and the waiter
    const functions = template.findResources('AWS::Lambda::Function');
    const handlers = Object.entries(functions).filter(([, fn]) => /^(Stages|Waits for) a Panorama/.test(fn.Properties.Description ?? ''));
    expect(handlers).toHaveLength(2);
    const serviceToken = Object.values(template.findResources(IMPORT))[0].Properties.ServiceToken;
    expect(serviceToken).toEqual({ 'Fn::GetAtt': [expect.any(String), 'Arn'] });
    const framework = functions[serviceToken['Fn::GetAtt'][0]];
    expect(framework).toBeDefined();
    const variables = framework.Properties.Environment.Variables;
    expect([variables.USER_ON_EVENT_FUNCTION_ARN, variables.USER_IS_COMPLETE_FUNCTION_ARN].map((arn: any) => arn['Fn::GetAtt'][0]).sort())
      .toEqual(handlers.map(([id]) => id).sort());
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    expect(variables.WAITER_STATE_MACHINE_ARN).toEqual({ Ref: Object.keys(template.findResources('AWS::StepFunctions::StateMachine'))[0] });
  });

  test("the stage's asset manifest lists the manifest and every model file", () => {
    // GIVEN the same pipeline
    const { stage } = pipelineWithModelStage();
    const hashes = importAssetHashes(stage.packageImport);
    // WHEN the stage's assembly is synthesized
    const files = stageFileAssets(stage);
    // THEN the package manifest, the model and its descriptor are file assets (as files, not zips)
    expect(hashes).toHaveLength(3);
    for (const hash of hashes) {
      expect(files[hash]).toBeDefined();
      expect(files[hash].source.packaging).toBe('file');
      expect(Object.values(files[hash].destinations as Record<string, any>).map((d) => d.bucketName))
        .toEqual(['cdk-hnb659fds-assets-111111111111-us-east-1']);
    }
  });

  test("the pipeline publishes the import's file assets", () => {
    // GIVEN the same pipeline
    const { pipelineStack, stage } = pipelineWithModelStage();
    // WHEN the pipeline stack is synthesized
    const template = Template.fromStack(pipelineStack);
    // THEN an asset publishing step publishes each of the import's files (from the stage's asset
    // manifest) in the Assets stage, which runs before the stage deploys
    const published = publishedAssets(template);
    const hashes = importAssetHashes(stage.packageImport);
    expect(hashes).toHaveLength(3);
    for (const hash of hashes) {
      expect(published).toContainEqual({ manifest: `assembly-Prod/${stage.stack.artifactId}.assets.json`, hash });
    }
    const pipelineResource = Object.values(template.findResources('AWS::CodePipeline::Pipeline'))[0];
    const stageNames = pipelineResource.Properties.Stages.map((s: any) => s.Name);
    expect(stageNames.indexOf('Assets')).toBeGreaterThanOrEqual(0);
    expect(stageNames.indexOf('Assets')).toBeLessThan(stageNames.indexOf('Prod'));
  });
});

/** The `cdk-assets publish` commands of the pipeline's CodeBuild projects: asset manifest and asset hash. */
function publishedAssets(template: Template): Array<{ manifest: string; hash: string }> {
  const published: Array<{ manifest: string; hash: string }> = [];
  for (const project of Object.values(template.findResources('AWS::CodeBuild::Project'))) {
    const buildSpec = JSON.parse(project.Properties.Source.BuildSpec);
    for (const command of buildSpec.phases?.build?.commands ?? []) {
      const match = /^cdk-assets --path "([^"]+)" .*publish "([0-9a-f]{64}):/.exec(command);
      if (match) published.push({ manifest: match[1], hash: match[2] });
    }
  }
  return published;
}
