/**
 * What CloudFormation shows as the reason of a failed import: the handler's error message. An AWS
 * SDK error's message is only the service's text, which need not say what refused; prefixing its
 * name (AccessDeniedException, ServiceQuotaExceededException, …) makes the stack event readable.
 */
export function nameServiceError(e: unknown): unknown {
  const error = e as Error & { $metadata?: unknown };
  if (error instanceof Error && error.$metadata !== undefined && error.name && error.name !== 'Error' && !error.message.includes(error.name)) {
    error.message = `${error.name}: ${error.message}`;
  }
  return e;
}

/** Throttling or a server-side error: worth asking again later rather than failing the deployment. */
export function isTransient(e: unknown): boolean {
  const error = e as { name?: string; $metadata?: { httpStatusCode?: number } };
  const status = error?.$metadata?.httpStatusCode ?? 0;
  return error?.name === 'ThrottlingException' || error?.name === 'TooManyRequestsException' || status === 429 || status >= 500;
}
