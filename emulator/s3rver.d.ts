// s3rver ships no type declarations; this covers the part of its API the emulator uses.
declare module 's3rver' {
  import type { IncomingMessage, ServerResponse } from 'http';

  interface S3rverOptions {
    silent?: boolean;
    directory: string;
    resetOnClose?: boolean;
    allowMismatchedSignatures?: boolean;
    vhostBuckets?: boolean;
  }

  class S3rver {
    constructor(options: S3rverOptions);
    /** The filesystem store behind the controllers. */
    store: { deleteObject(bucket: string, key: string): Promise<void> };
    /** The Koa request listener (s3rver extends Koa). */
    callback(): (request: IncomingMessage, response: ServerResponse) => void;
  }

  export = S3rver;
}
