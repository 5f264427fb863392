/**
 * The emulated service's device registry: the devices an application instance can run on.
 * Records follow DescribeDevice in the Smithy model. Devices come from ProvisionDevice (a new id
 * per call, as the service assigns it) or from the emulator's owner (`PanoramaEmulator.ensureDevice`,
 * `panorama-local --device`), which records an online device under an id of its choosing.
 */
import { CONSTRAINTS } from './input-validation';
import { StepScheduler } from './step-scheduler';

/** The device's provisioning state, as the model's DeviceStatus names it. */
export type DeviceStatus = 'AWAITING_PROVISIONING' | 'PENDING' | 'SUCCEEDED' | 'FAILED' | 'ERROR' | 'DELETING';

/** The device's aggregated state, as the model's DeviceAggregatedStatus names it. */
export type DeviceAggregatedStatus = 'ONLINE' | 'OFFLINE' | 'AWAITING_PROVISIONING' | 'PENDING' | 'FAILED' | 'DELETING' | 'ERROR'
| 'LEASE_EXPIRED' | 'UPDATE_NEEDED' | 'REBOOTING';

/** The model's DeviceAggregatedStatus values, for ListDevices' filter. */
export const DEVICE_AGGREGATED_STATUSES: readonly DeviceAggregatedStatus[] = [
  'ERROR', 'AWAITING_PROVISIONING', 'PENDING', 'FAILED', 'DELETING', 'ONLINE', 'OFFLINE', 'LEASE_EXPIRED', 'UPDATE_NEEDED', 'REBOOTING',
];

/** ProvisionDevice's NetworkingConfiguration (NetworkPayload), as validated. */
export interface NetworkPayload {
  readonly Ethernet0?: EthernetPayload;
  readonly Ethernet1?: EthernetPayload;
  readonly Ntp?: { readonly NtpServers: string[] };
}

/** One Ethernet port's configuration. */
export interface EthernetPayload {
  readonly ConnectionType: 'STATIC_IP' | 'DHCP';
  readonly StaticIpConnectionInfo?: { readonly IpAddress: string; readonly Mask: string; readonly Dns: string[]; readonly DefaultGateway: string };
}

/** A device, in DescribeDevice's words (timestamps in epoch seconds). */
export interface DeviceRecord {
  readonly DeviceId: string;
  readonly Name: string;
  readonly Arn: string;
  readonly Description?: string;
  readonly Type: 'PANORAMA_APPLIANCE' | 'PANORAMA_APPLIANCE_DEVELOPER_KIT';
  readonly Brand: 'AWS_PANORAMA' | 'LENOVO';
  ProvisioningStatus: DeviceStatus;
  DeviceConnectionStatus: 'ONLINE' | 'OFFLINE' | 'AWAITING_CREDENTIALS' | 'NOT_AVAILABLE' | 'ERROR';
  DeviceAggregatedStatus: DeviceAggregatedStatus;
  readonly CreatedTime: number;
  /** When its status last changed; absent in state files of version 1 (then CreatedTime). */
  LastUpdatedTime?: number;
  readonly LeaseExpirationTime: number;
  readonly NetworkingConfiguration?: NetworkPayload;
  /** The IoT thing the device connects as (ProvisionDevice's IotThingName). */
  readonly IotThingName?: string;
  Tags: Record<string, string>;
}

/** How long a device's lease runs (a real device renews it; nothing expires it in the emulator). */
const LEASE_SECONDS = 365 * 24 * 3600;

/** Why a device id is unusable (the model's DeviceId rule), or undefined when it is fine. */
export function deviceIdProblem(deviceId: string): string | undefined {
  const { min, max, pattern } = CONSTRAINTS.DeviceId;
  if (deviceId.length < min || deviceId.length > max) return `DeviceId must be ${min} to ${max} characters long, got ${deviceId.length}.`;
  if (!pattern.test(deviceId)) return `DeviceId '${deviceId}' does not match pattern ${pattern.source}.`;
  return undefined;
}

/** The ARN of a device. */
export function deviceArn(region: string, account: string, deviceId: string): string {
  return `arn:aws:panorama:${region}:${account}:device/${deviceId}`;
}

/** A device that finished provisioning and is online, as a device that completed setup reports. */
export function provisionedDevice(deviceId: string, region: string, account: string, now: number): DeviceRecord {
  return {
    DeviceId: deviceId,
    Name: deviceId,
    Arn: deviceArn(region, account, deviceId),
    Type: 'PANORAMA_APPLIANCE',
    Brand: 'AWS_PANORAMA',
    ProvisioningStatus: 'SUCCEEDED',
    DeviceConnectionStatus: 'ONLINE',
    DeviceAggregatedStatus: 'ONLINE',
    CreatedTime: now,
    LastUpdatedTime: now,
    LeaseExpirationTime: now + LEASE_SECONDS,
    IotThingName: deviceId,
    Tags: {},
  };
}

/**
 * A device ProvisionDevice just created: it waits for its configuration archive to reach the
 * hardware (AWAITING_PROVISIONING, AWAITING_CREDENTIALS) until the emulator completes its setup.
 */
export function awaitingDevice(
  deviceId: string, region: string, account: string, now: number,
  request: { Name: string; Description?: string; NetworkingConfiguration?: NetworkPayload; Tags: Record<string, string> },
): DeviceRecord {
  return {
    ...provisionedDevice(deviceId, region, account, now),
    Name: request.Name,
    ...(request.Description !== undefined ? { Description: request.Description } : {}),
    ...(request.NetworkingConfiguration !== undefined ? { NetworkingConfiguration: request.NetworkingConfiguration } : {}),
    ProvisioningStatus: 'AWAITING_PROVISIONING',
    DeviceConnectionStatus: 'AWAITING_CREDENTIALS',
    DeviceAggregatedStatus: 'AWAITING_PROVISIONING',
    Tags: { ...request.Tags },
  };
}

/** What a device reports once its setup is complete: provisioned and online. */
export function completeSetup(device: DeviceRecord, now: number): void {
  device.ProvisioningStatus = 'SUCCEEDED';
  device.DeviceConnectionStatus = 'ONLINE';
  device.DeviceAggregatedStatus = 'ONLINE';
  device.LastUpdatedTime = now;
}

/**
 * Completes the setup of provisioned devices: no hardware will ever fetch their configuration
 * archive, so the emulator plays the device that does, `delayMs` after ProvisionDevice.
 */
export class DeviceSetup {
  private readonly steps: StepScheduler;

  constructor(private readonly delayMs: number, onStep: () => void = () => undefined) {
    this.steps = new StepScheduler(onStep);
  }

  /** Completes the device's setup after the delay, unless it is no longer awaiting it then. */
  schedule(device: DeviceRecord): void {
    this.steps.schedule(device.DeviceId, this.delayMs, () => {
      if (device.ProvisioningStatus === 'AWAITING_PROVISIONING') completeSetup(device, Date.now() / 1000);
    });
  }

  /** Forgets a device's pending setup (it was deleted). */
  cancel(deviceId: string): void {
    this.steps.cancel(deviceId);
  }

  whenSettled(): Promise<void> {
    return this.steps.whenSettled();
  }

  cancelAll(): void {
    this.steps.cancelAll();
  }
}
