// Loaded explicitly so that ts-node (which reads only the imported files) sees the s3rver types.
/// <reference path="./s3rver.d.ts" />
import { mkdir, mkdtemp, rm } from 'fs/promises';
import { createServer, IncomingMessage } from 'http';
import { AddressInfo } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';
import S3rver from 's3rver';
import { tolerateConcurrentDeletes } from './s3-concurrent-delete';
import { answerConditionalPut } from './s3-conditional-put';
import { answerMultipartExtensions } from './s3-multipart-copy';

/** Options for {@link startS3Server}. */
export interface S3ServerOptions {
  /** TCP port on 127.0.0.1; 0 (the default) lets the OS choose a free one. */
  readonly port?: number;
  /**
   * Where the buckets and objects are stored, kept when the server stops, so a later server over
   * the same directory serves them again. Default: a fresh temporary directory, removed on stop.
   */
  readonly directory?: string;
}

/** A running local S3 server. */
export interface RunningS3Server {
  /** Base URL for `new S3Client({ endpoint, forcePathStyle: true })`. */
  readonly endpoint: string;
  /** The directory s3rver stores objects in. */
  readonly directory: string;
  /** Stops the server; removes its storage directory unless it was given as an option. */
  stop(): Promise<void>;
}

/** The only access key s3rver knows; it does not verify SigV4 signatures. */
const S3RVER_ACCESS_KEY = 'S3RVER';

/** Starts s3rver on 127.0.0.1, over the given storage directory or a fresh, throw-away one. */
export async function startS3Server(options: S3ServerOptions = {}): Promise<RunningS3Server> {
  const persistent = options.directory !== undefined;
  if (persistent) await mkdir(options.directory!, { recursive: true });
  const directory = persistent ? options.directory! : await mkdtemp(join(tmpdir(), 'panorama-emulator-s3-'));
  const s3rver = new S3rver({
    silent: true,
    directory,
    // Path-style only: a bucket name in the Host header would need wildcard DNS.
    vhostBuckets: false,
  });
  tolerateConcurrentDeletes(s3rver.store);
  const handle = s3rver.callback();
  // s3rver rejects unknown access keys; rewriting them lets any dummy credentials through.
  const server = createServer((request, response) => {
    if (answerMultipartExtensions(upstream, request, response)) return;
    if (answerConditionalPut(upstream, request, response, (r, w) => handle(acceptAnyAccessKey(r), w))) return;
    handle(acceptAnyAccessKey(request), response);
  });
  // The shim's own calls go back through this server, whose port is known once it listens.
  const upstream = { port: 0 };
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  upstream.port = port;
  let stopped = false;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    directory,
    async stop() {
      if (stopped) return;
      stopped = true;
      // Keep-alive sockets of SDK clients would otherwise hold close() open.
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (!persistent) await rm(directory, { recursive: true, force: true });
    },
  };
}

function acceptAnyAccessKey(request: IncomingMessage): IncomingMessage {
  const authorization = request.headers.authorization;
  if (authorization) {
    request.headers.authorization = authorization.replace(/Credential=[^/,\s]+\//, `Credential=${S3RVER_ACCESS_KEY}/`);
  }
  return request;
}
