/**
 * What a read of the inventory changed (contract §12), as a pure function: the events, and the
 * part transitions that carry them. No I/O: createHistory.ts loads the part states, calls
 * `diffRead`, and writes what it returns (historyRepository.ts).
 *
 * Each complete part read is compared with the previous complete read of the same part (its
 * stored state), token by token, over every part of the read at once, so a token two parts hold
 * (a watched NetBird token its user's list also returns) is one token:
 *
 * - listed now and held by no earlier state → APPEARED (the first read of a part: all of it);
 * - held by an earlier state of a part read whole now, and listed by none now → DISAPPEARED;
 * - `name`, `owner` or `expiresAt` different → CHANGED (`detail`: `field: old → new`, by `; `);
 * - status turned EXPIRED → EXPIRED.
 *
 * A failed part changes nothing, nor does any part inside it (shared/partIds.ts): what it held is unknown,
 * not gone, so a token an unknown part held before never DISAPPEARS. A part whose stored state is
 * from a read as new as this one (another replica's newer read) is left to that read. With
 * `judgeAbsent`, a part that is no longer in the read although the part around it was read whole
 * (a NetBird user deleted, an Astra user gone from its account) held its tokens for the last time:
 * they DISAPPEAR with it.
 *
 * Every event is tied to a transition of one part `from` a version `to` the next, and its key is
 * derived from (kind, token, part, from): two replicas that compare the same read with the same
 * state derive the same keys, and only one of them can move the part on from that version. A part
 * that went has its state deleted, so its next read is a first read (from 0) again: a first read's
 * keys also hold the read's time, or the events of the part's second life would have the keys of
 * its first and be dropped as recorded already.
 */
import { createHash } from 'node:crypto';
import type { TokenStatus } from '../datasources/tokenFields.js';
import { PartIds } from '../shared/partIds.js';
import type { SourceName } from '../sources.js';

export type TokenEventKind = 'APPEARED' | 'DISAPPEARED' | 'CHANGED' | 'EXPIRED' | 'REVOKED';

/** What the history keeps of a token in a part: nothing that is a credential. */
export interface TokenState {
  /** As shown, and masked where it is a credential (access tokens, tickets). */
  tokenId: string;
  name: string | null;
  owner: string | null;
  /** RFC 3339 (the DateTime form), or null. */
  expiresAt: string | null;
  status: TokenStatus;
}

/** The last complete read of one part, as stored. */
export interface PartState {
  part: string;
  source: SourceName;
  version: number;
  /** When that read started, epoch ms. */
  readAt: number;
  /** By token (history id: historyIds.ts). */
  tokens: ReadonlyMap<string, TokenState>;
}

/** One part of a read, its tokens by history id. */
export interface ReadPart {
  id: string;
  source: SourceName;
  failed: boolean;
  tokens: ReadonlyMap<string, TokenState>;
}

export interface Read {
  /** When the read started (the snapshot's collectedAt), epoch ms: the events' `at`. */
  at: number;
  parts: readonly ReadPart[];
  /** Whether parts missing under a part read whole are gone (reads with tokengraph's own credentials). */
  judgeAbsent: boolean;
}

/** What an event says of its token: the fields of `TokenEvent` but its time. */
export interface TokenEventFields {
  kind: TokenEventKind;
  source: SourceName;
  /** The token's history id (its global id; a ticket's from its fingerprint). */
  token: string;
  /** As shown, masked where a credential. */
  tokenId: string;
  name: string | null;
  owner: string | null;
  detail: string | null;
  actor: string | null;
}

/** An event to record. */
export interface TokenEventRecord extends TokenEventFields {
  /** Unique per occurrence: what replicas agree on. */
  key: string;
  /** Epoch ms. */
  at: number;
}

/** A part moved on from version `from` (0: none stored) to `to` (0: gone, its state deleted). */
export interface Transition {
  part: string;
  source: SourceName;
  from: number;
  to: number;
  readAt: number;
  tokens: ReadonlyMap<string, TokenState>;
}

export interface ReadChanges {
  transitions: Transition[];
  events: TokenEventRecord[];
}

/** The fields whose change is CHANGED, in the order `detail` names them. */
const WATCHED_FIELDS = ['name', 'owner', 'expiresAt'] as const;

