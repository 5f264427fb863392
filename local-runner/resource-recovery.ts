/**
 * What a killed command left, recovered from the journal (journal.ts) at the start of the next
 * session of the same stack: the resources the killed session provisioned, and those it had
 * started to make (a bucket by its reserved name, an import by its job id, an instance by its id,
 * or else found by the type from what was asked), join the stack as the session sees it before.
 *
 * A deploy then adopts them: an unchanged resource is left as it is; a resource whose make was
 * under way is made again, which finds the same one (the same stack id and bucket give the import
 * the same ClientToken, so the same job; an application instance is adopted, not created twice);
 * what the template no longer wants is deleted by the cleanup. A destroy deletes them with the
 * rest. A resource the killed session replaced (the old instance of an update) is a leftover,
 * deleted once the session is done with it.
 */
import type { Journal, JournalEntry } from './journal';
import type { ResourceType, TypeContext } from './resource-type';
import type { ResourceState, RunnerState, StackState } from './state';

/** An older physical resource of a logical id, superseded by the one the killed session made. */
export interface Leftover {
  readonly logicalId: string;
  readonly resource: ResourceState;
}

/** The stack as the next session sees it, with what the killed one made. */
export interface RecoveredStack {
  readonly stack: StackState;
  readonly leftovers: Leftover[];
  /** Logical ids whose make was under way with no physical id known: their type may find what was made. */
  readonly unidentified: string[];
  readonly entry: JournalEntry;
}

/** The stack merged with the journal's unfinished session of it; undefined when there is none. */
export function recoverStack(state: RunnerState, journal: Journal, stackName: string): RecoveredStack | undefined {
  const entry = journal.entry(stackName);
  if (!entry) return undefined;
  const base = state.stacks[stackName];
  const resources: Record<string, ResourceState> = { ...base?.resources };
  const leftovers: Leftover[] = [];
  const adopt = (logicalId: string, resource: ResourceState) => {
    const known = resources[logicalId];
    if (known && known.physicalId !== resource.physicalId && !leftovers.some((l) => l.resource.physicalId === known.physicalId)) {
      leftovers.push({ logicalId, resource: known });
    }
    resources[logicalId] = resource;
  };
  for (const [logicalId, resource] of Object.entries(entry.resources)) adopt(logicalId, resource);
  const unidentified: string[] = [];
  for (const [logicalId, intent] of Object.entries(entry.intents)) {
    if (intent.physicalId === undefined) {
      unidentified.push(logicalId);
      continue;
    }
    if (resources[logicalId]?.physicalId === intent.physicalId) continue;
    adopt(logicalId, { ...intent, physicalId: intent.physicalId, attributes: {}, failed: true, recovered: true });
  }
  const stack: StackState = {
    stackName,
    ...(base?.hierarchicalId ?? entry.hierarchicalId ? { hierarchicalId: base?.hierarchicalId ?? entry.hierarchicalId } : {}),
    stackId: base?.stackId ?? entry.stackId,
    account: base?.account ?? entry.account,
    region: base?.region ?? entry.region,
    resources,
    outputs: base?.outputs ?? {},
  };
  return { stack, leftovers, unidentified, entry };
}

/**
 * Asks the types of the unidentified intents to find what the killed session made (an instance
 * by its device, name and payload); what is found joins the stack, as a resource to adopt.
 */
export async function locateUnidentified(
  recovered: RecoveredStack,
  typeOf: (type: string) => ResourceType,
  contextOf: (logicalId: string, type: string) => TypeContext,
  log: (line: string) => void,
): Promise<void> {
  for (const logicalId of recovered.unidentified) {
    const intent = recovered.entry.intents[logicalId];
    const type = typeOf(intent.type);
    if (!type.locate) continue;
    const physicalId = await type.locate(contextOf(logicalId, intent.type), intent.properties);
    if (physicalId === undefined || recovered.stack.resources[logicalId]?.physicalId === physicalId) continue;
    log(`${logicalId} (${intent.type}): found ${physicalId}, made by a command that was interrupted`);
    const known = recovered.stack.resources[logicalId];
    if (known) recovered.leftovers.push({ logicalId, resource: known });
    recovered.stack.resources[logicalId] = { ...intent, physicalId, attributes: {}, failed: true, recovered: true };
  }
}
