/**
 * What one stack session tells as it works: CloudFormation's stack events (to the events sink),
 * progress lines (to the log), and each resource's result and the warnings, gathered into the
 * StackResult the deployer returns. The session (stack-session.ts) does the work; this keeps its account.
 */
import type { ResourceResult, ResourceStatus, StackResult } from './deployer';
import { Logger } from './logger';
import { CustomResourceResponse } from './provider-framework';
import { STACK_TYPE, StackEventSink } from './stack-events';

/** The stack being reported on, and what the report needs to know of its resources. */
export interface ReportedStack {
  readonly stackName: string;
  readonly stackId: string;
  readonly log: Logger;
  readonly events?: StackEventSink;
  /** Whether a type's status changes are worth a line to a person (else its events are marked recorded-only). */
  isReported(type: string): boolean;
  /** The resource's construct path (`aws:cdk:path`), when known. */
  constructPath(logicalId: string): unknown;
}

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

  /** One stack event (see StackEvent); the reason kept on one line. */
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
      ...(typeof constructPath === 'string' ? { constructPath: withoutStack(constructPath) } : {}),
      recordedOnly: type !== STACK_TYPE && !this.stack.isReported(type),
    });
  }

  /** One progress line: `<verb> <logicalId> (<type>): <step>`. */
  step(verb: string, logicalId: string, type: string, step: string): void {
    this.stack.log(`${verb} ${logicalId} (${type}): ${step}`);
  }

  /** The resource's result as it stands now (the last one recorded wins). */
  record(
    logicalId: string,
    type: string,
    status: ResourceStatus,
    attributes: Record<string, string>,
    physicalId?: string,
    reason?: string,
  ): void {
    const duplicateResponses = this.duplicates.get(logicalId);
    this.results.set(logicalId, {
      stackName: this.stack.stackName,
      logicalId,
      type,
      status,
      physicalId,
      attributes,
      ...(reason ? { reason } : {}),
      ...(duplicateResponses ? { duplicateResponses } : {}),
    });
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

/** `Stack/Model/Resource/Default` → `Model/Resource/Default`, as `cdk deploy` shows it. */
function withoutStack(constructPath: string): string {
  const slash = constructPath.indexOf('/');
  return slash < 0 ? constructPath : constructPath.slice(slash + 1);
}
