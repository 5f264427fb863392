/** The hooks every end-to-end file shares: one local cloud per file, emptied after each test. */
import { removeAssemblies } from './import-app';
import { LocalCloud, startLocalCloud } from '../../support/local-cloud';

/** Starts the local cloud before the file's tests, destroys what each test deployed, stops it after. */
export function useLocalCloudPerFile(receive: (cloud: LocalCloud) => void): void {
  let cloud: LocalCloud;
  beforeAll(async () => {
    cloud = await startLocalCloud();
    receive(cloud);
  });
  afterEach(async () => {
    await cloud.destroy();
    cloud.emulator.reset();
  });
  afterAll(async () => {
    await cloud.stop();
    removeAssemblies();
  });
}
