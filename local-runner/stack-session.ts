/**
 * One stack's deployment or destruction, as CloudFormation does it: runs independent resources
 * concurrently, sends custom resources Create/Update/Delete through the Provider framework, cleans
 * up replaced and removed resources after a successful update, and rolls back a failed one. Every
 * status change, progress line and result goes to its StackReport (stack-report.ts).
 */
import { publishFileAssets } from './asset-publisher';
import { newStackId, customResourceRequest } from './cfn-events';
import { CfnResource, CfnTemplate, orderByDependencies } from './cloud-assembly';
import { deliver, providerBinding, RedeliveryPolicy } from './custom-resources';
import type { DeployOptions, StackResult } from './deployer';
import { reverseDependencies, runGraph } from './graph';
import { IntrinsicContext, referencedNames, resolveIntrinsics } from './intrinsics';
import { Logger } from './logger';
import { CustomResourceRequest, CustomResourceResponse } from './provider-framework';
import { ResourceFailure } from './resource-failure';
import { isEmulatedType, isReportedType, NativeType, nativeType, PANORAMA_IMPORT_TYPE, Provisioned, TypeContext } from './resource-types';
import { StackEventSink } from './stack-events';
import { StackReport } from './stack-report';
import { ResourceState, RunnerState, StackState } from './state';

const RETAIN_POLICIES = ['Retain', 'RetainExceptOnCreate', 'Snapshot'];

/** Where a session works, and what it reports to. */
export interface SessionContext extends TypeContext {
  readonly state: RunnerState;
  readonly log: Logger;
  readonly events?: StackEventSink;
  readonly types: Readonly<Record<string, NativeType>>;
}

/** What one resource operation did, for rollback and cleanup. */
interface Change {
  readonly logicalId: string;
  readonly kind: 'created' | 'updated' | 'unchanged';
  readonly before?: ResourceState;
  readonly after?: ResourceState;
}

/** One stack's deployment or destruction. */
export class StackSession {
  private readonly previous?: StackState;
  private readonly stackId: string;
  /** The resources as deployed so far in this session; what Ref and GetAtt read. */
  private readonly current: Record<string, ResourceState> = {};
  private readonly changes = new Map<string, Change>();
  /** The events, progress lines, results and warnings of this session. */
  private readonly report: StackReport;
  private template: CfnTemplate = { Resources: {} };
  private redeliver?: RedeliveryPolicy;
  /** Aborts a deployment: nothing new starts, waits stop, and the stack rolls back. */
  private signal?: AbortSignal;

  constructor(private readonly context: SessionContext) {
    this.previous = context.state.stacks[context.stackName];
    this.stackId = this.previous?.stackId ?? newStackId(context.partition, context.region, context.account, context.stackName);
    this.report = new StackReport({
      stackName: context.stackName,
      stackId: this.stackId,
      log: context.log,
      events: context.events,
      isReported: (type) => this.isReported(type),
      constructPath: (logicalId) => this.template.Resources[logicalId]?.Metadata?.['aws:cdk:path'] ?? this.previous?.resources[logicalId]?.constructPath,
    });
  }

  get region(): string {
    return this.context.region;
  }

