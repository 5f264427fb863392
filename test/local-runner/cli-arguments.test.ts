/** The command line of panorama-local. */
import { parseArguments } from '../../local-runner/cli-arguments';

test('deploy with every option', () => {
  expect(parseArguments(['deploy', 'StackA', 'Stack*', '--app', 'node app.js', '--state', 'st', '--device', 'cam-1', '--device=cam-2', '--device', 'cam-1', '--verbose', '--no-rollback']))
    .toEqual({ command: 'deploy', stacks: ['StackA', 'Stack*'], app: 'node app.js', assembly: undefined, state: 'st', devices: ['cam-1', 'cam-2'], rollback: false, verbose: true });
});

test('the defaults: every stack, .panorama-local, rollback, quiet', () => {
  expect(parseArguments(['destroy'])).toEqual({ command: 'destroy', stacks: [], app: undefined, assembly: undefined, state: '.panorama-local', devices: [], rollback: true, verbose: false });
});

test('--help wins over everything else, even a bad option', () => {
  expect(parseArguments(['deploy', '--bogus', '-h']).command).toBe('help');
  expect(parseArguments(['--help']).command).toBe('help');
});

test.each([
  [[], /^Missing command: deploy or destroy$/],
  [['synth'], /^Unknown command synth: use deploy or destroy$/],
  [['deploy', '--bogus'], /^Unknown option --bogus$/],
  [['deploy', '--app'], /^--app needs a value$/],
  [['deploy', '--app', 'a', '--app', 'b'], /^--app may be given once, got 2 times$/],
  [['deploy', '--app', 'a', '--assembly', 'b'], /^--app and --assembly exclude each other/],
  [['destroy', '--device', 'cam'], /^--device applies only to deploy$/],
  [['destroy', '--app', 'a', '--device', 'cam'], /^--app, --device apply only to deploy$/],
  [['deploy', '--device', 'cam 1'], /^--device cam 1: DeviceId 'cam 1' does not match pattern/],
])('%j is refused', (argv, message) => {
  expect(() => parseArguments(argv)).toThrow(message);
});
