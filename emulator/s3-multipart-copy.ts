/**
 * The two multipart calls s3rver lacks, answered in front of it: UploadPartCopy (a part copied
 * from another object's byte range) and AbortMultipartUpload. The handler copies objects above
 * 5 GiB with them, so the emulated S3 must serve them to test that path.
 */
import { IncomingMessage, request as httpRequest, ServerResponse } from 'http';

/** Where s3rver itself listens, for the requests this shim makes on a caller's behalf. */
export interface Upstream {
  readonly port: number;
}

function queryOf(request: IncomingMessage): URLSearchParams {
  return new URL(request.url ?? '/', 'http://localhost').searchParams;
}

/** UploadPartCopy: PUT ?partNumber&uploadId with x-amz-copy-source. */
function isUploadPartCopy(request: IncomingMessage): boolean {
  const query = queryOf(request);
  return request.method === 'PUT' && query.has('partNumber') && query.has('uploadId') && request.headers['x-amz-copy-source'] !== undefined;
}

/** AbortMultipartUpload: DELETE ?uploadId. */
function isAbortMultipartUpload(request: IncomingMessage): boolean {
  return request.method === 'DELETE' && queryOf(request).has('uploadId');
}

/** Streams the source range into an UploadPart of s3rver and answers with CopyPartResult. */
function uploadPartCopy(upstream: Upstream, request: IncomingMessage, response: ServerResponse): void {
  const source = decodeURIComponent(String(request.headers['x-amz-copy-source'])).replace(/^\/?/, '/');
  const range = request.headers['x-amz-copy-source-range'];
  const fail = (status: number, code: string, message: string) => {
    response.writeHead(status, { 'content-type': 'application/xml' });
    response.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`);
  };
  const get = httpRequest({ port: upstream.port, host: '127.0.0.1', method: 'GET', path: encodeURI(source), headers: range ? { range: String(range) } : {} }, (sourceResponse) => {
    if (sourceResponse.statusCode !== 200 && sourceResponse.statusCode !== 206) {
      sourceResponse.resume();
      fail(sourceResponse.statusCode ?? 500, 'NoSuchKey', `copy source ${source} could not be read`);
      return;
    }
    const put = httpRequest({
      port: upstream.port,
      host: '127.0.0.1',
      method: 'PUT',
      path: request.url,
      headers: { 'content-length': sourceResponse.headers['content-length'] ?? '0' },
    }, (partResponse) => {
      partResponse.resume();
      if (partResponse.statusCode !== 200) {
        fail(partResponse.statusCode ?? 500, 'InternalError', 'the part could not be stored');
        return;
      }
      response.writeHead(200, { 'content-type': 'application/xml' });
      response.end(`<?xml version="1.0" encoding="UTF-8"?><CopyPartResult><LastModified>${new Date().toISOString()}</LastModified><ETag>${partResponse.headers.etag}</ETag></CopyPartResult>`);
    });
    put.on('error', (e) => fail(500, 'InternalError', e.message));
    sourceResponse.pipe(put);
  });
  get.on('error', (e) => fail(500, 'InternalError', e.message));
  get.end();
  request.resume();
}

/**
 * Answers the request when it is one of the calls s3rver lacks; returns false to let s3rver
 * answer it. An abort is acknowledged; the parts stay in the throw-away storage until stop.
 */
export function answerMultipartExtensions(upstream: Upstream, request: IncomingMessage, response: ServerResponse): boolean {
  if (isUploadPartCopy(request)) {
    uploadPartCopy(upstream, request, response);
    return true;
  }
  if (isAbortMultipartUpload(request)) {
    request.resume();
    response.writeHead(204);
    response.end();
    return true;
  }
  return false;
}
