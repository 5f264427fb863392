/**
 * The camera-node operations through the real SDK client: CreateNodeFromTemplateJob makes an RTSP
 * camera node whose package version is registered (its interface outputs video_out), its credentials
 * never come back nor reach the state file; Describe/List of jobs and nodes answer as the model
 * says, with pagination and filters; an application instance whose overrides name the camera deploys,
 * one naming an unknown camera or a port the camera lacks is refused.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  CreateApplicationInstanceCommand, CreateNodeFromTemplateJobCommand, CreateNodeFromTemplateJobCommandInput, DescribeNodeCommand,
  DescribeNodeFromTemplateJobCommand, ListNodeFromTemplateJobsCommand, ListNodesCommand, PanoramaClient,
} from '@aws-sdk/client-panorama';
import { ACCOUNT, CAMERA, chainPayload, errorOf, Harness, importPackage, useHarnessPerFile } from './harness';

let harness: Harness;
let panorama: PanoramaClient;
useHarnessPerFile((started, client) => {
  harness = started;
  panorama = client;
}, { instanceStepMs: 5 });

const PASSWORD = 'camera-pass-7f3a9c';
const DEVICE = 'device-lobby';

function cameraInput(name: string, overrides: Partial<CreateNodeFromTemplateJobCommandInput> = {}): CreateNodeFromTemplateJobCommandInput {
  return {
    TemplateType: 'RTSP_CAMERA_STREAM',
    OutputPackageName: name,
    OutputPackageVersion: '1.0',
    NodeName: name,
    NodeDescription: `Camera ${name}`,
    TemplateParameters: { Username: 'admin', Password: PASSWORD, StreamUrl: `rtsp://10.0.0.7:554/${name}` },
    ...overrides,
  };
}

/** Creates a camera and waits for its job. */
async function camera(name: string): Promise<string> {
  const { JobId } = await panorama.send(new CreateNodeFromTemplateJobCommand(cameraInput(name)));
  await harness.emulator.whenJobsSettled();
  return JobId!;
}

/** Overrides in the samples' shape: each camera replaces camera_node. */
function overridesFor(cameras: readonly string[]): string {
  return JSON.stringify({
    nodeGraphOverrides: {
      envelopeVersion: '2021-01-01',
      packages: cameras.map((c) => ({ name: `${ACCOUNT}::${c}`, version: '1.0' })),
      nodes: cameras.map((c) => ({ name: `${c}_node`, interface: `${ACCOUNT}::${c}.${c}`, overridable: true, overrideMandatory: false, launch: 'onAppStart' })),
      nodeOverrides: [{ replace: 'camera_node', with: cameras.map((c) => ({ name: `${c}_node` })) }],
    },
  });
}

