/**
 * A CloudFormation-native type plugs into the runner as a ResourceType (in a module of its own, as
 * AWS::Panorama::ApplicationInstance is): the deployer creates, updates, replaces and deletes it as
 * CloudFormation would, cleans replaced resources up in reverse dependency order, rolls a failed
 * replacement back, and its attributes answer Fn::GetAtt.
 */
import { App, CfnOutput, CfnResource, Stack } from 'aws-cdk-lib';
import { ResourceType, ResourceFailure } from '../../local-runner';
import { recordingDeployer } from './support/recording-deployer';
import { s3ForTestFile } from './support/test-file-s3';

const TYPE = 'AWS::Panorama::ApplicationInstance';

const s3 = s3ForTestFile();

/** An app with one instance named `name` (of `type`), and an output of its GetAtt. */
function synthInstance(name: string, type = TYPE): string {
  const outdir = s3.temporaryDirectory('native-type-');
  const app = new App({ outdir });
  const stack = new Stack(app, 'AppStack');
  const instance = new CfnResource(stack, 'Instance', { type, properties: { Name: name, DefaultRuntimeContextDevice: 'device-1' } });
  new CfnOutput(stack, 'InstanceId', { value: instance.getAtt('ApplicationInstanceId').toString() });
  app.synth();
  return outdir;
}

/** A fake instance type that records what it was asked; every change is a replacement (create-only properties). */
function recordingType(calls: string[]): ResourceType {
  let next = 0;
  const create = async (_context: unknown, _logicalId: string, _type: string, properties: Record<string, any>) => {
    const id = `applicationInstance-${++next}`;
    calls.push(`create ${id} ${properties.Name}`);
    return { physicalId: id, attributes: { ApplicationInstanceId: id, Status: 'DEPLOYMENT_SUCCEEDED' } };
  };
  return {
    emulated: true,
    reported: true,
    create,
    update: (context, logicalId, type, properties) => create(context, logicalId, type, properties),
    async delete(_context, physicalId, properties) {
      calls.push(`delete ${physicalId} ${properties.Name}`);
    },
  };
}

test('a native type is created, replaced on update (old one deleted with its old properties), then deleted', async () => {
  // GIVEN a runner that knows the type
  const calls: string[] = [];
  const { runner, events } = recordingDeployer(s3.endpoint(), { resourceTypes: { [TYPE]: recordingType(calls) } });

  // WHEN an instance is deployed, changed, and destroyed
  const created = await runner.deploy(synthInstance('first'));
  const replaced = await runner.deploy(synthInstance('second'));
  await runner.destroy();

  // THEN each step called the type, and GetAtt read its attributes
  expect(calls).toEqual(['create applicationInstance-1 first', 'create applicationInstance-2 second', 'delete applicationInstance-1 first', 'delete applicationInstance-2 second']);
  expect(created.stacks[0].outputs).toEqual({ InstanceId: 'applicationInstance-1' });
  expect(replaced.stacks[0].outputs).toEqual({ InstanceId: 'applicationInstance-2' });
  // AND its events are shown, not merely recorded
  expect(events.filter((e) => e.resourceType === TYPE).map((e) => `${e.status} ${e.physicalId}`)).toEqual([
    'CREATE_IN_PROGRESS undefined', 'CREATE_COMPLETE applicationInstance-1',
    'UPDATE_IN_PROGRESS applicationInstance-1', 'UPDATE_COMPLETE applicationInstance-2',
    'DELETE_IN_PROGRESS applicationInstance-1', 'DELETE_COMPLETE applicationInstance-1',
    'DELETE_IN_PROGRESS applicationInstance-2', 'DELETE_COMPLETE applicationInstance-2',
  ]);
  expect(events.filter((e) => e.resourceType === TYPE).every((e) => !e.recordedOnly)).toBe(true);
});

test('a type the runner does not know is skipped with a made-up id, and its GetAtt still resolves', async () => {
  // GIVEN a runner that does not know the type (AWS::Panorama::ApplicationInstance is built in now: another one)
  const { runner } = recordingDeployer(s3.endpoint());

  // WHEN the instance is deployed
  const result = await runner.deploy(synthInstance('first', 'AWS::Panorama::NodeFromTemplateJob'));

  // THEN it is recorded, not emulated
  expect(result.stacks[0].outputs.InstanceId).toMatch(/^AppStack-Instance-[0-9A-F]{12}\.ApplicationInstanceId$/);
  await runner.destroy();
});

