/**
 * CloudFormation for the subset our construct needs, against the emulators: creates or updates
 * stacks from a cloud assembly, runs independent resources concurrently, sends custom resources
 * Create/Update/Delete through the Provider framework, cleans up replaced and removed resources
 * after a successful update, rolls back a failed one, and destroys stacks in reverse order.
 */
import * as os from 'os';
import * as path from 'path';
import { AssetPublishReport, publishFileAssets } from './asset-publisher';
import { newStackId, customResourceRequest } from './cfn-events';
import { CfnResource, CfnTemplate, FileAsset, orderByDependencies, readCloudAssembly } from './cloud-assembly';
import { deliver, providerBinding, RedeliveryPolicy } from './custom-resources';
import { HandlerLogSink, withDeploymentEnvironment } from './environment';
import { reverseDependencies, runGraph } from './graph';
import { IntrinsicContext, referencedNames, resolveIntrinsics } from './intrinsics';
import { Logger, stdoutLogger } from './logger';
import { CustomResourceRequest, CustomResourceResponse } from './provider-framework';
import { nativeType, PANORAMA_IMPORT_TYPE, Provisioned, TypeContext } from './resource-types';
import { localS3Client } from './s3-objects';
import { emptyState, loadState, ResourceState, RunnerState, saveState, StackState } from './state';

/** Where the emulators are and what the runner pretends to be. */
export interface LocalDeployerOptions {
  readonly panoramaEndpoint: string;
  readonly s3Endpoint: string;
  /** @default '123456789012' (the emulator's default account) */
  readonly account?: string;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** @default 'aws' */
  readonly partition?: string;
  /** State kept by the caller; changed in place. @default a new empty state (or the stateFile's) */
  readonly state?: RunnerState;
  /** JSON file the state is loaded from and saved to after every stack. */
  readonly stateFile?: string;
  /** Progress lines. @default stdout */
  readonly logger?: Logger;
  /** Lines the handlers log. @default stdout */
  readonly handlerLog?: HandlerLogSink;
  /** Where Lambda code is copied on deploy. @default beside the state file, else in the OS temp dir */
  readonly codeStore?: string;
}

/** Options of one deployment. */
export interface DeployOptions {
  /** Roll a failed deployment back, as CloudFormation does. @default true */
  readonly rollback?: boolean;
  /** Deliver some custom resource requests more than once (same RequestId). */
  readonly redeliver?: RedeliveryPolicy;
}

/** Resource statuses in CloudFormation's words, plus NO_CHANGE and NOT_STARTED. */
export type ResourceStatus =
  | 'CREATE_COMPLETE' | 'CREATE_FAILED' | 'UPDATE_COMPLETE' | 'UPDATE_FAILED' | 'NO_CHANGE' | 'NOT_STARTED'
  | 'DELETE_COMPLETE' | 'DELETE_FAILED' | 'DELETE_SKIPPED';

/** What happened to one resource. */
export interface ResourceResult {
  readonly stackName: string;
  readonly logicalId: string;
  readonly type: string;
  readonly status: ResourceStatus;
  readonly physicalId?: string;
  readonly attributes: Record<string, string>;
  readonly reason?: string;
  /** Responses of extra deliveries of the same request (see DeployOptions.redeliver). */
  readonly duplicateResponses?: CustomResourceResponse[];
}

/** What happened to one stack. */
export interface StackResult {
  readonly stackName: string;
  readonly stackId: string;
  readonly status: string;
  readonly resources: ResourceResult[];
  readonly outputs: Record<string, string>;
  /** Failures CloudFormation would only warn about (cleanup, rollback). */
  readonly warnings: string[];
  readonly assets?: AssetPublishReport;
}

/** What a deploy or destroy did, stack by stack. */
export interface DeployResult {
  readonly stacks: StackResult[];
  /** Every resource of every stack. */
  readonly resources: ResourceResult[];
}

/** A deployment or destruction that failed; `result` says what happened before. */
export class DeploymentError extends Error {
  constructor(message: string, readonly result: DeployResult) {
    super(message);
    this.name = 'DeploymentError';
  }
}

/** A resource operation that failed, with the physical id the response carried. */
class ResourceFailure extends Error {
  constructor(message: string, readonly physicalId?: string) {
    super(message);
  }
}

