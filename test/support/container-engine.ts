/**
 * The real container engine for the tests that build images: the one CDK runs (`CDK_DOCKER`, else
 * podman or docker, whichever answers), and a stand-in for Panorama's base image made offline from
 * Debian's busybox-static, tagged with the name real Dockerfiles start from. Where no engine answers,
 * those tests are skipped, unless PANORAMA_REQUIRE_ENGINE=1 (CI), where that is an error.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BASE_IMAGE } from './source-project';

const BUSYBOX = '/bin/busybox';

function answers(engine: string): boolean {
  const result = spawnSync(engine, ['info'], { encoding: 'utf-8', timeout: 60_000 });
  return result.status === 0;
}

/** The engine to build with, or undefined (then the caller skips) when none answers here. */
export function usableEngine(): string | undefined {
  const candidates = process.env.CDK_DOCKER ? [process.env.CDK_DOCKER] : ['podman', 'docker'];
  const found = candidates.find(answers);
  const busybox = fs.existsSync(BUSYBOX);
  if (found && busybox) return found;
  if (process.env.PANORAMA_REQUIRE_ENGINE === '1') {
    throw new Error(`PANORAMA_REQUIRE_ENGINE=1, but ${found ? `${BUSYBOX} (Debian's busybox-static) is missing` : `no engine answers (${candidates.join(', ')})`}`);
  }
  return undefined;
}

/** The environment a build runs in: the engine for CDK, and chroot isolation for buildah's RUN. */
export function engineEnvironment(engine: string): NodeJS.ProcessEnv {
  return { CDK_DOCKER: engine, BUILDAH_ISOLATION: process.env.BUILDAH_ISOLATION ?? 'chroot' };
}

function run(engine: string, args: string[], options: { cwd?: string } = {}): string {
  const result = spawnSync(engine, args, { encoding: 'utf-8', env: { ...process.env, ...engineEnvironment(engine) }, ...options });
  if (result.status !== 0) throw new Error(`${engine} ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

/**
 * Makes the stand-in base image when the engine does not have it: busybox and its applets on an
 * empty file system, as an arm64 image (its RUN steps still run here: the binary is this machine's).
 */
export function ensureBaseImage(engine: string): void {
  if (spawnSync(engine, ['image', 'inspect', BASE_IMAGE], { stdio: 'ignore' }).status === 0) return;
  const context = fs.mkdtempSync(path.join(os.tmpdir(), 'panorama-base-'));
  try {
    fs.copyFileSync(BUSYBOX, path.join(context, 'busybox'));
    fs.chmodSync(path.join(context, 'busybox'), 0o755);
    fs.writeFileSync(path.join(context, 'Dockerfile'), [
      'FROM scratch',
      'COPY busybox /bin/busybox',
      'RUN ["/bin/busybox", "--install", "-s", "/bin"]',
      'CMD ["/bin/sh"]',
      '',
    ].join('\n'));
    run(engine, ['build', '--platform', 'linux/arm64', '-t', BASE_IMAGE, context]);
  } finally {
    fs.rmSync(context, { recursive: true, force: true });
  }
}

/** The engine's command, run in the tests' environment; its standard output. */
export function engineRun(engine: string, args: string[]): string {
  return run(engine, args);
}
