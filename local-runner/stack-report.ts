/**
 * What one stack session tells as it works: CloudFormation's stack events (to the events sink),
 * progress lines (to the log), and each resource's result and the warnings, gathered into the
 * StackResult the deployer returns. A resource's outcome is one call ({@link StackReport.outcome}),
 * from which its line, its event and its result all follow, so they cannot disagree.
 */
import { Logger } from './logger';
import type { CustomResourceResponse } from './provider-framework';
import type { ResourceType } from './resource-type';
import type { ResourceResult, ResourceStatus, StackResult } from './results';
import { STACK_TYPE, StackEventSink } from './stack-events';

/** The stack being reported on, and what the report needs to know of its resources. */
export interface ReportedStack {
  readonly stackName: string;
  readonly stackId: string;
  readonly log: Logger;
  readonly events?: StackEventSink;
  /** The stack's path in the app (`Dev/MyStack` in a Stage), which construct paths start with. @default its first segment */
  readonly stackPath?: string;
  /** How the runner treats a type: whether its events and lines are shown, and whether "no change" is traced. */
  typeOf(type: string): Pick<ResourceType, 'reported' | 'tracesUnchanged'>;
  /** The resource's construct path (`aws:cdk:path`), when known. */
  constructPath(logicalId: string): unknown;
}

/** What became of one resource in one operation. */
export interface ResourceOutcome {
  /** The operation, as the progress line names it: `create`, `delete (cleanup)`, `rollback update`… */
  readonly verb: string;
  readonly logicalId: string;
  readonly type: string;
  readonly status: ResourceStatus;
  readonly physicalId?: string;
  /** The resource's attributes, kept in its result. @default none */
  readonly attributes?: Record<string, string>;
  /** Why it failed: in the line, the event and the result. */
  readonly error?: string;
  /** The DeletionPolicy (or UpdateReplacePolicy) that retained it (DELETE_SKIPPED). */
  readonly retainedBy?: string;
  /** The event's reason when nothing failed (the cleanup's "the replaced physical resource …"). */
  readonly note?: string;
  /**
   * False when the status is not the resource's own (a replaced physical resource's deletion, the
   * rollback's work): a line and an event, no result. @default true
   */
  readonly recorded?: boolean;
}

/** Statuses that are a result only: no event (nothing happened), at most a line. */
const QUIET = new Set<ResourceStatus>(['NO_CHANGE', 'NOT_STARTED']);

/** The account of one stack session: events, progress lines, results and warnings. */
export class StackReport {
  private readonly results = new Map<string, ResourceResult>();
  private readonly warnings: string[] = [];
  private readonly duplicates = new Map<string, CustomResourceResponse[]>();
  /** Whether the stack's IN_PROGRESS event was sent: only once something changes, as without a change set there is none. */
  private started = false;

  constructor(private readonly stack: ReportedStack) {}

  /** Whether the stack's IN_PROGRESS event was sent, that is, whether anything changed. */
  get begun(): boolean {
    return this.started;
  }

  /** Sends the stack's IN_PROGRESS event (`status`) before its first change; later calls do nothing. */
  begin(status: string): void {
    if (this.started) return;
    this.started = true;
    this.stackEvent(status);
  }

  stackEvent(status: string, reason?: string): void {
    this.emit(this.stack.stackName, STACK_TYPE, status, { physicalId: this.stack.stackId, reason });
  }

  /** One stack event (see StackEvent); the reason kept on one line. Outcomes go through {@link outcome}. */
  emit(logicalId: string, type: string, status: string, details: { physicalId?: string; reason?: string } = {}): void {
    if (!this.stack.events) return;
    const constructPath = this.stack.constructPath(logicalId);
    this.stack.events({
      timestamp: new Date(),
      stackName: this.stack.stackName,
      logicalId,
      resourceType: type,
      status,
      ...(details.physicalId !== undefined ? { physicalId: details.physicalId } : {}),
      ...(details.reason !== undefined ? { reason: details.reason.replace(/\s*\n\s*/g, ' ') } : {}),
      ...(typeof constructPath === 'string' ? { constructPath: withoutStack(constructPath, this.stack.stackPath) } : {}),
      recordedOnly: type !== STACK_TYPE && !this.stack.typeOf(type).reported,
    });
  }

  /** One progress line: `<verb> <logicalId> (<type>): <step>`. */
  step(verb: string, logicalId: string, type: string, step: string): void {
    this.stack.log(`${verb} ${logicalId} (${type}): ${step}`);
  }

  /** One resource's outcome: its progress line, its stack event and (unless not `recorded`) its result. */
  outcome(outcome: ResourceOutcome): void {
    const { verb, logicalId, type, status, physicalId, error } = outcome;
    const line = this.lineOf(outcome);
    if (line !== undefined) this.step(verb, logicalId, type, line);
    if (!QUIET.has(status)) {
      const reason = error ?? (outcome.retainedBy !== undefined ? `DeletionPolicy ${outcome.retainedBy}` : outcome.note);
      this.emit(logicalId, type, status, { physicalId, reason });
    }
    if (outcome.recorded === false) return;
    const duplicateResponses = this.duplicates.get(logicalId);
    this.results.set(logicalId, {
      stackName: this.stack.stackName,
      logicalId,
      type,
      status,
      physicalId,
      attributes: outcome.attributes ?? {},
      ...(error ? { reason: error } : {}),
      ...(duplicateResponses ? { duplicateResponses } : {}),
    });
  }

  /** The progress line of an outcome: every failure and retention; a success or "no change" only where the type is traced. */
  private lineOf({ type, status, physicalId, error, retainedBy }: ResourceOutcome): string | undefined {
    if (error !== undefined) return `${status}: ${error}`;
    if (retainedBy !== undefined) return `${status} (${retainedBy})`;
    if (status === 'NOT_STARTED') return undefined;
    if (status === 'NO_CHANGE') return this.stack.typeOf(type).tracesUnchanged ? 'no change' : undefined;
    return this.stack.typeOf(type).reported ? `${status} physical id ${physicalId}` : undefined;
  }

  /** The status last recorded for a resource. */
  statusOf(logicalId: string): ResourceStatus | undefined {
    return this.results.get(logicalId)?.status;
  }

  /** The responses of a request delivered more than once, kept on the resource's result. */
  recordDuplicates(logicalId: string, responses: CustomResourceResponse[]): void {
    this.duplicates.set(logicalId, responses);
  }

  /** A failure CloudFormation would only warn about (cleanup, rollback): logged, and kept in the result. */
  warn(message: string): void {
    this.addWarning(message);
    this.stack.log(`${this.stack.stackName}: warning: ${message}`);
  }

  /** A warning kept in the result, not logged. */
  addWarning(message: string): void {
    this.warnings.push(message);
  }

  /** The stack's result: `changed` once anything was begun. */
  result(status: string, outputs: Record<string, string>): StackResult {
    return {
      stackName: this.stack.stackName,
      stackId: this.stack.stackId,
      status,
      changed: this.started,
      resources: [...this.results.values()],
      outputs,
      warnings: this.warnings,
    };
  }
}

/** `Stack/Model/Resource/Default` → `Model/Resource/Default` (`Dev/Stack/Model/…` likewise in a Stage), as `cdk deploy` shows it. */
function withoutStack(constructPath: string, stackPath: string | undefined): string {
  if (stackPath !== undefined && constructPath.startsWith(`${stackPath}/`)) return constructPath.slice(stackPath.length + 1);
  const slash = constructPath.indexOf('/');
  return slash < 0 ? constructPath : constructPath.slice(slash + 1);
}