const DEFAULT_ACCOUNT = '123456789012';
const DEFAULT_REGION = 'us-east-1';
const RETAIN_POLICIES = ['Retain', 'RetainExceptOnCreate', 'Snapshot'];

/** Deploys cloud assemblies against the emulators and remembers what it deployed. */
export class LocalDeployer {
  /** The deployed stacks; pass it to a new deployer to continue where this one stopped. */
  readonly state: RunnerState;
  private readonly log: Logger;

  constructor(private readonly options: LocalDeployerOptions) {
    this.state = options.state ?? (options.stateFile ? loadState(options.stateFile) : emptyState());
    this.log = options.logger ?? stdoutLogger;
  }

  /** Creates or updates every stack of the assembly, in dependency order; throws DeploymentError. */
  async deploy(assemblyDirectory: string, options: DeployOptions = {}): Promise<DeployResult> {
    const assembly = readCloudAssembly(assemblyDirectory);
    const stacks: StackResult[] = [];
    for (const artifact of assembly.stacks) {
      const session = this.session(artifact.stackName, artifact.account, artifact.region, artifact.assets);
      const result = await this.inEnvironment(session.region, () => session.deploy(artifact.template, options));
      stacks.push(result.stack);
      this.save();
      if (result.error) throw new DeploymentError(result.error, summary(stacks));
    }
    return summary(stacks);
  }

  /** Deletes every resource of the given stacks (default: all), dependents first; throws DeploymentError. */
  async destroy(stackNames: string[] = Object.keys(this.state.stacks).reverse()): Promise<DeployResult> {
    const stacks: StackResult[] = [];
    for (const stackName of stackNames) {
      const existing = this.state.stacks[stackName];
      if (!existing) continue;
      const session = this.session(stackName, existing.account, existing.region, []);
      const result = await this.inEnvironment(session.region, () => session.destroy());
      stacks.push(result.stack);
      this.save();
      if (result.error) throw new DeploymentError(result.error, summary(stacks));
    }
    return summary(stacks);
  }

  private session(stackName: string, account: string | undefined, region: string | undefined, assets: FileAsset[]): StackSession {
    const previous = this.state.stacks[stackName];
    const resolvedRegion = region ?? previous?.region ?? this.options.region ?? DEFAULT_REGION;
    return new StackSession({
      state: this.state,
      stackName,
      account: account ?? previous?.account ?? this.options.account ?? DEFAULT_ACCOUNT,
      region: resolvedRegion,
      partition: this.options.partition ?? 'aws',
      s3: localS3Client(this.options.s3Endpoint, resolvedRegion),
      assets,
      codeStore: this.options.codeStore ?? (this.options.stateFile
        ? path.join(path.dirname(this.options.stateFile), 'functions')
        : path.join(os.tmpdir(), 'cdk-panorama-local-runner', 'functions')),
      log: this.log,
    });
  }

  private inEnvironment<T>(region: string, work: () => Promise<T>): Promise<T> {
    const environment = { panoramaEndpoint: this.options.panoramaEndpoint, s3Endpoint: this.options.s3Endpoint, region };
    return withDeploymentEnvironment(environment, this.options.handlerLog ?? stdoutLogger, work);
  }

  private save(): void {
    if (this.options.stateFile) saveState(this.options.stateFile, this.state);
  }
}

function summary(stacks: StackResult[]): DeployResult {
  return { stacks, resources: stacks.flatMap((s) => s.resources) };
}

interface SessionContext extends TypeContext {
  readonly state: RunnerState;
  readonly log: Logger;
}

/** What one resource operation did, for rollback and cleanup. */
interface Change {
  readonly logicalId: string;
  readonly kind: 'created' | 'updated' | 'unchanged';
  readonly before?: ResourceState;
  readonly after?: ResourceState;
}

/** One stack's deployment or destruction. */
class StackSession {
  private readonly previous?: StackState;
  private readonly stackId: string;
  /** The resources as deployed so far in this session; what Ref and GetAtt read. */
  private readonly current: Record<string, ResourceState> = {};
  private readonly results = new Map<string, ResourceResult>();
  private readonly changes = new Map<string, Change>();
  private readonly warnings: string[] = [];
  private readonly duplicates = new Map<string, CustomResourceResponse[]>();
  private template: CfnTemplate = { Resources: {} };
  private redeliver?: RedeliveryPolicy;

