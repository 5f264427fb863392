/**
 * Applying one resource of the template, as CloudFormation does in a stack operation: a resource
 * whose resolved properties match the last deployment is left alone; a new one is created; a
 * changed one updated (or created anew, replacing the old, when its type changed or its last
 * Create failed). Each outcome goes to the report in one call; the change is kept for the cleanup
 * and the rollback.
 */
import { ResourceFailure } from './resource-failure';
import type { Provisioned } from './resource-type';
import type { StackWork } from './stack-work';
import { ResourceState } from './state';
import { templateDependencies } from './template';
import { resolveProperties } from './template-resolution';

/** Creates, updates or leaves one resource; throws when it failed (the session then rolls back). */
export async function applyResource(work: StackWork, logicalId: string): Promise<void> {
  const resource = work.template.Resources[logicalId];
  const type = resource.Type;
  const before = work.previous?.resources[logicalId];
  let properties: Record<string, unknown>;
  try {
    properties = resolveProperties(work, resource);
  } catch (e) {
    work.begin();
    work.report.outcome({
      verb: before ? 'update' : 'create',
      logicalId,
      type,
      status: before ? 'UPDATE_FAILED' : 'CREATE_FAILED',
      physicalId: before?.physicalId,
      error: (e as Error).message,
    });
    throw e;
  }
  const constructPath = resource.Metadata?.['aws:cdk:path'];
  const base = {
    type,
    properties,
    dependsOn: templateDependencies(work.template, logicalId),
    deletionPolicy: resource.DeletionPolicy,
    updateReplacePolicy: resource.UpdateReplacePolicy,
    ...(typeof constructPath === 'string' ? { constructPath } : {}),
  };
  if (before && !before.failed && before.type === type && sameJson(before.properties, properties)) {
    work.current[logicalId] = { ...before, ...base, properties: before.properties };
    work.changes.set(logicalId, { logicalId, kind: 'unchanged', before, after: work.current[logicalId] });
    if (await restored(work, logicalId, type, before)) return;
    work.report.outcome({ verb: 'update', logicalId, type, status: 'NO_CHANGE', physicalId: before.physicalId, attributes: before.attributes });
    return;
  }
  // A changed type, or a Create that failed before, means a new resource that replaces the old one.
  const updating = before !== undefined && before.type === type && !before.failed;
  const verb = updating ? 'update' : 'create';
  const kind = updating ? 'updated' : 'created';
  work.begin();
  work.report.emit(logicalId, type, updating ? 'UPDATE_IN_PROGRESS' : 'CREATE_IN_PROGRESS', { physicalId: updating ? before.physicalId : undefined });
  const { journal, stackName } = work.context;
  // Written before anything is asked of a service: a killed run's next command knows what was under way.
  // A type the runner does not emulate makes nothing: nothing to journal.
  const journaled = work.typeOf(type).emulated;
  if (journaled) journal.intend(stackName, work.identity, logicalId, { ...base, ...(before?.recovered ? { physicalId: before.physicalId } : {}) });
  try {
    const recovered = before?.recovered ? before : undefined;
    const provisioned = await provision(work, verb, logicalId, type, properties, updating ? before : undefined, recovered);
    const after: ResourceState = { ...base, ...provisioned };
    work.current[logicalId] = after;
    if (journaled) journal.provisioned(stackName, logicalId, after);
    work.changes.set(logicalId, { logicalId, kind, before, after });
    work.report.outcome({
      verb, logicalId, type, status: updating ? 'UPDATE_COMPLETE' : 'CREATE_COMPLETE', physicalId: after.physicalId, attributes: after.attributes,
    });
  } catch (e) {
    const physicalId = e instanceof ResourceFailure ? e.physicalId : undefined;
    // A failed Create, or a failed replacement, may still name a new physical resource: the rollback deletes it.
    const made: ResourceState | undefined = physicalId && physicalId !== before?.physicalId
      ? { ...base, physicalId, attributes: {}, failed: true }
      : undefined;
    if (!updating && made) work.current[logicalId] = made;
    work.changes.set(logicalId, { logicalId, kind, before, after: updating ? made : work.current[logicalId] });
    work.report.outcome({
      verb, logicalId, type, status: updating ? 'UPDATE_FAILED' : 'CREATE_FAILED', physicalId: physicalId ?? before?.physicalId, error: (e as Error).message,
    });
    throw e;
  }
}

/**
 * Create or Update through the resource's type; the deployment's own operations stop waiting when
 * it is cancelled. What an interrupted command made with the same properties is adopted when the
 * type can (else the Create makes it again, which finds the same one: same name, same token).
 */
async function provision(
  work: StackWork, verb: 'create' | 'update', logicalId: string, type: string, properties: Record<string, unknown>,
  before?: ResourceState, recovered?: ResourceState,
): Promise<Provisioned> {
  const resourceType = work.typeOf(type);
  const context = work.operation(verb, logicalId, type, work.signal);
  if (before) return resourceType.update(context, logicalId, type, properties, before);
  if (recovered && recovered.type === type && resourceType.adopt && sameJson(recovered.properties, properties)) {
    const adopted = await resourceType.adopt(context, logicalId, recovered.physicalId, properties);
    if (adopted) {
      context.operation.step(`adopted ${adopted.physicalId}, made by a command that was interrupted`);
      return adopted;
    }
  }
  const provisioned = await resourceType.create(context, logicalId, type, properties);
  if (!resourceType.emulated) context.operation.step(`skipped (not emulated), physical id ${provisioned.physicalId}`);
  return provisioned;
}

/** An unchanged resource removed behind the runner's back is made again under its id (an UPDATE, so the deploy is not "no changes"). */
async function restored(work: StackWork, logicalId: string, type: string, before: ResourceState): Promise<boolean> {
  const resourceType = work.typeOf(type);
  if (!resourceType.restore) return false;
  const context = work.operation('update', logicalId, type, work.signal);
  if (!(await resourceType.restore(context, before.physicalId))) return false;
  const note = `${before.physicalId} no longer existed (removed outside panorama-local): made again`;
  work.begin();
  work.report.emit(logicalId, type, 'UPDATE_IN_PROGRESS', { physicalId: before.physicalId, reason: note });
  work.report.outcome({ verb: 'update', logicalId, type, status: 'UPDATE_COMPLETE', physicalId: before.physicalId, attributes: before.attributes, note });
  return true;
}

/** Whether two property sets are the same JSON, whatever the order of their keys. */
function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value as object).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]));
  }
  return value;
}
