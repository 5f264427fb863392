/**
 * An HTTP proxy in front of s3rver that counts the S3 API calls passing through it, by operation.
 * Only the clients pointed at it are counted: the runner (asset publishing) and the handlers.
 */
import { Agent, createServer, IncomingMessage, request as httpRequest } from 'http';
import { AddressInfo } from 'net';

export interface S3Counter {
  readonly endpoint: string;
  /** Calls so far, by operation name. */
  readonly calls: Map<string, number>;
  /** Calls answered with a status of 300 or more, by `operation status`. */
  readonly failures: Map<string, number>;
  total(): number;
  stop(): Promise<void>;
}

/** The S3 operation of a path-style request, from its method, path depth, query and headers. */
export function s3Operation(request: IncomingMessage): string {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const parts = url.pathname.split('/').filter(Boolean);
  const query = url.searchParams;
  const onObject = parts.length > 1;
  switch (request.method) {
    case 'HEAD': return onObject ? 'HeadObject' : 'HeadBucket';
    case 'GET':
      if (onObject) return 'GetObject';
      return query.has('list-type') ? 'ListObjectsV2' : query.has('location') ? 'GetBucketLocation' : 'ListObjects';
    case 'PUT':
      if (!onObject) return 'CreateBucket';
      if (query.has('partNumber')) return request.headers['x-amz-copy-source'] ? 'UploadPartCopy' : 'UploadPart';
      return request.headers['x-amz-copy-source'] ? 'CopyObject' : 'PutObject';
    case 'POST':
      if (query.has('delete')) return 'DeleteObjects';
      if (query.has('uploads')) return 'CreateMultipartUpload';
      if (query.has('uploadId')) return 'CompleteMultipartUpload';
      return 'POST';
    case 'DELETE':
      if (query.has('uploadId')) return 'AbortMultipartUpload';
      return onObject ? 'DeleteObject' : 'DeleteBucket';
    default: return String(request.method);
  }
}

export async function startS3Counter(upstreamEndpoint: string): Promise<S3Counter> {
  const upstream = new URL(upstreamEndpoint);
  const agent = new Agent({ keepAlive: true });
  const calls = new Map<string, number>();
  const failures = new Map<string, number>();
  const server = createServer((req, res) => {
    const operation = s3Operation(req);
    calls.set(operation, (calls.get(operation) ?? 0) + 1);
    const target = { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers, agent };
    const forward = httpRequest(target, (up) => {
      const status = up.statusCode ?? 502;
      if (status >= 300) failures.set(`${operation} ${status}`, (failures.get(`${operation} ${status}`) ?? 0) + 1);
      res.writeHead(status, up.headers);
      up.pipe(res);
    });
    forward.on('error', (e) => {
      res.writeHead(502);
      res.end(e.message);
    });
    req.pipe(forward);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    failures,
    total: () => [...calls.values()].reduce((a, b) => a + b, 0),
    async stop() {
      server.closeAllConnections();
      agent.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
