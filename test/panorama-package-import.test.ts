import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { App, CfnParameter, CfnResource, Duration, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3_assets from 'aws-cdk-lib/aws-s3-assets';
import { PackageImportJobType, PackageSource, PanoramaPackageImport } from '../src';
import { modelPackage, writeModelPackage, writePackageFixture, removeFixtures } from './support/package-fixture';
import { handlerStatements, newStack, onlyResource, vpcWithIsolatedSubnets } from './support/stacks';
import { readImportSpec } from '../src/handler/resource-properties';
import { PACKAGE_IMPORT_ATTRIBUTES } from '../src/rules/contract';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

afterAll(removeFixtures);

const IMPORT = 'Custom::PanoramaPackageImport';

/** The attributes as the README's "Attributes and outputs" table documents them: property -> `Fn::GetAtt` name. */
function documentedAttributes(): Record<string, string> {
  const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Attributes and outputs'));
  const table = section.slice(0, section.indexOf('\n\n', section.indexOf('|')));
  return Object.fromEntries([...table.matchAll(/^\| `(\w+)` \| `([\w.]+)` \|/gm)].map(([, property, name]) => [property, name]));
}

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

  test('content identity changes when any byte of a named file changes, under the same names', () => {
    // GIVEN packages whose manifest names fixed file names (model.tar.gz, descriptor.json), so only bytes differ
    const descriptor = (height: number) => JSON.stringify({ mlModelDescriptor: { envelopeVersion: '2021-01-01', framework: 'PYTORCH', inputs: [{ name: 'data', shape: [1, 3, height, 224] }] } });
    const hashOf = (files: { model: string; descriptor: string }) => {
      const stack = newStack();
      const { manifest } = modelPackage();
      const implementation = (manifest.nodePackage as any).assets[0].implementations[0];
      implementation.assetUri = 'model.tar.gz';
      implementation.descriptorUri = 'descriptor.json';
      const fixture = writePackageFixture({ manifest, files: [{ name: 'model.tar.gz', content: files.model }, { name: 'descriptor.json', content: files.descriptor }] });
      new PanoramaPackageImport(stack, 'Model', { source: PackageSource.fromDirectory(fixture.packageDir) });
      const props = onlyResource(Template.fromStack(stack), IMPORT).Properties;
      // staged under the digests of their bytes, as panorama-cli names files
      expect(props.Source.Files.map((f: any) => f.Name)).toEqual(['package.json', `${sha256(files.model)}.tar.gz`, `${sha256(files.descriptor)}.json`]);
      return props.Source.ContentHash;
    };
    // THEN one changed byte of the model or of the descriptor changes the hash, and the same bytes give the same hash
    const base = hashOf({ model: 'weights A', descriptor: descriptor(224) });
    expect(hashOf({ model: 'weights B', descriptor: descriptor(224) })).not.toEqual(base);
    expect(hashOf({ model: 'weights A', descriptor: descriptor(225) })).not.toEqual(base);
    expect(hashOf({ model: 'weights A', descriptor: descriptor(224) })).toEqual(base);
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
    const logicalId = stack.getLogicalId(imported.node.defaultChild as CfnResource);
    // THEN each attribute resolves to a GetAtt of the resource, under the name the README documents
    const documented = documentedAttributes();
    const resolved = Object.fromEntries(Object.keys(documented).map((property) => [property, stack.resolve((imported as any)[property])]));
    expect(resolved).toEqual(Object.fromEntries(Object.entries(documented).map(([property, name]) => [property, { 'Fn::GetAtt': [logicalId, name] }])));
    // AND the README documents every attribute the handler returns
    expect(Object.keys(documented).sort()).toEqual(Object.keys(PACKAGE_IMPORT_ATTRIBUTES).sort());
  });
});

