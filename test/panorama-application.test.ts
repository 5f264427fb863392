/**
 * PanoramaApplication at synth: the imports it makes, the application instance it creates, and the
 * manifest payload, renamed to this stack's account and pinned to the imported patches.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { PackageImportOptions, PanoramaApplication, PanoramaPackageImport } from '../src';
import {
  CAMERA, cameraCodeDisplayProject, codePackage, DISPLAY, graphDocument, inboundNetworkProject, listed, modelPackage, parametersProject,
  SAMPLE_ACCOUNT, singleCodeNodeProject, twoCameraOverrides, writeApplication,
} from './support/application-fixture';
import { IMPORT, importIds, INSTANCE, instanceProperties, resolvedPayload, synthApplication } from './support/application-template';
import { removeFixtures } from './support/package-fixture';
import { handlersOf, onlyResource, TEST_ENV, vpcWithIsolatedSubnets } from './support/stacks';

afterAll(removeFixtures);

describe('the application instance', () => {
  test('is a CfnApplicationInstance with the id Resource, named after the graph folder, on the device', () => {
    // GIVEN the camera -> code -> display project, its graph in graphs/lobby_app
    const fixture = writeApplication(cameraCodeDisplayProject());
    // WHEN it is synthesized
    const { application, template } = synthApplication(fixture);
    // THEN one application instance, the construct's default child, with the graph folder's name
    expect(application.node.defaultChild).toBe(application.node.findChild('Resource'));
    const props = instanceProperties(template);
    expect(props.Name).toBe('lobby_app');
    expect(props.DefaultRuntimeContextDevice).toBe('device-0123');
    expect(props.Description).toBeUndefined();
    expect(props.RuntimeRoleArn).toBeUndefined();
    expect(props.ManifestOverridesPayload).toBeUndefined();
    expect(props.Tags).toBeUndefined();
  });

  test('depends on every import it makes', () => {
    // GIVEN a project with a code and a model package
    const fixture = writeApplication(cameraCodeDisplayProject());
    // WHEN synthesized
    const { template } = synthApplication(fixture);
    // THEN the instance depends on both imports
    const ids = importIds(template);
    expect(onlyResource(template, INSTANCE).DependsOn).toEqual(expect.arrayContaining([ids.COUNTER_CODE, ids.COUNTER_MODEL]));
  });

  test('every optional prop reaches the instance', () => {
    // GIVEN explicit name, description, runtime role, tags and overrides
    // WHEN synthesized
    const template = synthWithEveryProp();
    // THEN the instance carries them
    const props = instanceProperties(template);
    expect(props.Name).toBe('lobby-counter-prod');
    expect(props.Description).toBe('Counts people in the lobby');
    expect(props.RuntimeRoleArn).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Runtime/), 'Arn'] });
    expect(props.Tags).toEqual(expect.arrayContaining([{ Key: 'team', Value: 'vision' }, { Key: 'stage', Value: 'prod' }]));
    expect(JSON.parse(props.ManifestOverridesPayload.PayloadData)).toEqual(twoCameraOverrides());
  });

  test('its attributes are the instance\'s id, ARN and status', () => {
    // GIVEN an application
    const { application, stack } = synthApplication(writeApplication(singleCodeNodeProject()));
    // THEN each attribute resolves to the matching GetAtt of the resource
    const logicalId = stack.getLogicalId(application.node.defaultChild as any);
    expect(stack.resolve(application.applicationInstanceId)).toEqual({ 'Fn::GetAtt': [logicalId, 'ApplicationInstanceId'] });
    expect(stack.resolve(application.applicationInstanceArn)).toEqual({ 'Fn::GetAtt': [logicalId, 'Arn'] });
    expect(stack.resolve(application.applicationInstanceStatus)).toEqual({ 'Fn::GetAtt': [logicalId, 'Status'] });
    expect(application.applicationName).toBe('lobby_app');
    expect(application.graphName).toBe('lobby_app');
  });
});

describe('the graph', () => {
  test('is the only folder under graphs/ by default', () => {
    // GIVEN a project with one graph, named front_door
    const fixture = writeApplication({ ...singleCodeNodeProject(), graphName: 'front_door' });
    // WHEN synthesized without graphName
    const { template } = synthApplication(fixture);
    // THEN that graph is deployed under its folder's name
    expect(instanceProperties(template).Name).toBe('front_door');
  });

  test('graphName chooses among several', () => {
    // GIVEN a project with two graphs: the default one and a variant without the display
    const project = cameraCodeDisplayProject();
    const variant = JSON.parse(JSON.stringify(project.graph));
    variant.nodeGraph.nodes = variant.nodeGraph.nodes.filter((n: any) => n.name !== 'output_node');
    variant.nodeGraph.packages = variant.nodeGraph.packages.filter((p: any) => p.name !== DISPLAY);
    variant.nodeGraph.edges = variant.nodeGraph.edges.filter((e: any) => !e.consumer.startsWith('output_node'));
    const fixture = writeApplication({ ...project, files: { 'graphs/no_display/graph.json': variant } });
    // WHEN synthesized with graphName no_display
    const { template } = synthApplication(fixture, { graphName: 'no_display' });
    // THEN that graph is deployed
    expect(instanceProperties(template).Name).toBe('no_display');
    expect(resolvedPayload(template).nodeGraph.nodes.map((n: any) => n.name)).not.toContain('output_node');
  });
});

describe('imports', () => {
  test('every project package the graph lists is imported from its folder, named after the package', () => {
    // GIVEN the camera -> code -> display project (two project packages, two of AWS's)
    const fixture = writeApplication(cameraCodeDisplayProject());
    // WHEN synthesized
    const { application, template } = synthApplication(fixture);
    // THEN two imports, ids derived from the package names, reachable by name
    expect(Object.keys(importIds(template)).sort()).toEqual(['COUNTER_CODE', 'COUNTER_MODEL']);
    expect(application.packageNames).toEqual(['COUNTER_CODE', 'COUNTER_MODEL']);
    const code = application.packageImport('COUNTER_CODE');
    expect(code).toBeInstanceOf(PanoramaPackageImport);
    expect(code.node.id).toBe('Package-COUNTER_CODE');
    expect(application.packageImport('COUNTER_MODEL').node.path).toBe('AppStack/App/Package-COUNTER_MODEL');
  });

  test('an unknown package name is refused, naming the packages there are', () => {
    // GIVEN an application
    const { application } = synthApplication(writeApplication(cameraCodeDisplayProject()));
    // WHEN an import is looked up by a name the application does not import
    // THEN the error names it and lists the imported packages
    expect(() => application.packageImport('panorama::hdmi_data_sink')).toThrow(
      /packageName: "panorama::hdmi_data_sink" must be one of the packages this application imports: COUNTER_CODE, COUNTER_MODEL/);
  });

  test('ids are stable: reordering the graph\'s packages changes no logical id', () => {
    // GIVEN the same project twice, the second with packages[] reversed
    const project = cameraCodeDisplayProject();
    const reversed = JSON.parse(JSON.stringify(project.graph));
    reversed.nodeGraph.packages.reverse();
    // WHEN both are synthesized
    const before = importIds(synthApplication(writeApplication(project)).template);
    const after = importIds(synthApplication(writeApplication({ ...project, graph: reversed })).template);
    // THEN each package keeps its logical id
    expect(after).toEqual(before);
  });

  test('all imports share the stack\'s one Provider', () => {
    // GIVEN an application of two packages and a separate import of a third, in one stack
    const fixture = writeApplication(cameraCodeDisplayProject());
    const stack = new Stack(new App(), 'AppStack', { env: TEST_ENV });
    new PanoramaApplication(stack, 'App', { projectDirectory: fixture.projectDir, device: 'device-0123' });
    const other = writeApplication({ packages: [modelPackage('OTHER_MODEL')], graph: graphDocument({ packages: [listed('OTHER_MODEL')], nodes: [{ name: 'm', interface: `${SAMPLE_ACCOUNT}::OTHER_MODEL.interface` }] }) });
    new PanoramaApplication(stack, 'Other', { projectDirectory: other.projectDir, device: 'device-0123' });
    // WHEN synthesized
    const template = Template.fromStack(stack);
    // THEN one Provider: one service token for the three imports, and the handler functions once
    const tokens = Object.values(template.findResources(IMPORT)).map((r: any) => JSON.stringify(r.Properties.ServiceToken));
    expect(tokens).toHaveLength(3);
    expect(new Set(tokens).size).toBe(1);
    expect(stack.node.findAll().filter((c) => c.node.id.startsWith('PanoramaPackageImportProvider'))).toHaveLength(1);
    expect(Object.keys(template.findResources('AWS::Lambda::Function')).filter((id) => /OnEvent|IsComplete/.test(id))).toHaveLength(2);
  });

  test('every import option is forwarded to every import', () => {
    // GIVEN an application that sets every import option (the type makes a new option fail to
    // compile here until it is set), each to a value other than its default
    const fixture = writeApplication(cameraCodeDisplayProject());
    const stack = new Stack(new App(), 'AppStack', { env: TEST_ENV });
    const vpc = vpcWithIsolatedSubnets(stack);
    const options: Required<PackageImportOptions> = {
      removalPolicy: RemovalPolicy.DESTROY,
      markLatest: false,
      totalTimeout: Duration.minutes(10),
      queryInterval: Duration.seconds(10),
      role: new iam.Role(stack, 'HandlerRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }),
      vpc,
      vpcSubnets: { subnetGroupName: 'Isolated' },
      securityGroups: [new ec2.SecurityGroup(stack, 'Sg', { vpc })],
      logGroup: new logs.LogGroup(stack, 'HandlerLogs'),
    };
    // WHEN synthesized
    new PanoramaApplication(stack, 'App', { projectDirectory: fixture.projectDir, device: 'device-0123', ...options });
    // THEN each import carries the removal and latest-marking options
    const template = Template.fromStack(stack);
    const imports = Object.values(template.findResources(IMPORT)) as any[];
    expect(imports).toHaveLength(2);
    const isolated = vpc.isolatedSubnets.map((subnet) => stack.resolve(subnet.subnetId));
    for (const imported of imports) {
      expect(imported.Properties).toMatchObject({ RemovalPolicy: 'destroy', MarkLatest: false });
      // AND its service token leads to handlers that run with the role, in the isolated subnets with
      // the security group, log to the log group, and are polled every 10 seconds for 10 minutes
      const handlers = handlersOf(template, imported);
      for (const fn of [handlers.onEvent, handlers.isComplete]) {
        expect(fn.Properties.Role).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^HandlerRole/), 'Arn'] });
        expect(fn.Properties.VpcConfig).toEqual({ SubnetIds: isolated, SecurityGroupIds: [{ 'Fn::GetAtt': [expect.stringMatching(/^Sg/), 'GroupId'] }] });
        expect(fn.Properties.LoggingConfig.LogGroup).toEqual({ Ref: expect.stringMatching(/^HandlerLogs/) });
      }
      expect(JSON.stringify(handlers.waiter.Properties.DefinitionString)).toMatch(/\\"IntervalSeconds\\":10,\\"MaxAttempts\\":60,/);
    }
  });

  test('handlerRole is the role every import runs its handlers with', () => {
    // GIVEN a project with a code and a model package
    const { application } = synthApplication(writeApplication(cameraCodeDisplayProject()));
    // THEN the application's handler role is each import's
    expect(application.handlerRole).toBeDefined();
    const roles = application.packageNames.map((name) => application.packageImport(name).handlerRole);
    expect(roles).toEqual([application.handlerRole, application.handlerRole]);
  });

  test('with no package of the project in the graph, nothing is imported and there is no handler role', () => {
    // GIVEN a graph of AWS's packages only: the camera shown on the display
    const fixture = writeApplication({
      packages: [],
      graph: graphDocument({
        packages: [listed(CAMERA), listed(DISPLAY)],
        nodes: [{ name: 'camera_node', interface: `${CAMERA}.rtsp_v1_interface` }, { name: 'output_node', interface: `${DISPLAY}.hdmi0` }],
        edges: [{ producer: 'camera_node.video_out', consumer: 'output_node.video_in' }],
      }),
    });
    // WHEN synthesized
    const { application, template } = synthApplication(fixture);
    // THEN no import, no handler, and no handler role
    expect(application.packageNames).toEqual([]);
    template.resourceCountIs(IMPORT, 0);
    template.resourceCountIs('AWS::Lambda::Function', 0);
    expect(application.handlerRole).toBeUndefined();
  });

  test('a package the graph lists but no node uses is imported and pinned too: the manifest names it', () => {
    // GIVEN a graph listing a model package that no node uses
    const project = singleCodeNodeProject();
    project.packages.push(modelPackage('SPARE_MODEL'));
    (project.graph as any).nodeGraph.packages.push(listed('SPARE_MODEL'));
    // WHEN synthesized
    const { template } = synthApplication(writeApplication(project));
    // THEN it is imported and pinned
    const ids = importIds(template);
    expect(resolvedPayload(template).nodeGraph.packages).toContainEqual({ name: `${TEST_ENV.account}::SPARE_MODEL`, version: '1.0', patchVersion: `patch-of-${ids.SPARE_MODEL}` });
  });

  test('a project package the graph does not list is not imported', () => {
    // GIVEN a project holding a package its graph does not list
    const project = singleCodeNodeProject();
    project.packages.push(modelPackage('UNUSED_MODEL'));
    // WHEN synthesized
    const { template } = synthApplication(writeApplication(project));
    // THEN only the listed package is imported
    expect(Object.keys(importIds(template))).toEqual(['inbound_code']);
  });

  test('a graph package maps to its folder whatever account either names', () => {
    // GIVEN a graph written in account 210987654321 and a package folder of account 123456789012
    const project = singleCodeNodeProject();
    const moved = codePackage('inbound_code', { interfaceName: 'code_interface', account: '123456789012' });
    // WHEN synthesized
    const { template } = synthApplication(writeApplication({ ...project, packages: [moved] }));
    // THEN the folder's package is imported under its name
    expect(Object.keys(importIds(template))).toEqual(['inbound_code']);
  });
});

describe('the manifest payload', () => {
  test('renames each project package to this stack\'s account and pins its imported patch', () => {
    // GIVEN the camera -> code -> display project, written in the sample account
    const fixture = writeApplication(cameraCodeDisplayProject());
    // WHEN synthesized in account 111111111111
    const { template } = synthApplication(fixture);
    // THEN packages[] and the nodes' interfaces name this account, each project package is pinned to
    // its import's PatchVersion attribute, and AWS's packages are left as they are
    const ids = importIds(template);
    const graph = resolvedPayload(template).nodeGraph;
    expect(graph.packages).toEqual([
      { name: '111111111111::COUNTER_CODE', version: '1.0', patchVersion: `patch-of-${ids.COUNTER_CODE}` },
      { name: '111111111111::COUNTER_MODEL', version: '1.0', patchVersion: `patch-of-${ids.COUNTER_MODEL}` },
      { name: DISPLAY, version: '1.0' },
      { name: CAMERA, version: '1.0' },
    ]);
    expect(graph.nodes.map((n: any) => n.interface)).toEqual([
      '111111111111::COUNTER_CODE.interface',
      '111111111111::COUNTER_MODEL.interface',
      `${DISPLAY}.hdmi0`,
      `${CAMERA}.rtsp_v1_interface`,
      'float32',
    ]);
    expect(JSON.stringify(graph)).not.toContain(SAMPLE_ACCOUNT);
  });

  test('keeps everything else of the graph as written', () => {
    // GIVEN the camera -> code -> display project
    const project = cameraCodeDisplayProject();
    // WHEN synthesized
    const { template } = synthApplication(writeApplication(project));
    // THEN edges, parameter nodes, decorators, launch and override flags are the graph's own
    const written = (project.graph as any).nodeGraph;
    const graph = resolvedPayload(template).nodeGraph;
    expect(graph.envelopeVersion).toBe('2021-01-01');
    expect(graph.edges).toEqual(written.edges);
    expect(graph.nodes.find((n: any) => n.name === 'camera_node')).toEqual(written.nodes.find((n: any) => n.name === 'camera_node'));
    expect(graph.nodes.find((n: any) => n.name === 'detection_threshold')).toEqual(written.nodes.find((n: any) => n.name === 'detection_threshold'));
  });

  test('in an environment-agnostic stack the account is the deploying account, filled in by CloudFormation', () => {
    // GIVEN a stack without env
    const fixture = writeApplication(cameraCodeDisplayProject());
    // WHEN synthesized
    const { template } = synthApplication(fixture, {}, {});
    // THEN the payload joins AWS::AccountId in, and resolves like the literal case
    const data = instanceProperties(template).ManifestPayload.PayloadData;
    expect(data['Fn::Join'][1]).toContainEqual({ Ref: 'AWS::AccountId' });
    expect(resolvedPayload(template, '444455556666').nodeGraph.packages[0].name).toBe('444455556666::COUNTER_CODE');
  });

  test('a patchVersion the graph pins for a project package is replaced by the imported one', () => {
    // GIVEN a graph that pins a patch of its code package by hand
    const project = singleCodeNodeProject();
    (project.graph as any).nodeGraph.packages[0].patchVersion = 'a'.repeat(64);
    // WHEN synthesized
    const { template } = synthApplication(writeApplication(project));
    // THEN the payload pins what this deployment imported
    expect(resolvedPayload(template).nodeGraph.packages[0].patchVersion).toBe(`patch-of-${importIds(template).inbound_code}`);
  });

  test.each([
    ['a single code node', singleCodeNodeProject],
    ['camera -> code -> display with a model', cameraCodeDisplayProject],
    ['parameter nodes of every type', parametersProject],
    ['an inbound port with routing rules and decorators', inboundNetworkProject],
  ])('a graph shaped like the samples\' (%s) deploys as written, but for its packages\' names and patches', (_shape, project) => {
    // GIVEN a project in that shape
    const written = project();
    // WHEN synthesized
    const { template } = synthApplication(writeApplication(written));
    // THEN the payload is the graph with the sample account replaced and patches pinned
    const expected = JSON.parse(JSON.stringify(written.graph).split(`${SAMPLE_ACCOUNT}::`).join(`${TEST_ENV.account}::`));
    const ids = importIds(template);
    for (const pkg of expected.nodeGraph.packages) {
      const name = pkg.name.split('::')[1];
      if (ids[name]) pkg.patchVersion = `patch-of-${ids[name]}`;
    }
    expect(resolvedPayload(template)).toEqual(expected);
  });

  test('is compact JSON: one line, as the service\'s pattern ^.+$ requires', () => {
    // GIVEN a graph file written with indentation
    const fixture = writeApplication(inboundNetworkProject());
    expect(fs.readFileSync(fixture.graphPath, 'utf-8')).toContain('\n');
    // WHEN synthesized
    const { template } = synthApplication(fixture);
    // THEN the payload has no line break
    const parts = instanceProperties(template).ManifestPayload.PayloadData['Fn::Join'][1].filter((p: unknown) => typeof p === 'string');
    expect(parts.join('')).not.toMatch(/\n/);
  });
});

describe('overrides', () => {
  test('an overrides file becomes ManifestOverridesPayload, compact and as written', () => {
    // GIVEN the camera project with overrides that replace its camera by two and its threshold
    const overrides = twoCameraOverrides();
    const fixture = writeApplication({ ...cameraCodeDisplayProject(), files: { 'graphs/lobby_app/override.json': overrides } });
    // WHEN synthesized with the overrides file, given relative to the project
    const { template } = synthApplication(fixture, { overridesFile: 'graphs/lobby_app/override.json' });
    // THEN the payload is the file's JSON on one line
    expect(instanceProperties(template).ManifestOverridesPayload).toEqual({ PayloadData: JSON.stringify(overrides) });
  });

  test('an absolute overrides path is used as it is', () => {
    // GIVEN overrides outside the project
    const fixture = writeApplication(cameraCodeDisplayProject());
    const elsewhere = path.join(writeApplication(singleCodeNodeProject()).projectDir, 'cameras.json');
    fs.writeFileSync(elsewhere, JSON.stringify(twoCameraOverrides()));
    // WHEN synthesized with its absolute path
    const { template } = synthApplication(fixture, { overridesFile: elsewhere });
    // THEN it is deployed
    expect(JSON.parse(instanceProperties(template).ManifestOverridesPayload.PayloadData)).toEqual(twoCameraOverrides());
  });

  test('overrides that replace the graph\'s nodes raise no warning', () => {
    // GIVEN overrides whose replacements all name nodes of the graph and of the overrides
    const fixture = writeApplication({ ...cameraCodeDisplayProject(), files: { 'graphs/lobby_app/override.json': twoCameraOverrides() } });
    // WHEN synthesized
    const { stack } = synthApplication(fixture, { overridesFile: 'graphs/lobby_app/override.json' });
    // THEN no warning
    const assembly = (stack.node.root as App).synth();
    expect(assembly.getStackByName(stack.stackName).messages.filter((m) => m.level === 'warning')).toEqual([]);
  });
});

describe('in a CDK app', () => {
  test('the instance carries exactly the documented properties', () => {
    // GIVEN an application with every prop
    // WHEN synthesized
    const template = synthWithEveryProp();
    // THEN the instance has exactly the documented properties
    template.hasResource(INSTANCE, {
      Properties: Match.objectEquals({
        Name: 'lobby-counter-prod',
        Description: 'Counts people in the lobby',
        DefaultRuntimeContextDevice: 'device-0123',
        RuntimeRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Runtime'), 'Arn'] },
        ManifestPayload: { PayloadData: Match.anyValue() },
        ManifestOverridesPayload: { PayloadData: Match.anyValue() },
        Tags: [{ Key: 'stage', Value: 'prod' }, { Key: 'team', Value: 'vision' }],
      }),
    });
  });
});

/** An application with every prop of its own given, over the camera -> code -> display project with overrides. */
function synthWithEveryProp(): Template {
  const fixture = writeApplication({ ...cameraCodeDisplayProject(), files: { 'graphs/lobby_app/override.json': twoCameraOverrides() } });
  const stack = new Stack(new App(), 'AppStack', { env: TEST_ENV });
  new PanoramaApplication(stack, 'App', {
    projectDirectory: fixture.projectDir,
    device: 'device-0123',
    applicationName: 'lobby-counter-prod',
    description: 'Counts people in the lobby',
    runtimeRole: new iam.Role(stack, 'Runtime', { assumedBy: new iam.ServicePrincipal('panorama.amazonaws.com') }),
    tags: { team: 'vision', stage: 'prod' },
    overridesFile: 'graphs/lobby_app/override.json',
  });
  return Template.fromStack(stack);
}
