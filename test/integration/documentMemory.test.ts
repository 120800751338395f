/**
 * Distinct documents cannot grow the heap without bound: thousands of unique 16 KB documents
 * leave the heap after a full GC flat once the document store is full, within its byte budget.
 * Automatic persisted queries are off unless TOKENGRAPH_APQ=on, and bounded when on.
 */
import { createHash } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../src/config/readConfig.js';
import { startStack, type Stack } from '../harness.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const MiB = 2 ** 20;

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** A valid, distinct document of `bytes` bytes: one field, its padding a comment (kept in the source, not in the AST). */
const document = (i: number, bytes: number) => `query Q${i} { __typename } # ${String(i).padEnd(bytes - 40, '.')}`;

describe('the document store', () => {
  const budget = 4 * MiB;
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ config: { limits: { ...DEFAULTS.limits, documentCacheBytes: budget } } });
  });
  afterAll(() => stack.close());

  it('keeps the heap flat over 2,000 distinct 16 KB documents, within its budget', async () => {
    const send = async (from: number, to: number) => {
      for (let i = from; i < to; i++) expect((await stack.query(document(i, 16 * 1024))).status).toBe(200);
    };
    const start = heapAfterGc();
    // 1,000 documents are about 16 MB of source: four times the budget, so the store is full by then.
    await send(0, 1000);
    const full = heapAfterGc();
    await send(1000, 2000);
    const end = heapAfterGc();
    // Flat once full: another 16 MB of documents adds less than a fifth of that.
    expect(end - full).toBeLessThan(3 * MiB);
    // And what it holds stays near its budget (the estimate is conservative).
    expect(end - start).toBeLessThan(budget + 4 * MiB);
  }, 60_000);
});

describe('automatic persisted queries', () => {
  const query = '{ __typename }';
  const persistedQuery = { version: 1, sha256Hash: createHash('sha256').update(query).digest('hex') };
  const post = (stack: Stack, body: unknown) =>
    fetch(stack.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json());

  it('are off by default: the query is not stored, a hash alone is refused', async () => {
    const stack = await startStack();
    try {
      expect(await post(stack, { query, extensions: { persistedQuery } })).toMatchObject({ errors: [{ extensions: { code: 'PERSISTED_QUERY_NOT_SUPPORTED' } }] });
      expect(await post(stack, { extensions: { persistedQuery } })).toMatchObject({ errors: [{ extensions: { code: 'PERSISTED_QUERY_NOT_SUPPORTED' } }] });
    } finally {
      await stack.close();
    }
  });

  it('work with TOKENGRAPH_APQ=on: a query registered by its hash is run by the hash alone', async () => {
    const stack = await startStack({ config: { apq: true } });
    try {
      expect(await post(stack, { query, extensions: { persistedQuery } })).toEqual({ data: { __typename: 'Query' } });
      expect(await post(stack, { extensions: { persistedQuery } })).toEqual({ data: { __typename: 'Query' } });
    } finally {
      await stack.close();
    }
  });
});
