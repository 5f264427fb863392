/**
 * What the parts of one stack session share: where the stack goes, what it held before, what this
 * session did so far, and its report. The session (stack-session.ts) makes one; applying changes,
 * deleting, cleaning up, rolling back and resolving the template all work on it.
 */
import type { RedeliveryPolicy } from './custom-resources';
import type { Journal, SessionIdentity } from './journal';
import { Logger } from './logger';
import { Leftover, RecoveredStack, recoverStack } from './resource-recovery';
import type { ResourceType, StackEnvironment, TypeContext } from './resource-type';
import { resourceType } from './resource-types';
import { StackEventSink } from './stack-events';
import { StackReport } from './stack-report';
import { ResourceState, RunnerState, StackState } from './state';
import type { CfnTemplate } from './template';

/** Where a session works, and what it reports to. */
export interface SessionContext extends StackEnvironment {
  readonly state: RunnerState;
  readonly log: Logger;
  readonly events?: StackEventSink;
  readonly types: Readonly<Record<string, ResourceType>>;
  /** Intents written before each side effect, and what an interrupted command left. */
  readonly journal: Journal;
  /** The stack's path in the app (`Dev/PanoramaStack` in a Stage), kept in the state so `destroy` selects it as `deploy` did. */
  readonly hierarchicalId?: string;
}

/** What one resource operation did, for rollback and cleanup. */
export interface Change {
  readonly logicalId: string;
  readonly kind: 'created' | 'updated' | 'unchanged';
  readonly before?: ResourceState;
  readonly after?: ResourceState;
}

/** The shared state of one stack session. */
export class StackWork {
  /** The stack as the last deployment left it (with what an interrupted command made); undefined for a new stack. */
  readonly previous?: StackState;
  /** What an interrupted command left, when it did. */
  readonly recovered?: RecoveredStack;
  readonly stackId: string;
  /** The resources as deployed so far in this session; what Ref and GetAtt read. */
  readonly current: Record<string, ResourceState> = {};
  readonly changes = new Map<string, Change>();
  /** The events, progress lines, results and warnings of this session. */
  readonly report: StackReport;
  template: CfnTemplate = { Resources: {} };
  redeliver?: RedeliveryPolicy;
  /** Aborts a deployment: nothing new starts, waits stop, and the stack rolls back. */
  signal?: AbortSignal;
  /** The session destroys the whole stack: none of its resources stays to use another. */
  destroying = false;

  constructor(readonly context: SessionContext, newStackId: () => string) {
    this.recovered = recoverStack(context.state, context.journal, context.stackName);
    this.previous = this.recovered?.stack ?? context.state.stacks[context.stackName];
    this.stackId = this.previous?.stackId ?? newStackId();
    this.report = new StackReport({
      stackName: context.stackName,
      stackId: this.stackId,
      log: context.log,
      events: context.events,
      stackPath: context.hierarchicalId,
      typeOf: (type) => this.typeOf(type),
      constructPath: (logicalId) => this.template.Resources[logicalId]?.Metadata?.['aws:cdk:path'] ?? this.previous?.resources[logicalId]?.constructPath,
    });
  }

  /** Older physical resources that an interrupted command replaced: deleted once the session is done with them. */
  get leftovers(): Leftover[] {
    return this.recovered?.leftovers ?? [];
  }

  /** Who writes to the journal: this session. */
  get identity(): SessionIdentity {
    const { account, region, hierarchicalId } = this.context;
    return { stackId: this.stackId, account, region, hierarchicalId };
  }

  get cancelled(): boolean {
    return this.signal?.aborted ?? false;
  }

  typeOf(type: string): ResourceType {
    return resourceType(type, this.context.types);
  }

  /** Sends the stack's IN_PROGRESS event before its first change. */
  begin(): void {
    this.report.begin(this.previous ? 'UPDATE_IN_PROGRESS' : 'CREATE_IN_PROGRESS');
  }

  /**
   * The context of one operation on a resource. `signal` only for the deployment's own Create and
   * Update: deletes and rollbacks run to their end.
   */
  operation(verb: string, logicalId: string, type: string, signal?: AbortSignal): TypeContext {
    return {
      ...this.context,
      stackId: this.stackId,
      redeliver: this.redeliver,
      signal,
      operation: {
        verb,
        logicalId,
        resourceType: type,
        step: (text) => this.report.step(verb, logicalId, type, text),
        recordDuplicates: (responses) => this.report.recordDuplicates(logicalId, responses),
        started: (physicalId) => this.context.journal.identify(this.context.stackName, logicalId, physicalId),
      },
      reserveName: (make) => this.context.journal.reserveName(this.context.stackName, this.identity, logicalId, make),
      findResource: (predicate) => Object.values(this.current).find(predicate) ?? Object.values(this.previous?.resources ?? {}).find(predicate),
    };
  }

  /** The stack as the state keeps it. */
  stackState(resources: Record<string, ResourceState>, outputs: Record<string, string>): StackState {
    const { stackName, account, region, hierarchicalId } = this.context;
    return { stackName, ...(hierarchicalId !== undefined ? { hierarchicalId } : {}), stackId: this.stackId, account, region, resources, outputs };
  }
}
