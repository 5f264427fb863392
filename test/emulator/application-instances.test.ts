/**
 * The application-instance operations through the real SDK client: CreateApplicationInstance checks
 * the manifest (schema, registered package versions and patches, interfaces and ports) and the
 * device; an instance moves through its deployment and removal statuses; Describe, Details, List,
 * Remove, its dependencies and node instances answer as the model says; faults can be injected.
 */
import {
  CreateApplicationInstanceCommand, CreateApplicationInstanceCommandInput, DeregisterPackageVersionCommand, DescribeApplicationInstanceCommand,
  DescribeApplicationInstanceDetailsCommand, ListApplicationInstanceDependenciesCommand, ListApplicationInstanceNodeInstancesCommand,
  ListApplicationInstancesCommand, ListTagsForResourceCommand, paginateListApplicationInstances, PanoramaClient, RemoveApplicationInstanceCommand,
  TagResourceCommand, UntagResourceCommand,
} from '@aws-sdk/client-panorama';
import { ACCOUNT, CAMERA, chainPayload, DISPLAY, errorOf, Harness, importPackage, useHarnessPerFile } from './harness';
import { AWS_PACKAGE_VERSIONS } from '../../emulator';

let harness: Harness;
let panorama: PanoramaClient;
useHarnessPerFile((started, client) => {
  harness = started;
  panorama = client;
}, { instanceStepMs: 5 });

const DEVICE = 'device-lobby';

/** A device, a registered package MODEL_A, and the input that deploys camera -> MODEL_A -> display on the device. */
async function deployable(
  overrides: Partial<CreateApplicationInstanceCommandInput> = {},
): Promise<CreateApplicationInstanceCommandInput & { patchVersion: string }> {
  harness.emulator.ensureDevice(DEVICE);
  const { patchVersion } = await importPackage(harness, panorama, { name: 'MODEL_A' });
  return {
    ManifestPayload: { PayloadData: chainPayload(ACCOUNT, ['MODEL_A'], { MODEL_A: patchVersion }) },
    DefaultRuntimeContextDevice: DEVICE,
    ...overrides,
    patchVersion,
  };
}

/** Creates an instance and waits until its deployment ended. */
async function deployed(input: CreateApplicationInstanceCommandInput): Promise<string> {
  const { ApplicationInstanceId } = await panorama.send(new CreateApplicationInstanceCommand(input));
  await harness.emulator.whenInstancesSettled();
  return ApplicationInstanceId!;
}

function historyOf(applicationInstanceId: string): string[] {
  return harness.emulator.applicationInstances().find((i) => i.applicationInstanceId === applicationInstanceId)!.history.map((h) => h.status);
}

