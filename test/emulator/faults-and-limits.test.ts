import {
  CreatePackageCommand,
  CreatePackageImportJobCommand,
  DescribePackageImportJobCommand,
  ListPackageImportJobsCommand,
  ListPackagesCommand,
  PanoramaClient,
} from '@aws-sdk/client-panorama';
import { errorOf, Harness, importJobInput, statusOf, useHarnessPerFile } from './harness';
import { EMULATOR_QUOTAS_PATH, OVERALL_REQUESTS_PER_SECOND, WRITE_REQUESTS_PER_SECOND } from '../../emulator/rate-limit';

let harness: Harness;
let panorama: PanoramaClient;
useHarnessPerFile((started, client) => {
  harness = started;
  panorama = client;
});

describe('failNext', () => {
  test.each([
    ['ThrottlingException', 429],
    ['AccessDeniedException', 403],
    ['ConflictException', 409],
    ['ResourceNotFoundException', 404],
    ['ValidationException', 400],
  ])('fails the next call with %s (HTTP %i) and then lets calls through', async (errorType, status) => {
    // GIVEN one injected failure of an error ListPackages may answer
    harness.emulator.failNext('ListPackages', 1, { errorType, message: 'injected' });

    // WHEN the operation is called twice
    const error = await errorOf(panorama.send(new ListPackagesCommand({})));
    const next = await panorama.send(new ListPackagesCommand({}));

    // THEN the first call fails with that error and the second succeeds
    expect(error.name).toBe(errorType);
    expect(error.$metadata.httpStatusCode).toBe(status);
    expect(error.message).toBe('injected');
    expect(next.$metadata.httpStatusCode).toBe(200);
  });

  test.each([
    ['DescribePackageImportJob', 'ServiceQuotaExceededException'],
    ['DescribePackageImportJob', 'ResourceNotFoundException'],
    ['CreatePackageImportJob', 'ResourceNotFoundException'],
    ['TagResource', 'AccessDeniedException'],
    ['ListPackages', 'ServiceQuotaExceededException'],
  ])('refuses to make %s answer %s, which the model does not list for it', (operation, errorType) => {
    // GIVEN / WHEN an error the real service cannot answer / THEN it throws naming what it can answer
    expect(() => harness.emulator.failNext(operation, 1, { errorType })).toThrow(
      new RegExp(`^${operation} cannot answer ${errorType}: inject one of (\\w+, )+ThrottlingException`),
    );
  });

  test('an InternalServerException carries Retry-After as header and RetryAfterSeconds', async () => {
    // GIVEN an injected 500 asking for 7 seconds
    harness.emulator.failNext('ListPackages', 1, { errorType: 'InternalServerException', retryAfterSeconds: 7 });

    // WHEN called without retries
    const error = await errorOf(panorama.send(new ListPackagesCommand({})));

    // THEN the SDK reports a server fault with the wait in the member and the header
    expect(error.name).toBe('InternalServerException');
    expect(error.$fault).toBe('server');
    expect(error.$metadata.httpStatusCode).toBe(500);
    expect(error.RetryAfterSeconds).toBe(7);
    expect(error.$response.headers['retry-after']).toBe('7');
  });

  test('the SDK retries an InternalServerException after the Retry-After wait', async () => {
    // GIVEN one injected 500 asking for 1 second, and a client that retries
    harness.emulator.failNext('ListPackages', 1, { errorType: 'InternalServerException', retryAfterSeconds: 1 });
    const retrying = harness.panorama({ maxAttempts: 3 });

    // WHEN called
    const result = await retrying.send(new ListPackagesCommand({}));

    // THEN the second attempt succeeded, and the wait the SDK decided was the second asked for
    // (its own backoff, under 50 ms, is shorter), less the moment between reading and deciding
    expect(result.$metadata.attempts).toBe(2);
    expect(harness.emulator.callsOf('ListPackages').map((call) => call.status)).toEqual([500, 200]);
    expect(result.$metadata.totalRetryDelay).toBeGreaterThanOrEqual(750);
    expect(result.$metadata.totalRetryDelay).toBeLessThanOrEqual(1000);
  });

  test('counts down over several calls', async () => {
    // GIVEN three injected conflicts
    harness.emulator.failNext('CreatePackage', 3, { errorType: 'ConflictException' });

    // WHEN called four times
    const statuses: Array<number | undefined> = [];
    for (let i = 0; i < 4; i++) {
      statuses.push(await statusOf(panorama.send(new CreatePackageCommand({ PackageName: `p${i}` }))));
    }

    // THEN three fail and the fourth passes, as the recording shows
    expect(statuses).toEqual([409, 409, 409, 200]);
    expect(harness.emulator.callsOf('CreatePackage').map((call) => call.errorType)).toEqual(['ConflictException', 'ConflictException', 'ConflictException', undefined]);
  });

  test('rejects an operation name it does not serve', () => {
    // GIVEN / WHEN a typo / THEN it throws rather than never firing
    expect(() => harness.emulator.failNext('ListPackage', 1, { errorType: 'ConflictException' })).toThrow(/Unknown operation ListPackage/);
  });
});

