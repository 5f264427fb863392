import { randomInt } from 'crypto';
import { ApplicationInstanceRecord, isActive } from './application-instance-record';
import { NodeJobRecord, NodeRecord } from './camera-node-record';
import { DeviceRecord } from './devices';

/** Where a package's files live in the emulated S3, as DescribePackage reports it. */
export interface StorageLocation {
  readonly Bucket: string;
  readonly RepoPrefixLocation: string;
  readonly GeneratedPrefixLocation: string;
  readonly BinaryPrefixLocation: string;
  readonly ManifestPrefixLocation: string;
}

/** A package as the emulated service holds it. */
export interface PackageRecord {
  readonly packageId: string;
  readonly packageName: string;
  readonly arn: string;
  readonly storageLocation: StorageLocation;
  /** Epoch seconds. */
  readonly createdTime: number;
  tags: Record<string, string>;
}

/** Lifecycle states of a package version, as the model names them. */
export type PackageVersionStatus = 'REGISTER_PENDING' | 'REGISTER_COMPLETED' | 'FAILED' | 'DELETING';

/** One patch of one package version. */
export interface PackageVersionRecord {
  readonly packageId: string;
  readonly packageVersion: string;
  readonly patchVersion: string;
  readonly ownerAccount: string;
  status: PackageVersionStatus;
  isLatestPatch: boolean;
  /** False once deregistered: it then no longer counts against the quota nor answers Describe. */
  registered: boolean;
  /** Epoch seconds. */
  registeredTime: number;
}

/** Import job states. */
export type ImportJobStatus = 'PENDING' | 'SUCCEEDED' | 'FAILED';

/** The validated CreatePackageImportJob request, kept as the job's configuration. */
export interface ImportJobRequest {
  readonly JobType: string;
  readonly InputConfig: { PackageVersionInputConfig: { S3Location: { BucketName: string; ObjectKey: string; Region?: string } } };
  readonly OutputConfig: { PackageVersionOutputConfig: { PackageName: string; PackageVersion: string; MarkLatest?: boolean } };
  readonly ClientToken: string;
  readonly JobTags?: ReadonlyArray<{ ResourceType: string; Tags: Record<string, string> }>;
}

/** Where a successful job put its result. */
export interface ImportJobOutput {
  readonly PackageId: string;
  readonly PackageVersion: string;
  readonly PatchVersion: string;
  readonly OutputS3Location: { BucketName: string; ObjectKey: string };
}

/** An import job and its progress. */
export interface ImportJobRecord {
  readonly jobId: string;
  readonly request: ImportJobRequest;
  /** Canonical JSON of the request, compared when a ClientToken comes back. */
  readonly fingerprint: string;
  readonly createdTime: number;
  lastUpdatedTime: number;
  status: ImportJobStatus;
  statusMessage: string;
  output?: ImportJobOutput;
}

/** Everything the emulated service remembers; one instance per account and Region. */
export class EmulatorState {
  readonly packages = new Map<string, PackageRecord>();
  readonly versions: PackageVersionRecord[] = [];
  readonly jobs = new Map<string, ImportJobRecord>();
  readonly jobIdByClientToken = new Map<string, string>();
  readonly devices = new Map<string, DeviceRecord>();
  readonly instances = new Map<string, ApplicationInstanceRecord>();
  /** CreateNodeFromTemplateJob jobs, by JobId. */
  readonly nodeJobs = new Map<string, NodeJobRecord>();
  /** Nodes made by finished node jobs, by NodeId. */
  readonly nodes = new Map<string, NodeRecord>();

  constructor(readonly region: string, readonly account: string) {}

  /** Resolves a PackageId or its `packageName/<name>` alias. */
  findPackage(packageIdOrAlias: string): PackageRecord | undefined {
    const alias = /^packageName\/(.+)$/.exec(packageIdOrAlias);
    if (alias) return this.findPackageByName(alias[1]);
    return this.packages.get(packageIdOrAlias);
  }

  findPackageByName(packageName: string): PackageRecord | undefined {
    return [...this.packages.values()].find((pkg) => pkg.packageName === packageName);
  }

  findPackageByArn(arn: string): PackageRecord | undefined {
    return [...this.packages.values()].find((pkg) => pkg.arn === arn);
  }

