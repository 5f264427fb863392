import * as fs from 'fs';
import * as path from 'path';
import { App, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3_assets from 'aws-cdk-lib/aws-s3-assets';
import { PackageImportJobType, PackageSource, PanoramaPackageImport } from '../src';
import { writeModelPackage } from './support/package-fixture';
import { handlerStatements, newStack, onlyResource } from './support/stacks';

const IMPORT = 'Custom::PanoramaPackageImport';

describe('defaults', () => {
  test('package name and version come from the manifest', () => {
    // GIVEN a package folder whose manifest names SQUEEZENET_PYTORCH 1.0
    const stack = newStack();
    const fixture = writeModelPackage({ name: 'SQUEEZENET_PYTORCH', version: '1.0' });
    // WHEN it is imported with no overrides
    new PanoramaPackageImport(stack, 'Model', { source: PackageSource.fromDirectory(fixture.packageDir) });
    // THEN the custom resource carries the manifest's name and version and the documented defaults
    Template.fromStack(stack).hasResourceProperties(IMPORT, {
      PackageName: 'SQUEEZENET_PYTORCH',
      PackageVersion: '1.0',
      MarkLatest: true,
      JobType: 'NODE_PACKAGE_VERSION',
      RemovalPolicy: 'retain',
      Tags: Match.absent(),
    });
  });

  test('the custom resource itself is always deleted: the handler applies the package policy', () => {
    // GIVEN an import with the default removal policy
    const stack = newStack();
    new PanoramaPackageImport(stack, 'Model', { source: PackageSource.fromDirectory(writeModelPackage().packageDir) });
    // THEN CloudFormation deletes the resource (which retains the package version) on removal
    Template.fromStack(stack).hasResource(IMPORT, { DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
  });

  test('the primary custom resource has the id Resource', () => {
    // GIVEN an import
    const stack = newStack();
    const imported = new PanoramaPackageImport(stack, 'Model', { source: PackageSource.fromDirectory(writeModelPackage().packageDir) });
    // THEN its default child is the custom resource
    expect(imported.node.defaultChild).toBe(imported.node.findChild('Resource'));
  });
});

describe('props', () => {
  test('every prop reaches the custom resource', () => {
    // GIVEN explicit values for each import prop
    const stack = newStack();
    new PanoramaPackageImport(stack, 'Model', {
      source: PackageSource.fromDirectory(writeModelPackage().packageDir),
      packageName: 'other_name',
      packageVersion: '2.3',
      markLatest: false,
      jobType: PackageImportJobType.MARKETPLACE_NODE_PACKAGE_VERSION,
      tags: { team: 'vision' },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // THEN the properties carry them
    Template.fromStack(stack).hasResourceProperties(IMPORT, {
      PackageName: 'other_name',
      PackageVersion: '2.3',
      MarkLatest: false,
      JobType: 'MARKETPLACE_NODE_PACKAGE_VERSION',
      Tags: { team: 'vision' },
      RemovalPolicy: 'destroy',
    });
  });

  test('a directory source stages the manifest and each named file as its own file asset', () => {
    // GIVEN a model package with a model file and a descriptor
    const stack = newStack();
    const fixture = writeModelPackage();
    // WHEN it is imported
    new PanoramaPackageImport(stack, 'Model', { source: PackageSource.fromDirectory(fixture.packageDir) });
    // THEN three files are listed under their manifest names, each from the asset bucket, and staged under imports/
    const props = onlyResource(Template.fromStack(stack), IMPORT).Properties;
    expect(props.Source.Type).toBe('Files');
    expect(props.Source.Files.map((f: any) => f.Name)).toEqual([
      'package.json',
      expect.stringMatching(/^[0-9a-f]{64}\.tar\.gz$/),
      expect.stringMatching(/^[0-9a-f]{64}\.json$/),
    ]);
    for (const file of props.Source.Files) {
      expect(file.Bucket).toBe('cdk-hnb659fds-assets-111111111111-us-east-1');
      expect(file.Key).toMatch(/^[0-9a-f]{64}\.(json|gz)$/);
    }
    expect(props.Staging).toEqual({ Bucket: { Ref: expect.stringMatching(/^PanoramaPackageImportStagingBucket/) }, Prefix: 'imports/' });
  });

  test('a bucket source stages nothing and reads the manifest in place', () => {
    // GIVEN a manifest already in a bucket
    const stack = newStack();
    const bucket = s3.Bucket.fromBucketName(stack, 'Packages', 'my-packages');
    // WHEN it is imported
    new PanoramaPackageImport(stack, 'Model', { source: PackageSource.fromBucket(bucket, 'squeezenet/package.json') });
    // THEN no staging bucket exists and the source names the object
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::S3::Bucket', 0);
    template.hasResourceProperties(IMPORT, {
      Source: { Type: 'Bucket', Bucket: 'my-packages', ManifestKey: 'squeezenet/package.json' },
      Staging: Match.absent(),
      PackageName: Match.absent(),
    });
  });

  test('content identity changes when any byte of a named file changes', () => {
    // GIVEN two packages that differ only in the model's bytes, under the same names
    const hashOf = (modelBytes: string) => {
      const stack = newStack();
      const fixture = writeModelPackage({ modelBytes });
      new PanoramaPackageImport(stack, 'Model', { source: PackageSource.fromDirectory(fixture.packageDir) });
      return onlyResource(Template.fromStack(stack), IMPORT).Properties.Source.ContentHash;
    };
    // THEN their content hashes differ, and the same bytes give the same hash
    expect(hashOf('weights A')).not.toEqual(hashOf('weights B'));
    expect(hashOf('weights A')).toEqual(hashOf('weights A'));
  });

  test('outputs: true emits every attribute as a CfnOutput', () => {
    // GIVEN an import that asks for outputs
    const stack = newStack();
    new PanoramaPackageImport(stack, 'Model', { source: PackageSource.fromDirectory(writeModelPackage().packageDir), outputs: true });
    // THEN the package ARN, the storage location and the rest are outputs over the custom resource's attributes
    const outputs = Template.fromStack(stack).toJSON().Outputs;
    const names = Object.keys(outputs).map((k) => k.replace(/^Model/, '').replace(/[0-9A-F]{8}$/, ''));
    expect(names.sort()).toEqual(['BinaryPrefixLocation', 'GeneratedPrefixLocation', 'ImportJobId', 'ManifestPrefixLocation', 'PackageArn', 'PackageId', 'PackageName', 'PackageVersion', 'PatchVersion', 'RepoPrefixLocation', 'StorageBucket']);
    expect(Object.values(outputs).map((o: any) => o.Value['Fn::GetAtt'][1])).toContain('StorageLocation.Bucket');
  });

  test('addOutputs twice emits each output once', () => {
    // GIVEN an import
    const stack = newStack();
    const imported = new PanoramaPackageImport(stack, 'Model', { source: PackageSource.fromDirectory(writeModelPackage().packageDir) });
    // WHEN outputs are requested twice
    imported.addOutputs();
    imported.addOutputs();
    // THEN there are eleven outputs
    expect(Object.keys(Template.fromStack(stack).toJSON().Outputs)).toHaveLength(11);
  });

  test('attributes are tokens over the custom resource', () => {
    // GIVEN an import
    const stack = newStack();
    const imported = new PanoramaPackageImport(stack, 'Model', { source: PackageSource.fromDirectory(writeModelPackage().packageDir) });
    // THEN each attribute resolves to a GetAtt of the resource
    const resolved = stack.resolve(imported.packageArn);
    expect(resolved).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Model/), 'PackageArn'] });
    expect(stack.resolve(imported.manifestPrefixLocation)['Fn::GetAtt'][1]).toBe('StorageLocation.ManifestPrefixLocation');
  });
});

describe('the shared provider', () => {
  test('ten imports use as many Lambda functions as one', () => {
    // GIVEN a stack with one import and a stack with ten
    const countFunctions = (imports: number) => {
      const stack = newStack();
      for (let i = 0; i < imports; i++) {
        new PanoramaPackageImport(stack, `Model${i}`, { source: PackageSource.fromDirectory(writeModelPackage({ name: `MODEL_${i}` }).packageDir) });
      }
      const template = Template.fromStack(stack);
      return { functions: Object.keys(template.findResources('AWS::Lambda::Function')).length, imports: Object.keys(template.findResources(IMPORT)).length };
    };
    // THEN both have the same functions, and one custom resource per import
    const one = countFunctions(1);
    const ten = countFunctions(10);
    expect(ten.functions).toBe(one.functions);
    expect([one.imports, ten.imports]).toEqual([1, 10]);
  });

  test('a different timeout gets its own provider', () => {
    // GIVEN two imports, one with a shorter total timeout
    const stack = newStack();
    new PanoramaPackageImport(stack, 'A', { source: PackageSource.fromDirectory(writeModelPackage().packageDir) });
    new PanoramaPackageImport(stack, 'B', { source: PackageSource.fromDirectory(writeModelPackage().packageDir), totalTimeout: Duration.minutes(10) });
    // THEN there are two state machines (one per provider) and the service tokens differ
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 2);
    const tokens = Object.values(template.findResources(IMPORT)).map((r: any) => JSON.stringify(r.Properties.ServiceToken));
    expect(new Set(tokens).size).toBe(2);
  });

  test('a VPC configuration puts the handlers in the VPC', () => {
    // GIVEN an import with a VPC and a security group
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1 });
    const securityGroup = new ec2.SecurityGroup(stack, 'Sg', { vpc });
    new PanoramaPackageImport(stack, 'Model', { source: PackageSource.fromDirectory(writeModelPackage().packageDir), vpc, securityGroups: [securityGroup] });
    // THEN both handlers run with that security group
    const functions = Template.fromStack(stack).findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('^(Stages|Waits for) a Panorama') } });
    expect(Object.keys(functions)).toHaveLength(2);
    for (const fn of Object.values(functions) as any[]) {
      expect(fn.Properties.VpcConfig.SecurityGroupIds).toEqual([{ 'Fn::GetAtt': [expect.stringMatching(/^Sg/), 'GroupId'] }]);
    }
  });

  test('a role of your own runs the handlers and receives the grants', () => {
    // GIVEN an import with a role of the user's
    const stack = newStack();
    const role = new iam.Role(stack, 'MyRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    new PanoramaPackageImport(stack, 'Model', { source: PackageSource.fromDirectory(writeModelPackage().packageDir), role });
    // THEN the handlers use it and its policy allows the import
    const template = Template.fromStack(stack);
    const functions = template.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('^(Stages|Waits for) a Panorama') } });
    for (const fn of Object.values(functions) as any[]) {
      expect(fn.Properties.Role['Fn::GetAtt'][0]).toMatch(/^MyRole/);
    }
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^MyRole') }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['panorama:CreatePackageImportJob']) })]) },
    });
  });

  test('a log group of your own receives the handlers logs', () => {
    // GIVEN an import with a log group of the user's
    const stack = newStack();
    const logGroup = new logs.LogGroup(stack, 'MyLogs');
    new PanoramaPackageImport(stack, 'Model', { source: PackageSource.fromDirectory(writeModelPackage().packageDir), logGroup });
    // THEN no other log group is created and the handlers log there
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Logs::LogGroup', 1);
    template.hasResourceProperties('AWS::Lambda::Function', { LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('^MyLogs') } } });
  });
});

