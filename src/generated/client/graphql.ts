/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/**
 * The state of a source's circuit breaker: whether tokengraph is calling the upstream
 * right now.
 */
export type CircuitState =
  /** Calls go through normally. */
  | 'CLOSED'
  /** One probe call is allowed through; its success closes the circuit, its failure opens it again. */
  | 'HALF_OPEN'
  /** Held open by an operator. */
  | 'ISOLATED'
  /** The upstream failed repeatedly: its fields fail at once with `UPSTREAM_UNAVAILABLE`, without calling it, until a probe is allowed. */
  | 'OPEN';

/** What became of one token `revokeTokens` was asked to revoke. */
export type RevokeOutcome =
  /** The read or the revocation failed (`code` says how). After UPSTREAM_TIMEOUT the outcome is unknown: read the token before trying again. */
  | 'FAILED'
  /** The upstream does not know it (when read, or when asked to revoke it): nothing to revoke. */
  | 'NOT_FOUND'
  /** tokengraph will not revoke it: it is the credential tokengraph calls its upstream with (`code` FORBIDDEN). */
  | 'REFUSED'
  /** The upstream revoked it. */
  | 'REVOKED'
  /** Its upstream documents no way to revoke a token (games tokens); no call was made. */
  | 'UNSUPPORTED'
  /** A dry run: it exists and would be revoked. */
  | 'WOULD_REVOKE';

/** Which events a `tokenEvents` page keeps: every condition given must hold (AND). */
export type TokenEventFilter = {
  /** The event's kind is one of these. */
  kinds?: Array<TokenEventKind> | null | undefined;
  /** `at` is this or later. */
  since?: string | null | undefined;
  /** The event's source is one of these. */
  sources?: Array<TokenSource> | null | undefined;
  /** The token's global id (`Token.id`, or `TokenEvent.token`). */
  token?: string | number | null | undefined;
  /** `at` is earlier than this. */
  until?: string | null | undefined;
};

/** What happened to a token, as tokengraph saw it (its history). */
export type TokenEventKind =
  /** A complete read of a part (a NetBird user's tokens, an Astra account, the Crafter list, a watched reference) listed the token and no earlier read had; the first read of a part records all its tokens so. */
  | 'APPEARED'
  /** `name`, `owner` or `expiresAt` differ from the previous complete read; `detail` says which, old → new. */
  | 'CHANGED'
  /** A complete read no longer listed a token an earlier complete read did. A read that failed never makes one: the token is then unknown, not gone. */
  | 'DISAPPEARED'
  /** The token's status turned `EXPIRED` since the previous complete read. */
  | 'EXPIRED'
  /** `revokeTokens` revoked it; `detail` is the request id, `actor` the API key's fingerprint. */
  | 'REVOKED';

/**
 * Which tokens an inventory page keeps: every condition given must hold (AND). A filter with
 * no conditions keeps every token.
 */
export type TokenFilter = {
  /** `expiresAt` is set and this or later. */
  expiresAfter?: string | null | undefined;
  /** `expiresAt` is set and earlier than this. */
  expiresBefore?: string | null | undefined;
  /** The token has any of these findings, judged at the time of the request. */
  findings?: Array<TokenFinding> | null | undefined;
  /** `lastUsedAt` is `null` (never used, or not recorded) or earlier than this: not used since then. */
  lastUsedBefore?: string | null | undefined;
  /** `owner` equals this exactly. At most 256 characters. */
  owner?: string | null | undefined;
  /** A case-insensitive part of `name`, `owner` or `tokenId` (as shown, so masked where it is secret). At most 256 characters. */
  search?: string | null | undefined;
  /** The token's source is one of these. */
  sources?: Array<TokenSource> | null | undefined;
  /** The token's status, at the time of the request, is one of these. */
  status?: Array<TokenStatus> | null | undefined;
};

/**
 * What a security team asks first of a token, judged from the inventory at the time of the
 * request and never stored. Thresholds are settings: TOKENGRAPH_EXPIRES_SOON_DAYS (default 14),
 * TOKENGRAPH_MAX_LIFETIME_DAYS (365) and TOKENGRAPH_UNUSED_DAYS (90).
 */
