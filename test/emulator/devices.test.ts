/**
 * The device operations through the real SDK client: ProvisionDevice (a new id, a configuration
 * archive, the setup completed by the emulator), DescribeDevice, ListDevices (filters, sorting,
 * pages) and DeleteDevice (refused while an application runs on the device); tags by device ARN.
 */
import {
  CreateApplicationInstanceCommand, DeleteDeviceCommand, DescribeDeviceCommand, ListDevicesCommand, ListDevicesCommandInput,
  ListTagsForResourceCommand,
  paginateListDevices, PanoramaClient, ProvisionDeviceCommand, RemoveApplicationInstanceCommand, TagResourceCommand,
} from '@aws-sdk/client-panorama';
import { ACCOUNT, chainPayload, errorOf, Harness, importPackage, useHarnessPerFile } from './harness';

let harness: Harness;
let panorama: PanoramaClient;
useHarnessPerFile((started, client) => {
  harness = started;
  panorama = client;
}, { instanceStepMs: 5 });

describe('ProvisionDevice', () => {
  test('a new device with an id of the service\'s, awaiting its configuration archive, then set up and online', async () => {
    // GIVEN / WHEN a device is provisioned with a description, a network configuration and tags
    const provisioned = await panorama.send(new ProvisionDeviceCommand({
      Name: 'lobby-appliance',
      Description: 'In the lobby',
      NetworkingConfiguration: {
        Ethernet0: { ConnectionType: 'STATIC_IP', StaticIpConnectionInfo: { IpAddress: '192.168.0.20', Mask: '255.255.255.0', Dns: ['192.168.0.1'], DefaultGateway: '192.168.0.1' } },
        Ntp: { NtpServers: ['pool.ntp.org'] },
      },
      Tags: { site: 'lobby' },
    }));

    // THEN the answer names the device, awaiting provisioning, with a ZIP archive
    const deviceId = provisioned.DeviceId!;
    expect(deviceId).toMatch(/^device-[a-z0-9]{26}$/);
    expect(provisioned).toMatchObject({ Arn: `arn:aws:panorama:us-east-1:${ACCOUNT}:device/${deviceId}`, Status: 'AWAITING_PROVISIONING', IotThingName: deviceId });
    expect(Buffer.from(provisioned.Certificates!).subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04]));

    // WHEN the emulator plays the hardware that picks the archive up
    await harness.emulator.whenInstancesSettled();

    // THEN the device is provisioned and online, with what it was given
    const described = await panorama.send(new DescribeDeviceCommand({ DeviceId: deviceId }));
    expect(described).toMatchObject({
      DeviceId: deviceId,
      Name: 'lobby-appliance',
      Description: 'In the lobby',
      ProvisioningStatus: 'SUCCEEDED',
      DeviceConnectionStatus: 'ONLINE',
      DeviceAggregatedStatus: 'ONLINE',
      Type: 'PANORAMA_APPLIANCE',
      Brand: 'AWS_PANORAMA',
      Tags: { site: 'lobby' },
      NetworkingConfiguration: { Ethernet0: { ConnectionType: 'STATIC_IP' }, Ntp: { NtpServers: ['pool.ntp.org'] } },
    });
    expect(described.CreatedTime).toBeInstanceOf(Date);
    expect(described.LeaseExpirationTime!.getTime()).toBeGreaterThan(described.CreatedTime!.getTime());
  });

  test.each([
    ['no name', {}, 'Name', 'Name is required.'],
    ['a name the model forbids', { Name: 'lobby appliance' }, 'Name', 'does not match pattern'],
    ['an unknown connection type', { Name: 'a', NetworkingConfiguration: { Ethernet0: { ConnectionType: 'PPPOE' } } }, 'NetworkingConfiguration.Ethernet0.ConnectionType', 'must be one of STATIC_IP, DHCP'],
    ['an address that is not IPv4', { Name: 'a', NetworkingConfiguration: { Ethernet1: { ConnectionType: 'STATIC_IP', StaticIpConnectionInfo: { IpAddress: '300.1.1.1', Mask: 'm', Dns: [], DefaultGateway: 'g' } } } },
      'NetworkingConfiguration.Ethernet1.StaticIpConnectionInfo.IpAddress', 'does not match pattern'],
    ['six NTP servers', { Name: 'a', NetworkingConfiguration: { Ntp: { NtpServers: ['a.org', 'b.org', 'c.org', 'd.org', 'e.org', 'f.org'] } } }, 'NetworkingConfiguration.Ntp.NtpServers', 'at most 5'],
  ])('refuses %s, naming the field', async (_case, input, field, words) => {
    const error = await errorOf(panorama.send(new ProvisionDeviceCommand(input as any)));
    expect(error).toMatchObject({ name: 'ValidationException', Reason: 'FIELD_VALIDATION_FAILED', Fields: [{ Name: field }] });
    expect(error.message).toContain(words);
    expect(harness.emulator.devices()).toEqual([]);
  });

  test('a name already taken is a conflict naming the device that has it', async () => {
    const first = await panorama.send(new ProvisionDeviceCommand({ Name: 'door' }));
    const error = await errorOf(panorama.send(new ProvisionDeviceCommand({ Name: 'door' })));
    expect(error).toMatchObject({ name: 'ConflictException', ResourceId: first.DeviceId, ResourceType: 'Device' });
  });
});

