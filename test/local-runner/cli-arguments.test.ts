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

// Where Node's util.parseArgs reads the command line differently from the parser before it, and
// where its tokens must still give the same message.

test('short options group: -vh asks for help (it was refused as an unknown option)', () => {
  expect(parseArguments(['deploy', '-vh']).command).toBe('help');
});

test('-- ends the options: what follows is a stack pattern, even starting with a dash (it was refused as an unknown option)', () => {
  expect(parseArguments(['deploy', '--verbose', '--', '-Odd', '--app']))
    .toMatchObject({ command: 'deploy', stacks: ['-Odd', '--app'], app: undefined, verbose: true });
});

test.each([
  // It was taken as --verbose, the value silently dropped.
  [['deploy', '--verbose=yes'], /^--verbose takes no value$/],
  [['deploy', '--no-rollback=true'], /^--no-rollback takes no value$/],
  // Unchanged: a group with an unknown letter is named as it was typed; an empty inline value is none.
  [['deploy', '-vx'], /^Unknown option -vx$/],
  [['deploy', '--app='], /^--app needs a value$/],
])('%j is refused', (argv, message) => {
  expect(() => parseArguments(argv)).toThrow(message);
});
