import { PanoramaClient } from '@aws-sdk/client-panorama';
import { S3Client } from '@aws-sdk/client-s3';
import { logStep } from './log';

/**
 * Throttling and 5xx are retried by the SDK's standard strategy: exponential backoff with full
 * jitter capped at 20 s, a one-second base for throttling (Panorama allows one write a second) and
 * Retry-After honoured. S3 and isComplete's reads use this many attempts (at most ~1.5 min).
 */
export const MAX_ATTEMPTS = 10;

/**
 * onEvent's writes get more: every import of a stack starts at once and Panorama admits one write
 * a second, so fifty imports queue for a minute or more. 25 attempts wait at most ~8 minutes,
 * well inside onEvent's 15-minute timeout.
 */
export const WRITE_ATTEMPTS = 25;

/**
 * Clients are made per invocation: endpoints come from the standard environment
 * (AWS_ENDPOINT_URL_PANORAMA, AWS_ENDPOINT_URL_S3), which the local runner sets per deployment.
 */
export function panoramaClient(maxAttempts = MAX_ATTEMPTS): PanoramaClient {
  const client = new PanoramaClient({ maxAttempts, retryMode: 'standard' });
  client.middlewareStack.add(logRetries, LOG_RETRIES);
  return client;
}

/** The S3 client for staging copies and for reading a bucket source's manifest. */
export function s3Client(): S3Client {
  const client = new S3Client({ maxAttempts: MAX_ATTEMPTS, retryMode: 'standard' });
  client.middlewareStack.add(logRetries, LOG_RETRIES);
  return client;
}

/** Outermost, so it sees a call once, after every attempt the retry strategy made. */
const LOG_RETRIES = { step: 'initialize', name: 'logRetries' } as const;

interface RetryMetadata {
  readonly attempts?: number;
  /** The sum of the waits the retry strategy decided between the attempts, in ms. */
  readonly totalRetryDelay?: number;
}

/**
 * Logs every call that was retried: the attempts and the waits the SDK's strategy decided, so a
 * throttled deployment says so in its logs (and tests can check the decided backoff, not a clock).
 */
function logRetries(next: (args: any) => Promise<any>, context: { commandName?: string }): (args: any) => Promise<any> {
  return async (args) => {
    try {
      const result = await next(args);
      logIfRetried(context.commandName, result.output?.$metadata);
      return result;
    } catch (e) {
      logIfRetried(context.commandName, (e as { $metadata?: RetryMetadata }).$metadata, (e as Error).name);
      throw e;
    }
  };
}

function logIfRetried(command: string | undefined, metadata: RetryMetadata | undefined, error?: string): void {
  if ((metadata?.attempts ?? 1) <= 1) return;
  logStep('call retried', {
    operation: command?.replace(/Command$/, ''),
    attempts: metadata!.attempts,
    retryDelayMs: metadata!.totalRetryDelay,
    error,
  });
}