export type TokenFinding =
  /** The token has expired (`status` is `EXPIRED`). */
  | 'EXPIRED'
  /** The token expires within TOKENGRAPH_EXPIRES_SOON_DAYS: now <= `expiresAt` < now + that many days. */
  | 'EXPIRES_SOON'
  /** The token lives longer than TOKENGRAPH_MAX_LIFETIME_DAYS: `expiresAt` - `createdAt` is more than that many days. */
  | 'LONG_LIVED'
  /** A Crafter master access token: full access to every tenant. */
  | 'MASTER'
  /** The upstream says the token has no expiry (`status` is `NEVER_EXPIRES`): it stays valid until revoked. */
  | 'NEVER_EXPIRES'
  /** Its source reports last use (NetBird does), it has never been used (`lastUsedAt` is null), and it was created more than 7 days ago. */
  | 'NEVER_USED'
  /** Its owner is blocked or not active upstream (NetBird's users list says `is_blocked`, or a `status` other than `active`). */
  | 'OWNER_INACTIVE'
  /** Its source reports last use (NetBird does) and it has not been used for TOKENGRAPH_UNUSED_DAYS: `lastUsedAt` is older. */
  | 'UNUSED';

/**
 * A reference to one upstream token: its source, its upstream identifier and the context
 * the source needs to find it.
 */
export type TokenRef = {
  /** The Astra account that holds the token; required for `ASTRA`, ignored otherwise. */
  accountId?: string | null | undefined;
  /** The upstream API that holds the token. */
  source: TokenSource;
  /** The upstream's identifier of the token (for `CRAFTER_ACCESS_TOKEN`, the real access-token id). */
  tokenId: string;
  /** The user the token belongs to; required for `ASTRA` and `NETBIRD`, ignored otherwise. */
  userId?: string | null | undefined;
};

/** The upstream API (and, for Crafter Profile, the endpoint) a token comes from. */
export type TokenSource =
  /** A NetApp Astra Control API token (`GET /accounts/{accountId}/core/v1/users/{userId}/tokens/{tokenId}`). */
  | 'ASTRA'
  /** A Crafter Profile application access token (`GET /api/1/access_token/all`). */
  | 'CRAFTER_ACCESS_TOKEN'
  /** A Crafter Profile authentication ticket (`GET /api/1/authentication/ticket/{ticketId}`). */
  | 'CRAFTER_TICKET'
  /** A games platform token (`GET /v1/tokens/{tokenId}`). */
  | 'GAME'
  /** A NetBird personal access token (`GET /api/users/{userId}/tokens/{tokenId}`). */
  | 'NETBIRD';

/** Whether a token is still valid at the time of the request: from its expiry, or from its upstream's own rule. */
export type TokenStatus =
  /** `expiresAt` is in the future (or, for a Crafter ticket, which has no expiry, Crafter still returns it: it is live). */
  | 'ACTIVE'
  /** `expiresAt` is now or in the past. */
  | 'EXPIRED'
  /** The upstream says the token has no expiry: every Astra API token (valid until revoked), a Crafter access token whose `expiresOn` is null. `expiresAt` is null; it sorts with the nulls. */
  | 'NEVER_EXPIRES'
  /** An expiry exists but is not known: the upstream did not send it, or its value could not be read. */
  | 'UNKNOWN';

export type CrafterTicketExampleQueryVariables = Exact<{
  ticketId: string;
}>;


export type CrafterTicketExampleQuery = { crafterTicket: { id: string, tokenId: string, tenant: string, profileId: string, owner: string | null, lastUsedAt: string | null, status: TokenStatus } | null };

export type CrafterAccessTokensExampleQueryVariables = Exact<{ [key: string]: never; }>;


export type CrafterAccessTokensExampleQuery = { crafterAccessTokens: Array<{ id: string, tokenId: string, name: string | null, master: boolean, expiresAt: string | null, status: TokenStatus, tenantPermissions: Array<{ tenant: string, allowedActions: Array<string> }> }> | null };

export type AstraTokenExampleQueryVariables = Exact<{ [key: string]: never; }>;


export type AstraTokenExampleQuery = { astraToken: { id: string, name: string | null, owner: string | null, createdAt: string | null, modifiedAt: string | null, status: TokenStatus, labels: Array<{ name: string, value: string }> } | null };

export type NetbirdTokenExampleQueryVariables = Exact<{ [key: string]: never; }>;


export type NetbirdTokenExampleQuery = { netbirdToken: { id: string, name: string | null, owner: string | null, createdBy: string | null, createdAt: string | null, lastUsedAt: string | null, expiresAt: string | null, status: TokenStatus } | null };

