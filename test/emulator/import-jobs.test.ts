import { createHash } from 'crypto';
import {
  CreatePackageImportJobCommand,
  DescribePackageImportJobCommand,
  DescribePackageVersionCommand,
  DescribePackageCommand,
  ListPackageImportJobsCommand,
  paginateListPackageImportJobs,
  PanoramaClient,
} from '@aws-sdk/client-panorama';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { ACCOUNT, DESCRIPTOR_FILE, errorOf, Harness, importJobInput, manifestFor, MODEL_FILE, useHarnessPerFile } from './harness';
import { BROKEN_DESCRIPTORS, cameraPackage, gpuCodePackage, PackageShape, unbuiltPackage } from '../support/real-shapes';

let harness: Harness;
let panorama: PanoramaClient;
useHarnessPerFile((started, client) => {
  harness = started;
  panorama = client;
});

async function importAndSettle(name: string, version: string, token: string, options: { variant?: string; markLatest?: boolean } = {}) {
  const pkg = { name, version, folder: `${name}/${version}/${options.variant ?? 'base'}/`, variant: options.variant };
  const uploaded = await harness.upload(pkg);
  const { JobId } = await panorama.send(new CreatePackageImportJobCommand(importJobInput(uploaded, pkg, token, options.markLatest)));
  await harness.emulator.whenJobsSettled();
  return { uploaded, job: await panorama.send(new DescribePackageImportJobCommand({ JobId })) };
}

describe('a valid import job', () => {
  test('starts PENDING and returns its JobId', async () => {
    // GIVEN a valid manifest and its files in S3
    const pkg = { name: 'pending_model', version: '1.0', folder: 'pending/' };
    const uploaded = await harness.upload(pkg);

    // WHEN the job is created and described at once
    const { JobId } = await panorama.send(new CreatePackageImportJobCommand(importJobInput(uploaded, pkg, 'token-pending')));
    const job = await panorama.send(new DescribePackageImportJobCommand({ JobId }));

    // THEN it is PENDING with its request echoed and epoch timestamps
    expect(job.Status).toBe('PENDING');
    expect(job.ClientToken).toBe('token-pending');
    expect(job.OutputConfig?.PackageVersionOutputConfig?.PackageName).toBe('pending_model');
    expect(job.CreatedTime).toBeInstanceOf(Date);
    // AND it has the Output the model requires, naming nothing yet
    expect(job.Output).toEqual({ PackageId: '', PackageVersion: '', PatchVersion: '', OutputS3Location: { BucketName: '', ObjectKey: '' } });
    await harness.emulator.whenJobsSettled();
  });

  test('SUCCEEDS with the patch version, the stored manifest location and a registered version', async () => {
    // GIVEN / WHEN a valid package is imported
    const { uploaded, job } = await importAndSettle('squeezenet', '1.0', 'token-ok', { markLatest: true });

    // THEN the output names the package, the sha256 patch and where the manifest landed
    expect(job.Status).toBe('SUCCEEDED');
    const patch = createHash('sha256').update(uploaded.manifestBytes).digest('hex');
    const packageId = job.Output!.PackageId!;
    expect(packageId).toMatch(/^package-[a-z0-9]{26}$/);
    expect(job.Output).toEqual({
      PackageId: packageId,
      PackageVersion: '1.0',
      PatchVersion: patch,
      OutputS3Location: {
        BucketName: `panorama-storage-${ACCOUNT}`,
        ObjectKey: `${ACCOUNT}/nodePackages/${packageId}/manifests/1.0/${patch}.json`,
      },
    });
    // AND the version is registered as the latest patch
    const version = await panorama.send(new DescribePackageVersionCommand({ PackageId: packageId, PackageVersion: '1.0' }));
    expect(version).toMatchObject({ PatchVersion: patch, Status: 'REGISTER_COMPLETED', IsLatestPatch: true, OwnerAccount: ACCOUNT });
  });

  test('copies the manifest, asset and descriptor into the package storage', async () => {
    // GIVEN / WHEN a valid package is imported
    const { uploaded, job } = await importAndSettle('copied', '2.3', 'token-copy');

    // THEN every file is readable from the managed storage
    const storage = (await panorama.send(new DescribePackageCommand({ PackageId: job.Output!.PackageId }))).StorageLocation!;
    const read = async (key: string) => (await harness.s3.send(new GetObjectCommand({ Bucket: storage.Bucket, Key: key }))).Body!.transformToString();
    expect(await read(`${storage.BinaryPrefixLocation}/${MODEL_FILE}`)).toBe(uploaded.files[MODEL_FILE]);
    expect(await read(`${storage.BinaryPrefixLocation}/${DESCRIPTOR_FILE}`)).toBe(uploaded.files[DESCRIPTOR_FILE]);
    expect(await read(job.Output!.OutputS3Location!.ObjectKey!)).toBe(uploaded.manifestBytes);
  });

  test('creates the package with the PACKAGE job tags', async () => {
    // GIVEN a job carrying PACKAGE tags
    const pkg = { name: 'tagged', version: '1.0', folder: 'tagged/' };
    const uploaded = await harness.upload(pkg);
    const input = { ...importJobInput(uploaded, pkg, 'token-tags'), JobTags: [{ ResourceType: 'PACKAGE' as const, Tags: { team: 'vision' } }] };

    // WHEN it succeeds
    const { JobId } = await panorama.send(new CreatePackageImportJobCommand(input));
    await harness.emulator.whenJobsSettled();
    const job = await panorama.send(new DescribePackageImportJobCommand({ JobId }));

    // THEN the new package carries the tags
    const described = await panorama.send(new DescribePackageCommand({ PackageId: job.Output!.PackageId }));
    expect(described.Tags).toEqual({ team: 'vision' });
    expect(job.JobTags).toEqual(input.JobTags);
  });

  test('re-importing the same version and patch succeeds without a second registration', async () => {
    // GIVEN an imported package version
    const first = await importAndSettle('again', '1.0', 'token-first');

    // WHEN the same manifest is imported again under a new token
    const second = await importAndSettle('again', '1.0', 'token-second');

    // THEN both jobs succeed with the same patch and one registered version exists
    expect(second.job.Status).toBe('SUCCEEDED');
    expect(second.job.Output?.PatchVersion).toBe(first.job.Output?.PatchVersion);
    const [pkg] = harness.emulator.packages();
    expect(pkg.versions).toHaveLength(1);
  });
});

