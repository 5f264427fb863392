/**
 * PanoramaApplication end to end through the local runner: its imports run the real handlers, its
 * `AWS::Panorama::ApplicationInstance` is created on the emulated Panorama as CloudFormation's
 * handler would; a redeploy of the same project changes nothing, a new model replaces the
 * instance (the old one removed before the old patch is deregistered), a failed deployment fails
 * the stack with the instance's StatusDescription and rolls back, throttling and 5xx are retried.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  DescribeApplicationInstanceDetailsCommand, ListApplicationInstanceDependenciesCommand, RemoveApplicationInstanceCommand,
} from '@aws-sdk/client-panorama';
import { RemovalPolicy } from 'aws-cdk-lib';
import { APPLICATION_INSTANCE_TYPE, applicationInstanceType, ResourceResult } from '../../local-runner';
import { PanoramaApplication, PanoramaApplicationProps } from '../../src';
import { cameraCodeDisplayProject, codePackage, modelPackage, parametersProject, SAMPLE_ACCOUNT, writeApplication } from '../support/application-fixture';
import { LocalCloud } from '../support/local-cloud';
import { FAST, rejectionOf, synthApp } from './support/import-app';
import { useLocalCloudPerFile } from './support/suite';

let cloud: LocalCloud;
useLocalCloudPerFile((started) => { cloud = started; });

const ACCOUNT = '123456789012';
const DEVICE = 'device-lobby';
const INSTANCE = 'AWS::Panorama::ApplicationInstance';

beforeEach(() => {
  cloud.emulator.ensureDevice(DEVICE);
});

/** The people counter's project (camera -> code -> display, a model beside the code), its model at `weights`. */
function project(weights = 'v1') {
  const { packages, graph } = cameraCodeDisplayProject();
  const model = modelPackage('COUNTER_MODEL', { weights });
  return writeApplication({ packages: [packages[0], model], graph });
}

/** Synthesizes one stack with the application; returns the assembly. */
function synthApplication(projectDir: string, props: Partial<PanoramaApplicationProps> = {}): string {
  return synthApp((stack) => {
    new PanoramaApplication(stack, 'Counter', { ...FAST, projectDirectory: projectDir, device: DEVICE, ...props });
  }, 'ApplicationStack');
}

function instanceOf(resources: ResourceResult[]): ResourceResult {
  const found = resources.filter((r) => r.type === INSTANCE);
  if (found.length !== 1) throw new Error(`expected one ${INSTANCE}, found ${found.length}`);
  return found[0];
}

function importsOf(resources: ResourceResult[]): Record<string, ResourceResult> {
  return Object.fromEntries(resources.filter((r) => r.type === 'Custom::PanoramaPackageImport').map((r) => [r.attributes.PackageName, r]));
}

/** The registered patches, by package name. */
function registeredPatches(): Record<string, string[]> {
  return Object.fromEntries(cloud.emulator.packages().map((p) => [p.packageName, p.versions.filter((v) => v.registered).map((v) => v.patchVersion)]));
}

/** The runner's "call retried" lines for the instance's calls of one operation. */
function retriesOf(operation: string): Array<{ attempts: number; retryDelayMs: number }> {
  return cloud.progress.map((line) => /: call retried (\{.*\})$/.exec(line)?.[1]).filter((json): json is string => json !== undefined)
    .map((json) => JSON.parse(json)).filter((entry) => entry.operation === operation);
}

async function payloadOf(applicationInstanceId: string): Promise<any> {
  const details = await cloud.panorama.send(new DescribeApplicationInstanceDetailsCommand({ ApplicationInstanceId: applicationInstanceId }));
  return JSON.parse(details.ManifestPayload!.PayloadData!);
}

