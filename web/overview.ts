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
 * Everything shown is set with `textContent`, never parsed as HTML: token names come from
 * upstream systems and are not trusted.
 */
import { TokenOverviewDocument, type TokenFilter, type TokenFinding, type TokenOverviewQueryVariables, type TokenRef, type TokenSource } from '../src/generated/client/graphql.js';
import { exportFileName, exportHref, sizeText } from './exportLinks.js';
import { filtersFromSearch, keeps, normalizeFilters, NO_FILTERS, searchWithFilters, tokenFilter, withinDays, withoutFindings, type Filters } from './filters.js';
import { countsByFinding, FINDING_LABELS, FINDINGS, toggleFinding, type FindingCount } from './findings.js';
import { getWithKey, postOperation, saveApiKey, savedApiKey } from './graphqlClient.js';
import { whyNotRevocable, type RevokeShown } from './revocation.js';
import { setUpRevokeDialog } from './revokeDialog.js';
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
  },
});

function element<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

/** Writes the filters and the watch list into the URL, so the view can be shared as it is, and the filters into the export links. */
function writeUrl(): void {
  const search = searchWithWatch(searchWithFilters(location.search, filters), watch, config.defaultWatch);
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

function renderRows(rows: TokenRow[]): void {
  const body = $<HTMLTableSectionElement>('token-rows');
  body.replaceChildren(
    ...rows.map((row) => {
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
      return tr;
    }),
  );
  $('empty').hidden = rows.length > 0;
}

function showLines(id: 'gaps' | 'failures', lines: string[]): void {
  const banner = $(id);
  banner.replaceChildren(...lines.map((line) => element('p', line)));
  banner.hidden = lines.length === 0;
}

function render(): void {
  const shown = overview(answers, watch, new Date(), keeps(sentFilter));
  renderRows(shown.rows);
  renderCounts(shown.findingCounts);
  showLines('gaps', (shown.inventory?.gaps ?? []).map(gapText));
  showLines('failures', [...shown.failures.map(failureText), ...shown.otherErrors]);
  $('state').textContent = stateText(shown);
  $('load-more').hidden = !shown.inventory?.hasNextPage;
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
  if (!more) sentFilter = tokenFilter(filters, new Date());
  const variables: TokenOverviewQueryVariables = {
    filter: sentFilter,
    first: PAGE_SIZE,
    // The watched tokens and the finding counts come with the first page only.
    watch: more ? [] : watch,
    ...(more ? {} : { withCounts: true, countFilter: withoutFindings(sentFilter) }),
    ...(more ? { after: endCursor } : {}),
    ...(mode === 'refresh' ? { refresh: true } : {}),
  };
  $('state').textContent = more ? 'Loading more…' : 'Loading…';
  $<HTMLButtonElement>('load-more').disabled = true;
  try {
    const response = await postOperation(config.endpoint, 'TokenOverview', TokenOverviewDocument, variables, controller.signal);
    if (response.status === 401) {
      answers = [];
      renderRows([]);
      renderCounts(null);
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
    render();
  } catch (error) {
    if (controller.signal.aborted) return;
    showLines('failures', [`tokengraph could not be reached: ${error instanceof Error ? error.message : String(error)}`]);
    $('state').textContent = 'Failed.';
  } finally {
    if (loading === controller) $<HTMLButtonElement>('load-more').disabled = false;
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

/** The counts, each on its finding's button; `…` until they come, `–` when the answer has none. */
function renderCounts(counts: readonly FindingCount[] | null): void {
  const byFinding = new Map(countsByFinding(counts).map(({ finding, count }) => [finding, count]));
  for (const button of findingButtons()) {
    const count = byFinding.get(button.dataset.finding as TokenFinding) ?? null;
    button.querySelector('.count')!.textContent = count === null ? '–' : String(count);
    button.classList.toggle('none', count === 0);
  }
}

/** One button per finding, its readable name and count; a click toggles the finding in the filters. */
function setUpFindings(): void {
  $('finding-counts').replaceChildren(
    ...FINDINGS.map((finding) => {
      const button = element('button', undefined, 'finding-count');
      button.type = 'button';
      button.dataset.finding = finding;
      button.title = `${FINDING_LABELS[finding].rule} Click to show only tokens with this finding (with others chosen: any of them).`;
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
setUpExports();
setUpApiKey();
showRefFields();
// The URL in its written form (unreadable entries dropped), so it can be shared as it is.
writeUrl();
renderWatchList();
void load('first');
