import { CreatePackageImportJobCommand, DescribePackageImportJobCommand, PanoramaClient, PanoramaClientConfig } from '@aws-sdk/client-panorama';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PanoramaEmulator, PanoramaEmulatorOptions } from '../../emulator';
import { RunningS3Server, startS3Server } from '../../emulator/s3-server';
import { modelPackageManifest, singleModel } from '../support/node-packages';

/** Dummy credentials: neither s3rver nor the emulator checks signatures. */
export const CREDENTIALS = { accessKeyId: 'x', secretAccessKey: 'x' };
export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';
/** The bucket test manifests are uploaded to. */
export const INPUT_BUCKET = 'input-bucket';

/** A valid node package: what a manifest names and the files beside it. */
export interface TestPackage {
  readonly name: string;
  readonly version: string;
  /** Key prefix of the folder holding package.json and its files, ending in '/'. */
  readonly folder: string;
  /** Extra text in the description, to vary the manifest bytes (and so the patch). */
  readonly variant?: string;
  /** Files to leave out of the upload, to provoke a missing-file failure. */
  readonly omit?: readonly string[];
  /** Replaces the manifest document entirely. */
  readonly manifest?: unknown;
  /** Files to upload beside the manifest, besides (or instead of) the model and its descriptor. */
  readonly files?: Record<string, string>;
}

/** Where an uploaded package's manifest is. */
export interface UploadedPackage {
  readonly bucket: string;
  readonly manifestKey: string;
  readonly manifestBytes: string;
  readonly files: Record<string, string>;
}

/** The model asset and descriptor every test package ships. */
export const MODEL_FILE = 'model.tar.gz';
export const DESCRIPTOR_FILE = 'descriptor.json';

/** Starts s3rver and the emulator once per test file; reset between tests with `emulator.reset()`. */
export class Harness {
  static async start(options: Partial<PanoramaEmulatorOptions> = {}): Promise<Harness> {
    const s3Server = await startS3Server();
    const emulator = await PanoramaEmulator.start({ jobDelayMs: 5, ...options, s3Endpoint: s3Server.endpoint });
    const harness = new Harness(s3Server, emulator);
    await harness.s3.send(new CreateBucketCommand({ Bucket: INPUT_BUCKET }));
    return harness;
  }

  readonly s3: S3Client;
  private readonly clients: PanoramaClient[] = [];

  private constructor(readonly s3Server: RunningS3Server, readonly emulator: PanoramaEmulator) {
    this.s3 = new S3Client({ endpoint: s3Server.endpoint, forcePathStyle: true, region: REGION, credentials: CREDENTIALS });
  }

  /** A real PanoramaClient pointed at the emulator; pass `maxAttempts: 1` to see errors unretried. */
  panorama(config: Partial<PanoramaClientConfig> = {}): PanoramaClient {
    const client = new PanoramaClient({ endpoint: this.emulator.endpoint, region: REGION, credentials: CREDENTIALS, ...config });
    this.clients.push(client);
    return client;
  }

  /** Uploads a small valid manifest with a model asset and its descriptor beside it. */
  async upload(pkg: TestPackage): Promise<UploadedPackage> {
    const files: Record<string, string> = {
      [MODEL_FILE]: `model weights of ${pkg.name} ${pkg.version}`,
      [DESCRIPTOR_FILE]: JSON.stringify({ mlModelDescriptor: { envelopeVersion: '2021-01-01', framework: 'PYTORCH', inputs: [{ name: 'data', shape: [1, 3, 224, 224] }] } }),
      ...pkg.files,
    };
    const manifestBytes = JSON.stringify(pkg.manifest ?? manifestFor(pkg));
    const manifestKey = `${pkg.folder}package.json`;
    await this.put(manifestKey, manifestBytes);
    for (const [file, content] of Object.entries(files)) {
      if (!pkg.omit?.includes(file)) await this.put(pkg.folder + file, content);
    }
    return { bucket: INPUT_BUCKET, manifestKey, manifestBytes, files };
  }

  async put(key: string, body: string): Promise<void> {
    await this.s3.send(new PutObjectCommand({ Bucket: INPUT_BUCKET, Key: key, Body: body }));
  }

  async stop(): Promise<void> {
    this.clients.forEach((client) => client.destroy());
    this.s3.destroy();
    await this.emulator.stop();
    await this.s3Server.stop();
  }
}

/** The manifest of a test package: one model asset with a descriptor, one interface. */
export function manifestFor(pkg: Pick<TestPackage, 'name' | 'version' | 'variant'>): object {
  return modelPackageManifest({
    name: pkg.name,
    version: pkg.version,
    description: `Test package ${pkg.variant ?? ''}`.trim(),
    models: singleModel(MODEL_FILE),
    descriptorUri: DESCRIPTOR_FILE,
  });
}

