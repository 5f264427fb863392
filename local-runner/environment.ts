/**
 * The process-wide surroundings of a deployment: the AWS environment variables the handlers'
 * SDK clients read, and the console they log to. Both are global, so deployments take turns.
 */
import { WRITE_SLOT_MS_VARIABLE } from '../src/rules/contract';

/** The environment a deployment runs the handlers in. */
export interface DeploymentEnvironment {
  readonly panoramaEndpoint: string;
  readonly s3Endpoint: string;
  /** The emulated Secrets Manager (GetSecretValue), for handlers that read a secret. */
  readonly secretsEndpoint?: string;
  readonly region: string;
  /** The handlers' write-slot spacing (WRITE_SLOT_MS_VARIABLE); undefined leaves their default. */
  readonly writeSlotMs?: number;
}

/** Receives each line the handlers log (Lambda would send it to CloudWatch Logs). */
export type HandlerLogSink = (line: string) => void;

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug'] as const;

/** Dummies: the emulators accept any credentials, and the real chain would probe IMDS for seconds. */
export const LOCAL_RUNNER_CREDENTIALS = {
  accessKeyId: 'AKIALOCALRUNNER00000',
  secretAccessKey: 'local-runner-dummy-secret',
} as const;

let turn: Promise<unknown> = Promise.resolve();

/** Runs `work` with the environment set and the console captured; restores both afterwards. */
export function withDeploymentEnvironment<T>(environment: DeploymentEnvironment, sink: HandlerLogSink, work: () => Promise<T>): Promise<T> {
  const run = async (): Promise<T> => {
    const restoreVariables = setVariables({
      AWS_ENDPOINT_URL_PANORAMA: environment.panoramaEndpoint,
      AWS_ENDPOINT_URL_S3: environment.s3Endpoint,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: environment.secretsEndpoint,
      AWS_REGION: environment.region,
      AWS_DEFAULT_REGION: environment.region,
      [WRITE_SLOT_MS_VARIABLE]: environment.writeSlotMs === undefined ? undefined : String(environment.writeSlotMs),
      AWS_ACCESS_KEY_ID: LOCAL_RUNNER_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_RUNNER_CREDENTIALS.secretAccessKey,
      AWS_SESSION_TOKEN: undefined,
      AWS_PROFILE: undefined,
      AWS_EC2_METADATA_DISABLED: 'true',
      // Lambda runs the handlers on a current Node; the local Node's support warning is noise.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    });
    const restoreConsole = captureConsole(sink);
    try {
      return await work();
    } finally {
      restoreConsole();
      restoreVariables();
    }
  };
  const result = turn.then(run, run);
  turn = result.catch(() => undefined);
  return result;
}

function setVariables(values: Record<string, string | undefined>): () => void {
  const saved = Object.fromEntries(Object.keys(values).map((key) => [key, process.env[key]]));
  const apply = (entries: Record<string, string | undefined>): void => {
    for (const [key, value] of Object.entries(entries)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
  apply(values);
  return () => apply(saved);
}

function captureConsole(sink: HandlerLogSink): () => void {
  const saved = CONSOLE_METHODS.map((method) => [method, console[method]] as const);
  for (const method of CONSOLE_METHODS) {
    console[method] = (...args: unknown[]) => sink(args.map((a) => (typeof a === 'string' ? a : safeStringify(a))).join(' '));
  }
  return () => {
    for (const [method, original] of saved) console[method] = original;
  };
}

function safeStringify(value: unknown): string {
  if (value instanceof Error) return value.stack ?? value.message;
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