describe('CreateApplicationInstance and the deployment', () => {
  test('an instance goes PENDING, REQUESTED, IN_PROGRESS, SUCCEEDED and then runs, pinned to the patch its manifest names', async () => {
    // GIVEN a registered package, a device and a manifest that pins the package's patch
    const input = await deployable({ Name: 'lobby_counter', Description: 'Counts people', Tags: { site: 'lobby' } });

    // WHEN the instance is created and its deployment ends
    const { ApplicationInstanceId: id } = await panorama.send(new CreateApplicationInstanceCommand(input));
    await harness.emulator.whenInstancesSettled();

    // THEN it went through every deployment status in order, and is described as running
    expect(id).toMatch(/^applicationInstance-[a-z0-9]{26}$/);
    expect(historyOf(id!)).toEqual(['DEPLOYMENT_PENDING', 'DEPLOYMENT_REQUESTED', 'DEPLOYMENT_IN_PROGRESS', 'DEPLOYMENT_SUCCEEDED']);
    const described = await panorama.send(new DescribeApplicationInstanceCommand({ ApplicationInstanceId: id }));
    expect(described).toMatchObject({
      ApplicationInstanceId: id,
      Arn: `arn:aws:panorama:us-east-1:${ACCOUNT}:applicationInstance/${id}`,
      Name: 'lobby_counter',
      Description: 'Counts people',
      DefaultRuntimeContextDevice: DEVICE,
      DefaultRuntimeContextDeviceName: DEVICE,
      Status: 'DEPLOYMENT_SUCCEEDED',
      HealthStatus: 'RUNNING',
      StatusDescription: `The application is running on device ${DEVICE}.`,
      Tags: { site: 'lobby' },
    });
    expect(described.CreatedTime).toBeInstanceOf(Date);
    expect(described.LastUpdatedTime!.getTime()).toBeGreaterThanOrEqual(described.CreatedTime!.getTime());
    // AND its dependencies are the patch it pinned and AWS's two packages
    const dependencies = await panorama.send(new ListApplicationInstanceDependenciesCommand({ ApplicationInstanceId: id }));
    expect(dependencies.PackageObjects).toEqual([
      { Name: 'MODEL_A', PackageVersion: '1.0', PatchVersion: input.patchVersion },
      { Name: 'abstract_rtsp_media_source', PackageVersion: '1.0', PatchVersion: AWS_PACKAGE_VERSIONS[0].patchVersion },
      { Name: 'hdmi_data_sink', PackageVersion: '1.0', PatchVersion: AWS_PACKAGE_VERSIONS[1].patchVersion },
    ]);
  });

  test('while it is on its way, Describe reports the status it is in (held IN_PROGRESS by a pending outcome)', async () => {
    // GIVEN deployments that never finish
    const input = await deployable();
    harness.emulator.setDeploymentOutcome('pending', { count: 1 });

    // WHEN one is created
    const id = await deployed(input);

    // THEN it stays DEPLOYMENT_IN_PROGRESS, not yet healthy
    const described = await panorama.send(new DescribeApplicationInstanceCommand({ ApplicationInstanceId: id }));
    expect(described).toMatchObject({ Status: 'DEPLOYMENT_IN_PROGRESS', HealthStatus: 'NOT_AVAILABLE', StatusDescription: `Device ${DEVICE} is installing the application.` });
    expect(historyOf(id)).toEqual(['DEPLOYMENT_PENDING', 'DEPLOYMENT_REQUESTED', 'DEPLOYMENT_IN_PROGRESS']);
  });

  test('a forced failure ends the deployment in DEPLOYMENT_FAILED with its StatusDescription, health ERROR', async () => {
    // GIVEN the next deployment fails
    const input = await deployable();
    harness.emulator.setDeploymentOutcome('fail', { message: 'Camera stream unreachable on the device (injected)', count: 1 });

    // WHEN an instance is created
    const id = await deployed(input);

    // THEN it failed with the message, and its nodes are in error
    expect(historyOf(id)).toEqual(['DEPLOYMENT_PENDING', 'DEPLOYMENT_REQUESTED', 'DEPLOYMENT_IN_PROGRESS', 'DEPLOYMENT_FAILED']);
    expect(await panorama.send(new DescribeApplicationInstanceCommand({ ApplicationInstanceId: id }))).toMatchObject({
      Status: 'DEPLOYMENT_FAILED', HealthStatus: 'ERROR', StatusDescription: 'Camera stream unreachable on the device (injected)',
    });
    const nodes = await panorama.send(new ListApplicationInstanceNodeInstancesCommand({ ApplicationInstanceId: id }));
    expect(new Set(nodes.NodeInstances!.map((n) => n.CurrentStatus))).toEqual(new Set(['ERROR']));
    // AND the next deployment succeeds again (count 1)
    expect(historyOf(await deployed(input)).at(-1)).toBe('DEPLOYMENT_SUCCEEDED');
  });

  test('a manifest without patchVersion deploys the version\'s latest patch', async () => {
    // GIVEN two patches of MODEL_A, the second marked latest
    harness.emulator.ensureDevice(DEVICE);
    await importPackage(harness, panorama, { name: 'MODEL_A', variant: 'first' });
    const second = await importPackage(harness, panorama, { name: 'MODEL_A', variant: 'second' });

    // WHEN an instance names MODEL_A 1.0 without a patch
    const id = await deployed({ ManifestPayload: { PayloadData: chainPayload(ACCOUNT, ['MODEL_A']) }, DefaultRuntimeContextDevice: DEVICE });

    // THEN it runs the latest patch
    const dependencies = await panorama.send(new ListApplicationInstanceDependenciesCommand({ ApplicationInstanceId: id }));
    expect(dependencies.PackageObjects![0]).toEqual({ Name: 'MODEL_A', PackageVersion: '1.0', PatchVersion: second.patchVersion });
  });
});

