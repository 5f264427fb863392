/**
 * The write-slot ledger: Panorama's writes reserved one slot apart in the staging bucket, through
 * conditional PutObject (against s3rver with the emulator's If-None-Match shim). Times are a
 * fixed clock's, so the tests check decided send times, never a wall clock.
 */
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { RunningS3Server, startS3Server } from '../../emulator/s3-server';
import { Clock, reserveWriteSlot, sendPacedWrite, WRITE_SLOT_MS, WriteLedger, writeSlotMs } from '../../src/handler/write-slots';
import { WRITE_SLOT_MS_VARIABLE } from '../../src/rules/contract';
import { CREDENTIALS, REGION } from '../emulator/harness';

let server: RunningS3Server;
let s3: S3Client;
let bucketCount = 0;

beforeAll(async () => {
  server = await startS3Server();
  s3 = new S3Client({ endpoint: server.endpoint, forcePathStyle: true, region: REGION, credentials: CREDENTIALS });
});
afterAll(async () => {
  s3.destroy();
  await server.stop();
});

/** A fresh ledger in a bucket of its own. */
async function newLedger(): Promise<WriteLedger> {
  const bucket = `ledger-${++bucketCount}`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  return { s3, bucket, prefix: 'imports/' };
}

/** A clock that stands still at `now` until slept past; it records every sleep. */
function fixedClock(now: number): Clock & { slept: number[] } {
  const slept: number[] = [];
  let time = now;
  return {
    slept,
    now: () => time,
    sleep: async (ms) => {
      slept.push(ms);
      time += ms;
    },
  };
}

/** 20 slots into a slot, so sending at once is late within it. */
const NOW = 1_800_000_000_000 - (1_800_000_000_000 % WRITE_SLOT_MS) + 20;
const CURRENT = Math.floor(NOW / WRITE_SLOT_MS);

test('GIVEN an empty ledger WHEN a write reserves THEN it is sent at once, holding this slot and the next', async () => {
  const ledger = await newLedger();

  const slot = await reserveWriteSlot(ledger, fixedClock(NOW));

  expect(slot).toEqual({ sendAt: NOW, slots: [CURRENT, CURRENT + 1], taken: 0 });
});

test('GIVEN writes reserved one after another at the same moment THEN each is sent one slot after the one before', async () => {
  const ledger = await newLedger();
  const clock = fixedClock(NOW);

  const first = await reserveWriteSlot(ledger, clock);
  const second = await reserveWriteSlot(ledger, clock);
  const third = await reserveWriteSlot(ledger, clock);

  // The first went at once (holding two slots); the others at the starts of the slots after those.
  expect([first.sendAt, second.sendAt, third.sendAt]).toEqual([NOW, (CURRENT + 2) * WRITE_SLOT_MS, (CURRENT + 3) * WRITE_SLOT_MS]);
  // The hint kept the later ones from probing the slots already taken.
  expect([second.taken, third.taken]).toEqual([0, 0]);
});

test('GIVEN ten writes reserving at once THEN every one gets a slot of its own and no two are sent less than a slot apart', async () => {
  const ledger = await newLedger();

  const slots = await Promise.all(Array.from({ length: 10 }, () => reserveWriteSlot(ledger, fixedClock(NOW))));

  const held = slots.flatMap((s) => s.slots);
  expect(new Set(held).size).toBe(held.length);
  const times = slots.map((s) => s.sendAt).sort((a, b) => a - b);
  for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(WRITE_SLOT_MS);
  // Sent within the ten slots after now (the one sent at once holding two).
  expect(times[times.length - 1]).toBeLessThanOrEqual((CURRENT + 11) * WRITE_SLOT_MS);
});

