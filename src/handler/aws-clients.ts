import { PanoramaClient } from '@aws-sdk/client-panorama';
import { S3Client } from '@aws-sdk/client-s3';

/**
 * Throttling and 5xx are retried by the SDK's standard strategy: exponential backoff with jitter,
 * a one-second base for throttling (Panorama allows one write a second) and Retry-After honoured.
 */
export const MAX_ATTEMPTS = 10;

/**
 * Clients are made per invocation: endpoints come from the standard environment
 * (AWS_ENDPOINT_URL_PANORAMA, AWS_ENDPOINT_URL_S3), which the local runner sets per deployment.
 */
export function panoramaClient(): PanoramaClient {
  return new PanoramaClient({ maxAttempts: MAX_ATTEMPTS, retryMode: 'standard' });
}

/** The S3 client for staging copies and for reading a bucket source's manifest. */
export function s3Client(): S3Client {
  return new S3Client({ maxAttempts: MAX_ATTEMPTS, retryMode: 'standard' });
}
