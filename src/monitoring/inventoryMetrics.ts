/**
 * The inventory's series at /metrics (contract §8), so Prometheus can page before a token lapses,
 * as cert-manager's and x509-certificate-exporter's series do for certificates:
 *
 *   tokengraph_token_expiry_timestamp_seconds{source,token_id,name,owner}     each token with an expiry
 *   tokengraph_token_last_used_timestamp_seconds{source,token_id,name,owner}  each token with a last use
 *   tokengraph_inventory_tokens{source,status}                                tokens by source and status
 *   tokengraph_inventory_gaps{source,code}                                    parts that could not be read
 *   tokengraph_inventory_complete{source}                                     1 when the source's latest read had no gap, else 0
 *   tokengraph_inventory_findings{source,finding}                             tokens with each finding (contract §11), 0 included
 *   tokengraph_inventory_last_success_timestamp_seconds{source}               the last refresh that read the source
 *   tokengraph_inventory_last_complete_timestamp_seconds{source}              the last refresh that read it with no failed part
 *   tokengraph_inventory_series_dropped                                       tokens past TOKENGRAPH_INVENTORY_MAX_SERIES
 *   tokengraph_inventory_refresh_interval_seconds                             the refresh period (the unit of the inventory rules)
 *   tokengraph_inventory_refresh_duration_seconds                             how long the last refresh took
 *
 * Every refresh replaces the series: a token that left the inventory leaves /metrics too. But a
 * token whose part could not be read keeps its series at their last known values (the snapshot
 * carries it: inventory/carryForward.ts) until that part is read again, so a failure never resolves
 * an alert; `tokengraph_inventory_complete` and the gaps say the source was not read whole. At most
 * `maxSeries` tokens have series, soonest expiry first (then tokens with no expiry). `token_id` is
 * the id as shown: masked where it is secret (a Crafter access token). Crafter tickets have no series:
 * the background refresh never reads one, as reading a ticket renews its session. A source counts as read when the refresh got any of its tokens, or none of its
 * parts failed: a source whose every part failed is not. A gap INVENTORY_NOT_CONFIGURED (Astra
 * watched without ASTRA_ACCOUNT_IDS) is no failure: it is there at every refresh until the setting
 * changes, so counting it would leave such a source unread, and TokenInventoryStale firing, for ever.
 * Nor does it keep a read from being complete for TokenInventoryIncomplete, which counts from the last
 * complete read: Prometheus' `for` takes only a fixed duration, and the rule waits 3 refresh periods
 * of whatever length (`tokengraph_inventory_complete` alone says only how the latest read went).
 *
 * These series live in their own registry, rendered once per refresh (at the first scrape after
 * it) rather than at every scrape: they change only when a refresh ends, and prom-client takes
 * about 25 ms to render 3,500 tokens' series (5,500 samples). `npm run bench:inventory` measured
 * the scrape with every series at p50 57.9 ms rendered each time, and 22.2 ms rendered once (20
 * scrapes each, one at a time, while refreshes ran).
 */
import { Gauge, Registry } from 'prom-client';
import { fieldsOf, type TokenModel } from '../datasources/models.js';
import { statusAt } from '../datasources/tokenFields.js';
import { factsOf, findingsOf, TOKEN_FINDINGS, type FindingSettings } from '../inventory/findings.js';
import type { InventoryView } from '../inventory/inventoryPage.js';
import { NOT_CONFIGURED } from '../inventory/snapshot.js';
import { maskSecretId } from '../security/secretIds.js';
import { sourceRow, type SourceName } from '../sources.js';

export interface InventoryMetrics {
  /** A refresh read `view`'s snapshot in `seconds`. */
  update(view: InventoryView, seconds: number): void;
  /** The series in Prometheus' text format, to follow the rest of /metrics. */
  text(): Promise<string>;
}

/** Longest label value kept: a name is the upstream's, and a label is no place for a paragraph. */
const MAX_LABEL_LENGTH = 128;

