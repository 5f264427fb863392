/** Asks a running Panorama emulator (or anything that answers the API) about a device. */
import { DescribeDeviceCommand, DescribeDeviceCommandOutput, PanoramaClient, ResourceNotFoundException } from '@aws-sdk/client-panorama';
import { LOCAL_RUNNER_CREDENTIALS } from './environment';

/** The device as DescribeDevice describes it, or undefined when the service has no such device. */
export async function describeRunningDevice(endpoint: string, deviceId: string, region = 'us-east-1'): Promise<DescribeDeviceCommandOutput | undefined> {
  const panorama = new PanoramaClient({ endpoint, region, credentials: LOCAL_RUNNER_CREDENTIALS, maxAttempts: 3 });
  try {
    return await panorama.send(new DescribeDeviceCommand({ DeviceId: deviceId }));
  } catch (e) {
    if (e instanceof ResourceNotFoundException) return undefined;
    throw new Error(`--device ${deviceId}: DescribeDevice at ${endpoint} failed: ${(e as Error).name}: ${(e as Error).message}`);
  } finally {
    panorama.destroy();
  }
}
