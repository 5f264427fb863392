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
/**
 * With the emulator's Panorama rate limits on (5 requests/s, 1 write/s), as the service has them.
 * 50 imports take minutes a run there, so that row gets 3 runs.
 */
const RATE_LIMITED = [{ imports: 1, maxRuns: Infinity }, { imports: 10, maxRuns: Infinity }, { imports: 50, maxRuns: 3 }];

interface Row {
  readonly imports: number;
  readonly rateLimits: boolean;
  readonly maxRuns: number;
}
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

  const rows: Row[] = [
    ...SIZES.map((imports) => ({ imports, rateLimits: false, maxRuns: Infinity })),
    ...RATE_LIMITED.map((r) => ({ ...r, rateLimits: true })),
  ];
  const samples = new Map<Row, Array<DeployRunResult & { wallMs: number }>>(rows.map((r) => [r, []]));
  for (let run = 0; run < ctx.runs; run++) {
    for (const row of rows.filter((r) => run < r.maxRuns)) {
      const job: DeployJob = {
        assemblyDir: assemblies.get(row.imports)!, codeStore: path.join(ctx.tmp, 'code-store'), imports: row.imports, jobDelayMs: JOB_DELAY_MS, rateLimits: row.rateLimits,
      };
      const r = await runChild<DeployRunResult>({ script: DEPLOY_CHILD, args: [JSON.stringify(job)] });
      samples.get(row)!.push({ ...r.result, wallMs: r.wallMs });
    }
    ctx.log(`deploy: run ${run + 1}/${ctx.runs} done`);
  }

  const tableRows = rows.map((row) => {
    const s = samples.get(row)!;
    const panorama = summarize(s.map((x) => sum(x.panoramaCalls)));
    const s3 = summarize(s.map((x) => sum(x.s3Calls)));
    const failed = s.filter((x) => x.error).length;
    return [
      String(row.imports),
      row.rateLimits ? 'on' : 'off',
      `${s.length}`,
      formatSummary(summarize(s.map((x) => x.deployMs)), seconds),
      failed === 0 ? 'all succeeded' : `**${failed} of ${s.length} failed**`,
      formatSummary(panorama, integer),
      (panorama.median / row.imports).toFixed(1),
      formatSummary(s3, integer),
      (s3.median / row.imports).toFixed(1),
    ];
  });
  const details = rows.map((row) => {
    const first = samples.get(row)![0];
    return `- ${row.imports} import(s), rate limits ${row.rateLimits ? 'on' : 'off'}, first run: Panorama: ${breakdown(first.panoramaCalls)}; `
      + `S3: ${breakdown(first.s3Calls)}; S3 answers ≥ 300: ${breakdown(first.s3Failures)}`
      + (first.error ? `; **failed**: ${first.error.slice(0, 400)}` : '');
  });
  const limited50 = samples.get(rows[rows.length - 1])!;
  const limited50Failed = limited50.filter((x) => x.error).length;

  return {
    title: '4a. Deploy through the local runner',
    markdown: [
      table(['imports', 'Panorama rate limits', 'runs', 'deploy wall time', 'outcome', 'Panorama calls', 'per import', 'S3 calls', 'per import'], tableRows),
      '',
      `Emulator jobs finish ${JOB_DELAY_MS} ms after they start. Rate limits off measures our own overhead; on, the emulator enforces Panorama's `
        + '5 requests/s and 1 write/s and answers ThrottlingException beyond them, which the handlers retry (standard mode: onEvent 25 attempts, isComplete answers "not yet" and polls again). '
        + 'The local runner runs independent resources concurrently, as CloudFormation does. S3 calls are those of the runner (asset publishing) and '
        + 'the handlers (staging), counted by an HTTP proxy in front of s3rver; the emulated Panorama\'s own reads of the staged files are not counted. '
        + 'Each run is a fresh process with fresh emulators, so the handlers load cold once per run. '
        + 'The 404s are existence checks (asset already published? bucket there?). Every DeleteObjects of an import\'s staged files is sent twice: '
        + 's3rver answers a DeleteObjects of several keys under one prefix with a 500 (its parallel deletes race to remove the emptied folder) '
        + 'and the SDK\'s retry succeeds; against real S3 that is one call per import fewer.',
      '',
      ...details,
    ].join('\n'),
    // Listed only when missed: 50 rate-limited imports failed before the handlers' retry budget was raised.
    targets: limited50Failed === 0 ? [] : [{
      target: 'Deploy: 50 imports in one stack succeed under Panorama\'s rate limits (not in the brief: found by this bench)',
      met: false,
      detail: `${limited50Failed} of ${limited50.length} runs failed with ThrottlingException after ${seconds(summarize(limited50.map((x) => x.deployMs)).median)}. `
        + 'Reason: every import\'s onEvent calls CreatePackageImportJob at once (the runner, like CloudFormation, creates independent resources concurrently), '
        + 'Panorama allows 1 write/s, and the SDK\'s standard retry gives up after 10 attempts with backoff capped at 20 s. '
        + 'To close: retry throttling in the handler for as long as the Lambda timeout allows (adaptive retry mode or a deadline from getRemainingTimeInMillis), '
        + 'or serialize the imports of a stack (a dependency chain between the custom resources).',
    }],
  };
}
