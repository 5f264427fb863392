import { ChildProcess, spawn } from 'child_process';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ListPackagesCommand, PanoramaClient } from '@aws-sdk/client-panorama';
import { build } from 'esbuild';
import { CREDENTIALS, REGION } from './harness';
import { DEFAULT_PORT, parseArgs } from '../../emulator/cli';

describe('parseArgs', () => {
  test('defaults to port 8085, an embedded S3 and no rate limits', () => {
    // GIVEN / WHEN no arguments / THEN the defaults
    expect(parseArgs([])).toEqual({ port: DEFAULT_PORT, s3Endpoint: undefined, jobDelayMs: undefined, instanceStepMs: undefined, rateLimits: false });
    expect(DEFAULT_PORT).toBe(8085);
  });

  test('reads every flag', () => {
    // GIVEN / WHEN all flags / THEN all values
    expect(parseArgs(['--port', '0', '--s3-endpoint', 'http://127.0.0.1:9000', '--job-delay-ms', '50', '--instance-step-ms', '20', '--rate-limits']))
      .toEqual({ port: 0, s3Endpoint: 'http://127.0.0.1:9000', jobDelayMs: 50, instanceStepMs: 20, rateLimits: true });
  });

  test.each([
    [['--port', 'eighty'], /--port must be a non-negative integer/],
    [['--port'], /--port needs a value/],
    [['--verbose'], /Unknown argument --verbose/],
  ])('rejects %j', (argv, message) => {
    // GIVEN / WHEN a bad command line / THEN a clear error
    expect(() => parseArgs(argv)).toThrow(message);
  });
});

describe('the esbuild bundle of the CLI', () => {
  let directory: string;
  let child: ChildProcess | undefined;

  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'panorama-emulator-bundle-'));
  });
  afterAll(() => {
    child?.kill('SIGKILL');
    rmSync(directory, { recursive: true, force: true });
  });

  test('serves with an embedded S3 and stops cleanly on SIGTERM', async () => {
    // GIVEN the CLI bundled as the panorama-emulator bin is
    const outfile = join(directory, 'panorama-emulator.js');
    await build({ entryPoints: [join(__dirname, '../../emulator/cli.ts')], bundle: true, platform: 'node', target: 'node20', outfile, logLevel: 'silent' });

    // WHEN it is run outside the project on a free port
    const running = spawn(process.execPath, [outfile, '--port', '0', '--job-delay-ms', '0'], { cwd: directory, stdio: ['ignore', 'pipe', 'pipe'] });
    child = running;
    const output = await waitForOutput(running, /AWS_ENDPOINT_URL_S3=\S+/);

    // THEN it prints both endpoints as env lines and answers the real client
    const panoramaEndpoint = /AWS_ENDPOINT_URL_PANORAMA=(\S+)/.exec(output)![1];
    expect(output).toMatch(/AWS_ENDPOINT_URL_S3=http:\/\/127\.0\.0\.1:\d+/);
    const client = new PanoramaClient({ endpoint: panoramaEndpoint, region: REGION, credentials: CREDENTIALS, maxAttempts: 1 });
    expect((await client.send(new ListPackagesCommand({}))).Packages).toEqual([]);
    client.destroy();
    // AND SIGTERM stops it with exit code 0
    const exit = new Promise<number | null>((resolve) => running.once('exit', (code) => resolve(code)));
    running.kill('SIGTERM');
    expect(await exit).toBe(0);
    child = undefined;
  });
});

function waitForOutput(process: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`no ${pattern} in output:\n${text}`)), 15_000);
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      if (pattern.test(text)) {
        clearTimeout(timer);
        resolve(text);
      }
    };
    process.stdout!.on('data', onData);
    process.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
    process.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before ${pattern}:\n${text}`));
    });
  });
}