  async deploy(template: CfnTemplate, options: DeployOptions): Promise<{ stack: StackResult; error?: string }> {
    this.template = template;
    this.redeliver = options.redeliver;
    this.signal = options.signal;
    checkSupported(template);
    const assets = await publishFileAssets(this.context.s3, this.context.assets, {
      accountId: this.context.account, region: this.context.region, partition: this.context.partition,
    });
    this.context.log(`${this.context.stackName}: assets: ${assets.uploaded.length} uploaded, ${assets.alreadyPresent.length} already present, `
      + `${assets.notPublished.length} directory assets not published (the runner loads handler code from the assembly)`);

    const ids = Object.keys(template.Resources);
    const dependencies = (id: string) => templateDependencies(template, id);
    orderByDependencies(ids, dependencies);
    // A new stack is created even when it is empty; an existing one only changes when a resource does.
    if (!this.previous) this.start();
    const run = await runGraph(ids, dependencies, (id) => this.apply(id), () => this.cancelled);
    run.notStarted.forEach((id) => this.report.record(id, template.Resources[id].Type, 'NOT_STARTED', {}));

    if (run.failed.length === 0 && run.notStarted.length === 0) {
      await this.cleanUp(ids);
      const outputs = this.resolveOutputs();
      this.context.state.stacks[this.context.stackName] = this.stackState(this.current, outputs);
      this.logAttributes();
      const status = this.previous ? 'UPDATE_COMPLETE' : 'CREATE_COMPLETE';
      if (this.report.begun) this.report.stackEvent(status);
      return { stack: this.report.result(status, outputs) };
    }

    const failures = run.failed.map((f) => `${f.id} (${template.Resources[f.id].Type}) ${this.report.statusOf(f.id) ?? 'FAILED'}: ${f.error.message}`);
    if (this.cancelled) failures.push(`deployment cancelled${run.notStarted.length > 0 ? `, ${run.notStarted.length} resource(s) not started` : ''}`);
    const error = `${this.context.stackName}: ${failures.join('; ')}`;
    const why = this.cancelled ? 'Cancelled by the user' : `The following resource(s) failed: [${run.failed.map((f) => f.id).join(', ')}]`;
    if (options.rollback === false) {
      // As after `cdk deploy --no-rollback`: what was deployed stays, failed creates included.
      const resources = { ...this.previous?.resources, ...this.current };
      this.context.state.stacks[this.context.stackName] = this.stackState(resources, this.previous?.outputs ?? {});
      const status = this.previous ? 'UPDATE_FAILED' : 'CREATE_FAILED';
      this.report.stackEvent(status, `${why}. Rollback disabled.`);
      return { stack: this.report.result(status, {}), error };
    }
    this.report.stackEvent(this.previous ? 'UPDATE_ROLLBACK_IN_PROGRESS' : 'ROLLBACK_IN_PROGRESS', `${why}.`);
    const rolledBack = await this.rollBack();
    if (this.previous) this.context.state.stacks[this.context.stackName] = { ...this.previous, resources: { ...this.previous.resources } };
    else delete this.context.state.stacks[this.context.stackName];
    const status = this.previous ? (rolledBack ? 'UPDATE_ROLLBACK_COMPLETE' : 'UPDATE_ROLLBACK_FAILED') : (rolledBack ? 'ROLLBACK_COMPLETE' : 'ROLLBACK_FAILED');
    this.report.stackEvent(status);
    return { stack: this.report.result(status, this.previous?.outputs ?? {}), error: `${error} (${status})` };
  }

  async destroy(signal?: AbortSignal): Promise<{ stack: StackResult; error?: string }> {
    this.signal = signal;
    const resources = this.previous!.resources;
    Object.assign(this.current, resources);
    const ids = Object.keys(resources);
    this.report.begin('DELETE_IN_PROGRESS');
    const run = await runGraph(ids, reverseDependencies(ids, (id) => resources[id].dependsOn), async (id) => {
      await this.deleteResource('delete', id, resources[id]);
      delete this.current[id];
    }, () => this.cancelled);
    run.notStarted.forEach((id) => this.report.record(id, resources[id].type, 'NOT_STARTED', {}, resources[id].physicalId));
    if (run.failed.length === 0 && run.notStarted.length === 0) {
      delete this.context.state.stacks[this.context.stackName];
      this.report.stackEvent('DELETE_COMPLETE');
      return { stack: this.report.result('DELETE_COMPLETE', {}) };
    }
    this.previous!.resources = { ...this.current };
    const failures = run.failed.map((f) => `${f.id} (${resources[f.id].type}) DELETE_FAILED: ${f.error.message}`);
    if (this.cancelled) failures.push(`destroy cancelled${run.notStarted.length > 0 ? `, ${run.notStarted.length} resource(s) left` : ''}`);
    this.report.stackEvent('DELETE_FAILED', this.cancelled ? 'Cancelled by the user.' : `The following resource(s) failed to delete: [${run.failed.map((f) => f.id).join(', ')}].`);
    return { stack: this.report.result('DELETE_FAILED', {}), error: `${this.context.stackName}: ${failures.join('; ')}` };
  }

  private get cancelled(): boolean {
    return this.signal?.aborted ?? false;
  }

  /** Sends the stack's IN_PROGRESS event before its first change. */
  private start(): void {
    this.report.begin(this.previous ? 'UPDATE_IN_PROGRESS' : 'CREATE_IN_PROGRESS');
  }

  private typeOf(type: string): NativeType {
    return nativeType(type, this.context.types);
  }