test('create: both packages imported, the instance deployed with a manifest pinned to their patches in the account', async () => {
  // GIVEN a project written in the sample's account
  const fixture = project();

  // WHEN the application is deployed
  const result = await cloud.deploy(synthApplication(fixture.projectDir, { tags: { site: 'lobby' } }));

  // THEN the instance was created and runs on the device
  const instance = instanceOf(result.resources);
  const imports = importsOf(result.resources);
  expect(instance.status).toBe('CREATE_COMPLETE');
  expect(instance.physicalId).toMatch(/^applicationInstance-[a-z0-9]{26}$/);
  expect(instance.attributes).toMatchObject({
    ApplicationInstanceId: instance.physicalId,
    Arn: `arn:aws:panorama:us-east-1:${ACCOUNT}:applicationInstance/${instance.physicalId}`,
    Status: 'DEPLOYMENT_SUCCEEDED',
    HealthStatus: 'RUNNING',
    DefaultRuntimeContextDeviceName: DEVICE,
    CreatedTime: expect.stringMatching(/^\d{10}$/),
  });
  expect(Object.keys(imports).sort()).toEqual(['COUNTER_CODE', 'COUNTER_MODEL']);
  expect(cloud.emulator.jobs()).toHaveLength(2);
  const [deployed] = cloud.emulator.applicationInstances();
  expect(deployed).toMatchObject({ status: 'DEPLOYMENT_SUCCEEDED', name: 'lobby_app', defaultRuntimeContextDevice: DEVICE, tags: { site: 'lobby' } });
  // AND its manifest names both packages in this account, each pinned to the patch its import registered; AWS's are as written
  const payload = await payloadOf(instance.physicalId!);
  expect(payload.nodeGraph.packages).toEqual([
    { name: `${ACCOUNT}::COUNTER_CODE`, version: '1.0', patchVersion: imports.COUNTER_CODE.attributes.PatchVersion },
    { name: `${ACCOUNT}::COUNTER_MODEL`, version: '1.0', patchVersion: imports.COUNTER_MODEL.attributes.PatchVersion },
    { name: 'panorama::hdmi_data_sink', version: '1.0' },
    { name: 'panorama::abstract_rtsp_media_source', version: '1.0' },
  ]);
  expect(JSON.stringify(payload)).not.toContain(SAMPLE_ACCOUNT);
  // AND the service resolved exactly those patches
  const dependencies = await cloud.panorama.send(new ListApplicationInstanceDependenciesCommand({ ApplicationInstanceId: instance.physicalId }));
  expect(dependencies.PackageObjects!.slice(0, 2)).toEqual([
    { Name: 'COUNTER_CODE', PackageVersion: '1.0', PatchVersion: imports.COUNTER_CODE.attributes.PatchVersion },
    { Name: 'COUNTER_MODEL', PackageVersion: '1.0', PatchVersion: imports.COUNTER_MODEL.attributes.PatchVersion },
  ]);
  // AND the instance was created only once both imports were complete
  const operations = cloud.emulator.requests.map((r) => r.operation);
  expect(operations.indexOf('CreateApplicationInstance')).toBeGreaterThan(operations.lastIndexOf('DescribePackage'));
});

test('an unchanged redeploy: no call to Panorama, no job, no new instance', async () => {
  // GIVEN a deployed application
  const fixture = project();
  const first = await cloud.deploy(synthApplication(fixture.projectDir));
  cloud.emulator.requests.length = 0;

  // WHEN the same project is synthesized and deployed again
  const second = await cloud.deploy(synthApplication(fixture.projectDir));

  // THEN nothing changed
  expect(second.stacks[0].changed).toBe(false);
  expect(instanceOf(second.resources)).toMatchObject({ status: 'NO_CHANGE', physicalId: instanceOf(first.resources).physicalId });
  expect(cloud.emulator.requests).toEqual([]);
  expect(cloud.emulator.jobs()).toHaveLength(2);
  expect(cloud.emulator.applicationInstances()).toHaveLength(1);
});

