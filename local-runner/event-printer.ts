/**
 * What `panorama-local` prints, in the shape `cdk deploy` and `cdk destroy` print it: one line per
 * stack or resource event, a summary per stack, and every stack output as `Stack.OutputKey = value`.
 */
import type { StackResult } from './results';
import { STACK_TYPE, StackEvent } from './stack-events';

/** CloudFormation statuses are at most this long in cdk's column. */
const STATUS_WIDTH = 20;
/** Wide enough for Custom::PanoramaPackageImport and AWS::CloudFormation::Stack. */
const TYPE_WIDTH = 29;

/**
 * The type column's width for events of these types, as cdk sizes it to its stack's longest type:
 * at least {@link TYPE_WIDTH}, more for a longer type (AWS::Panorama::ApplicationInstance).
 */
export function typeColumnWidth(types: Iterable<string>): number {
  return Math.max(TYPE_WIDTH, ...[...types].map((type) => type.length));
}

/** One event as `cdk deploy` prints it: `Stack | time | STATUS | Type | path (LogicalId) reason`. */
export function formatEvent(event: StackEvent, typeWidth = TYPE_WIDTH): string {
  const time = event.timestamp.toTimeString().slice(0, 8);
  const resource = event.resourceType === STACK_TYPE
    ? event.stackName
    : event.constructPath ? `${event.constructPath} (${event.logicalId})` : event.logicalId;
  const reason = event.reason ? ` ${event.reason}` : '';
  return `${event.stackName} | ${time} | ${event.status.padEnd(STATUS_WIDTH)} | ${event.resourceType.padEnd(typeWidth)} | ${resource}${reason}`;
}

/** `Stack.OutputKey = value`, one line per output, stacks in the given order. */
export function formatOutputs(stacks: ReadonlyArray<Pick<StackResult, 'stackName' | 'outputs'>>): string[] {
  return stacks.flatMap((stack) => Object.entries(stack.outputs).map(([key, value]) => `${stack.stackName}.${key} = ${value}`));
}

/**
 * Prints events as they come. Types the runner only records (IAM, logs, functions…) are counted
 * and summed up in one line per stack, unless `verbose`, which prints every event.
 */
export class EventPrinter {
  /** Per stack, per type, the logical ids of recorded-only resources that changed. */
  private readonly recordedOnly = new Map<string, Map<string, Set<string>>>();

  /** `typeWidth`: the type column's width (see {@link typeColumnWidth}). */
  constructor(private readonly print: (line: string) => void, private readonly verbose: boolean, private readonly typeWidth = TYPE_WIDTH) {}

  /** Receives one event (pass as `LocalDeployerOptions.events`). */
  readonly event = (event: StackEvent): void => {
    // A failure is always printed, whatever the type.
    if (event.recordedOnly && !this.verbose && !event.status.endsWith('_FAILED')) {
      if (event.status.endsWith('_COMPLETE')) {
        const byType = this.recordedOnly.get(event.stackName) ?? new Map<string, Set<string>>();
        byType.set(event.resourceType, (byType.get(event.resourceType) ?? new Set()).add(event.logicalId));
        this.recordedOnly.set(event.stackName, byType);
      }
      return;
    }
    this.print(formatEvent(event, this.typeWidth));
  };

  /** The line that sums up the recorded-only resources of a stack (then forgets them), if any. */
  recordedOnlySummary(stackName: string): string | undefined {
    const byType = this.recordedOnly.get(stackName);
    this.recordedOnly.delete(stackName);
    if (!byType || byType.size === 0) return undefined;
    const counts = new Map([...byType].map(([type, ids]) => [type, ids.size]));
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    const listed = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([type, n]) => `${n} ${type}`).join(', ');
    return `${stackName} | not shown: ${total} resource(s) that the local runner records without emulating them (${listed}); --verbose shows them`;
  }
}
