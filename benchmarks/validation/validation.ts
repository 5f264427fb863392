/**
 * 5. Validation against the compiled schemas (issue #9), before and after, in one run: the library
 * and handlers of the commit before the change (BENCH_BASELINE, default the last commit with the
 * hand-written checks) against this checkout's. Both versions are built here the same way (esbuild
 * bundles of their src/, the handlers with the options of the projen bundle tasks), so the only
 * difference is the code; their synths run interleaved, each in a fresh process.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { gzipSync } from 'zlib';
import { buildSync } from 'esbuild';
import type { ValidationJob, ValidationResult } from './validation-child';
import { runChild } from '../lib/child';
import { compileChild } from '../lib/compile-child';
import { writeSmallPackages } from '../lib/fixtures';
import { table } from '../lib/markdown';
import { BenchContext, SectionReport } from '../lib/section';
import { formatSummary, kibibytes, millis, ratio, summarize } from '../lib/stats';

const ROOT = path.resolve(__dirname, '..', '..');
const NODE_MODULES = path.join(ROOT, 'node_modules');
/** The last commit before the schemas replaced the hand-written checks. */
const DEFAULT_BASELINE = '05a3665b6ebd345035443ea88ea20dea2008e94b';
const HANDLERS = ['on-event.lambda', 'is-complete.lambda'];
const PACKAGES = 10;
/** What the new checks may add to a synth, as a share of it (median of per-run ratios). */
const MAX_ADDED_SHARE = 0.05;

interface Version {
  readonly label: string;
  /** The version's src/ folder. */
  readonly src: string;
  /** Where its library bundle and its handler bundles are laid out as lib/ and assets/ are. */
  readonly dir: string;
  readonly library: string;
}

/** The esbuild arguments of a projen handler bundle task, pointed at another entry and output. */
function bundleArgs(handler: string, entry: string, outfile: string): string[] {
  const tasks = JSON.parse(fs.readFileSync(path.join(ROOT, '.projen', 'tasks.json'), 'utf-8')).tasks;
  const args: string[] = tasks[`bundle:handler/${handler}`].steps[0].execArgs;
  return args.slice(1).map((arg) => {
    if (arg === `src/handler/${handler}.ts`) return entry;
    if (arg.startsWith('--outfile=')) return `--outfile=${outfile}`;
    return arg;
  });
}

/**
 * Builds one version: its handlers as the projen tasks bundle them (and the same build minified,
 * beside them), and its library as one file.
 */
function build(label: string, src: string, dir: string): Version {
  for (const handler of HANDLERS) {
    const entry = path.join(src, 'handler', `${handler}.ts`);
    for (const [folder, extra] of [['assets', []], ['assets-minified', ['--minify']]] as Array<[string, string[]]>) {
      const args = [...bundleArgs(handler, entry, path.join(dir, folder, 'handler', handler, 'index.js')), ...extra];
      execFileSync(path.join(NODE_MODULES, '.bin', 'esbuild'), args, {
        cwd: ROOT,
        env: { ...process.env, NODE_PATH: NODE_MODULES },
        stdio: 'pipe',
      });
    }
  }
  // The library finds its handlers at ../../assets from its own file, as lib/handler/*-function.js does.
  const entry = path.join(dir, 'entry.ts');
  // The folder reader moved into src/package-import/ with the layout of issue 16.
  const reader = ['package-import/package-folder', 'package-folder'].map((p) => path.join(src, p)).find((p) => fs.existsSync(`${p}.ts`))!;
  fs.writeFileSync(entry, `export * from ${JSON.stringify(path.join(src, 'index'))};\nexport { readPackageFolder } from ${JSON.stringify(reader)};\n`);
  const library = path.join(dir, 'lib', 'handler', 'library.js');
  buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    target: 'node20',
    outfile: library,
    external: ['aws-cdk-lib', 'aws-cdk-lib/*', 'constructs'],
    nodePaths: [NODE_MODULES],
    logLevel: 'error',
  });
  return { label, src, dir, library };
}

/** The baseline's src/, from git; undefined when the commit is not in this clone. */
function extractBaseline(commit: string, into: string): string | undefined {
  try {
    fs.mkdirSync(into, { recursive: true });
    const archive = execFileSync('git', ['archive', commit, 'src'], { cwd: ROOT, maxBuffer: 64 * 1024 ** 2 });
    execFileSync('tar', ['-x', '-C', into], { input: archive });
    return path.join(into, 'src');
  } catch {
    return undefined;
  }
}

function sizes(version: Version, handler: string): { raw: number; gzip: number; minified: number } {
  const code = fs.readFileSync(path.join(version.dir, 'assets', 'handler', handler, 'index.js'));
  const minified = fs.statSync(path.join(version.dir, 'assets-minified', 'handler', handler, 'index.js')).size;
  return { raw: code.length, gzip: gzipSync(code).length, minified };
}

const percent = (after: number, before: number): string => `${after >= before ? '+' : ''}${(((after - before) / before) * 100).toFixed(1)}%`;