describe('the handler role', () => {
  test('is the role the handlers run with, and a grant on it reaches them', () => {
    // GIVEN an import, and a KMS key the construct cannot see (say, of a bucket imported by name)
    const stack = newStack();
    const imported = new PanoramaPackageImport(stack, 'Model', { source: PackageSource.fromDirectory(writeModelPackage().packageDir) });
    const key = new kms.Key(stack, 'Key');
    // WHEN the user grants decrypt to handlerRole
    key.grantDecrypt(imported.handlerRole);
    // THEN both handlers run with that role, and its policy allows kms:Decrypt on the key
    const template = Template.fromStack(stack);
    const roleId = stack.getLogicalId(imported.handlerRole.node.defaultChild as CfnResource);
    const functions = Object.values(template.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('^(Stages|Waits for) a Panorama') } })) as any[];
    expect(functions.map((fn) => fn.Properties.Role)).toEqual([{ 'Fn::GetAtt': [roleId, 'Arn'] }, { 'Fn::GetAtt': [roleId, 'Arn'] }]);
    expect(handlerStatements(template)).toContainEqual({ Action: 'kms:Decrypt', Effect: 'Allow', Resource: { 'Fn::GetAtt': [expect.stringMatching(/^Key/), 'Arn'] } });
  });

  test('is the role given, when one is', () => {
    // GIVEN an import with a role of the user's
    const stack = newStack();
    const role = new iam.Role(stack, 'MyRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    // WHEN imported
    const imported = new PanoramaPackageImport(stack, 'Model', { source: PackageSource.fromDirectory(writeModelPackage().packageDir), role });
    // THEN handlerRole is that role
    expect(imported.handlerRole).toBe(role);
  });

  test('is shared by the imports that share a provider', () => {
    // GIVEN two imports with the same handler settings, and one with another timeout
    const stack = newStack();
    // (three packages: one package version has one import per stack)
    const source = (name: string) => PackageSource.fromDirectory(writeModelPackage({ name }).packageDir);
    const a = new PanoramaPackageImport(stack, 'A', { source: source('A') });
    const b = new PanoramaPackageImport(stack, 'B', { source: source('B') });
    const other = new PanoramaPackageImport(stack, 'C', { source: source('C'), totalTimeout: Duration.minutes(10) });
    // THEN the first two have one role, the third another
    expect(a.handlerRole).toBe(b.handlerRole);
    expect(other.handlerRole).not.toBe(a.handlerRole);
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
    new PanoramaPackageImport(stack, 'A', { source: PackageSource.fromDirectory(writeModelPackage({ name: 'A' }).packageDir) });
    new PanoramaPackageImport(stack, 'B', { source: PackageSource.fromDirectory(writeModelPackage({ name: 'B' }).packageDir), totalTimeout: Duration.minutes(10) });
    // THEN there are two state machines (one per provider) and the service tokens differ
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 2);
    const tokens = Object.values(template.findResources(IMPORT)).map((r: any) => JSON.stringify(r.Properties.ServiceToken));
    expect(new Set(tokens).size).toBe(2);
  });

  test('a VPC configuration puts the handlers in the VPC\'s private subnets, with the network-interface grant', () => {
    // GIVEN an import with a VPC (one AZ: one public and one private subnet) and a security group
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1 });
    const securityGroup = new ec2.SecurityGroup(stack, 'Sg', { vpc });
    new PanoramaPackageImport(stack, 'Model', { source: PackageSource.fromDirectory(writeModelPackage().packageDir), vpc, securityGroups: [securityGroup] });
    const template = Template.fromStack(stack);
    // THEN both handlers run in the private subnet with that security group
    const functions = template.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('^(Stages|Waits for) a Panorama') } });
    expect(Object.keys(functions)).toHaveLength(2);
    const privateSubnets = vpc.privateSubnets.map((subnet) => stack.resolve(subnet.subnetId));
    expect(privateSubnets).toHaveLength(1);
    for (const fn of Object.values(functions) as any[]) {
      expect(fn.Properties.VpcConfig).toEqual({
        SubnetIds: privateSubnets,
        SecurityGroupIds: [{ 'Fn::GetAtt': [expect.stringMatching(/^Sg/), 'GroupId'] }],
      });
    }
    // AND the role may create and delete the network interfaces Lambda needs there
    expect(handlerStatements(template)).toContainEqual({
      Action: ['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'],
      Effect: 'Allow',
      Resource: '*',
    });
  });

  test('vpcSubnets chooses the subnets the handlers run in', () => {
    // GIVEN an import in the isolated subnets of a VPC that also has private ones with egress
    const stack = newStack();
    const vpc = vpcWithIsolatedSubnets(stack);
    new PanoramaPackageImport(stack, 'Model', {
      source: PackageSource.fromDirectory(writeModelPackage().packageDir), vpc, vpcSubnets: { subnetGroupName: 'Isolated' },
    });
    // THEN both handlers run there, not in the default (egress) subnets
    const functions = Template.fromStack(stack).findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('^(Stages|Waits for) a Panorama') } });
    expect(Object.keys(functions)).toHaveLength(2);
    const isolated = vpc.isolatedSubnets.map((subnet) => stack.resolve(subnet.subnetId));
    expect(isolated).toHaveLength(1);
    expect(isolated).not.toEqual(vpc.privateSubnets.map((subnet) => stack.resolve(subnet.subnetId)));
    for (const fn of Object.values(functions) as any[]) {
      expect(fn.Properties.VpcConfig.SubnetIds).toEqual(isolated);
    }
  });

  test('without a VPC, neither a VPC configuration nor the network-interface grant', () => {
    // GIVEN a default import
    const stack = newStack();
    new PanoramaPackageImport(stack, 'Model', { source: PackageSource.fromDirectory(writeModelPackage().packageDir) });
    const template = Template.fromStack(stack);
    // THEN
    const functions = Object.values(template.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('^(Stages|Waits for) a Panorama') } })) as any[];
    expect(functions).toHaveLength(2);
    expect(functions.map((fn) => fn.Properties.VpcConfig)).toEqual([undefined, undefined]);
    expect(handlerStatements(template).flatMap((st) => [st.Action].flat()).filter((action: string) => action.startsWith('ec2:'))).toEqual([]);
  });

  test('a role of your own runs the handlers and receives the grants', () => {
    // GIVEN an import with a role of the user's
    const stack = newStack();
    const role = new iam.Role(stack, 'MyRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    new PanoramaPackageImport(stack, 'Model', { source: PackageSource.fromDirectory(writeModelPackage().packageDir), role });
    // THEN the handlers use it and its policy allows the import
    const template = Template.fromStack(stack);
    const functions = template.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('^(Stages|Waits for) a Panorama') } });
    expect(Object.keys(functions)).toHaveLength(2);
    for (const fn of Object.values(functions) as any[]) {
      expect(fn.Properties.Role['Fn::GetAtt'][0]).toMatch(/^MyRole/);
    }
    expect(Object.keys(template.findResources('AWS::IAM::Role')).filter((id) => /^PanoramaPackageImportProvider[0-9a-f]*Role[0-9A-F]{8}$/.test(id))).toEqual([]); // no handler role of its own
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
    // THEN no other log group is created
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Logs::LogGroup', 1);
    // AND every function of the import's provider (both handlers and the framework's three) logs there
    const myLogs = { Ref: stack.getLogicalId(logGroup.node.defaultChild as CfnResource) };
    const providerFunctions = Object.entries(template.findResources('AWS::Lambda::Function')).filter(([id]) => id.startsWith('PanoramaPackageImportProvider'));
    const logGroups = providerFunctions.map(([id, fn]: [string, any]) => [id, fn.Properties.LoggingConfig?.LogGroup]);
    expect(logGroups).toEqual(providerFunctions.map(([id]) => [id, myLogs]));
    expect(providerFunctions).toHaveLength(5);
    // AND so does the waiter state machine
    const waiter = onlyResource(template, 'AWS::StepFunctions::StateMachine');
    expect(waiter.Properties.LoggingConfiguration.Destinations).toEqual([{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [myLogs.Ref, 'Arn'] } } }]);
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