test('a new model, under DESTROY: one job, a new patch, the instance replaced and pinned to it; the old instance removed before the old patch is deregistered', async () => {
  // GIVEN an application deployed with DESTROY
  const first = await cloud.deploy(synthApplication(project('v1').projectDir, { removalPolicy: RemovalPolicy.DESTROY }));
  const oldInstance = instanceOf(first.resources).physicalId!;
  const oldModel = importsOf(first.resources).COUNTER_MODEL.attributes.PatchVersion;
  cloud.emulator.requests.length = 0;

  // WHEN the model's weights change and the application is deployed again
  const second = await cloud.deploy(synthApplication(project('v2').projectDir, { removalPolicy: RemovalPolicy.DESTROY }));

  // THEN exactly one more import job ran, for the model, which has a new patch
  const imports = importsOf(second.resources);
  expect(cloud.emulator.jobs()).toHaveLength(3);
  expect(imports.COUNTER_MODEL.status).toBe('UPDATE_COMPLETE');
  expect(imports.COUNTER_CODE.status).toBe('NO_CHANGE');
  expect(imports.COUNTER_MODEL.attributes.PatchVersion).not.toBe(oldModel);
  // AND the instance was replaced by a new one, pinned to the new patch
  const instance = instanceOf(second.resources);
  expect(instance.status).toBe('UPDATE_COMPLETE');
  expect(instance.physicalId).not.toBe(oldInstance);
  const payload = await payloadOf(instance.physicalId!);
  expect(payload.nodeGraph.packages[1]).toEqual({ name: `${ACCOUNT}::COUNTER_MODEL`, version: '1.0', patchVersion: imports.COUNTER_MODEL.attributes.PatchVersion });
  // AND the old instance is removed, the old patch deregistered (only the new ones stay registered)
  expect(cloud.emulator.applicationInstances().map((i) => [i.applicationInstanceId, i.status])).toEqual([
    [oldInstance, 'REMOVAL_SUCCEEDED'], [instance.physicalId, 'DEPLOYMENT_SUCCEEDED'],
  ]);
  expect(registeredPatches()).toEqual({
    COUNTER_CODE: [imports.COUNTER_CODE.attributes.PatchVersion], COUNTER_MODEL: [imports.COUNTER_MODEL.attributes.PatchVersion],
  });
  expect(second.stacks[0].warnings).toEqual([]);
  // AND in CloudFormation's cleanup order: the new instance created, the old one removed, then the old patch deregistered
  const calls = cloud.emulator.requests.filter((r) => r.status === 200).map((r) => r.operation);
  expect(calls.indexOf('CreateApplicationInstance')).toBeLessThan(calls.indexOf('RemoveApplicationInstance'));
  expect(calls.indexOf('RemoveApplicationInstance')).toBeLessThan(calls.indexOf('DeregisterPackageVersion'));
  const oldRemoved = cloud.emulator.applicationInstances()[0].history.at(-1)!.time;
  const deregistered = cloud.emulator.callsOf('DeregisterPackageVersion')[0];
  expect(deregistered.path).toContain(oldModel);
  expect(deregistered.startedAt / 1000).toBeGreaterThanOrEqual(oldRemoved);
});

test('a model rebuilt under the same file name: a new patch and a new instance pinned to it', async () => {
  // GIVEN an application deployed with DESTROY
  const fixture = project('v1');
  const first = await cloud.deploy(synthApplication(fixture.projectDir, { removalPolicy: RemovalPolicy.DESTROY }));
  const oldInstance = instanceOf(first.resources).physicalId!;
  const oldModel = importsOf(first.resources).COUNTER_MODEL.attributes.PatchVersion;

  // WHEN the model file is overwritten in place (new bytes, the name the manifest gives kept) and deployed again
  const manifestPath = path.join(fixture.projectDir, 'packages', `${SAMPLE_ACCOUNT}-COUNTER_MODEL-1.0`, 'package.json');
  const modelUri = JSON.parse(fs.readFileSync(manifestPath, 'utf-8')).nodePackage.assets[0].implementations[0].assetUri;
  fs.writeFileSync(path.join(fixture.projectDir, 'assets', modelUri), 'COUNTER_MODEL weights rebuilt');
  const second = await cloud.deploy(synthApplication(fixture.projectDir, { removalPolicy: RemovalPolicy.DESTROY }));

  // THEN the model has a new patch, and the instance was replaced by one pinned to it
  const newModel = importsOf(second.resources).COUNTER_MODEL.attributes.PatchVersion;
  expect(newModel).not.toBe(oldModel);
  const instance = instanceOf(second.resources);
  expect(instance.physicalId).not.toBe(oldInstance);
  expect((await payloadOf(instance.physicalId!)).nodeGraph.packages[1]).toMatchObject({ patchVersion: newModel });
  expect(cloud.emulator.applicationInstances().map((i) => i.status)).toEqual(['REMOVAL_SUCCEEDED', 'DEPLOYMENT_SUCCEEDED']);
});

