import {
  CreatePackageCommand,
  CreatePackageImportJobCommand,
  DeletePackageCommand,
  DeregisterPackageVersionCommand,
  DescribePackageCommand,
  DescribePackageImportJobCommand,
  DescribePackageVersionCommand,
  ListPackageImportJobsCommand,
  ListPackagesCommand,
  ListTagsForResourceCommand,
  paginateListPackages,
  PanoramaClient,
  RegisterPackageVersionCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-panorama';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { ACCOUNT, errorOf, Harness, importJobInput, useHarnessPerFile } from './harness';

let harness: Harness;
let panorama: PanoramaClient;
useHarnessPerFile((started, client) => {
  harness = started;
  panorama = client;
});

/** Imports a package version and returns the job output. */
async function imported(name: string, version: string, variant = 'a', markLatest = true) {
  const pkg = { name, version, folder: `${name}/${version}/${variant}/`, variant };
  const uploaded = await harness.upload(pkg);
  const { JobId } = await panorama.send(new CreatePackageImportJobCommand(importJobInput(uploaded, pkg, `${name}-${version.replace('.', '-')}-${variant}`, markLatest)));
  await harness.emulator.whenJobsSettled();
  const job = await panorama.send(new DescribePackageImportJobCommand({ JobId }));
  expect(job.Status).toBe('SUCCEEDED');
  return job.Output!;
}

describe('CreatePackage and DescribePackage', () => {
  test('CreatePackage returns the id, ARN and storage layout', async () => {
    // GIVEN / WHEN a package is created
    const created = await panorama.send(new CreatePackageCommand({ PackageName: 'camera_app', Tags: { env: 'test' } }));

    // THEN the id, ARN and storage prefixes follow the service's layout
    const id = created.PackageId!;
    expect(id).toMatch(/^package-[a-z0-9]{26}$/);
    expect(created.Arn).toBe(`arn:aws:panorama:us-east-1:${ACCOUNT}:package/${id}`);
    const repo = `${ACCOUNT}/nodePackages/${id}`;
    expect(created.StorageLocation).toEqual({
      Bucket: `panorama-storage-${ACCOUNT}`,
      RepoPrefixLocation: repo,
      GeneratedPrefixLocation: `${repo}/generated`,
      BinaryPrefixLocation: `${repo}/binaries`,
      ManifestPrefixLocation: `${repo}/manifests`,
    });
  });

  test('DescribePackage accepts the packageName/<name> alias', async () => {
    // GIVEN a package
    const created = await panorama.send(new CreatePackageCommand({ PackageName: 'aliased', Tags: { env: 'test' } }));

    // WHEN described by its alias (sent as packageName%2Faliased)
    const described = await panorama.send(new DescribePackageCommand({ PackageId: 'packageName/aliased' }));

    // THEN it is the same package, with a Date created time and its tags
    expect(described).toMatchObject({ PackageId: created.PackageId, PackageName: 'aliased', Arn: created.Arn, Tags: { env: 'test' } });
    expect(described.CreatedTime).toBeInstanceOf(Date);
    expect(harness.emulator.callsOf('DescribePackage')[0].path).toBe('/packages/metadata/packageName%2Faliased');
  });

  test('CreatePackage with a taken name is a ConflictException', async () => {
    // GIVEN a package
    const created = await panorama.send(new CreatePackageCommand({ PackageName: 'taken' }));
    // WHEN the name is created again
    const error = await errorOf(panorama.send(new CreatePackageCommand({ PackageName: 'taken' })));
    // THEN a 409 names the existing package
    expect(error.name).toBe('ConflictException');
    expect(error.$metadata.httpStatusCode).toBe(409);
    expect(error.ResourceId).toBe(created.PackageId);
  });

  test('CreatePackage with a bad name is a ValidationException naming PackageName', async () => {
    // GIVEN / WHEN a name with a space
    const error = await errorOf(panorama.send(new CreatePackageCommand({ PackageName: 'bad name' })));
    // THEN 400 FIELD_VALIDATION_FAILED names the field
    expect(error.name).toBe('ValidationException');
    expect(error.Reason).toBe('FIELD_VALIDATION_FAILED');
    expect(error.Fields).toEqual([{ Name: 'PackageName', Message: expect.stringContaining('does not match pattern') }]);
  });

  test('the 51st package is a ConflictException naming the quota (the model lists no quota error for CreatePackage)', async () => {
    // GIVEN 50 packages
    for (let i = 0; i < 50; i++) await panorama.send(new CreatePackageCommand({ PackageName: `pkg-${i}` }));
    // WHEN one more is created
    const error = await errorOf(panorama.send(new CreatePackageCommand({ PackageName: 'one_too_many' })));
    // THEN it is a 409 whose ErrorId and message name the package quota, and no package was added
    expect(error.name).toBe('ConflictException');
    expect(error.$metadata.httpStatusCode).toBe(409);
    expect(error).toMatchObject({ ErrorId: 'PACKAGE_QUOTA_EXCEEDED', ResourceId: 'one_too_many', ResourceType: 'Package' });
    expect(error.message).toBe("You've reached the maximum number of packages (50) in us-east-1. Delete unused packages and try again.");
    expect(harness.emulator.packages()).toHaveLength(50);
  });

  test('DescribePackage of an unknown package is a ResourceNotFoundException with ResourceId and ResourceType', async () => {
    // GIVEN no package / WHEN described
    const error = await errorOf(panorama.send(new DescribePackageCommand({ PackageId: 'package-nothere' })));
    // THEN a 404 names it
    expect(error.name).toBe('ResourceNotFoundException');
    expect(error.$metadata.httpStatusCode).toBe(404);
    expect(error).toMatchObject({ ResourceId: 'package-nothere', ResourceType: 'Package' });
  });
});

describe('ListPackages', () => {
  test('pages with the lower-case nextToken and maxResults', async () => {
    // GIVEN five packages
    for (let i = 0; i < 5; i++) await panorama.send(new CreatePackageCommand({ PackageName: `listed-${i}` }));

    // WHEN listed two at a time
    const names: string[][] = [];
    for await (const page of paginateListPackages({ client: panorama, pageSize: 2 }, {})) names.push(page.Packages!.map((p) => p.PackageName!));

    // THEN all five come back in creation order over three pages
    expect(names).toEqual([['listed-0', 'listed-1'], ['listed-2', 'listed-3'], ['listed-4']]);
    expect(harness.emulator.callsOf('ListPackages').at(-1)!.query).toEqual({ maxResults: '2', nextToken: expect.any(String) });
  });

  test('a token it never issued is a ValidationException naming nextToken', async () => {
    // GIVEN / WHEN a forged token
    const error = await errorOf(panorama.send(new ListPackagesCommand({ NextToken: 'forged' })));
    // THEN 400 names the field
    expect(error.Fields[0].Name).toBe('nextToken');
  });

  test('a token is signed: as issued it gives the next page, altered by one character it is refused', async () => {
    // GIVEN three packages and the token after the first
    for (let i = 0; i < 3; i++) await panorama.send(new CreatePackageCommand({ PackageName: `opaque-${i}` }));
    const { NextToken } = await panorama.send(new ListPackagesCommand({ MaxResults: 1 }));
    expect(NextToken).toEqual(expect.any(String));

    // WHEN it is used as issued, and with one character changed
    const next = await panorama.send(new ListPackagesCommand({ MaxResults: 1, NextToken }));
    const altered = NextToken!.slice(0, -1) + (NextToken!.endsWith('A') ? 'B' : 'A');
    const error = await errorOf(panorama.send(new ListPackagesCommand({ MaxResults: 1, NextToken: altered })));

    // THEN the issued token gives the second package, the altered one a 400 naming nextToken
    expect(next.Packages!.map((p) => p.PackageName)).toEqual(['opaque-1']);
    expect(error.name).toBe('ValidationException');
    expect(error.Fields).toEqual([{ Name: 'nextToken', Message: expect.stringContaining('is not a token that ListPackages issued') }]);
  });

  test('a token is bound to its operation: one from ListPackageImportJobs is refused by ListPackages', async () => {
    // GIVEN a token ListPackageImportJobs issued (two jobs, one per page)
    for (const version of ['1.0', '1.1']) {
      const pkg = { name: 'bound', version, folder: `bound/${version}/` };
      await panorama.send(new CreatePackageImportJobCommand(importJobInput(await harness.upload(pkg), pkg, `bound-${version.replace('.', '-')}`)));
    }
    await harness.emulator.whenJobsSettled();
    const { NextToken } = await panorama.send(new ListPackageImportJobsCommand({ MaxResults: 1 }));
    expect(NextToken).toEqual(expect.any(String));
    // (and two packages, so that ListPackages would have a next page for a token of its own)
    await panorama.send(new CreatePackageCommand({ PackageName: 'bound_other' }));
    expect(harness.emulator.packages()).toHaveLength(2);

    // WHEN it is handed to ListPackages
    const error = await errorOf(panorama.send(new ListPackagesCommand({ MaxResults: 1, NextToken })));

    // THEN ListPackages refuses it, naming its own token field
    expect(error.name).toBe('ValidationException');
    expect(error.Fields).toEqual([{ Name: 'nextToken', Message: expect.stringContaining('is not a token that ListPackages issued') }]);
  });
});

describe('validation comes before existence (the model answers a bad request 400, known resource or not)', () => {
  test.each([
    ['DescribePackageVersion with a bad version', () => new DescribePackageVersionCommand({ PackageId: 'package-none', PackageVersion: '1' }), 'PackageVersion'],
    ['DescribePackageVersion with a bad patch', () => new DescribePackageVersionCommand({ PackageId: 'package-none', PackageVersion: '1.0', PatchVersion: 'NOT-A-PATCH' }), 'PatchVersion'],
    ['DeregisterPackageVersion with a bad owner', () => new DeregisterPackageVersionCommand({ PackageId: 'package-none', PackageVersion: '1.0', PatchVersion: 'abc', OwnerAccount: 'NOT AN ACCOUNT' }), 'OwnerAccount'],
    ['TagResource with a 129-character key', () => new TagResourceCommand({ ResourceArn: 'arn:aws:panorama:us-east-1:123456789012:package/package-none', Tags: { ['k'.repeat(129)]: 'v' } }), 'Tags key'],
    ['UntagResource with 51 keys', () => new UntagResourceCommand({ ResourceArn: 'arn:aws:panorama:us-east-1:123456789012:package/package-none', TagKeys: Array.from({ length: 51 }, (_, i) => `k${i}`) }), 'tagKeys'],
  ] as Array<[string, () => any, string]>)('%s of an unknown package is a ValidationException naming the field', async (_what, command, field) => {
    // GIVEN no package / WHEN a request with one bad field
    const error = await errorOf(panorama.send(command()));
    // THEN 400 names the field, not a 404 for the package
    expect(error.name).toBe('ValidationException');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.Fields[0].Name).toBe(field);
  });

  test('DeletePackage with a ForceDelete that is not a boolean, of an unknown package, is a ValidationException', async () => {
    // GIVEN / WHEN a raw request (the SDK only sends booleans)
    const response = await fetch(`${harness.emulator.endpoint}/packages/package-none?ForceDelete=maybe`, { method: 'DELETE' });
    // THEN 400 names ForceDelete
    expect(response.status).toBe(400);
    expect(((await response.json()) as any).Fields[0].Name).toBe('ForceDelete');
  });
});

