/**
 * The Panorama and S3 emulators a command deploys against: the embedded ones, started on free
 * loopback ports over the state folder (so their data outlives the process), or running ones that
 * `AWS_ENDPOINT_URL_PANORAMA` and `AWS_ENDPOINT_URL_S3` point at.
 */
import { request } from 'http';
import { DEFAULT_ENVIRONMENT, EmulatedEnvironment } from './emulated-environment';
import { StateFolder } from './state-folder';
import { startS3Server } from '../emulator/s3-server';
import { PanoramaEmulator } from '../emulator/server';

/** Emulators ready for a deployment. */
export interface Emulators {
  readonly panoramaEndpoint: string;
  readonly s3Endpoint: string;
  /** The embedded Panorama emulator (undefined for running ones reached through the environment). */
  readonly embedded?: PanoramaEmulator;
  /** The account and Region they serve: the embedded ones', or the defaults for running ones. */
  readonly environment: EmulatedEnvironment;
  /** One line for the user: which emulators, where. */
  readonly description: string;
  /** Stops the embedded emulators once their work is saved (running ones are left alone). */
  stop(): Promise<void>;
}

/**
 * Starts the embedded emulators, serving `environment`, or checks that the ones named in the
 * environment variables answer (they are taken to serve the emulator's default account and Region).
 */
export async function startEmulators(folder: StateFolder, env: NodeJS.ProcessEnv, environment: EmulatedEnvironment): Promise<Emulators> {
  const panorama = env.AWS_ENDPOINT_URL_PANORAMA;
  const s3 = env.AWS_ENDPOINT_URL_S3;
  if (panorama || s3) {
    if (!panorama || !s3) {
      const missing = panorama ? 'AWS_ENDPOINT_URL_S3' : 'AWS_ENDPOINT_URL_PANORAMA';
      throw new Error(`${panorama ? 'AWS_ENDPOINT_URL_PANORAMA' : 'AWS_ENDPOINT_URL_S3'} is set but ${missing} is not: set both to use running emulators, or neither to use the embedded ones`);
    }
    await checkAnswers('AWS_ENDPOINT_URL_PANORAMA', panorama);
    await checkAnswers('AWS_ENDPOINT_URL_S3', s3);
    return {
      panoramaEndpoint: panorama,
      s3Endpoint: s3,
      environment: DEFAULT_ENVIRONMENT,
      description: `running emulators: Panorama ${panorama}, S3 ${s3} (their data is theirs, not in the state folder)`,
      stop: async () => undefined,
    };
  }
  const s3Server = await startS3Server({ directory: folder.s3Directory });
  let emulator: PanoramaEmulator;
  try {
    emulator = await PanoramaEmulator.start({ s3Endpoint: s3Server.endpoint, stateFile: folder.emulatorStateFile, ...environment });
  } catch (error) {
    await s3Server.stop();
    throw error;
  }
  let stopping: Promise<void> | undefined;
  return {
    panoramaEndpoint: emulator.endpoint,
    s3Endpoint: s3Server.endpoint,
    embedded: emulator,
    environment,
    description: `embedded emulators: Panorama ${emulator.endpoint}, S3 ${s3Server.endpoint}, account ${environment.account} in ${environment.region}`,
    stop() {
      // The emulator finishes running import jobs and saves its state before S3 goes away.
      stopping ??= emulator.stop().then(() => s3Server.stop());
      return stopping;
    },
  };
}

/** Any HTTP answer will do; a refused connection is an error that says what to do. */
function checkAnswers(variable: string, endpoint: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      reject(new Error(`${variable}=${endpoint} is not a URL`));
      return;
    }
    const probe = request(url, { method: 'GET', timeout: 5000 }, (response) => {
      response.resume();
      resolve();
    });
    probe.once('timeout', () => probe.destroy(new Error('no answer within 5 s')));
    probe.once('error', (error) => reject(new Error(`${variable}=${endpoint} does not answer (${error.message}): start it `
      + '(npx panorama-emulator prints both variables), or unset both variables to use the embedded emulators')));
    probe.end();
  });
}