describe('CreateNodeFromTemplateJob', () => {
  test('a finished job registers the camera package version and its node, and never shows the credentials', async () => {
    // GIVEN / WHEN a camera job runs to its end
    const jobId = await camera('lobby');

    // THEN the job SUCCEEDED, and shows its parameters with the credentials SAVED_AS_SECRET
    const job = await panorama.send(new DescribeNodeFromTemplateJobCommand({ JobId: jobId }));
    expect(job).toMatchObject({
      Status: 'SUCCEEDED',
      OutputPackageName: 'lobby',
      OutputPackageVersion: '1.0',
      NodeName: 'lobby',
      TemplateType: 'RTSP_CAMERA_STREAM',
      TemplateParameters: { Username: 'SAVED_AS_SECRET', Password: 'SAVED_AS_SECRET', StreamUrl: 'rtsp://10.0.0.7:554/lobby' },
    });
    expect(job.CreatedTime).toBeInstanceOf(Date);
    // AND the package holds a registered version marked latest
    const [pkg] = harness.emulator.packages();
    expect(pkg.packageName).toBe('lobby');
    expect(pkg.versions).toEqual([expect.objectContaining({ packageVersion: '1.0', registered: true, isLatestPatch: true })]);
    // AND the node is listed and described with the camera's interface
    const { Nodes } = await panorama.send(new ListNodesCommand({}));
    expect(Nodes).toEqual([expect.objectContaining({ Name: 'lobby', Category: 'MEDIA_SOURCE', PackageName: 'lobby', PackageVersion: '1.0', OwnerAccount: ACCOUNT })]);
    const node = await panorama.send(new DescribeNodeCommand({ NodeId: Nodes![0].NodeId }));
    expect(node.NodeInterface!.Outputs).toEqual([expect.objectContaining({ Name: 'video_out', Type: 'MEDIA' })]);
    expect(node.PatchVersion).toBe(pkg.versions[0].patchVersion);
    // AND no answer holds the password
    const jobs = await panorama.send(new ListNodeFromTemplateJobsCommand({}));
    expect(JSON.stringify([job, jobs, Nodes, node, harness.emulator.nodeJobs()])).not.toContain(PASSWORD);
  });

  test('the same camera made twice is two patches: the later one is the latest', async () => {
    // GIVEN a camera made once / WHEN it is made again with another URL
    await camera('door');
    await panorama.send(new CreateNodeFromTemplateJobCommand(cameraInput('door', { TemplateParameters: { StreamUrl: 'rtsp://10.0.0.8/door' } })));
    await harness.emulator.whenJobsSettled();

    // THEN the package has two registered patches, the second one latest
    const versions = harness.emulator.packages()[0].versions;
    expect(versions.map((v) => v.isLatestPatch)).toEqual([false, true]);
    expect(new Set(versions.map((v) => v.patchVersion)).size).toBe(2);
  });

  test.each([
    ['no StreamUrl', { Username: 'a', Password: PASSWORD }, /TemplateParameters\.StreamUrl is required for RTSP_CAMERA_STREAM/],
    ['a Username without a Password', { Username: 'a', StreamUrl: 'rtsp://h/x' }, /must hold Username and Password together, or neither/],
    ['an unknown parameter', { StreamUrl: 'rtsp://h/x', Port: '554' }, /TemplateParameters\.Port is not a parameter of RTSP_CAMERA_STREAM/],
    ['an empty password', { Username: 'a', Password: '', StreamUrl: 'rtsp://h/x' }, /TemplateParameters\.Password must be 1 to 255 characters .*sensitive and not shown/],
  ])('a job with %s is refused with a ValidationException naming the parameter', async (_label, parameters, message) => {
    // WHEN / THEN
    const error = await errorOf(panorama.send(new CreateNodeFromTemplateJobCommand(cameraInput('bad', { TemplateParameters: parameters }))));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toMatch(message);
    expect(harness.emulator.nodeJobs()).toEqual([]);
  });

  test('a too long password is refused without showing it', async () => {
    // WHEN the password breaks the model's length / THEN the error names the field but not the value
    const long = `${PASSWORD}${'x'.repeat(300)}`;
    const error = await errorOf(panorama.send(new CreateNodeFromTemplateJobCommand(cameraInput('bad', { TemplateParameters: { Username: 'a', Password: long, StreamUrl: 'rtsp://h/x' } }))));
    expect(error.message).toMatch(/TemplateParameters\.Password/);
    expect(error.message).not.toContain(PASSWORD);
  });

  test.each([
    ['NodeName', { NodeName: 'front door' }, /NodeName value 'front door' does not match pattern/],
    ['OutputPackageVersion', { OutputPackageVersion: '1' }, /OutputPackageVersion value '1' does not match pattern/],
    ['TemplateType', { TemplateType: 'USB_CAMERA' as any }, /TemplateType must be one of RTSP_CAMERA_STREAM/],
  ])('a job whose %s breaks the model is refused', async (_field, overrides, message) => {
    const error = await errorOf(panorama.send(new CreateNodeFromTemplateJobCommand(cameraInput('cam', overrides))));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toMatch(message);
  });

  test('a job can be made to fail, and then registers nothing', async () => {
    // GIVEN the next node job fails
    harness.emulator.setNodeJobOutcome('fail', { message: 'Camera template unavailable', count: 1 });
    // WHEN a camera is made
    const jobId = await camera('hall');
    // THEN the job FAILED with the message, and no node exists
    expect(await panorama.send(new DescribeNodeFromTemplateJobCommand({ JobId: jobId }))).toMatchObject({ Status: 'FAILED', StatusMessage: 'Camera template unavailable' });
    expect((await panorama.send(new ListNodesCommand({}))).Nodes).toEqual([]);
  });

  test('an unknown job is a ValidationException naming JobId, as the model lists no ResourceNotFound', async () => {
    const error = await errorOf(panorama.send(new DescribeNodeFromTemplateJobCommand({ JobId: 'nodeFromTemplateJob-unknown' })));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toMatch(/JobId 'nodeFromTemplateJob-unknown' names no node-from-template job/);
  });
});

describe('ListNodeFromTemplateJobs, ListNodes, DescribeNode', () => {
  test('jobs are paged with MaxResults and NextToken, oldest first', async () => {
    // GIVEN three camera jobs
    for (const name of ['c1', 'c2', 'c3']) await camera(name);
    // WHEN they are listed two at a time
    const first = await panorama.send(new ListNodeFromTemplateJobsCommand({ MaxResults: 2 }));
    const second = await panorama.send(new ListNodeFromTemplateJobsCommand({ MaxResults: 2, NextToken: first.NextToken }));
    // THEN the pages hold them in order, and the last has no token
    expect([...first.NodeFromTemplateJobs!, ...second.NodeFromTemplateJobs!].map((j) => j.NodeName)).toEqual(['c1', 'c2', 'c3']);
    expect(first.NodeFromTemplateJobs![0]).toMatchObject({ Status: 'SUCCEEDED', TemplateType: 'RTSP_CAMERA_STREAM' });
    expect(second.NextToken).toBeUndefined();
  });

  test('nodes are filtered by package name and category, and paged', async () => {
    // GIVEN two cameras
    await camera('c1');
    await camera('c2');
    // WHEN listed by package name, by another category, and one at a time
    const byName = await panorama.send(new ListNodesCommand({ PackageName: 'c2' }));
    const models = await panorama.send(new ListNodesCommand({ Category: 'ML_MODEL' }));
    const page = await panorama.send(new ListNodesCommand({ MaxResults: 1 }));
    // THEN
    expect(byName.Nodes!.map((n) => n.Name)).toEqual(['c2']);
    expect(models.Nodes).toEqual([]);
    expect(page.Nodes).toHaveLength(1);
    expect(page.NextToken).toBeDefined();
  });

  test('an unknown node is a 404 ResourceNotFoundException', async () => {
    const error = await errorOf(panorama.send(new DescribeNodeCommand({ NodeId: `${ACCOUNT}-nothing-1.0-nothing` })));
    expect(error.name).toBe('ResourceNotFoundException');
    expect(error.$metadata.httpStatusCode).toBe(404);
  });
});