describe('a failing import job', () => {
  async function failedMessage(manifestKey: string, name = 'broken', version = '1.0') {
    const input = importJobInput({ bucket: 'input-bucket', manifestKey, manifestBytes: '', files: {} }, { name, version }, `token-${Math.random().toString(36).slice(2)}`);
    const { JobId } = await panorama.send(new CreatePackageImportJobCommand(input));
    await harness.emulator.whenJobsSettled();
    const job = await panorama.send(new DescribePackageImportJobCommand({ JobId }));
    expect(job.Status).toBe('FAILED');
    expect(harness.emulator.packages()).toEqual([]);
    // The model requires Output even then: present, and naming nothing
    expect(job.Output).toEqual({ PackageId: '', PackageVersion: '', PatchVersion: '', OutputS3Location: { BucketName: '', ObjectKey: '' } });
    return job.StatusMessage!;
  }

  test('names the manifest that does not exist', async () => {
    // GIVEN no object at the key / WHEN imported / THEN the message names the S3 URL
    expect(await failedMessage('nowhere/package.json')).toBe('Manifest s3://input-bucket/nowhere/package.json not found (NoSuchKey).');
  });

  test('says the manifest is not JSON', async () => {
    // GIVEN a manifest that is not JSON
    await harness.put('notjson/package.json', '{nodePackage');
    // WHEN imported / THEN the message says so
    expect(await failedMessage('notjson/package.json')).toMatch(/^Manifest s3:\/\/input-bucket\/notjson\/package.json is invalid: its content must be valid JSON/);
  });

  test('lists each schema rule the manifest breaks', async () => {
    // GIVEN a manifest with a wrong envelope, a bad type, a path escaping its folder and no interfaces
    const manifest = manifestFor({ name: 'broken', version: '1.0' }) as any;
    manifest.nodePackage.envelopeVersion = '2020-01-01';
    manifest.nodePackage.assets[0].implementations[0] = { type: 'lambda', assetUri: '../model.tar.gz' };
    manifest.nodePackage.interfaces = [];
    await harness.upload({ name: 'broken', version: '1.0', folder: 'schema/', manifest });

    // WHEN imported
    const message = await failedMessage('schema/package.json');

    // THEN every broken rule is named with its location, its value and the rule
    expect(message).toContain('nodePackage.envelopeVersion: "2020-01-01" must be "2021-01-01"');
    expect(message).toContain('nodePackage.assets[0].implementations[0].type: "lambda" must be one of system, container, model');
    expect(message).toContain('nodePackage.assets[0].implementations[0].assetUri: "../model.tar.gz" must not contain ".."');
    expect(message).toContain('nodePackage.interfaces: [] must hold at least 1 item');
  });

  test('names the file that is not beside the manifest', async () => {
    // GIVEN a manifest whose descriptor was not uploaded
    await harness.upload({ name: 'broken', version: '1.0', folder: 'missing/', omit: [DESCRIPTOR_FILE] });
    // WHEN imported / THEN the message names the reference and the expected key
    expect(await failedMessage('missing/package.json')).toBe(
      'Manifest s3://input-bucket/missing/package.json references files that are not beside it: '
      + 'nodePackage.assets[0].implementations[0].descriptorUri "descriptor.json" (expected at s3://input-bucket/missing/descriptor.json).',
    );
  });

  test('refuses a manifest for another package name', async () => {
    // GIVEN a manifest named other_name
    await harness.upload({ name: 'other_name', version: '1.0', folder: 'mismatch/' });
    // WHEN imported as "broken" / THEN the mismatch is named
    expect(await failedMessage('mismatch/package.json')).toContain('has nodePackage.name "other_name" but OutputConfig.PackageVersionOutputConfig.PackageName is "broken"');
  });
});