  private isEmulated(type: string): boolean {
    return isEmulatedType(type, this.context.types);
  }

  private isReported(type: string): boolean {
    return isReportedType(type, this.context.types);
  }

  /** Creates, updates or leaves one resource, by comparing resolved properties with the last deployment. */
  private async apply(logicalId: string): Promise<void> {
    const resource = this.template.Resources[logicalId];
    const before = this.previous?.resources[logicalId];
    let properties: Record<string, unknown>;
    try {
      properties = this.resolveProperties(resource);
    } catch (e) {
      const status = before ? 'UPDATE_FAILED' : 'CREATE_FAILED';
      this.report.step(before ? 'update' : 'create', logicalId, resource.Type, `${status}: ${(e as Error).message}`);
      this.report.record(logicalId, resource.Type, status, {}, before?.physicalId, (e as Error).message);
      this.start();
      this.report.emit(logicalId, resource.Type, status, { physicalId: before?.physicalId, reason: (e as Error).message });
      throw e;
    }
    const constructPath = resource.Metadata?.['aws:cdk:path'];
    const base = {
      type: resource.Type,
      properties,
      dependsOn: templateDependencies(this.template, logicalId),
      deletionPolicy: resource.DeletionPolicy,
      updateReplacePolicy: resource.UpdateReplacePolicy,
      ...(typeof constructPath === 'string' ? { constructPath } : {}),
    };
    if (before && !before.failed && before.type === resource.Type && sameJson(before.properties, properties)) {
      this.current[logicalId] = { ...before, ...base, properties: before.properties };
      this.changes.set(logicalId, { logicalId, kind: 'unchanged', before, after: this.current[logicalId] });
      if (resource.Type === PANORAMA_IMPORT_TYPE) this.report.step('update', logicalId, resource.Type, 'no change');
      this.report.record(logicalId, resource.Type, 'NO_CHANGE', before.attributes, before.physicalId);
      return;
    }
    // A changed type, or a Create that failed before, means a new resource that replaces the old one.
    const updating = before !== undefined && before.type === resource.Type && !before.failed;
    const verb = updating ? 'update' : 'create';
    this.start();
    this.report.emit(logicalId, resource.Type, updating ? 'UPDATE_IN_PROGRESS' : 'CREATE_IN_PROGRESS', { physicalId: updating ? before.physicalId : undefined });
    try {
      const provisioned = updating
        ? await this.provision('Update', logicalId, resource.Type, properties, before)
        : await this.provision('Create', logicalId, resource.Type, properties);
      const after: ResourceState = { ...base, ...provisioned };
      this.current[logicalId] = after;
      this.changes.set(logicalId, { logicalId, kind: updating ? 'updated' : 'created', before, after });
      const status = updating ? 'UPDATE_COMPLETE' : 'CREATE_COMPLETE';
      if (this.isReported(resource.Type)) this.report.step(verb, logicalId, resource.Type, `${status} physical id ${after.physicalId}`);
      this.report.emit(logicalId, resource.Type, status, { physicalId: after.physicalId });
      this.report.record(logicalId, resource.Type, status, after.attributes, after.physicalId);
    } catch (e) {
      const physicalId = e instanceof ResourceFailure ? e.physicalId : undefined;
      const status = updating ? 'UPDATE_FAILED' : 'CREATE_FAILED';
      // A failed Create, or a failed replacement, may still name a new physical resource: the rollback deletes it.
      const made: ResourceState | undefined = physicalId && physicalId !== before?.physicalId
        ? { ...base, physicalId, attributes: {}, failed: true }
        : undefined;
      if (!updating && made) this.current[logicalId] = made;
      this.changes.set(logicalId, { logicalId, kind: updating ? 'updated' : 'created', before, after: updating ? made : this.current[logicalId] });
      this.report.step(verb, logicalId, resource.Type, `${status}: ${(e as Error).message}`);
      this.report.emit(logicalId, resource.Type, status, { physicalId: physicalId ?? before?.physicalId, reason: (e as Error).message });
      this.report.record(logicalId, resource.Type, status, {}, physicalId ?? before?.physicalId, (e as Error).message);
      throw e;
    }
  }

