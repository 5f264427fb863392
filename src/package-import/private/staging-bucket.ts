import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { suppressNag } from './nag-suppressions';

/** The logical id of the staging bucket starts with this (the ids of the construct path). */
export const STAGING_BUCKET_LOGICAL_PREFIX = 'PanoramaPackageImportStagingBucket';

/** Every staged object lives under this prefix; the handler may write nowhere else. */
export const STAGING_PREFIX = 'imports/';

/**
 * The stack's one bucket where import jobs read their input: the manifest and its files under one
 * key prefix. Objects are deleted once their job ends; the lifecycle rule removes any straggler.
 */
export class StagingBucket extends Construct {
  /** The stack's staging bucket, created on first use. */
  public static of(scope: Construct): StagingBucket {
    const stack = Stack.of(scope);
    const id = 'PanoramaPackageImportStaging';
    return (stack.node.tryFindChild(id) as StagingBucket | undefined) ?? new StagingBucket(stack, id);
  }

  public readonly bucket: s3.Bucket;

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: false,
      lifecycleRules: [{
        id: 'ExpireStaleStagingObjects',
        prefix: STAGING_PREFIX,
        // A job reads its input within the custom resource's hour; a day leaves ample margin.
        expiration: Duration.days(1),
        abortIncompleteMultipartUploadAfter: Duration.days(1),
      }],
      // Staged objects are transient copies: nothing here outlives the stack.
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });
    suppressNag(this.bucket, [{
      id: 'AwsSolutions-S1',
      reason: 'Holds only transient copies of assets already in the asset bucket, for the minutes an import job reads them; '
        + 'access logging would need a second bucket per stack for no audit value',
    }]);
  }

  /** Lets a handler stage, read back and clean up objects under the staging prefix, nothing else. */
  public grantStaging(role: iam.IRole): void {
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
      resources: [this.bucket.arnForObjects(`${STAGING_PREFIX}*`)],
    }));
  }
}
