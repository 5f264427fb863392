/**
 * The runner reports each status change as CloudFormation's stack events (what `cdk deploy`
 * prints): stack and resource, in order, with the reason of a failure on one line, and nothing at
 * all for an unchanged redeploy.
 */
import { RunningS3Server, startS3Server } from '../../emulator';
import { LocalDeployer, StackEvent } from '../../local-runner';
import { FakeHandlers, removeFakeApps, synthFakeApp } from './support/fake-provider';
import { recordingDeployer } from './support/recording-deployer';

let s3Server: RunningS3Server;
beforeAll(async () => {
  s3Server = await startS3Server();
});
afterAll(async () => {
  await s3Server.stop();
  removeFakeApps();
});

/** A runner whose events are kept, over fake handlers. */
function recordingRunner(handlers: Partial<FakeHandlers>): { runner: LocalDeployer; events: StackEvent[] } {
  globalThis.fakeHandlers = {
    onEvent: (event) => (handlers.onEvent ? handlers.onEvent(event) : {}),
    isComplete: (event) => (handlers.isComplete ? handlers.isComplete(event) : { IsComplete: true, Data: { Answer: '42' } }),
  };
  return recordingDeployer(s3Server.endpoint);
}

/** `Fake…:STATUS` for the custom resource and `stack:STATUS` for the stack, in order. */
function shown(events: StackEvent[]): string[] {
  return events.filter((e) => !e.recordedOnly).filter((e) => e.logicalId.startsWith('Fake') || e.resourceType === 'AWS::CloudFormation::Stack')
    .map((e) => `${e.resourceType === 'AWS::CloudFormation::Stack' ? 'stack' : 'Fake'}:${e.status}`);
}

test('a create reports the stack, then each resource in and out of progress, then the stack complete', async () => {
  // GIVEN a new stack with one custom resource
  const { runner, events } = recordingRunner({ onEvent: () => ({ PhysicalResourceId: 'id-1' }) });

  // WHEN it is deployed
  await runner.deploy(synthFakeApp({ properties: { A: 'x' } }));

  // THEN the events read as CloudFormation's
  expect(shown(events)).toEqual(['stack:CREATE_IN_PROGRESS', 'Fake:CREATE_IN_PROGRESS', 'Fake:CREATE_COMPLETE', 'stack:CREATE_COMPLETE']);
  expect(events[0]).toMatchObject({ stackName: 'FakeStack', logicalId: 'FakeStack', physicalId: expect.stringMatching(/^arn:aws:cloudformation:/), recordedOnly: false });
  expect(events.find((e) => e.status === 'CREATE_COMPLETE' && e.logicalId.startsWith('Fake'))).toMatchObject({ physicalId: 'id-1', resourceType: 'Custom::PanoramaPackageImport' });
  // AND what the runner only records (functions, roles) is marked so
  const recordedOnly = [...new Set(events.filter((e) => e.recordedOnly).map((e) => e.resourceType))].sort();
  expect(recordedOnly).toEqual(['AWS::IAM::Policy', 'AWS::IAM::Role', 'AWS::Lambda::Function', 'AWS::StepFunctions::StateMachine']);
  expect(events.every((e) => e.timestamp instanceof Date)).toBe(true);
});

test('an unchanged redeploy reports nothing and says it changed nothing', async () => {
  // GIVEN a deployed stack
  const { runner, events } = recordingRunner({ onEvent: () => ({ PhysicalResourceId: 'id-1' }) });
  const assembly = synthFakeApp({ properties: { A: 'x' } });
  await runner.deploy(assembly);
  const before = events.length;

  // WHEN the same assembly is deployed again
  const result = await runner.deploy(assembly);

  // THEN no event, and the stack reports no change
  expect(events.slice(before)).toEqual([]);
  expect(result.stacks[0]).toMatchObject({ status: 'UPDATE_COMPLETE', changed: false });
});

test('an update that replaces the physical resource reports the cleanup of the old one, naming it', async () => {
  // GIVEN a deployed resource whose next update returns a new physical id
  const ids: Record<string, string | undefined> = { Create: 'id-1', Update: 'id-2' };
  const { runner, events } = recordingRunner({ onEvent: (event) => ({ PhysicalResourceId: ids[event.RequestType] ?? event.PhysicalResourceId }) });
  await runner.deploy(synthFakeApp({ properties: { A: 'x' } }));
  const before = events.length;

  // WHEN a changed property is deployed
  const result = await runner.deploy(synthFakeApp({ properties: { A: 'y' } }));

  // THEN update, cleanup of the replaced id, then complete
  const update = events.slice(before);
  expect(shown(update)).toEqual([
    'stack:UPDATE_IN_PROGRESS', 'Fake:UPDATE_IN_PROGRESS', 'Fake:UPDATE_COMPLETE', 'stack:UPDATE_COMPLETE_CLEANUP_IN_PROGRESS',
    'Fake:DELETE_IN_PROGRESS', 'Fake:DELETE_COMPLETE', 'stack:UPDATE_COMPLETE',
  ]);
  expect(update.find((e) => e.status === 'DELETE_COMPLETE')).toMatchObject({ physicalId: 'id-1', reason: 'the replaced physical resource id-1' });
  expect(result.stacks[0].changed).toBe(true);
});

test('a failed create reports the reason on one line, then the rollback', async () => {
  // GIVEN an onEvent that fails with a message of several lines
  const { runner, events } = recordingRunner({
    onEvent: (event) => {
      if (event.RequestType === 'Create') throw new Error('Panorama said no:\n  the model is corrupt');
      return {};
    },
  });

  // WHEN the stack is deployed
  await expect(runner.deploy(synthFakeApp({ properties: { A: 'x' } }))).rejects.toThrow(/the model is corrupt/);

  // THEN the failure carries the reason on one line, and the rollback follows
  expect(shown(events)).toEqual([
    'stack:CREATE_IN_PROGRESS', 'Fake:CREATE_IN_PROGRESS', 'Fake:CREATE_FAILED', 'stack:ROLLBACK_IN_PROGRESS',
    'Fake:DELETE_IN_PROGRESS', 'Fake:DELETE_COMPLETE', 'stack:ROLLBACK_COMPLETE',
  ]);
  expect(events.find((e) => e.status === 'CREATE_FAILED')!.reason).toBe('Panorama said no: the model is corrupt');
  expect(events.find((e) => e.status === 'ROLLBACK_IN_PROGRESS')!.reason).toMatch(/^The following resource\(s\) failed: \[Fake\w*\]\.$/);
});

test('a destroy reports the stack and each resource deleted', async () => {
  // GIVEN a deployed stack
  const { runner, events } = recordingRunner({ onEvent: () => ({ PhysicalResourceId: 'id-1' }) });
  await runner.deploy(synthFakeApp({ properties: { A: 'x' } }));
  const before = events.length;

  // WHEN it is destroyed
  await runner.destroy();

  // THEN the stack goes in and out of DELETE, with the resource in between
  expect(shown(events.slice(before))).toEqual(['stack:DELETE_IN_PROGRESS', 'Fake:DELETE_IN_PROGRESS', 'Fake:DELETE_COMPLETE', 'stack:DELETE_COMPLETE']);
});
