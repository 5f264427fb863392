/**
 * `panorama-local deploy A` deploys A and the stacks it depends on, as `cdk deploy A` does, Stages
 * included; `panorama-local destroy A` selects among the deployed stacks alike.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, Stage } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { readCloudAssembly, RunnerState, selectDeployedStacks, selectStacks, StackState } from '../../local-runner';

let outdir: string;
beforeAll(() => {
  // GIVEN an app whose Consumer stack uses a bucket of the Shared stack, and an unrelated Other stack
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'select-stacks-'));
  const app = new App({ outdir });
  const shared = new Stack(app, 'Shared');
  const bucket = new s3.Bucket(shared, 'Bucket');
  const consumer = new Stack(app, 'Consumer');
  new s3.CfnBucketPolicy(consumer, 'Policy', { bucket: bucket.bucketName, policyDocument: {} });
  new Stack(app, 'Other');
  app.synth();
});
const directories: string[] = [];
afterAll(() => [outdir, ...directories].forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function names(selection: readonly string[]): string[] {
  return selectStacks(readCloudAssembly(outdir), selection).map((s) => s.stackName);
}

test('no name selects every stack, dependencies first', () => {
  const all = names([]);
  expect([...all].sort()).toEqual(['Consumer', 'Other', 'Shared']);
  expect(all.indexOf('Shared')).toBeLessThan(all.indexOf('Consumer'));
});

test('a stack comes with the stacks it depends on, in deployment order', () => {
  expect(names(['Consumer'])).toEqual(['Shared', 'Consumer']);
  expect(names(['Shared'])).toEqual(['Shared']);
});

test('* matches any text', () => {
  expect(names(['O*'])).toEqual(['Other']);
});

test('a name that matches nothing is an error listing the stacks', () => {
  expect(() => names(['Missing'])).toThrow(/^No stack matches 'Missing'\. The app's stacks: (Shared|Consumer|Other)(, (Shared|Consumer|Other)){2}$/);
});

describe('an app with Stages, selected as cdk deploy selects', () => {
  /**
   * A top-level Pipeline stack, and a Dev stage holding Shared and Consumer (which uses a bucket of
   * Shared) and an Inner stage with Deep: the layout CDK Pipelines apps have.
   */
  function synthStagedApp(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'select-stages-'));
    directories.push(dir);
    const app = new App({ outdir: dir });
    new Stack(app, 'Pipeline');
    const dev = new Stage(app, 'Dev');
    const bucket = new s3.Bucket(new Stack(dev, 'Shared'), 'Bucket');
    new s3.CfnBucketPolicy(new Stack(dev, 'Consumer'), 'Policy', { bucket: bucket.bucketName, policyDocument: {} });
    new Stack(new Stage(dev, 'Inner'), 'Deep');
    app.synth();
    return dir;
  }

  /** The stacks the patterns select from a new staged app, by their path in the app. */
  function paths(selection: readonly string[]): string[] {
    return selectStacks(readCloudAssembly(synthStagedApp()), selection).map((s) => s.hierarchicalId);
  }

  const EVERY_STACK = ['Dev/Consumer', 'Dev/Inner/Deep', 'Dev/Shared', 'Pipeline'];

  test('Dev/* selects the stacks of the Dev stage (not those of a stage inside it), dependencies first', () => {
    // GIVEN the staged app, WHEN Dev/* is selected, THEN Dev's two stacks, Shared before Consumer
    expect(paths(['Dev/*'])).toEqual(['Dev/Shared', 'Dev/Consumer']);
  });

  test('a stack path selects that stack and the stacks it depends on', () => {
    // GIVEN the staged app, WHEN Dev/Consumer is selected, THEN Shared comes with it, first
    expect(paths(['Dev/Consumer'])).toEqual(['Dev/Shared', 'Dev/Consumer']);
  });

  test('a stack name as CloudFormation knows it (Dev-Shared) selects the stack too', () => {
    // GIVEN the staged app, WHEN the stack name of Dev/Shared is given, THEN that stack is selected
    expect(paths(['Dev-Shared'])).toEqual(['Dev/Shared']);
  });

  test('* stays within one level: it selects the top-level stacks only', () => {
    // GIVEN the staged app, WHEN * is selected, THEN the stage's stacks are not
    expect(paths(['*'])).toEqual(['Pipeline']);
  });

  test('** selects every stack, those of nested stages included', () => {
    // GIVEN the staged app, WHEN ** is selected, THEN every stack is
    expect([...paths(['**'])].sort()).toEqual(EVERY_STACK);
  });

  test('no pattern selects every stack, nested stages included, dependencies first', () => {
    // GIVEN the staged app, WHEN nothing is named
    const all = paths([]);

    // THEN every stack is deployed, Shared before Consumer
    expect([...all].sort()).toEqual(EVERY_STACK);
    expect(all.indexOf('Dev/Shared')).toBeLessThan(all.indexOf('Dev/Consumer'));
  });

  test('a pattern that matches nothing is an error listing each stack by its path and name', () => {
    // GIVEN the staged app, WHEN a stage it does not have is named, THEN the error lists the stacks there are
    expect(() => paths(['Prod/*'])).toThrow(/^No stack matches 'Prod\/\*'\. The app's stacks: .*Dev\/Shared \(Dev-Shared\)/);
  });
});

describe('destroy: the deployed stacks, selected alike, the last deployed first', () => {
  /** A state with a top-level stack deployed before paths were recorded, then two stacks of a Dev stage. */
  function state(): RunnerState {
    const stack = (stackName: string, hierarchicalId?: string): StackState => ({
      stackName, ...(hierarchicalId ? { hierarchicalId } : {}), stackId: `arn:${stackName}`, account: '123456789012', region: 'us-east-1', resources: {}, outputs: {},
    });
    return { stacks: { 'Old': stack('Old'), 'Dev-Shared': stack('Dev-Shared', 'Dev/Shared'), 'Dev-Consumer': stack('Dev-Consumer', 'Dev/Consumer') } };
  }

  test('Dev/* selects the stage\'s stacks, in the reverse of their deployment', () => {
    // GIVEN the state, WHEN Dev/* is destroyed, THEN Consumer goes before Shared, and Old stays
    expect(selectDeployedStacks(state(), ['Dev/*'])).toEqual(['Dev-Consumer', 'Dev-Shared']);
  });

  test('a stack deployed before paths were recorded is selected by its name, as a top-level stack', () => {
    // GIVEN the state, WHEN Old or * is destroyed, THEN Old alone
    expect(selectDeployedStacks(state(), ['Old'])).toEqual(['Old']);
    expect(selectDeployedStacks(state(), ['*'])).toEqual(['Old']);
  });

  test('no pattern selects every deployed stack, the last deployed first', () => {
    // GIVEN the state, WHEN nothing is named, THEN all of it, in reverse
    expect(selectDeployedStacks(state(), [])).toEqual(['Dev-Consumer', 'Dev-Shared', 'Old']);
  });

  test('a pattern that matches no deployed stack is an error listing them', () => {
    // GIVEN the state, WHEN a stage that was never deployed is named with one that was, THEN the error names the one and lists what is deployed
    expect(() => selectDeployedStacks(state(), ['Prod/*', 'Dev/*'])).toThrow(
      "No deployed stack matches 'Prod/*'. Deployed: Old, Dev/Shared (Dev-Shared), Dev/Consumer (Dev-Consumer)");
  });
});
