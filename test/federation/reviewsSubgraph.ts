/**
 * A third, tiny subgraph for the federation tests, for the `Token` interface entity: a
 * security review list that stores only tokengraph global ids, never knowing which kind of
 * token an id names. It sees `Token` as an `@interfaceObject`, lists tokens by id alone
 * (tokengraph's `Token.__resolveReference` finds the concrete type), and adds the field
 * `Token.reviewNote` to every token type at once.
 *
 * (Federation forbids a subgraph to use `Token` as an `@interfaceObject` and also define
 * its implementations, which is why this is not part of the people subgraph.)
 */
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type GraphQLSchema } from 'graphql';
import { toGlobalId } from '../../src/security/globalId.js';
import { fingerprintSecretId } from '../../src/security/secretIds.js';
import { serveSubgraph } from './peopleSubgraph.js';

export const REVIEWS_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@interfaceObject"])

  type Query {
    tokensUnderReview: [Token!]!
  }

  type Token @key(fields: "id") @interfaceObject {
    id: ID!
    reviewNote: String
  }
`;

export const DEMO_SITE_ACCESS_TOKEN = 'f81d4fae-7dec-11d0-a765-00a0c91e6bf6';

/** Global id → the reviewer's note, in review order. */
export const REVIEWS: ReadonlyMap<string, string> = new Map([
  [toGlobalId('GameToken', ['game-demo-1']), 'expired, still listed'],
  [toGlobalId('AstraToken', ['acme', 'ops-admin', 'astra-demo-1']), 'scope too broad'],
  [toGlobalId('CrafterAccessToken', [fingerprintSecretId(DEMO_SITE_ACCESS_TOKEN)]), 'rotate yearly'],
  [toGlobalId('NetbirdPAT', ['svc-monitoring', 'nb-demo-3']), 'created by someone else'],
]);

export function createReviewsSchema(): GraphQLSchema {
  return buildSubgraphSchema({
    typeDefs: parse(REVIEWS_SDL),
    resolvers: {
      Query: { tokensUnderReview: () => [...REVIEWS.keys()].map((id) => ({ id })) },
      Token: {
        __resolveReference: ({ id }: { id: string }) => ({ id }),
        reviewNote: ({ id }: { id: string }) => REVIEWS.get(id) ?? null,
      },
    },
  });
}

export const startReviewsSubgraph = () => serveSubgraph(createReviewsSchema());
