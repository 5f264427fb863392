/**
 * The camera handlers run from their sources against the Panorama emulator and the local runner's
 * Secrets Manager endpoint, reached through the standard endpoint variables, as Lambda reaches AWS.
 * Each test hands them CloudFormation's events one by one, as the Provider framework would. The
 * credentials are read from the secret at deploy time and appear in no log line, answer or error.
 */
import { DescribeNodeFromTemplateJobCommand, ListNodesCommand, PanoramaClient } from '@aws-sdk/client-panorama';
import { SecretStore } from '../../local-runner/secret-store';
import { SecretsEndpoint, startSecretsEndpoint } from '../../local-runner/secrets-endpoint';
import { handler as isComplete } from '../../src/handler/camera-is-complete.lambda';
import { handler as onEvent } from '../../src/handler/camera-on-event.lambda';
import { FrameworkEvent, IsCompleteResult, PENDING_JOB_ID } from '../../src/handler/types';
import { ACCOUNT, Harness } from '../emulator/harness';

const STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/CameraStack/5a2c7d30-0000-0000-0000-000000000000';
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:lobby-credentials-AbCdEf';
const PASSWORD = 'p4ss-never-shown-91c2';
const ENVIRONMENT = [
  'AWS_ENDPOINT_URL_PANORAMA', 'AWS_ENDPOINT_URL_SECRETS_MANAGER', 'AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_EC2_METADATA_DISABLED',
];

let harness: Harness;
let panorama: PanoramaClient;
let secrets: SecretStore;
let endpoint: SecretsEndpoint;
let savedEnvironment: Record<string, string | undefined>;
/** Every line the handlers logged in the current test. */
let logged: string[];

beforeAll(async () => {
  harness = await Harness.start();
  panorama = harness.panorama();
  secrets = SecretStore.open();
  endpoint = await startSecretsEndpoint(secrets);
  savedEnvironment = Object.fromEntries(ENVIRONMENT.map((name) => [name, process.env[name]]));
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_PANORAMA: harness.emulator.endpoint,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoint.url,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIACAMERATEST000000',
    AWS_SECRET_ACCESS_KEY: 'camera-test',
    AWS_EC2_METADATA_DISABLED: 'true',
  });
});
afterAll(async () => {
  for (const [name, value] of Object.entries(savedEnvironment)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await endpoint.stop();
  await harness.stop();
});
beforeEach(() => {
  harness.emulator.reset();
  for (const secret of secrets.list()) secrets.delete(secret.arn);
  secrets.put(SECRET_ARN, 'lobby-credentials', JSON.stringify({ username: 'admin', password: PASSWORD }));
  logged = [];
  jest.spyOn(console, 'log').mockImplementation((line: string) => void logged.push(line));
});
afterEach(() => jest.restoreAllMocks());

function properties(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:camera-onEvent',
    Name: 'lobby',
    PackageVersion: '1.0',
    StreamUrl: 'rtsp://10.0.0.7:554/live',
    SecretArn: SECRET_ARN,
    RemovalPolicy: 'destroy',
    ...overrides,
  };
}

let requestCounter = 0;
function event(requestType: FrameworkEvent['RequestType'], props: Record<string, unknown>, extra: Partial<FrameworkEvent> = {}): FrameworkEvent {
  return {
    RequestType: requestType,
    StackId: STACK_ID,
    RequestId: `request-${++requestCounter}`,
    LogicalResourceId: 'LobbyCamera',
    ResourceType: 'Custom::PanoramaCamera',
    ResourceProperties: props,
    ...extra,
  };
}

/** onEvent, then isComplete until it completes (the job takes a few ms). */
async function run(e: FrameworkEvent): Promise<IsCompleteResult & { started?: string }> {
  const started = await onEvent(e);
  const followUp = { ...e, PhysicalResourceId: started.PhysicalResourceId ?? e.PhysicalResourceId, Data: started.Data };
  for (;;) {
    await harness.emulator.whenJobsSettled();
    const result = await isComplete(followUp);
    if (result.IsComplete) return { ...result, started: started.Data?.[PENDING_JOB_ID] };
  }
}