describe('DescribeDevice and ListDevices', () => {
  test('a device ensured by the emulator\'s owner is described like any other; an unknown one is a 404, a bad id a 400', async () => {
    harness.emulator.ensureDevice('camera-hall-1');
    expect(await panorama.send(new DescribeDeviceCommand({ DeviceId: 'camera-hall-1' }))).toMatchObject({
      DeviceId: 'camera-hall-1', Name: 'camera-hall-1', ProvisioningStatus: 'SUCCEEDED', DeviceConnectionStatus: 'ONLINE',
    });
    expect(await errorOf(panorama.send(new DescribeDeviceCommand({ DeviceId: 'camera-hall-2' })))).toMatchObject({ name: 'ResourceNotFoundException', ResourceId: 'camera-hall-2', ResourceType: 'Device' });
    expect(await errorOf(panorama.send(new DescribeDeviceCommand({ DeviceId: 'hall 2' })))).toMatchObject({ name: 'ValidationException', Fields: [{ Name: 'DeviceId' }] });
  });

  test('lists oldest first, in pages; filters by name prefix and status; sorts by name either way', async () => {
    // GIVEN five devices, one of them provisioned through the API
    for (const id of ['hall-b', 'hall-a', 'door-1', 'hall-c']) harness.emulator.ensureDevice(id);
    await panorama.send(new ProvisionDeviceCommand({ Name: 'hall-d' }));

    // WHEN listed two at a time
    const pages: string[][] = [];
    for await (const page of paginateListDevices({ client: panorama, pageSize: 2 }, {})) pages.push(page.Devices!.map((d) => d.Name!));
    // THEN every device, in three pages, oldest first
    expect(pages).toEqual([['hall-b', 'hall-a'], ['door-1', 'hall-c'], ['hall-d']]);

    // AND filters and sorting select and order
    const names = async (input: ListDevicesCommandInput) => (await panorama.send(new ListDevicesCommand(input))).Devices!.map((d) => d.Name);
    expect(await names({ NameFilter: 'hall-', SortBy: 'NAME', SortOrder: 'DESCENDING' })).toEqual(['hall-d', 'hall-c', 'hall-b', 'hall-a']);
    await harness.emulator.whenInstancesSettled();
    // (the provisioned device's id is device-…, which sorts before door-1)
    expect(await names({ DeviceAggregatedStatusFilter: 'ONLINE', SortBy: 'DEVICE_ID' })).toEqual(['hall-d', 'door-1', 'hall-a', 'hall-b', 'hall-c']);
    expect(await names({ DeviceAggregatedStatusFilter: 'OFFLINE' })).toEqual([]);
    // AND a page of 26 and an unknown sort key are refused
    expect(await errorOf(panorama.send(new ListDevicesCommand({ MaxResults: 26 })))).toMatchObject({ name: 'ValidationException', Fields: [{ Name: 'MaxResults' }] });
    expect(await errorOf(panorama.send(new ListDevicesCommand({ SortBy: 'COLOUR' as any })))).toMatchObject({ name: 'ValidationException', Fields: [{ Name: 'SortBy' }] });
    const summary = (await panorama.send(new ListDevicesCommand({ NameFilter: 'door' }))).Devices![0];
    expect(summary).toMatchObject({ DeviceId: 'door-1', ProvisioningStatus: 'SUCCEEDED', DeviceAggregatedStatus: 'ONLINE', Type: 'PANORAMA_APPLIANCE' });
    expect(summary.LastUpdatedTime).toBeInstanceOf(Date);
  });
});

describe('DeleteDevice', () => {
  test('deletes a device, answering its id; refused while an application instance on it is not removed', async () => {
    // GIVEN a device running an application
    harness.emulator.ensureDevice('camera-1');
    const { patchVersion } = await importPackage(harness, panorama, { name: 'MODEL_A' });
    const { ApplicationInstanceId } = await panorama.send(new CreateApplicationInstanceCommand({
      ManifestPayload: { PayloadData: chainPayload(ACCOUNT, ['MODEL_A'], { MODEL_A: patchVersion }) }, DefaultRuntimeContextDevice: 'camera-1',
    }));
    await harness.emulator.whenInstancesSettled();

    // WHEN it is deleted / THEN a 409 names the instance
    const refused = await errorOf(panorama.send(new DeleteDeviceCommand({ DeviceId: 'camera-1' })));
    expect(refused).toMatchObject({ name: 'ConflictException', ErrorId: 'DEVICE_HAS_APPLICATION_INSTANCES', ResourceId: 'camera-1' });
    expect(refused.message).toContain(`${ApplicationInstanceId} (DEPLOYMENT_SUCCEEDED)`);

    // WHEN the instance is removed, and the device deleted
    await panorama.send(new RemoveApplicationInstanceCommand({ ApplicationInstanceId }));
    await harness.emulator.whenInstancesSettled();
    const deleted = await panorama.send(new DeleteDeviceCommand({ DeviceId: 'camera-1' }));

    // THEN it is gone
    expect(deleted.DeviceId).toBe('camera-1');
    expect(harness.emulator.devices()).toEqual([]);
    expect(await errorOf(panorama.send(new DeleteDeviceCommand({ DeviceId: 'camera-1' })))).toMatchObject({ name: 'ResourceNotFoundException' });
  });
});

test('tags on a device, by its ARN', async () => {
  const { Arn } = await panorama.send(new ProvisionDeviceCommand({ Name: 'tagged', Tags: { site: 'lobby' } }));
  await panorama.send(new TagResourceCommand({ ResourceArn: Arn, Tags: { floor: '2' } }));
  expect((await panorama.send(new ListTagsForResourceCommand({ ResourceArn: Arn }))).Tags).toEqual({ site: 'lobby', floor: '2' });
});