describe('what CreateApplicationInstance refuses, with a ValidationException naming the field', () => {
  test.each([
    ['no manifest', { ManifestPayload: undefined }, 'ManifestPayload', 'ManifestPayload is required.'],
    ['no device', { DefaultRuntimeContextDevice: undefined }, 'DefaultRuntimeContextDevice', 'DefaultRuntimeContextDevice is required.'],
    ['a device id the model forbids', { DefaultRuntimeContextDevice: 'lobby device' }, 'DefaultRuntimeContextDevice', 'does not match pattern'],
    ['a name the model forbids', { Name: 'lobby counter!' }, 'Name', 'does not match pattern'],
    ['a description on two lines', { Description: 'line one\nline two' }, 'Description', 'does not match pattern ^.*$'],
    ['a runtime role that is not a role ARN', { RuntimeRoleArn: 'arn:aws:iam::123456789012:user/bob' }, 'RuntimeRoleArn', 'does not match pattern'],
    ['a payload that is not JSON', { ManifestPayload: { PayloadData: '{"nodeGraph": ' } }, 'ManifestPayload.PayloadData', 'must be a JSON document'],
    ['a pretty-printed payload (the model\'s pattern ^.+$ is one line)', { ManifestPayload: { PayloadData: '{\n"nodeGraph": {}\n}' } }, 'ManifestPayload.PayloadData', 'does not match pattern ^.+$'],
    ['a payload over 51,200 characters', { ManifestPayload: { PayloadData: ' '.repeat(51_201) } }, 'ManifestPayload.PayloadData', 'must be 1 to 51200 characters long, got 51201'],
    ['overrides that are not JSON', { ManifestOverridesPayload: { PayloadData: 'nope' } }, 'ManifestOverridesPayload.PayloadData', 'must be a JSON document'],
  ])('%s', async (_case, change, field, words) => {
    // GIVEN an otherwise deployable request with one bad field
    const { patchVersion: _patch, ...input } = await deployable();
    const request = { ...input, ...change } as CreateApplicationInstanceCommandInput;

    // WHEN it is sent
    const error = await errorOf(panorama.send(new CreateApplicationInstanceCommand(request)));

    // THEN a 400 names the field, and nothing was created
    expect(error.name).toBe('ValidationException');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.Reason).toBe('FIELD_VALIDATION_FAILED');
    expect(error.Fields[0].Name).toBe(field);
    expect(error.message).toContain(words);
    expect(harness.emulator.applicationInstances()).toEqual([]);
  });

  test('a long payload is not echoed in the message', async () => {
    const { patchVersion: _patch, ...input } = await deployable();
    const error = await errorOf(panorama.send(new CreateApplicationInstanceCommand({ ...input, ManifestPayload: { PayloadData: `${'x'.repeat(40_000)}\n` } })));
    expect(error.message.length).toBeLessThan(300);
    expect(error.message).toContain('…(40001 characters)');
  });

  test('a payload the nodeGraph schema refuses: every problem, named in the payload', async () => {
    // GIVEN a graph without nodes, and with a package name without an account
    const { patchVersion: _patch, ...input } = await deployable();
    const payload = JSON.stringify({ nodeGraph: { envelopeVersion: '2021-01-01', packages: [{ name: 'MODEL_A', version: '1.0' }] } });

    // WHEN it is deployed
    const error = await errorOf(panorama.send(new CreateApplicationInstanceCommand({ ...input, ManifestPayload: { PayloadData: payload } })));

    // THEN both schema problems are named, with the payload as their source
    expect(error.name).toBe('ValidationException');
    expect(error.Fields.map((f: { Name: string }) => f.Name).sort()).toEqual([
      'ManifestPayload.PayloadData nodeGraph.nodes', 'ManifestPayload.PayloadData nodeGraph.packages[0].name',
    ]);
  });

  test('a package version never registered: the service\'s own words, with account, package and version', async () => {
    // GIVEN a manifest naming MODEL_B, which nobody imported
    harness.emulator.ensureDevice(DEVICE);
    await importPackage(harness, panorama, { name: 'MODEL_A' });

    // WHEN it is deployed
    const error = await errorOf(panorama.send(new CreateApplicationInstanceCommand({
      ManifestPayload: { PayloadData: chainPayload(ACCOUNT, ['MODEL_A', 'MODEL_B']) }, DefaultRuntimeContextDevice: DEVICE,
    })));

    // THEN the message is the one users meet (aws-samples/aws-panorama-samples#80)
    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe(`No registered package version found for accountId:${ACCOUNT}, packageName:MODEL_B, packageVersion:1.0`);
    expect(error.Fields).toEqual([{ Name: 'ManifestPayload.PayloadData nodeGraph.packages[1]', Message: error.message }]);
  });

  test.each([
    ['the sample\'s account (import-application not run)', (patch: string) => chainPayload('210987654321', ['MODEL_A'], { MODEL_A: patch }),
      'No registered package version found for accountId:210987654321, packageName:MODEL_A, packageVersion:1.0, patchVersion:'],
    ['a patch that was never registered', () => chainPayload(ACCOUNT, ['MODEL_A'], { MODEL_A: 'f'.repeat(64) }),
      `No registered package version found for accountId:${ACCOUNT}, packageName:MODEL_A, packageVersion:1.0, patchVersion:${'f'.repeat(64)}`],
    ['a version that was never registered', () => chainPayload(ACCOUNT, ['MODEL_A']).replace('"version":"1.0"', '"version":"2.0"'),
      `No registered package version found for accountId:${ACCOUNT}, packageName:MODEL_A, packageVersion:2.0`],
    ['an AWS package the service does not offer', () => chainPayload(ACCOUNT, ['MODEL_A']).replace(/hdmi_data_sink/g, 'hdmi_data_sink_v2'),
      'No registered package version found for accountId:panorama, packageName:hdmi_data_sink_v2, packageVersion:1.0'],
  ])('%s', async (_case, payload, message) => {
    // GIVEN MODEL_A 1.0 registered and a device
    const { patchVersion, ...input } = await deployable();
    // WHEN a manifest that names something else is deployed
    const request = { ...input, ManifestPayload: { PayloadData: payload(patchVersion) } };
    const error = await errorOf(panorama.send(new CreateApplicationInstanceCommand(request)));
    // THEN it is refused with the service's words
    expect(error.name).toBe('ValidationException');
    expect(error.message.startsWith(message)).toBe(true);
  });

  test('a node or edge that its packages\' interfaces do not offer: the cross-checks of the construct, with its words', async () => {
    // GIVEN a manifest whose model node names an interface MODEL_A does not declare, and an edge into a port the display lacks
    const { patchVersion, ...input } = await deployable();
    const graph = JSON.parse(chainPayload(ACCOUNT, ['MODEL_A'], { MODEL_A: patchVersion }));
    graph.nodeGraph.nodes[1].interface = `${ACCOUNT}::MODEL_A.detector`;
    graph.nodeGraph.edges.push({ producer: 'camera_node.video_out', consumer: 'display_node.audio_in' });

    // WHEN it is deployed
    const request = { ...input, ManifestPayload: { PayloadData: JSON.stringify(graph) } };
    const error = await errorOf(panorama.send(new CreateApplicationInstanceCommand(request)));

    // THEN both are named, with what the stored manifest and AWS's package do offer
    expect(error.name).toBe('ValidationException');
    expect(error.message).toContain(`ManifestPayload.PayloadData nodeGraph.nodes[1].interface: "${ACCOUNT}::MODEL_A.detector" must name an interface of package ${ACCOUNT}::MODEL_A`);
    expect(error.message).toContain('offers: interface');
    expect(error.message).toContain('nodeGraph.edges[2].consumer: "display_node.audio_in"');
    expect(error.message).toContain('video_in (media)');
  });

  test('overrides the nodeGraphOverrides schema refuses are named', async () => {
    const { patchVersion: _patch, ...input } = await deployable();
    const overrides = JSON.stringify({ nodeGraphOverrides: { envelopeVersion: '2021-01-01', packages: [{ name: '{YourAwsAccountId}::{YourCameraName}', version: '1.0' }] } });
    const request = { ...input, ManifestOverridesPayload: { PayloadData: overrides } };
    const error = await errorOf(panorama.send(new CreateApplicationInstanceCommand(request)));
    expect(error.name).toBe('ValidationException');
    expect(error.Fields[0].Name).toMatch(/^ManifestOverridesPayload\.PayloadData nodeGraphOverrides/);
  });

  test('a device that does not exist; input is validated first, so a bad name is reported before it', async () => {
    // GIVEN a deployable manifest and no device camera-9
    const { patchVersion: _patch, ...input } = await deployable();

    // WHEN deployed to the unknown device / and with a bad name too
    const unknown = await errorOf(panorama.send(new CreateApplicationInstanceCommand({ ...input, DefaultRuntimeContextDevice: 'camera-9' })));
    const badName = await errorOf(panorama.send(new CreateApplicationInstanceCommand({ ...input, DefaultRuntimeContextDevice: 'camera-9', Name: 'bad name' })));

    // THEN the device is named (a 400: the model lists no 404 here), and the bad name wins over it
    expect(unknown).toMatchObject({ name: 'ValidationException', message: `DefaultRuntimeContextDevice 'camera-9' names no device in account ${ACCOUNT}, Region us-east-1.` });
    expect(badName.Fields[0].Name).toBe('Name');
  });

  test('ApplicationInstanceIdToReplace must name an instance that is not removed; the replaced one is removed once its successor runs', async () => {
    // GIVEN a running instance
    const input = await deployable();
    const first = await deployed(input);

    // WHEN an unknown id is to be replaced / THEN it is refused
    const error = await errorOf(panorama.send(new CreateApplicationInstanceCommand({ ...input, ApplicationInstanceIdToReplace: 'applicationInstance-unknown' })));
    expect(error.Fields[0].Name).toBe('ApplicationInstanceIdToReplace');

    // WHEN a new instance replaces the first
    const second = await deployed({ ...input, ApplicationInstanceIdToReplace: first });

    // THEN the first was removed after the second succeeded
    expect(historyOf(second).at(-1)).toBe('DEPLOYMENT_SUCCEEDED');
    expect(historyOf(first)).toEqual(['DEPLOYMENT_PENDING', 'DEPLOYMENT_REQUESTED', 'DEPLOYMENT_IN_PROGRESS', 'DEPLOYMENT_SUCCEEDED',
      'REMOVAL_PENDING', 'REMOVAL_REQUESTED', 'REMOVAL_IN_PROGRESS', 'REMOVAL_SUCCEEDED']);
    const described = await panorama.send(new DescribeApplicationInstanceCommand({ ApplicationInstanceId: second }));
    expect(described.ApplicationInstanceIdToReplace).toBe(first);
  });

  test('ServiceQuotaExceededException can be injected (the model lists it); ResourceNotFoundException cannot', async () => {
    const { patchVersion: _patch, ...input } = await deployable();
    harness.emulator.failNext('CreateApplicationInstance', 1, { errorType: 'ServiceQuotaExceededException', message: 'Too many instances (injected)' });
    const error = await errorOf(panorama.send(new CreateApplicationInstanceCommand(input)));
    expect(error).toMatchObject({ name: 'ServiceQuotaExceededException', message: 'Too many instances (injected)' });
    expect(error.$metadata.httpStatusCode).toBe(402);
    expect(() => harness.emulator.failNext('CreateApplicationInstance', 1, { errorType: 'ResourceNotFoundException' })).toThrow(/cannot answer ResourceNotFoundException/);
    expect(() => harness.emulator.failNext('ListApplicationInstances', 1, { errorType: 'ValidationException' })).toThrow(/cannot answer ValidationException/);
  });
});

