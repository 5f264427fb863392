/**
 * With a state file and a storage directory, what the emulated service holds (packages, versions,
 * import jobs, devices, S3 objects) outlives the process: a new emulator over the same files
 * answers as the old one would have. Files of another format or version are refused, never misread.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  CreateApplicationInstanceCommand, CreatePackageImportJobCommand, DescribeApplicationInstanceCommand, DescribeDeviceCommand, DescribePackageCommand,
  DescribePackageImportJobCommand, ListApplicationInstanceDependenciesCommand, PanoramaClient, ProvisionDeviceCommand,
} from '@aws-sdk/client-panorama';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ACCOUNT, chainPayload, CREDENTIALS, importJobInput, manifestFor, MODEL_FILE, DESCRIPTOR_FILE, REGION, UploadedPackage } from './harness';
import { PanoramaEmulator, STATE_FILE_VERSION, startS3Server } from '../../emulator';

const PACKAGE = { name: 'PERSISTED_MODEL', version: '1.0' };
/** A model descriptor the official schema accepts (as the harness uploads it). */
const DESCRIPTOR = JSON.stringify({ mlModelDescriptor: { envelopeVersion: '2021-01-01', framework: 'PYTORCH', inputs: [{ name: 'data', shape: [1, 3, 224, 224] }] } });

let directory: string;
let stateFile: string;
let storage: string;
beforeEach(() => {
  directory = fs.mkdtempSync(path.join(os.tmpdir(), 'emulator-persistence-'));
  stateFile = path.join(directory, 'panorama-state.json');
  storage = path.join(directory, 's3');
});
/** Every service a test started; stopped after it even when an assertion failed half way. */
const started: Service[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((service) => service.stop()));
  fs.rmSync(directory, { recursive: true, force: true });
});

/** One process's worth of emulators over the test's files, with clients. */
interface Service {
  readonly emulator: PanoramaEmulator;
  readonly panorama: PanoramaClient;
  readonly s3: S3Client;
  stop(): Promise<void>;
}

async function startService(jobDelayMs = 5, instanceStepMs = 5): Promise<Service> {
  const s3Server = await startS3Server({ directory: storage });
  const emulator = await PanoramaEmulator.start({ s3Endpoint: s3Server.endpoint, stateFile, jobDelayMs, instanceStepMs });
  const panorama = new PanoramaClient({ endpoint: emulator.endpoint, region: REGION, credentials: CREDENTIALS, maxAttempts: 1 });
  const s3 = new S3Client({ endpoint: s3Server.endpoint, region: REGION, credentials: CREDENTIALS, forcePathStyle: true });
  let stopping: Promise<void> | undefined;
  const service: Service = {
    emulator,
    panorama,
    s3,
    stop() {
      stopping ??= (async () => {
        panorama.destroy();
        s3.destroy();
        await emulator.stop();
        await s3Server.stop();
      })();
      return stopping;
    },
  };
  started.push(service);
  return service;
}

/** Uploads the test package's manifest and files; returns it as the harness's importJobInput takes it. */
async function uploadPackage(s3: S3Client): Promise<UploadedPackage> {
  await s3.send(new CreateBucketCommand({ Bucket: 'input' }));
  await s3.send(new PutObjectCommand({ Bucket: 'input', Key: 'pkg/package.json', Body: JSON.stringify(manifestFor(PACKAGE)) }));
  await s3.send(new PutObjectCommand({ Bucket: 'input', Key: `pkg/${MODEL_FILE}`, Body: 'weights' }));
  await s3.send(new PutObjectCommand({ Bucket: 'input', Key: `pkg/${DESCRIPTOR_FILE}`, Body: DESCRIPTOR }));
  return { bucket: 'input', manifestKey: 'pkg/package.json', manifestBytes: JSON.stringify(manifestFor(PACKAGE)), files: {} };
}

