/**
 * Slow clients cannot hold connections: 200 sockets trickling their headers or their bodies a
 * byte at a time are cut within the headers and request timeouts, a refused request is answered
 * at once and its connection, which lingers to read the rest of the body (lingeringClose.test.ts),
 * is cut at the request timeout too, and requests from well-behaved clients go on being answered
 * meanwhile. The connection cap closes what is past it. (Bounds with generous slack, not
 * speed measurements.)
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS, type Limits } from '../../../src/config/readConfig.js';
import { startStack, type Stack } from '../../harness.js';

const API_KEY = 'slow-clients-test-key-0123456789';
const LIMITS: Limits = { ...DEFAULTS.limits, headersTimeoutMs: 1000, requestTimeoutMs: 2000 };
/** Node checks the timeouts every quarter of the headers timeout here; the rest is scheduling. */
const SLACK_MS = 1000;

let stack: Stack;
let port: number;
beforeAll(async () => {
  stack = await startStack({ apiKeys: [API_KEY], config: { limits: LIMITS } });
  port = Number(new URL(stack.url).port);
});
afterAll(() => stack.close());

/** Writes `first`, then one byte of `drip` every 100 ms; resolves to how long the server kept the socket, in ms. */
function trickle(first: string, drip: string, capMs = 10_000): Promise<number> {
  return trickleAnswer(first, drip, capMs).then(({ lifetime }) => lifetime);
}

/**
 * As `trickle`, with what the server sent before it closed and when its first byte came. The
 * client keeps sending after the server's FIN (its side stays open), as a hostile one would.
 */
function trickleAnswer(first: string, drip: string, capMs = 10_000): Promise<{ lifetime: number; answer: string; answeredAfter: number }> {
  return new Promise((resolve) => {
    let answer = '';
    let answeredAfter = Infinity;
    const started = performance.now();
    const socket: Socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true }, () => socket.write(first));
    let i = 0;
    const timer = setInterval(() => {
      if (!socket.destroyed) socket.write(drip[i++ % drip.length]!);
    }, 100);
    const cap = setTimeout(() => socket.destroy(), capMs);
    socket.on('data', (chunk: Buffer) => {
      if (!answer) answeredAfter = performance.now() - started;
      answer += chunk.toString('latin1');
    });
    socket.on('error', () => {});
    socket.once('close', () => {
      clearInterval(timer);
      clearTimeout(cap);
      resolve({ lifetime: performance.now() - started, answer, answeredAfter });
    });
  });
}

const HEADERS_START = 'POST /graphql HTTP/1.1\r\nHost: tokengraph\r\n';
const bodyStart = (authorization: string) =>
  `POST /graphql HTTP/1.1\r\nHost: tokengraph\r\n${authorization}Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n`;

describe('slow clients', () => {
  it('200 slow connections are cut within their timeouts while other requests are answered', async () => {
    const slow = [
      ...Array.from({ length: 100 }, () => trickle(HEADERS_START, 'x-slow: 1\r\n')),
      ...Array.from({ length: 100 }, () => trickle(bodyStart(`Authorization: Bearer ${API_KEY}\r\n`), '{"query":"{ __typename }"}')),
    ];
    // Meanwhile, a well-behaved client is answered, one request after another.
    const answered: number[] = [];
    const done = Promise.all(slow);
    let finished = false;
    void done.then(() => (finished = true));
    while (!finished) {
      const response = await stack.query('{ gameToken(id: "game-demo-1") { name } }');
      answered.push(response.status);
    }
    const lifetimes = await done;
    const headers = lifetimes.slice(0, 100);
    const bodies = lifetimes.slice(100);
    expect(Math.max(...headers)).toBeLessThan(LIMITS.headersTimeoutMs + SLACK_MS);
    expect(Math.min(...headers)).toBeGreaterThanOrEqual(LIMITS.headersTimeoutMs - 100);
    expect(Math.max(...bodies)).toBeLessThan(LIMITS.requestTimeoutMs + SLACK_MS);
    expect(Math.min(...bodies)).toBeGreaterThanOrEqual(LIMITS.requestTimeoutMs - 100);
    // At least one answer every 200 ms or so over the whole time: the slow sockets starved no one.
    expect(answered.length).toBeGreaterThan(LIMITS.requestTimeoutMs / 200);
    expect(new Set(answered)).toEqual(new Set([200]));
  });

  it('a refused request (no key) is answered 401 without waiting for its body, and its connection cut at the request timeout while the body trickles', async () => {
    const { lifetime, answer, answeredAfter } = await trickleAnswer(bodyStart(''), '{"query":"{ __typename }"}');
    expect(answer).toMatch(/^HTTP\/1\.1 401 /);
    expect(answeredAfter).toBeLessThan(LIMITS.headersTimeoutMs);
    expect(lifetime).toBeGreaterThanOrEqual(LIMITS.requestTimeoutMs - 100);
    expect(lifetime).toBeLessThan(LIMITS.requestTimeoutMs + SLACK_MS);
  });

  it('a body over the limit is answered 413 at once, and its connection cut at the request timeout while the body trickles', async () => {
    const { lifetime, answer, answeredAfter } = await trickleAnswer(bodyStart(`Authorization: Bearer ${API_KEY}\r\n`).replace('100000', String(10 * DEFAULTS.limits.maxBodyBytes)), 'x');
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answeredAfter).toBeLessThan(LIMITS.headersTimeoutMs);
    expect(lifetime).toBeGreaterThanOrEqual(LIMITS.requestTimeoutMs - 100);
    expect(lifetime).toBeLessThan(LIMITS.requestTimeoutMs + SLACK_MS);
  });
});

describe('the connection cap', () => {
  it('closes connections past TOKENGRAPH_MAX_CONNECTIONS as they arrive, and serves again once they go', async () => {
    const capped = await startStack({ config: { limits: { ...DEFAULTS.limits, maxConnections: 3 } } });
    try {
      const held = await Promise.all(
        Array.from({ length: 3 }, () => new Promise<Socket>((resolve) => {
          const socket = connect(Number(new URL(capped.url).port), '127.0.0.1', () => resolve(socket));
        })),
      );
      await expect(capped.query('{ __typename }')).rejects.toThrow();
      for (const socket of held) socket.destroy();
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect((await capped.query('{ __typename }')).status).toBe(200);
    } finally {
      await capped.close();
    }
  });
});
