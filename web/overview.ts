/**
 * The token overview page at `/`: the inventory (every token tokengraph can find), soonest
 * expiry first, in pages of 50, with the page's own watch list, fetched together in one GraphQL
 * request (`TokenOverview`); "Load more" asks for the next page. Filters and the watch list are
 * kept in the URL. Bundled by esbuild when the server first serves it (src/http/overviewPage.ts);
 * it loads nothing from any other host.
 *
 * Each row that can be revoked has a Revoke button: a dry run, a confirmation that names the
 * token, then the revocation, its outcome shown in the row (web/revokeDialog.ts).
 *
 * Each row shows its findings; above the table, one count per finding, which filters by it when
 * clicked (web/findings.ts: what the counts count). "Export CSV" and "Export NDJSON" fetch the
 * inventory export for the current filters with the page's key and save it (web/exportLinks.ts).
 *
 * Each row's ▸ button opens its details: when tokengraph first saw the token and its newest 20
 * events, which come in the same request (two SQL queries for the whole page). Below the table,
 * "Recent changes" lists the newest events across every token, following the source filter and
 * the kinds chosen beside it; its first page comes in the same request too, "Load more changes"
 * and a change of kinds ask `RecentChanges` (web/tokenHistory.ts).
 *
 * Everything shown is set with `textContent`, never parsed as HTML: token names, events' details
 * and actors come from upstream systems or the history and are not trusted.
 */
import {
  RecentChangesDocument,
  TokenOverviewDocument,
  type RecentChangesQuery,
  type RecentChangesQueryVariables,
  type TokenEventFilter,
  type TokenEventKind,
  type TokenFilter,
  type TokenFinding,
  type TokenOverviewQueryVariables,
  type TokenRef,
  type TokenSource,
} from '../src/generated/client/graphql.js';
import { exportFileName, exportHref, sizeText } from './exportLinks.js';
import { filtersFromSearch, keeps, normalizeFilters, NO_FILTERS, searchWithFilters, tokenFilter, withinDays, withoutFindings, type Filters } from './filters.js';
import { countShown, countsByFinding, FINDING_LABELS, FINDINGS, toggleFinding, unreadSources, type FindingCount } from './findings.js';
import { getWithKey, postOperation, saveApiKey, savedApiKey } from './graphqlClient.js';
import type { GraphQLErrorLike } from './graphqlErrors.js';
import { whyNotRevocable, type RevokeShown } from './revocation.js';
import { setUpRevokeDialog } from './revokeDialog.js';
import {
  actorText,
  afterRevocation,
  changesAnswer,
  changesStateText,
  eventDetail,
  eventFilter,
  eventTime,
  eventToken,
  firstSeenText,
  kindsFromSearch,
  normalizeKinds,
  problemText,
  recentChanges,
  searchWithKinds,
  type ChangesAnswer,
  type EventsAnswer,
  type ChangesPage,
  type HistoryEvent,
  type HistoryProblem,
  type RecentChange,
  type RowHistory,
} from './tokenHistory.js';
import { failureText, formatDate, gapText, overview, SOON_DAYS, stateText, statusText, type OverviewAnswer, type TokenRow } from './tokenRows.js';
import { REF_PARTS, refLabel, sameRef, searchWithWatch, SOURCE_LABELS, watchFromSearch } from './watchList.js';

interface PageConfig {
  /** The GraphQL endpoint's path. */
  endpoint: string;
  demo: boolean;
  /** The watch list a visitor starts with when the URL names none. */
  defaultWatch: TokenRef[];
}

/** Tokens per page of the inventory. */
const PAGE_SIZE = 50;
/** How long the page waits after a keystroke in a text filter before it asks again, ms. */
const TYPING_DELAY_MS = 300;

const config = JSON.parse(document.getElementById('tokengraph-config')!.textContent!) as PageConfig;
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

let watch: TokenRef[] = watchFromSearch(location.search) ?? config.defaultWatch;
let filters: Filters = filtersFromSearch(location.search);
/** The answers shown: the first page (with the watched tokens), then each page loaded with "Load more". */
let answers: OverviewAnswer[] = [];
/** The filter the shown pages were asked with: "Load more" asks with the same one. */
let sentFilter: TokenFilter | null = null;
let loading: AbortController | undefined;
let typing: ReturnType<typeof setTimeout> | undefined;
/** The outcome of each revocation tried in this page, by row key: shown in its row until the page is left. */
const revocations = new Map<string, RevokeShown>();
const openRevokeDialog = setUpRevokeDialog({
  endpoint: config.endpoint,
  showOutcome(row, shown) {
    revocations.set(row.key, shown);
    // The row stays, marked, even after a revocation: the person sees what they did where they did it.
    render();
    // Its REVOKED event, in its details and at the top of Recent changes: one request.
    if (shown.label === 'REVOKED') void loadChanges('first', row.key);
  },
});

