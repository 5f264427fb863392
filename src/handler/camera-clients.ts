import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { MAX_ATTEMPTS } from './aws-clients';
import { logStep } from './log';
import { REPORT_RETRIES, retryReporter } from './retry-report';

const logRetries = retryReporter((call) => logStep('call retried', { ...call }));

/**
 * The Secrets Manager client the camera handler reads its credentials secret with; endpoint from the
 * standard environment (AWS_ENDPOINT_URL_SECRETS_MANAGER), as the other clients'. Its own module, so
 * the import handlers' bundles do not change.
 */
export function secretsClient(): SecretsManagerClient {
  const client = new SecretsManagerClient({ maxAttempts: MAX_ATTEMPTS, retryMode: 'standard' });
  client.middlewareStack.add(logRetries, REPORT_RETRIES);
  return client;
}
