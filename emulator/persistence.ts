/**
 * The emulated service's state on disk, so a later process finds the packages, versions, import
 * jobs, devices and application instances of an earlier one. One JSON file with a format marker,
 * written atomically.
 */
import * as fs from 'fs';
import { ApplicationInstanceRecord } from './application-instance-record';
import { writeFileAtomically } from './atomic-file';
import { NodeJobRecord, NodeRecord } from './camera-node-record';
import { DeviceRecord } from './devices';
import { EmulatorState, ImportJobRecord, PackageRecord, PackageVersionRecord } from './state';

/** What the file's `format` field must say. */
export const STATE_FILE_FORMAT = 'panorama-emulator-state';
/**
 * Bumped whenever a record changes shape; a file of another version is refused, never misread.
 * Version 2 added application instances (and devices' LastUpdatedTime); version 3 the
 * node-from-template jobs and their nodes (cameras). An older file is read as a state without what
 * it lacks and written back as version 3, which an older emulator refuses.
 */
export const STATE_FILE_VERSION = 3;
/** Older versions this emulator still reads, and how. */
const READABLE_VERSIONS = [1, 2, STATE_FILE_VERSION];

/** The file's content. */
export interface EmulatorStateFile {
  readonly format: typeof STATE_FILE_FORMAT;
  readonly version: number;
  readonly region: string;
  readonly account: string;
  readonly packages: PackageRecord[];
  readonly versions: PackageVersionRecord[];
  readonly jobs: ImportJobRecord[];
  readonly devices: DeviceRecord[];
  /** Absent in version 1. */
  readonly applicationInstances?: ApplicationInstanceRecord[];
  /** Absent before version 3. Credentials are SAVED_AS_SECRET: the file never holds one. */
  readonly nodeFromTemplateJobs?: NodeJobRecord[];
  /** Absent before version 3. */
  readonly nodes?: NodeRecord[];
}

/** A state file that cannot be used; the message says which file, why, and what to do. */
export class StateFileError extends Error {
  constructor(readonly file: string, problem: string) {
    super(`${file} ${problem}`);
    this.name = 'StateFileError';
  }
}

/** Writes the whole state (atomically). */
export function saveEmulatorState(file: string, state: EmulatorState): void {
  const content: EmulatorStateFile = {
    format: STATE_FILE_FORMAT,
    version: STATE_FILE_VERSION,
    region: state.region,
    account: state.account,
    packages: [...state.packages.values()],
    versions: state.versions,
    jobs: [...state.jobs.values()],
    devices: [...state.devices.values()],
    applicationInstances: [...state.instances.values()],
    nodeFromTemplateJobs: [...state.nodeJobs.values()],
    nodes: [...state.nodes.values()],
  };
  writeFileAtomically(file, JSON.stringify(content, null, 1));
}

/** The state of the file, or an empty one when it does not exist; throws StateFileError otherwise. */
export function loadEmulatorState(file: string, region: string, account: string): EmulatorState {
  const state = new EmulatorState(region, account);
  if (!fs.existsSync(file)) return state;
  let content: EmulatorStateFile;
  try {
    content = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new StateFileError(file, `is not valid JSON (${(error as Error).message}): it cannot be read safely.`);
  }
  if (content?.format !== STATE_FILE_FORMAT) {
    throw new StateFileError(file, `is not a Panorama emulator state file (its "format" is ${JSON.stringify(content?.format)}, expected "${STATE_FILE_FORMAT}").`);
  }
  if (!READABLE_VERSIONS.includes(content.version)) {
    throw new StateFileError(file, `holds Panorama emulator state of version ${JSON.stringify(content.version)}; this emulator reads versions ${READABLE_VERSIONS.join(', ')} only.`);
  }
  if (content.region !== region || content.account !== account) {
    throw new StateFileError(file, `holds the state of account ${content.account} in ${content.region}, not of account ${account} in ${region}.`);
  }
  for (const record of content.packages) state.packages.set(record.packageId, record);
  state.versions.push(...content.versions);
  for (const job of content.jobs) state.addJob(job);
  for (const device of content.devices) state.devices.set(device.DeviceId, device);
  for (const instance of content.applicationInstances ?? []) state.instances.set(instance.applicationInstanceId, instance);
  for (const job of content.nodeFromTemplateJobs ?? []) state.nodeJobs.set(job.jobId, job);
  for (const node of content.nodes ?? []) state.nodes.set(node.nodeId, node);
  return state;
}
