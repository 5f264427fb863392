/**
 * What the runner remembers between deployments, as CloudFormation does for a stack: each
 * resource's physical id, resolved properties and attributes. Plain JSON, so the CLI can persist it.
 */
import * as fs from 'fs';
import { writeFileAtomically } from '../emulator/atomic-file';

/** One deployed resource. */
export interface ResourceState {
  readonly type: string;
  readonly physicalId: string;
  /** Properties with every intrinsic resolved, as last deployed. */
  readonly properties: Record<string, unknown>;
  /** What Fn::GetAtt returns. */
  readonly attributes: Record<string, string>;
  /** Resources this one depends on (DependsOn and references), for deletion order. */
  readonly dependsOn: string[];
  readonly deletionPolicy?: string;
  readonly updateReplacePolicy?: string;
  /** Where an emulated Lambda function's code was copied to, relative to the code store (or absolute). */
  readonly codeDirectory?: string;
  /** Its Create failed (kept by a deployment without rollback): the next deployment creates it again. */
  readonly failed?: boolean;
  /** Made by a command that was killed before it recorded it (resource-recovery.ts): the next Create adopts it when it can. */
  readonly recovered?: boolean;
  /** The construct path from the template's `aws:cdk:path` metadata, for messages after the template is gone. */
  readonly constructPath?: string;
}

/** One deployed stack. */
export interface StackState {
  readonly stackName: string;
  /** The stack's path in the app (`Dev/PanoramaStack` in a Stage); absent in states written before Stages deployed. */
  readonly hierarchicalId?: string;
  readonly stackId: string;
  readonly account: string;
  readonly region: string;
  resources: Record<string, ResourceState>;
  outputs: Record<string, string>;
}

/** Every stack the runner deployed; the caller keeps it between calls. */
export interface RunnerState {
  stacks: Record<string, StackState>;
}

export function emptyState(): RunnerState {
  return { stacks: {} };
}

/** A state file that cannot be read safely. */
export class RunnerStateError extends Error {
  constructor(readonly file: string, problem: string) {
    super(`${file} ${problem}`);
    this.name = 'RunnerStateError';
  }
}

/** The state in a JSON file, or an empty one when the file does not exist yet; throws RunnerStateError. */
export function loadState(file: string): RunnerState {
  if (!fs.existsSync(file)) return emptyState();
  let parsed: RunnerState;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as RunnerState;
  } catch (error) {
    throw new RunnerStateError(file, `is not valid JSON (${(error as Error).message}): what was deployed cannot be read safely.`);
  }
  if (!parsed || typeof parsed.stacks !== 'object' || parsed.stacks === null || Array.isArray(parsed.stacks)) {
    throw new RunnerStateError(file, 'is not a local-runner state file (it has no "stacks" object).');
  }
  return parsed;
}

/** Writes atomically, so an interrupted run never leaves half a file. */
export function saveState(file: string, state: RunnerState): void {
  writeFileAtomically(file, JSON.stringify(state, null, 2));
}
