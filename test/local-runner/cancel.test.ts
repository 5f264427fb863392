/**
 * Cancelling a deployment (panorama-local's first Ctrl-C) works as CloudFormation's
 * CancelUpdateStack: nothing new starts, a waiting import stops waiting and fails as cancelled,
 * the stack rolls back, and the state records what exists.
 */
import { Duration } from 'aws-cdk-lib';
import { RunningS3Server, startS3Server } from '../../emulator';
import { DeploymentError } from '../../local-runner';
import { removeFakeApps, synthFakeApp } from './support/fake-provider';
import { recordingDeployer } from './support/recording-deployer';

let s3Server: RunningS3Server;
beforeAll(async () => {
  s3Server = await startS3Server();
});
afterAll(async () => {
  await s3Server.stop();
  removeFakeApps();
});

test('a cancelled create stops waiting, fails as cancelled, and is rolled back with a Delete of what onEvent made', async () => {
  // GIVEN a resource whose isComplete never completes, polled every 10 s for a minute
  const controller = new AbortController();
  const requests: Array<{ RequestType: string; PhysicalResourceId?: string }> = [];
  globalThis.fakeHandlers = {
    onEvent: (event) => {
      requests.push(event);
      return { PhysicalResourceId: event.PhysicalResourceId ?? 'made-by-onEvent' };
    },
    isComplete: (event) => {
      // Cancelled while the first answer is "not yet" (Delete completes at once).
      if (event.RequestType === 'Create') controller.abort();
      return { IsComplete: event.RequestType !== 'Create' };
    },
  };
  const { runner, events } = recordingDeployer(s3Server.endpoint);
  const assembly = synthFakeApp({ properties: { A: 'x' }, queryInterval: Duration.seconds(10), totalTimeout: Duration.seconds(60) });

  // WHEN the deployment is cancelled
  const started = Date.now();
  const error = await runner.deploy(assembly, { signal: controller.signal }).catch((e: unknown) => e);

  // THEN it failed as cancelled, well before its waiter's minute ran out
  expect(error).toBeInstanceOf(DeploymentError);
  expect((error as Error).message).toMatch(/Fake\w* \(Custom::PanoramaPackageImport\) CREATE_FAILED: Resource operation cancelled; deployment cancelled \(ROLLBACK_COMPLETE\)$/);
  expect(Date.now() - started).toBeLessThan(30_000);
  // AND the rollback deleted the physical resource onEvent had made; the state holds nothing
  expect(requests.map((r) => `${r.RequestType} ${r.PhysicalResourceId ?? ''}`.trim())).toEqual(['Create', 'Delete made-by-onEvent']);
  expect(events.filter((e) => e.resourceType === 'AWS::CloudFormation::Stack').map((e) => `${e.status} ${e.reason ?? ''}`.trim()))
    .toEqual(['CREATE_IN_PROGRESS', 'ROLLBACK_IN_PROGRESS Cancelled by the user.', 'ROLLBACK_COMPLETE']);
  expect(runner.state.stacks).toEqual({});
});

test('a destroy cancelled before it starts deletes nothing and keeps the state', async () => {
  // GIVEN a deployed stack
  globalThis.fakeHandlers = { onEvent: () => ({ PhysicalResourceId: 'id-1' }), isComplete: () => ({ IsComplete: true }) };
  const { runner } = recordingDeployer(s3Server.endpoint);
  await runner.deploy(synthFakeApp({ properties: { A: 'x' } }));
  const controller = new AbortController();
  controller.abort();

  // WHEN its destroy is cancelled / THEN it refuses to start, and the stack stays in the state
  await expect(runner.destroy(undefined, { signal: controller.signal })).rejects.toThrow('Destroy cancelled before stack FakeStack');
  expect(Object.keys(runner.state.stacks)).toEqual(['FakeStack']);
});