  /** Creates a package with a fresh id and its storage layout; the caller checks name and quota. */
  addPackage(packageName: string, tags: Record<string, string>, now: number): PackageRecord {
    const packageId = `package-${randomId(26)}`;
    const repo = `${this.account}/nodePackages/${packageId}`;
    const record: PackageRecord = {
      packageId,
      packageName,
      arn: `arn:aws:panorama:${this.region}:${this.account}:package/${packageId}`,
      storageLocation: {
        Bucket: managedBucketName(this.account),
        RepoPrefixLocation: repo,
        GeneratedPrefixLocation: `${repo}/generated`,
        BinaryPrefixLocation: `${repo}/binaries`,
        ManifestPrefixLocation: `${repo}/manifests`,
      },
      createdTime: now,
      tags: { ...tags },
    };
    this.packages.set(packageId, record);
    return record;
  }

  removePackage(packageId: string): void {
    this.packages.delete(packageId);
    this.versions.splice(0, this.versions.length, ...this.versions.filter((v) => v.packageId !== packageId));
    for (const [nodeId, node] of this.nodes) if (node.packageId === packageId) this.nodes.delete(nodeId);
  }

  /** The nodes whose package version is still registered (a deregistered patch takes its nodes with it). */
  liveNodes(): NodeRecord[] {
    return [...this.nodes.values()].filter((node) => this.findRegisteredPatch(node.packageId, node.packageVersion, node.patchVersion));
  }

  /** Registered patches of a package, optionally of one version. */
  registeredVersions(packageId: string, packageVersion?: string): PackageVersionRecord[] {
    return this.versions.filter(
      (v) => v.registered && v.packageId === packageId && (packageVersion === undefined || v.packageVersion === packageVersion),
    );
  }

  findRegisteredPatch(packageId: string, packageVersion: string, patchVersion: string): PackageVersionRecord | undefined {
    return this.registeredVersions(packageId, packageVersion).find((v) => v.patchVersion === patchVersion);
  }

  /** Registers a patch (idempotent for an already registered one); MarkLatest moves the latest flag. */
  registerPatch(packageId: string, packageVersion: string, patchVersion: string, markLatest: boolean, now: number): PackageVersionRecord {
    let record = this.findRegisteredPatch(packageId, packageVersion, patchVersion);
    if (!record) {
      record = {
        packageId,
        packageVersion,
        patchVersion,
        ownerAccount: this.account,
        status: 'REGISTER_COMPLETED',
        isLatestPatch: false,
        registered: true,
        registeredTime: now,
      };
      this.versions.push(record);
    }
    if (markLatest) this.markLatest(record);
    return record;
  }

  /** Makes one patch the latest of its package version. */
  markLatest(record: PackageVersionRecord): void {
    for (const sibling of this.registeredVersions(record.packageId, record.packageVersion)) {
      sibling.isLatestPatch = sibling === record;
    }
  }

  findDeviceByArn(arn: string): DeviceRecord | undefined {
    return [...this.devices.values()].find((device) => device.Arn === arn);
  }

  findInstanceByArn(arn: string): ApplicationInstanceRecord | undefined {
    return [...this.instances.values()].find((instance) => instance.arn === arn);
  }

  /** The instances not removed that run this patch (DeregisterPackageVersion refuses then). */
  instancesUsingPatch(packageId: string, version: string, patchVersion: string): ApplicationInstanceRecord[] {
    return [...this.instances.values()].filter((instance) => isActive(instance)
      && instance.dependencies.some((d) => d.packageId === packageId && d.version === version && d.patchVersion === patchVersion));
  }

  addJob(job: ImportJobRecord): void {
    this.jobs.set(job.jobId, job);
    this.jobIdByClientToken.set(job.request.ClientToken, job.jobId);
  }
}

/** The emulator's stand-in for the Panorama-owned storage bucket of an account. */
export function managedBucketName(account: string): string {
  return `panorama-storage-${account}`;
}

/** Epoch seconds with millisecond precision, the timestamp format of the restJson1 protocol. */
export function epochSeconds(date = Date.now()): number {
  return date / 1000;
}

/** A random lowercase alphanumeric id, like the service's package ids. */
export function randomId(length: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join('');
}