test('a package imported by one emulator is found, with its stored manifest, by the next one over the same files', async () => {
  // GIVEN an emulator that imported a package, then stopped
  const first = await startService();
  const uploaded = await uploadPackage(first.s3);
  const { JobId } = await first.panorama.send(new CreatePackageImportJobCommand(importJobInput(uploaded, PACKAGE, 'token-1')));
  await first.emulator.whenJobsSettled();
  const job = await first.panorama.send(new DescribePackageImportJobCommand({ JobId }));
  const described = await first.panorama.send(new DescribePackageCommand({ PackageId: job.Output!.PackageId }));
  await first.stop();

  // WHEN a new emulator starts over the same state file and storage directory
  const second = await startService();
  try {
    // THEN the job, the package and its stored manifest are all there
    expect(await second.panorama.send(new DescribePackageImportJobCommand({ JobId }))).toMatchObject({ Status: 'SUCCEEDED', Output: job.Output });
    const again = await second.panorama.send(new DescribePackageCommand({ PackageId: job.Output!.PackageId }));
    expect({ ...again, $metadata: undefined }).toEqual({ ...described, $metadata: undefined });
    const location = job.Output!.OutputS3Location!;
    const stored = await second.s3.send(new GetObjectCommand({ Bucket: location.BucketName, Key: location.ObjectKey }));
    expect(await stored.Body!.transformToString()).toBe(JSON.stringify(manifestFor(PACKAGE)));
    // AND the same ClientToken still finds the first job: no second import
    const retried = await second.panorama.send(new CreatePackageImportJobCommand(importJobInput(uploaded, PACKAGE, 'token-1')));
    expect(retried.JobId).toBe(JobId);
    expect(second.emulator.jobs()).toHaveLength(1);
  } finally {
    await second.stop();
  }
});

test('a job still PENDING when its emulator stopped is processed by the next one', async () => {
  // GIVEN an emulator whose jobs wait a minute, stopped right after accepting one
  const first = await startService(60_000);
  const uploaded = await uploadPackage(first.s3);
  const { JobId } = await first.panorama.send(new CreatePackageImportJobCommand(importJobInput(uploaded, PACKAGE, 'token-2')));
  await first.stop();

  // WHEN the next emulator starts over the same files
  const second = await startService();
  try {
    await second.emulator.whenJobsSettled();

    // THEN the job ran to its end there
    expect(await second.panorama.send(new DescribePackageImportJobCommand({ JobId }))).toMatchObject({ Status: 'SUCCEEDED' });
    expect(second.emulator.packages().map((p) => p.packageName)).toEqual([PACKAGE.name]);
  } finally {
    await second.stop();
  }
});

test('ensureDevice provisions a device once, keeps it across restarts, and returns it unchanged after', async () => {
  // GIVEN an emulator with no device
  const first = await startService();
  const created = first.emulator.ensureDevice('camera-hall-1');
  const repeated = first.emulator.ensureDevice('camera-hall-1');
  await first.stop();
  const second = await startService();
  try {
    // WHEN the same id is ensured by the next emulator
    const later = second.emulator.ensureDevice('camera-hall-1');

    // THEN it was provisioned once, shaped as DescribeDevice describes a ready device, and kept
    expect(created.created).toBe(true);
    expect(created.device).toMatchObject({
      DeviceId: 'camera-hall-1',
      Name: 'camera-hall-1',
      Arn: `arn:aws:panorama:${REGION}:${ACCOUNT}:device/camera-hall-1`,
      Type: 'PANORAMA_APPLIANCE',
      ProvisioningStatus: 'SUCCEEDED',
      DeviceConnectionStatus: 'ONLINE',
      DeviceAggregatedStatus: 'ONLINE',
    });
    expect(repeated).toEqual({ device: created.device, created: false });
    expect(later).toEqual({ device: created.device, created: false });
    expect(second.emulator.devices()).toEqual([created.device]);
  } finally {
    await second.stop();
  }
});

test.each([
  ['an empty id', '', /DeviceId must be 1 to 255 characters long, got 0/],
  ['a space', 'camera 1', /DeviceId 'camera 1' does not match pattern/],
])('ensureDevice refuses %s, naming the rule', async (_label, deviceId, message) => {
  // GIVEN an emulator / WHEN a device id breaks the model's constraint / THEN it is refused
  const service = await startService();
  try {
    expect(() => service.emulator.ensureDevice(deviceId)).toThrow(message);
    expect(service.emulator.devices()).toEqual([]);
  } finally {
    await service.stop();
  }
});