describe('package versions', () => {
  test('DescribePackageVersion finds a given patch with OwnerAccount and PatchVersion', async () => {
    // GIVEN an imported version
    const output = await imported('versioned', '1.0');
    // WHEN described with both query parameters
    const version = await panorama.send(new DescribePackageVersionCommand({
      PackageId: output.PackageId, PackageVersion: '1.0', OwnerAccount: ACCOUNT, PatchVersion: output.PatchVersion,
    }));
    // THEN it is that patch
    expect(version).toMatchObject({ PackageName: 'versioned', PatchVersion: output.PatchVersion, Status: 'REGISTER_COMPLETED' });
    expect(version.RegisteredTime).toBeInstanceOf(Date);
    expect(harness.emulator.callsOf('DescribePackageVersion')[0].query).toEqual({ OwnerAccount: ACCOUNT, PatchVersion: output.PatchVersion });
  });

  test('DeregisterPackageVersion removes the patch; describing it is then a ResourceNotFoundException', async () => {
    // GIVEN an imported version
    const output = await imported('dereg', '1.0');
    const ids = { PackageId: output.PackageId, PackageVersion: '1.0', PatchVersion: output.PatchVersion };

    // WHEN it is deregistered
    const response = await panorama.send(new DeregisterPackageVersionCommand(ids));

    // THEN the call answered {} and the patch is gone
    expect(response.$metadata.httpStatusCode).toBe(200);
    const error = await errorOf(panorama.send(new DescribePackageVersionCommand(ids)));
    expect(error.name).toBe('ResourceNotFoundException');
    expect(error.ResourceType).toBe('PackageVersion');
  });

  test('DeregisterPackageVersion with UpdatedLatestPatchVersion makes that patch the latest', async () => {
    // GIVEN two patches of one version, the second one latest
    const older = await imported('patched', '1.0', 'old');
    const newer = await imported('patched', '1.0', 'new');

    // WHEN the newer one is deregistered naming the older as latest
    await panorama.send(new DeregisterPackageVersionCommand({
      PackageId: newer.PackageId, PackageVersion: '1.0', PatchVersion: newer.PatchVersion, UpdatedLatestPatchVersion: older.PatchVersion,
    }));

    // THEN the older one is described as the latest
    const latest = await panorama.send(new DescribePackageVersionCommand({ PackageId: older.PackageId, PackageVersion: '1.0' }));
    expect(latest).toMatchObject({ PatchVersion: older.PatchVersion, IsLatestPatch: true });
    expect(harness.emulator.callsOf('DeregisterPackageVersion')[0].query).toEqual({ UpdatedLatestPatchVersion: older.PatchVersion });
  });

  test('DeregisterPackageVersion of an unknown patch is a ResourceNotFoundException', async () => {
    // GIVEN a package without that patch
    const { PackageId } = await panorama.send(new CreatePackageCommand({ PackageName: 'empty' }));
    // WHEN deregistering / THEN 404
    const error = await errorOf(panorama.send(new DeregisterPackageVersionCommand({ PackageId, PackageVersion: '1.0', PatchVersion: 'abc' })));
    expect(error.name).toBe('ResourceNotFoundException');
    expect(error.ResourceId).toBe(`${PackageId}/1.0/abc`);
  });

  test('RegisterPackageVersion registers a stored patch again', async () => {
    // GIVEN a deregistered patch whose manifest is still in storage
    const output = await imported('rereg', '1.0');
    const ids = { PackageId: output.PackageId, PackageVersion: '1.0', PatchVersion: output.PatchVersion };
    await panorama.send(new DeregisterPackageVersionCommand(ids));

    // WHEN registered as latest (by the package name alias)
    await panorama.send(new RegisterPackageVersionCommand({ ...ids, PackageId: 'packageName/rereg', OwnerAccount: ACCOUNT, MarkLatest: true }));

    // THEN it is described again and the body carried OwnerAccount and MarkLatest
    const version = await panorama.send(new DescribePackageVersionCommand(ids));
    expect(version.IsLatestPatch).toBe(true);
    expect(harness.emulator.callsOf('RegisterPackageVersion')[0].body).toEqual({ OwnerAccount: ACCOUNT, MarkLatest: true });
  });

  test('RegisterPackageVersion beyond 20 registered versions is a ConflictException naming the version quota', async () => {
    // GIVEN a package with 20 registered versions, plus one deregistered whose manifest is still stored
    const spare = await imported('crowded', '0.0');
    await panorama.send(new DeregisterPackageVersionCommand({ PackageId: spare.PackageId, PackageVersion: '0.0', PatchVersion: spare.PatchVersion }));
    for (let i = 1; i <= 20; i++) await imported('crowded', `0.${i}`);
    expect(harness.emulator.packages()[0].versions.filter((v) => v.registered)).toHaveLength(20);

    // WHEN the deregistered one is registered again
    const error = await errorOf(panorama.send(new RegisterPackageVersionCommand({ PackageId: spare.PackageId, PackageVersion: '0.0', PatchVersion: spare.PatchVersion })));

    // THEN it is a 409 with the service's wording (the model lists no quota error for RegisterPackageVersion)
    expect(error.name).toBe('ConflictException');
    expect(error).toMatchObject({ ErrorId: 'PACKAGE_VERSION_QUOTA_EXCEEDED', ResourceId: spare.PackageId });
    expect(error.message).toBe("You've reached the maximum number of versions for package crowded. Deregister unused package versions and try again.");
  });

  test('RegisterPackageVersion of a patch never stored is a ValidationException', async () => {
    // GIVEN a package without files
    const { PackageId } = await panorama.send(new CreatePackageCommand({ PackageName: 'nofiles' }));
    // WHEN a patch is registered / THEN 400 says no manifest is stored
    const error = await errorOf(panorama.send(new RegisterPackageVersionCommand({ PackageId, PackageVersion: '1.0', PatchVersion: 'abc' })));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toContain('No manifest for nofiles 1.0 patch abc');
  });
});

