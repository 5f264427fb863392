/**
 * Cameras end to end through the local runner: a secret (its password generated), two
 * PanoramaCameras bound to the people counter's abstract camera, and the application deploy with
 * the real camera handler bundles; the instance's overrides name both camera nodes, and the password
 * is in no progress line, handler line, result or emulator state. A new URL replaces that camera and
 * the instance (the other camera stays); destroy removes everything, the secret included.
 */
import { DescribeApplicationInstanceDetailsCommand } from '@aws-sdk/client-panorama';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { DeployResult, ResourceResult } from '../../local-runner';
import { PanoramaApplication, PanoramaCamera } from '../../src';
import { cameraCodeDisplayProject, modelPackage, writeApplication } from '../support/application-fixture';
import { LocalCloud } from '../support/local-cloud';
import { FAST, synthApp } from './support/import-app';
import { useLocalCloudPerFile } from './support/suite';

let cloud: LocalCloud;
useLocalCloudPerFile((started) => { cloud = started; });

const DEVICE = 'device-lobby';

beforeEach(() => {
  cloud.emulator.ensureDevice(DEVICE);
});

function projectDir(): string {
  const { packages, graph } = cameraCodeDisplayProject();
  return writeApplication({ packages: [packages[0], modelPackage('COUNTER_MODEL')], graph }).projectDir;
}

/** The app: a generated secret, cameras lobby and door (lobby at `lobbyUrl`), the application binding both. */
function synthCameras(dir: string, lobbyUrl = 'rtsp://10.0.0.7:554/live'): string {
  return synthApp((stack) => {
    const credentials = new secretsmanager.Secret(stack, 'CameraCredentials', {
      generateSecretString: { secretStringTemplate: JSON.stringify({ username: 'admin' }), generateStringKey: 'password', excludePunctuation: true },
    });
    const lobby = new PanoramaCamera(stack, 'Lobby', { name: 'lobby', streamUrl: lobbyUrl, credentials });
    const door = new PanoramaCamera(stack, 'Door', { name: 'door', streamUrl: 'rtsp://10.0.0.8:554/live', credentials });
    new PanoramaApplication(stack, 'Counter', {
      ...FAST, projectDirectory: dir, device: DEVICE, cameras: { [PanoramaApplication.ABSTRACT_CAMERA]: [lobby, door] },
    });
  }, 'CameraStack');
}

function only(resources: ResourceResult[], type: string, name?: string): ResourceResult {
  const found = resources.filter((r) => r.type === type && (name === undefined || r.attributes.NodeName === name));
  if (found.length !== 1) throw new Error(`expected one ${type} ${name ?? ''}, found ${found.length}`);
  return found[0];
}

function password(): string {
  const [secret] = cloud.runner.secrets.list();
  return JSON.parse(cloud.runner.secrets.get(secret.arn)!.value).password;
}

async function overridesOf(result: DeployResult): Promise<any> {
  const instance = only(result.resources, 'AWS::Panorama::ApplicationInstance');
  const details = await cloud.panorama.send(new DescribeApplicationInstanceDetailsCommand({ ApplicationInstanceId: instance.physicalId }));
  return JSON.parse(details.ManifestOverridesPayload!.PayloadData!);
}

test('two cameras with a secret deploy with the application; the overrides name both nodes; the password is nowhere', async () => {
  // WHEN the app is deployed
  const result = await cloud.deploy(synthCameras(projectDir()));

  // THEN the instance runs, with overrides that replace camera_node by both cameras, pinned to their patches
  expect(cloud.emulator.applicationInstances()[0].status).toBe('DEPLOYMENT_SUCCEEDED');
  const lobby = only(result.resources, 'Custom::PanoramaCamera', 'lobby');
  const door = only(result.resources, 'Custom::PanoramaCamera', 'door');
  const overrides = (await overridesOf(result)).nodeGraphOverrides;
  expect(overrides.nodeOverrides).toEqual([{ replace: 'camera_node', with: [{ name: 'lobby_node' }, { name: 'door_node' }] }]);
  expect(overrides.packages).toEqual([
    { name: '123456789012::lobby', version: '1.0', patchVersion: lobby.attributes.PatchVersion },
    { name: '123456789012::door', version: '1.0', patchVersion: door.attributes.PatchVersion },
  ]);
  // AND the camera jobs got the secret's credentials, which nothing kept or printed
  expect((cloud.emulator.callsOf('CreateNodeFromTemplateJob')[0].body as any).TemplateParameters.Password).toBe(password());
  const everything = JSON.stringify([
    cloud.progress, cloud.handlerLines, result, cloud.runner.state, cloud.emulator.nodeJobs(), cloud.emulator.packages(),
  ]);
  expect(everything).not.toContain(password());
});

test('a new URL replaces that camera and the instance; the other camera stays; destroy removes everything', async () => {
  // GIVEN the app deployed
  const dir = projectDir();
  const first = await cloud.deploy(synthCameras(dir));
  const firstInstance = only(first.resources, 'AWS::Panorama::ApplicationInstance').physicalId;
  const firstLobby = only(first.resources, 'Custom::PanoramaCamera', 'lobby');
  const firstDoor = only(first.resources, 'Custom::PanoramaCamera', 'door');

  // WHEN the lobby camera's URL changes
  const second = await cloud.deploy(synthCameras(dir, 'rtsp://10.0.0.9:554/live'));

  // THEN the lobby camera and the instance are new, the door camera is the same
  const secondLobby = only(second.resources, 'Custom::PanoramaCamera', 'lobby');
  expect(secondLobby.physicalId).not.toBe(firstLobby.physicalId);
  expect(only(second.resources, 'Custom::PanoramaCamera', 'door').physicalId).toBe(firstDoor.physicalId);
  const secondInstance = only(second.resources, 'AWS::Panorama::ApplicationInstance').physicalId;
  expect(secondInstance).not.toBe(firstInstance);
  expect(cloud.emulator.applicationInstances().find((i) => i.applicationInstanceId === firstInstance)!.status).toBe('REMOVAL_SUCCEEDED');
  // AND only the new lobby patch is registered
  const lobbyPackage = cloud.emulator.packages().find((p) => p.packageName === 'lobby')!;
  expect(lobbyPackage.versions.filter((v) => v.registered).map((v) => v.patchVersion)).toEqual([secondLobby.attributes.PatchVersion]);

  // WHEN destroyed / THEN no camera, no package, no running instance and no secret are left
  await cloud.destroy();
  expect(cloud.emulator.nodes()).toEqual([]);
  expect(cloud.emulator.packages().filter((p) => ['lobby', 'door'].includes(p.packageName))).toEqual([]);
  expect(cloud.emulator.applicationInstances().every((i) => i.status === 'REMOVAL_SUCCEEDED')).toBe(true);
  expect(cloud.runner.secrets.list()).toEqual([]);
});
