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
  /**
   * The status the upstream's own rules give the token whatever its expiry says (contract §3):
   * `NEVER_EXPIRES` for a token that by its upstream's rules has no expiry (every Astra token, a
   * Crafter access token whose `expiresOn` is null), `ACTIVE` for a Crafter ticket (one Crafter
   * returns is live). Undefined: the status follows from `expiresAt`.
   */
  status?(model: M): TokenStatus | undefined;
  /** Whether the token has full access to every tenant (a Crafter master token: contract §11's MASTER). */
  master?(model: M): boolean;
  /**
   * Whether the upstream says the token's owner is blocked or not active (NetBird's users list:
   * `is_blocked`, `status`); false when it says nothing (a token read by id). Contract §11's OWNER_INACTIVE.
   */
  ownerInactive?(model: M): boolean;
}

export interface DateField<M> {
  /** The upstream's name of the field, for the error when its value cannot be read. */
  field: string;
  value(model: M): unknown;
}

export const none = () => null;

export type TokenStatus = 'ACTIVE' | 'EXPIRED' | 'NEVER_EXPIRES' | 'UNKNOWN';

/**
 * The one status rule (contract §3): the upstream's own (`fixed`, from `TokenFields.status`) if it
 * has one; else ACTIVE if the expiry (epoch ms) is in the future, EXPIRED if now or past, UNKNOWN
 * if there is none or it cannot be read.
 */
export function statusAt(expiresAt: number | null | undefined, now: number, fixed?: TokenStatus): TokenStatus {
  if (fixed !== undefined) return fixed;
  if (expiresAt === null || expiresAt === undefined) return 'UNKNOWN';
  return expiresAt > now ? 'ACTIVE' : 'EXPIRED';
}