  /** Create or Update through the resource's handler. */
  private async provision(
    requestType: 'Create' | 'Update', logicalId: string, type: string, properties: Record<string, unknown>, before?: ResourceState,
  ): Promise<Provisioned> {
    if (type === PANORAMA_IMPORT_TYPE) {
      const response = await this.sendCustomResourceRequest(
        requestType, requestType.toLowerCase(), logicalId, type, properties, before?.physicalId, before?.properties,
      );
      return { physicalId: response.PhysicalResourceId, attributes: stringAttributes(response.Data) };
    }
    const native = this.typeOf(type);
    // The deployment's own Create and Update stop waiting when it is cancelled.
    const context: TypeContext = { ...this.context, signal: this.signal };
    if (requestType === 'Update') return native.update(context, logicalId, type, properties, before!);
    const provisioned = await native.create(context, logicalId, type, properties);
    if (!native.emulated) this.report.step('create', logicalId, type, `skipped (not emulated), physical id ${provisioned.physicalId}`);
    return provisioned;
  }

  /** Sends one request through the Provider framework; throws ResourceFailure on a FAILED response. */
  private async sendCustomResourceRequest(
    requestType: CustomResourceRequest['RequestType'], label: string, logicalId: string, type: string,
    properties: Record<string, unknown>, physicalId?: string, oldProperties?: Record<string, unknown>,
  ): Promise<CustomResourceResponse> {
    const request: CustomResourceRequest = customResourceRequest({
      requestType,
      stackId: this.stackId,
      region: this.context.region,
      logicalResourceId: logicalId,
      resourceType: type,
      properties,
      physicalResourceId: physicalId,
      oldProperties,
    });
    const binding = providerBinding(String(properties.ServiceToken), (predicate) =>
      Object.values(this.current).find(predicate) ?? Object.values(this.previous?.resources ?? {}).find(predicate), this.context.codeStore);
    // Only the deployment's own Create and Update stop waiting when it is cancelled; deletes and rollbacks run to their end.
    const signal = label === 'create' || label === 'update' ? this.signal : undefined;
    const delivery = await deliver(binding, request, (step) => this.report.step(label, logicalId, type, step), this.redeliver?.(request), signal);
    if (delivery.duplicates.length > 0) {
      delivery.duplicates.forEach((d, i) => this.report.step(label, logicalId, type, `(delivery ${i + 2}) ${d.Status} physical id ${d.PhysicalResourceId} (ignored: CloudFormation acts on the first response)`));
      this.report.recordDuplicates(logicalId, delivery.duplicates);
    }
    if (delivery.response.Status === 'FAILED') {
      const reason = delivery.response.Reason === 'Operation timed out'
        ? `Operation timed out: ${describeWaiter(binding.waiter)}`
        : delivery.response.Reason ?? 'FAILED';
      throw new ResourceFailure(reason, delivery.response.PhysicalResourceId);
    }
    return delivery.response;
  }


  /**
   * Deletes one resource unless its policy retains it. The deletion of a replaced physical resource
   * is not the resource's own status (it stays UPDATE_COMPLETE), so it is not recorded.
   */
  private async deleteResource(
    verb: string,
    logicalId: string,
    resource: ResourceState,
    policy = resource.deletionPolicy,
    recorded = true,
  ): Promise<void> {
    const record: typeof this.report.record = (...args) => recorded && this.report.record(...args);
    if (policy && RETAIN_POLICIES.includes(policy)) {
      this.report.step(verb, logicalId, resource.type, `DELETE_SKIPPED (${policy})`);
      this.report.emit(logicalId, resource.type, 'DELETE_SKIPPED', { physicalId: resource.physicalId, reason: `DeletionPolicy ${policy}` });
      record(logicalId, resource.type, 'DELETE_SKIPPED', resource.attributes, resource.physicalId);
      return;
    }
    // The cleanup of a replacement deletes the old physical resource of a logical id that stays.
    const note = verb === 'delete (cleanup)' ? `the replaced physical resource ${resource.physicalId}` : undefined;
    this.report.emit(logicalId, resource.type, 'DELETE_IN_PROGRESS', { physicalId: resource.physicalId, reason: note });
    try {
      if (resource.type === PANORAMA_IMPORT_TYPE) {
        await this.sendCustomResourceRequest('Delete', verb, logicalId, resource.type, resource.properties, resource.physicalId);
      } else {
        await this.typeOf(resource.type).delete(this.context, resource.physicalId, resource.properties);
      }
    } catch (e) {
      this.report.step(verb, logicalId, resource.type, `DELETE_FAILED: ${(e as Error).message}`);
      this.report.emit(logicalId, resource.type, 'DELETE_FAILED', { physicalId: resource.physicalId, reason: (e as Error).message });
      record(logicalId, resource.type, 'DELETE_FAILED', resource.attributes, resource.physicalId, (e as Error).message);
      throw e;
    }
    if (this.isReported(resource.type)) {
      this.report.step(verb, logicalId, resource.type, `DELETE_COMPLETE physical id ${resource.physicalId}`);
    }
    this.report.emit(logicalId, resource.type, 'DELETE_COMPLETE', { physicalId: resource.physicalId, reason: note });
    record(logicalId, resource.type, 'DELETE_COMPLETE', resource.attributes, resource.physicalId);
  }

