/**
 * A token's findings (contract §11): what a security team asks first of an inventory, judged from
 * the token alone at the time of the request, never stored. A pure function of the token, the
 * thresholds and the time: `findingsOf(facts, settings, now)`, in the enum's order.
 *
 * | finding          | holds when                                                                          |
 * | NEVER_EXPIRES    | its status is NEVER_EXPIRES (the upstream says it has no expiry)                   |
 * | EXPIRED          | its status is EXPIRED                                                              |
 * | EXPIRES_SOON     | now <= expiresAt < now + TOKENGRAPH_EXPIRES_SOON_DAYS                               |
 * | LONG_LIVED       | expiresAt - createdAt > TOKENGRAPH_MAX_LIFETIME_DAYS                                |
 * | UNUSED           | its source reports last use, and lastUsedAt is older than TOKENGRAPH_UNUSED_DAYS    |
 * | NEVER_USED       | its source reports last use, lastUsedAt is null, and createdAt is older than 7 days |
 * | MASTER           | a Crafter master access token (full access to every tenant)                         |
 * | OWNER_INACTIVE   | its owner is blocked or not active upstream (NetBird's users list)                  |
 *
 * Only NetBird reports last use (a Crafter ticket's last request is the read itself: contract §10).
 * A date that cannot be read counts as absent.
 */
import type { FindingSettings } from '../config/readConfig.js';
import { fieldsOf, type TokenModel } from '../datasources/models.js';
import { statusAt, type DateField, type TokenStatus } from '../datasources/tokenFields.js';
import { dateMillis } from '../shared/dates.js';

export const TOKEN_FINDINGS = ['NEVER_EXPIRES', 'EXPIRED', 'EXPIRES_SOON', 'LONG_LIVED', 'UNUSED', 'NEVER_USED', 'MASTER', 'OWNER_INACTIVE'] as const;
export type TokenFinding = (typeof TOKEN_FINDINGS)[number];

export type { FindingSettings };

/** How long a token that reports use may go unused from its creation before it is NEVER_USED. */
const NEVER_USED_AFTER_DAYS = 7;
const DAY = 86_400_000;

/** What the findings of a token are judged from, read once from its model (datasources/tokenFields.ts). */
export interface TokenFacts {
  /** The upstream's own status rule, if it has one; else the status follows from `expiresAt`. */
  fixedStatus: TokenStatus | undefined;
  createdAt: number | null;
  expiresAt: number | null;
  lastUsedAt: number | null;
  /** Whether its source reports last use at all. */
  reportsLastUse: boolean;
  master: boolean;
  ownerInactive: boolean;
}

export function factsOf(model: TokenModel): TokenFacts {
  const fields = fieldsOf(model);
  const date = (field: DateField<TokenModel> | null) => dateMillis(field?.value(model)) ?? null;
  return {
    fixedStatus: fields.status?.(model),
    createdAt: date(fields.createdAt as DateField<TokenModel> | null),
    expiresAt: date(fields.expiresAt as DateField<TokenModel> | null),
    lastUsedAt: date(fields.lastUsedAt as DateField<TokenModel> | null),
    reportsLastUse: fields.lastUsedAt !== null,
    master: fields.master?.(model) ?? false,
    ownerInactive: fields.ownerInactive?.(model) ?? false,
  };
}

/** The findings of a token with `facts` at `now`, in the enum's order; `[]` when none. */
export function findingsOf(facts: TokenFacts, settings: FindingSettings, now: number): TokenFinding[] {
  const found: TokenFinding[] = [];
  const status = statusAt(facts.expiresAt, now, facts.fixedStatus);
  const { createdAt, expiresAt, lastUsedAt } = facts;
  if (status === 'NEVER_EXPIRES') found.push('NEVER_EXPIRES');
  if (status === 'EXPIRED') found.push('EXPIRED');
  if (expiresAt !== null && now <= expiresAt && expiresAt < now + settings.expiresSoonDays * DAY) found.push('EXPIRES_SOON');
  if (expiresAt !== null && createdAt !== null && expiresAt - createdAt > settings.maxLifetimeDays * DAY) found.push('LONG_LIVED');
  if (facts.reportsLastUse && lastUsedAt !== null && lastUsedAt < now - settings.unusedDays * DAY) found.push('UNUSED');
  if (facts.reportsLastUse && lastUsedAt === null && createdAt !== null && createdAt < now - NEVER_USED_AFTER_DAYS * DAY) found.push('NEVER_USED');
  if (facts.master) found.push('MASTER');
  if (facts.ownerInactive) found.push('OWNER_INACTIVE');
  return found;
}

/** The findings of `model` at `now`. */
export function findings(model: TokenModel, settings: FindingSettings, now = Date.now()): TokenFinding[] {
  return findingsOf(factsOf(model), settings, now);
}
