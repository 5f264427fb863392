/**
 * The runner drives a custom resource as aws-cdk-lib's Provider framework does, read from the
 * synthesized template: events, physical ids, isComplete polling, timeouts, rollback and cleanup.
 */
import { Duration, Fn } from 'aws-cdk-lib';
import { RunningS3Server, startS3Server } from '../../emulator';
import { CREATE_FAILED_PHYSICAL_ID_MARKER, LocalDeployer, LocalDeployerOptions, providerFrameworkType } from '../../local-runner';
import { FakeHandlers, removeFakeApps, synthFakeApp } from './support/fake-provider';
import { recordingDeployer } from './support/recording-deployer';
import { LOCAL_RUNNER_CREDENTIALS } from '../../local-runner/environment';

// The template itself is a file asset, so the runner always needs an S3; Panorama is never called.
let s3Server: RunningS3Server;
let ENDPOINTS: { panoramaEndpoint: string; s3Endpoint: string };
beforeAll(async () => {
  s3Server = await startS3Server();
  ENDPOINTS = { panoramaEndpoint: 'http://127.0.0.1:9', s3Endpoint: s3Server.endpoint };
});
afterAll(async () => {
  await s3Server.stop();
  removeFakeApps();
});

interface Recorder {
  readonly events: any[];
  readonly runner: LocalDeployer;
  readonly progress: string[];
}

/** A runner (with `options`) whose fake handlers record every event they get. */
function newRecorder(handlers: Partial<FakeHandlers>, options: Partial<LocalDeployerOptions> = {}): Recorder {
  const events: any[] = [];
  globalThis.fakeHandlers = {
    onEvent: (event) => {
      events.push({ handler: 'onEvent', ...event });
      return handlers.onEvent ? handlers.onEvent(event) : {};
    },
    isComplete: (event) => {
      events.push({ handler: 'isComplete', ...event });
      return handlers.isComplete ? handlers.isComplete(event) : { IsComplete: true };
    },
  };
  const progress: string[] = [];
  return { events, progress, runner: recordingDeployer(ENDPOINTS.s3Endpoint, { logger: (line) => progress.push(line), ...options }).runner };
}

test('a Create carries a stack ARN, a fresh RequestId, a pre-signed ResponseURL and every scalar as a string', async () => {
  // GIVEN a resource with a boolean, a number and nested values
  const { events, runner } = newRecorder({});
  const assembly = synthFakeApp({ properties: { Flag: true, Count: 3, Nested: { Inner: false, List: [1, 'a'] } } });

  // WHEN it is deployed
  await runner.deploy(assembly);

  // THEN onEvent saw a CloudFormation-shaped Create
  const create = events[0];
  expect(create).toMatchObject({
    handler: 'onEvent',
    RequestType: 'Create',
    LogicalResourceId: expect.stringMatching(/^Fake/),
    ResourceType: 'Custom::PanoramaPackageImport',
    StackId: expect.stringMatching(/^arn:aws:cloudformation:us-east-1:123456789012:stack\/FakeStack\/[0-9a-f-]{36}$/),
    RequestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    ResponseURL: expect.stringMatching(/^https:\/\/cloudformation-custom-resource-response-useast1\.s3\.amazonaws\.com\/.+X-Amz-Signature=[0-9a-f]{64}$/),
    ResourceProperties: { ServiceToken: create.ServiceToken, Flag: 'true', Count: '3', Nested: { Inner: 'false', List: ['1', 'a'] } },
  });
  expect(create.PhysicalResourceId).toBeUndefined();
});

test('without a physical id from onEvent, a Create takes the RequestId; isComplete sees onEvent\'s Data and the final Data merges both', async () => {
  // GIVEN handlers that return Data from both functions but no physical id
  const { events, runner } = newRecorder({
    onEvent: () => ({ Data: { Started: 'yes' } }),
    isComplete: () => ({ IsComplete: true, Data: { Answer: '42' } }),
  });

  // WHEN the resource is created
  const result = await runner.deploy(synthFakeApp({ properties: { A: 'x' } }));

  // THEN its physical id is the RequestId and its attributes hold both Data
  const fake = result.resources.find((r) => r.logicalId.startsWith('Fake'))!;
  expect(fake.physicalId).toBe(events[0].RequestId);
  expect(events[1]).toMatchObject({ handler: 'isComplete', PhysicalResourceId: events[0].RequestId, Data: { Started: 'yes' } });
  expect(fake.attributes).toEqual({ Started: 'yes', Answer: '42' });
  expect(Object.values(result.stacks[0].outputs)).toEqual(['42']);
});

