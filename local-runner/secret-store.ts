/**
 * The emulated Secrets Manager's storage: each secret's value encrypted at rest (AES-256-GCM, a
 * fresh IV per write, the secret's ARN as additional data), the key in a file of its own readable
 * by its owner alone (0600). Without a directory the store lives in memory. No value is ever written
 * in plain text, logged, or put in an error message.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { writeFileAtomically } from '../emulator/atomic-file';

/** What the store file's `format` says; another format or version is refused, never misread. */
export const SECRET_STORE_FORMAT = 'panorama-local-secrets';
export const SECRET_STORE_VERSION = 1;
/** The files of a store in a directory. */
export const SECRET_STORE_FILE = 'secrets.json';
export const SECRET_KEY_FILE = 'secrets.key';

/** One secret as the store knows it (its value only while decrypted, in memory). */
export interface StoredSecret {
  readonly arn: string;
  readonly name: string;
  /** Epoch seconds. */
  readonly createdDate: number;
  readonly versionId: string;
}

interface EncryptedSecret extends StoredSecret {
  readonly iv: string;
  readonly tag: string;
  readonly ciphertext: string;
}

interface StoreFile {
  readonly format: typeof SECRET_STORE_FORMAT;
  readonly version: number;
  readonly secrets: EncryptedSecret[];
}

/** Secrets for the local runner's deployments, encrypted at rest. */
export class SecretStore {
  /** A store kept in `directory` (created on first write), or in memory when none is given. */
  static open(directory?: string): SecretStore {
    return new SecretStore(directory);
  }

  private readonly secrets = new Map<string, EncryptedSecret>();
  private loadedKey?: Buffer;

  private constructor(private readonly directory?: string) {
    if (directory) {
      for (const secret of readStoreFile(path.join(directory, SECRET_STORE_FILE))) this.secrets.set(secret.arn, secret);
    }
  }

  /** The key, read or made when first needed: a folder whose deployments hold no secret gets no key file. */
  private get key(): Buffer {
    this.loadedKey ??= this.directory ? readOrCreateKey(path.join(this.directory, SECRET_KEY_FILE)) : randomBytes(32);
    return this.loadedKey;
  }

  /** Stores (or replaces) a secret's value; returns its record. */
  put(arn: string, name: string, value: string): StoredSecret {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(arn));
    const ciphertext = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
    const record: EncryptedSecret = {
      arn,
      name,
      createdDate: this.secrets.get(arn)?.createdDate ?? Date.now() / 1000,
      versionId: randomBytes(16).toString('hex'),
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      ciphertext: ciphertext.toString('base64'),
    };
    this.secrets.set(arn, record);
    this.save();
    return withoutValue(record);
  }

  /** The secret an ARN or a name names, with its value; undefined when there is none. */
  get(secretId: string): (StoredSecret & { readonly value: string }) | undefined {
    const record = this.secrets.get(secretId) ?? [...this.secrets.values()].find((s) => s.name === secretId);
    if (!record) return undefined;
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(record.iv, 'base64'));
    decipher.setAAD(Buffer.from(record.arn));
    decipher.setAuthTag(Buffer.from(record.tag, 'base64'));
    const value = Buffer.concat([decipher.update(Buffer.from(record.ciphertext, 'base64')), decipher.final()]).toString('utf8');
    return { ...withoutValue(record), value };
  }

  /** Forgets a secret; nothing when it is not there. */
  delete(arn: string): void {
    if (this.secrets.delete(arn)) this.save();
  }

  /** The secrets held, without their values. */
  list(): StoredSecret[] {
    return [...this.secrets.values()].map(withoutValue);
  }

  private save(): void {
    if (!this.directory) return;
    const content: StoreFile = { format: SECRET_STORE_FORMAT, version: SECRET_STORE_VERSION, secrets: [...this.secrets.values()] };
    writeFileAtomically(path.join(this.directory, SECRET_STORE_FILE), JSON.stringify(content, null, 1));
  }
}

function withoutValue(record: EncryptedSecret): StoredSecret {
  return { arn: record.arn, name: record.name, createdDate: record.createdDate, versionId: record.versionId };
}

/** The store's key: read (it must be 32 bytes, and private), else made and written with mode 0600. */
function readOrCreateKey(file: string): Buffer {
  if (fs.existsSync(file)) {
    const key = fs.readFileSync(file);
    if (key.length !== 32) throw new Error(`${file} is not a secret store key (32 bytes expected, it has ${key.length}): delete the state folder to start over.`);
    // Any permission bit for the group or others (mode % 0o100 holds them).
    if (process.platform !== 'win32' && fs.statSync(file).mode % 0o100 !== 0) {
      throw new Error(`${file} is readable by others than its owner: chmod 600 it (it decrypts the local secrets).`);
    }
    return key;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const key = randomBytes(32);
  // Exclusive create with its mode set at once: the key is never readable by others, not even briefly.
  fs.writeFileSync(file, key, { mode: 0o600, flag: 'wx' });
  return key;
}

function readStoreFile(file: string): EncryptedSecret[] {
  if (!fs.existsSync(file)) return [];
  let content: StoreFile;
  try {
    content = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file} is not valid JSON (${(error as Error).message}): it cannot be read safely.`);
  }
  if (content?.format !== SECRET_STORE_FORMAT || content.version !== SECRET_STORE_VERSION) {
    throw new Error(`${file} is not a secret store of version ${SECRET_STORE_VERSION} (format ${JSON.stringify(content?.format)}, version ${JSON.stringify(content?.version)}).`);
  }
  return content.secrets;
}
