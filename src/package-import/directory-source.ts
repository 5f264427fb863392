/**
 * A folder source: the manifest and every file it names, uploaded as they are (no zip) as CDK file
 * assets, which the handler copies server-side under one S3 prefix for the import job. Every file
 * is staged under the sha256 of its bytes, and the staged manifest names it so (content-names.ts).
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AssetHashType } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3_assets from 'aws-cdk-lib/aws-s3-assets';
import { Construct } from 'constructs';
import { contentNames, rewriteManifest } from './content-names';
import { DirectoryPackage, importedIdentity, ImportTarget, NamedIdentity, STAGED_MANIFEST_NAME } from './directory-package';
import { fileDigest, textDigest } from './file-digest';
import { BoundPackageSource, SourceBinder } from './source-binding';

/** Binds a package folder: read when bound, unless it was read already (by `PanoramaApplication`). */
export class DirectorySource implements SourceBinder {
  constructor(private readonly read: (scope: Construct) => DirectoryPackage) {}

  public bind(scope: Construct, handlerRole: iam.IRole, target: ImportTarget): BoundPackageSource {
    const read = this.read(scope);
    const identity = importedIdentity(read, target);
    const staged = stagedFiles(read, identity);

    const assets = staged.map((file) => ({
      name: file.name,
      // The digest is the asset's hash: CDK does not read the file a second time to fingerprint it.
      asset: new s3_assets.Asset(scope, file.id, { path: file.path, assetHash: file.digest, assetHashType: AssetHashType.CUSTOM }),
    }));
    // Read on exactly these asset objects: the handler copies them, nothing else in the bucket.
    handlerRole.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['s3:GetObject'],
      resources: assets.map(({ asset }) => asset.bucket.arnForObjects(asset.s3ObjectKey)),
    }));
    assets[0].asset.bucket.encryptionKey?.grantDecrypt(handlerRole);
    const objects = assets.map(({ name, asset }) => ({ name, assetHash: asset.assetHash, bucket: asset.s3BucketName, key: asset.s3ObjectKey }));

    // The content's identity: every staged name with the hash of its bytes.
    const contentHash = createHash('sha256')
      .update(JSON.stringify(objects.map((f) => [f.name, f.assetHash])))
      .digest('hex');

    return {
      packageName: identity.name,
      packageVersion: identity.version,
      properties: {
        Type: 'Files',
        ContentHash: contentHash,
        ManifestName: STAGED_MANIFEST_NAME,
        Files: objects.map((f) => ({ Name: f.name, Bucket: f.bucket, Key: f.key })),
      },
    };
  }
}

/** One file to stage: its staged name, where it is on disk, and the sha256 of its bytes. */
interface StagedFile {
  readonly name: string;
  readonly path: string;
  readonly digest: string;
  readonly id: string;
}

/**
 * The manifest and every file it names, each file under its content name (content-names.ts), once
 * each: two URIs with the same bytes and extension are one staged object.
 */
function stagedFiles(read: DirectoryPackage, identity: NamedIdentity): StagedFile[] {
  const digested = read.folder.files.map((file) => ({ ...file, digest: fileDigest(file.path) }));
  const names = contentNames(digested);
  const byName = new Map<string, StagedFile>();
  for (const file of digested) {
    const name = names.get(file.uri)!;
    if (!byName.has(name)) byName.set(name, { name, path: file.path, digest: file.digest, id: `File${file.digest.slice(0, 16)}${shortHash(name)}` });
  }
  return [manifestToStage(read, identity, names), ...byName.values()];
}

/**
 * The manifest to stage. It names every file by its content name, and the import job checks that
 * it describes the package and version it is imported as, so a name or version that the manifest
 * does not carry (from the folder, from panorama-cli's default version, or from props) is written
 * into it too. A manifest that already says all of it is staged byte for byte.
 */
function manifestToStage(read: DirectoryPackage, identity: NamedIdentity, names: ReadonlyMap<string, string>): StagedFile {
  const { manifestPath } = read.folder;
  const document = JSON.parse(fs.readFileSync(manifestPath, 'utf-8'));
  const text = rewriteManifest(document, { names, name: identity.name, version: identity.version });
  if (text === undefined) return { name: STAGED_MANIFEST_NAME, path: manifestPath, digest: fileDigest(manifestPath), id: 'Manifest' };
  // Written once per content (`<sha256>.json`), so the same manifest is always the same file and asset.
  const digest = textDigest(text);
  const dir = path.join(os.tmpdir(), 'cdk-panorama-manifests');
  fs.mkdirSync(dir, { recursive: true });
  const rewritten = path.join(dir, `${digest}.json`);
  if (!fs.existsSync(rewritten)) {
    const partial = `${rewritten}.${process.pid}.tmp`;
    fs.writeFileSync(partial, text);
    fs.renameSync(partial, rewritten);
  }
  return { name: STAGED_MANIFEST_NAME, path: rewritten, digest, id: 'Manifest' };
}

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}