/** The runner's "not yet" progress lines, without the resource's prefix. */
function notYetLines(progress: string[]): string[] {
  return progress.filter((line) => line.includes('isComplete: not yet')).map((line) => line.replace(/^.*: (isComplete: )/, '$1'));
}

/** The "not yet" lines of asks followed by the given waits (in seconds, as the runner prints them). */
function expectedNotYet(waits: string[]): string[] {
  return waits.map((wait, i) => `isComplete: not yet (${i + 1}), asking again in ${wait} s`);
}

test('isComplete is asked at once, then every 0.25 s for a second, the waits then doubling up to queryInterval, until it completes', async () => {
  // GIVEN an isComplete that completes on its seventh call
  let calls = 0;
  const { events, runner, progress } = newRecorder({ isComplete: () => ({ IsComplete: ++calls === 7 }) });

  // WHEN the resource is created
  await runner.deploy(synthFakeApp({ properties: {} }));

  // THEN there were seven calls, after onEvent, and before the last six the runner decided to wait 0.25 s four times, then 0.5 s, then 1 s
  expect(events.map((e) => e.handler)).toEqual(['onEvent', ...Array(7).fill('isComplete')]);
  expect(notYetLines(progress)).toEqual(expectedNotYet(['0.25', '0.25', '0.25', '0.25', '0.5', '1']));
});

test('isComplete that never completes fails with "Operation timed out", last asked when the framework\'s waiter would (totalTimeout)', async () => {
  // GIVEN an isComplete that never completes, with a 3 s timeout and a 1 s queryInterval
  const { events, runner, progress } = newRecorder({ isComplete: () => ({ IsComplete: false }) });

  // WHEN the resource is created
  const app = synthFakeApp({ properties: {}, queryInterval: Duration.seconds(1), totalTimeout: Duration.seconds(3) });
  const deployment = runner.deploy(app, { rollback: false });

  // THEN the deployment fails with the framework's reason, naming the resource
  await expect(deployment).rejects.toThrow(/Fake\w* \(Custom::PanoramaPackageImport\) CREATE_FAILED: Operation timed out/);
  expect(events.filter((e) => e.handler === 'isComplete')).toHaveLength(8);
  // AND the waits were 0.25 s for a second, then doubled up to the 1 s queryInterval, the last cut so the asks end at 3 s, and none after the last
  expect(notYetLines(progress)).toEqual([...expectedNotYet(['0.25', '0.25', '0.25', '0.25', '0.5', '1', '0.5']), 'isComplete: not yet (8)']);
});

test('Data returned while not complete fails the resource', async () => {
  // GIVEN an isComplete that returns Data without completing
  const { runner } = newRecorder({ isComplete: () => ({ IsComplete: false, Data: { Early: '1' } }) });

  // WHEN the resource is created
  const deployment = runner.deploy(synthFakeApp({ properties: {} }));

  // THEN the deployment fails with the framework's message
  await expect(deployment).rejects.toThrow('"Data" is not allowed if "IsComplete" is "False"');
});

test('an onEvent failure on Create answers with the CREATE_FAILED marker, whose Delete never reaches the handler', async () => {
  // GIVEN an onEvent that throws on Create
  const { events, runner } = newRecorder({
    onEvent: (event) => {
      if (event.RequestType === 'Create') throw new Error('boom on create');
      return {};
    },
  });

  // WHEN the resource is created (and rolled back)
  const error = await runner.deploy(synthFakeApp({ properties: {} })).catch((e) => e);

  // THEN the failure reason is the handler's, the id is the marker, and the rollback Delete was skipped
  expect(error.message).toContain('CREATE_FAILED: boom on create');
  expect(error.result.resources.find((r: any) => r.logicalId.startsWith('Fake')).physicalId).toBe(CREATE_FAILED_PHYSICAL_ID_MARKER);
  expect(events.filter((e) => e.RequestType === 'Delete')).toEqual([]);
  expect(error.message).toContain('ROLLBACK_COMPLETE');
});

test('only a resource whose properties changed gets an Update, with its old properties', async () => {
  // GIVEN two resources deployed
  const { events, runner } = newRecorder({});
  await runner.deploy(synthFakeApp({ properties: { V: 1 }, otherProperties: { V: 1 } }));
  events.length = 0;

  const stackId = runner.state.stacks.FakeStack.stackId;

  // WHEN only the first one's properties change
  await runner.deploy(synthFakeApp({ properties: { V: 2 }, otherProperties: { V: 1 } }));

  // THEN the first got an Update with old and new properties, the other nothing
  const updates = events.filter((e) => e.handler === 'onEvent');
  expect(updates).toHaveLength(1);
  expect(updates[0].StackId).toBe(stackId);
  expect(updates[0]).toMatchObject({
    RequestType: 'Update',
    LogicalResourceId: expect.stringMatching(/^Fake/),
    ResourceProperties: expect.objectContaining({ V: '2' }),
    OldResourceProperties: expect.objectContaining({ V: '1' }),
  });
});