export type GameTokenExampleQueryVariables = Exact<{ [key: string]: never; }>;


export type GameTokenExampleQuery = { gameToken: { id: string, name: string | null, owner: string | null, gameSourceId: string | null, reason: string | null, createdAt: string | null, expiresAt: string | null, status: TokenStatus } | null };

export type MixedTokensExampleQueryVariables = Exact<{
  ticketId: string;
  accessTokenId: string;
}>;


export type MixedTokensExampleQuery = { tokens: Array<
    | { __typename: 'AstraToken', id: string, source: TokenSource, tokenId: string, name: string | null, owner: string | null, expiresAt: string | null, status: TokenStatus }
    | { __typename: 'CrafterAccessToken', id: string, source: TokenSource, tokenId: string, name: string | null, owner: string | null, expiresAt: string | null, status: TokenStatus }
    | { __typename: 'CrafterTicket', id: string, source: TokenSource, tokenId: string, name: string | null, owner: string | null, expiresAt: string | null, status: TokenStatus }
    | { __typename: 'GameToken', id: string, source: TokenSource, tokenId: string, name: string | null, owner: string | null, expiresAt: string | null, status: TokenStatus }
    | { __typename: 'NetbirdPAT', id: string, source: TokenSource, tokenId: string, name: string | null, owner: string | null, expiresAt: string | null, status: TokenStatus }
   | null> | null };

export type NodeRefetchExampleQueryVariables = Exact<{ [key: string]: never; }>;


export type NodeRefetchExampleQuery = { node:
    | { source: TokenSource, name: string | null, lastUsedAt: string | null, status: TokenStatus, id: string }
    | { source: TokenSource, name: string | null, lastUsedAt: string | null, status: TokenStatus, id: string }
    | { source: TokenSource, name: string | null, lastUsedAt: string | null, status: TokenStatus, id: string }
    | { source: TokenSource, name: string | null, lastUsedAt: string | null, status: TokenStatus, id: string }
    | { source: TokenSource, name: string | null, lastUsedAt: string | null, status: TokenStatus, id: string }
   | null };

export type ExpiringSoonExampleQueryVariables = Exact<{ [key: string]: never; }>;


export type ExpiringSoonExampleQuery = { crafterAccessTokens: Array<{ name: string | null, expiresAt: string | null, status: TokenStatus }> | null, tokens: Array<
    | { source: TokenSource, name: string | null, owner: string | null, expiresAt: string | null, status: TokenStatus }
    | { source: TokenSource, name: string | null, owner: string | null, expiresAt: string | null, status: TokenStatus }
    | { source: TokenSource, name: string | null, owner: string | null, expiresAt: string | null, status: TokenStatus }
    | { source: TokenSource, name: string | null, owner: string | null, expiresAt: string | null, status: TokenStatus }
    | { source: TokenSource, name: string | null, owner: string | null, expiresAt: string | null, status: TokenStatus }
   | null> | null, sources: Array<{ source: TokenSource, circuit: CircuitState | null, lastErrorCode: string | null }> };

export type RevokeDryRunExampleMutationVariables = Exact<{
  accessTokenId: string;
}>;


export type RevokeDryRunExampleMutation = { revokeTokens: Array<{ source: TokenSource, tokenId: string, outcome: RevokeOutcome, code: string | null, message: string | null, token:
      | { name: string | null, owner: string | null, expiresAt: string | null }
      | { name: string | null, owner: string | null, expiresAt: string | null }
      | { name: string | null, owner: string | null, expiresAt: string | null }
      | { name: string | null, owner: string | null, expiresAt: string | null }
      | { name: string | null, owner: string | null, expiresAt: string | null }
     | null }> | null };

export type RecentChangesQueryVariables = Exact<{
  filter?: TokenEventFilter | null | undefined;
  after?: string | null | undefined;
  withCount?: boolean;
  token?: string | number | null | undefined;
  withToken?: boolean;
}>;


export type RecentChangesQuery = { tokenEvents: { totalCount?: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ at: string, kind: TokenEventKind, source: TokenSource, tokenId: string, token: string, name: string | null, owner: string | null, detail: string | null, actor: string | null }> } | null, tokenHistory?: { nodes: Array<{ at: string, kind: TokenEventKind, detail: string | null, actor: string | null }> } | null };

export type RecentChangesPageFragment = { pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ at: string, kind: TokenEventKind, source: TokenSource, tokenId: string, token: string, name: string | null, owner: string | null, detail: string | null, actor: string | null }> };

