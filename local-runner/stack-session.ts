/**
 * One stack's deployment or destruction, as CloudFormation runs it: independent resources run
 * concurrently (graph.ts); each is applied (resource-apply.ts) or deleted (resource-deletion.ts)
 * through its type; a successful update is cleaned up (cleanup.ts), a failed one rolled back
 * (rollback.ts); the state then records what exists. Every outcome goes to the session's
 * StackReport (stack-report.ts).
 */
import { publishFileAssets } from './asset-publisher';
import { newStackId } from './cfn-events';
import { cleanUp, deleteLeftovers } from './cleanup';
import type { DeployOptions } from './deploy-options';
import { orderByDependencies, reverseDependencies, runGraph } from './graph';
import { applyResource } from './resource-apply';
import { deleteResource } from './resource-deletion';
import { locateUnidentified } from './resource-recovery';
import type { StackResult } from './results';
import { rollBack } from './rollback';
import { SessionContext, StackWork } from './stack-work';
import { CfnTemplate, checkSupported, templateDependencies } from './template';
import { resolveOutputs } from './template-resolution';

/** How a session ended: the stack's result, and the error when it failed. */
export interface SessionResult {
  readonly stack: StackResult;
  readonly error?: string;
}

/** One stack's deployment or destruction. */
export class StackSession {
  private readonly work: StackWork;

  constructor(private readonly context: SessionContext) {
    this.work = new StackWork(context, () => newStackId(context.partition, context.region, context.account, context.stackName));
  }

  get region(): string {
    return this.context.region;
  }

  async deploy(template: CfnTemplate, options: DeployOptions): Promise<SessionResult> {
    const { work, context } = this;
    const { previous, report } = work;
    work.template = template;
    work.redeliver = options.redeliver;
    work.signal = options.signal;
    checkSupported(template);
    await this.recover();
    const { account: accountId, region, partition } = context;
    const assets = await publishFileAssets(context.s3, context.assets, { accountId, region, partition });
    context.log(`${context.stackName}: assets: ${assets.uploaded.length} uploaded, ${assets.alreadyPresent.length} already present, `
      + `${assets.notPublished.length} directory assets not published (the runner loads handler code from the assembly)`);

    const ids = Object.keys(template.Resources);
    const dependencies = (id: string) => templateDependencies(template, id);
    orderByDependencies(ids, dependencies);
    // A new stack is created even when it is empty; an existing one only changes when a resource does.
    if (!previous) work.begin();
    const run = await runGraph(ids, dependencies, (id) => applyResource(work, id), () => work.cancelled);
    run.notStarted.forEach((id) => report.outcome({ verb: 'deploy', logicalId: id, type: template.Resources[id].Type, status: 'NOT_STARTED' }));

    if (run.failed.length === 0 && run.notStarted.length === 0) {
      for (const failure of await deleteLeftovers(work)) report.warn(`cleanup failed: ${failure}`);
      await cleanUp(work, ids);
      const outputs = resolveOutputs(work);
      context.state.stacks[context.stackName] = work.stackState(work.current, outputs);
      this.logAttributes();
      const status = previous ? 'UPDATE_COMPLETE' : 'CREATE_COMPLETE';
      if (report.begun) report.stackEvent(status);
      return { stack: report.result(status, outputs) };
    }

    const failures = run.failed.map((f) => `${f.id} (${template.Resources[f.id].Type}) ${report.statusOf(f.id) ?? 'FAILED'}: ${f.error.message}`);
    if (work.cancelled) failures.push(`deployment cancelled${run.notStarted.length > 0 ? `, ${run.notStarted.length} resource(s) not started` : ''}`);
    const error = `${context.stackName}: ${failures.join('; ')}`;
    const why = work.cancelled ? 'Cancelled by the user' : `The following resource(s) failed: [${run.failed.map((f) => f.id).join(', ')}]`;
    if (options.rollback === false) {
      // As after `cdk deploy --no-rollback`: what was deployed stays, failed creates included.
      const resources = { ...previous?.resources, ...work.current };
      context.state.stacks[context.stackName] = work.stackState(resources, previous?.outputs ?? {});
      const status = previous ? 'UPDATE_FAILED' : 'CREATE_FAILED';
      report.stackEvent(status, `${why}. Rollback disabled.`);
      return { stack: report.result(status, {}), error };
    }
    report.stackEvent(previous ? 'UPDATE_ROLLBACK_IN_PROGRESS' : 'ROLLBACK_IN_PROGRESS', `${why}.`);
    const rolledBack = await rollBack(work);
    for (const failure of await deleteLeftovers(work)) report.warn(`cleanup failed: ${failure}`);
    if (previous) context.state.stacks[context.stackName] = { ...previous, resources: { ...previous.resources } };
    else delete context.state.stacks[context.stackName];
    const status = previous ? (rolledBack ? 'UPDATE_ROLLBACK_COMPLETE' : 'UPDATE_ROLLBACK_FAILED') : (rolledBack ? 'ROLLBACK_COMPLETE' : 'ROLLBACK_FAILED');
    report.stackEvent(status);
    return { stack: report.result(status, previous?.outputs ?? {}), error: `${error} (${status})` };
  }