test('an Update that changes the physical id is followed, after success, by a Delete of the old id with the old properties', async () => {
  // GIVEN a resource created with physical id "first"
  const { events, runner } = newRecorder({ onEvent: (event) => ({ PhysicalResourceId: event.RequestType === 'Delete' ? event.PhysicalResourceId : `id-${event.ResourceProperties.V}` }) });
  await runner.deploy(synthFakeApp({ properties: { V: 1 } }));
  events.length = 0;

  // WHEN an Update returns a new physical id
  const result = await runner.deploy(synthFakeApp({ properties: { V: 2 } }));

  // THEN the resource has the new id, and the old one was deleted with its old properties, last
  expect(result.resources.find((r) => r.logicalId.startsWith('Fake'))).toMatchObject({ status: 'UPDATE_COMPLETE', physicalId: 'id-2' });
  const onEvents = events.filter((e) => e.handler === 'onEvent');
  expect(onEvents.map((e) => e.RequestType)).toEqual(['Update', 'Delete']);
  expect(onEvents[1]).toMatchObject({ PhysicalResourceId: 'id-1', ResourceProperties: expect.objectContaining({ V: '1' }) });
});

test('a failed Update is rolled back with an Update whose old and new properties are swapped', async () => {
  // GIVEN a resource deployed with V=1, and an onEvent that refuses V=2
  const { events, runner } = newRecorder({
    onEvent: (event) => {
      if (event.ResourceProperties.V === '2') throw new Error('V=2 is not allowed');
      return { PhysicalResourceId: 'stable' };
    },
  });
  await runner.deploy(synthFakeApp({ properties: { V: 1 } }));
  events.length = 0;

  // WHEN V=2 is deployed
  const error = await runner.deploy(synthFakeApp({ properties: { V: 2 } })).catch((e) => e);

  // THEN the deploy failed with the handler's reason and the rollback Update went from 2 back to 1
  expect(error.message).toContain('UPDATE_FAILED: V=2 is not allowed');
  expect(error.message).toContain('UPDATE_ROLLBACK_COMPLETE');
  const rollback = events.filter((e) => e.handler === 'onEvent')[1];
  expect(rollback).toMatchObject({
    RequestType: 'Update',
    PhysicalResourceId: 'stable',
    ResourceProperties: expect.objectContaining({ V: '1' }),
    OldResourceProperties: expect.objectContaining({ V: '2' }),
  });
  // AND the state still holds the V=1 deployment
  const kept = Object.values(runner.state.stacks.FakeStack.resources).find((r) => r.type === 'Custom::PanoramaPackageImport')!;
  expect(kept.properties).toMatchObject({ V: 1 });
});

test('a removed resource is deleted', async () => {
  // GIVEN two resources deployed
  const { events, runner } = newRecorder({ onEvent: (event) => ({ PhysicalResourceId: event.PhysicalResourceId ?? `id-${event.LogicalResourceId}` }) });
  await runner.deploy(synthFakeApp({ properties: {}, otherProperties: {} }));
  events.length = 0;

  // WHEN the second one is removed from the app
  await runner.deploy(synthFakeApp({ properties: {} }));

  // THEN it got a Delete
  const deletes = events.filter((e) => e.handler === 'onEvent');
  expect(deletes).toEqual([expect.objectContaining({ RequestType: 'Delete', LogicalResourceId: expect.stringMatching(/^Other/) })]);
});

test('a Delete may not change the physical id', async () => {
  // GIVEN a resource whose onEvent returns a new id even on Delete
  const { runner } = newRecorder({ onEvent: () => ({ PhysicalResourceId: `id-${Math.random()}` }) });
  await runner.deploy(synthFakeApp({ properties: {} }));

  // WHEN the stack is destroyed
  const destruction = runner.destroy();

  // THEN it fails with the framework's message
  await expect(destruction).rejects.toThrow(/DELETE: cannot change the physical resource ID/);
});