/** The kinds Recent changes shows (none: every kind), kept in the URL. */
let kinds: TokenEventKind[] = kindsFromSearch(location.search);
/** The rows whose details are open, by row key: a row still shown after a load stays open. */
const openDetails = new Set<string>();
/** A row's events asked again after a revocation from this page, or why they could not be read, by row key, until the next load. */
const historyAfterRevocation = new Map<string, EventsAnswer>();
/** Recent changes: the pages shown, or why there are none. */
let changePages: ChangesPage[] = [];
let changesProblem: HistoryProblem | null = null;
/** The RecentChanges request in flight, if any: a newer one, or a load of the view, aborts it. */
let changesLoading: AbortController | undefined;
/** The request Recent changes waits for (a load of the view's first page, or RecentChanges): the section is busy until it answers. */
let changesOwner: AbortController | undefined;
/** The keys of the rows the table shows with a token: an event of one of them links to its row. */
let shownKeys = new Set<string>();
/** Columns of the token table (its header's, src/http/overviewPage.ts): a row's details span them all. */
const TABLE_COLUMNS = $('token-rows').closest('table')!.tHead!.rows[0]!.cells.length;

/**
 * Recent changes' filter: the page's sources and the kinds chosen. It is always the one the pages
 * shown were asked with, as a change of either asks a first page at once.
 */
