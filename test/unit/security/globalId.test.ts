import { describe, expect, it } from 'vitest';
import { fromGlobalId, toGlobalId } from '../../../src/security/globalId.js';
import { fingerprintSecretId } from '../../../src/security/secretIds.js';

const fingerprint = fingerprintSecretId('e8f5170c-877b-416f-b70f-4b09772f8e2d');

describe('global ids', () => {
  it.each([
    ['CrafterTicket', ['2e911e0b-ac47-423e-9174-4e8896f1b387'], { source: 'CRAFTER_TICKET', tokenId: '2e911e0b-ac47-423e-9174-4e8896f1b387' }],
    ['CrafterAccessToken', [fingerprint], { source: 'CRAFTER_ACCESS_TOKEN', fingerprint }],
    ['AstraToken', ['acme', 'ops-admin', 'astra-demo-1'], { source: 'ASTRA', accountId: 'acme', userId: 'ops-admin', tokenId: 'astra-demo-1' }],
    ['NetbirdPAT', ['alice', 'nb-demo-1'], { source: 'NETBIRD', userId: 'alice', tokenId: 'nb-demo-1' }],
    ['GameToken', ['game-demo-1'], { source: 'GAME', tokenId: 'game-demo-1' }],
    ['NetbirdPAT', ['ü/..?#%2F', '東京🎮'], { source: 'NETBIRD', userId: 'ü/..?#%2F', tokenId: '東京🎮' }],
  ] as const)('round-trips a %s id', (type, keys, key) => {
    const id = toGlobalId(type, keys);
    expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(fromGlobalId(id)).toEqual(key);
  });

  it('is stable: the same keys always give the same id', () => {
    expect(toGlobalId('NetbirdPAT', ['alice', 'nb-demo-1'])).toBe('WyJOZXRiaXJkUEFUIiwiYWxpY2UiLCJuYi1kZW1vLTEiXQ');
  });

  it('never contains a Crafter access-token id', () => {
    const id = toGlobalId('CrafterAccessToken', [fingerprint]);
    expect(Buffer.from(id, 'base64url').toString()).not.toContain('e8f5170c');
  });

  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  it.each([
    ['an empty id', ''],
    ['not base64url', 'a+b/c='],
    ['base64url of something that is not JSON', Buffer.from('hello').toString('base64url')],
    ['a JSON object', encode({ type: 'GameToken', id: 'x' })],
    ['a JSON array with a number', encode(['GameToken', 1])],
    ['a foreign type', encode(['User', '42'])],
    ['a Relay-style "Type:id"', Buffer.from('GameToken:game-demo-1').toString('base64')],
    ['too few keys', encode(['NetbirdPAT', 'alice'])],
    ['too many keys', encode(['GameToken', 'a', 'b'])],
    ['an empty key', encode(['GameToken', ''])],
    ['a ".." key', encode(['GameToken', '..'])],
    ['a key with a control character', encode(['GameToken', 'a\u0000b'])],
    ['a key over 256 code points', encode(['GameToken', 'x'.repeat(257)])],
    ['a CrafterAccessToken id that is not a fingerprint', encode(['CrafterAccessToken', 'e8f5170c-877b-416f-b70f-4b09772f8e2d'])],
    ['a non-canonical encoding', `${toGlobalId('GameToken', ['g'])}A`],
    ['a very long id', 'A'.repeat(10_000)],
  ])('rejects %s with BAD_USER_INPUT', (_, id) => {
    expect(() => fromGlobalId(id)).toThrowError(expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT' } }));
  });
});
