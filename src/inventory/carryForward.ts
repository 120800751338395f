/**
 * Never blind and silent (contract §8): a token whose part failed in the latest read keeps its last
 * known values until that part is read again, so an expiry alert cannot resolve merely because
 * tokengraph could not see the token. A read's snapshot carries, besides what it read, the tokens the
 * previous snapshot held (read, or carried itself) in parts this read could not read. The
 * inventory's pages show only what was read (a failed part is a gap there); the metrics and the
 * history read the carried tokens too. A part not configured (INVENTORY_NOT_CONFIGURED) is no failure:
 * nothing of it is carried.
 */
import { globalIdOf, type TokenModel } from '../datasources/models.js';
import { PartIds } from '../shared/partIds.js';
import { NOT_CONFIGURED, type CarriedToken, type Snapshot } from './snapshot.js';

export function carryForward(previous: Snapshot | undefined, next: Snapshot): Snapshot {
  // Not configured (Astra without ASTRA_ACCOUNT_IDS) is a setting, not a failure: its tokens are
  // no longer watched, and carrying them would keep their series for ever with nothing to say so.
  const failed = new PartIds(next.parts.filter((part) => part.error && part.error.code !== NOT_CONFIGURED).map((part) => part.id));
  if (!previous || failed.size === 0) return next;
  const unread = (part: string) => failed.covers(part);
  const present = new Set(next.tokens.map(globalIdOf));
  const carried = new Map<string, CarriedToken>();
  const keep = (part: string, token: TokenModel, id = globalIdOf(token)) => {
    if (!present.has(id) && !carried.has(id)) carried.set(id, { part, token });
  };
  const byId = new Map(previous.tokens.map((token) => [globalIdOf(token), token]));
  for (const part of previous.parts) {
    if (part.error || !unread(part.id)) continue;
    for (const id of part.tokens) {
      const token = byId.get(id);
      if (token) keep(part.id, token, id);
    }
  }
  for (const { part, token } of previous.carried ?? []) if (unread(part)) keep(part, token);
  return carried.size === 0 ? next : { ...next, carried: [...carried.values()] };
}