describe('DescribeApplicationInstanceDetails, ListApplicationInstances, node instances', () => {
  test('Details returns the manifest and overrides as they were given', async () => {
    const input = await deployable({ Name: 'with_overrides' });
    const overrides = JSON.stringify({ nodeGraphOverrides: { envelopeVersion: '2021-01-01', packages: [], nodes: [], nodeOverrides: [] } });
    const id = await deployed({ ...input, ManifestOverridesPayload: { PayloadData: overrides } });
    const details = await panorama.send(new DescribeApplicationInstanceDetailsCommand({ ApplicationInstanceId: id }));
    expect(details).toMatchObject({
      ApplicationInstanceId: id,
      Name: 'with_overrides',
      DefaultRuntimeContextDevice: DEVICE,
      ManifestPayload: { PayloadData: input.ManifestPayload!.PayloadData },
      ManifestOverridesPayload: { PayloadData: overrides },
    });
    expect(details.CreatedTime).toBeInstanceOf(Date);
  });

  test('node instances: one per node, each package node with the patch it runs', async () => {
    const input = await deployable();
    const id = await deployed(input);
    const { NodeInstances } = await panorama.send(new ListApplicationInstanceNodeInstancesCommand({ ApplicationInstanceId: id }));
    expect(NodeInstances).toEqual([
      { NodeInstanceId: 'camera_node', NodeName: 'camera_node', NodeId: 'panorama-abstract_rtsp_media_source-1.0-rtsp_v1_interface', PackageName: 'abstract_rtsp_media_source', PackageVersion: '1.0', PackagePatchVersion: AWS_PACKAGE_VERSIONS[0].patchVersion, CurrentStatus: 'RUNNING' },
      { NodeInstanceId: 'model_a_node', NodeName: 'model_a_node', NodeId: `${ACCOUNT}-MODEL_A-1.0-interface`, PackageName: 'MODEL_A', PackageVersion: '1.0', PackagePatchVersion: input.patchVersion, CurrentStatus: 'RUNNING' },
      { NodeInstanceId: 'display_node', NodeName: 'display_node', NodeId: 'panorama-hdmi_data_sink-1.0-hdmi0', PackageName: 'hdmi_data_sink', PackageVersion: '1.0', PackagePatchVersion: AWS_PACKAGE_VERSIONS[1].patchVersion, CurrentStatus: 'RUNNING' },
    ]);
  });

  test('List filters by device and status and pages with opaque tokens', async () => {
    // GIVEN five instances on the device, one of them removed, and one on another device
    const input = await deployable();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await deployed(input));
    harness.emulator.ensureDevice('device-door');
    const door = await deployed({ ...input, DefaultRuntimeContextDevice: 'device-door' });
    await panorama.send(new RemoveApplicationInstanceCommand({ ApplicationInstanceId: ids[0] }));
    await harness.emulator.whenInstancesSettled();

    // WHEN listed two at a time for the device
    const pages: string[][] = [];
    for await (const page of paginateListApplicationInstances({ client: panorama, pageSize: 2 }, { DeviceId: DEVICE })) {
      pages.push(page.ApplicationInstances!.map((i) => i.ApplicationInstanceId!));
    }
    // THEN three pages, oldest first, without the other device's
    expect(pages).toEqual([ids.slice(0, 2), ids.slice(2, 4), ids.slice(4)]);
    // AND the status filters select what they say
    const withStatus = async (StatusFilter: any) => {
      const listed = await panorama.send(new ListApplicationInstancesCommand({ StatusFilter }));
      return listed.ApplicationInstances!.map((i) => i.ApplicationInstanceId);
    };
    expect(await withStatus('REMOVAL_SUCCEEDED')).toEqual([ids[0]]);
    expect(await withStatus('DEPLOYMENT_SUCCEEDED')).toEqual([...ids.slice(1), door]);
    expect(await withStatus('PROCESSING_DEPLOYMENT')).toEqual([]);
    // AND each summary carries the model's members
    const [summary] = (await panorama.send(new ListApplicationInstancesCommand({ DeviceId: 'device-door' }))).ApplicationInstances!;
    expect(summary).toMatchObject({ ApplicationInstanceId: door, DefaultRuntimeContextDevice: 'device-door', Status: 'DEPLOYMENT_SUCCEEDED', HealthStatus: 'RUNNING' });
    expect(summary.CreatedTime).toBeInstanceOf(Date);
  });

  test('bad paging input and unknown instances on the list operations the model gives no ValidationException: a 400 all the same', async () => {
    // GIVEN / WHEN a forged token, a page of 26, and an unknown instance
    const forged = await errorOf(panorama.send(new ListApplicationInstancesCommand({ NextToken: 'eyJvZmZzZXQiOjJ9.forged' })));
    const tooMany = await errorOf(panorama.send(new ListApplicationInstancesCommand({ MaxResults: 26 })));
    const unknown = await errorOf(panorama.send(new ListApplicationInstanceDependenciesCommand({ ApplicationInstanceId: 'applicationInstance-nope' })));
    // THEN each is a ValidationException naming the parameter (README: the alternative was a retried 5xx, or reading bad input as good)
    expect(forged).toMatchObject({ name: 'ValidationException', Fields: [{ Name: 'nextToken' }] });
    expect(tooMany).toMatchObject({ name: 'ValidationException', Fields: [{ Name: 'maxResults' }] });
    expect(unknown).toMatchObject({ name: 'ValidationException', Fields: [{ Name: 'ApplicationInstanceId' }] });
    // AND a 404 where the model lists one
    const missing = await errorOf(panorama.send(new DescribeApplicationInstanceCommand({ ApplicationInstanceId: 'applicationInstance-nope' })));
    expect(missing).toMatchObject({ name: 'ResourceNotFoundException', ResourceId: 'applicationInstance-nope', ResourceType: 'ApplicationInstance' });
  });
});

