/**
 * `npm run probe`: the hostile probe of issue 12, as one repeatable command. It starts the demo
 * upstreams and a production-like tokengraph in this process (API keys on, logging at trace
 * into memory) and runs each attack, printing one line of figures per item, so a fix can be
 * shown with the same reproduction before and after. Run it with `--expose-gc` (the npm script
 * does) for the memory item.
 *
 *   1 a 1.3 KB fragment bomb: time to refuse it, and /healthz's latency meanwhile
 *   2 credential echoes in other encodings: which reach the client
 *   3 slow clients: how long a slow header, a slow body and an unauthenticated slow body keep
 *     their socket (capped at PROBE_SLOW_CAP_S, default 40 s)
 *   4 memory: heap after GC before and after 2,000 distinct 16 KB documents
 *   5 observability: the label of a real operation after 100 other names, refused keys logged,
 *     and the level of a client that disconnects mid-body
 *   6 a 100 KB upstream response header: its code and how many calls it cost
 */
import { connect, type Socket } from 'node:net';
import { readConfig } from '../src/config/readConfig.js';
import { DEMO_CREDENTIALS } from '../src/demo/demoData.js';
import { startDemoUpstreams } from '../src/demo/startDemoUpstreams.js';
import { createLogger } from '../src/observability/createLogger.js';
import { createTokengraph } from '../src/http/createTokengraph.js';

const API_KEY = 'probe-key-0123456789abcdef';
const ASTRA_TOKEN = 'astra+SECRET/tok==';
const SLOW_CAP_MS = Number(process.env.PROBE_SLOW_CAP_S ?? 40) * 1000;

const logs: string[] = [];
const upstreams = await startDemoUpstreams();
const env = {
  CRAFTER_PROFILE_URL: upstreams.crafterProfile.baseUrl,
  CRAFTER_PROFILE_ACCESS_TOKEN_ID: DEMO_CREDENTIALS.crafterProfile,
  ASTRA_URL: upstreams.astra.baseUrl,
  ASTRA_API_TOKEN: ASTRA_TOKEN,
  NETBIRD_URL: upstreams.netbird.baseUrl,
  NETBIRD_TOKEN: DEMO_CREDENTIALS.netbird,
  GAMES_URL: upstreams.games.baseUrl,
  GAMES_TOKEN: DEMO_CREDENTIALS.games,
  TOKENGRAPH_API_KEYS: API_KEY,
  PORT: '0',
  LOG_LEVEL: 'trace',
};
const config = readConfig(env);
const tokengraph = await createTokengraph(config, createLogger('trace', { destination: { write: (line: string) => void logs.push(line) } }));
const url = await tokengraph.listen();
const origin = new URL(url).origin;
const { port } = new URL(url);

