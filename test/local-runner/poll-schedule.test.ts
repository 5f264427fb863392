/** The runner's waits: doubling up to a cap (instances from 0.1 s; isComplete every 0.25 s for a second, then doubling); the Provider waiter's asks end when the framework's would. */
import { backoffDelay, instanceReadDelay, providerWaits } from '../../local-runner/poll-schedule';

test('GIVEN a 1 s cap THEN the waits are 0.1, 0.2, 0.4, 0.8 s, then 1 s for ever', () => {
  expect([0, 1, 2, 3, 4, 5, 40].map((i) => backoffDelay(i, 1000))).toEqual([100, 200, 400, 800, 1000, 1000, 1000]);
});

test('GIVEN the default waiter (5 s queryInterval) THEN the waits back off to 5 s and sum to its totalTimeout', () => {
  // GIVEN 30 minutes of 5 s intervals
  const waits = providerWaits({ intervalSeconds: 5, maxAttempts: 360, backoffRate: 1 });

  // THEN they are a quarter second for the first second, then double to the interval and never pass it, and end exactly at 30 minutes
  expect(waits.slice(0, 10)).toEqual([250, 250, 250, 250, 500, 1000, 2000, 4000, 5000, 5000]);
  expect(Math.max(...waits)).toBe(5000);
  expect(waits.reduce((a, b) => a + b, 0)).toBe(30 * 60_000);
});

test('GIVEN a waiter whose interval grows (backoffRate 2) THEN the cap grows as the framework\'s interval due at that time', () => {
  // GIVEN intervals of 1, 2, 4 and 8 s (15 s in all)
  const waits = providerWaits({ intervalSeconds: 1, maxAttempts: 4, backoffRate: 2 });

  // THEN after the first second the waits double from 0.25 s, capped by the interval the framework would be in, the last cut to end at 15 s
  expect(waits).toEqual([250, 250, 250, 250, 500, 1000, 2000, 4000, 6500]);
  expect(waits.reduce((a, b) => a + b, 0)).toBe(15_000);
});

test('GIVEN a steady count THEN the first wait repeats that many times before the doubling starts', () => {
  expect([0, 1, 2, 3, 4, 5, 6].map((i) => backoffDelay(i, 1000, 250, 3))).toEqual([250, 250, 250, 500, 1000, 1000, 1000]);
});

test('GIVEN reads that spend no quota THEN isComplete is asked every 0.1 s for a second, then the waits double up to the interval', () => {
  // GIVEN a 1 s interval and 3 s in all, at an emulator that meters no read
  const waits = providerWaits({ intervalSeconds: 1, maxAttempts: 3, backoffRate: 1 }, true);

  // THEN ten waits of 0.1 s, then doubling, capped at the interval, the last cut to end at 3 s
  expect(waits).toEqual([...Array(10).fill(100), 200, 400, 800, 600]);
  expect(waits.reduce((a, b) => a + b, 0)).toBe(3000);
});

test('GIVEN an application instance THEN its reads are 0.1 s then doubling apart, or every 0.1 s for a second where reads are free', () => {
  expect([0, 1, 2, 3, 4].map((i) => instanceReadDelay(i, 1000))).toEqual([100, 200, 400, 800, 1000]);
  expect([0, 9, 10, 11, 12, 13].map((i) => instanceReadDelay(i, 1000, true))).toEqual([100, 100, 200, 400, 800, 1000]);
});