/** A type `Test::<kind>` that replaces on every change and records each call; `failOn` makes a create fail after making its resource. */
function replacingType(kind: string, calls: string[], failOn?: (properties: Record<string, any>) => boolean): ResourceType {
  let next = 0;
  const create = async (_context: unknown, _logicalId: string, _type: string, properties: Record<string, any>) => {
    const id = `${kind}-${++next}`;
    calls.push(`create ${id}`);
    // As an application instance whose deployment failed: the resource exists, and the failure names it.
    if (failOn?.(properties)) throw new ResourceFailure(`${id} failed to deploy`, id);
    return { physicalId: id, attributes: {} };
  };
  return {
    emulated: true,
    reported: true,
    create,
    update: (context, logicalId, type, properties) => create(context, logicalId, type, properties),
    async delete(_context, physicalId) {
      calls.push(`delete ${physicalId}`);
    },
  };
}

/** A stack where Top refers to Base (so Top depends on it), and each carries `version`. */
function synthPair(version: string, withExtra = false): string {
  const outdir = s3.temporaryDirectory('native-type-');
  const app = new App({ outdir });
  const stack = new Stack(app, 'PairStack');
  const base = new CfnResource(stack, 'Base', { type: 'Test::Base', properties: { Version: version } });
  new CfnResource(stack, 'Top', { type: 'Test::Top', properties: { Version: version, BaseId: base.ref } });
  if (withExtra) new CfnResource(stack, 'Extra', { type: 'Test::Top', properties: { BaseId: base.ref } });
  app.synth();
  return outdir;
}

test('cleanup deletes the replaced and removed resources in reverse dependency order, as CloudFormation does', async () => {
  // GIVEN Base and Top (which depends on Base) deployed, with an Extra that depends on Base too
  const calls: string[] = [];
  const { runner } = recordingDeployer(s3.endpoint(), {
    resourceTypes: { 'Test::Base': replacingType('base', calls), 'Test::Top': replacingType('top', calls) },
  });
  await runner.deploy(synthPair('1', true));
  calls.length = 0;

  // WHEN both are changed (so both are replaced) and Extra is removed
  await runner.deploy(synthPair('2'));

  // THEN the new ones were created first, Base before Top; then the old Top and Extra were deleted before the old Base
  expect(calls.slice(0, 2)).toEqual(['create base-2', 'create top-3']);
  const cleanup = calls.slice(2);
  expect(cleanup).toHaveLength(3);
  expect(cleanup.at(-1)).toBe('delete base-1');
  expect(new Set(cleanup.slice(0, 2))).toEqual(new Set(['delete top-1', 'delete top-2']));
  await runner.destroy();
});

test('a replacement that fails after making its resource is rolled back: the new resource is deleted, the old one kept', async () => {
  // GIVEN Base and Top deployed
  const calls: string[] = [];
  const { runner } = recordingDeployer(s3.endpoint(), {
    resourceTypes: { 'Test::Base': replacingType('base', calls), 'Test::Top': replacingType('top', calls, (p) => p.Version === '2') },
  });
  await runner.deploy(synthPair('1'));
  calls.length = 0;

  // WHEN both change and the new Top fails after it was made
  const error = await runner.deploy(synthPair('2')).then(() => undefined, (e: Error) => e);

  // THEN the stack rolled back: the failed new Top, then the new Base, deleted; the old ones untouched
  expect(error?.message).toMatch(/Top \(Test::Top\) UPDATE_FAILED: top-2 failed to deploy .*\(UPDATE_ROLLBACK_COMPLETE\)/);
  expect(calls).toEqual(['create base-2', 'create top-2', 'delete top-2', 'delete base-2']);
  expect(Object.values(runner.state.stacks.PairStack.resources).map((r) => r.physicalId).sort()).toEqual(['base-1', 'top-1']);
  await runner.destroy();
});

test('an update in place is rolled back in place, with the old properties, when a later resource fails', async () => {
  // GIVEN Base (updated in place) and Top, which depends on it and fails at version 2
  const calls: string[] = [];
  const inPlace: ResourceType = {
    emulated: true,
    reported: true,
    async create(_context, _logicalId, _type, properties) {
      calls.push(`create base ${properties.Version}`);
      return { physicalId: 'base', attributes: {} };
    },
    async update(_context, _logicalId, _type, properties, current) {
      calls.push(`update base ${current.properties.Version} -> ${properties.Version}`);
      return { physicalId: current.physicalId, attributes: {} };
    },
    async delete() {
      calls.push('delete base');
    },
  };
  const { runner } = recordingDeployer(s3.endpoint(), {
    resourceTypes: { 'Test::Base': inPlace, 'Test::Top': replacingType('top', calls, (p) => p.Version === '2') },
  });
  await runner.deploy(synthPair('1'));
  calls.length = 0;

  // WHEN both change and Top fails
  await runner.deploy(synthPair('2')).then(() => undefined, () => undefined);

  // THEN Base was updated, then updated back to its old properties; the failed Top deleted
  expect(calls).toEqual(['update base 1 -> 2', 'create top-2', 'delete top-2', 'update base 2 -> 1']);
  await runner.destroy();
});
