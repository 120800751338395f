/**
 * An upstream's rate budget (contract §10, `<PREFIX>_RATE_LIMIT=<burst>,<per minute>`): per upstream
 * credential, a token bucket of `burst` calls refilled at `perMinute` a minute, the model NetBird's
 * own limiter uses (golang.org/x/time/rate per PAT: burst 500, then 6 a minute when its API rate
 * limiting is on). A call takes one token before it is sent:
 *
 * - with a token left it goes at once;
 * - without, it reserves the next one and waits for it (and a twentieth of a refill interval more,
 *   so that it cannot reach the upstream before the upstream's own bucket has it), if that comes
 *   before its deadline;
 * - otherwise it fails at once with `UPSTREAM_UNAVAILABLE` ("rate budget exhausted") and is never
 *   sent (`NotSent`), so an inventory read that cannot fit in the budget reads what fits and
 *   reports the rest as gaps.
 *
 * An upstream 429 pauses that upstream for that credential, budget or not: for the `Retry-After` it
 * gave, else one refill interval (60 / per-minute seconds; 10 s without a budget), during which
 * every call fails at once without being sent (those already waiting for a token too), and the
 * bucket starts again from empty. NetBird sends no `Retry-After` with its 429.
 *
 * Buckets are keyed by a fingerprint of the credential, never the credential (forwarded
 * credentials each get their own, at most `MAX_BUCKETS` of them). Why not a library: `limiter`'s
 * and `bottleneck`'s waits cannot be refused up front when they would end past a deadline, and
 * neither pauses on a 429; the reservation below is the whole of what is needed.
 */
import { LRUCache } from 'lru-cache';
import { credentialFingerprint } from '../cache/cacheKey.js';
import type { RateLimit } from '../config/readConfig.js';
import { abandonedCall, NotSent, unsent } from '../shared/errors.js';
import { UPSTREAMS, type SourceName, type UpstreamName } from '../sources.js';

/** The pause after a 429 without `Retry-After` when the upstream has no budget, ms. */
export const DEFAULT_PAUSE_MS = 10_000;
/** Credentials with a bucket of their own at once (forwarded credentials), least recently used dropped. */
const MAX_BUCKETS = 10_000;

interface Bucket {
  /** Tokens left at `at`; below zero when calls have reserved tokens yet to come. */
  tokens: number;
  at: number;
  /** No call is sent before this (epoch ms): the pause after a 429. */
  pausedUntil: number;
  /** Ends the wait of each call waiting for a reserved token, when a 429 pauses the credential. */
  waiting?: Set<() => void>;
}

export class RateBudget {
  private readonly buckets = new LRUCache<string, Bucket>({ max: MAX_BUCKETS });
  /** Tokens a millisecond. */
  private readonly rate: number;
  /**
   * How much later than its token a waiting call is sent: the upstream counts a call when it arrives
   * and started its own bucket at the first call's arrival, so a call sent the moment its token is
   * due may arrive a little early by the upstream's clock. A twentieth of the refill interval.
   */
  private readonly marginMs: number;
  /** The bucket key of tokengraph's own credential, worked out once; the gauge shows its bucket. */
  private readonly ownKey: string | undefined;
  /** The end of the latest pause of any credential: without a budget, calls after it need no bucket at all. */
  private pausesEnd = 0;

  constructor(
    readonly upstream: UpstreamName,
    private readonly limit: RateLimit | undefined,
    /** tokengraph's static credential for the upstream, if it has one. */
    private readonly ownCredential?: string,
  ) {
    this.rate = limit ? limit.perMinute / 60_000 : 0;
    this.marginMs = limit ? Math.ceil(60_000 / limit.perMinute / 20) : 0;
    this.ownKey = ownCredential === undefined ? undefined : credentialFingerprint(ownCredential);
  }

  /** One refill interval: the pause after a 429 without `Retry-After`, ms. */
  get refillMs(): number {
    return this.limit ? Math.ceil(60_000 / this.limit.perMinute) : DEFAULT_PAUSE_MS;
  }