export type HistoryEventFragment = { at: string, kind: TokenEventKind, detail: string | null, actor: string | null };

export type RevokeTokensMutationVariables = Exact<{
  refs: Array<TokenRef> | TokenRef;
  dryRun: boolean;
}>;


export type RevokeTokensMutation = { revokeTokens: Array<{ source: TokenSource, tokenId: string, outcome: RevokeOutcome, code: string | null, message: string | null, token:
      | { id: string, name: string | null, owner: string | null }
      | { id: string, name: string | null, owner: string | null }
      | { id: string, name: string | null, owner: string | null }
      | { id: string, name: string | null, owner: string | null }
      | { id: string, name: string | null, owner: string | null }
     | null }> | null };

export type TokenOverviewQueryVariables = Exact<{
  filter?: TokenFilter | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
  refresh?: boolean | null | undefined;
  watch: Array<TokenRef> | TokenRef;
  withCounts?: boolean;
  countFilter?: TokenFilter | null | undefined;
  withHistory?: boolean;
  withChanges?: boolean;
  changesFilter?: TokenEventFilter | null | undefined;
}>;


export type TokenOverviewQuery = { inventory: { totalCount: number, collectedAt: string, gaps: Array<{ source: TokenSource, code: string, count: number, scopes: Array<string>, message: string }>, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<
      | { accountId: string, userId: string, id: string, source: TokenSource, tokenId: string, name: string | null, owner: string | null, createdAt: string | null, lastUsedAt: string | null, expiresAt: string | null, status: TokenStatus, findings: Array<TokenFinding>, firstSeenAt?: string | null, history?: Array<{ at: string, kind: TokenEventKind, detail: string | null, actor: string | null }> | null }
      | { id: string, source: TokenSource, tokenId: string, name: string | null, owner: string | null, createdAt: string | null, lastUsedAt: string | null, expiresAt: string | null, status: TokenStatus, findings: Array<TokenFinding>, firstSeenAt?: string | null, history?: Array<{ at: string, kind: TokenEventKind, detail: string | null, actor: string | null }> | null }
      | { id: string, source: TokenSource, tokenId: string, name: string | null, owner: string | null, createdAt: string | null, lastUsedAt: string | null, expiresAt: string | null, status: TokenStatus, findings: Array<TokenFinding>, firstSeenAt?: string | null, history?: Array<{ at: string, kind: TokenEventKind, detail: string | null, actor: string | null }> | null }
      | { id: string, source: TokenSource, tokenId: string, name: string | null, owner: string | null, createdAt: string | null, lastUsedAt: string | null, expiresAt: string | null, status: TokenStatus, findings: Array<TokenFinding>, firstSeenAt?: string | null, history?: Array<{ at: string, kind: TokenEventKind, detail: string | null, actor: string | null }> | null }
      | { userId: string, id: string, source: TokenSource, tokenId: string, name: string | null, owner: string | null, createdAt: string | null, lastUsedAt: string | null, expiresAt: string | null, status: TokenStatus, findings: Array<TokenFinding>, firstSeenAt?: string | null, history?: Array<{ at: string, kind: TokenEventKind, detail: string | null, actor: string | null }> | null }
    > } | null, findingScope?: { findingCounts: Array<{ finding: TokenFinding, count: number }>, gaps: Array<{ source: TokenSource }> } | null, recentChanges?: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ at: string, kind: TokenEventKind, source: TokenSource, tokenId: string, token: string, name: string | null, owner: string | null, detail: string | null, actor: string | null }> } | null, tokens: Array<
    | { accountId: string, userId: string, id: string, source: TokenSource, tokenId: string, name: string | null, owner: string | null, createdAt: string | null, lastUsedAt: string | null, expiresAt: string | null, status: TokenStatus, findings: Array<TokenFinding>, firstSeenAt?: string | null, history?: Array<{ at: string, kind: TokenEventKind, detail: string | null, actor: string | null }> | null }
    | { id: string, source: TokenSource, tokenId: string, name: string | null, owner: string | null, createdAt: string | null, lastUsedAt: string | null, expiresAt: string | null, status: TokenStatus, findings: Array<TokenFinding>, firstSeenAt?: string | null, history?: Array<{ at: string, kind: TokenEventKind, detail: string | null, actor: string | null }> | null }
    | { id: string, source: TokenSource, tokenId: string, name: string | null, owner: string | null, createdAt: string | null, lastUsedAt: string | null, expiresAt: string | null, status: TokenStatus, findings: Array<TokenFinding>, firstSeenAt?: string | null, history?: Array<{ at: string, kind: TokenEventKind, detail: string | null, actor: string | null }> | null }
    | { id: string, source: TokenSource, tokenId: string, name: string | null, owner: string | null, createdAt: string | null, lastUsedAt: string | null, expiresAt: string | null, status: TokenStatus, findings: Array<TokenFinding>, firstSeenAt?: string | null, history?: Array<{ at: string, kind: TokenEventKind, detail: string | null, actor: string | null }> | null }
    | { userId: string, id: string, source: TokenSource, tokenId: string, name: string | null, owner: string | null, createdAt: string | null, lastUsedAt: string | null, expiresAt: string | null, status: TokenStatus, findings: Array<TokenFinding>, firstSeenAt?: string | null, history?: Array<{ at: string, kind: TokenEventKind, detail: string | null, actor: string | null }> | null }
   | null> | null };

