import { ChildProcess, spawn, spawnSync } from 'child_process';
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
    // util.parseArgs reads these differently on its own: the CLI keeps refusing them as it always did.
    [['--port=80'], /Unknown argument --port=80/],
    [['--rate-limits=yes'], /Unknown argument --rate-limits=yes/],
    [['-abc'], /Unknown argument -abc/],
    [['--', '--port', '1'], /Unknown argument --\n/],
    [['--port', '1', 'extra'], /Unknown argument extra/],
    [['--constructor'], /Unknown argument --constructor/],
    [['--port', '--rate-limits'], /--port must be a non-negative integer, got '--rate-limits'/],
    [['--s3-endpoint'], /--s3-endpoint needs a value/],
  ])('rejects %j', (argv, message) => {
    // GIVEN / WHEN a bad command line / THEN a clear error
    expect(() => parseArgs(argv)).toThrow(message);
  });

  test('names the first bad argument when there are several', () => {
    // GIVEN a bad value before an unknown flag / WHEN parsed / THEN the error is about the value
    expect(() => parseArgs(['--port', 'x', '--verbose'])).toThrow(/^--port must be a non-negative integer, got 'x'/);
  });

  test('an unknown argument is answered with the usage', () => {
    // GIVEN / WHEN an unknown flag / THEN the message lists every flag
    expect(() => parseArgs(['--verbose'])).toThrow(/\nUsage: panorama-emulator \[--port N\] .*\n {2}--port N[\s\S]*--rate-limits {9}Enforce/);
  });

  test('a repeated flag takes its last value', () => {
    // GIVEN / WHEN --port twice / THEN the second one counts
    expect(parseArgs(['--port', '1', '--port', '2']).port).toBe(2);
  });
});

describe('the esbuild bundle of the CLI', () => {
  let directory: string;
  let outfile: string;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    // The CLI bundled as the panorama-emulator bin is.
    directory = mkdtempSync(join(tmpdir(), 'panorama-emulator-bundle-'));
    outfile = join(directory, 'panorama-emulator.js');
    await build({ entryPoints: [join(__dirname, '../../emulator/cli.ts')], bundle: true, platform: 'node', target: 'node20', outfile, logLevel: 'silent' });
  });
  afterAll(() => {
    child?.kill('SIGKILL');
    rmSync(directory, { recursive: true, force: true });
  });

  test('serves with an embedded S3 and stops cleanly on SIGTERM', async () => {
    // GIVEN the bundled CLI
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

  test.each([['--help'], ['-h']])('%s prints the usage and exits 0, whatever else is on the line', (help) => {
    // GIVEN the bundled CLI / WHEN asked for help beside an argument it would refuse
    const result = spawnSync(process.execPath, [outfile, '--verbose', help], { cwd: directory, encoding: 'utf8', timeout: 15_000 });

    // THEN it prints the usage, every flag with its line, and serves nothing
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(`${[
      'Usage: panorama-emulator [--port N] [--s3-endpoint URL] [--job-delay-ms N] [--instance-step-ms N] [--rate-limits]',
      `  --port N              Panorama endpoint port on 127.0.0.1 (default ${DEFAULT_PORT}; 0 = any free port)`,
      '  --s3-endpoint URL     S3 to read manifests from and store packages in (default: start an embedded s3rver)',
      '  --job-delay-ms N      How long import jobs stay PENDING before processing (default 200)',
      '  --instance-step-ms N  How long an application instance stays in each status on its way (default 200)',
      '  --rate-limits         Enforce 5 requests/s overall and 1 request/s for writes',
    ].join('\n')}\n`);
  });

  test('a bad argument is printed on stderr with exit code 1', () => {
    // GIVEN the bundled CLI / WHEN run with a value that is no number
    const result = spawnSync(process.execPath, [outfile, '--port', 'eighty'], { cwd: directory, encoding: 'utf8', timeout: 15_000 });

    // THEN it says which flag and value, and exits 1 without serving
    expect(result.status).toBe(1);
    expect(result.stderr).toBe("--port must be a non-negative integer, got 'eighty'\n");
    expect(result.stdout).toBe('');
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
