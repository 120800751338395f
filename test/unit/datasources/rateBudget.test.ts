/**
 * An upstream's rate budget (contract §10), on a fake clock: a burst, then one call per refill
 * interval; a call waits for its token only when it comes before its deadline, and is otherwise
 * refused unsent; a 429 pauses the credential for its Retry-After or one refill interval; each
 * credential has a bucket of its own, keyed by a fingerprint.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_PAUSE_MS, RateBudget } from '../../../src/datasources/rateBudget.js';
import { CallCancelled, NotSent, TokengraphError, wasUnsent } from '../../../src/shared/errors.js';

const OWN = 'nbp_own-credential-0000000000000000000';
const OTHER = 'nbp_forwarded-credential-0000000000000';

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Whether `take` settles within the fake time advanced so far: 'sent', 'refused', or 'waiting'. */
async function outcome(taking: Promise<void>): Promise<'sent' | 'refused' | 'waiting'> {
  let state: 'sent' | 'refused' | 'waiting' = 'waiting';
  taking.then(
    () => (state = 'sent'),
    (error: unknown) => {
      if (!(error instanceof NotSent)) throw error;
      state = 'refused';
    },
  );
  await vi.advanceTimersByTimeAsync(0);
  return state;
}

describe('a budget of 3 at once, then 6 a minute', () => {
  const budget = () => new RateBudget('netbird', { burst: 3, perMinute: 6 }, OWN);

  it('lets the burst through at once, then one call per 10 s (sent a twentieth of that, 0.5 s, after its token is due, so it cannot reach the upstream early)', async () => {
    const b = budget();
    const far = Date.now() + 60_000;
    for (let i = 0; i < 3; i++) expect(await outcome(b.take(OWN, 'NETBIRD', far))).toBe('sent');
    expect(b.remaining()).toBe(0);
    const fourth = b.take(OWN, 'NETBIRD', far);
    const fifth = b.take(OWN, 'NETBIRD', far);
    expect(await outcome(fourth)).toBe('waiting');
    await vi.advanceTimersByTimeAsync(10_499);
    expect(await outcome(fourth)).toBe('waiting');
    await vi.advanceTimersByTimeAsync(1);
    expect(await outcome(fourth)).toBe('sent');
    // The fifth reserved the token after the fourth's: 10 s later.
    expect(await outcome(fifth)).toBe('waiting');
    await vi.advanceTimersByTimeAsync(9_999);
    expect(await outcome(fifth)).toBe('waiting');
    await vi.advanceTimersByTimeAsync(1);
    expect(await outcome(fifth)).toBe('sent');
  });

  it('refuses at once, without sending, a call whose token would come after its deadline', async () => {
    const b = budget();
    for (let i = 0; i < 3; i++) await b.take(OWN, 'NETBIRD', Date.now() + 60_000);
    const refused = b.take(OWN, 'NETBIRD', Date.now() + 5_000);
    expect(await outcome(refused)).toBe('refused');
    await expect(refused).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', message: expect.stringContaining('rate budget exhausted') });
    // A refused call reserved nothing: the next token is still 10 s away.
    const next = b.take(OWN, 'NETBIRD', Date.now() + 60_000);
    await vi.advanceTimersByTimeAsync(10_500);
    expect(await outcome(next)).toBe('sent');
  });

  it('gives a waiting call\'s token back when its request is aborted, and fails it as a call never sent: cancelled when the client left', async () => {
    const b = budget();
    for (let i = 0; i < 3; i++) await b.take(OWN, 'NETBIRD', Date.now() + 60_000);
    const controller = new AbortController();
    const abandoned = b.take(OWN, 'NETBIRD', Date.now() + 60_000, controller.signal);
    controller.abort(new Error('client gone'));
    const error = await abandoned.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CallCancelled);
    expect(error).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', message: 'NETBIRD call was cancelled: the client went away' });
    expect(wasUnsent(error)).toBe(true);
    const next = b.take(OWN, 'NETBIRD', Date.now() + 60_000);
    await vi.advanceTimersByTimeAsync(10_500);
    expect(await outcome(next)).toBe('sent');
  });

  it('fails a call waiting when its request\'s deadline aborts it as UPSTREAM_TIMEOUT, never sent', async () => {
    const b = budget();
    for (let i = 0; i < 3; i++) await b.take(OWN, 'NETBIRD', Date.now() + 60_000);
    const controller = new AbortController();
    const abandoned = b.take(OWN, 'NETBIRD', Date.now() + 60_000, controller.signal);
    controller.abort(new DOMException('the deadline of 5000 ms passed', 'TimeoutError'));
    const error = await abandoned.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokengraphError);
    expect(error).toMatchObject({ code: 'UPSTREAM_TIMEOUT', message: "NETBIRD did not answer before the request's deadline" });
    expect(wasUnsent(error)).toBe(true);
  });

  it('keeps a bucket per credential: a forwarded one does not spend tokengraph\'s own', async () => {
    const b = budget();
    for (let i = 0; i < 3; i++) await b.take(OTHER, 'NETBIRD', Date.now() + 60_000);
    expect(await outcome(b.take(OWN, 'NETBIRD', Date.now() + 1000))).toBe('sent');
    expect(b.remaining()).toBe(2);
  });

  it('without a credential of its own (forwarding), gives the least any forwarded credential has left, however many buckets there are (remaining() used to loop for ever over two)', async () => {
    const b = new RateBudget('netbird', { burst: 3, perMinute: 6 });
    await b.take(OWN, 'NETBIRD', Date.now() + 1000);
    await b.take(OTHER, 'NETBIRD', Date.now() + 1000);
    await b.take(OTHER, 'NETBIRD', Date.now() + 1000);
    expect(b.remaining()).toBe(1);
    // Refilled as time passes, without taking anything.
    await vi.advanceTimersByTimeAsync(10_000);
    expect(b.remaining()).toBe(2);
    expect(b.remaining()).toBe(2);
  });

  it('refills to the burst, no further', async () => {
    const b = budget();
    await b.take(OWN, 'NETBIRD', Date.now() + 1000);
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(b.remaining()).toBe(3);
  });
});