test('a redelivered request carries the same RequestId', async () => {
  // GIVEN a runner that delivers the Create twice
  const { events, runner } = newRecorder({});

  // WHEN the resource is created
  await runner.deploy(synthFakeApp({ properties: {} }), { redeliver: () => ({ copies: 1, concurrent: false }) });

  // THEN onEvent saw the same request twice
  const creates = events.filter((e) => e.handler === 'onEvent');
  expect(creates).toHaveLength(2);
  expect(creates[1].RequestId).toBe(creates[0].RequestId);
  expect(creates[1].ResponseURL).toBe(creates[0].ResponseURL);
});

test('while handlers run they see the emulators\' endpoints and dummy credentials, restored afterwards', async () => {
  // GIVEN a process with credentials and a profile of its own
  const ambient = { AWS_ACCESS_KEY_ID: 'AKIAAMBIENT000000000', AWS_SECRET_ACCESS_KEY: 'ambient-secret', AWS_SESSION_TOKEN: 'ambient-session', AWS_PROFILE: 'ambient' };
  const saved = Object.fromEntries(Object.keys(ambient).map((key) => [key, process.env[key]]));
  Object.assign(process.env, ambient);
  const endpointBefore = process.env.AWS_ENDPOINT_URL_PANORAMA;
  let seen: Record<string, string | undefined> = {};
  const { runner } = newRecorder({
    onEvent: () => {
      seen = { ...process.env };
      return {};
    },
  });

  try {
    // WHEN the resource is created
    await runner.deploy(synthFakeApp({ properties: {} }));

    // THEN the handler saw the endpoints, the region and the runner's dummy credentials, none of the process's own
    expect(seen).toMatchObject({
      AWS_ENDPOINT_URL_PANORAMA: ENDPOINTS.panoramaEndpoint,
      AWS_ENDPOINT_URL_S3: ENDPOINTS.s3Endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: LOCAL_RUNNER_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_RUNNER_CREDENTIALS.secretAccessKey,
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    expect(seen.AWS_SESSION_TOKEN).toBeUndefined();
    expect(seen.AWS_PROFILE).toBeUndefined();
    // AND the process has its own back
    expect(Object.fromEntries(Object.keys(ambient).map((key) => [key, process.env[key]]))).toEqual(ambient);
    expect(process.env.AWS_ENDPOINT_URL_PANORAMA).toBe(endpointBefore);
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
});

test('a property with an intrinsic the runner does not know fails the resource, naming the intrinsic', async () => {
  // GIVEN a resource whose property is an Fn::If
  const { events, runner } = newRecorder({});
  const assembly = synthFakeApp({ properties: { Choice: Fn.conditionIf('SomeCondition', 'a', 'b') } });

  // WHEN it is deployed
  const deployment = runner.deploy(assembly);

  // THEN it fails before any handler call, naming the resource and the intrinsic
  await expect(deployment).rejects.toThrow(/Fake \(Custom::PanoramaPackageImport\) CREATE_FAILED: Unsupported intrinsic Fn::If/);
  expect(events).toEqual([]);
});

test('another Provider-framework custom resource is delivered once its type is given as providerFrameworkType()', async () => {
  // GIVEN a runner told that Custom::Other is served by the Provider framework, and a resource of that type
  const { events, runner } = newRecorder({ onEvent: () => ({ PhysicalResourceId: 'other-1', Data: { Answer: '42' } }) }, {
    resourceTypes: { 'Custom::Other': providerFrameworkType() },
  });
  const assembly = synthFakeApp({ properties: { Size: 1 }, resourceType: 'Custom::Other' });

  // WHEN it is deployed and destroyed
  const result = await runner.deploy(assembly);
  await runner.destroy();

  // THEN its handlers got Create and Delete for its type, and its attribute answered Fn::GetAtt
  expect(events.filter((e) => e.handler === 'onEvent').map((e) => `${e.RequestType} ${e.ResourceType}`)).toEqual(['Create Custom::Other', 'Delete Custom::Other']);
  expect(result.stacks[0].outputs).toEqual({ Answer: '42' });
});

test('a custom resource of a type the runner was not given is skipped: no handler is called', async () => {
  // GIVEN a runner that knows nothing of Custom::Other, and a resource of that type
  const { events, runner } = newRecorder({});
  const assembly = synthFakeApp({ properties: {}, resourceType: 'Custom::Other' });

  // WHEN it is deployed
  const result = await runner.deploy(assembly);

  // THEN no handler ran, and its GetAtt is the made-up one of a skipped resource
  expect(events).toEqual([]);
  expect(result.stacks[0].outputs.Answer).toMatch(/^FakeStack-Fake\w*-[0-9A-F]{12}\.Answer$/);
  await runner.destroy();
});
