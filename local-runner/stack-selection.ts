/**
 * Which stacks a command works on, chosen as `cdk deploy` chooses them: a pattern is a glob over
 * the stack's path in the app (its hierarchical id: `MyStack`, `Dev/MyStack` in a Stage), where
 * `*` stays within one level (`*` is every top-level stack, `Dev/*` every stack of the Dev stage,
 * `**` every stack), or a stack name as it is (`Dev-MyStack`). A deployment takes the selected
 * stacks with those they depend on; no pattern selects every stack, nested ones included.
 */
import { minimatch } from 'minimatch';
import type { CloudAssembly, StackArtifact } from './cloud-assembly';
import type { RunnerState } from './state';

/** What a pattern is matched against. */
export interface SelectableStack {
  readonly hierarchicalId: string;
  readonly stackName: string;
}

/** Whether the pattern names the stack (cdk's glob over its path, or its exact stack name). */
export function stackMatches(pattern: string, stack: SelectableStack): boolean {
  return minimatch(stack.hierarchicalId, pattern) || pattern === stack.stackName;
}

/**
 * The stacks that the patterns select, with the stacks they depend on, in deployment order (as
 * `cdk deploy A B` selects them). A pattern that matches nothing is an error listing the stacks.
 */
export function selectStacks(assembly: CloudAssembly, patterns: readonly string[]): StackArtifact[] {
  if (patterns.length === 0) return assembly.stacks;
  const byId = new Map(assembly.stacks.map((stack) => [stack.hierarchicalId, stack]));
  const selected = new Set<string>();
  const add = (stack: StackArtifact): void => {
    if (selected.has(stack.hierarchicalId)) return;
    selected.add(stack.hierarchicalId);
    stack.dependencies.forEach((id) => add(byId.get(id)!));
  };
  for (const pattern of patterns) {
    const matches = assembly.stacks.filter((stack) => stackMatches(pattern, stack));
    if (matches.length === 0) throw new Error(`No stack matches '${pattern}'. The app's stacks: ${listed(assembly.stacks)}`);
    matches.forEach(add);
  }
  return assembly.stacks.filter((stack) => selected.has(stack.hierarchicalId));
}

/**
 * The names of the deployed stacks that the patterns select (all without one), in the order to
 * destroy them: the reverse of their deployment. A pattern that matches none is an error listing them.
 */
export function selectDeployedStacks(state: RunnerState, patterns: readonly string[]): string[] {
  // A state written before Stages deployed has no paths: its stacks were top-level, named by their path.
  const deployed = Object.values(state.stacks).map(({ stackName, hierarchicalId }) => ({ stackName, hierarchicalId: hierarchicalId ?? stackName }));
  const unmatched = patterns.filter((pattern) => !deployed.some((stack) => stackMatches(pattern, stack)));
  if (unmatched.length > 0) {
    throw new Error(`No deployed stack matches ${unmatched.map((p) => `'${p}'`).join(', ')}. Deployed: ${listed(deployed)}`);
  }
  const selected = patterns.length === 0 ? deployed : deployed.filter((stack) => patterns.some((pattern) => stackMatches(pattern, stack)));
  return selected.map((stack) => stack.stackName).reverse();
}

/** `Dev/MyStack (Dev-MyStack)`, as cdk lists stacks whose name is not their path. */
function listed(stacks: readonly SelectableStack[]): string {
  const names = stacks.map(({ hierarchicalId, stackName }) => (hierarchicalId === stackName ? stackName : `${hierarchicalId} (${stackName})`));
  return names.join(', ') || '(none)';
}
