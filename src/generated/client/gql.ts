/* eslint-disable */
import * as types from './graphql.js';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "query CrafterTicketExample($ticketId: String!) {\n  crafterTicket(id: $ticketId) {\n    id\n    tokenId\n    tenant\n    profileId\n    owner\n    lastUsedAt\n    status\n  }\n}": typeof types.CrafterTicketExampleDocument,
    "query CrafterAccessTokensExample {\n  crafterAccessTokens {\n    id\n    tokenId\n    name\n    master\n    tenantPermissions {\n      tenant\n      allowedActions\n    }\n    expiresAt\n    status\n  }\n}": typeof types.CrafterAccessTokensExampleDocument,
    "query AstraTokenExample {\n  astraToken(accountId: \"acme\", userId: \"ops-admin\", tokenId: \"astra-demo-1\") {\n    id\n    name\n    owner\n    createdAt\n    modifiedAt\n    labels {\n      name\n      value\n    }\n    status\n  }\n}": typeof types.AstraTokenExampleDocument,
    "query NetbirdTokenExample {\n  netbirdToken(userId: \"alice\", tokenId: \"nb-demo-1\") {\n    id\n    name\n    owner\n    createdBy\n    createdAt\n    lastUsedAt\n    expiresAt\n    status\n  }\n}": typeof types.NetbirdTokenExampleDocument,
    "query GameTokenExample {\n  gameToken(id: \"game-demo-1\") {\n    id\n    name\n    owner\n    gameSourceId\n    reason\n    createdAt\n    expiresAt\n    status\n  }\n}": typeof types.GameTokenExampleDocument,
    "query MixedTokensExample($ticketId: String!, $accessTokenId: String!) {\n  tokens(\n    refs: [{source: CRAFTER_TICKET, tokenId: $ticketId}, {source: CRAFTER_ACCESS_TOKEN, tokenId: $accessTokenId}, {source: ASTRA, accountId: \"acme\", userId: \"ops-admin\", tokenId: \"astra-demo-1\"}, {source: NETBIRD, userId: \"alice\", tokenId: \"nb-demo-1\"}, {source: GAME, tokenId: \"game-demo-1\"}]\n  ) {\n    __typename\n    id\n    source\n    tokenId\n    name\n    owner\n    expiresAt\n    status\n  }\n}": typeof types.MixedTokensExampleDocument,
    "query NodeRefetchExample {\n  node(id: \"WyJOZXRiaXJkUEFUIiwiYWxpY2UiLCJuYi1kZW1vLTEiXQ\") {\n    id\n    ... on Token {\n      source\n      name\n      lastUsedAt\n      status\n    }\n  }\n}": typeof types.NodeRefetchExampleDocument,
    "query ExpiringSoonExample {\n  crafterAccessTokens {\n    name\n    expiresAt\n    status\n  }\n  tokens(\n    refs: [{source: NETBIRD, userId: \"alice\", tokenId: \"nb-demo-1\"}, {source: NETBIRD, userId: \"alice\", tokenId: \"nb-demo-2\"}, {source: NETBIRD, userId: \"bob\", tokenId: \"nb-demo-3\"}, {source: GAME, tokenId: \"game-demo-1\"}, {source: GAME, tokenId: \"game-demo-2\"}]\n  ) {\n    source\n    name\n    owner\n    expiresAt\n    status\n  }\n  sources {\n    source\n    circuit\n    lastErrorCode\n  }\n}": typeof types.ExpiringSoonExampleDocument,
    "mutation RevokeDryRunExample($accessTokenId: String!) {\n  revokeTokens(\n    refs: [{source: NETBIRD, userId: \"alice\", tokenId: \"nb-demo-1\"}, {source: ASTRA, accountId: \"acme\", userId: \"ops-admin\", tokenId: \"astra-demo-1\"}, {source: CRAFTER_ACCESS_TOKEN, tokenId: $accessTokenId}, {source: GAME, tokenId: \"game-demo-1\"}]\n    dryRun: true\n  ) {\n    source\n    tokenId\n    outcome\n    code\n    message\n    token {\n      name\n      owner\n      expiresAt\n    }\n  }\n}": typeof types.RevokeDryRunExampleDocument,
    "query RecentChanges($filter: TokenEventFilter, $after: String, $withCount: Boolean! = false, $token: ID, $withToken: Boolean! = false) {\n  tokenEvents(filter: $filter, first: 20, after: $after) {\n    totalCount @include(if: $withCount)\n    ...RecentChangesPage\n  }\n  tokenHistory: tokenEvents(filter: {token: $token}, first: 20) @include(if: $withToken) {\n    nodes {\n      ...HistoryEvent\n    }\n  }\n}\n\nfragment RecentChangesPage on TokenEventConnection {\n  pageInfo {\n    hasNextPage\n    endCursor\n  }\n  nodes {\n    at\n    kind\n    source\n    tokenId\n    token\n    name\n    owner\n    detail\n    actor\n  }\n}\n\nfragment HistoryEvent on TokenEvent {\n  at\n  kind\n  detail\n  actor\n}": typeof types.RecentChangesDocument,
    "mutation RevokeTokens($refs: [TokenRef!]!, $dryRun: Boolean!) {\n  revokeTokens(refs: $refs, dryRun: $dryRun) {\n    source\n    tokenId\n    outcome\n    code\n    message\n    token {\n      id\n      name\n      owner\n    }\n  }\n}": typeof types.RevokeTokensDocument,
    "query TokenOverview($filter: TokenFilter, $first: Int, $after: String, $refresh: Boolean, $watch: [TokenRef!]!, $withCounts: Boolean! = false, $countFilter: TokenFilter, $withHistory: Boolean! = false, $withChanges: Boolean! = false, $changesFilter: TokenEventFilter) {\n  inventory(\n    filter: $filter\n    orderBy: EXPIRES_AT_ASC\n    first: $first\n    after: $after\n    refresh: $refresh\n  ) {\n    totalCount\n    collectedAt\n    gaps {\n      source\n      code\n      count\n      scopes\n      message\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    nodes {\n      ...TokenRow\n    }\n  }\n  findingScope: inventory(filter: $countFilter, first: 1, refresh: $refresh) @include(if: $withCounts) {\n    findingCounts {\n      finding\n      count\n    }\n    gaps {\n      source\n    }\n  }\n  recentChanges: tokenEvents(filter: $changesFilter, first: 20) @include(if: $withChanges) {\n    totalCount\n    ...RecentChangesPage\n  }\n  tokens(refs: $watch) {\n    ...TokenRow\n  }\n}\n\nfragment TokenRow on Token {\n  id\n  source\n  tokenId\n  name\n  owner\n  createdAt\n  lastUsedAt\n  expiresAt\n  status\n  findings\n  firstSeenAt @include(if: $withHistory)\n  history(first: 20) @include(if: $withHistory) {\n    ...HistoryEvent\n  }\n  ... on AstraToken {\n    accountId\n    userId\n  }\n  ... on NetbirdPAT {\n    userId\n  }\n}": typeof types.TokenOverviewDocument,
};
const documents: Documents = {
    "query CrafterTicketExample($ticketId: String!) {\n  crafterTicket(id: $ticketId) {\n    id\n    tokenId\n    tenant\n    profileId\n    owner\n    lastUsedAt\n    status\n  }\n}": types.CrafterTicketExampleDocument,
    "query CrafterAccessTokensExample {\n  crafterAccessTokens {\n    id\n    tokenId\n    name\n    master\n    tenantPermissions {\n      tenant\n      allowedActions\n    }\n    expiresAt\n    status\n  }\n}": types.CrafterAccessTokensExampleDocument,
    "query AstraTokenExample {\n  astraToken(accountId: \"acme\", userId: \"ops-admin\", tokenId: \"astra-demo-1\") {\n    id\n    name\n    owner\n    createdAt\n    modifiedAt\n    labels {\n      name\n      value\n    }\n    status\n  }\n}": types.AstraTokenExampleDocument,
    "query NetbirdTokenExample {\n  netbirdToken(userId: \"alice\", tokenId: \"nb-demo-1\") {\n    id\n    name\n    owner\n    createdBy\n    createdAt\n    lastUsedAt\n    expiresAt\n    status\n  }\n}": types.NetbirdTokenExampleDocument,
    "query GameTokenExample {\n  gameToken(id: \"game-demo-1\") {\n    id\n    name\n    owner\n    gameSourceId\n    reason\n    createdAt\n    expiresAt\n    status\n  }\n}": types.GameTokenExampleDocument,
    "query MixedTokensExample($ticketId: String!, $accessTokenId: String!) {\n  tokens(\n    refs: [{source: CRAFTER_TICKET, tokenId: $ticketId}, {source: CRAFTER_ACCESS_TOKEN, tokenId: $accessTokenId}, {source: ASTRA, accountId: \"acme\", userId: \"ops-admin\", tokenId: \"astra-demo-1\"}, {source: NETBIRD, userId: \"alice\", tokenId: \"nb-demo-1\"}, {source: GAME, tokenId: \"game-demo-1\"}]\n  ) {\n    __typename\n    id\n    source\n    tokenId\n    name\n    owner\n    expiresAt\n    status\n  }\n}": types.MixedTokensExampleDocument,
    "query NodeRefetchExample {\n  node(id: \"WyJOZXRiaXJkUEFUIiwiYWxpY2UiLCJuYi1kZW1vLTEiXQ\") {\n    id\n    ... on Token {\n      source\n      name\n      lastUsedAt\n      status\n    }\n  }\n}": types.NodeRefetchExampleDocument,
    "query ExpiringSoonExample {\n  crafterAccessTokens {\n    name\n    expiresAt\n    status\n  }\n  tokens(\n    refs: [{source: NETBIRD, userId: \"alice\", tokenId: \"nb-demo-1\"}, {source: NETBIRD, userId: \"alice\", tokenId: \"nb-demo-2\"}, {source: NETBIRD, userId: \"bob\", tokenId: \"nb-demo-3\"}, {source: GAME, tokenId: \"game-demo-1\"}, {source: GAME, tokenId: \"game-demo-2\"}]\n  ) {\n    source\n    name\n    owner\n    expiresAt\n    status\n  }\n  sources {\n    source\n    circuit\n    lastErrorCode\n  }\n}": types.ExpiringSoonExampleDocument,
    "mutation RevokeDryRunExample($accessTokenId: String!) {\n  revokeTokens(\n    refs: [{source: NETBIRD, userId: \"alice\", tokenId: \"nb-demo-1\"}, {source: ASTRA, accountId: \"acme\", userId: \"ops-admin\", tokenId: \"astra-demo-1\"}, {source: CRAFTER_ACCESS_TOKEN, tokenId: $accessTokenId}, {source: GAME, tokenId: \"game-demo-1\"}]\n    dryRun: true\n  ) {\n    source\n    tokenId\n    outcome\n    code\n    message\n    token {\n      name\n      owner\n      expiresAt\n    }\n  }\n}": types.RevokeDryRunExampleDocument,
    "query RecentChanges($filter: TokenEventFilter, $after: String, $withCount: Boolean! = false, $token: ID, $withToken: Boolean! = false) {\n  tokenEvents(filter: $filter, first: 20, after: $after) {\n    totalCount @include(if: $withCount)\n    ...RecentChangesPage\n  }\n  tokenHistory: tokenEvents(filter: {token: $token}, first: 20) @include(if: $withToken) {\n    nodes {\n      ...HistoryEvent\n    }\n  }\n}\n\nfragment RecentChangesPage on TokenEventConnection {\n  pageInfo {\n    hasNextPage\n    endCursor\n  }\n  nodes {\n    at\n    kind\n    source\n    tokenId\n    token\n    name\n    owner\n    detail\n    actor\n  }\n}\n\nfragment HistoryEvent on TokenEvent {\n  at\n  kind\n  detail\n  actor\n}": types.RecentChangesDocument,
    "mutation RevokeTokens($refs: [TokenRef!]!, $dryRun: Boolean!) {\n  revokeTokens(refs: $refs, dryRun: $dryRun) {\n    source\n    tokenId\n    outcome\n    code\n    message\n    token {\n      id\n      name\n      owner\n    }\n  }\n}": types.RevokeTokensDocument,
    "query TokenOverview($filter: TokenFilter, $first: Int, $after: String, $refresh: Boolean, $watch: [TokenRef!]!, $withCounts: Boolean! = false, $countFilter: TokenFilter, $withHistory: Boolean! = false, $withChanges: Boolean! = false, $changesFilter: TokenEventFilter) {\n  inventory(\n    filter: $filter\n    orderBy: EXPIRES_AT_ASC\n    first: $first\n    after: $after\n    refresh: $refresh\n  ) {\n    totalCount\n    collectedAt\n    gaps {\n      source\n      code\n      count\n      scopes\n      message\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    nodes {\n      ...TokenRow\n    }\n  }\n  findingScope: inventory(filter: $countFilter, first: 1, refresh: $refresh) @include(if: $withCounts) {\n    findingCounts {\n      finding\n      count\n    }\n    gaps {\n      source\n    }\n  }\n  recentChanges: tokenEvents(filter: $changesFilter, first: 20) @include(if: $withChanges) {\n    totalCount\n    ...RecentChangesPage\n  }\n  tokens(refs: $watch) {\n    ...TokenRow\n  }\n}\n\nfragment TokenRow on Token {\n  id\n  source\n  tokenId\n  name\n  owner\n  createdAt\n  lastUsedAt\n  expiresAt\n  status\n  findings\n  firstSeenAt @include(if: $withHistory)\n  history(first: 20) @include(if: $withHistory) {\n    ...HistoryEvent\n  }\n  ... on AstraToken {\n    accountId\n    userId\n  }\n  ... on NetbirdPAT {\n    userId\n  }\n}": types.TokenOverviewDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query CrafterTicketExample($ticketId: String!) {\n  crafterTicket(id: $ticketId) {\n    id\n    tokenId\n    tenant\n    profileId\n    owner\n    lastUsedAt\n    status\n  }\n}"): typeof import('./graphql.js').CrafterTicketExampleDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query CrafterAccessTokensExample {\n  crafterAccessTokens {\n    id\n    tokenId\n    name\n    master\n    tenantPermissions {\n      tenant\n      allowedActions\n    }\n    expiresAt\n    status\n  }\n}"): typeof import('./graphql.js').CrafterAccessTokensExampleDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query AstraTokenExample {\n  astraToken(accountId: \"acme\", userId: \"ops-admin\", tokenId: \"astra-demo-1\") {\n    id\n    name\n    owner\n    createdAt\n    modifiedAt\n    labels {\n      name\n      value\n    }\n    status\n  }\n}"): typeof import('./graphql.js').AstraTokenExampleDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query NetbirdTokenExample {\n  netbirdToken(userId: \"alice\", tokenId: \"nb-demo-1\") {\n    id\n    name\n    owner\n    createdBy\n    createdAt\n    lastUsedAt\n    expiresAt\n    status\n  }\n}"): typeof import('./graphql.js').NetbirdTokenExampleDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query GameTokenExample {\n  gameToken(id: \"game-demo-1\") {\n    id\n    name\n    owner\n    gameSourceId\n    reason\n    createdAt\n    expiresAt\n    status\n  }\n}"): typeof import('./graphql.js').GameTokenExampleDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query MixedTokensExample($ticketId: String!, $accessTokenId: String!) {\n  tokens(\n    refs: [{source: CRAFTER_TICKET, tokenId: $ticketId}, {source: CRAFTER_ACCESS_TOKEN, tokenId: $accessTokenId}, {source: ASTRA, accountId: \"acme\", userId: \"ops-admin\", tokenId: \"astra-demo-1\"}, {source: NETBIRD, userId: \"alice\", tokenId: \"nb-demo-1\"}, {source: GAME, tokenId: \"game-demo-1\"}]\n  ) {\n    __typename\n    id\n    source\n    tokenId\n    name\n    owner\n    expiresAt\n    status\n  }\n}"): typeof import('./graphql.js').MixedTokensExampleDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query NodeRefetchExample {\n  node(id: \"WyJOZXRiaXJkUEFUIiwiYWxpY2UiLCJuYi1kZW1vLTEiXQ\") {\n    id\n    ... on Token {\n      source\n      name\n      lastUsedAt\n      status\n    }\n  }\n}"): typeof import('./graphql.js').NodeRefetchExampleDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ExpiringSoonExample {\n  crafterAccessTokens {\n    name\n    expiresAt\n    status\n  }\n  tokens(\n    refs: [{source: NETBIRD, userId: \"alice\", tokenId: \"nb-demo-1\"}, {source: NETBIRD, userId: \"alice\", tokenId: \"nb-demo-2\"}, {source: NETBIRD, userId: \"bob\", tokenId: \"nb-demo-3\"}, {source: GAME, tokenId: \"game-demo-1\"}, {source: GAME, tokenId: \"game-demo-2\"}]\n  ) {\n    source\n    name\n    owner\n    expiresAt\n    status\n  }\n  sources {\n    source\n    circuit\n    lastErrorCode\n  }\n}"): typeof import('./graphql.js').ExpiringSoonExampleDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation RevokeDryRunExample($accessTokenId: String!) {\n  revokeTokens(\n    refs: [{source: NETBIRD, userId: \"alice\", tokenId: \"nb-demo-1\"}, {source: ASTRA, accountId: \"acme\", userId: \"ops-admin\", tokenId: \"astra-demo-1\"}, {source: CRAFTER_ACCESS_TOKEN, tokenId: $accessTokenId}, {source: GAME, tokenId: \"game-demo-1\"}]\n    dryRun: true\n  ) {\n    source\n    tokenId\n    outcome\n    code\n    message\n    token {\n      name\n      owner\n      expiresAt\n    }\n  }\n}"): typeof import('./graphql.js').RevokeDryRunExampleDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query RecentChanges($filter: TokenEventFilter, $after: String, $withCount: Boolean! = false, $token: ID, $withToken: Boolean! = false) {\n  tokenEvents(filter: $filter, first: 20, after: $after) {\n    totalCount @include(if: $withCount)\n    ...RecentChangesPage\n  }\n  tokenHistory: tokenEvents(filter: {token: $token}, first: 20) @include(if: $withToken) {\n    nodes {\n      ...HistoryEvent\n    }\n  }\n}\n\nfragment RecentChangesPage on TokenEventConnection {\n  pageInfo {\n    hasNextPage\n    endCursor\n  }\n  nodes {\n    at\n    kind\n    source\n    tokenId\n    token\n    name\n    owner\n    detail\n    actor\n  }\n}\n\nfragment HistoryEvent on TokenEvent {\n  at\n  kind\n  detail\n  actor\n}"): typeof import('./graphql.js').RecentChangesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation RevokeTokens($refs: [TokenRef!]!, $dryRun: Boolean!) {\n  revokeTokens(refs: $refs, dryRun: $dryRun) {\n    source\n    tokenId\n    outcome\n    code\n    message\n    token {\n      id\n      name\n      owner\n    }\n  }\n}"): typeof import('./graphql.js').RevokeTokensDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query TokenOverview($filter: TokenFilter, $first: Int, $after: String, $refresh: Boolean, $watch: [TokenRef!]!, $withCounts: Boolean! = false, $countFilter: TokenFilter, $withHistory: Boolean! = false, $withChanges: Boolean! = false, $changesFilter: TokenEventFilter) {\n  inventory(\n    filter: $filter\n    orderBy: EXPIRES_AT_ASC\n    first: $first\n    after: $after\n    refresh: $refresh\n  ) {\n    totalCount\n    collectedAt\n    gaps {\n      source\n      code\n      count\n      scopes\n      message\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    nodes {\n      ...TokenRow\n    }\n  }\n  findingScope: inventory(filter: $countFilter, first: 1, refresh: $refresh) @include(if: $withCounts) {\n    findingCounts {\n      finding\n      count\n    }\n    gaps {\n      source\n    }\n  }\n  recentChanges: tokenEvents(filter: $changesFilter, first: 20) @include(if: $withChanges) {\n    totalCount\n    ...RecentChangesPage\n  }\n  tokens(refs: $watch) {\n    ...TokenRow\n  }\n}\n\nfragment TokenRow on Token {\n  id\n  source\n  tokenId\n  name\n  owner\n  createdAt\n  lastUsedAt\n  expiresAt\n  status\n  findings\n  firstSeenAt @include(if: $withHistory)\n  history(first: 20) @include(if: $withHistory) {\n    ...HistoryEvent\n  }\n  ... on AstraToken {\n    accountId\n    userId\n  }\n  ... on NetbirdPAT {\n    userId\n  }\n}"): typeof import('./graphql.js').TokenOverviewDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