export async function benchValidation(ctx: BenchContext): Promise<SectionReport> {
  const commit = process.env.BENCH_BASELINE ?? DEFAULT_BASELINE;
  const baselineSrc = extractBaseline(commit, path.join(ctx.tmp, 'baseline-source'));
  if (!baselineSrc) {
    return { title: '5. Validation before and after the compiled schemas', markdown: `Skipped: commit ${commit} is not in this clone (set BENCH_BASELINE).`, targets: [] };
  }
  const before = build(`before (${commit.slice(0, 7)}, hand-written checks)`, baselineSrc, path.join(ctx.tmp, 'version-before'));
  const after = build('after (compiled schemas, descriptors read)', path.join(ROOT, 'src'), path.join(ctx.tmp, 'version-after'));
  const versions = [before, after];
  const packages = writeSmallPackages(path.join(ctx.tmp, 'validation-packages'), PACKAGES).map((p) => p.packageDir);
  const child = compileChild(path.join(__dirname, 'validation-child.ts'), ctx.tmp, ['aws-cdk-lib', 'aws-cdk-lib/*', 'constructs']);
  ctx.log('validation: both versions built');

  const samples = new Map<string, number[]>();
  const add = (key: string, ms: number) => samples.set(key, [...(samples.get(key) ?? []), ms]);
  // Interleaved: each run measures both versions, so load on the shared cores hits them alike.
  for (let run = 0; run < ctx.runs; run++) {
    for (const kind of ['synth', 'validate'] as const) {
      for (const version of versions) {
        const outdir = path.join(ctx.tmp, `validation-out-${run}`);
        const job: ValidationJob = { kind, library: version.library, packageDirs: packages, outdir };
        const r = await runChild<ValidationResult>({ script: child, args: [JSON.stringify(job)], env: { NODE_PATH: NODE_MODULES } });
        add(`${kind} ${version.label}`, r.result.ms);
        fs.rmSync(outdir, { recursive: true, force: true });
      }
    }
    ctx.log(`validation: run ${run + 1}/${ctx.runs} done`);
  }

  const of = (kind: string, version: Version) => samples.get(`${kind} ${version.label}`)!;
  const synthRatios = of('synth', after).map((ms, i) => ms / of('synth', before)[i]);
  const synthRatio = summarize(synthRatios);
  const share = (version: Version) => summarize(of('validate', version).map((ms, i) => ms / of('synth', version)[i]));
  // What the change adds: the checks' extra time, against the whole synth before, run by run.
  const added = summarize(of('validate', after).map((ms, i) => (ms - of('validate', before)[i]) / of('synth', before)[i]));
  const signedPercent = (value: number) => `${value >= 0 ? '+' : ''}${(value * 100).toFixed(2)}%`;
  const share100 = (value: number) => `${(value * 100).toFixed(2)}%`;
  const timing = table(
    ['version', `synth of ${PACKAGES} imports (construct + app.synth)`, `reading and checking the ${PACKAGES} folders alone`, 'that ÷ synth (same run)', 'synth ÷ before (same run)'],
    versions.map((v) => [
      v.label,
      formatSummary(summarize(of('synth', v)), millis),
      formatSummary(summarize(of('validate', v)), millis),
      formatSummary(share(v), share100),
      v === before ? '1.00×' : formatSummary(synthRatio, ratio),
    ]),
  );

  const bundleRows = HANDLERS.flatMap((handler) => {
    const [b, a] = versions.map((v) => sizes(v, handler));
    return [[
      handler,
      kibibytes(b.raw), kibibytes(a.raw), percent(a.raw, b.raw),
      kibibytes(b.minified), kibibytes(a.minified), percent(a.minified, b.minified),
      kibibytes(b.gzip), kibibytes(a.gzip), percent(a.gzip, b.gzip),
    ]];
  });
  const generated = path.join(ROOT, 'src', 'rules', 'schema', 'validators.generated.ts');
  const bundles = table(
    ['handler', 'raw before', 'raw after', 'Δ', 'minified before', 'minified after', 'Δ', 'gzip before', 'gzip after', 'Δ'],
    bundleRows,
  );

  const markdown = [
    timing,
    '',
    `Each bench package is a small model package (manifest, model, descriptor), valid under both versions. "Before" is commit ${commit.slice(0, 7)}: `
      + 'a hand-written walk over part of the manifest schema, descriptors not read. "After" checks the manifest against the whole compiled schema, '
      + 'the rules on top of it, and reads and checks every descriptor. Both libraries are esbuild bundles of their src/, loaded in a fresh process '
      + `with the same aws-cdk-lib; module loading is excluded. The ratios are medians of per-run ratios (${ctx.runs} runs, versions interleaved).`,
    '',
    bundles,
    '',
    'Both versions\' handlers are bundled here with the esbuild arguments of the projen bundle tasks (.projen/tasks.json); minified is the same build with --minify, '
      + `gzip is zlib's default level of the first. The compiled validators (src/rules/schema/validators.generated.ts, ${kibibytes(fs.statSync(generated).size)} for all four schemas) `
      + 'enter onEvent only, and only the manifest and descriptor ones (esbuild drops the graph validators it does not use); isComplete reads no manifest.',
  ].join('\n');

  return {
    title: '5. Validation before and after the compiled schemas',
    markdown,
    targets: [{
      target: `Validation: the compiled schemas and the descriptors add at most ${MAX_ADDED_SHARE * 100}% to the synth of ${PACKAGES} imports (same run)`,
      met: added.median <= MAX_ADDED_SHARE,
      detail: `${formatSummary(added, signedPercent)} of synth (the checks' extra time ÷ synth before, median of per-run ratios); `
        + `reading and checking the folders is ${formatSummary(share(after), share100)} of synth after, ${formatSummary(share(before), share100)} before; `
        + `whole synth after ÷ before ${formatSummary(synthRatio, ratio)}`,
    }],
  };
}