function changesFilter(): TokenEventFilter | null {
  return eventFilter(filters.sources, kinds);
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

/** Writes the filters and the watch list into the URL, so the view can be shared as it is, and the filters into the export links. */
function writeUrl(): void {
  const search = searchWithWatch(searchWithKinds(searchWithFilters(location.search, filters), kinds), watch, config.defaultWatch);
  history.replaceState(null, '', `${location.pathname}${search}${location.hash}`);
  for (const link of exportLinks()) link.href = exportHref(link.pathname, filters);
}

function setWatch(refs: TokenRef[]): void {
  watch = refs;
  writeUrl();
  renderWatchList();
  void load('first');
}

function setFilters(next: Filters): void {
  const changed = JSON.stringify(next) !== JSON.stringify(filters);
  filters = next;
  writeUrl();
  if (changed) void load('first');
}

function renderWatchList(): void {
  const list = $('watch-list');
  list.replaceChildren(
    ...watch.map((ref, index) => {
      const item = element('li', undefined, 'chip');
      item.append(element('span', refLabel(ref)));
      const remove = element('button', '×', 'chip-remove');
      remove.type = 'button';
      remove.title = `Stop watching ${refLabel(ref)}`;
      remove.setAttribute('aria-label', remove.title);
      remove.addEventListener('click', () => setWatch(watch.filter((_, i) => i !== index)));
      item.append(remove);
      return item;
    }),
  );
  $('watch-empty').hidden = watch.length > 0;
}

/** The row's last cell: its Revoke button, or why it has none, and the outcome of a revocation tried. */
function actionCell(row: TokenRow): HTMLTableCellElement {
  const cell = element('td', undefined, 'actions');
  const shown = revocations.get(row.key);
  if (shown) {
    cell.append(element('span', shown.label, `badge badge-outcome badge-${shown.label === 'REVOKED' ? 'revoked' : 'problem'}`));
    cell.append(element('span', shown.detail, 'outcome-detail'));
  }
  const why = whyNotRevocable(row);
  if (why && !row.problem) {
    const note = element('span', 'not revocable', 'not-revocable');
    note.title = why;
    cell.append(note);
  } else if (!why && !shown?.final) {
    const button = element('button', 'Revoke', 'revoke');
    button.type = 'button';
    button.setAttribute('aria-label', `Revoke ${SOURCE_LABELS[row.source]} token ${row.name} (${row.tokenId})`);
    button.addEventListener('click', () => openRevokeDialog(row));
    cell.append(button);
  }
  return cell;
}

/** The row's history as its details show it: with its events asked again after a revocation, if they were. */
function shownHistory(row: TokenRow): RowHistory {
  return afterRevocation(row.history, historyAfterRevocation.get(row.key));
}

/** The row's ▸ button: a disclosure that shows or hides the row's details, right below it. */
function detailsButton(row: TokenRow, detailsId: string): HTMLButtonElement {
  const button = element('button', undefined, 'disclosure');
  button.type = 'button';
  button.setAttribute('aria-controls', detailsId);
  button.setAttribute('aria-label', `Details of ${SOURCE_LABELS[row.source]} token ${row.name} (${row.tokenId})`);
  button.title = 'When tokengraph first saw it, and its history';
  const mark = (open: boolean) => {
    button.setAttribute('aria-expanded', String(open));
    button.textContent = open ? '▾' : '▸';
  };
  mark(openDetails.has(row.key));
  button.addEventListener('click', () => {
    // Shown or hidden in place, so the button keeps the focus.
    const tr = button.closest('tr')!;
    const open = !openDetails.has(row.key);
    if (open) {
      openDetails.add(row.key);
      tr.after(detailsRow(row, detailsId));
    } else {
      openDetails.delete(row.key);
      document.getElementById(detailsId)?.remove();
    }
    mark(open);
  });
  return button;
}

/** One event as a table row: time, kind, then `cells`. */
function eventRow(event: HistoryEvent | RecentChange, cells: Array<HTMLTableCellElement>): HTMLTableRowElement {
  const tr = element('tr');
  tr.dataset.kind = event.kind;
  tr.dataset.at = event.at;
  const kind = element('td');
  kind.append(element('span', event.kind, `kind kind-${event.kind.toLowerCase()}`));
  tr.append(element('td', eventTime(event.at), 'time'), kind, ...cells);
  return tr;
}

/** The detail and actor cells of an event. */
function detailCells(event: HistoryEvent | RecentChange): HTMLTableCellElement[] {
  const actor = element('td', actorText(event.actor), 'actor');
  if (event.actor !== null) actor.title = 'The SHA-256 fingerprint of the API key, as in the audit line';
  return [element('td', eventDetail(event), 'detail'), actor];
}

/** Where the history could not be read: why, and a button that asks again. */
function problemLine(problem: HistoryProblem, again: () => void): HTMLParagraphElement {
  const line = element('p', undefined, `history-problem${problem.opening ? ' opening' : ''}`);
  line.setAttribute('role', 'status');
  const button = element('button', 'Ask again');
  button.type = 'button';
  button.addEventListener('click', again);
  line.append(element('span', problemText(problem)), ' ', button);
  return line;
}

/** The row right below a token's row: when tokengraph first saw it, and its history, newest first. */
function detailsRow(row: TokenRow, id: string): HTMLTableRowElement {
  const tr = element('tr', undefined, 'details-row');
  tr.id = id;
  tr.dataset.detailsFor = row.key;
  const cell = element('td');
  cell.colSpan = TABLE_COLUMNS;
  const history = shownHistory(row);
  if (history.state === 'failed') {
    tr.dataset.history = history.problem.opening ? 'opening' : 'failed';
    // Asking again loads the view again: one request brings every row's history and Recent changes.
    cell.append(problemLine(history.problem, () => void load('first').then(() => rowOf(row.key)?.querySelector<HTMLButtonElement>('button.disclosure')?.focus())));
  } else if (history.state === 'shown') {
    tr.dataset.history = history.events.length > 0 ? 'shown' : 'empty';
    cell.append(element('p', firstSeenText(history.firstSeenAt), 'first-seen'));
    if (history.events.length === 0) {
      cell.append(element('p', 'No history yet: tokengraph has recorded nothing about this token.', 'hint'));
    } else {
      const table = element('table', undefined, 'history');
      table.createCaption().textContent = `History of ${row.name}, newest first`;
      const head = element('tr');
      head.append(...['Time', 'Kind', 'Detail', 'Actor'].map((title) => element('th', title)));
      table.createTHead().append(head);
      const body = table.createTBody();
      body.append(...history.events.map((event) => eventRow(event, detailCells(event))));
      cell.append(table);
    }
  } else {
    tr.dataset.history = 'none';
    cell.append(element('p', 'tokengraph sent no history for this token.', 'hint'));
  }
  tr.append(cell);
  return tr;
}

function renderRows(rows: TokenRow[]): void {
  const body = $<HTMLTableSectionElement>('token-rows');
  // A row's ▸ button keeps the focus across a render (an outcome shown, Ask again).
  const focused = document.activeElement?.classList.contains('disclosure') ? (document.activeElement.closest('tr') as HTMLTableRowElement | null)?.dataset.id : undefined;
  body.replaceChildren(
    ...rows.flatMap((row, index) => {
      const tr = element('tr', undefined, row.problem ? 'row-problem' : `row-${row.expiry}`);
      const revoked = revocations.get(row.key);
      if (revoked) tr.dataset.revokeOutcome = revoked.label;
      if (revoked?.label === 'REVOKED') tr.classList.add('row-revoked');
      tr.dataset.id = row.key;
      tr.dataset.source = row.source;
      tr.dataset.tokenId = row.tokenId;
      tr.dataset.expiry = row.expiry;
      if (row.expiresAt) tr.dataset.expiresAt = row.expiresAt;
      if (row.watchIndex !== undefined) tr.dataset.watched = '';
      const name = element('td');
      const detailsId = `token-details-${index}`;
      if (row.history.state !== 'not asked') name.append(detailsButton(row, detailsId), ' ');
      name.append(element('span', row.name));
      if (row.watchIndex !== undefined) name.append(' ', element('span', 'watched', 'badge badge-watched'));
      if (row.tokenId !== row.name && !row.problem) name.append(element('span', row.tokenId, 'token-id'));
      if (row.findings.length > 0) tr.dataset.findings = row.findings.join(' ');
      const status = element('td');
      status.append(element('span', statusText(row), `badge badge-${row.problem ? 'problem' : row.expiry}`));
      const findings = element('td', undefined, 'findings');
      for (const finding of row.findings) {
        const badge = element('span', FINDING_LABELS[finding].label, `finding finding-${finding.toLowerCase().replace(/_/g, '-')}`);
        badge.title = FINDING_LABELS[finding].rule;
        findings.append(badge);
      }
      tr.append(
        element('td', SOURCE_LABELS[row.source]),
        name,
        element('td', row.owner ?? '—'),
        element('td', formatDate(row.createdAt)),
        element('td', formatDate(row.lastUsedAt)),
        element('td', formatDate(row.expiresAt)),
        status,
        findings,
        actionCell(row),
      );
      return openDetails.has(row.key) && row.history.state !== 'not asked' ? [tr, detailsRow(row, detailsId)] : [tr];
    }),
  );
  $('empty').hidden = rows.length > 0;
  if (focused !== undefined) rowOf(focused)?.querySelector<HTMLButtonElement>('button.disclosure')?.focus();
}

/** The table's row of the token with global id `key`, if it shows one. */
function rowOf(key: string): HTMLTableRowElement | undefined {
  return [...$('token-rows').querySelectorAll<HTMLTableRowElement>('tr[data-id]')].find((tr) => tr.dataset.id === key);
}

/** Shows the token's row, its details open, and puts the focus on its ▸ button: where an event's token link leads. */
function showRow(key: string): void {
  const tr = rowOf(key);
  if (!tr) return;
  const button = tr.querySelector<HTMLButtonElement>('button.disclosure');
  if (button?.getAttribute('aria-expanded') === 'false') button.click();
  tr.scrollIntoView({ block: 'center' });
  button?.focus();
}

/** An event's token as it was: a link to its row while the table shows it (`listed`), else its name; its id as shown. */
function tokenCell(event: RecentChange, listed: boolean): HTMLTableCellElement {
  const shown = eventToken(event);
  const token = element('td', undefined, 'token');
  if (listed) {
    const link = element('button', shown.name, 'link');
    link.type = 'button';
    link.title = 'Show this token in the table, its details open';
    link.addEventListener('click', () => showRow(event.token));
    token.append(link);
  } else {
    token.append(element('span', shown.name));
  }
  if (shown.tokenId !== null) token.append(element('span', shown.tokenId, 'token-id'));
  return token;
}

/** One event of Recent changes: time, kind, source, the token as it was (a link to its row while the table shows it), owner, detail, actor. */
function changeRow(event: RecentChange): HTMLTableRowElement {
  const listed = shownKeys.has(event.token);
  const tr = eventRow(event, [element('td', SOURCE_LABELS[event.source]), tokenCell(event, listed), element('td', eventToken(event).owner ?? '—'), ...detailCells(event)]);
  tr.dataset.source = event.source;
  tr.dataset.token = event.token;
  if (listed) tr.dataset.linked = '';
  return tr;
}

/** The events Recent changes' rows show, in order. */
let eventsShown: readonly RecentChange[] = [];

/**
 * Recent changes' rows for `events`: where they start with the events shown (a page loaded with
 * "Load more changes", or the same list after a load of the table), only the new ones are built
 * and the rows shown only have their links brought up to date; otherwise (a first page) the list
 * is built anew.
 */
function renderChangeRows(events: readonly RecentChange[]): void {
  const body = $<HTMLTableSectionElement>('change-rows');
  if (eventsShown.length > events.length || eventsShown.some((event, i) => events[i] !== event)) {
    body.replaceChildren(...events.map(changeRow));
  } else {
    for (const [i, tr] of [...body.rows].entries()) {
      const event = eventsShown[i]!;
      const listed = shownKeys.has(event.token);
      if (listed === tr.hasAttribute('data-linked')) continue;
      tr.querySelector('td.token')!.replaceWith(tokenCell(event, listed));
      tr.toggleAttribute('data-linked', listed);
    }
    body.append(...events.slice(eventsShown.length).map(changeRow));
  }
  eventsShown = events;
}

function renderChanges(): void {
  const shown = recentChanges(changePages);
  renderChangeRows(shown.events);
  const problem = $('changes-problem');
  problem.replaceChildren(...(changesProblem ? [problemLine(changesProblem, () => void loadChanges('first'))] : []));
  problem.hidden = changesProblem === null;
  $('changes-state').textContent = changesProblem && changePages.length === 0 ? '' : changesStateText(shown);
  $('changes-more').hidden = !shown.hasNextPage;
}

/** Why a request that could not reach tokengraph (`fetch` threw, or its answer was not JSON) has no answer. */
function unreachable(error: unknown): HistoryProblem {
  return { opening: false, code: 'UNREACHABLE', message: `tokengraph could not be reached: ${error instanceof Error ? error.message : String(error)}` };
}

/** Takes what an answer says of Recent changes: a first page (`append` false) or the next one, or why there is none. */
function takeChanges(answer: ChangesAnswer, append: boolean): void {
  if (!answer) return;
  if ('page' in answer) {
    changePages = append ? [...changePages, answer.page] : [answer.page];
    changesProblem = null;
  } else {
    if (!append) changePages = [];
    changesProblem = answer.problem;
  }
}

/**
 * Recent changes on their own (`RecentChanges`): `first` its first page again (kinds changed, Ask
 * again), `more` the next page after those shown. With `token` (after a revocation from the
 * page), also that token's events for its row's details, in the same request.
 */
async function loadChanges(mode: 'first' | 'more', token?: string): Promise<void> {
  const more = mode === 'more';
  const after = more ? recentChanges(changePages).endCursor : null;
  if (more && !after) return;
  changesLoading?.abort();
  const controller = (changesLoading = new AbortController());
  claimChanges(controller, more ? 'Loading more…' : 'Loading…');
  // The count with a first page only: "Load more" keeps it (recentChanges).
  const variables: RecentChangesQueryVariables = { filter: changesFilter(), ...(after ? { after } : { withCount: true }), ...(token ? { token, withToken: true } : {}) };
  try {
    const response = await postOperation(config.endpoint, 'RecentChanges', RecentChangesDocument, variables, controller.signal);
    if (response.status === 401) return changesRefused();
    const answer = (await response.json()) as { data?: RecentChangesQuery | null; errors?: readonly GraphQLErrorLike[] };
    if (controller.signal.aborted) return;
    takeChanges(changesAnswer(answer.data?.tokenEvents, answer.errors, 'tokenEvents'), more);
    if (token) tookHistory(token, changesAnswer(answer.data?.tokenHistory, answer.errors, 'tokenHistory'));
    else renderChanges();
  } catch (error) {
    if (controller.signal.aborted) return;
    takeChanges({ problem: unreachable(error) }, more);
    if (token) tookHistory(token, { problem: unreachable(error) });
    else renderChanges();
  } finally {
    releaseChanges(controller);
  }
}

/** Takes a revoked token's events asked again (or why they could not be read) into its row's details, and shows the page with them. */
function tookHistory(token: string, asked: EventsAnswer): void {
  if (asked) historyAfterRevocation.set(token, asked);
  render();
}

/** `controller`'s request brings what Recent changes shows next: the section says so, busy, until it answers. */
function claimChanges(controller: AbortController, label: string): void {
  changesOwner = controller;
  $('changes-title').closest('section')!.setAttribute('aria-busy', 'true');
  $('changes-state').textContent = label;
  $<HTMLButtonElement>('changes-more').disabled = true;
}

function releaseChanges(controller: AbortController): void {
  if (changesOwner !== controller) return;
  changesOwner = undefined;
  $('changes-title').closest('section')!.setAttribute('aria-busy', 'false');
  $<HTMLButtonElement>('changes-more').disabled = false;
}

/** tokengraph wants an API key: Recent changes shows nothing, and says so. */
function changesRefused(): void {
  changePages = [];
  changesProblem = null;
  renderChanges();
  $('changes-state').textContent = 'Not signed in.';
}

function showLines(id: 'gaps' | 'failures', lines: string[]): void {
  const banner = $(id);
  banner.replaceChildren(...lines.map((line) => element('p', line)));
  banner.hidden = lines.length === 0;
}

function render(): void {
  const shown = overview(answers, watch, new Date(), keeps(sentFilter));
  shownKeys = new Set(shown.rows.filter((row) => !row.problem).map((row) => row.key));
  renderRows(shown.rows);
  renderCounts(shown.findingCounts, unreadSources(shown.findingGaps, withoutFindings(sentFilter)?.sources ?? []));
  showLines('gaps', (shown.inventory?.gaps ?? []).map(gapText));
  showLines('failures', [...shown.failures.map(failureText), ...shown.otherErrors]);
  $('state').textContent = stateText(shown);
  $('load-more').hidden = !shown.inventory?.hasNextPage;
  renderChanges();
}

/**
 * `first`: the first page with the current filters and watch list; `refresh`: the same, read
 * anew from every source; `more`: the next page after the ones shown, appended.
 */
async function load(mode: 'first' | 'refresh' | 'more'): Promise<void> {
  loading?.abort();
  const controller = (loading = new AbortController());
  const more = mode === 'more';
  const endCursor = more ? overview(answers, [], new Date()).inventory?.endCursor : undefined;
  if (more && !endCursor) return;
  if (!more) {
    sentFilter = tokenFilter(filters, new Date());
    // This request brings Recent changes' first page: whatever RecentChanges was asking is older.
    changesLoading?.abort();
    claimChanges(controller, 'Loading…');
  }
  const variables: TokenOverviewQueryVariables = {
    filter: sentFilter,
    first: PAGE_SIZE,
    // Every row's details: its first sighting and history, for the whole page in two SQL queries.
    withHistory: true,
    // The watched tokens, the finding counts and Recent changes come with the first page only.
    watch: more ? [] : watch,
    ...(more ? {} : { withCounts: true, countFilter: withoutFindings(sentFilter), withChanges: true, changesFilter: changesFilter() }),
    ...(more ? { after: endCursor } : {}),
    ...(mode === 'refresh' ? { refresh: true } : {}),
  };
  $('state').textContent = more ? 'Loading more…' : 'Loading…';
  $<HTMLButtonElement>('load-more').disabled = true;
  try {
    const response = await postOperation(config.endpoint, 'TokenOverview', TokenOverviewDocument, variables, controller.signal);
    if (response.status === 401) {
      answers = [];
      shownKeys = new Set();
      if (changesOwner === controller) changesRefused();
      renderRows([]);
      renderCounts(null, []);
      showLines('gaps', []);
      showLines('failures', ['tokengraph needs an API key: enter it under “API key” below.']);
      $('state').textContent = 'Not signed in.';
      $('load-more').hidden = true;
      return;
    }
    const answer = (await response.json()) as OverviewAnswer;
    if (controller.signal.aborted) return;
    // A page that did not come (a refused cursor) leaves the pages shown as they are, its error shown.
    answers = more ? [...answers, answer] : [answer];
    if (!more) historyAfterRevocation.clear();
    if (changesOwner === controller) takeChanges(changesAnswer(answer.data?.recentChanges, answer.errors, 'recentChanges'), false);
    render();
  } catch (error) {
    if (controller.signal.aborted) return;
    showLines('failures', [unreachable(error).message]);
    $('state').textContent = 'Failed.';
    if (changesOwner === controller) {
      takeChanges({ problem: unreachable(error) }, false);
      renderChanges();
    }
  } finally {
    if (loading === controller) $<HTMLButtonElement>('load-more').disabled = false;
    releaseChanges(controller);
  }
}

// ---- the filter form ----------------------------------------------------------------------

function filterForm(): HTMLFormElement {
  return $<HTMLFormElement>('filters');
}

function checkedValues(name: string): string[] {
  return [...filterForm().querySelectorAll<HTMLInputElement>(`input[name="${name}"]:checked`)].map((input) => input.value);
}

/** The finding counts' buttons, one per finding, in order: pressed when the table is filtered by it. */
function findingButtons(): HTMLButtonElement[] {
  return [...$('finding-counts').querySelectorAll<HTMLButtonElement>('button[data-finding]')];
}

function readFilterForm(): Filters {
  return normalizeFilters({
    sources: checkedValues('source'),
    statuses: checkedValues('status'),
    findings: findingButtons()
      .filter((button) => button.getAttribute('aria-pressed') === 'true')
      .map((button) => button.dataset.finding!),
    within: withinDays($<HTMLInputElement>('within').value),
    search: $<HTMLInputElement>('q').value,
  });
}

function writeFilterForm(shown: Filters): void {
  for (const input of filterForm().querySelectorAll<HTMLInputElement>('input[type="checkbox"]')) {
    input.checked = input.name === 'source' ? shown.sources.includes(input.value as TokenSource) : (shown.statuses as string[]).includes(input.value);
  }
  for (const button of findingButtons()) button.setAttribute('aria-pressed', String(shown.findings.includes(button.dataset.finding as TokenFinding)));
  $<HTMLInputElement>('within').value = shown.within === null ? '' : String(shown.within);
  $<HTMLInputElement>('q').value = shown.search;
}

/** The counts, each on its finding's button; `…` until they come, `–` when the answer has none, `≥ N` where `unread` sources it counts were not read in full. */
function renderCounts(counts: readonly FindingCount[] | null, unread: readonly TokenSource[]): void {
  const byFinding = new Map(countsByFinding(counts).map(({ finding, count }) => [finding, count]));
  for (const button of findingButtons()) {
    const finding = button.dataset.finding as TokenFinding;
    const count = byFinding.get(finding) ?? null;
    const shown = countShown(count, unread);
    button.querySelector('.count')!.textContent = shown.text;
    button.title = [findingTitle(finding), shown.incomplete ?? ''].join(' ').trim();
    button.classList.toggle('incomplete', shown.incomplete !== null);
    button.classList.toggle('none', count === 0 && shown.incomplete === null);
  }
}

/** A finding count's title: the finding's rule and what a click does. */
function findingTitle(finding: TokenFinding): string {
  return `${FINDING_LABELS[finding].rule} Click to show only tokens with this finding (with others chosen: any of them).`;
}

/** One button per finding, its readable name and count; a click toggles the finding in the filters. */
function setUpFindings(): void {
  $('finding-counts').replaceChildren(
    ...FINDINGS.map((finding) => {
      const button = element('button', undefined, 'finding-count');
      button.type = 'button';
      button.dataset.finding = finding;
      button.title = findingTitle(finding);
      button.setAttribute('aria-pressed', 'false');
      button.append(element('span', FINDING_LABELS[finding].label, 'finding-label'), ' ', element('span', '…', 'count'));
      button.addEventListener('click', () => {
        const chosen = toggleFinding(filters.findings, finding);
        for (const other of findingButtons()) other.setAttribute('aria-pressed', String(chosen.includes(other.dataset.finding as TokenFinding)));
        clearTimeout(typing);
        setFilters(readFilterForm());
      });
      return button;
    }),
  );
}

function setUpFilters(): void {
  setUpFindings();
  const form = filterForm();
  writeFilterForm(filters);
  const apply = () => {
    clearTimeout(typing);
    setFilters(readFilterForm());
  };
  form.addEventListener('input', (event) => {
    const target = event.target as HTMLInputElement;
    clearTimeout(typing);
    // Checkboxes apply at once; typed filters once typing pauses.
    if (target.type === 'checkbox') apply();
    else typing = setTimeout(apply, TYPING_DELAY_MS);
  });
  form.addEventListener('change', apply);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    apply();
  });
  $('clear-filters').addEventListener('click', () => {
    writeFilterForm(NO_FILTERS);
    apply();
  });
}

