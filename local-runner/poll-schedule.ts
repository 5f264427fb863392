/**
 * How long the runner waits before asking again whether some work is done: it starts fast and
 * backs off, as CloudFormation's own waiters do, so a local deployment waits about as long as the
 * work takes (an emulated import job takes 200 ms; the Provider framework's default queryInterval
 * is 5 s). The waits double from a first wait up to a cap; isComplete's stay short for the first second.
 */

/** The first wait before reading an application instance again (it passes statuses of 200 ms). */
export const FIRST_POLL_MS = 100;

/**
 * The first wait before asking isComplete again, after the ask that follows onEvent at once: an
 * import job takes a few hundred ms at least, and every ask spends Panorama's 5 requests/s, which
 * a stack's imports share with their one write a second each.
 */
export const FIRST_IS_COMPLETE_WAIT_MS = 250;

/**
 * How many times isComplete is asked again FIRST_IS_COMPLETE_WAIT_MS apart before the waits start
 * doubling: an emulated import job ends 0.2 to 0.5 s after it starts, so for its first second it
 * is asked every quarter second rather than at 0.25 and then 0.75 s.
 */
export const STEADY_IS_COMPLETE_WAITS = 4;

/**
 * Where a read spends no quota (the emulator enforces none; service-quotas.ts), the runner asks
 * every UNMETERED_POLL_MS for the first second, isComplete and instances alike, then backs off.
 */
export const UNMETERED_POLL_MS = 100;
export const UNMETERED_STEADY_WAITS = 10;

/** The i-th wait (from 0): `firstMs` for the first `steady` waits (at least one), then doubled each time, at most `capMs`. */
export function backoffDelay(index: number, capMs: number, firstMs = FIRST_POLL_MS, steady = 1): number {
  return Math.min(firstMs * 2 ** Math.min(Math.max(0, index - Math.max(1, steady) + 1), 30), capMs);
}

/** The wait before the (read+1)-th read of an application instance: from FIRST_POLL_MS, or every UNMETERED_POLL_MS for a second where reads are free. */
export function instanceReadDelay(read: number, capMs: number, unmeteredReads = false): number {
  return unmeteredReads ? backoffDelay(read, capMs, UNMETERED_POLL_MS, UNMETERED_STEADY_WAITS) : backoffDelay(read, capMs);
}

/**
 * The Provider framework's waiter as the runner plays it: the waits are FIRST_IS_COMPLETE_WAIT_MS for the
 * first second (UNMETERED_POLL_MS where reads are free), then double up to the waiter's interval (which grows by its backoffRate as the state machine's
 * would), and the last ask falls when the framework's last would, after the sum of its intervals
 * (totalTimeout), so a job that never ends fails at the same time. Returns the waits in ms.
 */
export function providerWaits(waiter: { intervalSeconds: number; maxAttempts: number; backoffRate: number }, unmeteredReads = false): number[] {
  const [firstMs, steady] = unmeteredReads ? [UNMETERED_POLL_MS, UNMETERED_STEADY_WAITS] : [FIRST_IS_COMPLETE_WAIT_MS, STEADY_IS_COMPLETE_WAITS];
  let budget = 0;
  const caps: number[] = [];
  for (let attempt = 0, interval = waiter.intervalSeconds * 1000; attempt < waiter.maxAttempts; attempt++, interval *= waiter.backoffRate) {
    caps.push(interval);
    budget += interval;
  }
  const waits: number[] = [];
  let waited = 0;
  for (let i = 0; waited < budget; i++) {
    // The cap of the framework's interval due at this point of the wait.
    let elapsed = 0;
    let cap = caps[0] ?? 0;
    for (const c of caps) {
      cap = c;
      elapsed += c;
      if (elapsed > waited) break;
    }
    const wait = Math.min(backoffDelay(i, cap, firstMs, steady), budget - waited);
    waits.push(wait);
    waited += wait;
  }
  return waits;
}