describe('an application instance with cameras in its overrides', () => {
  async function graphWithModel(): Promise<string> {
    harness.emulator.ensureDevice(DEVICE);
    const { patchVersion } = await importPackage(harness, panorama, { name: 'MODEL_A' });
    return chainPayload(ACCOUNT, ['MODEL_A'], { MODEL_A: patchVersion });
  }

  test('deploys when the overrides name two cameras that exist', async () => {
    // GIVEN a graph camera -> MODEL_A -> display, and two cameras
    const payload = await graphWithModel();
    await camera('lobby');
    await camera('door');
    // WHEN an instance is created whose overrides replace camera_node with both
    const { ApplicationInstanceId } = await panorama.send(new CreateApplicationInstanceCommand({
      ManifestPayload: { PayloadData: payload }, ManifestOverridesPayload: { PayloadData: overridesFor(['lobby', 'door']) }, DefaultRuntimeContextDevice: DEVICE,
    }));
    await harness.emulator.whenInstancesSettled();
    // THEN it runs, and depends on both cameras' packages
    const instance = harness.emulator.applicationInstances().find((i) => i.applicationInstanceId === ApplicationInstanceId)!;
    expect(instance.status).toBe('DEPLOYMENT_SUCCEEDED');
    expect(instance.dependencies.map((d) => d.name)).toEqual(expect.arrayContaining(['lobby', 'door']));
  });

  test('is refused when the overrides name a camera never made', async () => {
    // GIVEN a graph, and no camera
    const payload = await graphWithModel();
    // WHEN / THEN
    const error = await errorOf(panorama.send(new CreateApplicationInstanceCommand({
      ManifestPayload: { PayloadData: payload }, ManifestOverridesPayload: { PayloadData: overridesFor(['ghost']) }, DefaultRuntimeContextDevice: DEVICE,
    })));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toMatch(`No registered package version found for accountId:${ACCOUNT}, packageName:ghost, packageVersion:1.0`);
  });

  test('is refused when an override node names an interface the camera package lacks', async () => {
    // GIVEN a graph camera -> display, and a camera
    harness.emulator.ensureDevice(DEVICE);
    await camera('lobby');
    const payload = JSON.stringify({
      nodeGraph: {
        envelopeVersion: '2021-01-01',
        packages: [{ name: CAMERA, version: '1.0' }, { name: 'panorama::hdmi_data_sink', version: '1.0' }],
        nodes: [
          { name: 'camera_node', interface: `${CAMERA}.rtsp_v1_interface`, overridable: true },
          { name: 'display_node', interface: 'panorama::hdmi_data_sink.hdmi0' },
        ],
        edges: [{ producer: 'camera_node.video_out', consumer: 'display_node.video_in' }],
      },
    });
    const overrides = JSON.parse(overridesFor(['lobby']));
    overrides.nodeGraphOverrides.nodes[0].interface = `${ACCOUNT}::lobby.not_an_interface`;
    // WHEN / THEN the replacement's interface is refused, naming it
    const error = await errorOf(panorama.send(new CreateApplicationInstanceCommand({
      ManifestPayload: { PayloadData: payload },
      ManifestOverridesPayload: { PayloadData: JSON.stringify(overrides) },
      DefaultRuntimeContextDevice: DEVICE,
    })));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toMatch(/nodeGraphOverrides\.nodes\[0\]\.interface: .*not_an_interface.* is not one of them/);
  });
});

describe('the state file', () => {
  test('keeps cameras between processes and never holds a credential', async () => {
    // GIVEN an emulator with a state file, and a camera made in it
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'camera-state-'));
    const stateFile = path.join(directory, 'state.json');
    const first = await Harness.start({ stateFile });
    try {
      const client = first.panorama();
      const { JobId } = await client.send(new CreateNodeFromTemplateJobCommand(cameraInput('kept')));
      await first.emulator.whenJobsSettled();
      // THEN the file holds the job and its node, not the password
      const text = fs.readFileSync(stateFile, 'utf8');
      expect(text).not.toContain(PASSWORD);
      expect(JSON.parse(text).nodeFromTemplateJobs[0]).toMatchObject({ jobId: JobId, status: 'SUCCEEDED' });
      expect(JSON.parse(text).nodes).toHaveLength(1);
    } finally {
      await first.stop();
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});
