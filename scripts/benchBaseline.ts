/**
 * `npm run bench`'s raw baseline: the least any server could do for a workload. A plain
 * `node:http` handler (`GET /<workload>`) that fetches the workload's distinct upstream
 * resources in parallel with tokengraph's own `UpstreamClient` (same undici keep-alive
 * pools, same sizes, same headers), parses each JSON body and answers with the records as
 * JSON: no GraphQL, no validation, no resilience policies, no logging.
 *
 * `GET /inventory` is the floor of `npm run bench:inventory`'s full read: the same list calls as
 * contract §7 (from the same settings: ASTRA_ACCOUNT_IDS, TOKENGRAPH_WATCH, service users), at most
 * the bulkhead's number at once per source, each body parsed; it answers the number of tokens.
 */
import { createServer } from 'node:http';
import pLimit from 'p-limit';
import type { AddressInfo } from 'node:net';
import { readConfig, type UpstreamConfig } from '../src/config/readConfig.js';
import type { DemoTokenRef } from '../src/demo/demoData.js';
import type { SourceName } from '../src/sources.js';
import { UpstreamClient } from '../src/datasources/upstreamClient.js';
import { send, serveStats } from './benchChild.js';
import { WORKLOADS, resourceKey } from './benchWorkloads.js';

const config = readConfig(process.env);
const client = (upstream: UpstreamConfig | undefined, sources: number, headers: Record<string, string>) => {
  if (!upstream) throw new Error('the baseline needs every *_URL');
  return new UpstreamClient({
    baseUrl: upstream.baseUrl,
    timeoutMs: upstream.timeoutMs,
    maxBodyBytes: config.limits.maxUpstreamBodyBytes,
    bodyTimeoutMs: config.limits.upstreamBodyTimeoutMs,
    connections: upstream.resilience.maxConcurrency * sources,
    headers: { 'user-agent': 'tokengraph', accept: 'application/json', ...headers },
  });
};
const { crafterProfile: crafterConfig, astra: astraConfig, netbird: netbirdConfig, games: gamesConfig } = config.upstreams;
const crafter = client(crafterConfig, 2, {});
const astra = client(astraConfig, 1, { authorization: `Bearer ${astraConfig?.credential}` });
const netbird = client(netbirdConfig, 1, { authorization: `Token ${netbirdConfig?.credential}` });
const games = client(gamesConfig, 1, { authorization: `Bearer ${gamesConfig?.credential}` });
const crafterQuery = { accessTokenId: crafterConfig?.credential ?? '' };

async function fetchJson(upstream: UpstreamClient, source: SourceName, segments: string[], query?: Record<string, string>): Promise<unknown> {
  const response = await upstream.get(source, segments, query ? { query } : {});
  if (response.status === 404) return null;
  if (response.status < 200 || response.status > 299) throw new Error(`${source} answered ${response.status}`);
  return JSON.parse(response.body);
}

function fetchResource(ref: DemoTokenRef): Promise<unknown> {
  switch (ref.source) {
    case 'CRAFTER_TICKET':
      return fetchJson(crafter, ref.source, ['api', '1', 'authentication', 'ticket', ref.tokenId], crafterQuery);
    case 'CRAFTER_ACCESS_TOKEN':
      return fetchJson(crafter, ref.source, ['api', '1', 'access_token', 'all'], crafterQuery);
    case 'ASTRA':
      return fetchJson(astra, ref.source, ['accounts', ref.accountId!, 'core', 'v1', 'users', ref.userId!, 'tokens', ref.tokenId]);
    case 'NETBIRD':
      return fetchJson(netbird, ref.source, ['api', 'users', ref.userId!, 'tokens', ref.tokenId]);
    case 'GAME':
      return fetchJson(games, ref.source, ['v1', 'tokens', ref.tokenId]);
  }
}

