import { InjectedFault } from './errors';
import { injectableErrors } from './operation-errors';
import { OperationName, OPERATIONS } from './routes';

/** What the next import jobs (or deployments, or removals) do instead of (or as well as) their real work. */
export type JobOutcome = 'succeed' | 'fail' | 'pending';

/** The decision for one job. */
export interface JobOutcomeDecision {
  readonly outcome: JobOutcome;
  readonly message?: string;
}

interface PendingFailure {
  remaining: number;
  readonly fault: InjectedFault;
}

interface OutcomeRule {
  readonly outcome: JobOutcome;
  readonly message?: string;
  /** Undefined: every following one. */
  remaining?: number;
}

/** The work whose outcome a test may force: import jobs, deployments of application instances, their removals. */
export type OutcomeKind = 'import job' | 'node job' | 'deployment' | 'removal';

/** Faults a test has asked for: failing calls, added latency, forced outcomes of jobs, deployments and removals. */
export class FaultPlan {
  private readonly failures = new Map<string, PendingFailure[]>();
  private readonly latencies = new Map<string, number>();
  private readonly outcomeRules = new Map<OutcomeKind, OutcomeRule>();

  /**
   * Makes the next `count` calls of an operation fail with the given error, which must be one the
   * model lists for that operation, or ThrottlingException.
   */
  failNext(operation: string, count: number, fault: InjectedFault): void {
    assertOperation(operation);
    if (!injectableErrors(operation).includes(fault.errorType)) {
      // A test that injects what the service cannot answer would prove nothing about real behaviour.
      throw new Error(`${operation} cannot answer ${fault.errorType}: inject one of ${injectableErrors(operation).join(', ')} (the errors the Panorama model lists for it, and throttling)`);
    }
    if (!Number.isInteger(count) || count < 1) throw new Error(`count must be a positive integer, got ${count}`);
    const queue = this.failures.get(operation) ?? [];
    queue.push({ remaining: count, fault });
    this.failures.set(operation, queue);
  }

  /** The fault to apply to this call of the operation, if any; consumes it. */
  takeFailure(operation: string): InjectedFault | undefined {
    const queue = this.failures.get(operation);
    const next = queue?.[0];
    if (!queue || !next) return undefined;
    next.remaining -= 1;
    if (next.remaining === 0) queue.shift();
    return next.fault;
  }

  /** Delays every call of an operation (or of all, with '*') by `ms`; 0 removes it. */
  addLatency(operation: string, ms: number): void {
    if (operation !== '*') assertOperation(operation);
    if (!(ms >= 0)) throw new Error(`latency must be a non-negative number of ms, got ${ms}`);
    this.latencies.set(operation, ms);
  }

  latencyOf(operation: string): number {
    return (this.latencies.get('*') ?? 0) + (this.latencies.get(operation) ?? 0);
  }

  /** Forces the outcome of the next `count` jobs, or of all following jobs when count is omitted. */
  setJobOutcome(outcome: JobOutcome, options: { message?: string; count?: number } = {}): void {
    this.setOutcome('import job', outcome, options);
  }

  /** Decides the outcome of a newly created job; consumes one use of a counted rule. */
  takeJobOutcome(): JobOutcomeDecision {
    return this.takeOutcome('import job');
  }

  /**
   * Forces the outcome of the next `count` deployments or removals of application instances (or
   * of all following ones when count is omitted): 'fail' ends them in DEPLOYMENT_FAILED or
   * REMOVAL_FAILED with `message` as StatusDescription, 'pending' holds them IN_PROGRESS.
   */
  setOutcome(kind: OutcomeKind, outcome: JobOutcome, options: { message?: string; count?: number } = {}): void {
    if (options.count !== undefined && (!Number.isInteger(options.count) || options.count < 1)) {
      throw new Error(`count must be a positive integer, got ${options.count}`);
    }
    if (outcome === 'succeed' && options.count === undefined) this.outcomeRules.delete(kind);
    else this.outcomeRules.set(kind, { outcome, message: options.message, remaining: options.count });
  }

  /** Decides the outcome of a new job, deployment or removal; consumes one use of a counted rule. */
  takeOutcome(kind: OutcomeKind): JobOutcomeDecision {
    const rule = this.outcomeRules.get(kind);
    if (!rule) return { outcome: 'succeed' };
    if (rule.remaining !== undefined) {
      rule.remaining -= 1;
      if (rule.remaining === 0) this.outcomeRules.delete(kind);
    }
    return { outcome: rule.outcome, message: rule.message };
  }

  clear(): void {
    this.failures.clear();
    this.latencies.clear();
    this.outcomeRules.clear();
  }
}

function assertOperation(operation: string): asserts operation is OperationName {
  // A typo would otherwise make a test pass without ever injecting anything.
  if (!(OPERATIONS as readonly string[]).includes(operation)) {
    throw new Error(`Unknown operation ${operation}; use one of ${OPERATIONS.join(', ')}`);
  }
}