/** The CreatePackageImportJob input for an uploaded package. */
export function importJobInput(uploaded: UploadedPackage, pkg: Pick<TestPackage, 'name' | 'version'>, clientToken: string, markLatest?: boolean) {
  return {
    JobType: 'NODE_PACKAGE_VERSION' as const,
    ClientToken: clientToken,
    InputConfig: { PackageVersionInputConfig: { S3Location: { BucketName: uploaded.bucket, ObjectKey: uploaded.manifestKey } } },
    OutputConfig: { PackageVersionOutputConfig: { PackageName: pkg.name, PackageVersion: pkg.version, MarkLatest: markLatest } },
  };
}

/** Runs a call that must fail and returns its error, so tests can assert on the error's shape. */
export async function errorOf(call: Promise<unknown>): Promise<any> {
  try {
    await call;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** The HTTP status a call ended with, success or not. */
export function statusOf(call: Promise<{ $metadata: { httpStatusCode?: number } }>): Promise<number | undefined> {
  return call.then((output) => output.$metadata.httpStatusCode, (error) => error.$metadata?.httpStatusCode);
}

/**
 * The hooks the emulator specifications share: one harness per file, a client without retries
 * (so every error reaches the test as the emulator sent it), and a clean emulator before each test.
 */
export function useHarnessPerFile(
  receive: (harness: Harness, panorama: PanoramaClient) => void, options: Partial<PanoramaEmulatorOptions> = {},
): void {
  let harness: Harness;
  beforeAll(async () => {
    harness = await Harness.start(options);
    receive(harness, harness.panorama({ maxAttempts: 1 }));
  });
  afterAll(() => harness.stop());
  beforeEach(() => harness.emulator.reset());
}

/** Imports a test package (one `interface`: video_in and video_out, media) and returns where it was registered. */
export async function importPackage(
  harness: Harness, panorama: PanoramaClient, pkg: { name: string; version?: string; variant?: string; markLatest?: boolean },
): Promise<{ packageId: string; patchVersion: string }> {
  const version = pkg.version ?? '1.0';
  const variant = pkg.variant ?? 'a';
  const test = { name: pkg.name, version, folder: `${pkg.name}/${version}/${variant}/`, variant };
  const uploaded = await harness.upload(test);
  const token = `${pkg.name}-${version.replace('.', '-')}-${variant}`.slice(0, 64);
  const { JobId } = await panorama.send(new CreatePackageImportJobCommand(importJobInput(uploaded, test, token, pkg.markLatest ?? true)));
  await harness.emulator.whenJobsSettled();
  const job = await panorama.send(new DescribePackageImportJobCommand({ JobId }));
  if (job.Status !== 'SUCCEEDED') throw new Error(`import of ${pkg.name} ${job.Status}: ${job.StatusMessage}`);
  return { packageId: job.Output!.PackageId!, patchVersion: job.Output!.PatchVersion! };
}

/** The abstract camera and the HDMI display, as AWS's samples name them. */
export const CAMERA = 'panorama::abstract_rtsp_media_source';
export const DISPLAY = 'panorama::hdmi_data_sink';

/**
 * An application manifest in the samples' shape: AWS's camera -> each named test package in turn
 * -> AWS's display, with `pins` giving a package's patchVersion. As compact JSON, as deployed.
 */
export function chainPayload(account: string, names: readonly string[], pins: Record<string, string> = {}): string {
  const nodes = ['camera_node', ...names.map((n) => `${n.toLowerCase()}_node`), 'display_node'];
  return JSON.stringify({
    nodeGraph: {
      envelopeVersion: '2021-01-01',
      packages: [
        ...names.map((n) => ({ name: `${account}::${n}`, version: '1.0', ...(pins[n] ? { patchVersion: pins[n] } : {}) })),
        { name: CAMERA, version: '1.0' },
        { name: DISPLAY, version: '1.0' },
      ],
      nodes: [
        { name: 'camera_node', interface: `${CAMERA}.rtsp_v1_interface`, overridable: true, decorator: { title: 'Camera', description: 'Choose a camera.' } },
        ...names.map((n) => ({ name: `${n.toLowerCase()}_node`, interface: `${account}::${n}.interface` })),
        { name: 'display_node', interface: `${DISPLAY}.hdmi0` },
      ],
      edges: nodes.slice(1).map((consumer, i) => ({ producer: `${nodes[i]}.video_out`, consumer: `${consumer}.video_in` })),
    },
  });
}
