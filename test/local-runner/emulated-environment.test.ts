/**
 * The account and Region a local deployment runs as: recorded by a state folder, taken from the
 * stacks for a new one, and a stack bound to another one refused with the way out.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { StackArtifact } from '../../local-runner/cloud-assembly';
import { DEFAULT_ENVIRONMENT, environmentMismatch, environmentOfStacks, recordedEnvironment } from '../../local-runner/emulated-environment';

function stack(stackName: string, account?: string, region?: string): StackArtifact {
  return { artifactId: stackName, hierarchicalId: stackName, stackName, account, region, template: { Resources: {} }, assets: [], dependencies: [] };
}

describe('environmentOfStacks', () => {
  test('takes the one account and the one Region the stacks name; environment-agnostic stacks do not count', () => {
    expect(environmentOfStacks([stack('A', '111122223333', 'eu-west-1'), stack('B'), stack('C', '111122223333')]))
      .toEqual({ account: '111122223333', region: 'eu-west-1' });
  });

  test('falls back to the defaults when the stacks name none, or disagree', () => {
    expect(environmentOfStacks([stack('A'), stack('B')])).toEqual(DEFAULT_ENVIRONMENT);
    expect(environmentOfStacks([stack('A', '111122223333', 'eu-west-1'), stack('B', '444455556666', 'eu-west-1')]))
      .toEqual({ account: DEFAULT_ENVIRONMENT.account, region: 'eu-west-1' });
  });
});

describe('environmentMismatch', () => {
  const served = { account: '111122223333', region: 'eu-west-1' };

  test('accepts environment-agnostic stacks and stacks bound to the served account and Region', () => {
    expect(environmentMismatch(stack('A'), served)).toBeUndefined();
    expect(environmentMismatch(stack('A', '111122223333', 'eu-west-1'), served)).toBeUndefined();
  });

  test('names the stack, what it is bound to and what is served', () => {
    expect(environmentMismatch(stack('A', '444455556666', 'us-east-1'), served))
      .toMatch(/^A is bound to account 444455556666 and Region us-east-1 \(its env\), but the emulators serve account 111122223333 in eu-west-1: /);
    expect(environmentMismatch(stack('A', undefined, 'us-east-1'), served)).toMatch(/^A is bound to Region us-east-1 \(its env\)/);
  });
});

describe('recordedEnvironment', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'emulated-environment-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('reads the account and Region of an emulator state file', () => {
    const file = path.join(dir, 'panorama-state.json');
    fs.writeFileSync(file, JSON.stringify({ format: 'x', version: 2, account: '111122223333', region: 'eu-west-1', packages: [] }));
    expect(recordedEnvironment(file)).toEqual({ account: '111122223333', region: 'eu-west-1' });
  });

  test('is undefined without a file, or with one that does not say (the emulator then reports what is wrong)', () => {
    expect(recordedEnvironment(path.join(dir, 'absent.json'))).toBeUndefined();
    const broken = path.join(dir, 'broken.json');
    fs.writeFileSync(broken, '{"account": ');
    expect(recordedEnvironment(broken)).toBeUndefined();
  });
});