describe('values that are tokens at synth', () => {
  test('a CfnParameter packageName is not checked at synth, reaches the handler as a Ref, and leaves the staged manifest as it is', () => {
    // GIVEN a package named SQUEEZENET_PYTORCH imported under a name chosen at deploy time
    const stack = newStack();
    const fixture = writeModelPackage({ name: 'SQUEEZENET_PYTORCH' });
    const name = new CfnParameter(stack, 'PackageNameParam');
    // WHEN it is synthesized
    const imported = new PanoramaPackageImport(stack, 'Model', { source: PackageSource.fromDirectory(fixture.packageDir), packageName: name.valueAsString });
    // THEN the property is the parameter, for the handler to check
    const props = onlyResource(Template.fromStack(stack), IMPORT).Properties;
    expect(props.PackageName).toEqual({ Ref: 'PackageNameParam' });
    // AND the staged manifest is the folder's own (a token cannot be written into it): the job then
    // checks at deploy time that the parameter's value is the manifest's name
    const manifestAsset = imported.node.findChild('Manifest') as s3_assets.Asset;
    const assembly = (stack.node.root as App).synth();
    expect(fs.readFileSync(path.join(assembly.directory, manifestAsset.assetPath))).toEqual(fs.readFileSync(fixture.manifestPath));
  });

  test('a Lazy packageVersion is resolved into the template unchecked; the handler refuses it with the synth-time rule', () => {
    // GIVEN a version only known once the app is synthesized
    const stack = newStack();
    const version = Lazy.string({ produce: () => '1.0.0' });
    // WHEN the import is constructed / THEN nothing is refused yet
    new PanoramaPackageImport(stack, 'Model', { source: PackageSource.fromDirectory(writeModelPackage().packageDir), packageVersion: version });
    const props = onlyResource(Template.fromStack(stack), IMPORT).Properties;
    expect(props.PackageVersion).toBe('1.0.0');
    // AND the handler, reading the properties, refuses the value naming the field and the rule
    expect(() => readImportSpec(props)).toThrow('packageVersion: "1.0.0" must match ^([0-9]+)\\.([0-9]+)$');
  });

  test('tags whose key or value is a token are left to the handler; the known ones are checked at synth', () => {
    // GIVEN a tag whose value is a parameter
    const stack = newStack();
    const owner = new CfnParameter(stack, 'Owner');
    const construct = (tags: Record<string, string>) => new PanoramaPackageImport(stack, `Model${Object.keys(tags).length}`, {
      source: PackageSource.fromDirectory(writeModelPackage().packageDir), tags,
    });
    // WHEN it is the only tag / THEN the import is synthesized with the parameter as the value
    construct({ owner: owner.valueAsString });
    Template.fromStack(stack).hasResourceProperties(IMPORT, { Tags: { owner: { Ref: 'Owner' } } });
    // AND beside a known tag that is too long, only the known one is refused
    expect(() => construct({ owner: owner.valueAsString, team: 'v'.repeat(257) }))
      .toThrow(/^tags\["team"\]: "v+…v+" \(259 characters\) must be at most 256 characters long \(it has 257\)$/);
  });

  test('a token manifestKey grants read on the whole bucket, as the folder cannot be known at synth', () => {
    // GIVEN a bucket source whose key is a parameter
    const stack = newStack();
    const key = new CfnParameter(stack, 'ManifestKey');
    new PanoramaPackageImport(stack, 'Model', { source: PackageSource.fromBucket(s3.Bucket.fromBucketName(stack, 'Src', 'src-bucket'), key.valueAsString) });
    // THEN the handler may read any object of that bucket, and of no other
    const reads = handlerStatements(Template.fromStack(stack)).filter((st) => st.Action === 's3:GetObject');
    expect(reads).toEqual([{ Action: 's3:GetObject', Effect: 'Allow', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::src-bucket/*']] } }]);
    onlyResource(Template.fromStack(stack), IMPORT);
    Template.fromStack(stack).hasResourceProperties(IMPORT, { Source: { Type: 'Bucket', Bucket: 'src-bucket', ManifestKey: { Ref: 'ManifestKey' } } });
  });
});

describe('the handlers and the waiter', () => {
  test('onEvent may run 15 minutes (large copies), isComplete 2 (one look at the job)', () => {
    // GIVEN an import
    const stack = newStack();
    new PanoramaPackageImport(stack, 'Model', { source: PackageSource.fromDirectory(writeModelPackage().packageDir) });
    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', { Description: 'Stages a Panorama node package and starts its import job', Timeout: 900 });
    template.hasResourceProperties('AWS::Lambda::Function', { Description: 'Waits for a Panorama package import job and describes the package', Timeout: 120 });
  });

  test('the waiter logs every event but never its input, which holds the pre-signed ResponseURL', () => {
    // GIVEN an import
    const stack = newStack();
    new PanoramaPackageImport(stack, 'Model', { source: PackageSource.fromDirectory(writeModelPackage().packageDir) });
    // THEN the state machine logs at level ALL without execution data, to the handlers' log group
    const machine = onlyResource(Template.fromStack(stack), 'AWS::StepFunctions::StateMachine');
    expect(machine.Properties.LoggingConfiguration).toEqual({
      Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [expect.stringMatching(/^PanoramaPackageImportProviderLogs/), 'Arn'] } } }],
      IncludeExecutionData: false,
      Level: 'ALL',
    });
  });
});

describe('fromDirectory options', () => {
  const DESCRIPTOR = modelPackage().files[1].content as string;

  /** A package folder whose manifest names model.tar.gz and descriptor.json; where they live is the test's choice. */
  function packageFolder(options: { manifestName?: string; assetsIn: 'assets' | 'package' | 'custom' }): { packageDir: string; customAssets: string } {
    const { manifest } = modelPackage();
    const implementation = (manifest.nodePackage as any).assets[0].implementations[0];
    implementation.assetUri = 'model.tar.gz';
    implementation.descriptorUri = 'descriptor.json';
    const fixture = writePackageFixture({ manifest });
    if (options.manifestName) fs.renameSync(fixture.manifestPath, path.join(fixture.packageDir, options.manifestName));
    const customAssets = path.join(fixture.appDir, 'elsewhere');
    const folder = { assets: fixture.assetsDir, package: fixture.packageDir, custom: customAssets }[options.assetsIn];
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, 'model.tar.gz'), `model in ${options.assetsIn}`);
    fs.writeFileSync(path.join(folder, 'descriptor.json'), DESCRIPTOR);
    return { packageDir: fixture.packageDir, customAssets };
  }

  /** The staged files of the only import: manifest name and the bytes of each asset. */
  function stagedFiles(stack: Stack, imported: PanoramaPackageImport): Record<string, string> {
    const assembly = (stack.node.root as App).synth();
    const assets = imported.node.findAll().filter((c): c is s3_assets.Asset => c instanceof s3_assets.Asset);
    const names = onlyResource(Template.fromStack(stack), IMPORT).Properties.Source.Files.map((f: any) => f.Name);
    expect(assets).toHaveLength(names.length);
    return Object.fromEntries(names.map((name: string, i: number) => [name, fs.readFileSync(path.join(assembly.directory, assets[i].assetPath), 'utf8')]));
  }

  test('files are found in <app>/assets by default', () => {
    // GIVEN the CLI's layout / WHEN imported / THEN the assets folder's files are staged
    const stack = newStack();
    const imported = new PanoramaPackageImport(stack, 'Model', { source: PackageSource.fromDirectory(packageFolder({ assetsIn: 'assets' }).packageDir) });
    expect(stagedFiles(stack, imported)).toMatchObject({ [`${sha256('model in assets')}.tar.gz`]: 'model in assets' });
  });

  test('a file missing from the assets folder is found beside the manifest', () => {
    // GIVEN files kept in the package folder itself / WHEN imported / THEN those are staged
    const stack = newStack();
    const imported = new PanoramaPackageImport(stack, 'Model', { source: PackageSource.fromDirectory(packageFolder({ assetsIn: 'package' }).packageDir) });
    expect(stagedFiles(stack, imported)).toMatchObject({ [`${sha256('model in package')}.tar.gz`]: 'model in package', [`${sha256(DESCRIPTOR)}.json`]: DESCRIPTOR });
  });

  test('assetsDirectory names another assets folder', () => {
    // GIVEN files in a folder of the user's choice
    const stack = newStack();
    const folder = packageFolder({ assetsIn: 'custom' });
    // WHEN imported with assetsDirectory / THEN its files are staged
    const imported = new PanoramaPackageImport(stack, 'Model', { source: PackageSource.fromDirectory(folder.packageDir, { assetsDirectory: folder.customAssets }) });
    expect(stagedFiles(stack, imported)).toMatchObject({ [`${sha256('model in custom')}.tar.gz`]: 'model in custom' });
    // AND without it, they are not found
    expect(() => new PanoramaPackageImport(newStack(), 'Model', { source: PackageSource.fromDirectory(folder.packageDir) })).toThrow(/assetUri: "model.tar.gz" must name a file in .* but none is there/);
  });

  test('manifestFileName names the manifest, which is staged as package.json all the same', () => {
    // GIVEN a package folder whose manifest is manifest.json
    const stack = newStack();
    const folder = packageFolder({ manifestName: 'manifest.json', assetsIn: 'assets' });
    // WHEN imported with manifestFileName
    const imported = new PanoramaPackageImport(stack, 'Model', { source: PackageSource.fromDirectory(folder.packageDir, { manifestFileName: 'manifest.json' }) });
    // THEN its content is staged under the name the import job reads
    const staged = stagedFiles(stack, imported);
    expect(Object.keys(staged)).toEqual(['package.json', `${sha256('model in assets')}.tar.gz`, `${sha256(DESCRIPTOR)}.json`]);
    const onDisk = JSON.parse(fs.readFileSync(path.join(folder.packageDir, 'manifest.json'), 'utf8'));
    expect(JSON.parse(staged['package.json']).nodePackage.interfaces).toEqual(onDisk.nodePackage.interfaces);
    // AND without the option, the folder has no manifest
    expect(() => new PanoramaPackageImport(newStack(), 'Model', { source: PackageSource.fromDirectory(folder.packageDir) })).toThrow(/package.json: missing must exist/);
  });
});