test.each([
  ['not JSON', '{"format": "panorama-emulator-state", "ver', /panorama-state\.json is not valid JSON .*cannot be read safely/],
  ['another format', JSON.stringify({ format: 'something-else', version: 1 }), /is not a Panorama emulator state file \(its "format" is "something-else"/],
  ['another version', JSON.stringify({ format: 'panorama-emulator-state', version: STATE_FILE_VERSION + 1 }),
    new RegExp(`holds Panorama emulator state of version ${STATE_FILE_VERSION + 1}; this emulator reads versions 1, 2, ${STATE_FILE_VERSION} only`)],
])('a state file with %s is refused, naming the file, and left as it was', async (_label, content, message) => {
  // GIVEN a state file the emulator cannot read
  fs.writeFileSync(stateFile, content);

  // WHEN an emulator starts over it / THEN it refuses with the reason, and the file is untouched
  const s3Server = await startS3Server({ directory: storage });
  try {
    await expect(PanoramaEmulator.start({ s3Endpoint: s3Server.endpoint, stateFile })).rejects.toThrow(message);
    expect(fs.readFileSync(stateFile, 'utf8')).toBe(content);
  } finally {
    await s3Server.stop();
  }
});

test('the state file is replaced whole: no temporary file is left beside it', async () => {
  // GIVEN an emulator that wrote its state a few times
  const service = await startService();
  service.emulator.ensureDevice('a');
  service.emulator.ensureDevice('b');
  await service.stop();

  // THEN the folder holds the state file (valid JSON, both devices) and no leftover
  expect(fs.readdirSync(directory).sort()).toEqual(['panorama-state.json', 's3']);
  expect(JSON.parse(fs.readFileSync(stateFile, 'utf8')).devices.map((d: { DeviceId: string }) => d.DeviceId)).toEqual(['a', 'b']);
});

/** Imports the test package in a service and returns its patch. */
async function importedPatch(service: Service, token: string): Promise<string> {
  const uploaded = await uploadPackage(service.s3);
  const { JobId } = await service.panorama.send(new CreatePackageImportJobCommand(importJobInput(uploaded, PACKAGE, token, true)));
  await service.emulator.whenJobsSettled();
  return (await service.panorama.send(new DescribePackageImportJobCommand({ JobId }))).Output!.PatchVersion!;
}

test('application instances and provisioned devices outlive their emulator; an instance on its way goes on in the next one', async () => {
  // GIVEN an emulator with a running instance, a second instance just created (its steps take a minute), and a provisioned device
  const first = await startService(5, 60_000);
  first.emulator.ensureDevice('camera-1');
  const patch = await importedPatch(first, 'token-3');
  const input = { ManifestPayload: { PayloadData: chainPayload(ACCOUNT, [PACKAGE.name], { [PACKAGE.name]: patch }) }, DefaultRuntimeContextDevice: 'camera-1' };
  const { ApplicationInstanceId: onItsWay } = await first.panorama.send(new CreateApplicationInstanceCommand(input));
  const { DeviceId } = await first.panorama.send(new ProvisionDeviceCommand({ Name: 'door' }));
  await first.stop();

  // WHEN the next emulator starts over the same files, with short steps, and its work settles
  const second = await startService();
  await second.emulator.whenInstancesSettled();

  // THEN the instance went on from where it was and runs, with its dependencies; the device completed its setup
  expect(await second.panorama.send(new DescribeApplicationInstanceCommand({ ApplicationInstanceId: onItsWay }))).toMatchObject({ Status: 'DEPLOYMENT_SUCCEEDED', HealthStatus: 'RUNNING' });
  expect(second.emulator.applicationInstances()[0].history.map((h) => h.status))
    .toEqual(['DEPLOYMENT_PENDING', 'DEPLOYMENT_REQUESTED', 'DEPLOYMENT_IN_PROGRESS', 'DEPLOYMENT_SUCCEEDED']);
  const dependencies = await second.panorama.send(new ListApplicationInstanceDependenciesCommand({ ApplicationInstanceId: onItsWay }));
  expect(dependencies.PackageObjects![0]).toEqual({ Name: PACKAGE.name, PackageVersion: '1.0', PatchVersion: patch });
  expect(await second.panorama.send(new DescribeDeviceCommand({ DeviceId }))).toMatchObject({ Name: 'door', ProvisioningStatus: 'SUCCEEDED' });
  // AND the file says the current version, with the instance in it
  await second.stop();
  const file = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
  expect(file.version).toBe(STATE_FILE_VERSION);
  expect(file.applicationInstances.map((i: { applicationInstanceId: string }) => i.applicationInstanceId)).toEqual([onItsWay]);
});

test('a state file of version 1 (before application instances) is read, and written back in the current version', async () => {
  // GIVEN the state a version-1 emulator wrote: a device, no instances
  const first = await startService();
  first.emulator.ensureDevice('camera-1');
  await first.stop();
  const written = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
  const devices = written.devices.map(({ LastUpdatedTime: _t, ...d }: any) => d);
  const { applicationInstances: _none, nodeFromTemplateJobs: _jobs, nodes: _nodes, ...version1 } = { ...written, version: 1, devices };
  fs.writeFileSync(stateFile, JSON.stringify(version1));

  // WHEN the current emulator starts over it
  const second = await startService();
  try {
    // THEN the device is there, and the next write makes it the current version
    expect(second.emulator.devices().map((d) => d.DeviceId)).toEqual(['camera-1']);
    second.emulator.ensureDevice('camera-2');
    expect(JSON.parse(fs.readFileSync(stateFile, 'utf8'))).toMatchObject({ version: STATE_FILE_VERSION, applicationInstances: [], nodeFromTemplateJobs: [], nodes: [] });
  } finally {
    await second.stop();
  }
});