test('text in graph.json that looks like a CDK token deploys as that text', async () => {
  // GIVEN a project whose string parameter is written like the region's token, and like no token at all
  const shape = parametersProject();
  const text = 'region=${Token[AWS.Region.8]} ${Token[TOKEN.99999]}';
  (shape.graph.nodeGraph as any).nodes.find((n: any) => n.interface === 'string').value = text;
  const fixture = writeApplication(shape);

  // WHEN it is deployed
  const result = await cloud.deploy(synthApplication(fixture.projectDir));

  // THEN the instance's payload holds the text as written
  const payload = await payloadOf(instanceOf(result.resources).physicalId!);
  expect(payload.nodeGraph.nodes.find((n: any) => n.interface === 'string').value).toBe(text);
});

test('tags alone changed: retagged in place, no new instance', async () => {
  // GIVEN an application deployed with a tag
  const fixture = project();
  const first = instanceOf((await cloud.deploy(synthApplication(fixture.projectDir, { tags: { site: 'lobby' } }))).resources);

  // WHEN only its tags change
  const second = instanceOf((await cloud.deploy(synthApplication(fixture.projectDir, { tags: { site: 'hall', owner: 'ops' } }))).resources);

  // THEN the same instance carries the new tags
  expect(second).toMatchObject({ status: 'UPDATE_COMPLETE', physicalId: first.physicalId });
  expect(cloud.emulator.applicationInstances()).toEqual([expect.objectContaining({ tags: { site: 'hall', owner: 'ops' }, status: 'DEPLOYMENT_SUCCEEDED' })]);
  expect(cloud.emulator.callsOf('CreateApplicationInstance')).toHaveLength(1);
});

describe('DEPLOYMENT_FAILED', () => {
  test.each([
    ['DESTROY', RemovalPolicy.DESTROY, {}],
    ['RETAIN (the default)', undefined, { COUNTER_CODE: 1, COUNTER_MODEL: 1 }],
  ])('on create, under %s: the stack fails with the instance\'s description; rollback removes the instance and treats the imports as their policy says', async (_policy, removalPolicy, kept) => {
    // GIVEN a service whose next deployment fails
    cloud.emulator.setDeploymentOutcome('fail', { message: 'Node code_node failed to start: ModuleNotFoundError: cv2 (injected)', count: 1 });

    // WHEN the application is deployed
    const error = await rejectionOf(cloud.deploy(synthApplication(project().projectDir, { removalPolicy })));

    // THEN the stack failed with the instance's StatusDescription, and rolled back
    const [instance] = cloud.emulator.applicationInstances();
    expect(error.message).toContain(`${INSTANCE}) CREATE_FAILED: Application instance ${instance.applicationInstanceId} DEPLOYMENT_FAILED: `
      + 'Node code_node failed to start: ModuleNotFoundError: cv2 (injected)');
    expect(error.message).toMatch(/\(ROLLBACK_COMPLETE\)$/);
    // AND the failed instance was removed by the rollback
    expect(instance.history.map((h) => h.status).slice(3)).toEqual(['DEPLOYMENT_FAILED', 'REMOVAL_PENDING', 'REMOVAL_REQUESTED', 'REMOVAL_IN_PROGRESS', 'REMOVAL_SUCCEEDED']);
    // AND the imports were undone as their removal policy says: under DESTROY nothing is left, under RETAIN the versions stay registered
    expect(Object.fromEntries(Object.entries(registeredPatches()).map(([name, patches]) => [name, patches.length]))).toEqual(kept);
    expect(cloud.runner.state.stacks).toEqual({});
  });

  test('on update (a new model), under DESTROY: the stack rolls back to the running instance and the old patch; the new ones are undone', async () => {
    // GIVEN a running application
    const first = await cloud.deploy(synthApplication(project('v1').projectDir, { removalPolicy: RemovalPolicy.DESTROY }));
    const running = instanceOf(first.resources).physicalId!;
    const patches = registeredPatches();
    cloud.emulator.setDeploymentOutcome('fail', { message: 'Out of GPU memory (injected)', count: 1 });

    // WHEN a new model is deployed and its instance fails to deploy
    const error = await rejectionOf(cloud.deploy(synthApplication(project('v2').projectDir, { removalPolicy: RemovalPolicy.DESTROY })));

    // THEN the update failed with the description and was rolled back
    expect(error.message).toContain('UPDATE_FAILED: Application instance ');
    expect(error.message).toContain('DEPLOYMENT_FAILED: Out of GPU memory (injected)');
    expect(error.message).toMatch(/\(UPDATE_ROLLBACK_COMPLETE\)$/);
    // AND the first instance runs on, the failed one is removed, and only the first patches stay registered
    const statuses = Object.fromEntries(cloud.emulator.applicationInstances().map((i) => [i.applicationInstanceId, i.status]));
    expect(statuses[running]).toBe('DEPLOYMENT_SUCCEEDED');
    expect(Object.values(statuses).sort()).toEqual(['DEPLOYMENT_SUCCEEDED', 'REMOVAL_SUCCEEDED']);
    expect(registeredPatches()).toEqual(patches);
    expect(cloud.runner.state.stacks.ApplicationStack.resources[instanceOf(first.resources).logicalId].physicalId).toBe(running);
  });
});

