/**
 * A loopback Secrets Manager endpoint for the handlers a deployment runs: `GetSecretValue` over the
 * awsJson1.1 protocol (`X-Amz-Target: secretsmanager.GetSecretValue`), answered from the secret
 * store, so the real `@aws-sdk/client-secrets-manager` reads a secret as it would in Lambda. The
 * value travels in the answer only; nothing here logs or records a request or an answer.
 */
import { createServer, IncomingMessage, Server, ServerResponse } from 'http';
import { AddressInfo } from 'net';
import { SecretStore } from './secret-store';

/** A running endpoint. */
export interface SecretsEndpoint {
  /** `http://127.0.0.1:<port>`, for AWS_ENDPOINT_URL_SECRETS_MANAGER. */
  readonly url: string;
  stop(): Promise<void>;
}

const TARGET_PREFIX = 'secretsmanager.';

/** Starts the endpoint on a free loopback port. */
export async function startSecretsEndpoint(store: SecretStore): Promise<SecretsEndpoint> {
  const server: Server = createServer((request, response) => {
    void answer(store, request, response).catch(() => response.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

async function answer(store: SecretStore, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const target = String(request.headers['x-amz-target'] ?? '');
  if (request.method !== 'POST' || !target.startsWith(TARGET_PREFIX)) {
    return reply(response, 400, { __type: 'InvalidRequestException', message: 'Only the awsJson1.1 protocol (POST with X-Amz-Target) is served.' });
  }
  const operation = target.slice(TARGET_PREFIX.length);
  if (operation !== 'GetSecretValue') {
    return reply(response, 400, { __type: 'InvalidRequestException', message: `${operation} is not served by panorama-local's Secrets Manager (only GetSecretValue).` });
  }
  let input: { SecretId?: unknown };
  try {
    input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  } catch {
    return reply(response, 400, { __type: 'InvalidRequestException', message: 'The request body is not JSON.' });
  }
  if (typeof input.SecretId !== 'string' || input.SecretId === '') {
    return reply(response, 400, { __type: 'InvalidParameterException', message: 'SecretId is required.' });
  }
  const secret = store.get(input.SecretId);
  if (!secret) {
    return reply(response, 400, { __type: 'ResourceNotFoundException', message: `Secrets Manager can't find the specified secret: ${input.SecretId}` });
  }
  return reply(response, 200, {
    ARN: secret.arn,
    Name: secret.name,
    VersionId: secret.versionId,
    SecretString: secret.value,
    VersionStages: ['AWSCURRENT'],
    CreatedDate: secret.createdDate,
  });
}

function reply(response: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.1', 'Content-Length': Buffer.byteLength(text) });
  response.end(text);
}
