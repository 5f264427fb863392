/**
 * The stacks of a CDK Stage deploy like top-level ones: selected by their path, in dependency
 * order, recorded with that path so that destroy selects them alike, last deployed first.
 */
import { App, CfnResource, Stack, Stage } from 'aws-cdk-lib';
import { ResourceType, selectDeployedStacks } from '../../local-runner';
import { recordingDeployer } from './support/recording-deployer';
import { s3ForTestFile } from './support/test-file-s3';

const s3 = s3ForTestFile();

/** A type `Test::Thing` that records each create and delete by its Name. */
function recordingType(calls: string[]): ResourceType {
  return {
    emulated: true,
    reported: true,
    async create(_context, _logicalId, _type, properties) {
      calls.push(`create ${properties.Name}`);
      return { physicalId: String(properties.Name), attributes: {} };
    },
    async update(_context, _logicalId, _type, _properties, current) {
      return current;
    },
    async delete(_context, physicalId) {
      calls.push(`delete ${physicalId}`);
    },
  };
}

/** A top-level Other stack, and a Dev stage whose Consumer depends on Shared; each stack holds one thing. */
function synthStagedApp(): string {
  const outdir = s3.temporaryDirectory('stages-');
  const app = new App({ outdir });
  new CfnResource(new Stack(app, 'Other'), 'Thing', { type: 'Test::Thing', properties: { Name: 'other' } });
  const dev = new Stage(app, 'Dev');
  // Consumer is declared first, so that only the dependency puts Shared first.
  const consumer = new Stack(dev, 'Consumer');
  new CfnResource(consumer, 'Thing', { type: 'Test::Thing', properties: { Name: 'consumer' } });
  const shared = new Stack(dev, 'Shared');
  new CfnResource(shared, 'Thing', { type: 'Test::Thing', properties: { Name: 'shared' } });
  consumer.addDependency(shared);
  app.synth();
  return outdir;
}

test('Dev/* deploys the stage\'s stacks in dependency order, recorded by path, and destroys them last first', async () => {
  // GIVEN a runner that knows Test::Thing, and the staged app
  const calls: string[] = [];
  const { runner } = recordingDeployer(s3.endpoint(), { resourceTypes: { 'Test::Thing': recordingType(calls) } });
  const assembly = synthStagedApp();

  // WHEN Dev/* is deployed
  const deployed = await runner.deploy(assembly, { stacks: ['Dev/*'] });

  // THEN Shared, then Consumer, and not the top-level stack; the state keeps each stack's path
  expect(deployed.stacks.map((s) => `${s.stackName} ${s.status}`)).toEqual(['Dev-Shared CREATE_COMPLETE', 'Dev-Consumer CREATE_COMPLETE']);
  expect(calls).toEqual(['create shared', 'create consumer']);
  expect(Object.values(runner.state.stacks).map((s) => s.hierarchicalId)).toEqual(['Dev/Shared', 'Dev/Consumer']);

  // WHEN Dev/* is deployed again, unchanged
  const again = await runner.deploy(assembly, { stacks: ['Dev/*'] });

  // THEN nothing changed
  expect(again.stacks.map((s) => s.changed)).toEqual([false, false]);

  // WHEN the stacks Dev/* selects among the deployed ones are destroyed
  calls.length = 0;
  await runner.destroy(selectDeployedStacks(runner.state, ['Dev/*']));

  // THEN Consumer went first, and nothing is left
  expect(calls).toEqual(['delete consumer', 'delete shared']);
  expect(runner.state.stacks).toEqual({});
});
