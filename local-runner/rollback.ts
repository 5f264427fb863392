/**
 * The rollback of a failed deployment, as CloudFormation's: this session's changes undone, last
 * first. What was created (a failed Create's resource or replacement included) is deleted; what was
 * updated in place is updated back, its old and new properties swapped. A failure is a warning,
 * and the rollback goes on.
 */
import { deleteResource } from './resource-deletion';
import type { Change, StackWork } from './stack-work';
import { resolvePropertiesOrLast } from './template-resolution';

/** Undoes the session's changes; false when something could not be undone. */
export async function rollBack(work: StackWork): Promise<boolean> {
  const order = [...work.changes.values()].filter((c) => c.kind !== 'unchanged').reverse();
  let ok = true;
  for (const change of order) {
    try {
      await undo(work, change);
    } catch (e) {
      work.report.warn((e as Error).message);
      ok = false;
    }
  }
  return ok;
}

async function undo(work: StackWork, { logicalId, kind, before, after }: Change): Promise<void> {
  const verb = 'rollback delete';
  if (kind === 'created') {
    if (after) await deleteResource(work, verb, logicalId, after, { policy: 'Delete', recorded: false });
  } else if (after && before && after.physicalId !== before.physicalId) {
    await deleteResource(work, verb, logicalId, after, { policy: 'Delete', recorded: false });
  } else if (before && work.typeOf(before.type).emulated) {
    await updateBack(work, logicalId, before, after);
  }
}

/** The Update back: the old properties, from the attempted ones. */
async function updateBack(work: StackWork, logicalId: string, before: NonNullable<Change['before']>, after: Change['after']): Promise<void> {
  const verb = 'rollback update';
  const { type, physicalId } = before;
  const attempted = after ?? {
    ...before,
    properties: work.template.Resources[logicalId] ? resolvePropertiesOrLast(work, logicalId) : before.properties,
  };
  work.report.emit(logicalId, type, 'UPDATE_IN_PROGRESS', { physicalId });
  try {
    await work.typeOf(type).update(work.operation(verb, logicalId, type), logicalId, type, before.properties, attempted);
  } catch (e) {
    work.report.outcome({ verb, logicalId, type, status: 'UPDATE_FAILED', physicalId, error: (e as Error).message, recorded: false });
    throw e;
  }
  work.report.outcome({ verb, logicalId, type, status: 'UPDATE_COMPLETE', physicalId, recorded: false });
}