type TokenRow_AstraToken_Fragment = { accountId: string, userId: string, id: string, source: TokenSource, tokenId: string, name: string | null, owner: string | null, createdAt: string | null, lastUsedAt: string | null, expiresAt: string | null, status: TokenStatus, findings: Array<TokenFinding>, firstSeenAt?: string | null, history?: Array<{ at: string, kind: TokenEventKind, detail: string | null, actor: string | null }> | null };

type TokenRow_CrafterAccessToken_Fragment = { id: string, source: TokenSource, tokenId: string, name: string | null, owner: string | null, createdAt: string | null, lastUsedAt: string | null, expiresAt: string | null, status: TokenStatus, findings: Array<TokenFinding>, firstSeenAt?: string | null, history?: Array<{ at: string, kind: TokenEventKind, detail: string | null, actor: string | null }> | null };

type TokenRow_CrafterTicket_Fragment = { id: string, source: TokenSource, tokenId: string, name: string | null, owner: string | null, createdAt: string | null, lastUsedAt: string | null, expiresAt: string | null, status: TokenStatus, findings: Array<TokenFinding>, firstSeenAt?: string | null, history?: Array<{ at: string, kind: TokenEventKind, detail: string | null, actor: string | null }> | null };

type TokenRow_GameToken_Fragment = { id: string, source: TokenSource, tokenId: string, name: string | null, owner: string | null, createdAt: string | null, lastUsedAt: string | null, expiresAt: string | null, status: TokenStatus, findings: Array<TokenFinding>, firstSeenAt?: string | null, history?: Array<{ at: string, kind: TokenEventKind, detail: string | null, actor: string | null }> | null };

type TokenRow_NetbirdPAT_Fragment = { userId: string, id: string, source: TokenSource, tokenId: string, name: string | null, owner: string | null, createdAt: string | null, lastUsedAt: string | null, expiresAt: string | null, status: TokenStatus, findings: Array<TokenFinding>, firstSeenAt?: string | null, history?: Array<{ at: string, kind: TokenEventKind, detail: string | null, actor: string | null }> | null };

export type TokenRowFragment =
  | TokenRow_AstraToken_Fragment
  | TokenRow_CrafterAccessToken_Fragment
  | TokenRow_CrafterTicket_Fragment
  | TokenRow_GameToken_Fragment
  | TokenRow_NetbirdPAT_Fragment
;

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const RecentChangesPageFragmentDoc = new TypedDocumentString(`
    fragment RecentChangesPage on TokenEventConnection {
  pageInfo {
    hasNextPage
    endCursor
  }
  nodes {
    at
    kind
    source
    tokenId
    token
    name
    owner
    detail
    actor
  }
}
    `, {"fragmentName":"RecentChangesPage"}) as unknown as TypedDocumentString<RecentChangesPageFragment, unknown>;
export const HistoryEventFragmentDoc = new TypedDocumentString(`
    fragment HistoryEvent on TokenEvent {
  at
  kind
  detail
  actor
}
    `, {"fragmentName":"HistoryEvent"}) as unknown as TypedDocumentString<HistoryEventFragment, unknown>;