  constructor(private readonly context: SessionContext) {
    this.previous = context.state.stacks[context.stackName];
    this.stackId = this.previous?.stackId ?? newStackId(context.partition, context.region, context.account, context.stackName);
  }

  get region(): string {
    return this.context.region;
  }

  async deploy(template: CfnTemplate, options: DeployOptions): Promise<{ stack: StackResult; error?: string }> {
    this.template = template;
    this.redeliver = options.redeliver;
    checkSupported(template);
    const assets = await publishFileAssets(this.context.s3, this.context.assets, {
      accountId: this.context.account, region: this.context.region, partition: this.context.partition,
    });
    this.context.log(`${this.context.stackName}: assets: ${assets.uploaded.length} uploaded, ${assets.alreadyPresent.length} already present, `
      + `${assets.notPublished.length} directory assets not published (the runner loads handler code from the assembly)`);

    const ids = Object.keys(template.Resources);
    const dependencies = (id: string) => templateDependencies(template, id);
    orderByDependencies(ids, dependencies);
    const run = await runGraph(ids, dependencies, (id) => this.apply(id));
    run.notStarted.forEach((id) => this.record(id, template.Resources[id].Type, 'NOT_STARTED', {}));

    if (run.failed.length === 0) {
      await this.cleanUp(ids);
      const outputs = this.resolveOutputs();
      this.context.state.stacks[this.context.stackName] = this.stackState(this.current, outputs);
      this.logAttributes();
      return { stack: this.stackResult(this.previous ? 'UPDATE_COMPLETE' : 'CREATE_COMPLETE', outputs) };
    }

    const failures = run.failed.map((f) => `${f.id} (${template.Resources[f.id].Type}) ${this.results.get(f.id)?.status ?? 'FAILED'}: ${f.error.message}`);
    const error = `${this.context.stackName}: ${failures.join('; ')}`;
    if (options.rollback === false) {
      // As after `cdk deploy --no-rollback`: what was deployed stays, failed creates included.
      const resources = { ...this.previous?.resources, ...this.current };
      this.context.state.stacks[this.context.stackName] = this.stackState(resources, this.previous?.outputs ?? {});
      return { stack: this.stackResult(this.previous ? 'UPDATE_FAILED' : 'CREATE_FAILED', {}), error };
    }
    const rolledBack = await this.rollBack();
    if (this.previous) this.context.state.stacks[this.context.stackName] = { ...this.previous, resources: { ...this.previous.resources } };
    else delete this.context.state.stacks[this.context.stackName];
    const status = this.previous ? (rolledBack ? 'UPDATE_ROLLBACK_COMPLETE' : 'UPDATE_ROLLBACK_FAILED') : (rolledBack ? 'ROLLBACK_COMPLETE' : 'ROLLBACK_FAILED');
    return { stack: this.stackResult(status, this.previous?.outputs ?? {}), error: `${error} (${status})` };
  }

