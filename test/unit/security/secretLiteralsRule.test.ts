/**
 * secretLiteralsRule: a Crafter ticket id or access-token id written in a document fails
 * validation (so Apollo never stores the document), wherever the schema takes one, and so does a
 * global id that carries a ticket id; variables, public ids and other global ids pass. Linear: a
 * fragment is walked once however often it is spread.
 */
import { parse, validate, ValidationContext } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createSchema } from '../../../src/graph/createSchema.js';
import { secretLiteralsRule } from '../../../src/security/secretLiteralsRule.js';
import { toGlobalId } from '../../../src/security/globalId.js';

const schema = createSchema();
const TICKET = '2e911e0b-ac47-423e-9174-4e8896f1b387';
const ACCESS_TOKEN = 'e8f5170c-877b-416f-b70f-4b09772f8e2d';

/** The messages of the rule's errors for `document`, which must otherwise be valid. */
function refusals(document: string): string[] {
  const ast = parse(document);
  expect(validate(schema, ast).map((error) => error.message), 'the document is valid').toEqual([]);
  return validate(schema, ast, [secretLiteralsRule]).map((error) => error.message);
}

const PASS_A_VARIABLE = 'is a credential and may not be written in the document, where it would be kept with it: pass it as a variable';

describe('refuses a secret id written in the document', () => {
  it.each([
    ['crafterTicket(id:)', `{ crafterTicket(id: "${TICKET}") { tenant } }`, 'crafterTicket(id:)'],
    ['crafterAccessToken(id:)', `{ crafterAccessToken(id: "${ACCESS_TOKEN}") { name } }`, 'crafterAccessToken(id:)'],
    ['a CRAFTER_TICKET ref in token(ref:)', `{ token(ref: { source: CRAFTER_TICKET, tokenId: "${TICKET}" }) { name } }`, 'the tokenId of a CRAFTER_TICKET TokenRef'],
    ['a CRAFTER_ACCESS_TOKEN ref in tokens(refs:)', `{ tokens(refs: [{ source: GAME, tokenId: "g" }, { tokenId: "${ACCESS_TOKEN}", source: CRAFTER_ACCESS_TOKEN }]) { name } }`, 'the tokenId of a CRAFTER_ACCESS_TOKEN TokenRef'],
    ['a single ref where a list goes', `{ tokens(refs: { source: CRAFTER_TICKET, tokenId: "${TICKET}" }) { name } }`, 'the tokenId of a CRAFTER_TICKET TokenRef'],
    ['a ref in revokeTokens(refs:)', `mutation { revokeTokens(refs: [{ source: CRAFTER_ACCESS_TOKEN, tokenId: "${ACCESS_TOKEN}" }], dryRun: true) { outcome } }`, 'the tokenId of a CRAFTER_ACCESS_TOKEN TokenRef'],
    ['a ref whose source is a variable', `query ($source: TokenSource!) { token(ref: { source: $source, tokenId: "${TICKET}" }) { name } }`, 'the tokenId of a TokenRef whose source is not written in the document (it may be CRAFTER_TICKET or CRAFTER_ACCESS_TOKEN)'],
    ['inside a fragment', `{ ...F } fragment F on Query { crafterAccessToken(id: "${ACCESS_TOKEN}") { name } }`, 'crafterAccessToken(id:)'],
    ['as the default value of a variable used for one', `query ($id: String! = "${ACCESS_TOKEN}") { crafterAccessToken(id: $id) { name } }`, 'the default value of $id, used as crafterAccessToken(id:),'],
    ['as the default value of a variable used in a ref', `query ($t: String = "${TICKET}") { token(ref: { source: CRAFTER_TICKET, tokenId: $t }) { name } }`, 'the default value of $t, used as the tokenId of a CRAFTER_TICKET TokenRef,'],
    ['in a ref written as a variable\'s default value', `query ($refs: [TokenRef!]! = [{ source: CRAFTER_TICKET, tokenId: "${TICKET}" }]) { tokens(refs: $refs) { name } }`, 'the tokenId of a CRAFTER_TICKET TokenRef'],
  ])('%s', (_, document, place) => {
    expect(refusals(document)).toEqual([`${place} ${PASS_A_VARIABLE}`]);
  });

  // A ticket's global id is base64url of ["CrafterTicket", "<ticket id>"]: it carries the ticket id.
  const TICKET_ID = toGlobalId('CrafterTicket', [TICKET]);
  const CARRIES_A_TICKET = 'is the global id of a Crafter ticket and carries its id, a credential: it may not be written in the document, where it would be kept with it: pass it as a variable';
  it.each([
    ['node(id:)', `{ node(id: "${TICKET_ID}") { id } }`, 'node(id:)'],
    ['nodes(ids:), among public ids', `{ nodes(ids: ["${toGlobalId('GameToken', ['game-demo-1'])}", "${TICKET_ID}"]) { id } }`, 'nodes(ids:)'],
    ['the token of a tokenEvents filter', `{ tokenEvents(filter: { token: "${TICKET_ID}" }) { totalCount } }`, 'token in tokenEvents(filter:)'],
    ['the default value of an ID variable', `query ($id: ID! = "${TICKET_ID}") { node(id: $id) { id } }`, 'the default value of $id'],
    // Federation's `_Any` takes an object literal: every string in it is checked, whatever its type.
    ['an _entities representation', `{ _entities(representations: [{ __typename: "CrafterTicket", id: "${TICKET_ID}" }]) { ... on CrafterTicket { tenant } } }`, 'id in _entities(representations:)'],
    ['an _Any list variable\'s default value', `query ($r: [_Any!]! = [{ __typename: "CrafterTicket", id: "${TICKET_ID}" }]) { _entities(representations: $r) { __typename } }`, 'id in the default value of $r'],
    ['a String argument', `{ inventory(filter: { search: "${TICKET_ID}" }) { totalCount } }`, 'search in inventory(filter:)'],
  ])('a Crafter ticket\'s global id in %s', (_, document, place) => {
    expect(refusals(document)).toEqual([`${place} ${CARRIES_A_TICKET}`]);
  });

  it('names no value in its message, and points at the literal', () => {
    const [error] = validate(schema, parse(`{ crafterAccessToken(id: "${ACCESS_TOKEN}") { name } }`), [secretLiteralsRule]);
    expect(JSON.stringify(error)).not.toContain(ACCESS_TOKEN);
    expect(error!.locations).toEqual([{ line: 1, column: 26 }]);
  });
});