/** Every token the upstreams list, read as tokengraph's inventory reads them; how many there are. */
async function rawInventory(): Promise<number> {
  const limit = (upstream: UpstreamConfig | undefined) => pLimit(upstream?.resilience.maxConcurrency ?? 1);
  const [netbirdLimit, astraLimit, gamesLimit] = [limit(netbirdConfig), limit(astraConfig), limit(gamesConfig)];
  const netbirdCall = (segments: string[], query?: Record<string, string>) => netbirdLimit(() => fetchJson(netbird, 'NETBIRD', segments, query));
  const astraPages = async (segments: string[]): Promise<Array<{ id: string }>> => {
    const items: Array<{ id: string }> = [];
    let next: string | undefined;
    do {
      const page = (await astraLimit(() => fetchJson(astra, 'ASTRA', segments, next ? { continue: next } : undefined))) as { items: Array<{ id: string }>; metadata?: { continue?: string } };
      items.push(...page.items);
      next = page.metadata?.continue;
    } while (next);
    return items;
  };
  const readNetbird = async () => {
    const [current, service] = await Promise.all([netbirdCall(['api', 'users', 'current']), netbirdCall(['api', 'users'], { service_user: 'true' })]);
    const users = new Set([(current as { id: string }).id, ...(service as Array<{ id: string }>).map((u) => u.id)]);
    const lists = await Promise.all([...users].map((id) => netbirdCall(['api', 'users', id, 'tokens'])));
    return lists.reduce((sum: number, list) => sum + ((list as unknown[] | null)?.length ?? 0), 0);
  };
  const readAstra = async () => {
    const accounts = await Promise.all(
      config.inventory.astraAccountIds.map(async (accountId) => {
        const users = await astraPages(['accounts', accountId, 'core', 'v1', 'users']);
        const lists = await Promise.all(users.map((user) => astraPages(['accounts', accountId, 'core', 'v1', 'users', user.id, 'tokens'])));
        return lists.reduce((sum, list) => sum + list.length, 0);
      }),
    );
    return accounts.reduce((sum, n) => sum + n, 0);
  };
  const readGames = async () => {
    const watched = config.inventory.watch.filter((key) => key.source === 'GAME');
    const found = await Promise.all(watched.map((key) => gamesLimit(() => fetchJson(games, 'GAME', ['v1', 'tokens', key.tokenId]))));
    return found.filter((token) => token !== null).length;
  };
  const readCrafter = async () => ((await fetchJson(crafter, 'CRAFTER_ACCESS_TOKEN', ['api', '1', 'access_token', 'all'], crafterQuery)) as unknown[]).length;
  const counts = await Promise.all([readCrafter(), readNetbird(), readAstra(), readGames()]);
  return counts.reduce((sum, n) => sum + n, 0);
}

type AccessToken = { id: string } & Record<string, unknown>;
/** A Crafter access token without its id, which is a credential. */
const withoutId = ({ id: _, ...rest }: AccessToken) => rest;

const LIST: DemoTokenRef = { source: 'CRAFTER_ACCESS_TOKEN', tokenId: '' };

async function answer(name: string): Promise<unknown> {
  if (name === 'inventory') return { tokens: await rawInventory() };
  const workload = WORKLOADS.find((w) => w.name === name);
  if (!workload) return undefined;
  const fetched = new Map<string, Promise<unknown>>();
  const load = (ref: DemoTokenRef) => {
    const key = resourceKey(ref);
    let promise = fetched.get(key);
    if (!promise) fetched.set(key, (promise = fetchResource(ref)));
    return promise;
  };
  const tokens = await Promise.all(
    workload.refs.map(async (ref) => {
      const value = await load(ref);
      if (ref.source !== 'CRAFTER_ACCESS_TOKEN') return value;
      const found = (value as AccessToken[]).find((t) => t.id === ref.tokenId);
      return found ? withoutId(found) : null;
    }),
  );
  const list = workload.withAccessTokenList ? ((await load(LIST)) as AccessToken[]).map(withoutId) : undefined;
  return { data: list ? { list, tokens } : { tokens } };
}

const server = createServer((req, res) => {
  answer((req.url ?? '/').slice(1)).then(
    (body) => {
      res.statusCode = body === undefined ? 404 : 200;
      res.setHeader('content-type', 'application/json; charset=utf-8');
      res.end(JSON.stringify(body ?? { error: 'no such workload' }));
    },
    (error: unknown) => {
      res.statusCode = 502;
      res.setHeader('content-type', 'application/json; charset=utf-8');
      res.end(JSON.stringify({ error: String(error) }));
    },
  );
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  serveStats(server, async () => {
    server.close();
    await Promise.all([crafter, astra, netbird, games].map((c) => c.close()));
  });
  send({ type: 'ready', url: `http://127.0.0.1:${port}` });
});
