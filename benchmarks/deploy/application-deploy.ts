/**
 * 7. Local deploy of a 10-package application (issue #11): `PanoramaApplication` over the project of
 * section 6, deployed through the local runner with panorama-local's timings, against its 10
 * imports alone, interleaved run by run, each run a fresh process with fresh emulators. The
 * application's runs also deploy a new first model (one job, the instance replaced, the old one
 * removed before the old patch is deregistered) and destroy everything.
 */
import * as path from 'path';
import type { ApplicationDeployJob, ApplicationDeployResult, PhaseResult } from './application-deploy-child';
import { runChild } from '../lib/child';
import { writeApplicationProject } from '../lib/fixtures';
import { table } from '../lib/markdown';
import { BenchContext, SectionReport } from '../lib/section';
import { formatSummary, integer, ratio, seconds, summarize } from '../lib/stats';
import { SYNTH_CHILD } from '../synth/scaling';
import type { SynthJob, SynthResult } from '../synth/synth-child';

const CHILD = path.join(__dirname, 'application-deploy-child.ts');
const PACKAGES = 10;
/** The emulated deployment of an instance: 3 statuses of 200 ms each (panorama-local's instanceStepMs). */
const DEPLOYMENT_FLOOR_MS = 3 * 200;
/** What the application may add to its imports' create, in multiples of that floor (median of per-run differences). */
const MAX_ADDED_FLOORS = 2;

type Row = 'imports' | 'application';

const total = (calls: Record<string, number>): number => Object.values(calls).reduce((a, b) => a + b, 0);
const breakdown = (calls: Record<string, number>): string => Object.entries(calls).sort((a, b) => b[1] - a[1]).map(([op, n]) => `${op} ${n}`).join(', ');

