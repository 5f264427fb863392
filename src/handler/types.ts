/**
 * The Provider framework's contract with a user handler (aws-cdk-lib custom-resources), restated
 * here so the bundle does not import aws-cdk-lib.
 */
export interface FrameworkEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly ResourceType: string;
  readonly ResponseURL?: string;
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: Record<string, unknown>;
  readonly OldResourceProperties?: Record<string, unknown>;
  /** Whatever onEvent returned in `Data`, handed to isComplete. */
  readonly Data?: Record<string, string>;
}

/** What onEvent returns. */
export interface OnEventResult {
  readonly PhysicalResourceId?: string;
  readonly Data?: Record<string, string>;
}

/** What isComplete returns. */
export interface IsCompleteResult {
  readonly IsComplete: boolean;
  readonly PhysicalResourceId?: string;
  readonly Data?: Record<string, string>;
}

/** The key under which onEvent hands the job it started to isComplete (in `Data`). */
export const PENDING_JOB_ID = 'PendingJobId';

/**
 * The key under which onEvent hands isComplete the time (epoch ms, as text) it read the job it
 * started as PENDING; absent when it did not (the read failed, or the job had already ended).
 */
export const PENDING_JOB_READ_AT = 'PendingJobReadAt';
