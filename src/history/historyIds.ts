/**
 * How the history names and keeps a token, with no credential (contract §12, "Credentials at
 * rest"): its global id, except a Crafter ticket's (its global id carries the ticket id, a session
 * credential), which is the global id of the ticket's SHA-256 fingerprint; its id as shown, masked
 * for access tokens and tickets alike. An access token's global id is made from its fingerprint
 * already (security/globalId.ts).
 *
 * A ticket's history id does not resolve through `node(id:)` (it names no ticket Crafter knows);
 * `tokenEvents(filter: { token })` takes either it or the ticket's real global id.
 */
import { fieldsOf, globalIdOf, statusOf, type TokenModel } from '../datasources/models.js';
import { fromGlobalId, SHA256_HEX, toGlobalId } from '../security/globalId.js';
import { fingerprintSecretId, maskSecretId } from '../security/secretIds.js';
import { normalizeDate } from '../shared/dates.js';
import { sourceRow, type TokenKey } from '../sources.js';
import type { ReadPart, TokenState } from './tokenEvents.js';
import type { PartResult, Snapshot } from '../inventory/snapshot.js';

/** The id the history keeps a token under. */
export function historyIdOf(model: TokenModel): string {
  if (sourceRow(model.source).id !== 'credential' || !('key' in model)) return globalIdOf(model);
  return toGlobalId(sourceRow(model.source).type, [fingerprintSecretId(model.key.tokenId)]);
}

/**
 * The history id of a global id a client sends: the id itself, or for a ticket's real global id
 * its fingerprint's (a ticket id is never 64 hex digits; a fingerprint always is). Throws
 * `BAD_USER_INPUT` for an id tokengraph did not make.
 */
export function historyIdOfGlobalId(id: string): string {
  const key: TokenKey = fromGlobalId(id);
  if ('fingerprint' in key) return toGlobalId(sourceRow(key.source).type, [key.fingerprint]);
  const row = sourceRow(key.source);
  if (row.id !== 'credential') return toGlobalId(row.type, (row.refParts as readonly string[]).map((part) => (key as unknown as Record<string, string>)[part]!));
  return toGlobalId(row.type, [SHA256_HEX.test(key.tokenId) ? key.tokenId : fingerprintSecretId(key.tokenId)]);
}

/** What the history keeps of `model` at `now`: its shown id (masked where a credential), name, owner, expiry and status. */
export function tokenStateOf(model: TokenModel, now: number): TokenState {
  const fields = fieldsOf(model);
  const shownId = fields.tokenId(model);
  const expiry = fields.expiresAt?.value(model);
  return {
    tokenId: sourceRow(model.source).id === 'credential' ? maskSecretId(shownId) : shownId,
    name: fields.name(model),
    owner: fields.owner(model),
    expiresAt: expiry === null || expiry === undefined ? null : (normalizeDate(expiry) ?? null),
    status: statusOf(model, now),
  };
}

/** The parts of a read's own snapshot (before carry-forward), each token as the history keeps it. */
export function readPartsOf(snapshot: Pick<Snapshot, 'collectedAt' | 'tokens' | 'parts'>): ReadPart[] {
  const byGlobalId = new Map(snapshot.tokens.map((model) => [globalIdOf(model), model]));
  const states = new Map<string, [string, TokenState]>();
  const stateOf = (globalId: string): [string, TokenState] | undefined => {
    let entry = states.get(globalId);
    const model = byGlobalId.get(globalId);
    if (!entry && model) states.set(globalId, (entry = [historyIdOf(model), tokenStateOf(model, snapshot.collectedAt)]));
    return entry;
  };
  return snapshot.parts.map((part: PartResult) => ({
    id: part.id,
    source: part.source,
    failed: part.error !== undefined,
    tokens: new Map(part.tokens.map(stateOf).filter((entry): entry is [string, TokenState] => entry !== undefined)),
  }));
}
