/**
 * `ts-node local-runner/cli.ts deploy --assembly cdk.out` / `destroy`: the local runner from a shell,
 * against emulators already running (see `emulator/cli.ts`). State persists in a JSON file.
 */
import { DeploymentError, LocalDeployer } from './deployer';

const USAGE = `Usage:
  ts-node local-runner/cli.ts deploy --assembly DIR [options]
  ts-node local-runner/cli.ts destroy [options]

Options:
  --assembly DIR            cloud assembly to deploy (cdk.out)
  --state FILE              state file (default .local-deploy/state.json)
  --panorama-endpoint URL   Panorama emulator (default $AWS_ENDPOINT_URL_PANORAMA)
  --s3-endpoint URL         S3 emulator (default $AWS_ENDPOINT_URL_S3)
  --region REGION           default us-east-1
  --account ACCOUNT         default 123456789012
  --no-rollback             keep what a failed deployment created`;

interface CliArguments {
  readonly command: string;
  readonly options: Record<string, string | boolean>;
}

/** `command --name value --flag`; throws on an unknown shape. */
export function parseArguments(argv: string[]): CliArguments {
  const [command, ...rest] = argv;
  const options: Record<string, string | boolean> = {};
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (!arg.startsWith('--')) throw new Error(`Unexpected argument ${arg}`);
    const name = arg.slice(2);
    if (name === 'no-rollback' || name === 'help') options[name] = true;
    else if (i + 1 < rest.length) options[name] = rest[++i];
    else throw new Error(`--${name} needs a value`);
  }
  return { command: command ?? '', options };
}

/** Runs one command; resolves with the process exit code, having printed the reason of a failure. */
export async function main(argv: string[]): Promise<number> {
  try {
    return await run(argv);
  } catch (error) {
    console.error(error instanceof DeploymentError ? `Deployment failed: ${error.message}` : `Error: ${(error as Error).message}`);
    return 1;
  }
}

async function run(argv: string[]): Promise<number> {
  const { command, options } = parseArguments(argv);
  if (options.help || !['deploy', 'destroy'].includes(command)) {
    console.error(USAGE);
    return options.help ? 0 : 2;
  }
  const panoramaEndpoint = (options['panorama-endpoint'] as string | undefined) ?? process.env.AWS_ENDPOINT_URL_PANORAMA;
  const s3Endpoint = (options['s3-endpoint'] as string | undefined) ?? process.env.AWS_ENDPOINT_URL_S3;
  if (!panoramaEndpoint || !s3Endpoint) throw new Error('--panorama-endpoint and --s3-endpoint are required (or AWS_ENDPOINT_URL_PANORAMA / AWS_ENDPOINT_URL_S3)');
  const deployer = new LocalDeployer({
    panoramaEndpoint,
    s3Endpoint,
    stateFile: (options.state as string | undefined) ?? '.local-deploy/state.json',
    region: options.region as string | undefined,
    account: options.account as string | undefined,
  });
  if (command === 'deploy') {
    if (typeof options.assembly !== 'string') throw new Error('deploy needs --assembly DIR');
    const result = await deployer.deploy(options.assembly, { rollback: !options['no-rollback'] });
    for (const stack of result.stacks) console.log(`${stack.stackName}: ${stack.status}`);
  } else {
    const result = await deployer.destroy();
    for (const stack of result.stacks) console.log(`${stack.stackName}: ${stack.status}`);
  }
  return 0;
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => process.exit(code));
}
