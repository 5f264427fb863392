/**
 * panorama-local's Secrets Manager: AWS::SecretsManager::Secret resources keep their value in an
 * encrypted store (AES-256-GCM, key file 0600), served to the handlers by a loopback GetSecretValue
 * endpoint the real SDK client reads; the value never reaches the runner's state file in plain text.
 */
import * as fs from 'fs';
import * as path from 'path';
import { GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { App, Stack } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { recordingDeployer } from './support/recording-deployer';
import { s3ForTestFile } from './support/test-file-s3';
import { SECRET_KEY_FILE, SECRET_STORE_FILE, SecretStore } from '../../local-runner/secret-store';
import { generatePassword, secretValue } from '../../local-runner/secret-type';
import { startSecretsEndpoint } from '../../local-runner/secrets-endpoint';

const s3 = s3ForTestFile();
const VALUE = JSON.stringify({ username: 'admin', password: 'plain-text-never-on-disk-4f1a' });
const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:cam-AbCdEf';

describe('the secret store', () => {
  test('keeps values encrypted at rest, with its key readable by its owner alone, and reads them back in a new process', () => {
    // GIVEN a store in a folder, holding one secret
    const directory = s3.temporaryDirectory('secret-store-');
    SecretStore.open(directory).put(ARN, 'cam', VALUE);

    // THEN neither file holds the value, and the key is 0600
    const files = fs.readdirSync(directory).sort();
    expect(files).toEqual([SECRET_STORE_FILE, SECRET_KEY_FILE].sort());
    for (const file of files) expect(fs.readFileSync(path.join(directory, file)).toString('latin1')).not.toContain('plain-text-never-on-disk');
    expect(fs.statSync(path.join(directory, SECRET_KEY_FILE)).mode % 0o1000).toBe(0o600);
    // AND a store opened anew reads it by ARN and by name
    const reopened = SecretStore.open(directory);
    expect(reopened.get(ARN)?.value).toBe(VALUE);
    expect(reopened.get('cam')?.arn).toBe(ARN);
  });

  test('a store file altered on disk is refused rather than misread', () => {
    // GIVEN a stored secret whose ciphertext was changed
    const directory = s3.temporaryDirectory('secret-store-');
    SecretStore.open(directory).put(ARN, 'cam', VALUE);
    const file = path.join(directory, SECRET_STORE_FILE);
    const content = JSON.parse(fs.readFileSync(file, 'utf8'));
    content.secrets[0].ciphertext = Buffer.from('tampered').toString('base64');
    fs.writeFileSync(file, JSON.stringify(content));
    // WHEN / THEN reading it fails (GCM authentication)
    expect(() => SecretStore.open(directory).get(ARN)).toThrow();
  });

  test('a key file others may read is refused', () => {
    const directory = s3.temporaryDirectory('secret-store-');
    SecretStore.open(directory).put(ARN, 'cam', VALUE);
    fs.chmodSync(path.join(directory, SECRET_KEY_FILE), 0o644);
    expect(() => SecretStore.open(directory).put(ARN, 'cam', VALUE)).toThrow(/readable by others than its owner: chmod 600 it/);
  });

  test('a folder whose deployments hold no secret gets no key file', () => {
    const directory = s3.temporaryDirectory('secret-store-');
    expect(SecretStore.open(directory).get(ARN)).toBeUndefined();
    expect(fs.readdirSync(directory)).toEqual([]);
  });
});

describe('the GetSecretValue endpoint', () => {
  test('answers the real SDK client with the value, and an unknown secret with ResourceNotFoundException', async () => {
    // GIVEN a store with a secret, served
    const store = SecretStore.open();
    store.put(ARN, 'cam', VALUE);
    const endpoint = await startSecretsEndpoint(store);
    const client = new SecretsManagerClient({ endpoint: endpoint.url, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    try {
      // WHEN it is read by ARN and by name, and an unknown one is asked for
      const byArn = await client.send(new GetSecretValueCommand({ SecretId: ARN }));
      const byName = await client.send(new GetSecretValueCommand({ SecretId: 'cam' }));
      const missing = await client.send(new GetSecretValueCommand({ SecretId: 'nothing' })).catch((e: Error) => e);
      // THEN
      expect(byArn).toMatchObject({ ARN, Name: 'cam', SecretString: VALUE, VersionStages: ['AWSCURRENT'] });
      expect(byArn.CreatedDate).toBeInstanceOf(Date);
      expect(byName.ARN).toBe(ARN);
      expect(missing).toBeInstanceOf(ResourceNotFoundException);
    } finally {
      client.destroy();
      await endpoint.stop();
    }
  });
});

describe('AWS::SecretsManager::Secret', () => {
  test('GenerateSecretString fills the template\'s key with a password as Secrets Manager makes one', () => {
    const value = JSON.parse(secretValue({ GenerateSecretString: { SecretStringTemplate: '{"username":"admin"}', GenerateStringKey: 'password', ExcludePunctuation: true } }));
    expect(value.username).toBe('admin');
    expect(value.password).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(value.password).toMatch(/[a-z]/);
    expect(value.password).toMatch(/[A-Z]/);
    expect(value.password).toMatch(/[0-9]/);
  });

  test.each([
    ['a length', { PasswordLength: 12 }, /^.{12}$/],
    ['excluded characters', { ExcludeCharacters: 'abcdefghijklmnopqrstuvwxyz', ExcludePunctuation: true, PasswordLength: 64 }, /^[A-Z0-9]{64}$/],
    ['numbers only', { ExcludeLowercase: true, ExcludeUppercase: true, ExcludePunctuation: true }, /^[0-9]{32}$/],
  ])('a generated password follows %s', (_label, options, shape) => {
    expect(generatePassword(options)).toMatch(shape);
  });

  test('SecretString and GenerateSecretString together are refused', () => {
    expect(() => secretValue({ SecretString: 'x', GenerateSecretString: {} })).toThrow(/cannot both be given/);
  });

  test('a CDK Secret deploys into the store (its Ref the ARN), never into the runner\'s state file, and destroy forgets it', async () => {
    // GIVEN an app with a generated secret, and a runner keeping its state in a folder
    const outdir = s3.temporaryDirectory('secret-app-');
    const app = new App({ outdir });
    const stack = new Stack(app, 'SecretStack');
    new secretsmanager.Secret(stack, 'Credentials', {
      generateSecretString: { secretStringTemplate: JSON.stringify({ username: 'admin' }), generateStringKey: 'password' },
    });
    app.synth();
    const folder = s3.temporaryDirectory('secret-state-');
    const { runner } = recordingDeployer(s3.endpoint(), { stateFile: path.join(folder, 'runner-state.json') });

    // WHEN it is deployed
    await runner.deploy(outdir);

    // THEN the store holds the secret under the resource's physical id, with a generated password
    const [stored] = runner.secrets.list();
    const resource = Object.values(runner.state.stacks.SecretStack.resources).find((r: any) => r.type === 'AWS::SecretsManager::Secret') as any;
    expect(resource.physicalId).toBe(stored.arn);
    expect(stored.arn).toMatch(/^arn:aws:secretsmanager:us-east-1:\d{12}:secret:Credentials[0-9A-F]{8}-[0-9a-f]{12}-[A-Za-z0-9]{6}$/);
    const password = JSON.parse(runner.secrets.get(stored.arn)!.value).password as string;
    expect(password).toHaveLength(32);
    // AND no file of the folder holds the password
    for (const file of fs.readdirSync(folder)) {
      const full = path.join(folder, file);
      if (fs.statSync(full).isFile()) expect(fs.readFileSync(full).toString('latin1')).not.toContain(password);
    }
    // WHEN destroyed / THEN the store forgets it
    await runner.destroy();
    expect(runner.secrets.list()).toEqual([]);
  });
});
