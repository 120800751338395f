/**
 * A request refused before its body is read (401, 405, 413) is answered while the client is
 * still sending, and its connection closes only once the rest of the body has been read and
 * dropped (http/lingeringClose.ts): Node's `fetch`, curl and a raw socket client all read the
 * answer and its JSON error, for bodies up to 64 MiB. What is dropped is bounded: a body declared
 * larger is not read at all, one sent past the bound is cut there, one sent at a trickle is cut
 * at the request timeout (slowClients.test.ts), and the memory it passes through is not kept.
 */
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../../src/config/readConfig.js';
import { FIXED_LIMITS } from '../../../src/security/limits.js';
import { startStack, type Stack } from '../../harness.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/**
 * Bytes of heap and buffers still reachable. V8 frees the memory of unreachable buffers on a
 * background thread after a collection, so a second one, a moment later, finds it gone.
 */
async function retained(): Promise<number> {
  gc();
  await new Promise((resolve) => setTimeout(resolve, 50));
  gc();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

const API_KEY = 'lingering-close-test-key-0123456789';
const MiB = 2 ** 20;
const MAX_BODY = DEFAULTS.limits.maxBodyBytes;
const TOO_LARGE = { message: `request body is larger than ${MAX_BODY} bytes`, extensions: { code: 'BAD_REQUEST' } };
const NO_KEY = { message: expect.stringContaining('API key'), extensions: { code: 'UNAUTHENTICATED' } };

let stack: Stack;
let port: number;
beforeAll(async () => {
  stack = await startStack({ apiKeys: [API_KEY] });
  port = Number(new URL(stack.url).port);
});
afterAll(() => stack.close());

/**
 * Node's fetch (undici) in a process of its own, as a user's script runs it (in this process the
 * server and the client take turns on one event loop, which hides the race): it sends the same
 * body `times` times, one request after another, and prints what it made of each, the status and
 * JSON errors, or the error it failed with.
 */
const FETCH_CLIENT = `
const [url, bytes, times, method, authorization, chunked] = process.argv.slice(1);
const payload = new Uint8Array(Number(bytes)).fill(0x20);
const piece = new Uint8Array(64 * 1024).fill(0x20);
const stream = () => {
  let sent = 0;
  return new ReadableStream({ pull(controller) { if (sent >= payload.length) return controller.close(); sent += piece.length; controller.enqueue(piece); } });
};
const answers = [];
for (let i = 0; i < Number(times); i++) {
  try {
    const headers = { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) };
    const response = await fetch(url, { method, headers, body: chunked === 'chunked' ? stream() : payload, duplex: 'half' });
    answers.push({ status: response.status, errors: (await response.json()).errors });
  } catch (error) {
    answers.push('failed: ' + (error.cause?.code ?? error.message));
  }
}
console.log(JSON.stringify(answers));
`;

function fetchAnswers(bytes: number, options: { times?: number; method?: string; key?: boolean; chunked?: boolean } = {}): Promise<unknown[]> {
  const { times = 10, method = 'POST', key = true, chunked = false } = options;
  const args = [stack.url, String(bytes), String(times), method, key ? `Bearer ${API_KEY}` : '', chunked ? 'chunked' : ''];
  return new Promise((resolve, reject) => {
    execFile('node', ['--input-type=module', '-e', FETCH_CLIENT, ...args], { encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${error.message} ${stderr}`)) : resolve(JSON.parse(stdout) as unknown[]),
    );
  });
}

describe("Node's fetch", () => {
  it.each([
    ['413: a 5 MiB body', 5 * MiB, {}, 413, [TOO_LARGE]],
    ['413: a 64 MiB body', 64 * MiB, {}, 413, [TOO_LARGE]],
    ['413: a 16 MiB chunked body (no content-length), refused once the limit is passed while reading', 16 * MiB, { chunked: true }, 413, [TOO_LARGE]],
    ['401: a 5 MiB body without a key', 5 * MiB, { key: false }, 401, [NO_KEY]],
    ['405: a 5 MiB PUT', 5 * MiB, { method: 'PUT' }, 405, [{ message: 'use GET or POST', extensions: { code: 'METHOD_NOT_ALLOWED' } }]],
  ])('reads the answer and its JSON error, ten times out of ten (%s)', async (_, bytes, options, status, errors) => {
    expect(await fetchAnswers(bytes, options)).toEqual(Array.from({ length: 10 }, () => ({ status, errors })));
  }, 60_000);
});

describe('curl', () => {
  it('reads the 413 and its JSON error of a 5 MiB body', async () => {
    const answer = await new Promise<string>((resolve, reject) => {
      const child = execFile(
        'curl',
        ['-sS', '-w', '\n%{http_code}', '-H', 'content-type: application/json', '-H', `authorization: Bearer ${API_KEY}`, '--data-binary', '@-', stack.url],
        { encoding: 'utf8' },
        (error, stdout, stderr) => (error ? reject(new Error(`${error.message} ${stderr}`)) : resolve(stdout)),
      );
      child.stdin!.on('error', () => {});
      child.stdin!.end(Buffer.alloc(5 * MiB, 0x20));
    });
    const [json, status] = answer.split('\n');
    expect(status).toBe('413');
    expect(JSON.parse(json!)).toEqual({ errors: [TOO_LARGE] });
  });
});

/**
 * A raw socket client that sends its whole request (keeping its side open after the server's
 * FIN, as a client that reads only once it has written does), then reads: the answer it was
 * sent, how many body bytes the connection took, and the error that ended its writing, if any.
 */
async function rawClient(head: string, bodyBytes: number, options: { chunked?: boolean; whenSent?: (sent: number) => Promise<void> | void } = {}) {
  const socket: Socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
  await once(socket, 'connect');
  let answer = '';
  let failed: string | undefined;
  socket.on('data', (data: Buffer) => void (answer += data.toString('latin1')));
  socket.on('error', (error: NodeJS.ErrnoException) => void (failed ??= error.code ?? error.message));
  const closed = new Promise((resolve) => socket.once('close', resolve));
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  const framing = options.chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${bodyBytes}`;
  socket.write(`${head}Content-Type: application/json\r\n${framing}\r\n\r\n`);
  let sent = 0;
  while (sent < bodyBytes && !failed && !socket.destroyed) {
    if (options.chunked) socket.write(`${chunk.length.toString(16)}\r\n`);
    socket.write(chunk);
    sent += chunk.length;
    const more = socket.write(options.chunked ? '\r\n' : '');
    await options.whenSent?.(sent);
    if (!more) await Promise.race([once(socket, 'drain'), closed]).catch(() => {});
  }
  // Its side ends once it has sent everything; the server's FIN ended the answer.
  if (!failed && !socket.destroyed) socket.end(options.chunked ? '0\r\n\r\n' : '');
  await closed;
  const [headers = '', body = ''] = answer.split('\r\n\r\n');
  return { status: Number(headers.split(' ')[1]), headers, body, sent, failed };
}

const POST = `POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${API_KEY}\r\n`;

/** The JSON of a chunked HTTP/1.1 answer body, or of a plain one. */
function jsonOf(body: string): unknown {
  const json = body.slice(body.indexOf('{'), body.lastIndexOf('}') + 1);
  return JSON.parse(json);
}

describe('a raw socket client', () => {
  it('reads the 413 and its JSON error after sending its whole 5 MiB body, and nothing fails while it sends', async () => {
    for (let i = 0; i < 3; i++) {
      const answer = await rawClient(POST, 5 * MiB);
      expect(answer.status).toBe(413);
      expect(answer.headers).toMatch(/\r\nconnection: close\r\n/i);
      expect(jsonOf(answer.body)).toEqual({ errors: [TOO_LARGE] });
      expect(answer.failed).toBeUndefined();
      expect(answer.sent).toBe(5 * MiB);
    }
  });

  it('reads the 401 of a 5 MiB body sent without a key', async () => {
    const answer = await rawClient('POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\n', 5 * MiB);
    expect(answer.status).toBe(401);
    expect(jsonOf(answer.body)).toEqual({ errors: [NO_KEY] });
    expect(answer.failed).toBeUndefined();
  });

  it('keeps none of the bytes it drops: the heap and buffers stay flat while 64 MiB pass', async () => {
    const total = FIXED_LIMITS.discardedBodyBytes;
    const before = await retained();
    let grown = Infinity;
    const answer = await rawClient(POST, total, {
      chunked: true,
      // Three quarters in, once the server has read what was sent: what is still held?
      whenSent: async (sent) => {
        if (sent !== (3 * total) / 4) return;
        await new Promise((resolve) => setTimeout(resolve, 200));
        grown = (await retained()) - before;
      },
    });
    expect(answer.status).toBe(413);
    expect(answer.failed).toBeUndefined();
    expect(answer.sent).toBe(total);
    // 48 MiB had passed through the server by then; a few MiB at most may sit in buffers.
    expect(grown).toBeLessThan(8 * MiB);
  }, 30_000);

  it('is cut once more than the bound has been dropped', async () => {
    const total = FIXED_LIMITS.discardedBodyBytes + 32 * MiB;
    const answer = await rawClient(POST, total, { chunked: true });
    expect(answer.status).toBe(413);
    // The connection was cut before the body ended: the client could not send it all.
    expect(answer.failed).toMatch(/EPIPE|ECONNRESET/);
    expect(answer.sent).toBeLessThan(total);
  }, 30_000);

  it('is not read at all when its declared length is past the bound: the connection closes with the answer', async () => {
    const started = performance.now();
    const answer = await rawClient(POST, FIXED_LIMITS.discardedBodyBytes + 1, {
      // Send slowly: only a connection closed by the server ends this before the test's timeout.
      whenSent: () => new Promise((resolve) => setTimeout(resolve, 50)),
    });
    expect(answer.status).toBe(413);
    expect(jsonOf(answer.body)).toEqual({ errors: [TOO_LARGE] });
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(answer.sent).toBeLessThan(16 * MiB);
  }, 30_000);
});