function registeredPatches(): string[] {
  return harness.emulator.packages().flatMap((p) => p.versions.filter((v) => v.registered).map((v) => v.patchVersion));
}

describe('Create', () => {
  test('reads the credentials from the secret, makes the camera, and returns its package and node', async () => {
    // WHEN a camera is created
    const result = await run(event('Create', properties()));

    // THEN the job got the secret's credentials (the emulator saw them in the request alone)
    const [call] = harness.emulator.callsOf('CreateNodeFromTemplateJob');
    expect((call.body as any).TemplateParameters).toEqual({ StreamUrl: 'rtsp://10.0.0.7:554/live', Username: 'admin', Password: PASSWORD });
    // AND the attributes name the package as graphs do, the node and the patch
    const [node] = (await panorama.send(new ListNodesCommand({}))).Nodes!;
    expect(result.Data).toEqual({
      PackageName: `${ACCOUNT}::lobby`,
      PackageId: node.PackageId,
      PackageArn: node.PackageArn,
      PackageVersion: '1.0',
      PatchVersion: node.PatchVersion,
      NodeName: 'lobby',
      JobId: result.started,
    });
    // AND the physical id carries what Delete must undo
    expect(result.PhysicalResourceId).toBe(`${result.started}|${node.PackageId}|1.0|${node.PatchVersion}`);
    // AND no log line holds the password
    expect(logged.join('\n')).not.toContain(PASSWORD);
  });

  test('an open stream (no secret) sends the URL alone', async () => {
    await run(event('Create', properties({ SecretArn: undefined })));
    expect((harness.emulator.callsOf('CreateNodeFromTemplateJob')[0].body as any).TemplateParameters).toEqual({ StreamUrl: 'rtsp://10.0.0.7:554/live' });
  });

  test('a redelivered Create finds the job its first delivery started', async () => {
    // GIVEN a Create delivered twice
    const create = event('Create', properties());
    const first = await onEvent(create);
    const second = await onEvent(create);
    // THEN one job, the same id twice
    expect(second.PhysicalResourceId).toBe(first.PhysicalResourceId);
    expect(harness.emulator.callsOf('CreateNodeFromTemplateJob')).toHaveLength(1);
  });

  test('a Create sent again by a new process (another RequestId, after a kill -9) finds the job the first one started', async () => {
    // GIVEN a Create whose sender died before it recorded the answer
    const first = await onEvent(event('Create', properties()));
    // WHEN the next process sends the Create again
    const again = await onEvent(event('Create', properties()));
    // THEN the same job, and still one
    expect(again.PhysicalResourceId).toBe(first.PhysicalResourceId);
    expect(harness.emulator.callsOf('CreateNodeFromTemplateJob')).toHaveLength(1);
  });

  test.each([
    ['not JSON', 'admin:secret-in-text-9z'],
    ['without a password', JSON.stringify({ username: 'admin' })],
  ])('a secret %s fails naming the secret, never its value', async (_label, value) => {
    // GIVEN the secret holds something unusable
    secrets.put(SECRET_ARN, 'lobby-credentials', value);
    // WHEN / THEN
    const error = await onEvent(event('Create', properties())).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain(SECRET_ARN);
    expect((error as Error).message).not.toContain('secret-in-text-9z');
    expect(harness.emulator.callsOf('CreateNodeFromTemplateJob')).toHaveLength(0);
  });

  test('a secret that does not exist fails with Secrets Manager\'s error', async () => {
    const error = await onEvent(event('Create', properties({ SecretArn: `${SECRET_ARN}-gone` }))).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/ResourceNotFoundException/);
  });

  test('a stream URL that was a token at synth is checked here, with the construct\'s rule', async () => {
    const error = await onEvent(event('Create', properties({ StreamUrl: 'http://10.0.0.7/live' }))).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/StreamUrl: "http:\/\/10\.0\.0\.7\/live" must start with rtsp:\/\//);
  });

  test('a failed job fails the deployment with the job id and the service\'s message', async () => {
    harness.emulator.setNodeJobOutcome('fail', { message: 'Camera template unavailable', count: 1 });
    const error = await run(event('Create', properties())).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/Panorama camera job nodeFromTemplateJob-\w+ for lobby FAILED: Camera template unavailable/);
  });
});

