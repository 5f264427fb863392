/**
 * What the runner reports as it works, in CloudFormation's words: one event per status change of
 * a stack or a resource, as `DescribeStackEvents` lists them and `cdk deploy` prints them.
 */

/** The resource type of a stack's own events. */
export const STACK_TYPE = 'AWS::CloudFormation::Stack';

/** One status change. */
export interface StackEvent {
  readonly timestamp: Date;
  readonly stackName: string;
  /** The resource's logical id; the stack's name for the stack's own events. */
  readonly logicalId: string;
  readonly resourceType: string;
  /** CloudFormation's ResourceStatus: CREATE_IN_PROGRESS, UPDATE_COMPLETE, DELETE_FAILED, … */
  readonly status: string;
  readonly physicalId?: string;
  /** Why it failed or was skipped, on one line. */
  readonly reason?: string;
  /** The construct path (`aws:cdk:path` metadata, without the stack's name) when the template has it. */
  readonly constructPath?: string;
  /**
   * True for a type the runner only records (IAM, logs, Lambda functions, state machines…): its
   * status changes, but nothing was created in an emulator. False for the stack itself, buckets,
   * and the resources handlers or emulators really act on.
   */
  readonly recordedOnly: boolean;
}

/** Receives each event as it happens. */
export type StackEventSink = (event: StackEvent) => void;
