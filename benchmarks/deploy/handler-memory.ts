/**
 * 4b. The onEvent handler's peak memory when staging a 10 MiB and a 1 GiB asset: s3rver and the
 * Panorama emulator run here, the assets are uploaded once, and each run invokes the shipped
 * bundle in a fresh child (lib/child.ts measures its max RSS), sizes interleaved. A require-only
 * row gives the baseline of Node plus the bundle.
 */
import * as fs from 'fs';
import * as path from 'path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { PanoramaEmulator, startS3Server } from '../../emulator';
import { ensureBucket, localS3Client } from '../../local-runner/s3-objects';
import { runChild } from '../lib/child';
import { compileChild } from '../lib/compile-child';
import { writeLargeModelPackage } from '../lib/fixtures';
import { table } from '../lib/markdown';
import { BenchContext, SectionReport } from '../lib/section';
import { formatSummary, mebibytes, seconds, summarize } from '../lib/stats';

const ROOT = path.resolve(__dirname, '..', '..');
const ON_EVENT_BUNDLE = path.join(ROOT, 'assets', 'handler', 'on-event.lambda', 'index.js');
const MiB = 1024 ** 2;
const SIZES = [{ label: '10 MiB', bytes: 10 * MiB }, { label: '1 GiB', bytes: 1024 * MiB }];
const ASSET_BUCKET = 'cdk-bench-assets-123456789012-us-east-1';
const STAGING_BUCKET = 'bench-staging-bucket';
const REGION = 'us-east-1';

export async function benchHandlerMemory(ctx: BenchContext): Promise<SectionReport> {
  const s3Server = await startS3Server();
  const emulator = await PanoramaEmulator.start({ s3Endpoint: s3Server.endpoint, jobDelayMs: 100 });
  const s3 = localS3Client(s3Server.endpoint, REGION);
  try {
    await ensureBucket(s3, ASSET_BUCKET);
    await ensureBucket(s3, STAGING_BUCKET);
    const packages = [];
    for (const size of SIZES) {
      const name = `BenchStage${size.bytes}`;
      const pkg = writeLargeModelPackage(path.join(ctx.tmp, `handler-${size.bytes}`), name, size.bytes);
      const files = [pkg.manifestPath, ...fs.readdirSync(pkg.assetsDir).map((f) => path.join(pkg.assetsDir, f))];
      const staged = [];
      for (const file of files) {
        const key = `${size.bytes}/${path.basename(file)}`;
        // Streamed with its length, as cdk-assets and the runner publish, so nothing here holds 1 GiB.
        const body = fs.createReadStream(file);
        await s3.send(new PutObjectCommand({ Bucket: ASSET_BUCKET, Key: key, Body: body, ContentLength: fs.statSync(file).size }));
        staged.push({ Name: path.basename(file), Bucket: ASSET_BUCKET, Key: key });
      }
      fs.rmSync(pkg.appDir, { recursive: true, force: true });
      packages.push({ ...size, name, files: staged });
    }
    ctx.log('handler memory: assets uploaded to s3rver');

    const child = compileChild(path.join(__dirname, 'handler-memory-child.ts'), path.join(ctx.tmp, 'handler-child'));
    const env = {
      AWS_ENDPOINT_URL_S3: s3Server.endpoint,
      AWS_ENDPOINT_URL_PANORAMA: emulator.endpoint,
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: 'AKIABENCH00000000000',
      AWS_SECRET_ACCESS_KEY: 'bench-dummy-secret',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    const rows = [{ label: 'require only (no event)', event: undefined as object | undefined }, ...packages.map((p) => ({ label: `Create, staging a ${p.label} asset`, event: {} as object | undefined }))];
    const samples = new Map<string, Array<{ rss: number; ms: number }>>(rows.map((r) => [r.label, []]));
    for (let run = 0; run < ctx.runs; run++) {
      for (const [i, row] of rows.entries()) {
        const pkg = i === 0 ? undefined : packages[i - 1];
        const event = pkg ? createEvent(pkg.name, pkg.files, `Import${pkg.bytes}Run${run}`) : undefined;
        const args = event ? [ON_EVENT_BUNDLE, JSON.stringify(event)] : [ON_EVENT_BUNDLE];
        const r = await runChild<{ handlerMs: number }>({ script: child, args, env });
        samples.get(row.label)!.push({ rss: r.maxRssBytes, ms: r.result.handlerMs });
      }
      ctx.log(`handler memory: run ${run + 1}/${ctx.runs} done`);
    }

    const rss = (label: string) => summarize(samples.get(label)!.map((s) => s.rss));
    const tableRows = rows.map((row) => [
      row.label,
      formatSummary(rss(row.label), mebibytes),
      row.event ? formatSummary(summarize(samples.get(row.label)!.map((s) => s.ms)), seconds) : '—',
    ]);
    const small = rss(rows[1].label).median;
    const large = rss(rows[2].label).median;
    const difference = (large - small) / small;
    return {
      title: '4b. The handler\'s peak memory while staging',
      markdown: [
        table(['onEvent run (fresh process, shipped bundle)', 'peak RSS', 'handler time (stage + start job)'], tableRows),
        '',
        'The copies are server-side (CopyObject; UploadPartCopy above 5 GiB), so the asset\'s bytes never pass through the handler. '
          + 'Handler time is dominated by s3rver copying the file on local disk.',
      ].join('\n'),
      targets: [{
        target: 'Handler: peak memory staging a 1 GiB asset within 10% of a 10 MiB one',
        met: Math.abs(difference) <= 0.10,
        detail: `${mebibytes(small)} vs ${mebibytes(large)} (${(difference * 100).toFixed(1)}%)`,
      }],
    };
  } finally {
    s3.destroy();
    await emulator.stop();
    await s3Server.stop();
  }
}

/** The Create event the Provider framework hands onEvent, with the properties the construct writes. */
function createEvent(packageName: string, files: Array<{ Name: string; Bucket: string; Key: string }>, logicalId: string): object {
  return {
    RequestType: 'Create',
    StackId: `arn:aws:cloudformation:${REGION}:123456789012:stack/PanoramaBench/00000000-0000-0000-0000-000000000000`,
    RequestId: `bench-${logicalId}`,
    LogicalResourceId: logicalId,
    ResourceType: 'Custom::PanoramaPackageImport',
    ResourceProperties: {
      ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:bench',
      PackageName: packageName,
      PackageVersion: '1.0',
      MarkLatest: 'true',
      JobType: 'NODE_PACKAGE_VERSION',
      RemovalPolicy: 'retain',
      Source: { Type: 'Files', ContentHash: `${logicalId}`.padEnd(64, '0'), ManifestName: 'package.json', Files: files },
      Staging: { Bucket: STAGING_BUCKET, Prefix: 'imports/' },
    },
  };
}
