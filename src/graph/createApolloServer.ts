/**
 * The GraphQL engine: Apollo Server over tokengraph's schema, with the operation limits as
 * validation rules and parse options, document stores bounded by what they hold, and errors
 * masked unless tokengraph means to show them. Built once per process (http/createTokengraph.ts).
 */
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Config } from '../config/readConfig.js';
import type { Logger } from '../observability/createLogger.js';
import type { Context } from '../resolvers/context.js';
import { limitEntities, operationLimits } from '../security/operationLimits.js';
import { secretLiteralsRule } from '../security/secretLiteralsRule.js';
import { createSchema } from './createSchema.js';
import { createDocumentStore, createPersistedQueryCache } from './documentStores.js';

export async function createApolloServer(config: Config, logger: Logger, plugins: ApolloServerPlugin<Context>[]): Promise<ApolloServer<Context>> {
  const schema = createSchema();
  limitEntities(schema, config.limits.maxEntities);
  const limits = operationLimits(config.limits);
  const apollo = new ApolloServer<Context>({
    schema,
    // Apollo's own messages (e.g. that a subgraph schema turns on inline traces) go to our JSON log.
    logger,
    includeStacktraceInErrorResponses: false,
    // main.ts owns SIGTERM/SIGINT (drain, close the pools, exit 0). Apollo's own handlers
    // (on outside NODE_ENV=test) would stop the server under it and re-raise the signal.
    stopOnTerminationSignals: false,
    introspection: config.introspection,
    // Suggestions ("Did you mean …?") reveal the schema as introspection does: both follow one setting.
    hideSchemaDetailsFromClientErrors: !config.introspection,
    csrfPrevention: true,
    // Apollo's default indents every response (prettyJSONStringify): larger bodies, and 2% of a
    // fifty-token request's CPU in the profile (docs/performance.md). Clients parse JSON either way.
    stringifyResult: (value) => JSON.stringify(value),
    allowBatchedHttpRequests: false,
    // A document that writes a credential fails validation, so it is never kept (documentStore, APQ).
    validationRules: [...limits.validationRules, secretLiteralsRule],
    parseOptions: limits.parseOptions,
    documentStore: createDocumentStore(config.limits.documentCacheBytes),
    persistedQueries: config.apq ? { cache: createPersistedQueryCache(config.limits.documentCacheBytes) } : false,
    formatError: (formatted, error) => maskUnexpected(formatted, error, logger),
    // No cache hints are served, and the cache-control plugin would wrap every resolver.
    plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginCacheControlDisabled(), ...limits.plugins, ...plugins],
  });
  await apollo.start();
  return apollo;
}

/**
 * Only errors tokengraph means to show (and graphql-js's own request errors) reach the
 * client as they are; anything else is logged and replaced by a generic message.
 */
function maskUnexpected(formatted: GraphQLFormattedError, error: unknown, logger: Logger): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (original instanceof GraphQLError) return formatted;
  logger.error({ err: original, path: formatted.path }, 'unexpected error in a resolver');
  return {
    message: 'Internal server error',
    ...(formatted.locations && { locations: formatted.locations }),
    ...(formatted.path && { path: formatted.path }),
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}