export async function benchApplicationDeploy(ctx: BenchContext): Promise<SectionReport> {
  const project = writeApplicationProject(path.join(ctx.tmp, 'deploy-application-v1'), PACKAGES);
  const revised = writeApplicationProject(path.join(ctx.tmp, 'deploy-application-v2'), PACKAGES, { firstModelRevision: 'retrained' });
  const synth = async (job: SynthJob): Promise<string> => {
    await runChild<SynthResult>({ script: SYNTH_CHILD, args: [JSON.stringify(job)] });
    return job.outdir;
  };
  const assemblies = {
    imports: await synth({ kind: 'imports', packageDirs: project.packageDirs, outdir: path.join(ctx.tmp, 'deploy-application-imports'), destroy: true }),
    application: await synth({ kind: 'application', projectDir: project.projectDir, outdir: path.join(ctx.tmp, 'deploy-application-app'), destroy: true }),
    update: await synth({ kind: 'application', projectDir: revised.projectDir, outdir: path.join(ctx.tmp, 'deploy-application-app-v2'), destroy: true }),
  };
  const jobs: Record<Row, ApplicationDeployJob> = {
    imports: { assemblyDir: assemblies.imports, codeStore: path.join(ctx.tmp, 'code-store') },
    application: { assemblyDir: assemblies.application, updateAssemblyDir: assemblies.update, codeStore: path.join(ctx.tmp, 'code-store') },
  };
  const rows: Row[] = ['imports', 'application'];
  const samples = new Map<Row, ApplicationDeployResult[]>(rows.map((r) => [r, []]));
  for (let run = 0; run < ctx.runs; run++) {
    // Alternating which goes first, so neither row always runs on a cooler (or warmer) machine.
    for (const row of run % 2 === 0 ? rows : [...rows].reverse()) {
      samples.get(row)!.push((await runChild<ApplicationDeployResult>({ script: CHILD, args: [JSON.stringify(jobs[row])] })).result);
    }
    ctx.log(`application deploy: run ${run + 1}/${ctx.runs} done`);
  }

  const of = (row: Row) => samples.get(row)!;
  const app = of('application');
  const phases = (pick: (r: ApplicationDeployResult) => PhaseResult | undefined) => app.map(pick).filter((p): p is PhaseResult => p !== undefined);
  const createRatios = summarize(app.map((r, i) => r.create.ms / of('imports')[i].create.ms));
  const differences = app.map((r, i) => r.create.ms - of('imports')[i].create.ms);
  const added = summarize(differences);
  const addedFloors = summarize(differences.map((ms) => ms / DEPLOYMENT_FLOOR_MS));
  const failures = [...of('imports'), ...app].flatMap((r) => [r.create, r.update, r.destroy]).filter((p) => p?.error);
  const warnings = app.flatMap((r) => [...r.create.warnings, ...(r.update?.warnings ?? []), ...r.destroy.warnings]);
  const row = (label: string, results: PhaseResult[], vsImports?: string) => [
    label,
    String(results.length),
    formatSummary(summarize(results.map((p) => p.ms)), seconds),
    vsImports ?? '—',
    formatSummary(summarize(results.map((p) => total(p.calls))), integer),
    results.every((p) => !p.error) ? 'all succeeded' : `**${results.filter((p) => p.error).length} failed**`,
  ];
  const timing = table(['phase', 'runs', 'wall time', '÷ imports alone (same run)', 'Panorama calls', 'outcome'], [
    row(`create: ${PACKAGES} × PanoramaPackageImport (the same folders)`, of('imports').map((r) => r.create), '1.00×'),
    row(`create: PanoramaApplication of ${PACKAGES} packages`, phases((r) => r.create), formatSummary(createRatios, ratio)),
    row('update: a new first model (1 job, the instance replaced)', phases((r) => r.update)),
    row('destroy: the application', phases((r) => r.destroy)),
    row(`destroy: the ${PACKAGES} imports alone`, of('imports').map((r) => r.destroy)),
  ]);
  const first = app[0];
  const signedMillis = (ms: number) => `${ms >= 0 ? '+' : '−'}${Math.abs(ms).toFixed(0)} ms`;
  const updateRight = app.every((r) => r.jobsAfterUpdate === r.jobsAfterCreate + 1 && r.instancesAfterUpdate?.DEPLOYMENT_SUCCEEDED === 1
    && r.instancesAfterUpdate?.REMOVAL_SUCCEEDED === 1 && r.firstPackagePatchesAfterUpdate === 1 && !r.update?.error);
  const createRight = app.every((r) => r.instanceStatusAfterCreate === 'DEPLOYMENT_SUCCEEDED' && r.pinnedPatchesAfterCreate === PACKAGES && r.jobsAfterCreate === PACKAGES);
  const destroyRight = app.every((r) => r.packagesAfterDestroy === 0 && r.activeInstancesAfterDestroy === 0);
  const markdown = [
    timing,
    '',
    `The project of section 6 (${PACKAGES} small model packages between AWS's camera and display), with \`removalPolicy: DESTROY\`, deployed through the local runner `
      + 'with panorama-local\'s timings: import jobs finish 200 ms after they start, an application instance spends 200 ms in each of DEPLOYMENT_PENDING, '
      + 'DEPLOYMENT_REQUESTED and DEPLOYMENT_IN_PROGRESS (likewise for a removal), the imports poll every second (`queryInterval`), the runner reads the instance every 250 ms. '
      + `Rate limits off. The application's create minus its imports' alone, per run: ${formatSummary(added, signedMillis)}: `
      + `the instance is created once the last import completed, then deployed (3 steps of 200 ms, a floor of ${DEPLOYMENT_FLOOR_MS} ms, read every 250 ms). `
      + `${ctx.runs} runs per row, rows interleaved (alternating which goes first), each run a fresh process with fresh emulators; ratios are medians of per-run ratios.`,
    '',
    `- First application run, Panorama calls: create: ${breakdown(first.create.calls)}; update: ${breakdown(first.update?.calls ?? {})}; destroy: ${breakdown(first.destroy.calls)}.`,
    `- After each create: ${first.jobsAfterCreate} import jobs, the instance ${first.instanceStatusAfterCreate}, its manifest pinning ${first.pinnedPatchesAfterCreate} patches; `
      + `after each update: ${first.jobsAfterUpdate} jobs, instances ${JSON.stringify(first.instancesAfterUpdate)}, ${first.firstPackagePatchesAfterUpdate} patch of BenchApp0 registered; `
      + `after each destroy: ${first.packagesAfterDestroy} packages, ${first.activeInstancesAfterDestroy} instances not removed.`,
    ...(failures.length > 0 ? [`- **Failures**: ${failures.map((p) => p!.error!.slice(0, 300)).join(' / ')}`] : []),
    ...(warnings.length > 0 ? [`- **Warnings**: ${warnings.slice(0, 5).join(' / ')}`] : []),
  ].join('\n');

  return {
    title: `7. Local deploy of a ${PACKAGES}-package application`,
    markdown,
    targets: [
      {
        target: `Application deploy: a ${PACKAGES}-package application adds to the local deploy of its ${PACKAGES} imports (same run) at most ${MAX_ADDED_FLOORS}× `
          + `the ${DEPLOYMENT_FLOOR_MS} ms its instance's emulated deployment takes`,
        met: addedFloors.median <= MAX_ADDED_FLOORS && failures.length === 0,
        detail: `${formatSummary(added, signedMillis)} per run (${formatSummary(addedFloors, ratio)} the floor); the whole create ${formatSummary(createRatios, ratio)} its imports' alone; `
          + `${failures.length} failed phases`,
      },
      {
        target: `Application deploy: every run deploys the instance pinned to its ${PACKAGES} patches, a new model replaces it (1 job, the old instance removed, the old patch deregistered, no cleanup warning), and destroy leaves nothing`,
        met: createRight && updateRight && destroyRight && warnings.length === 0,
        detail: `create ${createRight ? 'right' : '**wrong**'} in ${app.length} runs; update ${updateRight ? 'right' : '**wrong**'}; destroy ${destroyRight ? 'right' : '**wrong**'}; ${warnings.length} warnings`,
      },
    ],
  };
}
