/** The device operations: ProvisionDevice, DescribeDevice, ListDevices and DeleteDevice. */
import { isActive } from './application-instance-record';
import {
  awaitingDevice, DEVICE_AGGREGATED_STATUSES, DeviceRecord, EthernetPayload, NetworkPayload,
} from './devices';
import { conflict, fieldError, notFound } from './errors';
import {
  CONSTRAINTS, optionalList, optionalObject, optionalString, optionalTags, queryEnum, queryPageSize, requireEnum, requireString,
} from './input-validation';
import { OperationContext, OperationInput } from './operation-context';
import { paginate } from './pagination';
import { EmulatorState, epochSeconds, randomId } from './state';
import { zipArchive } from './zip-archive';

const SORT_KEYS = ['DEVICE_ID', 'CREATED_TIME', 'NAME', 'DEVICE_AGGREGATED_STATUS'] as const;
const SORT_ORDERS = ['ASCENDING', 'DESCENDING'] as const;
/** NtpPayload.NtpServers holds 0 to 5 servers. */
const MAX_NTP_SERVERS = 5;

/**
 * ProvisionDevice: a new device (the service chooses its id) awaiting its configuration archive,
 * returned as Certificates. A name already taken is a 409 ConflictException. The emulator plays
 * the hardware: the device completes its setup (SUCCEEDED, ONLINE) a moment later (README).
 */
export function provisionDevice(context: OperationContext, { body }: OperationInput): object {
  const { state } = context;
  const name = requireString(body.Name, 'Name', CONSTRAINTS.DeviceName);
  const description = optionalString(body.Description, 'Description', CONSTRAINTS.Description);
  const networking = networkPayload(body.NetworkingConfiguration);
  const tags = optionalTags(body.Tags, 'Tags') ?? {};
  const taken = [...state.devices.values()].find((device) => device.Name === name);
  if (taken) throw conflict('Device', taken.DeviceId, `A device named ${name} already exists: ${taken.DeviceId}.`);
  const deviceId = `device-${randomId(26)}`;
  const device = awaitingDevice(deviceId, state.region, state.account, epochSeconds(), {
    Name: name, Description: description, NetworkingConfiguration: networking, Tags: tags,
  });
  state.devices.set(deviceId, device);
  context.deviceSetup.schedule(device);
  const archive = zipArchive({
    'device-configuration.json': JSON.stringify({
      deviceId,
      name,
      iotThingName: device.IotThingName,
      arn: device.Arn,
      note: 'Issued by the local Panorama emulator: no certificate, nothing a real appliance can use.',
    }, null, 2),
  });
  return {
    Arn: device.Arn,
    Status: device.ProvisioningStatus,
    DeviceId: deviceId,
    IotThingName: device.IotThingName,
    Certificates: archive.toString('base64'),
  };
}

/** DescribeDevice. */
export function describeDevice({ state }: OperationContext, { labels }: OperationInput): object {
  const device = existingDevice(state, deviceIdOf(labels));
  return {
    DeviceId: device.DeviceId,
    Name: device.Name,
    Arn: device.Arn,
    Description: device.Description,
    Type: device.Type,
    DeviceConnectionStatus: device.DeviceConnectionStatus,
    CreatedTime: device.CreatedTime,
    ProvisioningStatus: device.ProvisioningStatus,
    Tags: device.Tags,
    NetworkingConfiguration: device.NetworkingConfiguration,
    LeaseExpirationTime: device.LeaseExpirationTime,
    Brand: device.Brand,
    DeviceAggregatedStatus: device.DeviceAggregatedStatus,
  };
}

/**
 * ListDevices, capitalised query parameters: NameFilter keeps names that start with it (the model
 * says "prefixes supported"), DeviceAggregatedStatusFilter one status; SortBy and SortOrder order
 * them (default: oldest first).
 */
export function listDevices({ state }: OperationContext, { query }: OperationInput): object {
  const nameFilter = query.get('NameFilter');
  const statusFilter = queryEnum(query.get('DeviceAggregatedStatusFilter'), 'DeviceAggregatedStatusFilter', DEVICE_AGGREGATED_STATUSES);
  const sortBy = queryEnum(query.get('SortBy'), 'SortBy', SORT_KEYS) ?? 'CREATED_TIME';
  const sortOrder = queryEnum(query.get('SortOrder'), 'SortOrder', SORT_ORDERS) ?? 'ASCENDING';
  const pageSize = queryPageSize(query.get('MaxResults'), 'MaxResults');
  const key = (device: DeviceRecord): string | number => ({
    DEVICE_ID: device.DeviceId, CREATED_TIME: device.CreatedTime, NAME: device.Name, DEVICE_AGGREGATED_STATUS: device.DeviceAggregatedStatus,
  })[sortBy];
  const selected = [...state.devices.values()]
    .filter((device) => (nameFilter === null || device.Name.startsWith(nameFilter))
      && (statusFilter === undefined || device.DeviceAggregatedStatus === statusFilter))
    .map((device, index) => ({ device, index }))
    // Stable: devices with equal keys keep their order of creation.
    .sort((a, b) => compare(key(a.device), key(b.device)) * (sortOrder === 'ASCENDING' ? 1 : -1) || a.index - b.index)
    .map(({ device }) => device);
  const page = paginate(selected, pageSize, query.get('NextToken'), 'NextToken', 'ListDevices');
  return {
    Devices: page.items.map((device) => ({
      DeviceId: device.DeviceId,
      Name: device.Name,
      CreatedTime: device.CreatedTime,
      ProvisioningStatus: device.ProvisioningStatus,
      LastUpdatedTime: device.LastUpdatedTime ?? device.CreatedTime,
      LeaseExpirationTime: device.LeaseExpirationTime,
      Brand: device.Brand,
      Description: device.Description,
      Tags: device.Tags,
      Type: device.Type,
      DeviceAggregatedStatus: device.DeviceAggregatedStatus,
    })),
    NextToken: page.nextToken,
  };
}

