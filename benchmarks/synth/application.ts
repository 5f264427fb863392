/**
 * 6. Synth of a 10-package application (issue #11): `PanoramaApplication` over a project of ten
 * small packages, against `PanoramaPackageImport` of the same ten folders in a stack of their own,
 * interleaved run by run, each synth in a fresh process. The difference is the application's own
 * cost: reading the project and graph, the graph's checks, the pinned payload and the instance.
 */
import * as fs from 'fs';
import * as path from 'path';
import { SYNTH_CHILD } from './scaling';
import type { SynthJob, SynthResult } from './synth-child';
import { runChild } from '../lib/child';
import { writeApplicationProject } from '../lib/fixtures';
import { table } from '../lib/markdown';
import { BenchContext, SectionReport } from '../lib/section';
import { formatSummary, kibibytes, mebibytes, millis, ratio, seconds, summarize } from '../lib/stats';

const PACKAGES = 10;
/** What the application may add to the synth of its imports alone (median of per-run ratios). */
const MAX_RATIO = 1.25;

type Row = 'imports' | 'application';

export async function benchApplicationSynth(ctx: BenchContext): Promise<SectionReport> {
  const project = writeApplicationProject(path.join(ctx.tmp, 'application-project'), PACKAGES);
  const jobs: Record<Row, (outdir: string) => SynthJob> = {
    imports: (outdir) => ({ kind: 'imports', packageDirs: project.packageDirs, outdir }),
    application: (outdir) => ({ kind: 'application', projectDir: project.projectDir, outdir }),
  };
  const rows: Row[] = ['imports', 'application'];
  const samples = new Map<Row, Array<{ result: SynthResult; wallMs: number; maxRssBytes: number }>>(rows.map((r) => [r, []]));
  for (let run = 0; run < ctx.runs; run++) {
    // Alternating which goes first, so neither row always runs on a cooler (or warmer) machine.
    for (const row of run % 2 === 0 ? rows : [...rows].reverse()) {
      const outdir = path.join(ctx.tmp, `application-out-${row}`);
      samples.get(row)!.push(await runChild<SynthResult>({ script: SYNTH_CHILD, args: [JSON.stringify(jobs[row](outdir))] }));
      fs.rmSync(outdir, { recursive: true, force: true });
    }
    ctx.log(`application synth: run ${run + 1}/${ctx.runs} done`);
  }

  const of = (row: Row) => samples.get(row)!;
  const first = (row: Row) => of(row)[0].result;
  const ratios = summarize(of('application').map((s, i) => s.result.synthMs / of('imports')[i].result.synthMs));
  const added = summarize(of('application').map((s, i) => s.result.synthMs - of('imports')[i].result.synthMs));
  const signedMillis = (ms: number) => `${ms >= 0 ? '+' : '−'}${millis(Math.abs(ms))}`;
  const label: Record<Row, string> = {
    imports: `${PACKAGES} × PanoramaPackageImport (the same folders)`,
    application: `PanoramaApplication of ${PACKAGES} packages`,
  };
  const timing = table(
    ['stack', 'synth (construct + app.synth)', '÷ imports alone (same run)', 'process wall (start-up incl.)', 'peak RSS', 'template', 'resources', 'Lambda functions', 'imports', 'application instances', 'payload as deployed'],
    rows.map((row) => [
      label[row],
      formatSummary(summarize(of(row).map((s) => s.result.synthMs)), millis),
      row === 'imports' ? '1.00×' : formatSummary(ratios, ratio),
      formatSummary(summarize(of(row).map((s) => s.wallMs)), seconds),
      formatSummary(summarize(of(row).map((s) => s.maxRssBytes)), mebibytes),
      kibibytes(first(row).templateBytes),
      String(first(row).resources),
      String(first(row).functions),
      String(first(row).importResources),
      String(first(row).applicationInstances),
      first(row).payloadCharacters === undefined ? '—' : `${first(row).payloadCharacters} characters`,
    ]),
  );
  const extraResources = first('application').resources - first('imports').resources;
  const sameFunctions = first('application').functions === first('imports').functions;
  const markdown = [
    timing,
    '',
    `The project: ${PACKAGES} small model packages (manifest, model, descriptor each) in panorama-cli's layout, and a graph that chains them `
      + `between AWS's camera and display (${PACKAGES + 2} nodes, ${PACKAGES + 1} edges). The application's extra synth time is `
      + `${formatSummary(added, signedMillis)} (per-run differences): reading the project and graph.json, the schema and the cross-checks in two passes, `
      + 'pinning, sizing and rendering the payload, and one more resource. "Payload as deployed" is the manifest payload resolved with a 12-digit account '
      + `and 64-character patch versions, the values its size is checked with (limit 51,200). ${ctx.runs} runs, rows interleaved (alternating which goes first); ratios are medians of per-run ratios.`,
  ].join('\n');

  return {
    title: `6. Synth of a ${PACKAGES}-package application`,
    markdown,
    targets: [
      {
        target: `Application: synth of a ${PACKAGES}-package application at most ${MAX_RATIO.toFixed(2)}× the synth of its ${PACKAGES} imports alone (same run)`,
        met: ratios.median <= MAX_RATIO,
        detail: `${formatSummary(ratios, ratio)} (median of per-run ratios); ${formatSummary(added, signedMillis)} per run`,
      },
      {
        target: `Application: the application adds one resource (the instance) and no Lambda function to its ${PACKAGES} imports`,
        met: extraResources === 1 && sameFunctions && first('application').importResources === PACKAGES,
        detail: `+${extraResources} resource(s); ${first('application').functions} functions with the application, ${first('imports').functions} without; `
          + `${first('application').importResources} imports`,
      },
    ],
  };
}
