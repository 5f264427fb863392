/** The command line of `panorama-local`: what it accepts (read by Node's util.parseArgs), and its help. */
import { parseArgs, ParseArgsOptionDescriptor, ParseArgsOptionsConfig } from 'util';
import { DEFAULT_STATE_FOLDER } from './state-folder';
import { deviceIdProblem } from '../emulator/devices';

export const USAGE = `Usage: panorama-local <deploy|destroy> [STACK...] [options]

Deploys a CDK app's Panorama package imports and application instances offline, against a local
Panorama emulator and a local S3, through the construct's real handlers. What it deploys is kept in ${DEFAULT_STATE_FOLDER}/,
so the next deploy is an update and destroy removes it.

Commands:
  deploy [STACK...]    synthesize the app, then create or update every stack, those of Stages
                       included (or the selected ones and the stacks they depend on)
  destroy [STACK...]   delete what earlier deploys created (every stack, or the selected ones)

  A STACK selects as in cdk deploy: a stack's path in the app (MyStack, Dev/MyStack in a
  Stage) where * stays within one level (Dev/* is every stack of Dev, ** every stack), or a
  stack name (Dev-MyStack).

Options:
  --app CMD            command that synthesizes the app (default: "app" of ./cdk.json)
  --assembly DIR       deploy this cloud assembly (a cdk.out) instead of synthesizing
  --state DIR          where the state is kept (default: ${DEFAULT_STATE_FOLDER})
  --device ID          make sure a provisioned device with this id exists in the emulator, for
                       your application instances (deploy only; repeat it for several devices;
                       with running emulators, checks that they have it)
  --no-rollback        keep what a failed deployment created, as cdk deploy --no-rollback
  --verbose, -v        also print every resource, the runner's steps and the handlers' logs
  --help, -h           print this help

Environment:
  AWS_ENDPOINT_URL_PANORAMA and AWS_ENDPOINT_URL_S3 (both): use these running emulators (such as
  npx panorama-emulator) instead of starting the embedded ones.

To start over, delete the state folder (rm -rf ${DEFAULT_STATE_FOLDER}).`;

/** A parsed command line. */
export interface CliArguments {
  readonly command: 'deploy' | 'destroy' | 'help';
  readonly stacks: string[];
  readonly app?: string;
  readonly assembly?: string;
  readonly state: string;
  readonly devices: string[];
  readonly rollback: boolean;
  readonly verbose: boolean;
}

/** A command line that makes no sense; printed with the usage, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The options, as Node's parseArgs takes them; each value option may repeat, so a repeat can be refused by name. */
const OPTIONS: ParseArgsOptionsConfig = {
  'app': { type: 'string', multiple: true },
  'assembly': { type: 'string', multiple: true },
  'state': { type: 'string', multiple: true },
  'device': { type: 'string', multiple: true },
  'no-rollback': { type: 'boolean' },
  'verbose': { type: 'boolean', short: 'v' },
  'help': { type: 'boolean', short: 'h' },
};

/** Parses `argv` (without node and the script); throws UsageError. */
export function parseArguments(argv: readonly string[]): CliArguments {
  // Not strict: its errors are Node's; the tokens let this one name the option as it was written.
  const { tokens } = parseArgs({ args: argv, options: OPTIONS, strict: false, allowPositionals: true, tokens: true });
  if (tokens.some((token) => token.kind === 'option' && token.name === 'help')) {
    return { command: 'help', stacks: [], state: DEFAULT_STATE_FOLDER, devices: [], rollback: true, verbose: false };
  }
  const positional: string[] = [];
  const values = new Map<string, string[]>();
  let rollback = true;
  let verbose = false;
  for (const token of tokens) {
    if (token.kind === 'positional') {
      positional.push(token.value);
    } else if (token.kind === 'option') {
      const option: ParseArgsOptionDescriptor | undefined = OPTIONS[token.name];
      // A short option in a group (-vx) is named by the whole group, as it was typed.
      const written = token.rawName.startsWith('--') ? token.rawName : argv[token.index];
      if (!option) throw new UsageError(`Unknown option ${written}`);
      if (option.type === 'boolean') {
        if (token.value !== undefined) throw new UsageError(`${token.rawName} takes no value`);
        if (token.name === 'verbose') verbose = true;
        else rollback = false;
      } else {
        if (token.value === undefined || token.value === '') throw new UsageError(`${token.rawName} needs a value`);
        values.set(token.rawName, [...(values.get(token.rawName) ?? []), token.value]);
      }
    }
  }
  const single = (flag: string): string | undefined => {
    const given = values.get(flag) ?? [];
    if (given.length > 1) throw new UsageError(`${flag} may be given once, got ${given.length} times`);
    return given[0];
  };
  const [command, ...stacks] = positional;
  if (command === undefined) throw new UsageError('Missing command: deploy or destroy');
  if (command !== 'deploy' && command !== 'destroy') throw new UsageError(`Unknown command ${command}: use deploy or destroy`);
  const app = single('--app');
  const assembly = single('--assembly');
  const devices = values.get('--device') ?? [];
  for (const device of devices) {
    const problem = deviceIdProblem(device);
    if (problem) throw new UsageError(`--device ${device}: ${problem}`);
  }
  if (app !== undefined && assembly !== undefined) throw new UsageError('--app and --assembly exclude each other: synthesize, or deploy an assembly');
  if (command === 'destroy') {
    const misplaced = ['--app', '--assembly', '--device'].filter((flag) => values.has(flag));
    if (misplaced.length > 0) throw new UsageError(`${misplaced.join(', ')} ${misplaced.length === 1 ? 'applies' : 'apply'} only to deploy`);
  }
  return { command, stacks, app, assembly, state: single('--state') ?? DEFAULT_STATE_FOLDER, devices: [...new Set(devices)], rollback, verbose };
}
