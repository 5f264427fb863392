/**
 * The emulated service's HTTP side: reads a restJson1 request, routes it to its operation, applies
 * rate limits and injected faults, runs the handler and writes the answer (or the error the model
 * lists), then records the exchange. The server's life and its test controls live in `server.ts`.
 */
import { randomUUID } from 'crypto';
import { IncomingMessage, ServerResponse } from 'http';
import { setTimeout as delay } from 'timers/promises';
import { errorFromFault, renderError, ServiceError, validationError } from './errors';
import { FaultPlan } from './faults';
import { HANDLERS } from './handlers';
import { OperationContext } from './operation-context';
import { mayAnswerWith } from './operation-errors';
import { EMULATOR_QUOTAS_PATH, RateLimiter } from './rate-limit';
import { matchRoute, OperationName } from './routes';

/** One request the emulator answered, for assertions on calls, retries and backoff. */
export interface RecordedRequest {
  /** The operation, or `UnknownOperation` when no route matched. */
  readonly operation: string;
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string | string[]>>;
  /** Parsed JSON body; the raw text when it did not parse; undefined when empty. */
  readonly body: unknown;
  readonly status: number;
  readonly errorType?: string;
  /** The latency addLatency added to this call, in ms, when there was any. */
  readonly latencyMs?: number;
  /** Epoch milliseconds. */
  readonly startedAt: number;
  readonly endedAt: number;
}

/** What answering a request needs from the emulator that owns the server. */
export interface RequestServices {
  readonly rateLimiter: RateLimiter;
  readonly faults: FaultPlan;
  /** What the operation handlers use; asked per request, since a reset replaces the state. */
  context(): OperationContext;
  /** Makes the state durable; called after a write, before it is acknowledged. */
  persist(): void;
  /** Keeps the record of an answered request. */
  record(request: RecordedRequest): void;
}

/** The answer to one request, before it is written. */
interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: object;
  readonly errorType?: string;
}

const UNKNOWN_OPERATION = 'UnknownOperation';

/** A listener for `http.createServer` that answers every request as the service would. */
export function requestListener(services: RequestServices): (request: IncomingMessage, response: ServerResponse) => void {
  // handle() answers every error itself; only a broken socket can reject, and then nobody is listening.
  return (request, response) => void handle(services, request, response).catch(() => response.destroy());
}

async function handle(services: RequestServices, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const startedAt = Date.now();
  const url = new URL(request.url ?? '/', 'http://localhost');
  const method = request.method ?? 'GET';
  const rawBody = await readBody(request);
  if (method === 'GET' && url.pathname === EMULATOR_QUOTAS_PATH) {
    writeAnswer(response, { status: 200, headers: {}, body: services.rateLimiter.quotas() });
    return;
  }
  const match = matchRoute(method, url.pathname);
  let latency = 0;
  let answer: Answer;
  try {
    if (!match) throw validationError('UNKNOWN_OPERATION', `No Panorama operation is served at ${method} ${url.pathname}.`);
    // The Panorama model lists no throttling error; ThrottlingException/429 is the common AWS one, which the SDK retries.
    if (!services.rateLimiter.admit(match.operation)) throw new ServiceError('ThrottlingException', 'Rate exceeded');
    latency = services.faults.latencyOf(match.operation);
    if (latency > 0) await delay(latency);
    const fault = services.faults.takeFailure(match.operation);
    if (fault) throw errorFromFault(match.operation, fault);
    const input = { labels: match.labels, query: url.searchParams, body: parseJsonObject(rawBody) };
    const body = await HANDLERS[match.operation](services.context(), input);
    // Durable before it is acknowledged: a crash after the answer cannot lose what it reported.
    if (method !== 'GET') services.persist();
    answer = { status: 200, headers: {}, body };
  } catch (error) {
    answer = errorAnswer(match?.operation, error);
  }
  writeAnswer(response, answer);
  services.record({
    operation: match?.operation ?? UNKNOWN_OPERATION,
    method,
    path: url.pathname,
    query: queryObject(url.searchParams),
    body: recordedBody(rawBody),
    status: answer.status,
    ...(answer.errorType ? { errorType: answer.errorType } : {}),
    ...(latency > 0 ? { latencyMs: latency } : {}),
    startedAt,
    endedAt: Date.now(),
  });
}

/** The error answer: a ServiceError as the model renders it, anything else a 500. */
function errorAnswer(operation: OperationName | undefined, error: unknown): Answer {
  let serviceError = error instanceof ServiceError ? error : new ServiceError('InternalServerException', `Internal error: ${(error as Error).message}`);
  if (operation && !mayAnswerWith(operation, serviceError.errorType)) {
    // Loud rather than plausible: the real service cannot answer this, so no client may learn to expect it.
    serviceError = new ServiceError('InternalServerException', `Emulator bug: ${operation} may not answer ${serviceError.errorType} (${serviceError.message})`);
  }
  return { ...renderError(serviceError), errorType: serviceError.errorType };
}

function writeAnswer(response: ServerResponse, answer: Answer): void {
  const text = JSON.stringify(answer.body);
  response.writeHead(answer.status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': randomUUID(),
    ...answer.headers,
  });
  response.end(text);
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** The JSON body as an object ({} when empty); anything else is a CANNOT_PARSE ValidationException. */
function parseJsonObject(raw: string): Record<string, unknown> {
  if (raw.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw validationError('CANNOT_PARSE', `Request body is not valid JSON: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw validationError('CANNOT_PARSE', 'Request body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}

function recordedBody(raw: string): unknown {
  if (raw.trim() === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function queryObject(params: URLSearchParams): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    result[key] = values.length === 1 ? values[0] : values;
  }
  return result;
}
