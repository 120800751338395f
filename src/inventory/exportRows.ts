/**
 * The rows of an inventory export (contract §11): one per token the filter keeps, soonest expiry
 * first, then one per gap, each with the columns `source, id, tokenId, name, owner, createdBy,
 * createdAt, expiresAt, lastUsedAt, status, findings`. A generator, so the first row can be written
 * before the last is made and an export of 100,000 tokens never holds its rows at once.
 *
 * An export is a file that outlives the request: a Crafter ticket's id, a session credential, is
 * shown masked there as in logs and metrics, and its global id (which holds the ticket id) is left
 * out. Access-token ids are masked everywhere already.
 */
import { fieldsOf, statusOf, type TokenModel } from '../datasources/models.js';
import type { DateField } from '../datasources/tokenFields.js';
import { maskSecretId } from '../security/secretIds.js';
import { normalizeDate } from '../shared/dates.js';
import { sourceRow, type SourceName } from '../sources.js';
import type { FindingSettings, TokenFinding } from './findings.js';
import type { InventoryView, TokenFilter } from './inventoryPage.js';

export const EXPORT_COLUMNS = ['source', 'id', 'tokenId', 'name', 'owner', 'createdBy', 'createdAt', 'expiresAt', 'lastUsedAt', 'status', 'findings'] as const;

/** One row: a token, or a gap (`status` `GAP`, `tokenId` its code, `name` its message, the rest empty). */
export interface ExportRow {
  source: SourceName;
  id: string | null;
  tokenId: string;
  name: string | null;
  owner: string | null;
  createdBy: string | null;
  createdAt: string | null;
  expiresAt: string | null;
  lastUsedAt: string | null;
  status: string;
  findings: TokenFinding[];
}

export function* exportRows(view: InventoryView, filter: TokenFilter, settings: FindingSettings, now = Date.now()): Generator<ExportRow> {
  for (const { model, id, findings } of view.matching('EXPIRES_AT_ASC', filter, settings, now)) yield tokenRow(model, id, findings, now);
  for (const gap of view.snapshot.gaps) {
    yield { source: gap.source, id: null, tokenId: gap.code, name: gap.message, owner: null, createdBy: null, createdAt: null, expiresAt: null, lastUsedAt: null, status: 'GAP', findings: [] };
  }
}

function tokenRow(model: TokenModel, id: string, findings: TokenFinding[], now: number): ExportRow {
  const fields = fieldsOf(model);
  // An unreadable date is an empty cell here (GraphQL answers it null with an error).
  const date = (field: DateField<TokenModel> | null) => normalizeDate(field?.value(model)) ?? null;
  const shownId = fields.tokenId(model);
  const session = sourceRow(model.source).id === 'credential';
  return {
    source: model.source,
    id: session ? null : id,
    tokenId: session ? maskSecretId(shownId) : shownId,
    name: fields.name(model),
    owner: fields.owner(model),
    createdBy: fields.createdBy(model),
    createdAt: date(fields.createdAt as DateField<TokenModel> | null),
    expiresAt: date(fields.expiresAt as DateField<TokenModel> | null),
    lastUsedAt: date(fields.lastUsedAt as DateField<TokenModel> | null),
    status: statusOf(model, now),
    findings,
  };
}
