#!/usr/bin/env node
/**
 * `panorama-local deploy` / `destroy`: the local runner as a command for any CDK app. It keeps its
 * state in a folder, starts the embedded emulators over it (or uses running ones), synthesizes the
 * app, and prints what happens the way `cdk deploy` does. Bundled into one file for the package.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CliArguments, parseArguments, USAGE } from './cli-arguments';
import { readCloudAssembly } from './cloud-assembly';
import { LocalDeployer } from './deployer';
import { DEFAULT_ENVIRONMENT, environmentOfStacks, recordedEnvironment } from './emulated-environment';
import { Emulators, startEmulators } from './emulators';
import { EventPrinter, formatOutputs, typeColumnWidth } from './event-printer';
import { acquireLock, Lock, LockHeldError } from './lock';
import { resourceType } from './resource-types';
import { DeploymentError, DeployResult, StackResult } from './results';
import { describeRunningDevice } from './running-devices';
import { selectDeployedStacks, selectStacks } from './stack-selection';
import { RunnerState, loadState, RunnerStateError } from './state';
import { displayPath, openStateFolder, resetHint, StateFolder, StateFolderError } from './state-folder';
import { readCdkJson, synthesize } from './synth';
import { StateFileError } from '../emulator/persistence';

/** Where the command reads and writes: the process's, or a test's. */
export interface CliIo {
  /** Progress, events and outputs. */
  readonly out: (line: string) => void;
  /** Errors, warnings and the app's own output while it synthesizes. */
  readonly err: (line: string) => void;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
}

const PROCESS_IO: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  cwd: process.cwd(),
  env: process.env,
};

/** What is running, so a signal can stop it cleanly. */
interface Running {
  lock?: Lock;
  emulators?: Emulators;
  /** Aborted on the first Ctrl-C: the deployment is cancelled and rolled back. */
  readonly cancel?: AbortController;
}

/** Runs one command line; resolves with the exit code (0 done, 1 failed, 2 bad command line). */
export async function main(argv: readonly string[], io: CliIo = PROCESS_IO, running: Running = {}): Promise<number> {
  let args: CliArguments;
  try {
    args = parseArguments(argv);
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.command === 'help') {
    io.out(USAGE);
    return 0;
  }
  try {
    return await run(args, io, running);
  } catch (error) {
    io.err(`❌  ${describeError(error)}`);
    return 1;
  } finally {
    try {
      await running.emulators?.stop();
    } finally {
      running.lock?.release();
    }
  }
}

