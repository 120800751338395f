/**
 * Schema stitching, in process: tokengraph's ready subschema configuration stitched with a
 * small people schema by `@graphql-tools/stitch`. Tokens merge by their global id, in both
 * directions, and every delegation of one gateway request shares one set of tokengraph
 * loaders: the upstream calls are counted exactly.
 */
import { makeExecutableSchema } from '@graphql-tools/schema';
import { stitchSchemas } from '@graphql-tools/stitch';
import { graphql, type GraphQLSchema } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/security/globalId.js';
import { createTokengraphSubschema } from '../../src/graph/stitching.js';
import { startStack, type Stack } from '../harness.js';
import { holderOf, PEOPLE, personById, type PersonRecord } from './peopleSubgraph.js';

/** A plain (non-Federation) schema that knows NetBird tokens by global id and adds `holder`. */
const peopleSchema = makeExecutableSchema({
  typeDefs: `
    type Query {
      person(id: ID!): Person
      _netbirdPATs(ids: [ID!]!): [NetbirdPAT]!
    }
    type Person { id: ID! name: String! netbirdTokens: [NetbirdPAT!]! }
    type NetbirdPAT { id: ID! holder: Person }
  `,
  resolvers: {
    Query: {
      person: (_: unknown, { id }: { id: string }) => personById(id),
      _netbirdPATs: (_: unknown, { ids }: { ids: string[] }) => ids.map((id) => ({ id })),
    },
    Person: { netbirdTokens: (p: PersonRecord) => p.netbirdTokens.map((id) => ({ id })) },
    NetbirdPAT: { holder: ({ id }: { id: string }) => holderOf(id) },
  },
});

let stack: Stack;
let stitched: GraphQLSchema;
beforeAll(async () => {
  stack = await startStack();
  const { subschemaConfig } = createTokengraphSubschema({ dataSources: stack.tokengraph.dataSources });
  stitched = stitchSchemas({
    subschemas: [
      subschemaConfig,
      {
        schema: peopleSchema,
        merge: {
          NetbirdPAT: { selectionSet: '{ id }', fieldName: '_netbirdPATs', key: ({ id }: { id: string }) => id, argsFromKeys: (ids) => ({ ids }) },
        },
      },
    ],
  });
});
afterAll(() => stack.close());
beforeEach(() => stack.reset());

/** One gateway request: a fresh gateway context object, as a server would make. */
const run = async (source: string) => graphql({ schema: stitched, source, contextValue: {} });
const paths = (name: Parameters<Stack['calls']>[0]) => stack.calls(name).map((c) => c.path).sort();

describe('stitching tokengraph with another schema', () => {
  it('exposes tokengraph without the Federation plumbing', () => {
    const { schema } = createTokengraphSubschema({ dataSources: stack.tokengraph.dataSources });
    const fields = Object.keys(schema.getQueryType()!.getFields());
    expect(fields).toContain('nodes');
    expect(fields).not.toContain('_entities');
    expect(fields).not.toContain('_service');
    expect(schema.getType('_Any')).toBeUndefined();
    expect(schema.getDirective('key')).toBeUndefined();
  });

  it('resolves people → tokengraph: a person\'s NetBird tokens get tokengraph\'s fields', async () => {
    const result = await run('{ person(id: "alice") { name netbirdTokens { id name status holder { name } } } }');
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      person: {
        name: 'Alice Liddell',
        netbirdTokens: [
          { id: PEOPLE[0]!.netbirdTokens[0], name: 'CI deploy', status: 'ACTIVE', holder: { name: 'Alice Liddell' } },
          { id: PEOPLE[0]!.netbirdTokens[1], name: 'old laptop', status: 'EXPIRED', holder: { name: 'Alice Liddell' } },
        ],
      },
    });
    expect(paths('netbird')).toEqual(['/api/users/alice/tokens/nb-demo-1', '/api/users/alice/tokens/nb-demo-2']);
    expect(stack.totalCalls()).toBe(2);
  });

  it('resolves tokengraph → people: tokens get their holder', async () => {
    const result = await run(`{
      tokens(refs: [
        { source: NETBIRD, userId: "svc-monitoring", tokenId: "nb-demo-3" }
        { source: GAME, tokenId: "game-demo-2" }
        { source: NETBIRD, userId: "alice", tokenId: "nb-demo-1" }
      ]) { __typename name ... on NetbirdPAT { holder { id name } } }
    }`);
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      tokens: [
        { __typename: 'NetbirdPAT', name: 'monitoring', holder: { id: 'bob', name: 'Bob Builder' } },
        { __typename: 'GameToken', name: 'Treasure Hunt' },
        { __typename: 'NetbirdPAT', name: 'CI deploy', holder: { id: 'alice', name: 'Alice Liddell' } },
      ],
    });
    expect(paths('netbird')).toEqual(['/api/users/alice/tokens/nb-demo-1', '/api/users/svc-monitoring/tokens/nb-demo-3']);
    expect(paths('games')).toEqual(['/v1/tokens/game-demo-2']);
    expect(stack.totalCalls()).toBe(3);
  });

  it('shares one set of loaders across the delegations of one gateway request, and only that one', async () => {
    const source = `{
      direct: netbirdToken(userId: "alice", tokenId: "nb-demo-1") { name }
      byId: node(id: "${toGlobalId('NetbirdPAT', ['alice', 'nb-demo-2'])}") { id }
      person(id: "alice") { netbirdTokens { name } }
    }`;
    const first = await run(source);
    expect(first.errors).toBeUndefined();
    expect(first.data?.person).toEqual({ netbirdTokens: [{ name: 'CI deploy' }, { name: 'old laptop' }] });
    // Three delegations to tokengraph (the root fields, then the merge), two distinct tokens.
    expect(paths('netbird')).toEqual(['/api/users/alice/tokens/nb-demo-1', '/api/users/alice/tokens/nb-demo-2']);
    await run(source);
    expect(stack.calls('netbird')).toHaveLength(4);
  });
});
