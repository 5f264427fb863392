/**
 * Review by cdk-nag: the AwsSolutions and Serverless packs over a stack that uses every feature.
 * The construct suppresses what it must itself, narrowly and with reasons; any new finding fails.
 */
import { Aspects, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { PackageImportJobType, PackageSource, PanoramaApplication, PanoramaCamera, PanoramaPackageImport } from '../src';
import { cameraCodeDisplayProject, writeApplication } from './support/application-fixture';
import { writeModelPackage, removeFixtures } from './support/package-fixture';
import { newStack } from './support/stacks';

afterAll(removeFixtures);

function everyFeatureStack(): Stack {
  const stack = newStack('NagStack');
  new PanoramaPackageImport(stack, 'Model', {
    source: PackageSource.fromDirectory(writeModelPackage().packageDir),
    removalPolicy: RemovalPolicy.DESTROY,
    tags: { team: 'vision' },
    jobType: PackageImportJobType.NODE_PACKAGE_VERSION,
    outputs: true,
  });
  const packages = new s3.Bucket(stack, 'Packages', { enforceSSL: true, serverAccessLogsPrefix: 'logs/' });
  new PanoramaPackageImport(stack, 'FromBucket', { source: PackageSource.fromBucket(packages, 'squeezenet/package.json') });
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, flowLogs: { all: {} } });
  new PanoramaPackageImport(stack, 'InVpc', {
    source: PackageSource.fromDirectory(writeModelPackage({ name: 'VPC_MODEL' }).packageDir),
    vpc,
    totalTimeout: Duration.minutes(10),
  });
  new PanoramaApplication(stack, 'Application', {
    projectDirectory: writeApplication(cameraCodeDisplayProject()).projectDir,
    device: 'device-0123',
    runtimeRole: new iam.Role(stack, 'ApplicationRuntime', { assumedBy: new iam.ServicePrincipal('panorama.amazonaws.com') }),
    tags: { team: 'vision' },
    // A camera: its own Provider, which cdk-nag reviews as the imports'.
    cameras: { [PanoramaApplication.ABSTRACT_CAMERA]: [new PanoramaCamera(stack, 'Lobby', { name: 'lobby', streamUrl: 'rtsp://10.0.0.7/live' })] },
  });
  return stack;
}

function findings(pack: 'AwsSolutions' | 'Serverless', stack: Stack = everyFeatureStack()): string[] {
  Aspects.of(stack).add(pack === 'AwsSolutions' ? new AwsSolutionsChecks({ verbose: true }) : new ServerlessChecks({ verbose: true }));
  const annotations = Annotations.fromStack(stack);
  return [...annotations.findError('*', Match.stringLikeRegexp('.*')), ...annotations.findWarning('*', Match.stringLikeRegexp('.*'))]
    .map((m) => `${m.id}: ${String(m.entry.data).split('\n')[0]}`);
}

describe('cdk-nag', () => {
  test('AwsSolutions: no unsuppressed finding', () => {
    expect(findings('AwsSolutions')).toEqual([]);
  });
  test('Serverless: no unsuppressed finding', () => {
    expect(findings('Serverless')).toEqual([]);
  });

  test('the suppressions are narrow: a wildcard someone adds to the handler role is still reported', () => {
    // GIVEN the stack, and a statement added to the import handlers' role by hand
    const stack = everyFeatureStack();
    const role = stack.node.findChild('PanoramaPackageImportProvider').node.findChild('Role') as iam.Role;
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::somebody-elses-bucket/*'] }));
    // THEN cdk-nag reports exactly that wildcard
    expect(findings('AwsSolutions', stack)).toEqual([
      expect.stringMatching(/PanoramaPackageImportProvider\/Role\/DefaultPolicy\/Resource: AwsSolutions-IAM5\[Resource::arn:aws:s3:::somebody-elses-bucket\/\*\]/),
    ]);
  });
});
