/**
 * `npm run bench` (issue #6): measures synth scaling, staging at synth, the handlers and deploys
 * through the local runner, and writes BENCHMARKS.md. Not part of `npm test`: it takes minutes and
 * its figures depend on the machine. BENCH_RUNS overrides the repetitions (default 5);
 * BENCH_ONLY=1,3 runs some sections only and merges them into the existing BENCHMARKS.md (each
 * replaces its own section and targets; a header line says what was re-run, when and where).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { benchPackageBuild } from './build/package-build';
import { benchApplicationDeploy } from './deploy/application-deploy';
import { benchDeploy } from './deploy/deploy';
import { benchHandlerMemory } from './deploy/handler-memory';
import { benchPace } from './deploy/pace';
import { benchHandlers } from './handler/bundles';
import { HAS_GNU_TIME } from './lib/child';
import { machineInfo } from './lib/machine';
import { table } from './lib/markdown';
import { mergeReport } from './lib/merge-report';
import { BenchContext, SectionReport } from './lib/section';
import { benchApplicationSynth } from './synth/application';
import { benchSynthScaling } from './synth/scaling';
import { benchStagingSynth } from './synth/staging';
import { benchValidation } from './validation/validation';

const OUTPUT = path.resolve(__dirname, '..', 'BENCHMARKS.md');

const SECTIONS: Array<{ id: string; run: (ctx: BenchContext) => Promise<SectionReport> }> = [
  { id: '1', run: benchSynthScaling },
  { id: '2', run: benchStagingSynth },
  { id: '3', run: benchHandlers },
  { id: '4a', run: benchDeploy },
  { id: '4b', run: benchHandlerMemory },
  { id: '5', run: benchValidation },
  { id: '6', run: benchApplicationSynth },
  { id: '7', run: benchApplicationDeploy },
  { id: '8', run: benchPackageBuild },
  { id: '9', run: benchPace },
];

function log(line: string): void {
  process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}

async function main(): Promise<void> {
  const runs = Number(process.env.BENCH_RUNS ?? 5);
  const only = process.env.BENCH_ONLY?.split(',');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'panorama-bench-'));
  // The scratch folder holds gigabytes: remove it on Ctrl-C too.
  const cleanUp = () => fs.rmSync(tmp, { recursive: true, force: true });
  process.once('SIGINT', () => {
    cleanUp();
    process.exit(130);
  });
  const started = Date.now();
  const machine = machineInfo(tmp);
  const ctx: BenchContext = { tmp, runs, log };
  const reports: SectionReport[] = [];
  try {
    for (const section of SECTIONS.filter((s) => !only || only.includes(s.id))) {
      const sectionStart = Date.now();
      log(`section ${section.id} …`);
      const report = await section.run(ctx);
      log(`section ${section.id} done in ${((Date.now() - sectionStart) / 1000).toFixed(0)} s`);
      reports.push({ ...report, title: `${report.title} _(${((Date.now() - sectionStart) / 1000).toFixed(0)} s)_` });
    }
  } finally {
    cleanUp();
  }
  const totalSeconds = (Date.now() - started) / 1000;
  if (only && fs.existsSync(OUTPUT)) {
    const note = `Re-run alone, section${only.length === 1 ? '' : 's'} ${only.join(', ')}: ${new Date().toISOString()}, commit ${machine.commit}, `
      + `load average at start ${machine.load}, ${runs} runs, ${(totalSeconds / 60).toFixed(1)} min; the other sections are from the whole run above`;
    fs.writeFileSync(OUTPUT, mergeReport(fs.readFileSync(OUTPUT, 'utf-8'), reports, note));
    log(`merged section(s) ${only.join(', ')} into ${OUTPUT}`);
    return;
  }
  const targets = reports.flatMap((r) => r.targets);
  const document = [
    '# Benchmarks',
    '',
    '_Written by `npm run bench` (benchmarks/run.ts); do not edit by hand._',
    '',
    `- Machine: ${machine.cores} cores (${machine.cpuModel}), ${machine.memoryGiB.toFixed(1)} GiB memory, ${machine.os}; Node ${machine.node}`,
    `- Temp file system: ${machine.tmpFilesystem}; load average at start: ${machine.load}; commit ${machine.commit}; ${new Date().toISOString()}`,
    `- Each figure: median (min–max) of ${runs} runs${only ? `; sections run: ${only.join(', ')} only` : ''}. Rows that are compared were measured in the same run, interleaved.`,
    `- Peak memory: max RSS of a fresh child process, from ${HAS_GNU_TIME ? '`/usr/bin/time -v`' : '`process.resourceUsage().maxRSS` in the child'}.`,
    `- Whole bench: ${(totalSeconds / 60).toFixed(1)} min.`,
    '',
    '## Targets',
    '',
    table(['target', 'verdict', 'figures'], targets.map((t) => [t.target, t.met ? 'met' : '**missed**', t.detail])),
    '',
    ...reports.flatMap((r) => [`## ${r.title}`, '', r.markdown, '']),
  ].join('\n');
  fs.writeFileSync(OUTPUT, document);
  log(`wrote ${OUTPUT} in ${(totalSeconds / 60).toFixed(1)} min`);
}

main().catch((e: Error) => {
  console.error(e.stack ?? e.message);
  process.exit(1);
});