async function run(args: CliArguments, io: CliIo, running: Running): Promise<number> {
  // Checked before the state folder is made, so a run in the wrong folder leaves nothing behind.
  const synth = args.command === 'deploy' && !args.assembly ? synthCommand(args, io) : undefined;
  const folder = openStateFolder(path.resolve(io.cwd, args.state));
  running.lock = acquireLock(folder.lockFile, `panorama-local ${args.command}`);
  if (running.lock.replaced) {
    io.err(`Took over the lock ${displayPath(folder.lockFile)} of \`${running.lock.replaced.command}\` (pid ${running.lock.replaced.pid}), which is no longer running.`);
  }
  const state = await withResetHint(folder, () => loadState(folder.runnerStateFile));
  // The account and Region of a state folder's first deployment stay its own.
  const recorded = recordedEnvironment(folder.emulatorStateFile);
  let assembly: string | undefined;
  if (args.assembly) assembly = path.resolve(io.cwd, args.assembly);
  if (synth) {
    io.out(`Synthesizing: ${synth.app}`);
    const synthStarted = Date.now();
    assembly = await synthesize({
      ...synth, cwd: io.cwd, outdir: folder.assemblyDirectory, output: io.err, env: io.env, environment: recorded, verbose: args.verbose,
    });
    io.out(`✨  Synthesis time: ${((Date.now() - synthStarted) / 1000).toFixed(2)}s`);
  }
  // As cdk deploy: the deployment's time excludes the synth.
  const started = Date.now();

  const environment = recorded ?? (assembly ? environmentOfStacks(selectStacks(readCloudAssembly(assembly), args.stacks)) : DEFAULT_ENVIRONMENT);
  running.emulators = await withResetHint(folder, () => startEmulators(folder, io.env, environment));
  const emulators = running.emulators;
  io.out(`panorama-local ${args.command}: ${emulators.description}; state in ${displayPath(folder.root)}`);
  for (const device of args.devices) await ensureDevice(emulators, device, io);

  const printer = new EventPrinter(io.out, args.verbose, typeColumnWidth(shownTypes(assembly, state, args)));
  const deployer = new LocalDeployer({
    panoramaEndpoint: emulators.panoramaEndpoint,
    s3Endpoint: emulators.s3Endpoint,
    ...emulators.environment,
    state,
    stateFile: folder.runnerStateFile,
    codeStore: folder.functionsDirectory,
    events: printer.event,
    logger: args.verbose ? (line) => io.out(`  ${line}`) : () => undefined,
    handlerLog: args.verbose ? (line) => io.out(`    | ${line}`) : () => undefined,
  });
  let result: DeployResult;
  try {
    if (assembly) {
      result = await deployer.deploy(assembly, { stacks: args.stacks, rollback: args.rollback, signal: running.cancel?.signal });
    } else {
      // Selected as deploy selects them, among the deployed stacks, last deployed first.
      // Those an interrupted command had begun to create count as deployed: their resources exist.
      const destroyable = deployer.destroyable();
      const selected = selectDeployedStacks(destroyable, args.stacks);
      if (Object.keys(destroyable.stacks).length === 0) io.out(`Nothing to destroy: no stack is deployed in ${displayPath(folder.root)}.`);
      result = await deployer.destroy(selected, { signal: running.cancel?.signal });
    }
  } catch (error) {
    if (error instanceof DeploymentError) {
      summarize(error.result.stacks, args, printer, io, started);
      io.err(`\n❌  ${error.message}`);
      return 1;
    }
    throw error;
  }
  summarize(result.stacks, args, printer, io, started);
  if (args.command === 'deploy') {
    const outputs = formatOutputs(result.stacks);
    if (outputs.length > 0) io.out(['', 'Outputs:', ...outputs].join('\n'));
  }
  return 0;
}

/** The app command (from --app or ./cdk.json) and the context of ./cdk.json; throws when there is no app. */
function synthCommand(args: CliArguments, io: CliIo): { app: string; context: Record<string, unknown> } {
  const cdkJson = readCdkJson(io.cwd);
  const app = args.app ?? cdkJson.app;
  if (!app) {
    throw new Error(`No app to synthesize: ${path.join(io.cwd, 'cdk.json')} ${fs.existsSync(path.join(io.cwd, 'cdk.json')) ? 'has no "app"' : 'does not exist'}. `
      + 'Run panorama-local in the folder of your cdk.json, or pass --app CMD (e.g. --app "npx ts-node bin/app.ts") or --assembly DIR.');
  }
  return { app, context: cdkJson.context };
}

/**
 * The embedded emulator provisions the device under the id given. A running one is only asked
 * whether it has it (DescribeDevice): its devices come from ProvisionDevice, which picks the id.
 */
async function ensureDevice(emulators: Emulators, deviceId: string, io: CliIo): Promise<void> {
  if (emulators.embedded) {
    const { device, created } = emulators.embedded.ensureDevice(deviceId);
    const since = new Date(device.CreatedTime * 1000).toISOString();
    io.out(`Device ${device.DeviceId}: ${created ? 'provisioned' : `already provisioned (since ${since})`}, ${device.ProvisioningStatus}, ${device.DeviceConnectionStatus}`);
    return;
  }
  const device = await describeRunningDevice(emulators.panoramaEndpoint, deviceId);
  if (!device) {
    throw new Error(`--device ${deviceId}: the running Panorama emulator at ${emulators.panoramaEndpoint} has no device ${deviceId} (DescribeDevice: ResourceNotFoundException). `
      + 'Its devices come from ProvisionDevice, which chooses their ids: provision one there and pass its DeviceId, '
      + 'or unset AWS_ENDPOINT_URL_PANORAMA and AWS_ENDPOINT_URL_S3 to use the embedded emulator, which provisions the device you name.');
  }
  io.out(`Device ${deviceId}: found in the running emulator, ${device.ProvisioningStatus}, ${device.DeviceConnectionStatus}`);
}

