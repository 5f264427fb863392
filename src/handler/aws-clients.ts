import { PanoramaClient } from '@aws-sdk/client-panorama';
import { S3Client } from '@aws-sdk/client-s3';
import { logStep } from './log';
import { REPORT_RETRIES, retryReporter } from './retry-report';

/**
 * Throttling and 5xx are retried by the SDK's standard strategy: exponential backoff with full
 * jitter capped at 20 s, a one-second base for throttling (Panorama allows one write a second) and
 * Retry-After honoured. S3 uses this many attempts (at most ~1.5 min).
 */
export const MAX_ATTEMPTS = 10;

/**
 * Reads that isComplete repeats: a busy Panorama is asked again at the next poll (isComplete
 * answers "not yet"), so these calls retry briefly rather than backing off for a minute inside one
 * poll while the stack's other imports queue behind the same quota. onEvent's look at the job it
 * just started is one of them.
 */
export const POLL_ATTEMPTS = 3;

/**
 * onEvent's writes get more: every import of a stack starts at once and Panorama admits one write
 * a second, so fifty imports queue for a minute or more. 25 attempts wait at most ~8 minutes,
 * well inside onEvent's 15-minute timeout.
 */
export const WRITE_ATTEMPTS = 25;

/** Every retried call, logged as a step: a throttled deployment says so in its logs. */
const logRetries = retryReporter((call) => logStep('call retried', { ...call }));

/**
 * Clients are made per invocation: endpoints come from the standard environment
 * (AWS_ENDPOINT_URL_PANORAMA, AWS_ENDPOINT_URL_S3), which the local runner sets per deployment.
 */
export function panoramaClient(maxAttempts = MAX_ATTEMPTS, shareConnectionsWith?: PanoramaClient): PanoramaClient {
  // A second client of the same invocation (another retry policy) reuses the first one's connections.
  const client = new PanoramaClient({ maxAttempts, retryMode: 'standard', requestHandler: shareConnectionsWith?.config.requestHandler });
  client.middlewareStack.add(logRetries, REPORT_RETRIES);
  return client;
}

/** The S3 client for staging copies and for reading a bucket source's manifest. */
export function s3Client(): S3Client {
  const client = new S3Client({ maxAttempts: MAX_ATTEMPTS, retryMode: 'standard' });
  client.middlewareStack.add(logRetries, REPORT_RETRIES);
  return client;
}
