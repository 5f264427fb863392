/**
 * The emulated service's device registry: the devices an application instance can run on.
 * Records follow the fields of DescribeDevice in the Smithy model; the device operations
 * (ProvisionDevice, DescribeDevice, ListDevices, DeleteDevice) are not served yet, so devices are
 * added by the emulator's owner (`PanoramaEmulator.ensureDevice`, `panorama-local --device`).
 */
import { StringConstraint } from './input-validation';

/** DeviceId and device Name, as the model constrains them. */
export const DEVICE_ID_CONSTRAINT: StringConstraint = { min: 1, max: 255, pattern: /^[a-zA-Z0-9\-_]+$/ };

/** A provisioned device, in DescribeDevice's words (timestamps in epoch seconds). */
export interface DeviceRecord {
  readonly DeviceId: string;
  readonly Name: string;
  readonly Arn: string;
  readonly Description?: string;
  readonly Type: 'PANORAMA_APPLIANCE' | 'PANORAMA_APPLIANCE_DEVELOPER_KIT';
  readonly Brand: 'AWS_PANORAMA' | 'LENOVO';
  ProvisioningStatus: 'AWAITING_PROVISIONING' | 'PENDING' | 'SUCCEEDED' | 'FAILED' | 'ERROR' | 'DELETING';
  DeviceConnectionStatus: 'ONLINE' | 'OFFLINE' | 'AWAITING_CREDENTIALS' | 'NOT_AVAILABLE' | 'ERROR';
  DeviceAggregatedStatus: 'ONLINE' | 'OFFLINE' | 'AWAITING_PROVISIONING' | 'PENDING' | 'FAILED' | 'DELETING' | 'ERROR'
  | 'LEASE_EXPIRED' | 'UPDATE_NEEDED' | 'REBOOTING';
  readonly CreatedTime: number;
  readonly LeaseExpirationTime: number;
  Tags: Record<string, string>;
}

/** How long a device's lease runs (a real device renews it; nothing expires it in the emulator). */
const LEASE_SECONDS = 365 * 24 * 3600;

/** Why a device id is unusable, or undefined when it is fine. */
export function deviceIdProblem(deviceId: string): string | undefined {
  const { min, max, pattern } = DEVICE_ID_CONSTRAINT;
  if (deviceId.length < min || deviceId.length > max) return `DeviceId must be ${min} to ${max} characters long, got ${deviceId.length}.`;
  if (pattern && !pattern.test(deviceId)) return `DeviceId '${deviceId}' does not match pattern ${pattern.source}.`;
  return undefined;
}

/** A device that finished provisioning and is online, as a device that completed setup reports. */
export function provisionedDevice(deviceId: string, region: string, account: string, now: number): DeviceRecord {
  return {
    DeviceId: deviceId,
    Name: deviceId,
    Arn: `arn:aws:panorama:${region}:${account}:device/${deviceId}`,
    Type: 'PANORAMA_APPLIANCE',
    Brand: 'AWS_PANORAMA',
    ProvisioningStatus: 'SUCCEEDED',
    DeviceConnectionStatus: 'ONLINE',
    DeviceAggregatedStatus: 'ONLINE',
    CreatedTime: now,
    LeaseExpirationTime: now + LEASE_SECONDS,
    Tags: {},
  };
}