  async destroy(): Promise<{ stack: StackResult; error?: string }> {
    const resources = this.previous!.resources;
    Object.assign(this.current, resources);
    const ids = Object.keys(resources);
    const run = await runGraph(ids, reverseDependencies(ids, (id) => resources[id].dependsOn), async (id) => {
      await this.deleteResource('delete', id, resources[id]);
      delete this.current[id];
    });
    run.notStarted.forEach((id) => this.record(id, resources[id].type, 'NOT_STARTED', {}, resources[id].physicalId));
    if (run.failed.length === 0) {
      delete this.context.state.stacks[this.context.stackName];
      return { stack: this.stackResult('DELETE_COMPLETE', {}) };
    }
    this.previous!.resources = { ...this.current };
    const failures = run.failed.map((f) => `${f.id} (${resources[f.id].type}) DELETE_FAILED: ${f.error.message}`);
    return { stack: this.stackResult('DELETE_FAILED', {}), error: `${this.context.stackName}: ${failures.join('; ')}` };
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
      this.step(before ? 'update' : 'create', logicalId, resource.Type, `${status}: ${(e as Error).message}`);
      this.record(logicalId, resource.Type, status, {}, before?.physicalId, (e as Error).message);
      throw e;
    }
    const base = {
      type: resource.Type,
      properties,
      dependsOn: templateDependencies(this.template, logicalId),
      deletionPolicy: resource.DeletionPolicy,
      updateReplacePolicy: resource.UpdateReplacePolicy,
    };
    if (before && !before.failed && before.type === resource.Type && sameJson(before.properties, properties)) {
      this.current[logicalId] = { ...before, ...base, properties: before.properties };
      this.changes.set(logicalId, { logicalId, kind: 'unchanged', before, after: this.current[logicalId] });
      if (resource.Type === PANORAMA_IMPORT_TYPE) this.step('update', logicalId, resource.Type, 'no change');
      this.record(logicalId, resource.Type, 'NO_CHANGE', before.attributes, before.physicalId);
      return;
    }
    // A changed type, or a Create that failed before, means a new resource that replaces the old one.
    const updating = before !== undefined && before.type === resource.Type && !before.failed;
    const verb = updating ? 'update' : 'create';
    try {
      const provisioned = updating
        ? await this.provision('Update', logicalId, resource.Type, properties, before)
        : await this.provision('Create', logicalId, resource.Type, properties);
      const after: ResourceState = { ...base, ...provisioned };
      this.current[logicalId] = after;
      this.changes.set(logicalId, { logicalId, kind: updating ? 'updated' : 'created', before, after });
      const status = updating ? 'UPDATE_COMPLETE' : 'CREATE_COMPLETE';
      if (isReported(resource.Type)) this.step(verb, logicalId, resource.Type, `${status} physical id ${after.physicalId}`);
      this.record(logicalId, resource.Type, status, after.attributes, after.physicalId);
    } catch (e) {
      const physicalId = e instanceof ResourceFailure ? e.physicalId : undefined;
      const status = updating ? 'UPDATE_FAILED' : 'CREATE_FAILED';
      if (!updating && physicalId) {
        // A failed Create still names a physical resource: rollback (or a later destroy) deletes it.
        this.current[logicalId] = { ...base, physicalId, attributes: {}, failed: true };
      }
      this.changes.set(logicalId, { logicalId, kind: updating ? 'updated' : 'created', before, after: this.current[logicalId] });
      this.step(verb, logicalId, resource.Type, `${status}: ${(e as Error).message}`);
      this.record(logicalId, resource.Type, status, {}, physicalId ?? before?.physicalId, (e as Error).message);
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
    const native = nativeType(type);
    if (requestType === 'Update') return native.update(this.context, logicalId, type, properties, before!);
    const provisioned = await native.create(this.context, logicalId, type, properties);
    if (!native.emulated) this.step('create', logicalId, type, `skipped (not emulated), physical id ${provisioned.physicalId}`);
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
      Object.values(this.current).find(predicate) ?? Object.values(this.previous?.resources ?? {}).find(predicate));
    const delivery = await deliver(binding, request, (step) => this.step(label, logicalId, type, step), this.redeliver?.(request));
    if (delivery.duplicates.length > 0) {
      delivery.duplicates.forEach((d, i) => this.step(label, logicalId, type, `(delivery ${i + 2}) ${d.Status} physical id ${d.PhysicalResourceId} (ignored: CloudFormation acts on the first response)`));
      this.duplicates.set(logicalId, delivery.duplicates);
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
    const record: typeof this.record = (...args) => recorded && this.record(...args);
    if (policy && RETAIN_POLICIES.includes(policy)) {
      this.step(verb, logicalId, resource.type, `DELETE_SKIPPED (${policy})`);
      record(logicalId, resource.type, 'DELETE_SKIPPED', resource.attributes, resource.physicalId);
      return;
    }
    try {
      if (resource.type === PANORAMA_IMPORT_TYPE) {
        await this.sendCustomResourceRequest('Delete', verb, logicalId, resource.type, resource.properties, resource.physicalId);
      } else {
        await nativeType(resource.type).delete(this.context, resource.physicalId, resource.properties);
      }
    } catch (e) {
      this.step(verb, logicalId, resource.type, `DELETE_FAILED: ${(e as Error).message}`);
      record(logicalId, resource.type, 'DELETE_FAILED', resource.attributes, resource.physicalId, (e as Error).message);
      throw e;
    }
    if (isReported(resource.type)) {
      this.step(verb, logicalId, resource.type, `DELETE_COMPLETE physical id ${resource.physicalId}`);
    }
    record(logicalId, resource.type, 'DELETE_COMPLETE', resource.attributes, resource.physicalId);
  }

