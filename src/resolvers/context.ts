/**
 * What every resolver gets from its request (graph/createContext.ts builds it, once per GraphQL
 * request): the request's loaders behind one `load`, so one request's answers (or failures) are
 * never served to another, and each distinct upstream resource is read once per request.
 */
import type { SourceStatus } from '../datasources/createDataSources.js';
import type { CrafterAccessTokenModel, ModelOf, TokenModel } from '../datasources/models.js';
import type { EventArgs, TokenEventPage } from '../history/eventQuery.js';
import type { TokenEventRow } from '../history/historyRepository.js';
import type { FindingSettings } from '../inventory/findings.js';
import type { InventoryView } from '../inventory/inventoryPage.js';
import type { RequestTelemetry } from '../observability/requestTelemetry.js';
import type { RefKey, RevokeResultModel } from '../revocation/createRevoker.js';
import type { TokenRefInput } from '../security/tokenRefs.js';
import type { SourceName, TokenKey } from '../sources.js';


export interface Context {
  /**
   * The token `key` names, or `null` when its upstream does not know it; rejects with the
   * contract's error for its source (`SOURCE_NOT_CONFIGURED` when it has no base URL).
   */
  load<S extends SourceName>(key: TokenKey & { source: S }): Promise<ModelOf<S> | null>;
  /** Every Crafter access token, from the request's one `access_token/all` call. */
  crafterAccessTokens(): Promise<CrafterAccessTokenModel[]>;
  /** The inventory's snapshot for this request's credentials (read anew with `refresh`). */
  inventory(refresh: boolean): Promise<InventoryView>;
  /** A page of the history (contract §12); UPSTREAM_UNAVAILABLE while its database opens. */
  tokenEvents(args: EventArgs): Promise<TokenEventPage>;
  /** When the history first saw `token`, batched per request; null before any history of it. */
  firstSeenAt(token: TokenModel): Promise<string | null>;
  /** `token`'s newest `first` events, newest first, batched per request. */
  tokenHistory(token: TokenModel, first: number | null | undefined): Promise<TokenEventRow[]>;
  /** Whether the caller may run mutations: an admin key (TOKENGRAPH_ADMIN_API_KEYS), or anyone in demo mode without them. */
  mayMutate: boolean;
  /** Revokes the tokens `keys` name (with `dryRun`, only reads them), one result per key, in order (contract §9). */
  revoke(keys: readonly RefKey[], dryRun: boolean): Promise<RevokeResultModel[]>;
  /** Audits an attempt to revoke `refs` refused before anything is read: the caller may not (FORBIDDEN), or the refs are bad (BAD_USER_INPUT). */
  refuseRevocation(refs: readonly TokenRefInput[], dryRun: boolean, outcome: 'FORBIDDEN' | 'BAD_USER_INPUT'): void;
  /** Every source's configuration and health; no upstream call. */
  sources(): SourceStatus[];
  /** Longest `tokens(refs:)` / `nodes(ids:)` list (TOKENGRAPH_MAX_LIST_LENGTH). */
  maxListLength: number;
  /** The thresholds of the findings (TOKENGRAPH_EXPIRES_SOON_DAYS, …). */
  findingSettings: FindingSettings;
  /** What this request did, for its log line and metrics. */
  telemetry?: RequestTelemetry;
}
