/**
 * What the runner remembers between deployments, as CloudFormation does for a stack: each
 * resource's physical id, resolved properties and attributes. Plain JSON, so the CLI can persist it.
 */
import * as fs from 'fs';
import * as path from 'path';

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
  /** Where an emulated Lambda function's code was copied to. */
  readonly codeDirectory?: string;
  /** Its Create failed (kept by a deployment without rollback): the next deployment creates it again. */
  readonly failed?: boolean;
}

/** One deployed stack. */
export interface StackState {
  readonly stackName: string;
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

/** The state in a JSON file, or an empty one when the file does not exist yet. */
export function loadState(file: string): RunnerState {
  if (!fs.existsSync(file)) return emptyState();
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as RunnerState;
  if (!parsed || typeof parsed.stacks !== 'object') throw new Error(`${file} is not a local-runner state file`);
  return parsed;
}

/** Writes atomically, so an interrupted run never leaves half a file. */
export function saveState(file: string, state: RunnerState): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify(state, null, 2));
  fs.renameSync(temporary, file);
}