describe('Update and Delete', () => {
  test('a new URL makes a new camera with a new physical id; deleting the old one leaves the new one whole', async () => {
    // GIVEN a camera
    const created = await run(event('Create', properties()));
    // WHEN its URL changes
    const updated = await run(event('Update', properties({ StreamUrl: 'rtsp://10.0.0.8/live' }), {
      PhysicalResourceId: created.PhysicalResourceId, OldResourceProperties: properties(),
    }));
    // THEN a second job ran and the resource has a new id
    expect(harness.emulator.callsOf('CreateNodeFromTemplateJob')).toHaveLength(2);
    expect(updated.PhysicalResourceId).not.toBe(created.PhysicalResourceId);
    // WHEN CloudFormation deletes the old camera
    await onEvent(event('Delete', properties(), { PhysicalResourceId: created.PhysicalResourceId }));
    // THEN only the new patch is registered, and the package remains
    expect(registeredPatches()).toEqual([updated.Data!.PatchVersion]);
    // WHEN the new one is deleted too / THEN the package is gone
    await onEvent(event('Delete', properties({ StreamUrl: 'rtsp://10.0.0.8/live' }), { PhysicalResourceId: updated.PhysicalResourceId }));
    expect(harness.emulator.packages()).toEqual([]);
  });

  test('a camera changed back to its earlier URL is a new camera: the earlier job\'s patch was deregistered', async () => {
    // GIVEN a camera replaced by a new URL, the old one deleted
    const a = await run(event('Create', properties()));
    const b = await run(event('Update', properties({ StreamUrl: 'rtsp://10.0.0.8/live' }), { PhysicalResourceId: a.PhysicalResourceId, OldResourceProperties: properties() }));
    await onEvent(event('Delete', properties(), { PhysicalResourceId: a.PhysicalResourceId }));
    // WHEN it goes back to the first URL
    const back = await run(event('Update', properties(), { PhysicalResourceId: b.PhysicalResourceId, OldResourceProperties: properties({ StreamUrl: 'rtsp://10.0.0.8/live' }) }));
    // THEN a third job, whose patch is registered
    expect(harness.emulator.callsOf('CreateNodeFromTemplateJob')).toHaveLength(3);
    expect(registeredPatches()).toContain(back.Data!.PatchVersion);
    expect(back.PhysicalResourceId).not.toBe(a.PhysicalResourceId);
  });

  test('a change of the removal policy alone starts no job and keeps the id', async () => {
    const created = await run(event('Create', properties()));
    const updated = await run(event('Update', properties({ RemovalPolicy: 'retain' }), {
      PhysicalResourceId: created.PhysicalResourceId, OldResourceProperties: properties(),
    }));
    expect(harness.emulator.callsOf('CreateNodeFromTemplateJob')).toHaveLength(1);
    expect(updated.PhysicalResourceId).toBe(created.PhysicalResourceId);
  });

  test('under RETAIN, Delete leaves the camera registered', async () => {
    const created = await run(event('Create', properties({ RemovalPolicy: 'retain' })));
    await onEvent(event('Delete', properties({ RemovalPolicy: 'retain' }), { PhysicalResourceId: created.PhysicalResourceId }));
    expect(registeredPatches()).toEqual([created.Data!.PatchVersion]);
  });

  test('deleting a camera whose Create never finished (a bare job id) removes nothing and succeeds', async () => {
    const started = await onEvent(event('Create', properties()));
    await harness.emulator.whenJobsSettled();
    await expect(onEvent(event('Delete', properties(), { PhysicalResourceId: started.PhysicalResourceId }))).resolves.toEqual({ PhysicalResourceId: started.PhysicalResourceId });
    const job = await panorama.send(new DescribeNodeFromTemplateJobCommand({ JobId: started.PhysicalResourceId }));
    expect(job.Status).toBe('SUCCEEDED');
  });
});