describe('RemoveApplicationInstance', () => {
  test('removal goes PENDING, REQUESTED, IN_PROGRESS, SUCCEEDED; the instance is still described; a second removal is a conflict', async () => {
    // GIVEN a running instance
    const id = await deployed(await deployable());

    // WHEN it is removed
    const removed = await panorama.send(new RemoveApplicationInstanceCommand({ ApplicationInstanceId: id }));
    await harness.emulator.whenInstancesSettled();

    // THEN it went through the removal statuses and is described as removed
    expect(removed.$metadata.httpStatusCode).toBe(200);
    expect(historyOf(id).slice(4)).toEqual(['REMOVAL_PENDING', 'REMOVAL_REQUESTED', 'REMOVAL_IN_PROGRESS', 'REMOVAL_SUCCEEDED']);
    expect(await panorama.send(new DescribeApplicationInstanceCommand({ ApplicationInstanceId: id }))).toMatchObject({ Status: 'REMOVAL_SUCCEEDED', HealthStatus: 'NOT_AVAILABLE' });
    // AND removing it again is a 409
    const again = await errorOf(panorama.send(new RemoveApplicationInstanceCommand({ ApplicationInstanceId: id })));
    expect(again).toMatchObject({ name: 'ConflictException', ResourceId: id, message: `Application instance ${id} is already removed (REMOVAL_SUCCEEDED).` });
  });

  test('removing a deployment still in progress abandons it; a forced removal failure can be retried', async () => {
    // GIVEN an instance held IN_PROGRESS, and a removal that will fail once
    const input = await deployable();
    harness.emulator.setDeploymentOutcome('pending', { count: 1 });
    const id = await deployed(input);
    harness.emulator.setRemovalOutcome('fail', { message: 'Device did not answer (injected)', count: 1 });

    // WHEN it is removed, then removed again
    await panorama.send(new RemoveApplicationInstanceCommand({ ApplicationInstanceId: id }));
    await harness.emulator.whenInstancesSettled();
    const failed = await panorama.send(new DescribeApplicationInstanceCommand({ ApplicationInstanceId: id }));
    await panorama.send(new RemoveApplicationInstanceCommand({ ApplicationInstanceId: id }));
    await harness.emulator.whenInstancesSettled();

    // THEN the first removal failed with the message, the second succeeded
    expect(failed).toMatchObject({ Status: 'REMOVAL_FAILED', HealthStatus: 'ERROR', StatusDescription: 'Device did not answer (injected)' });
    expect(historyOf(id)).toEqual(['DEPLOYMENT_PENDING', 'DEPLOYMENT_REQUESTED', 'DEPLOYMENT_IN_PROGRESS',
      'REMOVAL_PENDING', 'REMOVAL_REQUESTED', 'REMOVAL_IN_PROGRESS', 'REMOVAL_FAILED',
      'REMOVAL_PENDING', 'REMOVAL_REQUESTED', 'REMOVAL_IN_PROGRESS', 'REMOVAL_SUCCEEDED']);
  });

  test('a patch an instance runs cannot be deregistered until the instance is removed', async () => {
    // GIVEN a running instance pinned to MODEL_A's patch
    const input = await deployable();
    const id = await deployed(input);
    const [pkg] = harness.emulator.packages();
    const deregister = new DeregisterPackageVersionCommand({ PackageId: pkg.packageId, PackageVersion: '1.0', PatchVersion: input.patchVersion });

    // WHEN the patch is deregistered / THEN a 409 names the instance
    const refused = await errorOf(panorama.send(deregister));
    expect(refused).toMatchObject({ name: 'ConflictException', ErrorId: 'PACKAGE_VERSION_IN_USE' });
    expect(refused.message).toContain(`${id} (DEPLOYMENT_SUCCEEDED)`);

    // WHEN the instance is removed, the patch can go
    await panorama.send(new RemoveApplicationInstanceCommand({ ApplicationInstanceId: id }));
    await harness.emulator.whenInstancesSettled();
    expect((await panorama.send(deregister)).$metadata.httpStatusCode).toBe(200);
  });
});

