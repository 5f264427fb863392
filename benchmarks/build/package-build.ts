/**
 * 8. Building a package at synth (issue #17): a code package in source form (a Dockerfile that
 * COPYs src/ and RUNs a command, on a stand-in base image made offline from busybox) built by hand
 * as panorama-cli does it (engine build + create + export + rm, `gzip -1`) against the first synth
 * that builds it, the unchanged re-synth (cache in cdk.out), and a re-synth after `rm -rf cdk.out`,
 * interleaved run by run; the engine's commands counted by a shim; and the archive's name over 10
 * synths into fresh cdk.out folders. Skipped, saying why, where no engine answers.
 */
import { spawnSync } from 'child_process';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { BuildJob, BuildResult } from './build-child';
import { runChild } from '../lib/child';
import { table } from '../lib/markdown';
import { BenchContext, SectionReport } from '../lib/section';
import { formatSummary, integer, ratio, seconds, summarize } from '../lib/stats';

const BUILD_CHILD = path.join(__dirname, 'build-child.ts');
const BASE_IMAGE = 'public.ecr.aws/panorama/panorama-application';
const STABILITY_SYNTHS = 10;
const WEIGHTS_BYTES = 32 * 1024 * 1024;
/**
 * The build's own time (first synth minus the unchanged re-synth of the same run, which is the
 * synth without the build) may be this much the same steps by hand: the archive is normalized (one
 * more pass over the export) and hashed.
 */
const MAX_BUILD_RATIO = 1.5;

