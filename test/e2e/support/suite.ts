/** The hooks every end-to-end file shares: one local cloud per file, a clean one for each test. */
import { FAST, removeAssemblies } from './import-app';
import { INSTANCE_TIMEOUT_MS, LocalCloud, startLocalCloud } from '../../support/local-cloud';
import { removeFixtures } from '../../support/package-fixture';

/**
 * A test deploys at most three times (a deployment, an update, its rollback), each waiting at most
 * FAST's totalTimeout for its import jobs and INSTANCE_TIMEOUT_MS for an application instance, then
 * destroys. Its timeout is well above that, so a hung import or instance fails the deployment
 * ("Operation timed out", "still DEPLOYMENT_IN_PROGRESS") before jest gives up on the test, instead
 * of jest cutting a deployment that its cleanup then races.
 */
export const E2E_TEST_TIMEOUT_MS = 4 * (FAST.totalTimeout.toMilliseconds() + INSTANCE_TIMEOUT_MS) + 60_000;

/**
 * Starts the local cloud before the file's tests; each test starts from an empty emulator and a
 * runner that deployed nothing, and destroys what it deployed. A failed destroy fails the test.
 * After the file, its assemblies and fixture folders are removed.
 */
export function useLocalCloudPerFile(receive: (cloud: LocalCloud) => void): void {
  let cloud: LocalCloud;
  jest.setTimeout(E2E_TEST_TIMEOUT_MS);
  beforeAll(async () => {
    cloud = await startLocalCloud();
    receive(cloud);
  });
  beforeEach(() => cloud.reset());
  afterEach(async () => {
    await cloud.destroy();
  });
  afterAll(async () => {
    await cloud.stop();
    removeAssemblies();
    removeFixtures();
  });
}
