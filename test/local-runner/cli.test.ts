/** The CLI deploys and destroys with its state in a file, and exits non-zero with the reason on failure. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../local-runner/cli';
import { removeAssemblies, synthImport } from '../e2e/support/import-app';
import { LocalCloud, startLocalCloud } from '../support/local-cloud';
import { writeModelPackage } from '../support/package-fixture';

let cloud: LocalCloud;
let workDir: string;
let errors: string[];
beforeAll(async () => {
  cloud = await startLocalCloud();
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-runner-cli-'));
});
beforeEach(() => {
  // Each test starts from an empty emulator: no job of an earlier test can be mistaken for its own.
  cloud.emulator.reset();
  errors = [];
  jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void errors.push(args.join(' ')));
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
});
afterEach(() => jest.restoreAllMocks());
afterAll(async () => {
  await cloud.stop();
  removeAssemblies();
  fs.rmSync(workDir, { recursive: true, force: true });
});

function endpoints(): string[] {
  return ['--panorama-endpoint', cloud.emulator.endpoint, '--s3-endpoint', cloud.s3Endpoint];
}

test('deploy then destroy, with the state kept in the --state file between the two runs', async () => {
  // GIVEN a synthesized app and a state file that does not exist yet
  const assembly = synthImport({ fixture: writeModelPackage() });
  const stateFile = path.join(workDir, 'state.json');

  // WHEN it is deployed from the command line
  const deployed = await main(['deploy', '--assembly', assembly, '--state', stateFile, ...endpoints()]);

  // THEN it exits 0 and the state file holds the stack and its import
  expect(deployed).toBe(0);
  const state = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
  const imports = Object.values(state.stacks.ImportStack.resources).filter((r: any) => r.type === 'Custom::PanoramaPackageImport');
  const jobs = cloud.emulator.jobs();
  expect(jobs).toHaveLength(1);
  expect(imports).toEqual([expect.objectContaining({ physicalId: jobs[0].jobId })]);

  // WHEN a second run destroys it
  const destroyed = await main(['destroy', '--state', stateFile, ...endpoints()]);

  // THEN it exits 0 and the state is empty
  expect(destroyed).toBe(0);
  expect(JSON.parse(fs.readFileSync(stateFile, 'utf8'))).toEqual({ stacks: {} });
  expect(errors).toEqual([]);
});

test('a failed deployment exits 1 and prints the reason', async () => {
  // GIVEN a service whose next job fails
  cloud.emulator.setJobOutcome('fail', { message: 'Injected CLI failure', count: 1 });

  // WHEN the app is deployed from the command line
  const code = await main(['deploy', '--assembly', synthImport({ fixture: writeModelPackage() }), '--state', path.join(workDir, 'failed.json'), ...endpoints()]);

  // THEN the exit code is 1 and the reason was printed
  expect(code).toBe(1);
  expect(errors).toEqual([expect.stringMatching(/^Deployment failed: .*Injected CLI failure/)]);
});

test('a missing --assembly exits 1 naming the option', async () => {
  expect(await main(['deploy', ...endpoints()])).toBe(1);
  expect(errors).toEqual(['Error: deploy needs --assembly DIR']);
});
