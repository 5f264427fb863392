/**
 * The container engine a build runs: the one aws-cdk-lib's bundling runs (`CDK_DOCKER`, else
 * `docker`), found before anything is built, and run with its output kept for the error message.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** How many of an engine's last output lines a failure shows. */
const TAIL_LINES = 20;

/** The engine's command, as CDK's bundling chooses it. */
export function engineCommand(env: NodeJS.ProcessEnv = process.env): string {
  return env.CDK_DOCKER ?? 'docker';
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The engine's path, or undefined when it is not installed (not on PATH). */
export function findEngine(command: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (command.includes('/')) return isExecutable(command) ? command : undefined;
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, command))) return path.join(dir, command);
  }
  return undefined;
}

/** A container engine, for one package's build (named in every error). */
export class Engine {
  /**
   * The engine CDK would run; a one-line error saying what to install when there is none.
   * @param needs what needs it, for the message (`package SSD_MODEL (packages/…)`)
   */
  public static find(needs: string, env: NodeJS.ProcessEnv = process.env): Engine {
    const command = engineCommand(env);
    const found = findEngine(command, env);
    if (!found) {
      throw new Error(`Building ${needs} needs a container engine, but ${JSON.stringify(command)} (CDK_DOCKER, else docker) is not installed: `
        + 'install Docker, or Podman (apt-get install podman) and set CDK_DOCKER=podman; or skip the build by skipping bundling (cdk synth --exclusively / bundlingStacks)');
    }
    return new Engine(found, command, needs, env);
  }

  private constructor(
    public readonly executable: string,
    public readonly command: string,
    private readonly needs: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** Runs the engine; returns its standard output, or throws with its last lines and the package. */
  public run(args: string[]): string {
    const result = spawnSync(this.executable, args, { encoding: 'utf-8', maxBuffer: 256 * 1024 * 1024, env: this.env });
    if (result.status === 0) return result.stdout;
    const output = `${result.stdout ?? ''}\n${result.stderr ?? ''}`.split('\n').map((l) => l.trimEnd()).filter((l) => l !== '');
    const why = result.error ? result.error.message : result.signal ? `killed by ${result.signal}` : `exit code ${result.status}`;
    throw new Error(`Building ${this.needs}: \`${this.command} ${args.join(' ')}\` failed (${why}). Its last lines:\n`
      + (output.slice(-TAIL_LINES).join('\n') || '(no output)'));
  }
}
