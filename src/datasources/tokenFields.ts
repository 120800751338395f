/**
 * How one source's models fill the `Token` interface's normalized fields (contract §3's table):
 * one `TokenFields` per source, in its datasource file beside the record it reads, so each
 * upstream's naming (`expiration_date`, `ExpirationDate`, `expiresOn`…) is mapped in one place.
 * The resolvers of every token type and the inventory (its filters and orderings) both read it.
 */
export interface TokenFields<M> {
  /** The upstream's id of the token as shown: masked where it is a secret. */
  tokenId(model: M): string;
  name(model: M): string | null;
  owner(model: M): string | null;
  createdBy(model: M): string | null;
  /** Dates as the upstream wrote them; `null` where the upstream records no such date. */
  createdAt: DateField<M> | null;
  expiresAt: DateField<M> | null;
  lastUsedAt: DateField<M> | null;
}

export interface DateField<M> {
  /** The upstream's name of the field, for the error when its value cannot be read. */
  field: string;
  value(model: M): unknown;
}

export const none = () => null;

export type TokenStatus = 'ACTIVE' | 'EXPIRED' | 'UNKNOWN';

/** A token's status from its expiry (epoch ms): ACTIVE if in the future, EXPIRED if now or past, UNKNOWN if none. */
export function statusAt(expiresAt: number | null | undefined, now: number): TokenStatus {
  if (expiresAt === null || expiresAt === undefined) return 'UNKNOWN';
  return expiresAt > now ? 'ACTIVE' : 'EXPIRED';
}