  /**
   * Takes the token of one call with `credential`: at once, or after a wait that ends before
   * `deadline`; else throws `NotSent`. `signal` gives a waiting call's reservation back when it aborts.
   */
  async take(credential: string, source: SourceName, deadline: number, signal?: AbortSignal): Promise<void> {
    const now = Date.now();
    // The common case, no budget and no recent 429: nothing to count, not even a fingerprint.
    if (!this.limit && now >= this.pausesEnd) return;
    const bucket = this.bucket(this.keyOf(credential), now);
    if (bucket.pausedUntil > now) throw this.paused(bucket, source, now);
    if (!this.limit) return;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return;
    }
    const waitMs = Math.ceil((1 - bucket.tokens) / this.rate) + this.marginMs;
    if (now + waitMs >= deadline) {
      throw new NotSent('UPSTREAM_UNAVAILABLE', `${source}: rate budget exhausted: no call of ${this.limit.perMinute} a minute (${this.limitVariable}) is free before the deadline`, { source });
    }
    bucket.tokens -= 1;
    const waiting = (bucket.waiting ??= new Set());
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        end();
        resolve();
      }, waitMs);
      /** The call gives its token back and is not sent. */
      const giveUp = (error: Error) => {
        clearTimeout(timer);
        end();
        bucket.tokens += 1;
        reject(error);
      };
      // A contract error, as for a wait for a slot or a retry (sourceGuard.ts): the call was never sent.
      const aborted = () => giveUp(unsent(abandonedCall({ source }, signal!.reason)));
      // A 429 came while it waited: nothing goes with this credential during the pause, this call neither.
      const onPause = () => giveUp(this.paused(bucket, source, Date.now()));
      function end() {
        signal?.removeEventListener('abort', aborted);
        waiting.delete(onPause);
      }
      if (signal?.aborted) return aborted();
      signal?.addEventListener('abort', aborted, { once: true });
      waiting.add(onPause);
    });
  }

  /** The upstream answered 429: nothing more with `credential` until `retryAfterMs` (or one refill interval) has passed. */
  throttled(credential: string, retryAfterMs: number | undefined): void {
    const now = Date.now();
    const bucket = this.bucket(this.keyOf(credential), now);
    bucket.pausedUntil = Math.max(bucket.pausedUntil, now + (retryAfterMs ?? this.refillMs));
    this.pausesEnd = Math.max(this.pausesEnd, bucket.pausedUntil);
    // Calls waiting for a token fail now, unsent, and give their tokens back.
    for (const onPause of [...(bucket.waiting ?? [])]) onPause();
    // The upstream's bucket is empty, whatever this one thought: it refills from the pause's end.
    bucket.tokens = Math.min(bucket.tokens, 0);
    bucket.at = Math.max(bucket.at, bucket.pausedUntil);
  }

  /** Calls tokengraph's own credential may make now without waiting (0 while paused); undefined without a budget. */
  remaining(): number | undefined {
    if (!this.limit) return undefined;
    const now = Date.now();
    if (this.ownKey === undefined) {
      // Forwarded credentials only: the one with the least left. Read without `get`, which would move
      // each bucket to the front of the LRU list under the iterator and keep it going for ever.
      let least = this.limit.burst;
      for (const bucket of this.buckets.values()) least = Math.min(least, this.left(bucket, now));
      return least;
    }
    const own = this.buckets.peek(this.ownKey);
    return own ? this.left(own, now) : this.limit.burst;
  }

  /** The failure of a call not sent because `bucket`'s credential is paused after a 429. */
  private paused(bucket: Bucket, source: SourceName, now: number): NotSent {
    return new NotSent('UPSTREAM_UNAVAILABLE', `${source}: rate budget exhausted: ${this.upstreamLabel} answered 429 Too Many Requests, so tokengraph sends it nothing with this credential for ${Math.ceil((bucket.pausedUntil - now) / 1000)} s`, { source });
  }

  /** A credential's bucket key: its fingerprint, never the credential. */
  private keyOf(credential: string): string {
    return credential === this.ownCredential && this.ownKey !== undefined ? this.ownKey : credentialFingerprint(credential);
  }

  /** Calls `bucket` may make now without waiting, leaving it as it is. */
  private left(bucket: Bucket, now: number): number {
    return bucket.pausedUntil > now ? 0 : Math.max(0, Math.floor(this.refilled(bucket, now)));
  }

  /** `bucket`'s tokens at `now`. */
  private refilled(bucket: Bucket, now: number): number {
    if (!this.limit || now <= bucket.at) return bucket.tokens;
    return Math.min(this.limit.burst, bucket.tokens + (now - bucket.at) * this.rate);
  }

  /** `key`'s bucket, refilled up to now. */
  private bucket(key: string, now: number): Bucket {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { tokens: this.limit?.burst ?? 0, at: now, pausedUntil: 0 };
      this.buckets.set(key, bucket);
    } else if (now > bucket.at) {
      bucket.tokens = this.refilled(bucket, now);
      bucket.at = now;
    }
    return bucket;
  }

  private get upstreamLabel(): string {
    return UPSTREAMS[this.upstream].label;
  }

  private get limitVariable(): string {
    return `${UPSTREAMS[this.upstream].prefix}_RATE_LIMIT`;
  }
}