// ---- Recent changes' kinds --------------------------------------------------------------

function setUpKinds(): void {
  const form = $<HTMLFormElement>('change-kinds');
  const boxes = () => [...form.querySelectorAll<HTMLInputElement>('input[name="kind"]')];
  for (const box of boxes()) box.checked = (kinds as string[]).includes(box.value);
  form.addEventListener('change', () => {
    const next = normalizeKinds(boxes().filter((box) => box.checked).map((box) => box.value));
    if (next.join() === kinds.join()) return;
    kinds = next;
    writeUrl();
    void loadChanges('first');
  });
  form.addEventListener('submit', (event) => event.preventDefault());
  $('changes-more').addEventListener('click', () => void loadChanges('more'));
}

// ---- the export links ----------------------------------------------------------------------

function exportLinks(): HTMLAnchorElement[] {
  return [$<HTMLAnchorElement>('export-csv'), $<HTMLAnchorElement>('export-ndjson')];
}

/** The export in flight, if any: a second click starts again. */
let exporting: AbortController | undefined;

/**
 * Fetches the link's export with the page's key (a plain link could not send it) and saves it as
 * the file tokengraph names, through a Blob object URL and an `<a download>`.
 */
async function saveExport(link: HTMLAnchorElement): Promise<void> {
  exporting?.abort();
  const controller = (exporting = new AbortController());
  const state = $('export-state');
  const format = link.dataset.format ?? 'export';
  state.textContent = `Exporting ${format}…`;
  try {
    const response = await getWithKey(link.href, controller.signal);
    if (response.status === 401) {
      state.textContent = `${format} export refused: tokengraph needs an API key (under “API key” below).`;
      return;
    }
    if (!response.ok) {
      const body = (await response.json().catch(() => null)) as { errors?: Array<{ message?: string }> } | null;
      state.textContent = `${format} export failed: ${response.status}${body?.errors?.[0]?.message ? ` ${body.errors[0].message}` : ''}`;
      return;
    }
    const blob = await response.blob();
    if (controller.signal.aborted) return;
    const url = URL.createObjectURL(blob);
    const save = element('a');
    save.href = url;
    save.download = exportFileName(response.headers.get('content-disposition'), `tokengraph-inventory${new URL(link.href).pathname.slice('/inventory'.length)}`);
    save.hidden = true;
    document.body.append(save);
    save.click();
    save.remove();
    // The browser has taken the file once the click is handled; the object URL can go after.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    state.textContent = `Saved ${save.download} (${sizeText(blob.size)}).`;
  } catch (error) {
    if (controller.signal.aborted) return;
    state.textContent = `${format} export failed: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    if (exporting === controller) exporting = undefined;
  }
}

function setUpExports(): void {
  for (const link of exportLinks()) {
    link.addEventListener('click', (event) => {
      event.preventDefault();
      void saveExport(link);
    });
  }
}

// ---- the watch form and the API key -------------------------------------------------------

function showRefFields(): void {
  const source = $<HTMLSelectElement>('ref-source').value as TokenSource;
  for (const part of ['accountId', 'userId'] as const) {
    const field = $(`field-${part}`);
    const needed = REF_PARTS[source].includes(part);
    field.hidden = !needed;
    $<HTMLInputElement>(`ref-${part}`).required = needed;
  }
}

function addRef(event: SubmitEvent): void {
  event.preventDefault();
  const source = $<HTMLSelectElement>('ref-source').value as TokenSource;
  const ref: TokenRef = { source, tokenId: '' };
  for (const part of REF_PARTS[source]) ref[part] = $<HTMLInputElement>(`ref-${part}`).value.trim();
  if (watch.some((other) => sameRef(other, ref))) return;
  ($('add-ref') as HTMLFormElement).reset();
  showRefFields();
  setWatch([...watch, ref]);
}

function setUpApiKey(): void {
  const input = $<HTMLInputElement>('api-key');
  input.value = savedApiKey();
  $('api-key-form').addEventListener('submit', (event) => {
    event.preventDefault();
    saveApiKey(input.value);
    void load('first');
  });
}

$('soon-days').textContent = String(SOON_DAYS);
$('ref-source').addEventListener('change', showRefFields);
$('add-ref').addEventListener('submit', addRef);
$('refresh').addEventListener('click', () => void load('refresh'));
$('load-more').addEventListener('click', () => void load('more'));
setUpFilters();
setUpKinds();
setUpExports();
setUpApiKey();
showRefFields();
// The URL in its written form (unreadable entries dropped), so it can be shared as it is.
writeUrl();
renderWatchList();
void load('first');
