/**
 * Crafter access-token ids are credentials, so the access-token list never rests anywhere with
 * them: what the cross-request cache stores (in memory or in Redis, the same key and value) holds
 * each token's fingerprint and mask, never its id, and a lookup by real id finds the token by the
 * fingerprint of the id asked for.
 */
import { describe, expect, it } from 'vitest';
import { createMemoryTombstones } from '../../../src/cache/createMemoryTombstones.js';
import { SourceCache } from '../../../src/cache/sourceCache.js';
import type { ResponseCache } from '../../../src/cache/responseCache.js';
import { DEFAULT_RESILIENCE } from '../../../src/config/readConfig.js';
import { createAccessTokenIndex, crafterProfileApi, readAccessTokens } from '../../../src/datasources/crafterProfile.js';
import { SourceClient } from '../../../src/datasources/sourceClient.js';
import { SourceGuard } from '../../../src/datasources/sourceGuard.js';
import type { UpstreamClient, UpstreamResponse } from '../../../src/datasources/upstreamClient.js';
import { UpstreamCredential } from '../../../src/datasources/upstreamCredential.js';
import { demoData, DEMO_CREDENTIALS } from '../../../src/demo/demoData.js';
import { fingerprintSecretId, maskSecretId } from '../../../src/security/secretIds.js';

const LIST = demoData(new Date('2026-01-01T00:00:00Z')).crafterProfile.accessTokens;
const IDS = LIST.map((token) => token.id);

/** A store that keeps what it is given, as either real store would. */
function recordingStore(): ResponseCache & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  return {
    backend: 'memory',
    entries,
    get: async (key) => entries.get(key),
    set: async (key, value) => void entries.set(key, value),
    lease: async () => true,
    close: async () => entries.clear(),
  };
}

function listClient(store: ResponseCache) {
  let calls = 0;
  const response: UpstreamResponse = { status: 200, contentType: 'application/json', body: JSON.stringify(LIST) };
  const client = new SourceClient('CRAFTER_ACCESS_TOKEN', {
    api: crafterProfileApi,
    client: { request: async () => (calls++, response) } as unknown as UpstreamClient,
    credential: new UpstreamCredential('crafterProfile', { credential: DEMO_CREDENTIALS.crafterProfile }),
    guard: new SourceGuard('CRAFTER_ACCESS_TOKEN', { ...DEFAULT_RESILIENCE, retries: 0 }),
    cache: new SourceCache(store, 'CRAFTER_ACCESS_TOKEN', 60_000, { hit: () => {}, miss: () => {}, error: () => {} }, createMemoryTombstones()),
  });
  return { client, calls: () => calls };
}

describe('the access-token list at rest', () => {
  it('is cached with fingerprints and masks, never an access-token id, in key or value', async () => {
    const store = recordingStore();
    const { client } = listClient(store);
    const listed = await readAccessTokens(client, {});
    expect(store.entries.size).toBe(1);
    const [key, value] = [...store.entries][0]!;
    for (const id of IDS) {
      expect(key).not.toContain(id);
      expect(value).not.toContain(id);
    }
    expect(listed.map((token) => token.fingerprint)).toEqual(IDS.map(fingerprintSecretId));
    expect(listed.map((token) => token.maskedId)).toEqual(IDS.map(maskSecretId));
  });

  it('answers lookups by real id and by fingerprint from the cached list, with no upstream call', async () => {
    const store = recordingStore();
    const { client, calls } = listClient(store);
    await readAccessTokens(client, {});
    const index = createAccessTokenIndex(client, {});
    const wanted = IDS[4]!;
    expect((await index.byId(wanted))?.maskedId).toBe(maskSecretId(wanted));
    expect((await index.byFingerprint(fingerprintSecretId(wanted)))?.record.application).toBe(LIST[4]!.application);
    expect(await index.byId('not-an-access-token-id')).toBeNull();
    expect(calls()).toBe(1);
  });
});
