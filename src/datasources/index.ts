/**
 * The upstream APIs of one tokengraph process, built once from configuration. A source
 * whose base URL is not set is absent; context.ts turns that into `SOURCE_NOT_CONFIGURED`.
 */
import type { Config, SourceConfig } from '../config.js';
import { AstraAPI } from './astra.js';
import { CrafterProfileAPI } from './crafterProfile.js';
import { GamesAPI } from './games.js';
import { NetbirdAPI } from './netbird.js';
import { UpstreamClient } from './upstreamClient.js';

export interface DataSources {
  crafterProfile?: CrafterProfileAPI;
  astra?: AstraAPI;
  netbird?: NetbirdAPI;
  games?: GamesAPI;
  /** Closes every connection pool. */
  close(): Promise<void>;
}

const ACCEPT_JSON = 'application/json';
const ACCEPT_JSON_OR_XML = 'application/json, text/json;q=0.9, application/xml;q=0.8, text/xml;q=0.8';

export function createDataSources(config: Config): DataSources {
  const clients: UpstreamClient[] = [];
  const client = (source: SourceConfig, headers: Record<string, string>) => {
    const created = new UpstreamClient({
      baseUrl: source.baseUrl,
      timeoutMs: source.timeoutMs,
      maxBodyBytes: config.maxUpstreamBodyBytes,
      headers: { 'user-agent': 'tokengraph', ...headers },
    });
    clients.push(created);
    return created;
  };
  const { crafterProfile, astra, netbird, games } = config;
  return {
    crafterProfile:
      crafterProfile &&
      new CrafterProfileAPI({ client: client(crafterProfile, { accept: ACCEPT_JSON }), accessTokenId: crafterProfile.credential }),
    astra:
      astra &&
      new AstraAPI({
        client: client(astra, { accept: ACCEPT_JSON, authorization: `Bearer ${astra.credential}` }),
        apiToken: astra.credential,
      }),
    netbird: netbird && new NetbirdAPI(client(netbird, { accept: ACCEPT_JSON, authorization: `Token ${netbird.credential}` })),
    games: games && new GamesAPI(client(games, { accept: ACCEPT_JSON_OR_XML, authorization: `Bearer ${games.credential}` })),
    close: async () => {
      await Promise.all(clients.map((c) => c.close()));
    },
  };
}
