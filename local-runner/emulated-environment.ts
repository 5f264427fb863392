/**
 * The account and Region a local deployment runs as: the ones the emulators serve. As `cdk deploy`
 * refuses a stack bound to another account than its credentials', a stack whose `env` names
 * another account or Region than the emulators' is refused, not deployed into the wrong one.
 */
import * as fs from 'fs';
import type { StackArtifact } from './cloud-assembly';

/** An account and Region. */
export interface EmulatedEnvironment {
  readonly account: string;
  readonly region: string;
}

/** The emulator's own defaults, and what an environment-agnostic app is told when nothing else decides. */
export const DEFAULT_ENVIRONMENT: EmulatedEnvironment = { account: '123456789012', region: 'us-east-1' };

/**
 * The account and Region recorded in an emulator state file, or undefined when there is none (or it
 * does not say: starting the emulator over it then reports what is wrong with it).
 */
export function recordedEnvironment(emulatorStateFile: string): EmulatedEnvironment | undefined {
  try {
    const { account, region } = JSON.parse(fs.readFileSync(emulatorStateFile, 'utf8'));
    return typeof account === 'string' && typeof region === 'string' ? { account, region } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The environment for emulators that hold nothing yet: the account and the Region the stacks name,
 * when they name one each, so an app bound to its real account deploys unchanged; else the defaults.
 */
export function environmentOfStacks(stacks: ReadonlyArray<Pick<StackArtifact, 'account' | 'region'>>): EmulatedEnvironment {
  const only = (values: Array<string | undefined>): string | undefined => {
    const named = new Set(values.filter((value): value is string => value !== undefined));
    return named.size === 1 ? [...named][0] : undefined;
  };
  return {
    account: only(stacks.map((stack) => stack.account)) ?? DEFAULT_ENVIRONMENT.account,
    region: only(stacks.map((stack) => stack.region)) ?? DEFAULT_ENVIRONMENT.region,
  };
}

/** Why a stack cannot be deployed as `environment`, or undefined when it can. */
export function environmentMismatch(stack: Pick<StackArtifact, 'stackName' | 'account' | 'region'>, environment: EmulatedEnvironment): string | undefined {
  const wrong = [
    stack.account !== undefined && stack.account !== environment.account && `account ${stack.account}`,
    stack.region !== undefined && stack.region !== environment.region && `Region ${stack.region}`,
  ].filter(Boolean);
  if (wrong.length === 0) return undefined;
  return `${stack.stackName} is bound to ${wrong.join(' and ')} (its env), but the emulators serve account ${environment.account} `
    + `in ${environment.region}: deployed here, its resources would not be where it names them (cdk deploy refuses another account's credentials the same way). `
    + 'Leave the stack environment-agnostic or take CDK_DEFAULT_ACCOUNT and CDK_DEFAULT_REGION for its env, '
    + 'or deploy it with a new state folder, whose emulators take the account and Region the stacks name.';
}