test('tags on an instance, by its ARN: created with it, added, listed and removed', async () => {
  // GIVEN an instance created with a tag
  const id = await deployed(await deployable({ Tags: { site: 'lobby' } }));
  const { Arn } = await panorama.send(new DescribeApplicationInstanceCommand({ ApplicationInstanceId: id }));

  // WHEN a tag is added and the first removed
  await panorama.send(new TagResourceCommand({ ResourceArn: Arn, Tags: { owner: 'R&D' } }));
  await panorama.send(new UntagResourceCommand({ ResourceArn: Arn, TagKeys: ['site'] }));

  // THEN the instance carries the second only
  expect((await panorama.send(new ListTagsForResourceCommand({ ResourceArn: Arn }))).Tags).toEqual({ owner: 'R&D' });
  expect((await panorama.send(new DescribeApplicationInstanceCommand({ ApplicationInstanceId: id }))).Tags).toEqual({ owner: 'R&D' });
  // AND an unknown instance ARN is a 404 naming its type
  const unknown = await errorOf(panorama.send(new ListTagsForResourceCommand({ ResourceArn: `arn:aws:panorama:us-east-1:${ACCOUNT}:applicationInstance/applicationInstance-nope` })));
  expect(unknown).toMatchObject({ name: 'ResourceNotFoundException', ResourceType: 'ApplicationInstance' });
});

test('AWS\'s two packages are registered from the start, with the interfaces the samples use', () => {
  expect(AWS_PACKAGE_VERSIONS.map((p) => `panorama::${p.name} ${p.version}`)).toEqual([`${CAMERA} 1.0`, `${DISPLAY} 1.0`]);
  expect(AWS_PACKAGE_VERSIONS.map((p) => p.patchVersion)).toEqual([expect.stringMatching(/^[0-9a-f]{64}$/), expect.stringMatching(/^[0-9a-f]{64}$/)]);
});