describe('throttling and 5xx on CreateApplicationInstance are retried by the runner\'s SDK client', () => {
  test('two throttled calls: the third succeeds, one instance, the strategy\'s waits logged', async () => {
    // GIVEN a service that throttles the next two CreateApplicationInstance calls
    cloud.emulator.failNext('CreateApplicationInstance', 2, { errorType: 'ThrottlingException' });

    // WHEN the application is deployed
    const result = await cloud.deploy(synthApplication(project().projectDir));

    // THEN it succeeded on the third attempt, with one instance
    expect(instanceOf(result.resources).status).toBe('CREATE_COMPLETE');
    expect(cloud.emulator.callsOf('CreateApplicationInstance').map((c) => c.status)).toEqual([429, 429, 200]);
    expect(cloud.emulator.applicationInstances()).toHaveLength(1);
    // AND the runner logged the retries: 3 attempts, full-jitter waits on the one-second throttling base (under 1 s, then under 2 s)
    const retries = retriesOf('CreateApplicationInstance');
    expect(retries).toHaveLength(1);
    expect(retries[0].attempts).toBe(3);
    expect(retries[0].retryDelayMs).toBeGreaterThanOrEqual(0);
    expect(retries[0].retryDelayMs).toBeLessThan(1000 + 2000);
  });

  test('two 500s with Retry-After: 1: retried after the second the service asked for', async () => {
    // GIVEN a service that answers the next two CreateApplicationInstance calls with a 500
    cloud.emulator.failNext('CreateApplicationInstance', 2, { errorType: 'InternalServerException', retryAfterSeconds: 1 });

    // WHEN the application is deployed
    const result = await cloud.deploy(synthApplication(project().projectDir));

    // THEN the third attempt created the one instance
    expect(instanceOf(result.resources).status).toBe('CREATE_COMPLETE');
    expect(cloud.emulator.callsOf('CreateApplicationInstance').map((c) => c.status)).toEqual([500, 500, 200]);
    expect(cloud.emulator.applicationInstances()).toHaveLength(1);
    // AND the SDK decided to wait the second asked for before each retry (its own backoff is shorter), less the few ms between reading and deciding
    const [retried] = retriesOf('CreateApplicationInstance');
    expect(retried.attempts).toBe(3);
    expect(retried.retryDelayMs).toBeGreaterThanOrEqual(2 * 750);
    expect(retried.retryDelayMs).toBeLessThanOrEqual(2 * 1000);
  });

  test('a refusal is not retried: the stack fails with the service\'s error, named', async () => {
    // GIVEN a device the service does not know
    const error = await rejectionOf(cloud.deploy(synthApplication(project().projectDir, { device: 'device-unknown' })));

    // THEN one call, and the failure names the error and the field, and how to provision the device
    expect(cloud.emulator.callsOf('CreateApplicationInstance').map((c) => c.status)).toEqual([400]);
    expect(error.message).toContain(`${INSTANCE}) CREATE_FAILED: ValidationException: DefaultRuntimeContextDevice 'device-unknown' names no device in account ${ACCOUNT}`);
    expect(error.message).toContain('Provision it: `panorama-local deploy --device device-unknown` provisions a device of that id in the embedded emulator.');
  });
});

