/**
 * What a runner test file needs around its tests: an S3 emulator (a template is a file asset, so the
 * runner always needs one) started before them and stopped after, and temporary directories
 * removed then.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { RunningS3Server, startS3Server } from '../../../emulator';

/** Registers the file's beforeAll and afterAll; call it at the top of the file. */
export function s3ForTestFile(): { endpoint(): string; temporaryDirectory(prefix: string): string } {
  let s3Server: RunningS3Server | undefined;
  const directories: string[] = [];
  beforeAll(async () => {
    s3Server = await startS3Server();
  });
  afterAll(async () => {
    await s3Server?.stop();
    directories.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true }));
  });
  return {
    endpoint: () => s3Server!.endpoint,
    temporaryDirectory(prefix) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
      directories.push(dir);
      return dir;
    },
  };
}
