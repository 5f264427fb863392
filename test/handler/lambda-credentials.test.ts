/**
 * The handler bundles' credentials: what a Lambda function has (its environment, or a container
 * credentials endpoint), in place of the SDK's whole default chain.
 */
import * as http from 'http';
import { AddressInfo } from 'net';
import { defaultProvider, LAMBDA_CREDENTIAL_SOURCES } from '../../src/handler/lambda-credentials';

const VARIABLES = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_CONTAINER_AUTHORIZATION_TOKEN'];
let saved: Record<string, string | undefined>;

beforeEach(() => {
  saved = Object.fromEntries(VARIABLES.map((name) => [name, process.env[name]]));
  for (const name of VARIABLES) delete process.env[name];
});
afterEach(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

test('GIVEN Lambda\'s environment credentials THEN they are the handler\'s, session token included', async () => {
  // GIVEN the variables Lambda sets for the function's role
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIALAMBDA0000000000', AWS_SECRET_ACCESS_KEY: 'lambda-secret', AWS_SESSION_TOKEN: 'lambda-session' });

  // WHEN the provider is asked
  const credentials = await defaultProvider()();

  // THEN it answers with them
  expect(credentials).toMatchObject({ accessKeyId: 'AKIALAMBDA0000000000', secretAccessKey: 'lambda-secret', sessionToken: 'lambda-session' });
});

test('GIVEN only a container credentials endpoint THEN the credentials come from it, with the authorization token sent', async () => {
  // GIVEN an endpoint on the loopback address, as SnapStart's runtime serves one
  const authorizations: Array<string | undefined> = [];
  const server = http.createServer((request, response) => {
    authorizations.push(request.headers.authorization);
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({
      AccessKeyId: 'ASIACONTAINER0000000',
      SecretAccessKey: 'container-secret',
      Token: 'container-session',
      Expiration: new Date(Date.now() + 3600_000).toISOString(),
    }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI = `http://127.0.0.1:${(server.address() as AddressInfo).port}/credentials`;
    process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN = 'container-authorization';

    // WHEN the provider is asked
    const credentials = await defaultProvider()();

    // THEN it answers with the endpoint's
    expect(credentials).toMatchObject({ accessKeyId: 'ASIACONTAINER0000000', secretAccessKey: 'container-secret', sessionToken: 'container-session' });
    expect(authorizations).toEqual(['container-authorization']);
  } finally {
    server.close();
  }
});

test('GIVEN no credentials a Lambda function has THEN the error names every place looked at, and a profile is not read', async () => {
  // GIVEN only a profile (no Lambda function has one)
  process.env.AWS_PROFILE = 'developer';

  // THEN the provider refuses, saying where Lambda puts credentials
  await expect(defaultProvider()()).rejects.toThrow(`No credentials for the handler: Lambda sets ${LAMBDA_CREDENTIAL_SOURCES}, and none is set`);
});