/** The types whose events will be printed: those of the assembly (or, to destroy, of the state) the runner reports, or all with --verbose. */
function shownTypes(assembly: string | undefined, state: RunnerState, args: CliArguments): string[] {
  const types = assembly
    ? readCloudAssembly(assembly).stacks.flatMap((stack) => Object.values(stack.template.Resources).map((resource) => resource.Type))
    : Object.values(state.stacks).flatMap((stack) => Object.values(stack.resources).map((resource) => resource.type));
  return types.filter((type) => args.verbose || resourceType(type).reported);
}

/**
 * Per stack, as cdk: the recorded-only summary, then ✅ with the outcome; then the time taken. A
 * stack that succeeded with warnings (a cleanup that failed, a package version kept for another
 * owner) gets each warning on its own line and ⚠️ instead of ✅, saying how many.
 */
function summarize(stacks: StackResult[], args: CliArguments, printer: EventPrinter, io: CliIo, started: number): void {
  for (const stack of stacks) {
    const summary = printer.recordedOnlySummary(stack.stackName);
    if (summary) io.out(summary);
    const ok = !/FAILED|ROLLBACK/.test(stack.status);
    for (const warning of stack.warnings) io.err(`⚠️  ${stack.stackName}: ${warning}`);
    const outcome = args.command === 'destroy' ? ': destroyed' : stack.changed ? '' : ' (no changes)';
    const warned = `succeeded with ${stack.warnings.length} warning(s)`;
    if (!ok) io.out(`\n ❌  ${stack.stackName} ${stack.status}`);
    else if (stack.warnings.length > 0) io.out(`\n ⚠️  ${stack.stackName}${args.command === 'destroy' ? ': destroyed,' : ':'} ${warned}`);
    else io.out(`\n ✅  ${stack.stackName}${outcome}`);
  }
  io.out(`\n✨  ${args.command === 'deploy' ? 'Deployment' : 'Destroy'} time: ${((Date.now() - started) / 1000).toFixed(2)}s`);
}

/** Adds how to start over to the errors of an unreadable state. */
async function withResetHint<T>(folder: StateFolder, work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof RunnerStateError || error instanceof StateFileError) {
      throw new StateFolderError(`${displayPath(error.file)}${error.message.slice(error.file.length)} ${resetHint(folder)}`);
    }
    throw error;
  }
}

function describeError(error: unknown): string {
  if (error instanceof LockHeldError || error instanceof StateFolderError) return error.message;
  return (error as Error)?.message ?? String(error);
}

/**
 * As a program: the process's streams and the exit code. The first Ctrl-C (or SIGTERM) cancels:
 * nothing new starts, waiting imports stop, the stack rolls back, the state is saved. A second
 * one stops at once, keeping the state as of the last finished stack.
 */
export function runPanoramaLocalProgram(): void {
  const running: Running = { cancel: new AbortController() };
  const stop = (signal: NodeJS.Signals, code: number): void => {
    if (!running.cancel!.signal.aborted && running.emulators) {
      process.stderr.write(`\n${signal}: cancelling; what was started is rolled back (${signal} again to stop at once)\n`);
      running.cancel!.abort();
      return;
    }
    process.stderr.write(`\n${signal}: stopping (state saved as of the last finished stack)\n`);
    void Promise.resolve(running.emulators?.stop()).catch(() => undefined).finally(() => {
      running.lock?.release();
      process.exit(code);
    });
  };
  // A reader that went away (`| head`) must not kill a deployment half way: the rest goes unprinted.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
  }
  process.on('SIGINT', () => stop('SIGINT', 130));
  process.on('SIGTERM', () => stop('SIGTERM', 143));
  void main(process.argv.slice(2), PROCESS_IO, running).then((code) => process.exit(code));
}

if (require.main === module) runPanoramaLocalProgram();