  /** After every update succeeded: delete replaced physical resources (old properties), then removed ones. */
  private async cleanUp(ids: string[]): Promise<void> {
    for (const change of this.changes.values()) {
      const { before, after } = change;
      if (change.kind === 'unchanged' || !before || !after || before.physicalId === after.physicalId) continue;
      await this.warnOnFailure(() => this.deleteResource('delete (cleanup)', change.logicalId, before, before.updateReplacePolicy ?? 'Delete', false));
    }
    const removed = Object.keys(this.previous?.resources ?? {}).filter((id) => !ids.includes(id));
    const old = this.previous?.resources ?? {};
    const run = await runGraph(removed, reverseDependencies(removed, (id) => old[id].dependsOn), (id) => this.deleteResource('delete', id, old[id]));
    run.failed.forEach((f) => this.warnings.push(`${f.id}: cleanup failed: ${f.error.message}`));
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
        } else if (before && before.type === PANORAMA_IMPORT_TYPE) {
          // The Update back: old and new properties swapped.
          const updated = this.template.Resources[logicalId] ? this.resolvePropertiesSafely(logicalId) : before.properties;
          await this.sendCustomResourceRequest('Update', 'rollback update', logicalId, before.type, before.properties, before.physicalId, updated);
          this.step('rollback update', logicalId, before.type, `UPDATE_COMPLETE physical id ${before.physicalId}`);
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
      this.warnings.push((e as Error).message);
      this.context.log(`${this.context.stackName}: warning: ${(e as Error).message}`);
      return false;
    }
  }

  private resolveProperties(resource: CfnResource): Record<string, unknown> {
    const raw = resource.Properties ?? {};
    try {
      return (resolveIntrinsics(raw, this.intrinsicContext()) ?? {}) as Record<string, unknown>;
    } catch (e) {
      // A type the runner does not emulate only needs its properties for change detection.
      if (!isEmulated(resource.Type)) return raw;
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
        if (!isEmulated(resource.type)) return `${resource.physicalId}.${attribute}`;
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
        this.warnings.push(`Output ${name}: ${(e as Error).message}`);
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

  private step(verb: string, logicalId: string, type: string, step: string): void {
    this.context.log(`${verb} ${logicalId} (${type}): ${step}`);
  }

  private record(
    logicalId: string,
    type: string,
    status: ResourceStatus,
    attributes: Record<string, string>,
    physicalId?: string,
    reason?: string,
  ): void {
    const duplicateResponses = this.duplicates.get(logicalId);
    this.results.set(logicalId, {
      stackName: this.context.stackName,
      logicalId,
      type,
      status,
      physicalId,
      attributes,
      ...(reason ? { reason } : {}),
      ...(duplicateResponses ? { duplicateResponses } : {}),
    });
  }

  private stackState(resources: Record<string, ResourceState>, outputs: Record<string, string>): StackState {
    const { stackName, account, region } = this.context;
    return { stackName, stackId: this.stackId, account, region, resources, outputs };
  }

  private stackResult(status: string, outputs: Record<string, string>): StackResult {
    return {
      stackName: this.context.stackName,
      stackId: this.stackId,
      status,
      resources: [...this.results.values()],
      outputs,
      warnings: this.warnings,
    };
  }
}

/** DependsOn plus every resource the properties refer to. */
function templateDependencies(template: CfnTemplate, logicalId: string): string[] {
  const resource = template.Resources[logicalId];
  const explicit = resource.DependsOn === undefined ? [] : ([] as string[]).concat(resource.DependsOn);
  const referenced = [...referencedNames(resource.Properties ?? {})];
  return [...new Set([...explicit, ...referenced])].filter((id) => id in template.Resources && id !== logicalId);
}

/** Whether the runner really does something for the type (else it only keeps a fake id). */
function isEmulated(type: string): boolean {
  return type === PANORAMA_IMPORT_TYPE || nativeType(type).emulated;
}

function isReported(type: string): boolean {
  return type === PANORAMA_IMPORT_TYPE || nativeType(type).reported;
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
