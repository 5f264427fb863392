/**
 * 2. Staging at synth: a package with a 1 GiB model (real pseudo-random bytes), synthesized in a
 * fresh process, against `sha256sum` + `cp` of the same file in the same run; peak memory of the
 * synth for a 10 MiB and a 1 GiB model; and the zip-then-copy way (BucketDeployment with
 * Source.asset) beside it. The rows are interleaved run by run; the model file is in the page
 * cache for every row (it was just written), so all of them read from memory alike.
 */
import * as fs from 'fs';
import * as path from 'path';
import { SYNTH_CHILD } from './scaling';
import type { SynthJob, SynthResult } from './synth-child';
import { runChild } from '../lib/child';
import { timeCommand } from '../lib/commands';
import { writeLargeModelPackage } from '../lib/fixtures';
import { table } from '../lib/markdown';
import { BenchContext, SectionReport } from '../lib/section';
import { formatSummary, mebibytes, millis, ratio, seconds, summarize, Summary } from '../lib/stats';

const MiB = 1024 ** 2;
const SIZES = [{ label: '10 MiB', bytes: 10 * MiB }, { label: '1 GiB', bytes: 1024 * MiB }];

interface Row {
  readonly label: string;
  readonly run: () => Promise<{ ms: number; rss?: number }>;
}

export async function benchStagingSynth(ctx: BenchContext): Promise<SectionReport> {
  const packages = SIZES.map((size) => ({
    ...size,
    pkg: writeLargeModelPackage(path.join(ctx.tmp, `staging-${size.bytes}`), `BenchModel${size.bytes}`, size.bytes),
  }));
  ctx.log('staging: model files written');
  const big = packages[1].pkg;
  const copyTarget = path.join(ctx.tmp, 'cp-target.bin');

  const synth = async (job: SynthJob): Promise<{ ms: number; rss: number }> => {
    try {
      const r = await runChild<SynthResult>({ script: SYNTH_CHILD, args: [JSON.stringify(job)] });
      return { ms: r.result.synthMs, rss: r.maxRssBytes };
    } finally {
      fs.rmSync(job.outdir, { recursive: true, force: true });
    }
  };
  const rows: Row[] = [];
  for (const { label, pkg } of packages) {
    rows.push({ label: `PanoramaPackageImport, ${label} model`, run: () => synth({ kind: 'imports', packageDirs: [pkg.packageDir], outdir: path.join(ctx.tmp, 'staging-out') }) });
    // The application folder holds the package folder and the assets folder the model lives in.
    rows.push({ label: `BucketDeployment + Source.asset (zip-then-copy), ${label} model`, run: () => synth({ kind: 'bucket-deployment', directory: pkg.appDir, outdir: path.join(ctx.tmp, 'staging-out') }) });
  }
  const parts: { sha256sum: number[]; cp: number[] } = { sha256sum: [], cp: [] };
  rows.push({
    label: '`sha256sum` + `cp`, 1 GiB model',
    run: async () => {
      const hash = await timeCommand('sha256sum', [big.modelPath]);
      const copy = await timeCommand('cp', [big.modelPath, copyTarget]);
      fs.rmSync(copyTarget, { force: true });
      parts.sha256sum.push(hash);
      parts.cp.push(copy);
      return { ms: hash + copy };
    },
  });

  const samples = new Map<string, Array<{ ms: number; rss?: number }>>(rows.map((r) => [r.label, []]));
  for (let run = 0; run < ctx.runs; run++) {
    for (const row of rows) samples.get(row.label)!.push(await row.run());
    ctx.log(`staging: run ${run + 1}/${ctx.runs} done`);
  }
  for (const { pkg } of packages) fs.rmSync(pkg.appDir, { recursive: true, force: true });

  const time = (label: string): Summary => summarize(samples.get(label)!.map((s) => s.ms));
  const rss = (label: string): Summary | undefined => {
    const values = samples.get(label)!.flatMap((s) => (s.rss === undefined ? [] : [s.rss]));
    return values.length ? summarize(values) : undefined;
  };
  const baseline = time('`sha256sum` + `cp`, 1 GiB model');
  // Each run's ratio against the baseline measured in the same run, then summarized.
  const ratioOf = (label: string): Summary => summarize(samples.get(label)!.map((s, i) => s.ms / samples.get('`sha256sum` + `cp`, 1 GiB model')![i].ms));

  const tableRows = rows.map((row) => {
    const r = rss(row.label);
    const is1GiB = row.label.includes('1 GiB');
    return [
      row.label,
      formatSummary(time(row.label), row.label.includes('10 MiB') ? millis : seconds),
      is1GiB ? formatSummary(ratioOf(row.label), ratio) : '—',
      r ? formatSummary(r, mebibytes) : '—',
    ];
  });

  const ours1G = 'PanoramaPackageImport, 1 GiB model';
  const ours10M = 'PanoramaPackageImport, 10 MiB model';
  const timeRatio = ratioOf(ours1G).median;
  const rss10 = rss(ours10M)!.median;
  const rss1G = rss(ours1G)!.median;
  const growth = (rss1G - rss10) / rss10;

  const markdown = [
    table(['row', 'synth time (construct + app.synth)', '÷ sha256sum+cp (same run)', 'peak RSS of the synth process'], tableRows),
    '',
    `sha256sum + cp of the 1 GiB file: ${formatSummary(baseline, seconds)} (sha256sum ${formatSummary(summarize(parts.sha256sum), seconds)}, `
      + `cp ${formatSummary(summarize(parts.cp), seconds)}). CDK hashes with Node's OpenSSL SHA-256 and copies with copyFile; the file is in the page cache for every row. `
      + 'Synth time excludes Node start-up and module loading; peak RSS is the whole synth process (Node, ts-node, aws-cdk-lib). '
      + 'BucketDeployment synthesizes its source as a directory asset, copied as is into cdk.out; the zip is made later, when cdk-assets '
      + 'publishes it, so the zip\'s own time and memory are not part of these synth figures.',
  ].join('\n');

  return {
    title: '2. Staging at synth',
    markdown,
    targets: [
      {
        target: 'Staging: synth with a 1 GiB model ≤ 1.5× sha256sum + cp of the same file',
        met: timeRatio <= 1.5,
        detail: `${ratio(timeRatio)} (median of per-run ratios)`,
      },
      {
        target: 'Staging: synth peak memory does not grow with the model size (10 MiB vs 1 GiB)',
        // Within 5%: RSS of identical work varies by a few MiB between runs.
        met: Math.abs(growth) <= 0.05,
        detail: `${mebibytes(rss10)} vs ${mebibytes(rss1G)} (${(growth * 100).toFixed(1)}%)`,
      },
    ],
  };
}
