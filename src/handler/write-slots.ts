/**
 * Panorama's writes, paced by a ledger the handlers share: the stack's staging bucket.
 *
 * Panorama admits one write a second (per account and Region) and a stack's imports all start at
 * once, each in a Lambda invocation of its own. Retried blindly, fifty imports sent seven times as
 * many CreatePackageImportJob calls as jobs, and left seconds unused while everyone backed off.
 * Instead each write first reserves a time to be sent: the next free slot of the ledger, one
 * object per slot (`<prefix>write-slots/<slot number>`) created with `If-None-Match: *`, which S3
 * writes for one caller only. Slots are {@link WRITE_SLOT_MS} apart, so the writes reach Panorama
 * one a second, in the order they were reserved, and each is sent once when nothing else writes.
 *
 * - A write that finds the ledger empty is sent at once; it then holds its slot and the next (a
 *   write sent inside a slot may be less than a slot before the next slot's start).
 * - `<prefix>write-slots/next` is a hint of the first slot after the last one reserved, so a late
 *   write does not walk past every reservation; it may lag, never lead, so probing goes on from it.
 * - A write Panorama still refuses (throttled by a writer outside the ledger, or a 5xx) reserves a
 *   new slot and is sent again; the calls are idempotent (ClientToken).
 * - A write whose slot cannot be reserved (S3 refusing) is sent at once. An import without a
 *   staging bucket (a bucket source) has no ledger: the SDK's retries pace its writes.
 * The ledger's objects are a few bytes each; they are not staged files (an import's staged files
 * are all deleted when its job ends), and expire with the staging prefix's lifecycle rule (a day),
 * or go with the bucket when the stack is destroyed.
 */
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { isTransient } from './errors';
import { logStep } from './log';
import { WRITE_SLOT_MS_VARIABLE } from '../rules/contract';

/** How far apart the ledger sends writes: Panorama's one a second, and a tenth for the way there. */
export const WRITE_SLOT_MS = 1100;

/**
 * The slot spacing this invocation uses: {@link WRITE_SLOT_MS} unless the environment says
 * otherwise (WRITE_SLOT_MS_VARIABLE; the local runner sets 0 for an emulator without a write
 * quota); 0 means no ledger.
 */
export function writeSlotMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[WRITE_SLOT_MS_VARIABLE];
  if (raw === undefined || raw === '') return WRITE_SLOT_MS;
  const value = Number(raw);
  if (!/^[0-9]+$/.test(raw) || !Number.isSafeInteger(value)) {
    throw new Error(`${WRITE_SLOT_MS_VARIABLE} must be a whole number of milliseconds (0: writes unpaced), got ${JSON.stringify(raw)}`);
  }
  return value;
}

/** The ledger's folder under the staging prefix. */
export const WRITE_SLOTS_FOLDER = 'write-slots/';

/** How many slots a reservation probes past the hint before it gives up on the ledger. */
export const MAX_PROBES = 200;

/** Where the ledger is. */
export interface WriteLedger {
  readonly s3: S3Client;
  readonly bucket: string;
  /** The staging prefix (the handler may write nowhere else). */
  readonly prefix: string;
  /** How far apart the slots are; default {@link WRITE_SLOT_MS}. */
  readonly slotMs?: number;
}

/** Time, injectable so that tests check the decided waits, not a clock. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const SYSTEM_CLOCK: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};

/** A reserved time to send one write. */
export interface WriteSlot {
  /** When to send it (epoch ms). */
  readonly sendAt: number;
  /** The slot numbers held for it. */
  readonly slots: number[];
  /** How many slots were found taken before these. */
  readonly taken: number;
}

function slotKey(ledger: WriteLedger, slot: number): string {
  return `${ledger.prefix}${WRITE_SLOTS_FOLDER}${String(slot).padStart(15, '0')}`;
}

function hintKey(ledger: WriteLedger): string {
  return `${ledger.prefix}${WRITE_SLOTS_FOLDER}next`;
}

/** A small body with its length (the S3 client warns on the console about a body without one). */
function body(text: string): { Body: string; ContentLength: number } {
  return { Body: text, ContentLength: Buffer.byteLength(text) };
}