describe('a 429', () => {
  it('without Retry-After pauses the credential one refill interval (10 s with no budget): calls fail unsent', async () => {
    const b = new RateBudget('netbird', undefined, OWN);
    expect(b.remaining()).toBeUndefined();
    b.throttled(OWN, undefined);
    expect(await outcome(b.take(OWN, 'NETBIRD', Date.now() + 60_000))).toBe('refused');
    // Another credential is not paused.
    expect(await outcome(b.take(OTHER, 'NETBIRD', Date.now() + 60_000))).toBe('sent');
    await vi.advanceTimersByTimeAsync(DEFAULT_PAUSE_MS);
    expect(await outcome(b.take(OWN, 'NETBIRD', Date.now() + 60_000))).toBe('sent');
  });

  it('ends the wait of a call already waiting for its token: not sent during the pause, its token given back', async () => {
    const b = new RateBudget('netbird', { burst: 1, perMinute: 60 }, OWN);
    expect(await outcome(b.take(OWN, 'NETBIRD', Date.now() + 60_000))).toBe('sent');
    const waiting = b.take(OWN, 'NETBIRD', Date.now() + 60_000);
    expect(await outcome(waiting)).toBe('waiting');
    b.throttled(OWN, 3_000);
    expect(await outcome(waiting)).toBe('refused');
    await expect(waiting).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', message: 'NETBIRD: rate budget exhausted: NetBird answered 429 Too Many Requests, so tokengraph sends it nothing with this credential for 3 s' });
    // The bucket refills from empty at the pause's end, with no reservation left in it.
    await vi.advanceTimersByTimeAsync(4_000);
    expect(b.remaining()).toBe(1);
  });

  it('with a budget pauses 60 / per-minute seconds and empties the bucket; with Retry-After, that long', async () => {
    const b = new RateBudget('netbird', { burst: 500, perMinute: 6 }, OWN);
    expect(b.refillMs).toBe(10_000);
    b.throttled(OWN, undefined);
    expect(b.remaining()).toBe(0);
    await vi.advanceTimersByTimeAsync(9_999);
    expect(await outcome(b.take(OWN, 'NETBIRD', Date.now() + 100))).toBe('refused');
    await vi.advanceTimersByTimeAsync(1);
    // Refilled from empty at the pause's end: no token yet, the next in 10 s.
    expect(b.remaining()).toBe(0);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(await outcome(b.take(OWN, 'NETBIRD', Date.now() + 100))).toBe('sent');
    b.throttled(OWN, 30_000);
    await vi.advanceTimersByTimeAsync(29_000);
    expect(await outcome(b.take(OWN, 'NETBIRD', Date.now() + 100))).toBe('refused');
  });
});