export const TokenRowFragmentDoc = new TypedDocumentString(`
    fragment TokenRow on Token {
  id
  source
  tokenId
  name
  owner
  createdAt
  lastUsedAt
  expiresAt
  status
  findings
  firstSeenAt @include(if: $withHistory)
  history(first: 20) @include(if: $withHistory) {
    ...HistoryEvent
  }
  ... on AstraToken {
    accountId
    userId
  }
  ... on NetbirdPAT {
    userId
  }
}
    fragment HistoryEvent on TokenEvent {
  at
  kind
  detail
  actor
}`, {"fragmentName":"TokenRow"}) as unknown as TypedDocumentString<TokenRowFragment, unknown>;
export const CrafterTicketExampleDocument = new TypedDocumentString(`
    query CrafterTicketExample($ticketId: String!) {
  crafterTicket(id: $ticketId) {
    id
    tokenId
    tenant
    profileId
    owner
    lastUsedAt
    status
  }
}
    `) as unknown as TypedDocumentString<CrafterTicketExampleQuery, CrafterTicketExampleQueryVariables>;
export const CrafterAccessTokensExampleDocument = new TypedDocumentString(`
    query CrafterAccessTokensExample {
  crafterAccessTokens {
    id
    tokenId
    name
    master
    tenantPermissions {
      tenant
      allowedActions
    }
    expiresAt
    status
  }
}
    `) as unknown as TypedDocumentString<CrafterAccessTokensExampleQuery, CrafterAccessTokensExampleQueryVariables>;
export const AstraTokenExampleDocument = new TypedDocumentString(`
    query AstraTokenExample {
  astraToken(accountId: "acme", userId: "ops-admin", tokenId: "astra-demo-1") {
    id
    name
    owner
    createdAt
    modifiedAt
    labels {
      name
      value
    }
    status
  }
}
    `) as unknown as TypedDocumentString<AstraTokenExampleQuery, AstraTokenExampleQueryVariables>;
export const NetbirdTokenExampleDocument = new TypedDocumentString(`
    query NetbirdTokenExample {
  netbirdToken(userId: "alice", tokenId: "nb-demo-1") {
    id
    name
    owner
    createdBy
    createdAt
    lastUsedAt
    expiresAt
    status
  }
}
    `) as unknown as TypedDocumentString<NetbirdTokenExampleQuery, NetbirdTokenExampleQueryVariables>;
export const GameTokenExampleDocument = new TypedDocumentString(`
    query GameTokenExample {
  gameToken(id: "game-demo-1") {
    id
    name
    owner
    gameSourceId
    reason
    createdAt
    expiresAt
    status
  }
}
    `) as unknown as TypedDocumentString<GameTokenExampleQuery, GameTokenExampleQueryVariables>;
export const MixedTokensExampleDocument = new TypedDocumentString(`
    query MixedTokensExample($ticketId: String!, $accessTokenId: String!) {
  tokens(
    refs: [{source: CRAFTER_TICKET, tokenId: $ticketId}, {source: CRAFTER_ACCESS_TOKEN, tokenId: $accessTokenId}, {source: ASTRA, accountId: "acme", userId: "ops-admin", tokenId: "astra-demo-1"}, {source: NETBIRD, userId: "alice", tokenId: "nb-demo-1"}, {source: GAME, tokenId: "game-demo-1"}]
  ) {
    __typename
    id
    source
    tokenId
    name
    owner
    expiresAt
    status
  }
}
    `) as unknown as TypedDocumentString<MixedTokensExampleQuery, MixedTokensExampleQueryVariables>;
export const NodeRefetchExampleDocument = new TypedDocumentString(`
    query NodeRefetchExample {
  node(id: "WyJOZXRiaXJkUEFUIiwiYWxpY2UiLCJuYi1kZW1vLTEiXQ") {
    id
    ... on Token {
      source
      name
      lastUsedAt
      status
    }
  }
}
    `) as unknown as TypedDocumentString<NodeRefetchExampleQuery, NodeRefetchExampleQueryVariables>;
export const ExpiringSoonExampleDocument = new TypedDocumentString(`
    query ExpiringSoonExample {
  crafterAccessTokens {
    name
    expiresAt
    status
  }
  tokens(
    refs: [{source: NETBIRD, userId: "alice", tokenId: "nb-demo-1"}, {source: NETBIRD, userId: "alice", tokenId: "nb-demo-2"}, {source: NETBIRD, userId: "bob", tokenId: "nb-demo-3"}, {source: GAME, tokenId: "game-demo-1"}, {source: GAME, tokenId: "game-demo-2"}]
  ) {
    source
    name
    owner
    expiresAt
    status
  }
  sources {
    source
    circuit
    lastErrorCode
  }
}
    `) as unknown as TypedDocumentString<ExpiringSoonExampleQuery, ExpiringSoonExampleQueryVariables>;
