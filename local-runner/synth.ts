/**
 * Synthesizes a CDK app as the cdk CLI does: runs its `app` command (from `cdk.json` or given)
 * through the shell, in the app's folder, with `CDK_OUTDIR` naming an empty directory and the
 * context (`cdk.json`'s, `cdk.context.json`'s and the CLI's own settings) in `CDK_CONTEXT_JSON`.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { DEFAULT_ENVIRONMENT, EmulatedEnvironment } from './emulated-environment';
import { readSynthFailure } from './synth-failure';


/** What `cdk.json` says, for our purposes. */
export interface CdkJson {
  readonly app?: string;
  readonly context: Record<string, unknown>;
}

/** Reads `<directory>/cdk.json` and `<directory>/cdk.context.json`; both may be absent. */
export function readCdkJson(directory: string): CdkJson {
  const cdkJson = readJsonObject(path.join(directory, 'cdk.json'));
  const cached = readJsonObject(path.join(directory, 'cdk.context.json'));
  const app = cdkJson?.app;
  if (app !== undefined && typeof app !== 'string') throw new Error(`${path.join(directory, 'cdk.json')}: "app" must be a command (a string), got ${JSON.stringify(app)}`);
  return { app, context: { ...cached, ...(cdkJson?.context as Record<string, unknown> | undefined) } };
}

/** How to run a synth. */
export interface SynthOptions {
  /** The shell command, e.g. `npx ts-node --prefer-ts-exts bin/app.ts`. */
  readonly app: string;
  /** Where the command runs (the app's folder). */
  readonly cwd: string;
  /** Emptied, then handed to the app as CDK_OUTDIR. */
  readonly outdir: string;
  readonly context: Record<string, unknown>;
  /** Each line the app prints (stdout and stderr). */
  readonly output: (line: string) => void;
  readonly env?: NodeJS.ProcessEnv;
  /**
   * Whether a failure's stack trace is passed on. Without it, the app's error output is held until
   * it ends: on success it is passed on; on a failure the error's message ends the thrown error's
   * message, and the source excerpt and stack frames are left out. @default false
   */
  readonly verbose?: boolean;
  /** What the app is told to deploy to (CDK_DEFAULT_ACCOUNT, CDK_DEFAULT_REGION): the emulators' own. @default the emulator's defaults */
  readonly environment?: EmulatedEnvironment;
}

/** Runs the app; resolves with the assembly directory, rejects naming the command and its exit code. */
export async function synthesize(options: SynthOptions): Promise<string> {
  fs.rmSync(options.outdir, { recursive: true, force: true });
  fs.mkdirSync(options.outdir, { recursive: true });
  const context = {
    ...options.context,
    // What the cdk CLI sets: construct paths and asset metadata in the template (for messages).
    'aws:cdk:enable-path-metadata': true,
    'aws:cdk:enable-asset-metadata': true,
    // No AWS::CDK::Metadata resource: it carries a Condition for environment-agnostic stacks.
    'aws:cdk:version-reporting': false,
  };
  const env = {
    ...(options.env ?? process.env),
    CDK_OUTDIR: options.outdir,
    CDK_CONTEXT_JSON: JSON.stringify(context),
    CDK_DEFAULT_ACCOUNT: (options.environment ?? DEFAULT_ENVIRONMENT).account,
    CDK_DEFAULT_REGION: (options.environment ?? DEFAULT_ENVIRONMENT).region,
    // --verbose: the library's refusals keep their stack traces too, as with the cdk CLI's CDK_DEBUG.
    ...(options.verbose && (options.env ?? process.env).CDK_DEBUG === undefined ? { CDK_DEBUG: '1' } : {}),
  };
  const command = guessExecutable(options.app, options.cwd);
  const child = spawn(command, { cwd: options.cwd, env, shell: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const errors: string[] = [];
  forwardLines(child.stdout, options.output);
  forwardLines(child.stderr, options.verbose ? options.output : (line) => errors.push(line));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (exitCode, signal) => resolve(exitCode ?? (signal ? 128 : null)));
  });
  const failed = `Synthesis failed: \`${options.app}\` exited with code ${code} (in ${options.cwd})`;
  if (code !== 0) {
    const failure = readSynthFailure(errors);
    failure.otherLines.forEach((line) => options.output(line));
    if (failure.message) throw new Error(`${failed}; --verbose shows its stack trace. The app's error:\n${failure.message.join('\n')}`);
    throw new Error(failed);
  }
  errors.forEach((line) => options.output(line));
  if (!fs.existsSync(path.join(options.outdir, 'manifest.json'))) {
    throw new Error(`Synthesis wrote no cloud assembly: \`${options.app}\` did not call app.synth(), or wrote elsewhere than CDK_OUTDIR (${options.outdir})`);
  }
  return options.outdir;
}

/** As the cdk CLI: an app that is a `.js` file is run with node. */
function guessExecutable(app: string, cwd: string): string {
  const parts = app.trim().split(/\s+/);
  if (parts.length === 1 && parts[0].endsWith('.js') && fs.existsSync(path.resolve(cwd, parts[0]))) {
    return `"${process.execPath}" ${parts[0]}`;
  }
  return app;
}

function forwardLines(stream: NodeJS.ReadableStream, output: (line: string) => void): void {
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop()!;
    lines.forEach((line) => output(line));
  });
  stream.on('end', () => {
    if (pending) output(pending);
  });
}

function readJsonObject(file: string): Record<string, unknown> | undefined {
  if (!fs.existsSync(file)) return undefined;
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not a JSON object');
    return parsed;
  } catch (error) {
    throw new Error(`Cannot read ${file}: ${(error as Error).message}`);
  }
}