function engineName(): string | undefined {
  const candidates = process.env.CDK_DOCKER ? [process.env.CDK_DOCKER] : ['podman', 'docker'];
  return candidates.find((engine) => spawnSync(engine, ['info'], { stdio: 'ignore' }).status === 0);
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): string {
  const result = spawnSync(command, args, { encoding: 'utf-8', env, maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

function ensureBaseImage(engine: string, dir: string, env: NodeJS.ProcessEnv): void {
  if (spawnSync(engine, ['image', 'inspect', BASE_IMAGE], { stdio: 'ignore', env }).status === 0) return;
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync('/bin/busybox', path.join(dir, 'busybox'));
  fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM scratch\nCOPY busybox /bin/busybox\nRUN ["/bin/busybox", "--install", "-s", "/bin"]\nCMD ["/bin/sh"]\n');
  run(engine, ['build', '--platform', 'linux/arm64', '-t', BASE_IMAGE, dir], env);
}

/** A code package in source form; `salt` makes its source unique, so no build finds another's layers. */
function writeCodePackage(dir: string, salt: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({
    nodePackage: {
      envelopeVersion: '2021-01-01',
      name: 'BENCH_CODE',
      version: '1.0',
      assets: [],
      interfaces: [{ name: 'interface', category: 'business_logic', asset: 'code_asset', inputs: [{ name: 'video_in', type: 'media' }], outputs: [{ name: 'video_out', type: 'media' }] }],
    },
  }, null, 4));
  fs.writeFileSync(path.join(dir, 'descriptor.json'), JSON.stringify({ runtimeDescriptor: { envelopeVersion: '2021-01-01', entry: { path: 'python3', name: '/panorama/app.py' } } }));
  fs.writeFileSync(path.join(dir, 'Dockerfile'), `FROM ${BASE_IMAGE}\nCOPY src /panorama\nRUN mkdir -p /opt/bench && cp -r /bin /opt/bench/ && echo built > /opt/bench/marker\n`);
  // 32 MiB of incompressible data beside the code (a model's weights baked in), so exporting and
  // compressing weigh as they do in a real image.
  fs.writeFileSync(path.join(dir, 'src', 'app.py'), `# ${salt}\nTHRESHOLD = 0.5\n`);
  fs.writeFileSync(path.join(dir, 'src', 'weights.bin'), randomBytes(WEIGHTS_BYTES));
}

/** A shim engine that counts its commands in a file, then runs the real one. */
function writeShim(dir: string, engine: string): { env: NodeJS.ProcessEnv; count: () => number; reset: () => void } {
  const log = path.join(dir, 'engine-commands.log');
  const shim = path.join(dir, 'counting-engine');
  const real = run('sh', ['-c', `command -v ${engine}`], process.env).trim();
  fs.writeFileSync(shim, `#!/bin/sh\necho "$1" >> '${log}'\nexec '${real}' "$@"\n`, { mode: 0o755 });
  return {
    env: { CDK_DOCKER: shim },
    count: () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf-8').split('\n').filter((l) => l !== '').length : 0),
    reset: () => fs.rmSync(log, { force: true }),
  };
}

/** panorama-cli's steps by hand, timed as one. */
function byHand(engine: string, dir: string, work: string, env: NodeJS.ProcessEnv): number {
  const started = process.hrtime.bigint();
  const tag = `bench-by-hand:${path.basename(work)}`;
  run(engine, ['build', '-t', tag, '--platform', 'linux/arm64', dir], env);
  const id = run(engine, ['create', '--platform', 'linux/arm64', tag, 'true'], env).trim();
  run(engine, ['export', '-o', path.join(work, 'export.tar'), id], env);
  run(engine, ['rm', id], env);
  run('gzip', ['-1', '-f', path.join(work, 'export.tar')], env);
  run('sha256sum', [path.join(work, 'export.tar.gz')], env);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

type Row = 'hand' | 'first' | 'unchanged' | 'rebuilt';

export async function benchPackageBuild(ctx: BenchContext): Promise<SectionReport> {
  const title = '8. Building a package at synth';
  const engine = engineName();
  if (!engine || !fs.existsSync('/bin/busybox')) {
    const why = engine ? '/bin/busybox (busybox-static) is missing' : 'no container engine answers (CDK_DOCKER, podman, docker)';
    return { title, markdown: `Not measured: ${why}.`, targets: [{ target: 'Build: measured', met: false, detail: why }] };
  }
  const env = { ...process.env, BUILDAH_ISOLATION: process.env.BUILDAH_ISOLATION ?? 'chroot' };
  const work = path.join(ctx.tmp, 'package-build');
  fs.mkdirSync(work, { recursive: true });
  ensureBaseImage(engine, path.join(work, 'base'), env);
  const shim = writeShim(work, engine);
  const childEnv = { BUILDAH_ISOLATION: env.BUILDAH_ISOLATION!, ...shim.env } as Record<string, string>;
  const synth = async (packageDir: string, outdir: string) => {
    shim.reset();
    const args = [JSON.stringify({ packageDir, outdir } satisfies BuildJob)];
    const child = await runChild<BuildResult>({ script: BUILD_CHILD, args, env: childEnv });
    return { ...child, commands: shim.count() };
  };

  const times = new Map<Row, number[]>([['hand', []], ['first', []], ['unchanged', []], ['rebuilt', []]]);
  const commands = new Map<Row, number[]>([['first', []], ['unchanged', []], ['rebuilt', []]]);
  let sameAfterRebuild = 0;
  for (let i = 0; i < ctx.runs; i++) {
    const handDir = path.join(work, `hand-src-${i}`);
    const synthDir = path.join(work, `synth-src-${i}`);
    writeCodePackage(handDir, `hand ${i} ${Date.now()}`);
    writeCodePackage(synthDir, `synth ${i} ${Date.now()}`);
    const handWork = path.join(work, `hand-${i}`);
    fs.mkdirSync(handWork, { recursive: true });
    const outdir = path.join(work, `cdk.out-${i}`);
    const order = i % 2 === 0 ? ['hand', 'synth'] : ['synth', 'hand'];
    for (const step of order) {
      if (step === 'hand') {
        times.get('hand')!.push(byHand(engine, handDir, handWork, env));
        continue;
      }
      const first = await synth(synthDir, outdir);
      const unchanged = await synth(synthDir, outdir);
      fs.rmSync(outdir, { recursive: true, force: true });
      const rebuilt = await synth(synthDir, outdir);
      for (const [row, result] of [['first', first], ['unchanged', unchanged], ['rebuilt', rebuilt]] as const) {
        times.get(row)!.push(result.result.synthMs);
        commands.get(row)!.push(result.commands);
      }
      if (rebuilt.result.archive === first.result.archive) sameAfterRebuild++;
    }
    fs.rmSync(outdir, { recursive: true, force: true });
    fs.rmSync(handWork, { recursive: true, force: true });
    ctx.log(`package build: run ${i + 1}/${ctx.runs} done`);
  }

  // The archive's name over fresh cdk.out folders, the same source each time.
  const stableDir = path.join(work, 'stable-src');
  writeCodePackage(stableDir, 'stable');
  const names = new Set<string>();
  for (let i = 0; i < STABILITY_SYNTHS; i++) {
    const outdir = path.join(work, `stable-out-${i}`);
    names.add((await synth(stableDir, outdir)).result.archive);
    fs.rmSync(outdir, { recursive: true, force: true });
  }
  for (const tag of run(engine, ['images', '--format', '{{.Repository}}:{{.Tag}}'], env).split('\n')) {
    if (/bench-by-hand|cdk-panorama-build/.test(tag)) spawnSync(engine, ['rmi', '-f', tag], { stdio: 'ignore', env });
  }

  const buildOwn = times.get('first')!.map((t, i) => t - times.get('unchanged')![i]);
  const buildRatios = summarize(buildOwn.map((t, i) => t / times.get('hand')![i]));
  const unchangedRatios = summarize(times.get('unchanged')!.map((t, i) => t / times.get('hand')![i]));
  const label: Record<Row, string> = {
    hand: `by hand: ${engine} build + create + export + rm, gzip -1, sha256sum`,
    first: 'first synth (builds)',
    unchanged: 'unchanged re-synth, same cdk.out',
    rebuilt: 'unchanged re-synth after rm -rf cdk.out (layer cache warm)',
  };
  const rows: Row[] = ['hand', 'first', 'unchanged', 'rebuilt'];
  const markdown = [
    table(['what', 'time', '÷ by hand (same run)', 'engine commands'], rows.map((row) => [
      label[row],
      formatSummary(summarize(times.get(row)!), seconds),
      row === 'hand' ? '1.00×' : formatSummary(summarize(times.get(row)!.map((t, i) => t / times.get('hand')![i])), ratio),
      row === 'hand' ? '4' : formatSummary(summarize(commands.get(row)!), integer),
    ])),
    '',
    `The build's own time (first synth − unchanged re-synth, same run): ${formatSummary(summarize(buildOwn), seconds)}, `
      + `${formatSummary(buildRatios, ratio)} the steps by hand; the rest of a synth (the construct tree, aws-cdk-lib's modules loaded lazily, `
      + 'hashing the sources and the staged files, app.synth()) is what the unchanged re-synth takes. '
      + 'The package: a Dockerfile that COPYs src/ (32 MiB of incompressible weights, and app.py) onto a stand-in base image (busybox on an empty file system, made offline) and RUNs a copy of /bin, '
      + `built for linux/arm64 with ${engine}; each run's sources are unique, so neither the hand build nor the synth finds the other's layers. `
      + 'A synth row is the construct tree plus app.synth() in a fresh process (the modules it imports up front excluded); by hand is the commands alone. '
      + `After rm -rf cdk.out the archive had the same name in ${sameAfterRebuild} of ${ctx.runs} runs. `
      + `Over ${STABILITY_SYNTHS} synths of one unchanged source into fresh cdk.out folders: ${names.size} archive name${names.size === 1 ? '' : 's'}. `
      + `${ctx.runs} runs, by hand and synth interleaved (alternating which goes first); ratios are medians of per-run ratios.`,
  ].join('\n');
  return {
    title,
    markdown,
    targets: [
      {
        target: `Build: the build's own time at synth (first synth − unchanged re-synth) at most ${MAX_BUILD_RATIO.toFixed(2)}× the same steps by hand (same run)`,
        met: buildRatios.median <= MAX_BUILD_RATIO,
        detail: `${formatSummary(buildRatios, ratio)} (median of per-run ratios); the whole first synth `
          + `${formatSummary(summarize(times.get('first')!.map((t, i) => t / times.get('hand')![i])), ratio)} the time by hand`,
      },
      {
        target: 'Build: an unchanged re-synth runs no engine command',
        met: commands.get('unchanged')!.every((c) => c === 0),
        detail: `${formatSummary(summarize(commands.get('unchanged')!), integer)} engine commands; ${formatSummary(unchangedRatios, ratio)} the time by hand`,
      },
      {
        target: `Build: one archive name over ${STABILITY_SYNTHS} synths of an unchanged source into fresh cdk.out folders, and after rm -rf cdk.out`,
        met: names.size === 1 && sameAfterRebuild === ctx.runs,
        detail: `${names.size} name(s) over ${STABILITY_SYNTHS} synths; the same after rm -rf cdk.out in ${sameAfterRebuild}/${ctx.runs} runs`,
      },
    ],
  };
}
