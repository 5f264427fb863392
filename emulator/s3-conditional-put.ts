/**
 * PutObject with `If-None-Match: *`, answered in front of s3rver, which ignores the header on
 * writes. Real S3 (since August 2024) writes the object only if none is at that key and answers
 * 412 PreconditionFailed otherwise; two such writes to one key never both succeed. The handlers
 * reserve their Panorama write slots this way (src/handler/write-slots.ts), so the emulated S3
 * must keep that promise: the conditional writes to one key are serialized here, each checks the
 * key and writes only if it is free.
 */
import { IncomingMessage, request as httpRequest, ServerResponse } from 'http';
import { Upstream } from './s3-multipart-copy';

/** A plain PutObject (no copy, no part) that asks to write only where nothing is. */
function isConditionalPut(request: IncomingMessage): boolean {
  if (request.method !== 'PUT' || request.headers['if-none-match'] === undefined) return false;
  const query = new URL(request.url ?? '/', 'http://localhost').searchParams;
  return request.headers['x-amz-copy-source'] === undefined && !query.has('partNumber') && !query.has('uploadId') && !query.has('tagging') && !query.has('acl');
}

/** The conditional writes waiting for each key, in arrival order. */
const queues = new Map<string, Promise<void>>();

function exists(upstream: Upstream, path: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const head = httpRequest({ port: upstream.port, host: '127.0.0.1', method: 'HEAD', path }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    head.on('error', reject);
    head.end();
  });
}

function answerError(response: ServerResponse, status: number, code: string, message: string): void {
  response.writeHead(status, { 'content-type': 'application/xml' });
  response.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message><Condition>If-None-Match</Condition></Error>`);
}

/**
 * Answers a conditional PutObject (or hands it to `write`, s3rver, once the key is known to be
 * free); returns false for any other request. Only `*` is a value S3 accepts on a write.
 */
export function answerConditionalPut(
  upstream: Upstream,
  request: IncomingMessage,
  response: ServerResponse,
  write: (request: IncomingMessage, response: ServerResponse) => void,
): boolean {
  if (!isConditionalPut(request)) return false;
  if (request.headers['if-none-match'] !== '*') {
    request.resume();
    answerError(response, 501, 'NotImplemented', 'A header you provided implies functionality that is not implemented: If-None-Match on a write takes only *');
    return true;
  }
  const key = new URL(request.url ?? '/', 'http://localhost').pathname;
  const before = queues.get(key) ?? Promise.resolve();
  let done!: () => void;
  const mine = new Promise<void>((resolve) => (done = resolve));
  const queued = before.then(() => mine);
  queues.set(key, queued);
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    done();
    if (queues.get(key) === queued) queues.delete(key);
  };
  void before.then(async () => {
    let taken: boolean;
    try {
      taken = await exists(upstream, key);
    } catch (e) {
      request.resume();
      answerError(response, 500, 'InternalError', (e as Error).message);
      release();
      return;
    }
    if (taken) {
      request.resume();
      answerError(response, 412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold');
      release();
      return;
    }
    // The next conditional write to this key waits until this one is answered (stored or failed);
    // 'close' alone may wait for a kept-alive socket to close.
    response.once('finish', release);
    response.once('close', release);
    delete request.headers['if-none-match'];
    write(request, response);
  });
  return true;
}