  /**
   * After every update succeeded: delete the replaced physical resources (with their old
   * properties) and the removed ones, in reverse dependency order, as CloudFormation's cleanup
   * does: a replaced application instance goes before the old patch of an import it used.
   */
  private async cleanUp(ids: string[]): Promise<void> {
    const replaced = new Map([...this.changes.values()]
      .filter(({ kind, before, after }) => kind !== 'unchanged' && before && after && before.physicalId !== after.physicalId)
      .map((change) => [change.logicalId, change.before!]));
    const removed = Object.keys(this.previous?.resources ?? {}).filter((id) => !ids.includes(id));
    const cleanupIds = [...replaced.keys(), ...removed];
    if (!this.previous || cleanupIds.length === 0) return;
    this.start();
    this.report.stackEvent('UPDATE_COMPLETE_CLEANUP_IN_PROGRESS');
    const old = (id: string): ResourceState => replaced.get(id) ?? this.previous!.resources[id];
    const run = await runGraph(cleanupIds, reverseDependencies(cleanupIds, (id) => old(id).dependsOn), (id) => (replaced.has(id)
      ? this.deleteResource('delete (cleanup)', id, old(id), old(id).updateReplacePolicy ?? 'Delete', false)
      : this.deleteResource('delete', id, old(id))), () => false, { continueAfterFailure: true });
    // CloudFormation only warns: the update stands; what waited for a failed deletion stays too.
    for (const f of run.failed) this.report.warn(`${f.id}: cleanup failed: ${f.error.message}`);
    for (const id of run.notStarted) this.report.warn(`${id}: cleanup not started: a resource that depends on it could not be deleted`);
  }

  /** Undoes this session's changes, last first: deletes what was created, updates back what was updated. */
  private async rollBack(): Promise<boolean> {
    const order = [...this.changes.values()].filter((c) => c.kind !== 'unchanged').reverse();
    let ok = true;
    for (const change of order) {
      const { logicalId, before, after } = change;
      const attempt = async () => {
        if (change.kind === 'created') {
          if (after) await this.deleteResource('rollback delete', logicalId, after, 'Delete', false);
        } else if (after && before && after.physicalId !== before.physicalId) {
          await this.deleteResource('rollback delete', logicalId, after, 'Delete', false);
        } else if (before && this.isEmulated(before.type)) {
          // The Update back: old and new properties swapped.
          const updated = this.template.Resources[logicalId] ? this.resolvePropertiesSafely(logicalId) : before.properties;
          this.report.emit(logicalId, before.type, 'UPDATE_IN_PROGRESS', { physicalId: before.physicalId });
          try {
            if (before.type === PANORAMA_IMPORT_TYPE) {
              await this.sendCustomResourceRequest('Update', 'rollback update', logicalId, before.type, before.properties, before.physicalId, updated);
            } else {
              const attempted = after ?? { ...before, properties: updated };
              await this.typeOf(before.type).update(this.context, logicalId, before.type, before.properties, attempted);
            }
          } catch (e) {
            this.report.emit(logicalId, before.type, 'UPDATE_FAILED', { physicalId: before.physicalId, reason: (e as Error).message });
            throw e;
          }
          this.report.step('rollback update', logicalId, before.type, `UPDATE_COMPLETE physical id ${before.physicalId}`);
          this.report.emit(logicalId, before.type, 'UPDATE_COMPLETE', { physicalId: before.physicalId });
        }
      };
      ok = (await this.warnOnFailure(attempt)) && ok;
    }
    return ok;
  }

  private resolvePropertiesSafely(logicalId: string): Record<string, unknown> {
    try {
      return this.resolveProperties(this.template.Resources[logicalId]);
    } catch {
      return this.previous?.resources[logicalId]?.properties ?? {};
    }
  }