export function diffRead(read: Read, states: ReadonlyMap<string, PartState>): ReadChanges {
  const failed = new PartIds(read.parts.filter((part) => part.failed).map((part) => part.id));
  const unknown = (part: string) => failed.covers(part);
  /** Parts this read judges: read whole, not inside a failed one, and newer than what is stored. */
  const judged: ReadPart[] = [];
  /** Their ids, and those of the parts judged gone. */
  const judgedIds = new PartIds();
  /** Stored states this read cannot judge: what they hold is unknown now. */
  const unjudged: PartState[] = [];
  const inRead = new Set(read.parts.map((part) => part.id));
  for (const part of read.parts) {
    const state = states.get(part.id);
    if (part.failed || unknown(part.id) || (state && state.readAt >= read.at)) {
      if (state) unjudged.push(state);
    } else {
      judged.push(part);
      judgedIds.add(part.id);
    }
  }
  for (const state of states.values()) {
    if (inRead.has(state.part)) continue;
    // Inside a part judged (read whole, or gone itself), and not inside a failed one.
    const gone = read.judgeAbsent && !unknown(state.part) && judgedIds.within(state.part) && state.readAt < read.at;
    if (gone) {
      judged.push({ id: state.part, source: state.source, failed: false, tokens: new Map() });
      judgedIds.add(state.part);
    } else unjudged.push(state);
  }
  judged.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  const transitions = new Map<string, Transition>();
  for (const part of judged) {
    const state = states.get(part.id);
    if (state && sameTokens(state.tokens, part.tokens)) continue;
    const gone = !inRead.has(part.id);
    if (gone && !state) continue;
    transitions.set(part.id, { part: part.id, source: part.source, from: state?.version ?? 0, to: gone ? 0 : (state?.version ?? 0) + 1, readAt: read.at, tokens: part.tokens });
  }

  /** Each token now (in judged parts), before (in any state), and whether an unjudged state holds it. */
  const now = new Map<string, { state: TokenState; part: string; source: SourceName }>();
  const before = new Map<string, { state: TokenState; parts: string[]; source: SourceName }>();
  const unknownHolds = new Set<string>();
  for (const part of judged) {
    for (const [token, state] of part.tokens) if (!now.has(token)) now.set(token, { state, part: part.id, source: part.source });
    const stored = states.get(part.id);
    for (const [token, state] of stored?.tokens ?? []) {
      const entry = before.get(token);
      if (entry) entry.parts.push(part.id);
      else before.set(token, { state, parts: [part.id], source: stored!.source });
    }
  }
  for (const state of unjudged) {
    for (const [token, value] of state.tokens) {
      unknownHolds.add(token);
      if (!before.has(token)) before.set(token, { state: value, parts: [], source: state.source });
    }
  }

  const events: TokenEventRecord[] = [];
  const event = (kind: TokenEventKind, token: string, source: SourceName, state: TokenState, part: string, detail: string | null = null) => {
    const from = transitions.get(part)?.from ?? 0;
    events.push({ key: eventKey(kind, token, part, from > 0 ? `${from}` : `0 ${read.at}`), at: read.at, kind, source, token, tokenId: state.tokenId, name: state.name, owner: state.owner, detail, actor: null });
  };
  for (const [token, { state, part, source }] of now) {
    const earlier = before.get(token);
    if (!earlier) {
      event('APPEARED', token, source, state, part);
      continue;
    }
    const changes = changedFields(earlier.state, state);
    if (changes) event('CHANGED', token, source, state, part, changes);
    if (state.status === 'EXPIRED' && earlier.state.status !== 'EXPIRED') event('EXPIRED', token, source, state, part);
  }
  for (const [token, { state, parts, source }] of before) {
    if (now.has(token) || unknownHolds.has(token) || parts.length === 0) continue;
    event('DISAPPEARED', token, source, state, parts[0]!);
  }
  return { transitions: [...transitions.values()], events };
}

/**
 * The unique key of an event of a part transition, `step` the version it moves on from (a first
 * read's: `0 <read time>`); for REVOKED, of a request: `part` its id, `step` when it was confirmed.
 */
export function eventKey(kind: TokenEventKind, token: string, part: string, step: string): string {
  return createHash('sha256').update(`${kind}\0${token}\0${part}\0${step}`).digest('hex').slice(0, 32);
}

/** `name: "a" → "b"; expiresAt: … → …`, or null when none of the watched fields changed. */
function changedFields(before: TokenState, after: TokenState): string | null {
  const changes = WATCHED_FIELDS.filter((field) => before[field] !== after[field]).map((field) => `${field}: ${shown(before[field])} → ${shown(after[field])}`);
  return changes.length > 0 ? changes.join('; ') : null;
}

function shown(value: string | null): string {
  return value === null ? 'null' : JSON.stringify(value);
}

function sameTokens(a: ReadonlyMap<string, TokenState>, b: ReadonlyMap<string, TokenState>): boolean {
  if (a.size !== b.size) return false;
  for (const [token, state] of a) {
    const other = b.get(token);
    if (!other || other.tokenId !== state.tokenId || other.name !== state.name || other.owner !== state.owner || other.expiresAt !== state.expiresAt || other.status !== state.status) return false;
  }
  return true;
}
