/**
 * The one place a request's context is built, for GraphQL over HTTP (http/graphqlRoute.ts) and
 * for stitching (graph/stitching.ts): the request's signal and deadline, its forwarded
 * credentials (read from its headers), its telemetry, and its loaders, one per source, made when
 * the request first asks that source for something. Nothing request-scoped lives at module level.
 */
import { sourceStatuses, type DataSources } from '../datasources/createDataSources.js';
import { createTokenReader } from '../datasources/createTokenReader.js';
import type { CallOptions } from '../datasources/upstreamClient.js';
import { forwardedCredentials } from '../datasources/upstreamCredential.js';
import type { History } from '../history/createHistory.js';
import type { Inventory } from '../inventory/createInventory.js';
import type { RequestTelemetry } from '../observability/requestTelemetry.js';
import type { Context } from '../resolvers/context.js';
import type { Revoker } from '../revocation/createRevoker.js';
import type { Caller } from '../security/apiKeys.js';
import { DEFAULTS, type FindingSettings } from '../config/readConfig.js';
import { DEFAULT_LIMITS } from '../security/limits.js';
import { TokengraphError } from '../shared/errors.js';

export interface RequestScope {
  /** Aborts the request's upstream calls: at its deadline (a TimeoutError reason), or when its client goes away. */
  signal?: AbortSignal;
  /** The request's deadline, epoch ms. */
  deadline?: number;
  /** The incoming request's headers, for forwarded credentials. */
  headers?: Record<string, string | string[] | undefined>;
  telemetry?: RequestTelemetry;
  /** Longest `tokens(refs:)` / `nodes(ids:)` list; default TOKENGRAPH_MAX_LIST_LENGTH's. */
  maxListLength?: number;
  /** Who sent the request (http/); without it, no mutation is allowed. */
  caller?: Caller;
}

/** What a context is built from, once per process. */
export interface ContextParts {
  dataSources: DataSources;
  /** The thresholds of the findings (TOKENGRAPH_EXPIRES_SOON_DAYS, …); default the contract's. */
  findings?: FindingSettings;
  /** The inventory's snapshots; without it, `inventory` fails as not configured. */
  inventory?: Inventory;
  /** Revocation; without it, `revokeTokens` fails as not configured. */
  revoker?: Revoker;
  /** The history; without it, its fields fail as not configured. */
  history?: History;
}

export function createContext({ dataSources, inventory, revoker, history, findings = DEFAULTS.findings }: ContextParts, scope: RequestScope = {}): Context {
  const options: CallOptions = {
    signal: scope.signal,
    deadline: scope.deadline,
    telemetry: scope.telemetry,
    credentials: scope.headers ? forwardedCredentials(dataSources.forwardHeaders, scope.headers) : undefined,
  };
  const reader = createTokenReader(dataSources, options);
  const noHistory = () => new TokengraphError('SOURCE_NOT_CONFIGURED', 'the history is not available here');
  /** Made at the first history field the request asks for. */
  let historyLoaders: ReturnType<History['loaders']> | undefined;
  const loaders = () => {
    if (!history) throw noHistory();
    return (historyLoaders ??= history.loaders(options.signal));
  };
  return {
    load: reader.load as Context['load'],
    crafterAccessTokens: reader.accessTokens,
    inventory: async (refresh) => {
      if (!inventory) throw new TokengraphError('SOURCE_NOT_CONFIGURED', 'the inventory is not available here');
      return inventory.view({ credentials: options.credentials, signal: options.signal, telemetry: options.telemetry, refresh });
    },
    tokenEvents: async (args) => {
      if (!history) throw noHistory();
      return history.events(args, options.signal);
    },
    firstSeenAt: async (token) => loaders().firstSeenAt(token),
    tokenHistory: async (token, first) => loaders().history(token, first),
    mayMutate: scope.caller?.admin ?? false,
    revoke: async (keys, dryRun) => {
      if (!revoker) throw new TokengraphError('SOURCE_NOT_CONFIGURED', 'revocation is not available here');
      return revoker.revoke(keys, {
        dryRun,
        options,
        requestId: scope.telemetry?.requestId,
        keyFingerprint: scope.caller?.keyFingerprint,
        forgetInRequest: reader.forget,
      });
    },
    refuseRevocation: (refs, dryRun, outcome) => {
      revoker?.refuse(refs, {
        outcome,
        dryRun,
        requestId: scope.telemetry?.requestId,
        keyFingerprint: scope.caller?.keyFingerprint,
        maxLines: scope.maxListLength ?? DEFAULT_LIMITS.maxListLength,
      });
    },
    sources: () => sourceStatuses(dataSources),
    maxListLength: scope.maxListLength ?? DEFAULT_LIMITS.maxListLength,
    findingSettings: findings,
    telemetry: scope.telemetry,
  };
}