describe('lets through', () => {
  it.each([
    ['secret ids as variables', 'query ($t: String!, $a: String!) { crafterTicket(id: $t) { tenant } crafterAccessToken(id: $a) { name } }'],
    ['refs with secret ids as variables', 'query ($t: String!, $refs: [TokenRef!]!) { token(ref: { source: CRAFTER_TICKET, tokenId: $t }) { name } tokens(refs: $refs) { name } }'],
    ['public ids written in the document', '{ gameToken(id: "game-demo-1") { name } astraToken(accountId: "acme", userId: "ops-admin", tokenId: "astra-demo-1") { name } netbirdToken(userId: "alice", tokenId: "nb-demo-1") { name } }'],
    ['refs of sources with public ids', '{ tokens(refs: [{ source: NETBIRD, userId: "alice", tokenId: "nb-demo-1" }, { source: GAME, tokenId: "game-demo-1" }]) { name } }'],
    ['global ids (a secret id\'s holds only its fingerprint)', `{ node(id: "${toGlobalId('CrafterAccessToken', ['0'.repeat(64)])}") { id } }`],
    ['public global ids in nodes(ids:) and a tokenEvents filter', `{ nodes(ids: ["${toGlobalId('NetbirdPAT', ['alice', 'nb-demo-1'])}"]) { id } tokenEvents(filter: { token: "${toGlobalId('AstraToken', ['acme', 'ops-admin', 'astra-demo-1'])}" }) { totalCount } }`],
    ['a ticket\'s history id (TokenEvent.token: the global id of its fingerprint)', `{ tokenEvents(filter: { token: "${toGlobalId('CrafterTicket', ['a'.repeat(64)])}" }) { totalCount } }`],
    ['a string that is no global id where one goes (the resolver refuses it)', '{ node(id: "not-a-global-id") { id } }'],
    ['a default value of a variable used for a public id', 'query ($id: String! = "game-demo-1") { gameToken(id: $id) { name } }'],
    ['the list of access tokens, and the inventory', '{ crafterAccessTokens { name } inventory(filter: { search: "e8f5" }) { totalCount } }'],
  ])('%s', (_, document) => {
    expect(refusals(document)).toEqual([]);
  });
});

it('walks a fragment once, however often it is spread: it never follows a spread', () => {
  // 2^20 spreads of F20, which writes one secret id: one error, and no fragment looked up.
  const levels = 20;
  const fragments = Array.from({ length: levels }, (_, i) => `fragment F${i} on Query { ...F${i + 1} ... on Query { ...F${i + 1} } }`);
  const document = `{ ...F0 } ${fragments.join(' ')} fragment F${levels} on Query { crafterTicket(id: "${TICKET}") { tenant } }`;
  const getFragment = ValidationContext.prototype.getFragment;
  let lookups = 0;
  ValidationContext.prototype.getFragment = function (this: ValidationContext, name: string) {
    lookups += 1;
    return getFragment.call(this, name);
  };
  try {
    expect(validate(schema, parse(document), [secretLiteralsRule]).map((error) => error.message)).toEqual([`crafterTicket(id:) ${PASS_A_VARIABLE}`]);
  } finally {
    ValidationContext.prototype.getFragment = getFragment;
  }
  expect(lookups).toBe(0);
});