  async destroy(signal?: AbortSignal): Promise<SessionResult> {
    const { work, context } = this;
    const { report } = work;
    const previous = work.previous!;
    work.signal = signal;
    work.destroying = true;
    await this.recover();
    report.begin('DELETE_IN_PROGRESS');
    const leftoverFailures = await deleteLeftovers(work);
    const resources = previous.resources;
    Object.assign(work.current, resources);
    const ids = Object.keys(resources);
    // A resource's own dependencies, and every resource of a type its type depends on (an instance: every import).
    const dependencies = (id: string) => {
      const types = work.typeOf(resources[id].type).dependsOnTypes ?? [];
      return [...resources[id].dependsOn, ...ids.filter((other) => types.includes(resources[other].type))];
    };
    const run = await runGraph(ids, reverseDependencies(ids, dependencies), async (id) => {
      await deleteResource(work, 'delete', id, resources[id]);
      delete work.current[id];
      // As far as it can: a failure stops only what waits for it, and every failure is named at the end.
    }, () => work.cancelled, { continueAfterFailure: true });
    run.notStarted.forEach((id) => report.outcome({ verb: 'delete', logicalId: id, type: resources[id].type, status: 'NOT_STARTED', physicalId: resources[id].physicalId }));
    if (run.failed.length === 0 && run.notStarted.length === 0 && leftoverFailures.length === 0) {
      delete context.state.stacks[context.stackName];
      report.stackEvent('DELETE_COMPLETE');
      return { stack: report.result('DELETE_COMPLETE', {}) };
    }
    previous.resources = { ...work.current };
    const failures = [
      ...leftoverFailures.map((failure) => `DELETE_FAILED ${failure}`),
      ...run.failed.map((f) => `${f.id} ${resources[f.id].physicalId} (${resources[f.id].type}) DELETE_FAILED: ${f.error.message}`),
    ];
    const waiting = (work.cancelled ? [] : run.notStarted).map((id) => `${id} ${resources[id].physicalId} (${resources[id].type})`);
    if (waiting.length > 0) failures.push(`not deleted, as they are used by what could not be deleted: ${waiting.join(', ')}`);
    if (work.cancelled) failures.push(`destroy cancelled${run.notStarted.length > 0 ? `, ${run.notStarted.length} resource(s) left` : ''}`);
    report.stackEvent('DELETE_FAILED', work.cancelled ? 'Cancelled by the user.' : `The following resource(s) failed to delete: [${run.failed.map((f) => f.id).join(', ')}].`);
    return { stack: report.result('DELETE_FAILED', {}), error: `${context.stackName}: ${failures.join('; ')}` };
  }

  /** What an interrupted command started but never named: its type may find it (an instance by device, name and payload). */
  private async recover(): Promise<void> {
    const { work } = this;
    if (!work.recovered) return;
    this.context.log(`${this.context.stackName}: recovering what an interrupted command left (${Object.keys(work.recovered.entry.resources).length} resource(s) made, `
      + `${Object.keys(work.recovered.entry.intents).length} under way)`);
    await locateUnidentified(work.recovered, (type) => work.typeOf(type), (logicalId, type) => work.operation('recover', logicalId, type), this.context.log);
  }

  /** The attributes each type asks to log (an import's PackageArn and StorageLocation), once the stack deployed. */
  private logAttributes(): void {
    for (const [logicalId, resource] of Object.entries(this.work.current)) {
      const keys = this.work.typeOf(resource.type).loggedAttributes?.(resource.attributes) ?? [];
      for (const key of keys) this.context.log(`${this.context.stackName} ${logicalId} ${key} = ${resource.attributes[key]}`);
    }
  }
}