async function post(query: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}`, ...headers },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, text: await response.text() };
}

const print = (item: string, figures: Record<string, unknown>) =>
  console.log(`${item}: ${Object.entries(figures).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join('  ')}`);

// 1 ------------------------------------------------------------------------------------------
{
  const levels = 24;
  const fragments = Array.from({ length: levels }, (_, i) => `fragment F${i} on Query { ...F${i + 1} ... on Query { ...F${i + 1} } }`);
  const bomb = `query X { ...F0 } ${fragments.join(' ')} fragment F${levels} on Query { __typename }`;
  const started = performance.now();
  const refused = post(bomb).then((r) => ({ ...r, ms: performance.now() - started }));
  // /healthz asked right after: it waits for whatever the bomb holds the event loop for.
  await new Promise((resolve) => setImmediate(resolve));
  const healthStarted = performance.now();
  const health = await fetch(`${origin}/healthz`).then(() => performance.now() - healthStarted);
  const answer = await refused;
  print('1 fragment bomb', {
    bytes: Buffer.byteLength(bomb),
    refusedInMs: Math.round(answer.ms),
    healthzMs: Math.round(health),
    status: answer.status,
    message: (JSON.parse(answer.text) as { errors?: Array<{ message: string }> }).errors?.map((e) => e.message) ?? [],
  });
}

// 2 ------------------------------------------------------------------------------------------
{
  const forms: Array<[string, string]> = [
    ['plain', ASTRA_TOKEN],
    ['percent', encodeURIComponent(ASTRA_TOKEN)],
    ['percent, lower-case hex', encodeURIComponent(ASTRA_TOKEN).replace(/%[0-9A-F]{2}/g, (s) => s.toLowerCase())],
    ['form', new URLSearchParams({ t: ASTRA_TOKEN }).toString().slice(2)],
    ['upper case', ASTRA_TOKEN.toUpperCase()],
    ['base64', Buffer.from(ASTRA_TOKEN).toString('base64')],
    ['base64 inside Basic', Buffer.from(`user:${ASTRA_TOKEN}`).toString('base64')],
    ['json-escaped', JSON.stringify(ASTRA_TOKEN).slice(1, -1).replace(/\//g, '\\/')],
  ];
  const leaked: string[] = [];
  for (const [name, echoed] of forms) {
    upstreams.astra.reset();
    upstreams.astra.inject({
      fault: { kind: 'status', status: 401, contentType: 'application/problem+json', body: JSON.stringify({ type: 'x', title: 'Unauthorized', status: '401', detail: `token ${echoed} is not valid`, correlationID: 'c-1' }) },
    });
    const answer = await post('{ astraToken(accountId: "acme", userId: "ops-admin", tokenId: "astra-demo-1") { name } }');
    if (answer.text.includes(echoed)) leaked.push(name);
  }
  upstreams.astra.reset();
  upstreams.crafterProfile.reset();
  upstreams.crafterProfile.inject({
    fault: { kind: 'status', status: 404, body: JSON.stringify({ errorCode: 'NOT_FOUND', message: `No handler found for GET /crafter-profile/api/1/access_token/all?accessTokenId=${DEMO_CREDENTIALS.crafterProfile.slice(0, 8)}x` }), contentType: 'application/json' },
  });
  const relative = await post('{ crafterAccessTokens { name } }');
  if (relative.text.includes('accessTokenId=')) leaked.push('relative path with ?accessTokenId=');
  upstreams.crafterProfile.reset();
  print('2 encoded echoes', { tried: forms.length + 1, leaked });
}

// 3 ------------------------------------------------------------------------------------------
{
  /** Opens a socket, writes `first`, then one byte a second of `drip`; resolves to how long the server kept it open. */
  const slow = (first: string, drip: string) =>
    new Promise<number>((resolve) => {
      const started = performance.now();
      const socket: Socket = connect(Number(port), '127.0.0.1', () => socket.write(first));
      let i = 0;
      const timer = setInterval(() => {
        if (!socket.destroyed) socket.write(drip[i++ % drip.length]!);
      }, 1000);
      const done = () => {
        clearInterval(timer);
        clearTimeout(cap);
        resolve(performance.now() - started);
      };
      const cap = setTimeout(() => {
        socket.destroy();
        done();
      }, SLOW_CAP_MS);
      socket.on('data', () => {});
      socket.once('close', done);
      socket.on('error', () => {});
    });
  const body = JSON.stringify({ query: '{ __typename }' });
  const [headers, trickledBody, unauthenticated] = await Promise.all([
    slow('POST /graphql HTTP/1.1\r\nHost: x\r\n', 'x-slow: 1\r\n'),
    slow(`POST /graphql HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${API_KEY}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n`, body),
    slow('POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n', body),
  ]);
  const seconds = (ms: number) => (ms >= SLOW_CAP_MS ? `>${SLOW_CAP_MS / 1000}s (cap)` : `${(ms / 1000).toFixed(1)}s`);
  print('3 slow clients, socket kept', { slowHeaders: seconds(headers), slowBody: seconds(trickledBody), unauthenticatedSlowBody: seconds(unauthenticated) });
}

// 4 ------------------------------------------------------------------------------------------
{
  const gc = (globalThis as { gc?: () => void }).gc;
  const heap = () => {
    gc?.();
    gc?.();
    return process.memoryUsage().heapUsed / 2 ** 20;
  };
  const before = heap();
  for (let i = 0; i < 2000; i++) {
    // 16 KB of distinct document: a unique operation name and a comment as padding.
    await post(`query Q${i} { __typename } # ${String(i).padEnd(16 * 1024 - 40, '.')}`);
  }
  const after = heap();
  print('4 memory, 2000 distinct 16 KB documents', { gc: gc ? 'exposed' : 'NOT exposed (run with --expose-gc)', heapBeforeMiB: before.toFixed(1), heapAfterMiB: after.toFixed(1), growthMiB: (after - before).toFixed(1) });
}

// 5 ------------------------------------------------------------------------------------------
{
  for (let i = 0; i < 100; i++) await post(`query Junk${i} { __typename }`);
  await post('query TokenOverview { __typename }');
  const metrics = await fetch(`${origin}/metrics`, { headers: { authorization: `Bearer ${API_KEY}` } }).then((r) => r.text());
  const label = /tokengraph_graphql_requests_total\{operation="TokenOverview"/.test(metrics) ? 'TokenOverview' : 'other';
  const logsBefore = logs.length;
  for (const authorization of ['Bearer wrong-key-0123456789abcdef', '']) {
    await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: '{"query":"{ __typename }"}' });
  }
  const refusedLines = logs.slice(logsBefore).filter((line) => /"level":40/.test(line)).length;
  const refusedCounted = /tokengraph_auth_refused_total/.test(await fetch(`${origin}/metrics`, { headers: { authorization: `Bearer ${API_KEY}` } }).then((r) => r.text()));
  const beforeDisconnect = logs.length;
  await new Promise<void>((resolve) => {
    const socket = connect(Number(port), '127.0.0.1', () => {
      socket.write(`POST /graphql HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${API_KEY}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"query":`);
      setTimeout(() => {
        socket.destroy();
        setTimeout(resolve, 200);
      }, 100);
    });
  });
  const disconnect = logs.slice(beforeDisconnect).map((line) => JSON.parse(line) as { level: number; msg: string; err?: { stack?: string } });
  const level = (n: number) => ({ 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error' })[n] ?? String(n);
  print('5 observability', {
    realOperationLabel: label,
    refusedKeyWarnLines: refusedLines,
    refusedKeysCounted: refusedCounted,
    disconnectMidBody: disconnect.map((line) => `${level(line.level)} "${line.msg}"${line.err?.stack ? ' +stack' : ''}`),
  });
}

// 6 ------------------------------------------------------------------------------------------
{
  upstreams.netbird.reset();
  upstreams.netbird.inject({ fault: { kind: 'hugeHeader', bytes: 100 * 1024 } });
  const answer = await post('{ netbirdToken(userId: "alice", tokenId: "nb-demo-1") { name } }');
  const code = (JSON.parse(answer.text) as { errors?: Array<{ extensions?: { code?: string } }> }).errors?.[0]?.extensions?.code;
  print('6 100 KB upstream header', { code: code ?? 'none', upstreamCalls: upstreams.netbird.calls.length });
}

await tokengraph.close();
await upstreams.close();
process.exit(0);