describe('staging bucket', () => {
  test('is encrypted, SSL-only, private, and expires stale staging objects', () => {
    // GIVEN a directory import
    const stack = newStack();
    new PanoramaPackageImport(stack, 'Model', { source: PackageSource.fromDirectory(writeModelPackage().packageDir) });
    // THEN the staging bucket follows the security defaults
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LifecycleConfiguration: { Rules: [Match.objectLike({ Prefix: 'imports/', ExpirationInDays: 1, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' })] },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  test('one staging bucket serves every import of the stack', () => {
    // GIVEN three directory imports
    const stack = newStack();
    for (const id of ['A', 'B', 'C']) {
      new PanoramaPackageImport(stack, id, { source: PackageSource.fromDirectory(writeModelPackage().packageDir) });
    }
    // THEN there is one bucket
    Template.fromStack(stack).resourceCountIs('AWS::S3::Bucket', 1);
  });
});

describe('IAM', () => {
  test('the handler role gets exactly the statements a RETAIN import needs', () => {
    // GIVEN a default directory import
    const stack = newStack();
    new PanoramaPackageImport(stack, 'Model', { source: PackageSource.fromDirectory(writeModelPackage().packageDir) });
    const statements = handlerStatements(Template.fromStack(stack));
    // THEN: logs on its log group; the four unscoped Panorama actions on "*"; the rest on packages; S3 scoped
    const packageArn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':panorama:us-east-1:111111111111:package/*']] };
    expect(statements).toEqual([
      { Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [expect.stringMatching(/Logs/), 'Arn'] } },
      { Action: ['panorama:CreatePackageImportJob', 'panorama:DescribePackageImportJob', 'panorama:ListPackageImportJobs', 'panorama:CreatePackage'], Effect: 'Allow', Resource: '*' },
      {
        Action: ['panorama:DescribePackage', 'panorama:DescribePackageVersion', 'panorama:RegisterPackageVersion', 'panorama:TagResource', 'panorama:UntagResource'],
        Effect: 'Allow',
        Resource: packageArn,
      },
      { Action: 's3:GetObject', Effect: 'Allow', Resource: [0, 1, 2].map(() => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, expect.stringMatching(/^:s3:::cdk-hnb659fds-assets-111111111111-us-east-1\/[0-9a-f]{64}\.(json|gz)$/)]] })) },
      { Action: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject', 's3:AbortMultipartUpload'], Effect: 'Allow', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^PanoramaPackageImportStagingBucket/), 'Arn'] }, '/imports/*']] } },
    ]);
  });

  test('no statement has a wildcard action, and only the four unscoped Panorama actions use Resource "*"', () => {
    // GIVEN an import that uses DESTROY, tags and a bucket source beside a directory source
    const stack = newStack();
    new PanoramaPackageImport(stack, 'A', { source: PackageSource.fromDirectory(writeModelPackage().packageDir), removalPolicy: RemovalPolicy.DESTROY, tags: { a: 'b' } });
    new PanoramaPackageImport(stack, 'B', { source: PackageSource.fromBucket(s3.Bucket.fromBucketName(stack, 'Src', 'src-bucket'), 'p/package.json') });
    const statements = handlerStatements(Template.fromStack(stack));
    // THEN
    for (const statement of statements) {
      for (const action of [statement.Action].flat()) expect(action).not.toMatch(/\*/);
      if (statement.Resource === '*') {
        expect(statement.Action).toEqual(['panorama:CreatePackageImportJob', 'panorama:DescribePackageImportJob', 'panorama:ListPackageImportJobs', 'panorama:CreatePackage']);
      }
    }
  });

  test('DESTROY adds deregistering and deleting, scoped to packages and Panorama access points', () => {
    // GIVEN an import under DESTROY
    const stack = newStack();
    new PanoramaPackageImport(stack, 'Model', { source: PackageSource.fromDirectory(writeModelPackage().packageDir), removalPolicy: RemovalPolicy.DESTROY });
    const statements = handlerStatements(Template.fromStack(stack));
    // THEN
    expect(statements).toContainEqual({ Action: ['panorama:DeregisterPackageVersion', 'panorama:DeletePackage'], Effect: 'Allow', Resource: expect.anything() });
    expect(statements).toContainEqual({ Action: 's3:DeleteObject', Effect: 'Allow', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:us-east-1:*:accesspoint/panorama*']] } });
  });

  test('RETAIN grants neither deregistering nor deleting', () => {
    // GIVEN an import under the default RETAIN
    const stack = newStack();
    new PanoramaPackageImport(stack, 'Model', { source: PackageSource.fromDirectory(writeModelPackage().packageDir) });
    // THEN no statement mentions them
    const actions = handlerStatements(Template.fromStack(stack)).flatMap((s) => [s.Action].flat());
    expect(actions).not.toContain('panorama:DeregisterPackageVersion');
    expect(actions).not.toContain('panorama:DeletePackage');
  });

  test('a bucket source grants read on the manifest folder only', () => {
    // GIVEN a bucket source
    const stack = newStack();
    new PanoramaPackageImport(stack, 'Model', { source: PackageSource.fromBucket(s3.Bucket.fromBucketName(stack, 'Src', 'src-bucket'), 'apps/squeezenet/package.json') });
    // THEN read is granted on apps/squeezenet/* of that bucket
    expect(handlerStatements(Template.fromStack(stack))).toContainEqual({
      Action: 's3:GetObject',
      Effect: 'Allow',
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::src-bucket/apps/squeezenet/*']] },
    });
  });
});

describe('overriding the manifest', () => {
  test('a packageName other than the manifest\'s is written into the staged manifest', () => {
    // GIVEN a package whose manifest names SQUEEZENET_PYTORCH 1.0
    const stack = newStack();
    const fixture = writeModelPackage({ name: 'SQUEEZENET_PYTORCH', version: '1.0' });
    // WHEN it is imported as other_name 2.0
    const imported = new PanoramaPackageImport(stack, 'Model', { source: PackageSource.fromDirectory(fixture.packageDir), packageName: 'other_name', packageVersion: '2.0' });
    // THEN the staged manifest asset is a copy that says other_name 2.0, the original is untouched
    const assembly = (stack.node.root as App).synth();
    const manifestAsset = imported.node.findChild('Manifest') as s3_assets.Asset;
    const staged = JSON.parse(fs.readFileSync(path.join(assembly.directory, manifestAsset.assetPath), 'utf-8'));
    expect(staged.nodePackage).toMatchObject({ name: 'other_name', version: '2.0' });
    expect(JSON.parse(fs.readFileSync(fixture.manifestPath, 'utf-8')).nodePackage).toMatchObject({ name: 'SQUEEZENET_PYTORCH', version: '1.0' });
  });

  test('the manifest as it is is staged when the name and version match', () => {
    // GIVEN the same package imported with its own name spelled out, and without it
    const hashOf = (props: { packageName?: string }) => {
      const stack = newStack();
      new PanoramaPackageImport(stack, 'Model', { source: PackageSource.fromDirectory(writeModelPackage({ name: 'SQUEEZENET_PYTORCH' }).packageDir), ...props });
      return onlyResource(Template.fromStack(stack), IMPORT).Properties.Source.ContentHash;
    };
    // THEN the content is the same
    expect(hashOf({ packageName: 'SQUEEZENET_PYTORCH' })).toEqual(hashOf({}));
  });
});
