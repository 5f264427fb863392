/**
 * A bucket source: a manifest already in S3 with the files it names beside it. Nothing is staged;
 * the import job reads the objects in place.
 */
import * as path from 'path';
import { Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { suppressObjectPattern } from './private/nag-suppressions';
import { BoundPackageSource, SourceBinder } from './source-binding';
import { checkS3LocationPart, throwIfProblems } from '../rules/validation';

/** Binds a manifest in a bucket: read on its folder only, for the handler and the job. */
export class BucketSource implements SourceBinder {
  constructor(private readonly bucket: s3.IBucket, private readonly manifestKey: string) {
    if (!Token.isUnresolved(manifestKey)) {
      throwIfProblems(checkS3LocationPart(manifestKey, 'PackageSource.fromBucket manifestKey'));
    }
  }

  public bind(_scope: Construct, handlerRole: iam.IRole): BoundPackageSource {
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
      properties: { Type: 'Bucket', Bucket: this.bucket.bucketName, ManifestKey: this.manifestKey },
    };
  }
}