test('GIVEN a hint that lags behind the reservations THEN the write probes past the taken slots to the first free one', async () => {
  const ledger = await newLedger();
  const clock = fixedClock(NOW);
  await reserveWriteSlot(ledger, clock); // CURRENT and CURRENT + 1; the hint says CURRENT + 2
  await reserveWriteSlot(ledger, clock); // CURRENT + 2
  // A writer whose hint update was lost: the hint still says CURRENT + 2.
  await s3.send(new PutObjectCommand({ Bucket: ledger.bucket, Key: 'imports/write-slots/next', Body: String(CURRENT + 2) }));

  const slot = await reserveWriteSlot(ledger, clock);

  expect(slot).toEqual({ sendAt: (CURRENT + 3) * WRITE_SLOT_MS, slots: [CURRENT + 3], taken: 1 });
});

test('GIVEN a write that Panorama throttles in its slot THEN it is sent again once, in a new slot, after waiting for it', async () => {
  const ledger = await newLedger();
  const clock = fixedClock(NOW);
  await reserveWriteSlot(ledger, clock); // someone else holds CURRENT and CURRENT + 1
  const sent: number[] = [];
  const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 429 } });

  const result = await sendPacedWrite({ ledger, maxAttempts: 5, operation: 'CreatePackageImportJob', clock }, async () => {
    sent.push(clock.now());
    if (sent.length === 1) throw throttled;
    return 'job-1';
  });

  expect(result).toBe('job-1');
  expect(sent).toEqual([(CURRENT + 2) * WRITE_SLOT_MS, (CURRENT + 3) * WRITE_SLOT_MS]);
  expect(clock.slept).toEqual([(CURRENT + 2) * WRITE_SLOT_MS - NOW, WRITE_SLOT_MS]);
});

test('GIVEN a write refused for good THEN it is not sent again', async () => {
  const ledger = await newLedger();
  let sends = 0;
  const refused = Object.assign(new Error('bad manifest'), { name: 'ValidationException', $metadata: { httpStatusCode: 400 } });

  await expect(sendPacedWrite({ ledger, maxAttempts: 5, operation: 'CreatePackageImportJob', clock: fixedClock(NOW) }, async () => {
    sends++;
    throw refused;
  })).rejects.toBe(refused);
  expect(sends).toBe(1);
});

test('GIVEN a ledger S3 refuses (no such bucket) THEN the write is sent at once, and a throttled one again after a decided back-off', async () => {
  const ledger: WriteLedger = { s3, bucket: 'no-such-ledger-bucket', prefix: 'imports/' };
  const clock = fixedClock(NOW);
  let sends = 0;
  const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 429 } });

  const result = await sendPacedWrite({ ledger, maxAttempts: 3, operation: 'CreatePackageImportJob', clock }, async () => {
    if (++sends < 3) throw throttled;
    return 'job-2';
  });

  expect(result).toBe('job-2');
  expect(clock.slept).toEqual([WRITE_SLOT_MS, 2 * WRITE_SLOT_MS]);
});

test('GIVEN no spacing in the environment THEN the slots are Panorama\'s; GIVEN 0 THEN writes are unpaced; GIVEN anything else THEN it is refused by name', () => {
  expect(writeSlotMs({})).toBe(WRITE_SLOT_MS);
  expect(writeSlotMs({ [WRITE_SLOT_MS_VARIABLE]: '' })).toBe(WRITE_SLOT_MS);
  expect(writeSlotMs({ [WRITE_SLOT_MS_VARIABLE]: '0' })).toBe(0);
  expect(writeSlotMs({ [WRITE_SLOT_MS_VARIABLE]: '250' })).toBe(250);
  for (const bad of ['-1', '1.5', 'fast', '1e3']) {
    expect(() => writeSlotMs({ [WRITE_SLOT_MS_VARIABLE]: bad })).toThrow(`${WRITE_SLOT_MS_VARIABLE} must be a whole number of milliseconds (0: writes unpaced), got "${bad}"`);
  }
});

test('GIVEN a ledger with its own spacing THEN the writes after the first are sent that far apart', async () => {
  const ledger = { ...(await newLedger()), slotMs: 500 };
  const now = 1_800_000_000_000 + 20;
  const clock = fixedClock(now);

  const first = await reserveWriteSlot(ledger, clock);
  const second = await reserveWriteSlot(ledger, clock);

  const current = Math.floor(now / 500);
  expect([first.sendAt, second.sendAt]).toEqual([now, (current + 2) * 500]);
});