export function createInventoryMetrics(options: { maxSeries: number; refreshS: number; sources: readonly SourceName[]; findings: FindingSettings }): InventoryMetrics {
  const registry = new Registry();
  /** The last rendering, until the next refresh changes the series. */
  let rendered: Promise<string> | undefined;
  const tokenLabels = ['source', 'token_id', 'name', 'owner'] as const;
  const gauge = (name: string, help: string, labelNames: readonly string[] = []) => new Gauge({ name, help, labelNames, registers: [registry] });
  const expiry = gauge('tokengraph_token_expiry_timestamp_seconds', 'When an inventoried token expires, unix seconds', tokenLabels);
  const lastUsed = gauge('tokengraph_token_last_used_timestamp_seconds', 'When an inventoried token was last used, unix seconds', tokenLabels);
  const tokens = gauge('tokengraph_inventory_tokens', 'Inventoried tokens, by source and status at the last refresh', ['source', 'status']);
  const gaps = gauge('tokengraph_inventory_gaps', 'Parts of the inventory that could not be read at the last refresh, by source and code', ['source', 'code']);
  const findingCounts = gauge('tokengraph_inventory_findings', 'Inventoried tokens with each finding at the last refresh (NEVER_EXPIRES, EXPIRED, …), by source; counts, not tokens', ['source', 'finding']);
  const complete = gauge('tokengraph_inventory_complete', "1 when the source's latest read had no gap, else 0 (its tokens' series then keep their last known values)", ['source']);
  const lastSuccess = gauge('tokengraph_inventory_last_success_timestamp_seconds', 'When a refresh last read the source, unix seconds (start-up until it does)', ['source']);
  const lastComplete = gauge(
    'tokengraph_inventory_last_complete_timestamp_seconds',
    'When a refresh last read the source with no failed part (INVENTORY_NOT_CONFIGURED is none), unix seconds (start-up until it does)',
    ['source'],
  );
  const dropped = gauge('tokengraph_inventory_series_dropped', 'Token series (expiry, last use) left out by TOKENGRAPH_INVENTORY_MAX_SERIES');
  gauge('tokengraph_inventory_refresh_interval_seconds', 'How often the inventory is refreshed, seconds (TOKENGRAPH_INVENTORY_REFRESH_S)').set(options.refreshS);
  const duration = gauge('tokengraph_inventory_refresh_duration_seconds', 'How long the last inventory refresh took, seconds');
  // Until a source is read, its last success is the start: no successful read since then.
  const started = Date.now() / 1000;
  for (const source of options.sources) {
    lastSuccess.set({ source }, started);
    lastComplete.set({ source }, started);
  }

  return {
    text() {
      rendered ??= registry.metrics();
      return rendered;
    },
    update(view, seconds) {
      rendered = undefined;
      const now = Date.now();
      const { snapshot } = view;
      // Soonest expiry first (the inventory's own order, then what the snapshot carries for parts it
      // could not read): the tokens whose series are kept are the soonest to lapse.
      const carried = (snapshot.carried ?? []).map(({ token }) => rowOf(token));
      const read = view.ordered('EXPIRES_AT_ASC').map((token) => rowOf(token));
      const rows = carried.length === 0 ? read : [...read, ...carried].sort((a, b) => (a.expiry ?? Infinity) - (b.expiry ?? Infinity));
      expiry.reset();
      lastUsed.reset();
      let series = 0;
      let left = 0;
      for (const row of rows) {
        const count = (row.expiry === undefined ? 0 : 1) + (row.lastUsed === undefined ? 0 : 1);
        // A token's series are kept together or not at all; past the first that does not fit, none is.
        if (left > 0 || series + count > options.maxSeries) {
          left += count;
          continue;
        }
        series += count;
        if (row.expiry !== undefined) expiry.set(row.labels, row.expiry / 1000);
        if (row.lastUsed !== undefined) lastUsed.set(row.labels, row.lastUsed / 1000);
      }
      dropped.set(left);

      tokens.reset();
      const counts = new Map<string, { source: SourceName; status: string; count: number }>();
      for (const row of rows) {
        const status = statusAt(row.expiry, now, row.fixedStatus);
        const id = `${row.labels.source}\u0000${status}`;
        const count = counts.get(id) ?? { source: row.labels.source, status, count: 0 };
        count.count += 1;
        counts.set(id, count);
      }
      for (const { source, status, count } of counts.values()) tokens.set({ source, status }, count);

      // Every finding of every monitored source, 0 included, so that "more than before" is a plain comparison.
      findingCounts.reset();
      const found = new Map<string, number>();
      for (const row of rows) for (const finding of findingsOf(row.facts, options.findings, now)) found.set(`${row.labels.source}\u0000${finding}`, (found.get(`${row.labels.source}\u0000${finding}`) ?? 0) + 1);
      for (const source of options.sources) for (const finding of TOKEN_FINDINGS) findingCounts.set({ source, finding }, found.get(`${source}\u0000${finding}`) ?? 0);

      gaps.reset();
      for (const gap of snapshot.gaps) gaps.set({ source: gap.source, code: gap.code }, gap.count);
      for (const source of options.sources) {
        const gapsOf = snapshot.gaps.filter((gap) => gap.source === source);
        complete.set({ source }, gapsOf.length === 0 ? 1 : 0);
        const failed = gapsOf.some((gap) => gap.code !== NOT_CONFIGURED);
        if (!failed) lastComplete.set({ source }, snapshot.collectedAt / 1000);
        if (!failed || read.some((row) => row.labels.source === source)) lastSuccess.set({ source }, snapshot.collectedAt / 1000);
      }
      duration.set(seconds);
    },
  };
}

function rowOf(token: TokenModel) {
  const fields = fieldsOf(token);
  const shownId = fields.tokenId(token);
  const labels = {
    source: token.source,
    // Ticket ids are session credentials: metrics show them masked, like secret ids.
    token_id: sourceRow(token.source).id === 'credential' ? maskSecretId(shownId) : shownId,
    name: label(fields.name(token)),
    owner: label(fields.owner(token)),
  };
  const facts = factsOf(token);
  return { labels, expiry: facts.expiresAt ?? undefined, lastUsed: facts.lastUsedAt ?? undefined, fixedStatus: facts.fixedStatus, facts };
}

function label(value: string | null): string {
  if (value === null) return '';
  return value.length > MAX_LABEL_LENGTH ? `${value.slice(0, MAX_LABEL_LENGTH - 1)}…` : value;
}
