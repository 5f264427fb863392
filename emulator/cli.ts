#!/usr/bin/env node
import { parseArgs as parseCommandLine, ParseArgsConfig } from 'util';
import { startS3Server, RunningS3Server } from './s3-server';
import { PanoramaEmulator } from './server';

/** Port the CLI serves on when `--port` is not given (clear of LocalStack's 4566). */
export const DEFAULT_PORT = 8085;

const USAGE = `Usage: panorama-emulator [--port N] [--s3-endpoint URL] [--job-delay-ms N] [--instance-step-ms N] [--rate-limits]
  --port N              Panorama endpoint port on 127.0.0.1 (default ${DEFAULT_PORT}; 0 = any free port)
  --s3-endpoint URL     S3 to read manifests from and store packages in (default: start an embedded s3rver)
  --job-delay-ms N      How long import jobs stay PENDING before processing (default 200)
  --instance-step-ms N  How long an application instance stays in each status on its way (default 200)
  --rate-limits         Enforce 5 requests/s overall and 1 request/s for writes`;

/** Parsed command line. */
export interface CliOptions {
  readonly port: number;
  readonly s3Endpoint?: string;
  readonly jobDelayMs?: number;
  readonly instanceStepMs?: number;
  readonly rateLimits: boolean;
}

/** The flags, for `util.parseArgs`; numbers are read as strings and checked as they come. */
const FLAGS = {
  'port': { type: 'string' },
  's3-endpoint': { type: 'string' },
  'job-delay-ms': { type: 'string' },
  'instance-step-ms': { type: 'string' },
  'rate-limits': { type: 'boolean' },
} as const satisfies ParseArgsConfig['options'];

/** Parses the command line; throws with a usage hint on anything it does not understand. */
export function parseArgs(argv: readonly string[]): CliOptions {
  // Not strict: its tokens, read in order, let the first bad argument be named as it was written.
  const { tokens } = parseCommandLine({ args: [...argv], options: FLAGS, strict: false, allowPositionals: true, tokens: true });
  let options: CliOptions = { port: DEFAULT_PORT, rateLimits: false };
  for (const token of tokens) {
    const written = argv[token.index];
    const unknown = (): Error => new Error(`Unknown argument ${written}\n${USAGE}`);
    // A positional, `--`, a short option or `--flag=value` (its rawName is not what was written) is no flag here.
    if (token.kind !== 'option' || token.rawName !== written) throw unknown();
    const value = (): string => {
      if (token.value === undefined) throw new Error(`${written} needs a value\n${USAGE}`);
      return token.value;
    };
    switch (token.name) {
      case 'port': options = { ...options, port: nonNegativeInteger(written, value()) }; break;
      case 's3-endpoint': options = { ...options, s3Endpoint: value() }; break;
      case 'job-delay-ms': options = { ...options, jobDelayMs: nonNegativeInteger(written, value()) }; break;
      case 'instance-step-ms': options = { ...options, instanceStepMs: nonNegativeInteger(written, value()) }; break;
      case 'rate-limits': options = { ...options, rateLimits: true }; break;
      default: throw unknown();
    }
  }
  return options;
}

function nonNegativeInteger(flag: string, text: string): number {
  if (!/^\d+$/.test(text)) throw new Error(`${flag} must be a non-negative integer, got '${text}'`);
  return Number(text);
}

async function main(): Promise<void> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    console.log(USAGE);
    return;
  }
  const options = parseArgs(process.argv.slice(2));
  let embeddedS3: RunningS3Server | undefined;
  if (!options.s3Endpoint) embeddedS3 = await startS3Server();
  const s3Endpoint = options.s3Endpoint ?? embeddedS3!.endpoint;
  const emulator = await PanoramaEmulator.start({
    port: options.port,
    s3Endpoint,
    jobDelayMs: options.jobDelayMs,
    instanceStepMs: options.instanceStepMs,
    rateLimits: options.rateLimits,
  });
  console.log(`Panorama emulator listening on ${emulator.endpoint}`);
  if (embeddedS3) console.log(`Embedded S3 (s3rver) listening on ${embeddedS3.endpoint}`);
  console.log('Point the AWS SDK at them with:');
  console.log(`AWS_ENDPOINT_URL_PANORAMA=${emulator.endpoint}`);
  console.log(`AWS_ENDPOINT_URL_S3=${s3Endpoint}`);

  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal} received, stopping`);
    await emulator.stop();
    await embeddedS3?.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

/** As a program: runs the CLI; a failure prints its message and exits 1. */
export function runEmulatorProgram(): void {
  main().catch((error) => {
    console.error((error as Error).message);
    process.exit(1);
  });
}

// Only run when executed, so tests can import parseArgs.
if (require.main === module) runEmulatorProgram();