  private async warnOnFailure(work: () => Promise<void>): Promise<boolean> {
    try {
      await work();
      return true;
    } catch (e) {
      this.report.warn((e as Error).message);
      return false;
    }
  }

  private resolveProperties(resource: CfnResource): Record<string, unknown> {
    const raw = resource.Properties ?? {};
    try {
      return (resolveIntrinsics(raw, this.intrinsicContext()) ?? {}) as Record<string, unknown>;
    } catch (e) {
      // A type the runner does not emulate only needs its properties for change detection.
      if (!this.isEmulated(resource.Type)) return raw;
      throw e;
    }
  }

  private intrinsicContext(): IntrinsicContext {
    const { account, region, partition, stackName } = this.context;
    return {
      pseudo: { accountId: account, region, partition, stackName, stackId: this.stackId, urlSuffix: 'amazonaws.com' },
      ref: (name) => {
        const resource = this.current[name];
        if (resource) return resource.physicalId;
        const parameter = this.template.Parameters?.[name];
        if (parameter) return String(parameter.Default ?? '');
        throw new Error(`Unresolved resource dependencies [${name}] in the Resources block of the template`);
      },
      getAtt: (name, attribute) => {
        const resource = this.current[name];
        if (!resource) throw new Error(`Fn::GetAtt: ${name} is not a deployed resource of this stack`);
        const value = resource.attributes[attribute];
        if (value !== undefined) return value;
        if (!this.isEmulated(resource.type)) return `${resource.physicalId}.${attribute}`;
        throw new Error(`CustomResource attribute error: Vendor response doesn't contain ${attribute} attribute in object ${name} (${resource.type})`);
      },
    };
  }

  private resolveOutputs(): Record<string, string> {
    const outputs: Record<string, string> = {};
    for (const [name, output] of Object.entries(this.template.Outputs ?? {})) {
      try {
        outputs[name] = String(resolveIntrinsics(output.Value, this.intrinsicContext()));
      } catch (e) {
        this.report.addWarning(`Output ${name}: ${(e as Error).message}`);
      }
    }
    return outputs;
  }

  /** Per import: PackageArn first, then the StorageLocation, then the rest. */
  private logAttributes(): void {
    for (const [logicalId, resource] of Object.entries(this.current)) {
      if (resource.type !== PANORAMA_IMPORT_TYPE) continue;
      const rank = (key: string) => (key === 'PackageArn' ? 0 : key.startsWith('StorageLocation.') ? 1 : 2);
      const keys = Object.keys(resource.attributes).sort((a, b) => rank(a) - rank(b));
      for (const key of keys) this.context.log(`${this.context.stackName} ${logicalId} ${key} = ${resource.attributes[key]}`);
    }
  }

  private stackState(resources: Record<string, ResourceState>, outputs: Record<string, string>): StackState {
    const { stackName, account, region } = this.context;
    return { stackName, stackId: this.stackId, account, region, resources, outputs };
  }

}

/** DependsOn plus every resource the properties refer to. */
function templateDependencies(template: CfnTemplate, logicalId: string): string[] {
  const resource = template.Resources[logicalId];
  const explicit = resource.DependsOn === undefined ? [] : ([] as string[]).concat(resource.DependsOn);
  const referenced = [...referencedNames(resource.Properties ?? {})];
  return [...new Set([...explicit, ...referenced])].filter((id) => id in template.Resources && id !== logicalId);
}

function checkSupported(template: CfnTemplate): void {
  if (template.Transform) throw new Error('Templates with a Transform are not supported by the local runner');
  const conditional = Object.entries(template.Resources).filter(([, r]) => r.Condition).map(([id]) => id);
  if (conditional.length > 0) throw new Error(`Resources with a Condition are not supported by the local runner: ${conditional.join(', ')}`);
}

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

function stringAttributes(data: Record<string, unknown> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(data ?? {}).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
}

function describeWaiter(waiter: { intervalSeconds: number; maxAttempts: number } | undefined): string {
  if (!waiter) return 'isComplete did not complete within the default waiter policy';
  const total = waiter.maxAttempts * waiter.intervalSeconds;
  return `isComplete did not complete within totalTimeout ${total} s (${waiter.maxAttempts + 1} checks, every ${waiter.intervalSeconds} s)`;
}