export const RevokeDryRunExampleDocument = new TypedDocumentString(`
    mutation RevokeDryRunExample($accessTokenId: String!) {
  revokeTokens(
    refs: [{source: NETBIRD, userId: "alice", tokenId: "nb-demo-1"}, {source: ASTRA, accountId: "acme", userId: "ops-admin", tokenId: "astra-demo-1"}, {source: CRAFTER_ACCESS_TOKEN, tokenId: $accessTokenId}, {source: GAME, tokenId: "game-demo-1"}]
    dryRun: true
  ) {
    source
    tokenId
    outcome
    code
    message
    token {
      name
      owner
      expiresAt
    }
  }
}
    `) as unknown as TypedDocumentString<RevokeDryRunExampleMutation, RevokeDryRunExampleMutationVariables>;
export const RecentChangesDocument = new TypedDocumentString(`
    query RecentChanges($filter: TokenEventFilter, $after: String, $withCount: Boolean! = false, $token: ID, $withToken: Boolean! = false) {
  tokenEvents(filter: $filter, first: 20, after: $after) {
    totalCount @include(if: $withCount)
    ...RecentChangesPage
  }
  tokenHistory: tokenEvents(filter: {token: $token}, first: 20) @include(if: $withToken) {
    nodes {
      ...HistoryEvent
    }
  }
}
    fragment RecentChangesPage on TokenEventConnection {
  pageInfo {
    hasNextPage
    endCursor
  }
  nodes {
    at
    kind
    source
    tokenId
    token
    name
    owner
    detail
    actor
  }
}
fragment HistoryEvent on TokenEvent {
  at
  kind
  detail
  actor
}`) as unknown as TypedDocumentString<RecentChangesQuery, RecentChangesQueryVariables>;
export const RevokeTokensDocument = new TypedDocumentString(`
    mutation RevokeTokens($refs: [TokenRef!]!, $dryRun: Boolean!) {
  revokeTokens(refs: $refs, dryRun: $dryRun) {
    source
    tokenId
    outcome
    code
    message
    token {
      id
      name
      owner
    }
  }
}
    `) as unknown as TypedDocumentString<RevokeTokensMutation, RevokeTokensMutationVariables>;
export const TokenOverviewDocument = new TypedDocumentString(`
    query TokenOverview($filter: TokenFilter, $first: Int, $after: String, $refresh: Boolean, $watch: [TokenRef!]!, $withCounts: Boolean! = false, $countFilter: TokenFilter, $withHistory: Boolean! = false, $withChanges: Boolean! = false, $changesFilter: TokenEventFilter) {
  inventory(
    filter: $filter
    orderBy: EXPIRES_AT_ASC
    first: $first
    after: $after
    refresh: $refresh
  ) {
    totalCount
    collectedAt
    gaps {
      source
      code
      count
      scopes
      message
    }
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      ...TokenRow
    }
  }
  findingScope: inventory(filter: $countFilter, first: 1, refresh: $refresh) @include(if: $withCounts) {
    findingCounts {
      finding
      count
    }
    gaps {
      source
    }
  }
  recentChanges: tokenEvents(filter: $changesFilter, first: 20) @include(if: $withChanges) {
    totalCount
    ...RecentChangesPage
  }
  tokens(refs: $watch) {
    ...TokenRow
  }
}
    fragment RecentChangesPage on TokenEventConnection {
  pageInfo {
    hasNextPage
    endCursor
  }
  nodes {
    at
    kind
    source
    tokenId
    token
    name
    owner
    detail
    actor
  }
}
fragment HistoryEvent on TokenEvent {
  at
  kind
  detail
  actor
}
fragment TokenRow on Token {
  id
  source
  tokenId
  name
  owner
  createdAt
  lastUsedAt
  expiresAt
  status
  findings
  firstSeenAt @include(if: $withHistory)
  history(first: 20) @include(if: $withHistory) {
    ...HistoryEvent
  }
  ... on AstraToken {
    accountId
    userId
  }
  ... on NetbirdPAT {
    userId
  }
}`) as unknown as TypedDocumentString<TokenOverviewQuery, TokenOverviewQueryVariables>;