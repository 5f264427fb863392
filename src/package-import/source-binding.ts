/**
 * What a package source does for the import that uses it: grants the handler role read on its
 * files, and describes them for the handler (the custom resource's `Source` property).
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ImportTarget } from './directory-package';
import { SourceProperty } from '../rules/contract';

/** A source bound to one import. */
export interface BoundPackageSource {
  /** The package name and version, when known at synth (a folder source); else the handler decides. */
  readonly packageName?: string;
  readonly packageVersion?: string;
  /** The `Source` property of the custom resource. */
  readonly properties: SourceProperty;
}

/** One kind of source. */
export interface SourceBinder {
  /** Makes the source's files available to the handler role; called once, by the import. */
  bind(scope: Construct, handlerRole: iam.IRole, target: ImportTarget): BoundPackageSource;
}
