/**
 * A second, tiny subgraph for the federation tests: the people who hold tokens. Like any
 * other team's subgraph it knows tokens only by tokengraph's global ids, and references
 * `NetbirdPAT` and `CrafterTicket` by key: `Person.netbirdTokens` and `Person.tickets` hand
 * the gateway `{ __typename, id }`, and people adds the field `NetbirdPAT.holder`.
 */
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type GraphQLSchema } from 'graphql';
import { toGlobalId } from '../../src/security/globalId.js';

export const PEOPLE_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Query {
    person(id: ID!): Person
  }

  type Person @key(fields: "id") {
    id: ID!
    name: String!
    netbirdTokens: [NetbirdPAT!]!
    tickets: [CrafterTicket!]!
  }

  type NetbirdPAT @key(fields: "id") {
    id: ID!
    holder: Person
  }

  type CrafterTicket @key(fields: "id", resolvable: false) {
    id: ID!
  }
`;

export const TICKET_ALICE = '2e911e0b-ac47-423e-9174-4e8896f1b387';
export const TICKET_BOB = '8f14e45f-ceea-467a-9a1b-3c5d2f9e0a61';

export interface PersonRecord {
  id: string;
  name: string;
  netbirdTokens: string[];
  tickets: string[];
}

/** People and the tokengraph global ids of the demo tokens they hold. */
export const PEOPLE: readonly PersonRecord[] = [
  {
    id: 'alice',
    name: 'Alice Liddell',
    netbirdTokens: [toGlobalId('NetbirdPAT', ['alice', 'nb-demo-1']), toGlobalId('NetbirdPAT', ['alice', 'nb-demo-2'])],
    tickets: [toGlobalId('CrafterTicket', [TICKET_ALICE])],
  },
  {
    id: 'bob',
    name: 'Bob Builder',
    netbirdTokens: [toGlobalId('NetbirdPAT', ['svc-monitoring', 'nb-demo-3'])],
    tickets: [toGlobalId('CrafterTicket', [TICKET_BOB])],
  },
];

export const personById = (id: string) => PEOPLE.find((p) => p.id === id) ?? null;
/** Whoever lists the NetBird token among their `netbirdTokens`. */
export const holderOf = (tokenId: string) => PEOPLE.find((p) => p.netbirdTokens.includes(tokenId)) ?? null;

const ref = (id: string) => ({ id });

export function createPeopleSchema(): GraphQLSchema {
  return buildSubgraphSchema({
    typeDefs: parse(PEOPLE_SDL),
    resolvers: {
      Query: { person: (_: unknown, { id }: { id: string }) => personById(id) },
      Person: {
        __resolveReference: ({ id }: { id: string }) => personById(id),
        netbirdTokens: (p: PersonRecord) => p.netbirdTokens.map(ref),
        tickets: (p: PersonRecord) => p.tickets.map(ref),
      },
      NetbirdPAT: {
        __resolveReference: ({ id }: { id: string }) => ref(id),
        holder: ({ id }: { id: string }) => holderOf(id),
      },
    },
  });
}

export interface RunningSubgraph {
  url: string;
  close(): Promise<void>;
}

export const startPeopleSubgraph = () => serveSubgraph(createPeopleSchema());

/** Serves a subgraph schema on a free loopback port. */
export async function serveSubgraph(schema: GraphQLSchema): Promise<RunningSubgraph> {
  const server = new ApolloServer({
    schema,
    logger: { debug() {}, info() {}, warn() {}, error() {} },
  });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  return { url, close: () => server.stop() };
}