test('a cancelled deployment (Ctrl-C) stops waiting for the instance; the rollback removes it', async () => {
  // GIVEN deployments that never finish, and a deployment under way
  cloud.emulator.setDeploymentOutcome('pending', { count: 1 });
  const cancel = new AbortController();
  const deployment = rejectionOf(cloud.deploy(synthApplication(project().projectDir), { signal: cancel.signal }));

  // WHEN the instance was created and is deploying, the deployment is cancelled
  while (cloud.emulator.applicationInstances().length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
  cancel.abort();
  const error = await deployment;

  // THEN the instance's create failed as cancelled, and the rollback removed the instance it had made
  expect(error.message).toContain(`${INSTANCE}) CREATE_FAILED: Resource operation cancelled`);
  expect(error.message).toMatch(/\(ROLLBACK_COMPLETE\)$/);
  expect(cloud.emulator.applicationInstances().map((i) => i.status)).toEqual(['REMOVAL_SUCCEEDED']);
  expect(cloud.runner.state.stacks).toEqual({});
});

test('destroy: the instance is removed first, then the imports undone under DESTROY; nothing is left', async () => {
  // GIVEN a deployed application under DESTROY
  const result = await cloud.deploy(synthApplication(project().projectDir, { removalPolicy: RemovalPolicy.DESTROY }));
  const instance = instanceOf(result.resources).physicalId!;
  cloud.emulator.requests.length = 0;

  // WHEN it is destroyed
  const destroyed = await cloud.destroy();

  // THEN the instance is removed, the packages are gone, and the instance went before any deregistration
  expect(destroyed.stacks[0].status).toBe('DELETE_COMPLETE');
  expect(cloud.emulator.applicationInstances().map((i) => [i.applicationInstanceId, i.status])).toEqual([[instance, 'REMOVAL_SUCCEEDED']]);
  expect(cloud.emulator.packages()).toEqual([]);
  const calls = cloud.emulator.requests.filter((r) => r.status === 200).map((r) => r.operation);
  expect(calls.indexOf('RemoveApplicationInstance')).toBeGreaterThan(-1);
  expect(calls.indexOf('RemoveApplicationInstance')).toBeLessThan(calls.indexOf('DeregisterPackageVersion'));
  expect(calls.filter((c) => c === 'DeregisterPackageVersion')).toHaveLength(2);
});

test('a code package and a model in the samples\' other shape (several model interfaces) deploy as one application', async () => {
  // GIVEN a project whose model package offers two interfaces, both used by the graph
  const code = codePackage('TRACKER_CODE', { inputs: [{ name: 'video_in', type: 'media' }] });
  const model = modelPackage('TRACKER_MODELS', { interfaces: ['detector', 'classifier'] });
  const fixture = writeApplication({
    packages: [code, model],
    graph: {
      nodeGraph: {
        envelopeVersion: '2021-01-01',
        packages: [{ name: `${SAMPLE_ACCOUNT}::TRACKER_CODE`, version: '1.0' }, { name: `${SAMPLE_ACCOUNT}::TRACKER_MODELS`, version: '1.0' },
          { name: 'panorama::abstract_rtsp_media_source', version: '1.0' }],
        nodes: [
          { name: 'camera_node', interface: 'panorama::abstract_rtsp_media_source.rtsp_v1_interface' },
          { name: 'code_node', interface: `${SAMPLE_ACCOUNT}::TRACKER_CODE.interface` },
          { name: 'detector_node', interface: `${SAMPLE_ACCOUNT}::TRACKER_MODELS.detector` },
          { name: 'classifier_node', interface: `${SAMPLE_ACCOUNT}::TRACKER_MODELS.classifier` },
        ],
        edges: [{ producer: 'camera_node.video_out', consumer: 'code_node.video_in' }],
      },
    },
  });

  // WHEN deployed / THEN the instance runs, its node instances each on the right interface
  const result = await cloud.deploy(synthApplication(fixture.projectDir));
  expect(instanceOf(result.resources).attributes.Status).toBe('DEPLOYMENT_SUCCEEDED');
  expect(cloud.emulator.applicationInstances()[0].nodes.map((n) => n.nodeId)).toEqual([
    'panorama-abstract_rtsp_media_source-1.0-rtsp_v1_interface', `${ACCOUNT}-TRACKER_CODE-1.0-interface`,
    `${ACCOUNT}-TRACKER_MODELS-1.0-detector`, `${ACCOUNT}-TRACKER_MODELS-1.0-classifier`,
  ]);
});

describe('removal and waiting', () => {
  test('a failed removal fails the destroy with the instance\'s description; the next destroy removes it', async () => {
    // GIVEN a deployed application whose next removal fails
    await cloud.deploy(synthApplication(project().projectDir, { removalPolicy: RemovalPolicy.DESTROY }));
    cloud.emulator.setRemovalOutcome('fail', { message: 'Device did not confirm the removal (injected)', count: 1 });

    // WHEN it is destroyed
    const error = await rejectionOf(cloud.destroy());

    // THEN the instance's delete failed with the description, and the imports it depends on were not deleted
    expect(error.message).toMatch(new RegExp(`\\(${INSTANCE}\\) DELETE_FAILED: Application instance applicationInstance-\\w+ REMOVAL_FAILED: Device did not confirm the removal \\(injected\\)`));
    expect(Object.keys(registeredPatches()).sort()).toEqual(['COUNTER_CODE', 'COUNTER_MODEL']);

    // WHEN it is destroyed again / THEN all goes
    await cloud.destroy();
    expect(cloud.emulator.applicationInstances().map((i) => i.status)).toEqual(['REMOVAL_SUCCEEDED']);
    expect(cloud.emulator.packages()).toEqual([]);
  });

  test('an instance already removed outside the stack: destroy succeeds without removing it again', async () => {
    // GIVEN a deployed application whose instance someone removed by hand
    const deployed = await cloud.deploy(synthApplication(project().projectDir, { removalPolicy: RemovalPolicy.DESTROY }));
    const instance = instanceOf(deployed.resources).physicalId!;
    await cloud.panorama.send(new RemoveApplicationInstanceCommand({ ApplicationInstanceId: instance }));
    await cloud.emulator.whenInstancesSettled();
    cloud.emulator.requests.length = 0;

    // WHEN the stack is destroyed
    const destroyed = await cloud.destroy();

    // THEN it succeeded, with no second removal
    expect(destroyed.stacks[0].status).toBe('DELETE_COMPLETE');
    expect(cloud.emulator.callsOf('RemoveApplicationInstance')).toEqual([]);
    expect(cloud.emulator.packages()).toEqual([]);
  });

  test('a deployment that never ends fails the resource at the type\'s timeout, and the rollback removes the instance', async () => {
    // GIVEN a runner that waits 300 ms for a deployment, and a deployment that never ends
    const impatient = applicationInstanceType({ pollIntervalMs: 50, timeoutMs: 300 });
    const runner = cloud.newRunner({ resourceTypes: { [APPLICATION_INSTANCE_TYPE]: impatient } });
    cloud.emulator.setDeploymentOutcome('pending', { count: 1 });

    // WHEN the application is deployed
    const error = await rejectionOf(runner.deploy(synthApplication(project().projectDir)));

    // THEN it failed naming the instance and the status it was stuck in; the rollback removed it
    const [instance] = cloud.emulator.applicationInstances();
    expect(error.message).toContain(`CREATE_FAILED: Application instance ${instance.applicationInstanceId} still DEPLOYMENT_IN_PROGRESS after 0.3 s`);
    expect(instance.status).toBe('REMOVAL_SUCCEEDED');
    expect(runner.state.stacks).toEqual({});
  });
});
