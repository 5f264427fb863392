/**
 * The credentials a Lambda function has, in place of the SDK's whole default chain: the bundles
 * alias `@aws-sdk/credential-provider-node` to this module (HANDLER_BUNDLING in .projenrc.ts), which
 * leaves out SSO, profiles, process, web identity, IMDS and the nested STS/SSO clients they need
 * (about 100 KB of each minified bundle that a function never runs).
 *
 * Lambda gives a function its role's credentials in the environment (AWS_ACCESS_KEY_ID,
 * AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN); SnapStart and container-style runtimes give them
 * through a container credentials endpoint (AWS_CONTAINER_CREDENTIALS_FULL_URI or _RELATIVE_URI).
 * The local runner sets the environment ones. Anything else is an error that says what was looked for.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';
import { fromHttp } from '@aws-sdk/credential-provider-http';

/** Where a Lambda function finds its credentials, in the order they are tried. */
export const LAMBDA_CREDENTIAL_SOURCES = 'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_CONTAINER_CREDENTIALS_FULL_URI / AWS_CONTAINER_CREDENTIALS_RELATIVE_URI';

/** Same name and shape as the SDK's `defaultProvider`, which the clients' runtime configuration calls. */
export function defaultProvider(init: Parameters<typeof fromEnv>[0] = {}): ReturnType<typeof fromEnv> {
  return async () => {
    const env = process.env;
    if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) return fromEnv(init)();
    if (env.AWS_CONTAINER_CREDENTIALS_FULL_URI || env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI) return fromHttp(init)();
    throw new Error(`No credentials for the handler: Lambda sets ${LAMBDA_CREDENTIAL_SOURCES}, and none is set`);
  };
}
