/**
 * tokengraph as an Apollo Federation v2 subgraph, over HTTP: `_service { sdl }` declares
 * every token type (and the `Token` interface) an entity keyed by `id`, and `_entities`
 * resolves representations through the request's loaders, so a gateway's batch of 100
 * costs one upstream call per distinct resource.
 */
import { Kind, parse, print } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/security/globalId.js';
import { fingerprintSecretId } from '../../src/security/secretIds.js';
import { startStack, type Stack } from '../harness.js';

const TICKET_ALICE = '2e911e0b-ac47-423e-9174-4e8896f1b387';
const TICKET_BOB = '8f14e45f-ceea-467a-9a1b-3c5d2f9e0a61';
const ADMINCONSOLE = 'e8f5170c-877b-416f-b70f-4b09772f8e2d';
const DEMO_SITE = 'f81d4fae-7dec-11d0-a765-00a0c91e6bf6';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());
beforeEach(() => stack.reset());

const paths = (name: Parameters<Stack['calls']>[0]) => stack.calls(name).map((c) => c.path).sort();
const ENTITIES = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) { __typename ... on Token { id name } }
}`;

describe('_service', () => {
  it('declares Federation v2.3 and a key on every token type and on Token', async () => {
    const response = await stack.query('{ _service { sdl } }');
    expect(response.body.errors).toBeUndefined();
    const document = parse(response.body.data!._service.sdl);
    const link = document.definitions.find((d) => d.kind === Kind.SCHEMA_EXTENSION)!;
    expect(print(link)).toBe('extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])');
    const keys = document.definitions.flatMap((d) =>
      (d.kind === Kind.OBJECT_TYPE_DEFINITION || d.kind === Kind.INTERFACE_TYPE_DEFINITION) && d.directives?.some((x) => x.name.value === 'key')
        ? [`${d.name.value} ${d.directives.map(print).join(' ')}`]
        : [],
    );
    expect(keys.sort()).toEqual([
      'AstraToken @key(fields: "id")',
      'CrafterAccessToken @key(fields: "id")',
      'CrafterTicket @key(fields: "id")',
      'GameToken @key(fields: "id")',
      'NetbirdPAT @key(fields: "id")',
      'Token @key(fields: "id")',
    ]);
    expect(stack.totalCalls()).toBe(0);
  });
});

describe('_entities', () => {
  // [typename, global id, the token's name]; `undefined`: no such token (the entity is null).
  // Tickets have no name: a known ticket answers `name: null`.
  const distinct: Array<[string, string, string | null | undefined]> = [
    ['CrafterTicket', toGlobalId('CrafterTicket', [TICKET_ALICE]), null],
    ['CrafterTicket', toGlobalId('CrafterTicket', [TICKET_BOB]), null],
    ['CrafterTicket', toGlobalId('CrafterTicket', ['no-such-ticket']), undefined],
    ['CrafterAccessToken', toGlobalId('CrafterAccessToken', [fingerprintSecretId(ADMINCONSOLE)]), 'adminconsole'],
    ['CrafterAccessToken', toGlobalId('CrafterAccessToken', [fingerprintSecretId(DEMO_SITE)]), 'demo-site'],
    ['CrafterAccessToken', toGlobalId('CrafterAccessToken', [fingerprintSecretId('no-such-access-token')]), undefined],
    ['AstraToken', toGlobalId('AstraToken', ['acme', 'ops-admin', 'astra-demo-1']), 'ops automation'],
    ['AstraToken', toGlobalId('AstraToken', ['acme', 'ops-admin', 'astra-demo-2']), 'read-only dashboard'],
    ['NetbirdPAT', toGlobalId('NetbirdPAT', ['alice', 'nb-demo-1']), 'CI deploy'],
    ['NetbirdPAT', toGlobalId('NetbirdPAT', ['alice', 'nb-demo-2']), 'old laptop'],
    ['NetbirdPAT', toGlobalId('NetbirdPAT', ['svc-monitoring', 'nb-demo-3']), 'monitoring'],
    ['GameToken', toGlobalId('GameToken', ['game-demo-1']), 'Spin & Win <Deluxe>'],
    ['GameToken', toGlobalId('GameToken', ['game-demo-2']), 'Treasure Hunt'],
    ['GameToken', toGlobalId('GameToken', ['no-such-game-token']), undefined],
    // The interface entity: the same tokens, referenced as `Token` by id alone.
    ['Token', toGlobalId('NetbirdPAT', ['alice', 'nb-demo-1']), 'CI deploy'],
    ['Token', toGlobalId('GameToken', ['game-demo-2']), 'Treasure Hunt'],
    ['Token', toGlobalId('CrafterTicket', [TICKET_BOB]), null],
    ['Token', toGlobalId('CrafterAccessToken', [fingerprintSecretId(ADMINCONSOLE)]), 'adminconsole'],
    ['Token', toGlobalId('AstraToken', ['acme', 'ops-admin', 'astra-demo-2']), 'read-only dashboard'],
  ];
  const typeOf = (id: string) => JSON.parse(Buffer.from(id, 'base64url').toString('utf8'))[0] as string;

  it('resolves 100 representations of every type with one upstream call per distinct resource', async () => {
    const representations = Array.from({ length: 100 }, (_, i) => {
      const [__typename, id] = distinct[(i * 7) % distinct.length]!;
      return { __typename, id };
    });
    const response = await stack.query(ENTITIES, { representations });
    expect(response.body.errors).toBeUndefined();
    const entities = response.body.data!._entities as Array<{ __typename: string; id: string; name: string | null } | null>;
    expect(entities).toHaveLength(100);
    entities.forEach((entity, i) => {
      const { id } = representations[i]!;
      const name = distinct.find((d) => d[1] === id)![2];
      expect(entity).toEqual(name === undefined ? null : { __typename: typeOf(id), id, name });
    });

    expect(paths('crafterProfile')).toEqual(
      [
        '/crafter-profile/api/1/access_token/all',
        `/crafter-profile/api/1/authentication/ticket/${TICKET_ALICE}`,
        `/crafter-profile/api/1/authentication/ticket/${TICKET_BOB}`,
        '/crafter-profile/api/1/authentication/ticket/no-such-ticket',
      ].sort(),
    );
    expect(stack.calls('crafterProfile').filter((c) => c.path.endsWith('/access_token/all'))).toHaveLength(1);
    expect(paths('astra')).toEqual(['/accounts/acme/core/v1/users/ops-admin/tokens/astra-demo-1', '/accounts/acme/core/v1/users/ops-admin/tokens/astra-demo-2']);
    expect(paths('netbird')).toEqual(['/api/users/alice/tokens/nb-demo-1', '/api/users/alice/tokens/nb-demo-2', '/api/users/svc-monitoring/tokens/nb-demo-3']);
    expect(paths('games')).toEqual(['/v1/tokens/game-demo-1', '/v1/tokens/game-demo-2', '/v1/tokens/no-such-game-token']);
    expect(stack.totalCalls()).toBe(12);
  });

  it('shares the loaders with the other root fields of the same request', async () => {
    const id = toGlobalId('GameToken', ['game-demo-1']);
    const response = await stack.query(
      `query ($representations: [_Any!]!, $id: ID!) {
        _entities(representations: $representations) { ... on GameToken { name } }
        node(id: $id) { id }
        gameToken(id: "game-demo-1") { name }
      }`,
      { representations: [{ __typename: 'GameToken', id }, { __typename: 'Token', id }], id },
    );
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data?._entities).toEqual([{ name: 'Spin & Win <Deluxe>' }, { name: 'Spin & Win <Deluxe>' }]);
    expect(paths('games')).toEqual(['/v1/tokens/game-demo-1']);
    expect(stack.totalCalls()).toBe(1);
  });

  it('answers a malformed id, or an id of another type, with BAD_USER_INPUT at its position only', async () => {
    const representations = [
      { __typename: 'NetbirdPAT', id: toGlobalId('NetbirdPAT', ['alice', 'nb-demo-1']) },
      { __typename: 'NetbirdPAT', id: toGlobalId('GameToken', ['game-demo-1']) },
      { __typename: 'GameToken', id: 'not-a-global-id' },
      { __typename: 'Token', id: 42 },
      { __typename: 'AstraToken' },
    ];
    const response = await stack.query(ENTITIES, { representations });
    expect(response.body.data?._entities).toEqual([
      { __typename: 'NetbirdPAT', id: representations[0]!.id, name: 'CI deploy' },
      null,
      null,
      null,
      null,
    ]);
    const errors = response.body.errors ?? [];
    expect(errors.map((e) => [e.path, e.extensions?.code, e.message])).toEqual([
      [['_entities', 1], 'BAD_USER_INPUT', 'id is not the id of a NetbirdPAT'],
      [['_entities', 2], 'BAD_USER_INPUT', 'id is malformed: not a global id returned by tokengraph'],
      [['_entities', 3], 'BAD_USER_INPUT', 'a representation of Token needs its global id, a string, as id'],
      [['_entities', 4], 'BAD_USER_INPUT', 'a representation of AstraToken needs its global id, a string, as id'],
    ]);
    // Only the good one reached an upstream.
    expect(paths('netbird')).toEqual(['/api/users/alice/tokens/nb-demo-1']);
    expect(stack.totalCalls()).toBe(1);
  });
});