describe('packages in the shapes of the published samples', () => {
  /** Uploads a shape under `folder`, imports it as `name` 1.0 and returns the settled job. */
  async function importShape(shape: PackageShape, folder: string, name: string) {
    const files = Object.fromEntries(shape.files.map((f) => [f.name, f.content.toString()]));
    const uploaded = await harness.upload({ name, version: '1.0', folder, manifest: shape.manifest, files });
    const input = importJobInput(uploaded, { name, version: '1.0' }, `token-${folder.replace(/\W/g, '')}`);
    const { JobId } = await panorama.send(new CreatePackageImportJobCommand(input));
    await harness.emulator.whenJobsSettled();
    return panorama.send(new DescribePackageImportJobCommand({ JobId }));
  }

  test('a GPU code package (hardware_access requirement, runtime descriptor with events) imports', async () => {
    // GIVEN a built GPU code package / WHEN imported
    const job = await importShape(gpuCodePackage(), 'gpu/', 'gpu_detector_app');
    // THEN it succeeds
    expect({ status: job.Status, message: job.StatusMessage }).toEqual({ status: 'SUCCEEDED', message: 'Package version imported and registered.' });
  });

  test('a camera package without name or version imports under the job\'s PackageName and PackageVersion', async () => {
    // GIVEN a package whose only asset is a system asset, with no name or version in its manifest
    // WHEN imported as LOBBY_CAMERA 1.0
    const job = await importShape(cameraPackage(), 'camera/', 'LOBBY_CAMERA');
    // THEN it succeeds under that name, and nothing but the manifest was copied for the system asset
    expect(job.Status).toBe('SUCCEEDED');
    expect(harness.emulator.packages()).toEqual([expect.objectContaining({ packageName: 'LOBBY_CAMERA' })]);
  });

  test.each(['code', 'model'] as const)('an unbuilt %s package FAILS, naming the interface\'s asset and how to build it', async (kind) => {
    // GIVEN a package in source form: assets empty, the interface naming the asset to build
    const job = await importShape(unbuiltPackage(kind), `unbuilt-${kind}/`, `COUNTER_${kind.toUpperCase()}`);
    // THEN the job fails and its message names the field, the asset and the panorama-cli command
    expect(job.Status).toBe('FAILED');
    expect(job.StatusMessage).toContain(`nodePackage.interfaces[0].asset: "${kind}_asset" must name an asset in nodePackage.assets, which is empty: the package is unbuilt`);
    expect(job.StatusMessage).toContain(kind === 'code' ? 'panorama-cli build-container --container-asset-name code_asset' : 'panorama-cli add-raw-model --model-asset-name model_asset');
    expect(harness.emulator.packages()).toEqual([]);
  });

  test.each(BROKEN_DESCRIPTORS)('a descriptor with $what FAILS, naming the descriptor and its field', async ({ content, field }) => {
    // GIVEN a GPU package whose descriptor is broken
    const shape = gpuCodePackage({ descriptor: content });
    const descriptorName = shape.files[1].name;
    // WHEN imported
    const job = await importShape(shape, `broken-${descriptorName.slice(0, 8)}/`, 'gpu_detector_app');
    // THEN the job fails naming the descriptor's object, the manifest field that names it, and the rule
    expect(job.Status).toBe('FAILED');
    expect(job.StatusMessage).toContain(`Descriptor s3://input-bucket/broken-${descriptorName.slice(0, 8)}/${descriptorName} (named by nodePackage.assets[0].implementations[0].descriptorUri) is invalid: `);
    expect(job.StatusMessage).toMatch(field);
    expect(harness.emulator.packages()).toEqual([]);
  });
});