/** Creates the slot's object unless it is there: true when this caller now holds the slot. */
async function claim(ledger: WriteLedger, slot: number): Promise<boolean> {
  try {
    await ledger.s3.send(new PutObjectCommand({ Bucket: ledger.bucket, Key: slotKey(ledger, slot), ...body('reserved'), IfNoneMatch: '*' }));
    return true;
  } catch (e) {
    const error = e as { name?: string; $metadata?: { httpStatusCode?: number } };
    const status = error.$metadata?.httpStatusCode;
    // 412: someone holds it; 409: someone is creating it right now (S3's ConditionalRequestConflict).
    if (error.name === 'PreconditionFailed' || error.name === 'ConditionalRequestConflict' || status === 412 || status === 409) return false;
    throw e;
  }
}

async function readHint(ledger: WriteLedger): Promise<number> {
  try {
    const object = await ledger.s3.send(new GetObjectCommand({ Bucket: ledger.bucket, Key: hintKey(ledger) }));
    const value = Number(await object.Body?.transformToString());
    return Number.isSafeInteger(value) ? value : 0;
  } catch (e) {
    // No hint yet. Without s3:ListBucket, S3 answers a missing key with 403 rather than 404.
    const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if ((e as { name?: string }).name === 'NoSuchKey' || status === 404 || status === 403) return 0;
    throw e;
  }
}

async function writeHint(ledger: WriteLedger, next: number): Promise<void> {
  await ledger.s3.send(new PutObjectCommand({ Bucket: ledger.bucket, Key: hintKey(ledger), ...body(String(next)) }));
}

/** Reserves the next free slot of the ledger; the write is to be sent at `sendAt`. */
export async function reserveWriteSlot(ledger: WriteLedger, clock: Clock = SYSTEM_CLOCK): Promise<WriteSlot> {
  const slotMs = ledger.slotMs ?? WRITE_SLOT_MS;
  const now = clock.now();
  const current = Math.floor(now / slotMs);
  const hint = await readHint(ledger);
  let taken = 0;
  let next = Math.max(current, hint);
  if (next === current) {
    // Nothing reserved ahead: send now, holding this slot and the next.
    if (await claim(ledger, current)) {
      if (await claim(ledger, current + 1)) {
        await writeHint(ledger, current + 2);
        return { sendAt: now, slots: [current, current + 1], taken };
      }
      taken++;
      next = current + 2;
    } else {
      taken++;
      next = current + 1;
    }
  }
  for (let probe = 0; probe < MAX_PROBES; probe++, next++) {
    if (await claim(ledger, next)) {
      await writeHint(ledger, next + 1);
      return { sendAt: next * slotMs, slots: [next], taken };
    }
    taken++;
  }
  throw new Error(`No free write slot among ${MAX_PROBES} after slot ${next - MAX_PROBES}`);
}

/** Options of {@link sendPacedWrite}. */
export interface PacedWriteOptions {
  readonly ledger: WriteLedger;
  /** How many times the write is sent at most (each after a slot of its own). */
  readonly maxAttempts: number;
  /** For the logs: what is written. */
  readonly operation: string;
  readonly clock?: Clock;
}

/**
 * Sends one Panorama write in a slot of the ledger; a write Panorama refuses as busy (throttling,
 * 5xx) is sent again in a new slot. `send` must be idempotent and must not retry by itself.
 */
export async function sendPacedWrite<T>(options: PacedWriteOptions, send: () => Promise<T>): Promise<T> {
  const clock = options.clock ?? SYSTEM_CLOCK;
  for (let attempt = 1; ; attempt++) {
    const slot = await reserveWriteSlot(options.ledger, clock).catch((e: Error) => {
      logStep('write slot not reserved: sent unpaced', { operation: options.operation, reason: e.name });
      return undefined;
    });
    if (!slot && attempt > 1) {
      // No ledger to wait in: back off before asking again.
      await clock.sleep((options.ledger.slotMs ?? WRITE_SLOT_MS) * Math.min(16, 2 ** (attempt - 2)));
    } else if (slot) {
      const wait = Math.max(0, slot.sendAt - clock.now());
      logStep('write slot reserved', { operation: options.operation, attempt, waitMs: wait, slotsTaken: slot.taken });
      if (wait > 0) await clock.sleep(wait);
    }
    try {
      return await send();
    } catch (e) {
      if (!isTransient(e) || attempt >= options.maxAttempts) throw e;
      logStep('write refused as busy: sending it again in a new slot', { operation: options.operation, attempt, reason: (e as Error).name });
    }
  }
}
