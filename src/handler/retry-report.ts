/**
 * The SDK middleware that reports every call it retried: the attempts and the waits its retry
 * strategy decided, so a throttled deployment says so in its logs (and tests can check the decided
 * backoff, not a clock). The handlers log it as a step; the local runner's native types print it.
 */

/** One call that needed more than one attempt. */
export interface RetriedCall {
  /** The operation, e.g. `CreatePackageImportJob`. */
  readonly operation?: string;
  readonly attempts?: number;
  /** The sum of the waits the retry strategy decided between the attempts, in ms. */
  readonly retryDelayMs?: number;
  /** The error's name, when the call failed after its last attempt. */
  readonly error?: string;
}

/** Where the middleware goes: outermost, so it sees a call once, after every attempt the retry strategy made. */
export const REPORT_RETRIES = { step: 'initialize', name: 'reportRetries' } as const;

interface RetryMetadata {
  readonly attempts?: number;
  readonly totalRetryDelay?: number;
}

/** A middleware for `client.middlewareStack.add(…, REPORT_RETRIES)` that hands each retried call to `report`. */
export function retryReporter(report: (call: RetriedCall) => void) {
  const reportIfRetried = (command: string | undefined, metadata: RetryMetadata | undefined, error?: string): void => {
    if ((metadata?.attempts ?? 1) <= 1) return;
    report({ operation: command?.replace(/Command$/, ''), attempts: metadata!.attempts, retryDelayMs: metadata!.totalRetryDelay, error });
  };
  return (next: (args: any) => Promise<any>, context: { commandName?: string }) => async (args: any): Promise<any> => {
    try {
      const result = await next(args);
      reportIfRetried(context.commandName, result.output?.$metadata);
      return result;
    } catch (e) {
      reportIfRetried(context.commandName, (e as { $metadata?: RetryMetadata }).$metadata, (e as Error).name);
      throw e;
    }
  };
}
