/**
 * The cleanup after a successful update, as CloudFormation's UPDATE_COMPLETE_CLEANUP_IN_PROGRESS:
 * the replaced physical resources (with their old properties) and the removed ones are deleted in
 * reverse dependency order, so a replaced application instance goes before the old patch of an
 * import it used. A failure is only a warning: the update stands.
 */
import { reverseDependencies, runGraph } from './graph';
import { deleteResource } from './resource-deletion';
import type { StackWork } from './stack-work';
import { ResourceState } from './state';

/** Deletes what the update replaced or removed; `ids` are the template's resources. */
export async function cleanUp(work: StackWork, ids: string[]): Promise<void> {
  const replaced = new Map([...work.changes.values()]
    .filter(({ kind, before, after }) => kind !== 'unchanged' && before && after && before.physicalId !== after.physicalId)
    .map((change) => [change.logicalId, change.before!]));
  const previous = work.previous;
  const removed = Object.keys(previous?.resources ?? {}).filter((id) => !ids.includes(id));
  const cleanupIds = [...replaced.keys(), ...removed];
  if (!previous || cleanupIds.length === 0) return;
  work.begin();
  work.report.stackEvent('UPDATE_COMPLETE_CLEANUP_IN_PROGRESS');
  const old = (id: string): ResourceState => replaced.get(id) ?? previous.resources[id];
  const run = await runGraph(cleanupIds, reverseDependencies(cleanupIds, (id) => old(id).dependsOn), (id) => (replaced.has(id)
    ? deleteResource(work, 'delete (cleanup)', id, old(id), { policy: old(id).updateReplacePolicy ?? 'Delete', replaced: true, recorded: false })
    : deleteResource(work, 'delete', id, old(id))), () => false, { continueAfterFailure: true });
  // CloudFormation only warns: the update stands; what waited for a failed deletion stays too.
  for (const f of run.failed) work.report.warn(`${f.id}: cleanup failed: ${f.error.message}`);
  for (const id of run.notStarted) work.report.warn(`${id}: cleanup not started: a resource that depends on it could not be deleted`);
}

/**
 * Deletes the older physical resources an interrupted command replaced (resource-recovery.ts) in
 * reverse dependency order, as the cleanup does (an old instance before the old patch it runs);
 * returns the failures, each naming the resource.
 */
export async function deleteLeftovers(work: StackWork): Promise<string[]> {
  const leftovers = new Map(work.leftovers.splice(0).map((leftover) => [leftover.logicalId, leftover.resource]));
  if (leftovers.size === 0) return [];
  const ids = [...leftovers.keys()];
  const run = await runGraph(ids, reverseDependencies(ids, (id) => leftovers.get(id)!.dependsOn), (id) => deleteResource(work, 'delete (recovery)', id,
    leftovers.get(id)!, { policy: leftovers.get(id)!.updateReplacePolicy ?? 'Delete', replaced: true, recorded: false }), () => false, { continueAfterFailure: true });
  const named = (id: string) => `${id} ${leftovers.get(id)!.physicalId} (${leftovers.get(id)!.type})`;
  return [
    ...run.failed.map((f) => `${named(f.id)}: ${f.error.message}`),
    ...run.notStarted.map((id) => `${named(id)}: not deleted, as what uses it could not be deleted`),
  ];
}
