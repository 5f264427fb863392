import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { BucketSource } from './bucket-source';
import { DirectoryPackage, DirectorySourceOptions, ImportTarget, readDirectoryPackage } from './directory-package';
import { DirectorySource } from './directory-source';
import { BoundPackageSource, SourceBinder } from './source-binding';
import { propTypeProblems } from '../rules/prop-types';
import { throwIfProblems } from '../rules/validation';

/**
 * Where a Panorama node package's manifest and files come from: a package folder, or a bucket.
 * Made by the static factories only: the handler knows how to read exactly these two kinds.
 */
export class PackageSource {
  /**
   * A package folder as aws-panorama-cli makes it (`packages/<account>-<name>-<version>/package.json`).
   *
   * The manifest and every file it names are staged as they are (no zip) through CDK file assets;
   * the handler copies them server-side under one S3 prefix for the import job. A folder kept
   * unbuilt is built at synth first (see `DirectorySourceOptions.packageBuild`).
   *
   * @param directory the package folder that holds the manifest
   */
  public static fromDirectory(directory: string, options: DirectorySourceOptions = {}): PackageSource {
    throwIfProblems([
      ...propTypeProblems({ directory }, 'PackageSource.fromDirectory', { directory: 'string' }),
      ...propTypeProblems(options ?? {}, 'PackageSource.fromDirectory options', {}, { assetsDirectory: 'string', manifestFileName: 'string', packageBuild: 'object' }),
    ]);
    return new PackageSource(new DirectorySource((scope) => readDirectoryPackage(directory, options, { scope })));
  }

  /**
   * A manifest already in S3, with the files it names beside it (under the same key prefix).
   * Nothing is staged: the import job reads the objects in place and the handler is granted read.
   *
   * @param bucket the bucket that holds the manifest and its files
   * @param manifestKey the object key of the manifest (`package.json`)
   */
  public static fromBucket(bucket: s3.IBucket, manifestKey: string): PackageSource {
    throwIfProblems(propTypeProblems({ bucket, manifestKey }, 'PackageSource.fromBucket', { bucket: 'object', manifestKey: 'string' }));
    return new PackageSource(new BucketSource(bucket, manifestKey));
  }

  /**
   * A package folder already read (by `PanoramaApplication`, which checks its graph against it).
   * @internal
   */
  public static _fromDirectoryPackage(read: DirectoryPackage): PackageSource {
    return new PackageSource(new DirectorySource(() => read));
  }

  // Private, so that no jsii language can subclass it: a source of another kind would need a
  // handler that reads it, and the contract with the handler is internal (rules/contract.ts).
  private constructor(private readonly binder: SourceBinder) {}

  /**
   * Makes the source's files available to the handler role. The import calls it once.
   * @internal
   */
  public _bind(scope: Construct, handlerRole: iam.IRole, target: ImportTarget): BoundPackageSource {
    return this.binder.bind(scope, handlerRole, target);
  }
}
