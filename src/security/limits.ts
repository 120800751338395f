/**
 * Every limit tokengraph puts on what a client or an upstream may send, or how long either may
 * take: its value, its variable and the bounds that variable accepts (config/readConfig.ts reads
 * them), or, for the fixed ones, its value alone. Where a limit is enforced imports its number from
 * here; the README's tables list the same.
 */

export interface Limits {
  /** Largest request body, bytes (413 above). */
  maxBodyBytes: number;
  /** Largest query document, UTF-8 bytes. */
  maxQueryBytes: number;
  /** Deepest field nesting of an operation. */
  maxDepth: number;
  /** Most aliases in an operation. */
  maxAliases: number;
  /** Most root fields in an operation. */
  maxRootFields: number;
  /** Most lexer tokens in a document. */
  maxTokens: number;
  /** Most directives in an operation. */
  maxDirectives: number;
  /** Highest graphql-armor cost of an operation. */
  maxCost: number;
  /** Longest `tokens(refs:)` and `nodes(ids:)` list. */
  maxListLength: number;
  /** Most `_entities` representations (Federation) in one request. */
  maxEntities: number;
  /** Longest time a client may take to send a request's headers, ms (then its connection is cut). */
  headersTimeoutMs: number;
  /** Longest time a client may take to send a whole request, headers and body, ms. */
  requestTimeoutMs: number;
  /** How long an idle keep-alive connection is kept, ms. */
  keepAliveTimeoutMs: number;
  /** Most client connections open at once; more are closed as they arrive. */
  maxConnections: number;
  /** Bytes held by parsed documents (Apollo's document store), and by APQ's query texts when on. */
  documentCacheBytes: number;
  /** Longest time one GraphQL request may spend on upstream calls, retries and waits included, ms. */
  requestDeadlineMs: number;
  /** Largest upstream body read, bytes. */
  maxUpstreamBodyBytes: number;
  /** Longest time from an upstream's headers to the end of its body, ms. */
  upstreamBodyTimeoutMs: number;
  /** Longest time one inventory read may take, ms: a request waits for it up to its own deadline. */
  inventoryDeadlineMs: number;
}

export const DEFAULT_LIMITS: Readonly<Limits> = {
  maxBodyBytes: 1024 * 1024,
  maxQueryBytes: 20 * 1024,
  maxDepth: 12,
  maxAliases: 30,
  maxRootFields: 30,
  maxTokens: 2000,
  maxDirectives: 10,
  // graphql-armor multiplies a field by its `first` argument: a full inventory page (500) of the overview's selection costs about 30,000.
  maxCost: 50_000,
  maxListLength: 100,
  maxEntities: 500,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 1024,
  documentCacheBytes: 16 * 1024 * 1024,
  requestDeadlineMs: 15_000,
  maxUpstreamBodyBytes: 1024 * 1024,
  upstreamBodyTimeoutMs: 5_000,
  inventoryDeadlineMs: 60_000,
};

/** The variable of each limit, with the smallest and largest value it accepts. */
export const LIMIT_VARIABLES: Readonly<Record<keyof Limits, readonly [variable: string, min: number, max: number]>> = {
  maxBodyBytes: ['TOKENGRAPH_MAX_BODY_BYTES', 1024, 1024 ** 3],
  maxQueryBytes: ['TOKENGRAPH_MAX_QUERY_BYTES', 64, 1024 ** 2 * 16],
  maxDepth: ['TOKENGRAPH_MAX_DEPTH', 1, 1000],
  maxAliases: ['TOKENGRAPH_MAX_ALIASES', 0, 100_000],
  maxRootFields: ['TOKENGRAPH_MAX_ROOT_FIELDS', 1, 100_000],
  maxTokens: ['TOKENGRAPH_MAX_TOKENS', 10, 10_000_000],
  maxDirectives: ['TOKENGRAPH_MAX_DIRECTIVES', 0, 100_000],
  maxCost: ['TOKENGRAPH_MAX_COST', 1, 100_000_000],
  maxListLength: ['TOKENGRAPH_MAX_LIST_LENGTH', 1, 100_000],
  maxEntities: ['TOKENGRAPH_MAX_ENTITIES', 100, 100_000],
  headersTimeoutMs: ['TOKENGRAPH_HEADERS_TIMEOUT_MS', 100, 600_000],
  requestTimeoutMs: ['TOKENGRAPH_REQUEST_TIMEOUT_MS', 100, 3_600_000],
  keepAliveTimeoutMs: ['TOKENGRAPH_KEEP_ALIVE_TIMEOUT_MS', 100, 600_000],
  maxConnections: ['TOKENGRAPH_MAX_CONNECTIONS', 1, 1_000_000],
  documentCacheBytes: ['TOKENGRAPH_DOCUMENT_CACHE_BYTES', 1024, 1024 ** 3],
  requestDeadlineMs: ['REQUEST_DEADLINE_MS', 1, 3_600_000],
  maxUpstreamBodyBytes: ['UPSTREAM_MAX_BODY_BYTES', 1, 1024 ** 3],
  upstreamBodyTimeoutMs: ['UPSTREAM_BODY_TIMEOUT_MS', 1, 600_000],
  inventoryDeadlineMs: ['TOKENGRAPH_INVENTORY_DEADLINE_MS', 100, 3_600_000],
};

/** Limits that are not configurable. */
export const FIXED_LIMITS = {
  /** Longest identifier argument (`id`, `tokenId`, `userId`, `accountId`), in Unicode code points. */
  identifierCodePoints: 256,
  /** Longest global id accepted before decoding: four keys of 256 code points, escaped, in base64. */
  globalIdLength: 8192,
  /** Shortest API key accepted: a guessable key is no key. */
  apiKeyLength: 16,
  /** Longest `x-request-id` echoed (printable ASCII); longer ones are replaced. */
  requestIdLength: 128,
  /** Longest upstream error text shown to a client, in UTF-16 units. */
  upstreamDetailLength: 500,
  /** Most of an upstream error text read at all (what is past it could never be shown). */
  upstreamTextRead: 4096,
  /** Most tokens on one page of `inventory` (its `first`). */
  inventoryPageSize: 500,
  /** Longest `search` or `owner` of an inventory filter, in Unicode code points. */
  inventoryFilterText: 256,
  /** Most scopes named in one inventory gap. */
  gapScopes: 10,
  /** Most watched references (TOKENGRAPH_WATCH and TOKENGRAPH_WATCH_FILE together). */
  watchedRefs: 10_000,
  /**
   * Most of a refused request's body read and dropped after its answer, so that the client, still
   * sending, reads the answer before the connection closes (http/lingeringClose.ts); past it, or
   * past the request timeout, the connection is cut.
   */
  discardedBodyBytes: 64 * 1024 * 1024,
  /** Most names in TOKENGRAPH_ALLOWED_HOSTS. */
  allowedHosts: 1000,
  /** Longest name in TOKENGRAPH_ALLOWED_HOSTS, and in a `Host` answered without a key, in characters (a DNS name's longest). */
  allowedHostLength: 253,
} as const;