describe('addLatency', () => {
  test('delays the calls of one operation, and records the delay on each', async () => {
    // GIVEN 150 ms on ListPackages
    harness.emulator.addLatency('ListPackages', 150);

    // WHEN it and another operation are called
    await panorama.send(new ListPackagesCommand({}));
    await panorama.send(new ListPackageImportJobsCommand({}));

    // THEN only ListPackages was delayed, by the 150 ms asked for
    expect(harness.emulator.callsOf('ListPackages').map((call) => call.latencyMs)).toEqual([150]);
    expect(harness.emulator.callsOf('ListPackageImportJobs').map((call) => call.latencyMs)).toEqual([undefined]);
  });
});

describe('setJobOutcome', () => {
  async function runJob(token: string) {
    const pkg = { name: 'outcome', version: '1.0', folder: 'outcome/' };
    const { JobId } = await panorama.send(new CreatePackageImportJobCommand(importJobInput(await harness.upload(pkg), pkg, token)));
    await harness.emulator.whenJobsSettled();
    return panorama.send(new DescribePackageImportJobCommand({ JobId }));
  }

  test('fail with a message fails the next job only, when counted', async () => {
    // GIVEN the next job set to fail
    harness.emulator.setJobOutcome('fail', { message: 'Model compilation failed', count: 1 });

    // WHEN two valid jobs run
    const first = await runJob('outcome-1');
    const second = await runJob('outcome-2');

    // THEN the first fails with the message and the second succeeds
    expect([first.Status, first.StatusMessage]).toEqual(['FAILED', 'Model compilation failed']);
    expect(second.Status).toBe('SUCCEEDED');
  });

  test('pending keeps every following job PENDING', async () => {
    // GIVEN jobs held pending
    harness.emulator.setJobOutcome('pending');

    // WHEN two jobs are created and the emulator settles
    const first = await runJob('pending-1');
    const second = await runJob('pending-2');

    // THEN both are still PENDING
    expect([first.Status, second.Status]).toEqual(['PENDING', 'PENDING']);
  });
});

