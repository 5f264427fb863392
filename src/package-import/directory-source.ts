/**
 * A folder source: the manifest and every file it names, uploaded as they are (no zip) as CDK file
 * assets, which the handler copies server-side under one S3 prefix for the import job.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3_assets from 'aws-cdk-lib/aws-s3-assets';
import { Construct } from 'constructs';
import { DirectoryPackage, importedIdentity, ImportTarget, NamedIdentity, STAGED_MANIFEST_NAME } from './directory-package';
import { BoundPackageSource, SourceBinder } from './source-binding';

/** Binds a package folder: read when bound, unless it was read already (by `PanoramaApplication`). */
export class DirectorySource implements SourceBinder {
  constructor(private readonly read: () => DirectoryPackage) {}

  public bind(scope: Construct, handlerRole: iam.IRole, target: ImportTarget): BoundPackageSource {
    const read = this.read();
    const identity = importedIdentity(read, target);
    const files = [{ name: STAGED_MANIFEST_NAME, path: manifestToStage(read, identity), id: 'Manifest' }].concat(
      read.folder.files.map((file) => ({ name: file.uri, path: file.path, id: `File${shortHash(file.uri)}` })),
    );

    const assets = files.map((file) => ({ name: file.name, asset: new s3_assets.Asset(scope, file.id, { path: file.path }) }));
    // Read on exactly these asset objects: the handler copies them, nothing else in the bucket.
    handlerRole.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['s3:GetObject'],
      resources: assets.map(({ asset }) => asset.bucket.arnForObjects(asset.s3ObjectKey)),
    }));
    assets[0].asset.bucket.encryptionKey?.grantDecrypt(handlerRole);
    const staged = assets.map(({ name, asset }) => ({ name, assetHash: asset.assetHash, bucket: asset.s3BucketName, key: asset.s3ObjectKey }));

    // The content's identity: every staged name with the hash of its bytes.
    const contentHash = createHash('sha256')
      .update(JSON.stringify(staged.map((f) => [f.name, f.assetHash])))
      .digest('hex');

    return {
      packageName: identity.name,
      packageVersion: identity.version,
      properties: {
        Type: 'Files',
        ContentHash: contentHash,
        ManifestName: STAGED_MANIFEST_NAME,
        Files: staged.map((f) => ({ Name: f.name, Bucket: f.bucket, Key: f.key })),
      },
    };
  }
}

/**
 * The manifest to stage. The import job checks that the manifest describes the package and version
 * it is imported as, so a name or version that the manifest does not carry (from the folder, from
 * panorama-cli's default version, or from props) is written into a copy of the manifest.
 */
function manifestToStage(read: DirectoryPackage, identity: NamedIdentity): string {
  const { manifestPath, nodePackage } = read.folder;
  const { name, version } = identity;
  if (name === nodePackage.name && version === nodePackage.version) return manifestPath;
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf-8'));
  manifest.nodePackage.name = name;
  manifest.nodePackage.version = version;
  const text = JSON.stringify(manifest, null, 2) + '\n';
  // Named by content, so the same override always gives the same file and asset hash.
  const dir = path.join(os.tmpdir(), 'cdk-panorama-manifests', shortHash(text));
  fs.mkdirSync(dir, { recursive: true });
  const rewritten = path.join(dir, STAGED_MANIFEST_NAME);
  fs.writeFileSync(rewritten, text);
  return rewritten;
}

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}