/** DeleteDevice: refused (409) while an application instance on it is not removed; otherwise gone at once. */
export function deleteDevice(context: OperationContext, { labels }: OperationInput): object {
  const { state } = context;
  const device = existingDevice(state, deviceIdOf(labels));
  const running = [...state.instances.values()].filter((instance) => instance.defaultRuntimeContextDevice === device.DeviceId && isActive(instance));
  if (running.length > 0) {
    throw conflict('Device', device.DeviceId, `Device ${device.DeviceId} still has application instances that are not removed: `
      + `${running.map((i) => `${i.applicationInstanceId} (${i.status})`).join(', ')}. Remove them first.`, 'DEVICE_HAS_APPLICATION_INSTANCES');
  }
  context.deviceSetup.cancel(device.DeviceId);
  state.devices.delete(device.DeviceId);
  return { DeviceId: device.DeviceId };
}

function deviceIdOf(labels: OperationInput['labels']): string {
  return requireString(labels.DeviceId, 'DeviceId', CONSTRAINTS.DeviceId);
}

function existingDevice(state: EmulatorState, deviceId: string): DeviceRecord {
  const device = state.devices.get(deviceId);
  if (!device) throw notFound('Device', deviceId, `Device ${deviceId} not found.`);
  return device;
}

/** NetworkPayload as the model shapes it: Ethernet0, Ethernet1 (ConnectionType, StaticIpConnectionInfo), Ntp. */
function networkPayload(value: unknown): NetworkPayload | undefined {
  const payload = optionalObject(value, 'NetworkingConfiguration');
  if (!payload) return undefined;
  const ethernet0 = ethernetPayload(payload.Ethernet0, 'NetworkingConfiguration.Ethernet0');
  const ethernet1 = ethernetPayload(payload.Ethernet1, 'NetworkingConfiguration.Ethernet1');
  const ntp = optionalObject(payload.Ntp, 'NetworkingConfiguration.Ntp');
  let ntpServers: string[] | undefined;
  if (ntp) {
    const field = 'NetworkingConfiguration.Ntp.NtpServers';
    if (ntp.NtpServers === undefined || ntp.NtpServers === null) throw fieldError(field, 'is required.');
    ntpServers = optionalList(ntp.NtpServers, field, MAX_NTP_SERVERS)!.map((server, i) => requireString(server, `${field}[${i}]`, CONSTRAINTS.IpAddressOrServerName));
  }
  return {
    ...(ethernet0 ? { Ethernet0: ethernet0 } : {}),
    ...(ethernet1 ? { Ethernet1: ethernet1 } : {}),
    ...(ntpServers ? { Ntp: { NtpServers: ntpServers } } : {}),
  };
}

function ethernetPayload(value: unknown, field: string): EthernetPayload | undefined {
  const payload = optionalObject(value, field);
  if (!payload) return undefined;
  const connectionType = requireEnum(payload.ConnectionType, `${field}.ConnectionType`, ['STATIC_IP', 'DHCP'] as const);
  const info = optionalObject(payload.StaticIpConnectionInfo, `${field}.StaticIpConnectionInfo`);
  if (!info) return { ConnectionType: connectionType };
  const infoField = `${field}.StaticIpConnectionInfo`;
  const dns = optionalList(info.Dns, `${infoField}.Dns`);
  if (!dns) throw fieldError(`${infoField}.Dns`, 'is required.');
  return {
    ConnectionType: connectionType,
    StaticIpConnectionInfo: {
      IpAddress: requireString(info.IpAddress, `${infoField}.IpAddress`, CONSTRAINTS.IpAddress),
      Mask: requireString(info.Mask, `${infoField}.Mask`, CONSTRAINTS.Mask),
      Dns: dns.map((entry, i) => requireString(entry, `${infoField}.Dns[${i}]`, CONSTRAINTS.Dns)),
      DefaultGateway: requireString(info.DefaultGateway, `${infoField}.DefaultGateway`, CONSTRAINTS.DefaultGateway),
    },
  };
}

function compare(a: string | number, b: string | number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
