/**
 * 4a. Deploy through the local runner: 1, 10 and 50 imports of small packages (queryInterval 1 s),
 * each run a fresh process with fresh emulators (deploy-child.ts); wall time of the deploy and
 * the Panorama and S3 API calls it made. Sizes interleaved run by run.
 */
import * as path from 'path';
import type { DeployJob, DeployRunResult } from './deploy-child';
import { runChild } from '../lib/child';
import { writeSmallPackages } from '../lib/fixtures';
import { table } from '../lib/markdown';
import { BenchContext, SectionReport } from '../lib/section';
import { formatSummary, integer, seconds, summarize } from '../lib/stats';
import { SYNTH_CHILD } from '../synth/scaling';
import type { SynthJob, SynthResult } from '../synth/synth-child';

const DEPLOY_CHILD = path.join(__dirname, 'deploy-child.ts');
const SIZES = [1, 10, 50];
/** The emulator's import jobs finish after this long (the tests use the same). */
const JOB_DELAY_MS = 100;

const sum = (calls: Record<string, number>): number => Object.values(calls).reduce((a, b) => a + b, 0);
const breakdown = (calls: Record<string, number>): string => Object.entries(calls).sort((a, b) => b[1] - a[1]).map(([op, n]) => `${op} ${n}`).join(', ');

export async function benchDeploy(ctx: BenchContext): Promise<SectionReport> {
  const packages = writeSmallPackages(path.join(ctx.tmp, 'deploy-packages'), Math.max(...SIZES));
  const assemblies = new Map<number, string>();
  for (const n of SIZES) {
    const outdir = path.join(ctx.tmp, `deploy-assembly-${n}`);
    const job: SynthJob = { kind: 'imports', packageDirs: packages.slice(0, n).map((p) => p.packageDir), outdir };
    await runChild<SynthResult>({ script: SYNTH_CHILD, args: [JSON.stringify(job)] });
    assemblies.set(n, outdir);
  }

  const samples = new Map<number, Array<DeployRunResult & { wallMs: number }>>(SIZES.map((n) => [n, []]));
  for (let run = 0; run < ctx.runs; run++) {
    for (const n of SIZES) {
      const job: DeployJob = { assemblyDir: assemblies.get(n)!, codeStore: path.join(ctx.tmp, 'code-store'), imports: n, jobDelayMs: JOB_DELAY_MS, rateLimits: false };
      const r = await runChild<DeployRunResult>({ script: DEPLOY_CHILD, args: [JSON.stringify(job)] });
      samples.get(n)!.push({ ...r.result, wallMs: r.wallMs });
    }
    ctx.log(`deploy: run ${run + 1}/${ctx.runs} done`);
  }

  const rows = SIZES.map((n) => {
    const s = samples.get(n)!;
    const panorama = summarize(s.map((x) => sum(x.panoramaCalls)));
    const s3 = summarize(s.map((x) => sum(x.s3Calls)));
    return [
      String(n),
      formatSummary(summarize(s.map((x) => x.deployMs)), seconds),
      formatSummary(panorama, integer),
      (panorama.median / n).toFixed(1),
      formatSummary(s3, integer),
      (s3.median / n).toFixed(1),
    ];
  });
  const last = (n: number) => samples.get(n)![0];
  const details = SIZES.map((n) => `- ${n} import(s), first run: Panorama: ${breakdown(last(n).panoramaCalls)}; S3: ${breakdown(last(n).s3Calls)}; S3 answers ≥ 300: ${breakdown(last(n).s3Failures)}`);

  return {
    title: '4a. Deploy through the local runner',
    markdown: [
      table(['imports', 'deploy wall time', 'Panorama calls', 'per import', 'S3 calls', 'per import'], rows),
      '',
      `Emulator jobs finish ${JOB_DELAY_MS} ms after they start; the emulator's rate limits are off (real Panorama allows 5 requests/s and 1 write/s). `
        + 'The local runner runs independent resources concurrently, as CloudFormation does. S3 calls are those of the runner (asset publishing) and '
        + 'the handlers (staging), counted by an HTTP proxy in front of s3rver; the emulated Panorama\'s own reads of the staged files are not counted. '
        + 'Each run is a fresh process with fresh emulators, so the handlers load cold once per run. '
        + 'The 404s are existence checks (asset already published? bucket there?). Every DeleteObjects of an import\'s staged files is sent twice: '
        + 's3rver answers a DeleteObjects of several keys under one prefix with a 500 (its parallel deletes race to remove the emptied folder) '
        + 'and the SDK\'s retry succeeds; against real S3 that is one call per import fewer.',
      '',
      ...details,
    ].join('\n'),
    targets: [],
  };
}