describe('DeletePackage', () => {
  test('is a ConflictException while a version is registered', async () => {
    // GIVEN a package with a registered version
    const output = await imported('inuse', '1.0');
    // WHEN deleted even with ForceDelete / THEN 409
    const error = await errorOf(panorama.send(new DeletePackageCommand({ PackageId: output.PackageId, ForceDelete: true })));
    expect(error.name).toBe('ConflictException');
    expect(error.ErrorId).toBe('PACKAGE_VERSIONS_REGISTERED');
  });

  test('without ForceDelete is a ConflictException while its storage holds objects', async () => {
    // GIVEN a package whose only version was deregistered
    const output = await imported('stored', '1.0');
    await panorama.send(new DeregisterPackageVersionCommand({ PackageId: output.PackageId, PackageVersion: '1.0', PatchVersion: output.PatchVersion }));
    // WHEN deleted without ForceDelete / THEN 409
    const error = await errorOf(panorama.send(new DeletePackageCommand({ PackageId: output.PackageId })));
    expect(error.name).toBe('ConflictException');
    expect(error.ErrorId).toBe('PACKAGE_STORAGE_NOT_EMPTY');
  });

  test('with ForceDelete removes the package and its objects', async () => {
    // GIVEN a package whose only version was deregistered
    const output = await imported('forced', '1.0');
    await panorama.send(new DeregisterPackageVersionCommand({ PackageId: output.PackageId, PackageVersion: '1.0', PatchVersion: output.PatchVersion }));

    // WHEN force-deleted
    await panorama.send(new DeletePackageCommand({ PackageId: output.PackageId, ForceDelete: true }));

    // THEN the package is gone, its storage is empty and the query carried ForceDelete
    expect((await errorOf(panorama.send(new DescribePackageCommand({ PackageId: output.PackageId })))).name).toBe('ResourceNotFoundException');
    const listed = await harness.s3.send(new ListObjectsV2Command({ Bucket: output.OutputS3Location!.BucketName, Prefix: `${ACCOUNT}/nodePackages/${output.PackageId}/` }));
    expect(listed.KeyCount).toBe(0);
    expect(harness.emulator.callsOf('DeletePackage').at(-1)!.query).toEqual({ ForceDelete: 'true' });
  });

  test('of an empty package succeeds without ForceDelete and frees the name', async () => {
    // GIVEN a package never imported into
    const { PackageId } = await panorama.send(new CreatePackageCommand({ PackageName: 'reusable' }));
    // WHEN deleted
    await panorama.send(new DeletePackageCommand({ PackageId }));
    // THEN the name can be created again
    await expect(panorama.send(new CreatePackageCommand({ PackageName: 'reusable' }))).resolves.toHaveProperty('PackageId');
  });

  test('of an unknown package is a ResourceNotFoundException', async () => {
    // GIVEN / WHEN / THEN
    const error = await errorOf(panorama.send(new DeletePackageCommand({ PackageId: 'package-gone' })));
    expect(error.name).toBe('ResourceNotFoundException');
    expect(error.$metadata.httpStatusCode).toBe(404);
  });
});

