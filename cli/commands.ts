/**
 * The package's two commands in one bundle (assets/cli/commands.js): both embed the emulators, so
 * one copy ships. Each bin in assets/cli/ is a two-line stub that calls its command here.
 */
export { runEmulatorProgram } from '../emulator/cli';
export { runPanoramaLocalProgram } from '../local-runner/cli';

// The SDK warns that its releases after January 2027 need Node 22; the bundled clients are pinned, so it is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
