import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3_assets from 'aws-cdk-lib/aws-s3-assets';
import { Construct } from 'constructs';
import { readPackageFolder } from './package-folder';
import { NodePackage } from '../rules/manifest';
import { suppressObjectPattern } from './private/nag-suppressions';
import { PackageIdentity, packageIdentity } from '../rules/package-name';
import { checkPackageName, checkS3LocationPart, described, throwIfProblems, ValidationProblem } from '../rules/validation';

/** Options for `PackageSource.fromDirectory`. */
export interface DirectorySourceOptions {
  /**
   * The folder that holds the files the manifest names, as aws-panorama-cli lays out an application
   * (`<app>/assets/`). A file is looked up there first, then beside the manifest.
   *
   * @default - `../../assets` from the package folder
   */
  readonly assetsDirectory?: string;

  /**
   * The manifest's file name inside the package folder.
   *
   * @default 'package.json'
   */
  readonly manifestFileName?: string;
}

/** The package an import writes to, when the user overrides the manifest's name or version. */
export interface ImportTarget {
  readonly packageName?: string;
  readonly packageVersion?: string;
}

/** What a bound source hands the construct: the manifest when known, and the handler's view. */
export interface BoundPackageSource {
  /** The manifest, when the source could read it at synth. */
  readonly nodePackage?: NodePackage;
  /** The package name and version, when known at synth (a folder source); else the handler decides. */
  readonly packageName?: string;
  readonly packageVersion?: string;
  /** The `Source` property of the custom resource. */
  readonly properties: Record<string, unknown>;
  /** Whether the handler must copy the files to the staging bucket. */
  readonly needsStaging: boolean;
}

/** Where a Panorama node package's manifest and files come from. */
export abstract class PackageSource {
  /**
   * A package folder as aws-panorama-cli makes it (`packages/<account>-<name>-<version>/package.json`).
   *
   * The manifest and every file it names are staged as they are (no zip) through CDK file assets;
   * the handler copies them server-side under one S3 prefix for the import job.
   *
   * @param directory the package folder that holds the manifest
   */
  public static fromDirectory(directory: string, options: DirectorySourceOptions = {}): PackageSource {
    return new DirectorySource(directory, options);
  }

  /**
   * A manifest already in S3, with the files it names beside it (under the same key prefix).
   * Nothing is staged: the import job reads the objects in place and the handler is granted read.
   *
   * @param bucket the bucket that holds the manifest and its files
   * @param manifestKey the object key of the manifest (`package.json`)
   */
  public static fromBucket(bucket: s3.IBucket, manifestKey: string): PackageSource {
    return new BucketSource(bucket, manifestKey);
  }

  /** Sources come from the static factories only: what a source must do is internal. */
  protected constructor() {}

  /**
   * Makes the source's files available to the handler role. Internal: the construct calls it once.
   * @internal
   */
  public abstract _bind(scope: Construct, handlerRole: iam.IRole, target: ImportTarget): BoundPackageSource;
}

/** The name the staged manifest gets; no file the manifest names may take it. */
export const STAGED_MANIFEST_NAME = 'package.json';

class DirectorySource extends PackageSource {
  constructor(private readonly directory: string, private readonly options: DirectorySourceOptions) {
    super();
  }

  public _bind(scope: Construct, handlerRole: iam.IRole, target: ImportTarget): BoundPackageSource {
    const folder = readPackageFolder(this.directory, {
      assetsDirectory: this.options.assetsDirectory,
      manifestFileName: this.options.manifestFileName ?? STAGED_MANIFEST_NAME,
      reservedName: STAGED_MANIFEST_NAME,
    });
    const identity = identityOf(this.directory, folder.folderName, folder.nodePackage, target);
    const manifestPath = manifestFor(folder.manifestPath, folder.nodePackage, identity);
    const files = [{ name: STAGED_MANIFEST_NAME, path: manifestPath, id: 'Manifest' }].concat(
      folder.files.map((file) => ({ name: file.uri, path: file.path, id: `File${shortHash(file.uri)}` })),
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
      nodePackage: folder.nodePackage,
      packageName: identity.name,
      packageVersion: identity.version,
      needsStaging: true,
      properties: {
        Type: 'Files',
        ContentHash: contentHash,
        ManifestName: STAGED_MANIFEST_NAME,
        Files: staged.map((f) => ({ Name: f.name, Bucket: f.bucket, Key: f.key })),
      },
    };
  }
}

class BucketSource extends PackageSource {
  constructor(private readonly bucket: s3.IBucket, private readonly manifestKey: string) {
    super();
    if (!Token.isUnresolved(manifestKey)) {
      throwIfProblems(checkS3LocationPart(manifestKey, 'PackageSource.fromBucket manifestKey'));
    }
  }

  public _bind(_scope: Construct, handlerRole: iam.IRole, _target: ImportTarget): BoundPackageSource {
    // The job reads the manifest and the files beside it: grant read on that prefix only.
    const prefix = Token.isUnresolved(this.manifestKey) ? '' : path.posix.dirname(this.manifestKey);
    const pattern = prefix === '' || prefix === '.' ? '*' : `${prefix}/*`;
    handlerRole.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['s3:GetObject'],
      resources: [this.bucket.arnForObjects(pattern)],
    }));
    this.bucket.encryptionKey?.grantDecrypt(handlerRole);
    suppressObjectPattern(handlerRole, pattern, 'The import job reads the manifest and the files beside it, whose names only the manifest knows: read on that folder only');
    return {
      needsStaging: false,
      properties: { Type: 'Bucket', Bucket: this.bucket.bucketName, ManifestKey: this.manifestKey },
    };
  }
}

/** A package identity with its name decided. */
type NamedIdentity = PackageIdentity & { readonly name: string };

/**
 * The package a folder is imported as (see package-name.ts for the rule), checked against the
 * service's limits with the field it came from. Props that are tokens are left to the handler, so
 * the name and version decided here are never tokens.
 */
function identityOf(directory: string, folderName: string, nodePackage: NodePackage, target: ImportTarget): NamedIdentity {
  const known = (value: string | undefined) => (value !== undefined && !Token.isUnresolved(value) ? value : undefined);
  const identity = packageIdentity({
    packageName: known(target.packageName),
    packageVersion: known(target.packageVersion),
    folderName,
    manifestName: nodePackage.name,
    manifestVersion: nodePackage.version,
  });
  const problems: ValidationProblem[] = [];
  if (identity.name === undefined) {
    problems.push(new ValidationProblem('packageName', described('missing'),
      `must be given: the manifest has no nodePackage.name and the folder ${JSON.stringify(folderName)} (${directory}) is not named <account>-<name>-<version> as panorama-cli names package folders`));
  } else if (identity.nameOrigin === 'folder') {
    problems.push(...checkPackageName(identity.name, `package name from the folder ${JSON.stringify(folderName)}`));
  }
  throwIfProblems(problems);
  return identity as NamedIdentity;
}

/**
 * The manifest to stage. The import job checks that the manifest describes the package and version
 * it is imported as, so a name or version that the manifest does not carry (from the folder, from
 * panorama-cli's default version, or from props) is written into a copy of the manifest.
 */
function manifestFor(manifestPath: string, nodePackage: NodePackage, identity: NamedIdentity): string {
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