describe('tags', () => {
  test('TagResource merges, UntagResource removes repeated tagKeys, ListTagsForResource lists', async () => {
    // GIVEN a tagged package
    const { Arn } = await panorama.send(new CreatePackageCommand({ PackageName: 'tags', Tags: { a: '1' } }));

    // WHEN tags are added and two removed
    await panorama.send(new TagResourceCommand({ ResourceArn: Arn, Tags: { b: '2', c: '3' } }));
    await panorama.send(new UntagResourceCommand({ ResourceArn: Arn, TagKeys: ['a', 'b'] }));

    // THEN one tag remains, and the ARN travelled percent-encoded with repeated tagKeys
    expect((await panorama.send(new ListTagsForResourceCommand({ ResourceArn: Arn }))).Tags).toEqual({ c: '3' });
    const untag = harness.emulator.callsOf('UntagResource')[0];
    expect(untag.query).toEqual({ tagKeys: ['a', 'b'] });
    expect(untag.path).toBe(`/tags/${encodeURIComponent(Arn!)}`);
  });

  test('keys and values take any characters the model allows: "R&D", spaces, accents, an empty value', async () => {
    // GIVEN a package
    const { Arn } = await panorama.send(new CreatePackageCommand({ PackageName: 'free_tags', Tags: { 'cost-center': 'R&D' } }));
    // WHEN tagged with what the model's ^.+$ (keys) and ^.*$ (values) accept
    const tags = { 'team (vision)': 'Équipe #2', 'empty': '', ['k'.repeat(128)]: 'v'.repeat(256) };
    await panorama.send(new TagResourceCommand({ ResourceArn: Arn, Tags: tags }));
    // THEN all of them are kept
    expect((await panorama.send(new ListTagsForResourceCommand({ ResourceArn: Arn }))).Tags).toEqual({ 'cost-center': 'R&D', ...tags });
  });

  test.each([
    ['a key over 128 characters', { ['k'.repeat(129)]: 'v' }, 'Tags key'],
    ['a value over 256 characters', { team: 'v'.repeat(257) }, 'Tags.team'],
    ['a key with a line break', { 'a\nb': 'v' }, 'Tags key'],
    ['51 tags in one map', Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])), 'Tags'],
  ])('TagResource with %s is a ValidationException', async (_what, tags, field) => {
    // GIVEN a package
    const { Arn } = await panorama.send(new CreatePackageCommand({ PackageName: 'bounded_tags' }));
    // WHEN tagged beyond the model's limits / THEN 400 names the field
    const error = await errorOf(panorama.send(new TagResourceCommand({ ResourceArn: Arn, Tags: tags })));
    expect(error.name).toBe('ValidationException');
    expect(error.Fields[0].Name).toBe(field);
  });

  test('UntagResource takes 1 to 50 keys: 50 pass, 51 are refused', async () => {
    // GIVEN a package with 50 tags
    const tags = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v']));
    const { Arn } = await panorama.send(new CreatePackageCommand({ PackageName: 'untag_bounds', Tags: tags }));

    // WHEN 51 keys are removed, then 50
    const error = await errorOf(panorama.send(new UntagResourceCommand({ ResourceArn: Arn, TagKeys: [...Object.keys(tags), 'k50'] })));
    await panorama.send(new UntagResourceCommand({ ResourceArn: Arn, TagKeys: Object.keys(tags) }));

    // THEN the 51 were refused with a 400 naming tagKeys, and the 50 removed every tag
    expect(error.name).toBe('ValidationException');
    expect(error.Fields).toEqual([{ Name: 'tagKeys', Message: 'tagKeys must hold 1 to 50 keys, got 51.' }]);
    expect((await panorama.send(new ListTagsForResourceCommand({ ResourceArn: Arn }))).Tags).toEqual({});
  });

  test('tagging an unknown ARN is a ResourceNotFoundException', async () => {
    // GIVEN / WHEN an ARN of no package
    const arn = `arn:aws:panorama:us-east-1:${ACCOUNT}:package/package-none`;
    const error = await errorOf(panorama.send(new TagResourceCommand({ ResourceArn: arn, Tags: { a: '1' } })));
    // THEN 404 names the ARN
    expect(error.name).toBe('ResourceNotFoundException');
    expect(error.ResourceId).toBe(arn);
  });
});
