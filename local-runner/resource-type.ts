/**
 * The contract of a resource type under the runner: what the deployer gives a type (a context per
 * operation) and what it asks of it (create, update, delete, and how the stack treats it). The
 * built-in types are in resource-types.ts; each lives in a module of its own.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { FileAsset } from './cloud-assembly';
import type { RedeliveryPolicy } from './custom-resources';
import type { CustomResourceResponse } from './provider-framework';
import type { SecretStore } from './secret-store';
import type { ResourceState } from './state';

/** Where a stack is deployed: the same for each of its resources. */
export interface StackEnvironment {
  readonly stackName: string;
  readonly account: string;
  readonly region: string;
  readonly partition: string;
  readonly s3: S3Client;
  readonly assets: FileAsset[];
  readonly codeStore: string;
  /** The emulated Panorama service, for types that call it (e.g. with `new PanoramaClient({ endpoint })`). */
  readonly panoramaEndpoint: string;
  /** The emulated S3. */
  readonly s3Endpoint: string;
  /** The emulated Secrets Manager's storage (AWS::SecretsManager::Secret), when the deployment has one. */
  readonly secrets?: SecretStore;
  /** Progress lines (the runner's detailed trace). */
  readonly log: (line: string) => void;
  /** Reads of the emulated Panorama spend no quota (it enforces none): waits may start shorter. */
  readonly unmeteredReads?: boolean;
}

/** The operation a context is given for, as the progress lines name it. */
export interface ResourceOperation {
  /** `create`, `update`, `delete`, `delete (cleanup)`, `rollback delete` or `rollback update`. */
  readonly verb: string;
  readonly logicalId: string;
  readonly resourceType: string;
  /** One progress line: `<verb> <logicalId> (<type>): <text>`. */
  step(text: string): void;
  /** Responses of extra deliveries of the request (DeployOptions.redeliver), kept on the resource's result. */
  recordDuplicates(responses: CustomResourceResponse[]): void;
  /**
   * The service named the physical resource being made (an instance's id, an import's job id),
   * before the type waits for it: journaled at once, so a killed run's next command finds it.
   */
  started(physicalId: string): void;
}

/** Where a resource is being deployed, and the operation under way. */
export interface TypeContext extends StackEnvironment {
  /** The stack's ARN, as CloudFormation's requests carry it. */
  readonly stackId: string;
  readonly operation: ResourceOperation;
  /** Which requests to deliver more than once (tests of idempotency). */
  readonly redeliver?: RedeliveryPolicy;
  /**
   * Aborts when the deployment is cancelled (Ctrl-C): a type that waits stops waiting and fails
   * with CloudFormation's reason for it (`CANCELLED_REASON`). Only a deployment's own Create and
   * Update get it; deletes and rollbacks run to their end.
   */
  readonly signal?: AbortSignal;
  /** A resource of the stack: as deployed by this deployment so far, else as the last one left it. */
  findResource(predicate: (resource: ResourceState) => boolean): ResourceState | undefined;
  /**
   * A generated physical name for the operation's logical id: the one an interrupted command
   * reserved, else `make()`'s, journaled before it is used.
   */
  reserveName(make: () => string): string;
}

/** The outcome of a create or update: what the state keeps. */
export interface Provisioned {
  readonly physicalId: string;
  readonly attributes: Record<string, string>;
  readonly codeDirectory?: string;
}

/** A resource as deployed: what its create or update returned, and the properties it was given. */
export interface DeployedResource extends Provisioned {
  readonly properties: Record<string, unknown>;
}

/** What the runner does for one CloudFormation type, and how the stack treats it. */
export interface ResourceType {
  /** Whether the runner does something real for this type (false: skipped, with a fake id). */
  readonly emulated: boolean;
  /** Whether its steps are worth a progress line and its events a line to a person (functions and state machines are only recorded). */
  readonly reported: boolean;
  /** Whether an unchanged resource gets a `no change` progress line (a custom resource: CloudFormation sends it no request). */
  readonly tracesUnchanged?: boolean;
  /**
   * Types every resource of this type depends on within its stack, whether or not its template
   * says so: an application instance may run any package the stack imports, so a destroy removes
   * the instances before any import deregisters its version. @default none
   */
  readonly dependsOnTypes?: readonly string[];
  /** The attributes to log, in order, once its stack deployed (an import's PackageArn first); none when absent. */
  loggedAttributes?(attributes: Record<string, string>): string[];
  create(context: TypeContext, logicalId: string, type: string, properties: Record<string, any>): Promise<Provisioned>;
  /** A `physicalId` other than `current`'s is a replacement: the deployer deletes the old one in its cleanup. */
  update(context: TypeContext, logicalId: string, type: string, properties: Record<string, any>, current: DeployedResource): Promise<Provisioned>;
  delete(context: TypeContext, physicalId: string, properties: Record<string, any>): Promise<void>;
  /**
   * Makes again, under the same physical id, a resource removed behind the runner's back (a bucket
   * whose files were deleted with `.panorama-local/s3/`); returns whether it had to. Asked of every
   * unchanged resource of its type, so an unchanged deploy notices it instead of saying "no changes".
   */
  restore?(context: TypeContext, physicalId: string): Promise<boolean>;
  /**
   * A resource an interrupted command was making with these properties, found by what they say
   * (an instance by device, name and payload) when its id never reached the journal.
   */
  locate?(context: TypeContext, properties: Record<string, any>): Promise<string | undefined>;
  /**
   * Takes over a resource an interrupted command made with the same properties, waiting for it as
   * `create` would; undefined when it is gone or cannot be used (a new one is then created).
   */
  adopt?(context: TypeContext, logicalId: string, physicalId: string, properties: Record<string, any>): Promise<Provisioned | undefined>;
}
