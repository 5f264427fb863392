/**
 * A CloudFormation-native type plugs into the runner as a NativeType (in a module of its own, as
 * AWS::Panorama::ApplicationInstance will): the deployer creates, updates, replaces and deletes
 * it as CloudFormation would, and its attributes answer Fn::GetAtt.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnOutput, CfnResource, Stack } from 'aws-cdk-lib';
import { RunningS3Server, startS3Server } from '../../emulator';
import { LocalDeployer, NativeType, StackEvent } from '../../local-runner';

const TYPE = 'AWS::Panorama::ApplicationInstance';

let s3Server: RunningS3Server;
const directories: string[] = [];
beforeAll(async () => {
  s3Server = await startS3Server();
});
afterAll(async () => {
  await s3Server.stop();
  directories.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true }));
});

/** An app with one instance named `name`, and an output of its GetAtt. */
function synthInstance(name: string): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'native-type-'));
  directories.push(outdir);
  const app = new App({ outdir });
  const stack = new Stack(app, 'AppStack');
  const instance = new CfnResource(stack, 'Instance', { type: TYPE, properties: { Name: name, DefaultRuntimeContextDevice: 'device-1' } });
  new CfnOutput(stack, 'InstanceId', { value: instance.getAtt('ApplicationInstanceId').toString() });
  app.synth();
  return outdir;
}

/** A fake instance type that records what it was asked; every change is a replacement (create-only properties). */
function recordingType(calls: string[]): NativeType {
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
  const events: StackEvent[] = [];
  const runner = new LocalDeployer({
    panoramaEndpoint: 'http://127.0.0.1:9',
    s3Endpoint: s3Server.endpoint,
    logger: () => undefined,
    handlerLog: () => undefined,
    resourceTypes: { [TYPE]: recordingType(calls) },
    events: (event) => events.push(event),
  });

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

test('without the type, the runner skips it with a made-up id and its GetAtt still resolves', async () => {
  // GIVEN a runner that does not know the type
  const runner = new LocalDeployer({
    panoramaEndpoint: 'http://127.0.0.1:9',
    s3Endpoint: s3Server.endpoint,
    logger: () => undefined,
    handlerLog: () => undefined,
  });

  // WHEN the instance is deployed
  const result = await runner.deploy(synthInstance('first'));

  // THEN it is recorded, not emulated
  expect(result.stacks[0].outputs.InstanceId).toMatch(/^AppStack-Instance-[0-9A-F]{12}\.ApplicationInstanceId$/);
  await runner.destroy();
});
