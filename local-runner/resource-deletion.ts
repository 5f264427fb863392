/**
 * Deleting one resource as CloudFormation does: a DeletionPolicy (or, for a replaced physical
 * resource, UpdateReplacePolicy) of Retain, RetainExceptOnCreate or Snapshot keeps it
 * (DELETE_SKIPPED); anything else is deleted through its type.
 */
import { keptBecause, otherUsersOf } from './package-sharing';
import type { StackWork } from './stack-work';
import { ResourceState } from './state';

/** The policies under which the resource outlives its deletion (Snapshot: the runner has nothing to snapshot). */
const RETAIN_POLICIES = ['Retain', 'RetainExceptOnCreate', 'Snapshot'];

/** How one deletion is made. */
export interface DeletionOptions {
  /** The policy in force. @default the resource's DeletionPolicy */
  readonly policy?: string;
  /** The cleanup of a replacement: the old physical resource of a logical id that stays. @default false */
  readonly replaced?: boolean;
  /**
   * Whether the outcome is the resource's own status. The deletion of a replaced physical resource,
   * or the rollback's, is not (the resource stays UPDATE_COMPLETE). @default true
   */
  readonly recorded?: boolean;
}

/** Deletes the resource unless its policy retains it; throws when the deletion failed. */
export async function deleteResource(
  work: StackWork, verb: string, logicalId: string, resource: ResourceState, options: DeletionOptions = {},
): Promise<void> {
  const policy = options.policy ?? resource.deletionPolicy;
  const { type, physicalId, attributes } = resource;
  const outcome = { verb, logicalId, type, physicalId, attributes, recorded: options.recorded };
  if (policy && RETAIN_POLICIES.includes(policy)) {
    work.report.outcome({ ...outcome, status: 'DELETE_SKIPPED', retainedBy: policy });
    return;
  }
  const users = await otherUsersOf(work, logicalId, resource);
  if (users.length > 0) {
    // Another owner's: deregistering it would pull it from under them (and Panorama refuses while an instance runs it).
    const kept = keptBecause(resource, users);
    work.report.outcome({ ...outcome, status: 'DELETE_SKIPPED', note: kept });
    work.report.warn(`${logicalId}: ${kept}`);
    return;
  }
  const note = options.replaced ? `the replaced physical resource ${resource.physicalId}` : undefined;
  work.report.emit(logicalId, resource.type, 'DELETE_IN_PROGRESS', { physicalId: resource.physicalId, reason: note });
  try {
    await work.typeOf(resource.type).delete(work.operation(verb, logicalId, resource.type), resource.physicalId, resource.properties);
  } catch (e) {
    work.report.outcome({ ...outcome, status: 'DELETE_FAILED', error: (e as Error).message });
    throw e;
  }
  work.report.outcome({ ...outcome, status: 'DELETE_COMPLETE', note });
}