describe('ClientToken idempotency', () => {
  test('the same token and request return the same JobId and start no second job', async () => {
    // GIVEN a request
    const pkg = { name: 'idem', version: '1.0', folder: 'idem/' };
    const input = importJobInput(await harness.upload(pkg), pkg, 'same-token');

    // WHEN it is sent twice
    const first = await panorama.send(new CreatePackageImportJobCommand(input));
    const second = await panorama.send(new CreatePackageImportJobCommand(input));

    // THEN both calls name one job
    expect(second.JobId).toBe(first.JobId);
    expect(harness.emulator.jobs()).toHaveLength(1);
    await harness.emulator.whenJobsSettled();
  });

  test('the same token with a different request is a ConflictException IdempotentParameterMismatch', async () => {
    // GIVEN a job created with a token
    const pkg = { name: 'idem', version: '1.0', folder: 'idem/' };
    const input = importJobInput(await harness.upload(pkg), pkg, 'reused-token');
    const { JobId } = await panorama.send(new CreatePackageImportJobCommand(input));

    // WHEN the token comes back with another version
    const changed = { ...input, OutputConfig: { PackageVersionOutputConfig: { PackageName: 'idem', PackageVersion: '2.0' } } };
    const error = await errorOf(panorama.send(new CreatePackageImportJobCommand(changed)));

    // THEN it is a 409 naming the first job
    expect(error.name).toBe('ConflictException');
    expect(error.$metadata.httpStatusCode).toBe(409);
    expect(error.ErrorId).toBe('IdempotentParameterMismatch');
    expect(error.ResourceId).toBe(JobId);
    await harness.emulator.whenJobsSettled();
  });
});

describe('CreatePackageImportJob validation', () => {
  test.each([
    ['ClientToken', { ClientToken: 'bad token!' }],
    ['OutputConfig.PackageVersionOutputConfig.PackageVersion', { OutputConfig: { PackageVersionOutputConfig: { PackageName: 'p', PackageVersion: '1' } } }],
    ['JobType', { JobType: 'OTHER' }],
  ])('rejects a bad %s with FIELD_VALIDATION_FAILED', async (field, override) => {
    // GIVEN a request with one bad field
    const input = { ...importJobInput({ bucket: 'b', manifestKey: 'k', manifestBytes: '', files: {} }, { name: 'p', version: '1.0' }, 'token'), ...override };
    // WHEN sent
    const error = await errorOf(panorama.send(new CreatePackageImportJobCommand(input as any)));
    // THEN a 400 names the field
    expect(error.name).toBe('ValidationException');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.Reason).toBe('FIELD_VALIDATION_FAILED');
    expect(error.Fields[0].Name).toBe(field);
  });

  test('DescribePackageImportJob of an unknown job is a ValidationException, not ResourceNotFound', async () => {
    // GIVEN no job / WHEN described
    const error = await errorOf(panorama.send(new DescribePackageImportJobCommand({ JobId: 'packageImportJob-unknown' })));
    // THEN it is a 400 naming JobId
    expect(error.name).toBe('ValidationException');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.Fields).toEqual([{ Name: 'JobId', Message: expect.stringContaining("'packageImportJob-unknown' names no package import job") }]);
  });
});

describe('ListPackageImportJobs', () => {
  test('pages with NextToken and MaxResults', async () => {
    // GIVEN five jobs
    for (let i = 0; i < 5; i++) await importAndSettle('listed', `1.${i}`, `list-${i}`);

    // WHEN listed two at a time
    const first = await panorama.send(new ListPackageImportJobsCommand({ MaxResults: 2 }));
    const pages = [];
    for await (const page of paginateListPackageImportJobs({ client: panorama, pageSize: 2 }, {})) pages.push(page.PackageImportJobs!.length);

    // THEN the pages hold 2, 2 and 1 jobs in creation order, and the query used capitalised names
    expect(first.PackageImportJobs!.map((job) => job.Status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(first.NextToken).toBeDefined();
    expect(pages).toEqual([2, 2, 1]);
    expect(harness.emulator.callsOf('ListPackageImportJobs').at(-1)!.query).toEqual({ MaxResults: '2', NextToken: expect.any(String) });
  });
});

describe('the version quota', () => {
  test('the 21st version of a package fails with the service wording', async () => {
    // GIVEN a package with 20 registered versions
    for (let i = 0; i < 20; i++) {
      const { job } = await importAndSettle('crowded', `1.${i}`, `quota-${i}`);
      expect(job.Status).toBe('SUCCEEDED');
    }

    // WHEN a 21st is imported
    const { job } = await importAndSettle('crowded', '2.0', 'quota-20');

    // THEN the job fails with the quota message
    expect(job.Status).toBe('FAILED');
    expect(job.StatusMessage).toBe("You've reached the maximum number of versions for package crowded. Deregister unused package versions and try again.");
  });
});