describe('rate limits', () => {
  /** The emulator reads the time once per request: a frozen clock puts every call in one second. */
  function freezeClock(): void {
    const now = Date.now();
    jest.spyOn(Date, 'now').mockReturnValue(now);
  }
  afterEach(() => jest.restoreAllMocks());

  test('a second write within a second is a ThrottlingException (429)', async () => {
    // GIVEN rate limits on, and two writes in the same second
    harness.emulator.setRateLimits(true);
    freezeClock();

    // WHEN two writes are sent without SDK retries
    await panorama.send(new CreatePackageCommand({ PackageName: 'first' }));
    const error = await errorOf(panorama.send(new CreatePackageCommand({ PackageName: 'second' })));

    // THEN the second is throttled
    expect(error.name).toBe('ThrottlingException');
    expect(error.$metadata.httpStatusCode).toBe(429);
  });

  test('a sixth request within a second is throttled', async () => {
    // GIVEN rate limits on, and six reads in the same second
    harness.emulator.setRateLimits(true);
    freezeClock();

    // WHEN six reads are sent
    const outcomes = [];
    for (let i = 0; i < 6; i++) outcomes.push(await statusOf(panorama.send(new ListPackagesCommand({}))));

    // THEN the first five pass and the sixth gets 429
    expect(outcomes).toEqual([200, 200, 200, 200, 200, 429]);
  });

  test('the SDK retries a throttled write until it passes', async () => {
    // GIVEN rate limits on, a client with retries, and a clock frozen until the first 429 is answered
    harness.emulator.setRateLimits(true);
    const retrying = harness.panorama({ maxAttempts: 10 });
    retrying.middlewareStack.add((next) => async (args) => {
      const result = await next(args).catch((e) => {
        if (e.$metadata?.httpStatusCode === 429) jest.restoreAllMocks();
        throw e;
      });
      return result;
    }, { step: 'finalizeRequest', priority: 'low', name: 'thawClockOnThrottle' });
    freezeClock();

    // WHEN two writes are sent, the second in the same second as the first
    await retrying.send(new CreatePackageCommand({ PackageName: 'retried-1' }));
    const second = await retrying.send(new CreatePackageCommand({ PackageName: 'retried-2' }));

    // THEN the second was throttled, then retried until it passed, one attempt per answer
    const statuses = harness.emulator.callsOf('CreatePackage').map((call) => call.status);
    expect(statuses.slice(0, 2)).toEqual([200, 429]);
    expect(statuses.at(-1)).toBe(200);
    expect(second.$metadata.attempts).toBe(statuses.length - 1);
    expect(harness.emulator.packages().map((p) => p.packageName).sort()).toEqual(['retried-1', 'retried-2']);
  });

  test('are off by default', async () => {
    // GIVEN a fresh emulator state, and three writes in the same second
    freezeClock();
    // WHEN they are fired at once
    await Promise.all([0, 1, 2].map((i) => panorama.send(new CreatePackageCommand({ PackageName: `free-${i}` }))));
    // THEN none was throttled
    expect(harness.emulator.callsOf('CreatePackage').map((call) => call.status)).toEqual([200, 200, 200]);
  });

  test('the emulator says at a path outside the API which quotas it enforces, without recording a request', async () => {
    // GIVEN rate limits off, then on
    const ask = async () => (await fetch(new URL(EMULATOR_QUOTAS_PATH, harness.emulator.endpoint))).json();
    const off = await ask();
    harness.emulator.setRateLimits(true);

    // WHEN asked again
    const on = await ask();

    // THEN it names the quotas it enforces (null: none), and no Panorama call was recorded or counted
    expect(off).toEqual({ requestsPerSecond: null, writesPerSecond: null });
    expect(on).toEqual({ requestsPerSecond: OVERALL_REQUESTS_PER_SECOND, writesPerSecond: WRITE_REQUESTS_PER_SECOND });
    expect(harness.emulator.requests).toEqual([]);
  });
});

describe('request recording', () => {
  test('records operation, method, path, query, body, status and timing', async () => {
    // GIVEN / WHEN one write and one failing read
    const before = Date.now();
    await panorama.send(new CreatePackageCommand({ PackageName: 'recorded', Tags: { k: 'v' } }));
    await errorOf(panorama.send(new ListPackagesCommand({ NextToken: 'bad' })));

    // THEN both are recorded in order with their details
    const [create, list] = harness.emulator.requests;
    expect(create).toMatchObject({ operation: 'CreatePackage', method: 'POST', path: '/packages', query: {}, body: { PackageName: 'recorded', Tags: { k: 'v' } }, status: 200 });
    expect(create.errorType).toBeUndefined();
    expect(list).toMatchObject({ operation: 'ListPackages', method: 'GET', query: { nextToken: 'bad' }, status: 400, errorType: 'ValidationException' });
    expect(create.startedAt).toBeGreaterThanOrEqual(before);
    expect(list.endedAt).toBeGreaterThanOrEqual(list.startedAt);
  });

  test('reset forgets records, faults and state', async () => {
    // GIVEN a package, a pending fault and a record
    await panorama.send(new CreatePackageCommand({ PackageName: 'forgotten' }));
    harness.emulator.failNext('ListPackages', 1, { errorType: 'AccessDeniedException' });

    // WHEN reset
    harness.emulator.reset();

    // THEN nothing of it remains
    const listed = await panorama.send(new ListPackagesCommand({}));
    expect(listed.Packages).toEqual([]);
    expect(harness.emulator.requests.map((r) => r.operation)).toEqual(['ListPackages']);
  });
});
